/* db_pg_pipeline.c: a run of one SELECT over many parameter sets in libpq's
 * pipeline mode. Batches are bounded so that neither side's socket buffer
 * fills while the other is not reading: the client sends a batch and a sync,
 * then reads the batch's answers, then sends the next. */
#include "db_pg.h"

#include <stdlib.h>
#include <string.h>

#include "db_pg_int.h"

/* Reads the answers of one batch, from..from+n, up to the sync's result.
 * Each answer is followed by a NULL result; after an error the rest of the
 * batch answers PGRES_PIPELINE_ABORTED. */
static int read_batch(struct db *db, size_t from, size_t n, db_pg_answer_fn answer, void *ctx,
                      struct ib_error *err)
{
    int status = IB_OK;
    size_t i = from, nulls = 0;
    for (;;) {
        PGresult *res = PQgetResult(db->conn);
        if (!res) {
            /* a lost connection answers NULL for ever */
            if (PQstatus(db->conn) == CONNECTION_BAD || ++nulls > n + 1)
                return status == IB_OK ? pg_fail(db, NULL, err) : status;
            continue;
        }
        ExecStatusType rs = PQresultStatus(res);
        if (rs == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            break;
        }
        if (rs == PGRES_TUPLES_OK && status == IB_OK && i < from + n)
            answer(ctx, i, PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) ? PQgetvalue(res, 0, 0)
                                                                         : NULL);
        else if (rs != PGRES_TUPLES_OK && rs != PGRES_PIPELINE_ABORTED && status == IB_OK)
            status = pg_fail(db, res, err);
        i++;
        PQclear(res);
    }
    if (status == IB_OK && i != from + n)
        status = ib_fail(err, IB_ERR, "%s: pipeline: %zu answers to %zu statements", db->name,
                         i - from, n);
    return status;
}

static int send_batch(struct db *db, const char *name, int nparams, size_t from, size_t n,
                      db_pg_params_fn params, void *ctx, const char **values,
                      char (*buf)[32], struct ib_error *err)
{
    for (size_t i = from; i < from + n; i++) {
        params(ctx, i, values, buf);
        if (!PQsendQueryPrepared(db->conn, name, nparams, values, NULL, NULL, 0))
            return pg_fail(db, NULL, err);
    }
    if (!PQpipelineSync(db->conn))
        return pg_fail(db, NULL, err);
    return IB_OK;
}

int db_pg_pipeline(struct db *db, const char *sql, enum db_stmt_role role, int nparams,
                   size_t count, size_t per_sync, db_pg_params_fn params,
                   db_pg_answer_fn answer, void *ctx, struct ib_error *err)
{
    if (db_backend_of(db) != DB_BACKEND_POSTGRES)
        return ib_fail(err, IB_EUSAGE, "%s: pipelining needs the postgres backend", db_path(db));
    struct db_stmt *st;
    if (db_prepare(db, sql, role, &st, err) != IB_OK)
        return IB_ERR;
    const char **values = calloc((size_t)nparams + 1, sizeof *values);
    char (*buf)[32] = calloc((size_t)nparams + 1, sizeof *buf);
    int status = values && buf ? IB_OK : ib_fail(err, IB_ERR, "%s: out of memory", db->name);
    if (status == IB_OK && !st->name[0])
        status = ib_fail(err, IB_ERR, "%s: pipelining needs the statement cache", db->name);
    if (status == IB_OK && !PQenterPipelineMode(db->conn))
        status = pg_fail(db, NULL, err);
    for (size_t from = 0; status == IB_OK && from < count; from += per_sync) {
        size_t n = count - from < per_sync ? count - from : per_sync;
        status = send_batch(db, st->name, nparams, from, n, params, ctx, values, buf, err);
        if (status == IB_OK)
            status = read_batch(db, from, n, answer, ctx, err);
        db->head.counts.select += n;
        db->head.counts.round_trips++;
        if (role == DB_ROLE_LOOKUP)
            db->head.counts.lookups += n;
    }
    if (PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF && !PQexitPipelineMode(db->conn) &&
        status == IB_OK)
        status = pg_fail(db, NULL, err);
    free(values);
    free(buf);
    st->head.stepped = 0;  /* its runs were counted here */
    db_stmt_done(st);
    return status;
}
