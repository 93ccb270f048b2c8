/* strategy_n1.c: the code before the fix, one SELECT per result.
 *
 * `n1` interleaves each lookup with its write, as the loop reads and as an ORM
 * with autoflush on behaves: each lookup sees this import's earlier rows.
 * `n1-deferred` runs every lookup first, against the state before the import,
 * then every write: the real application, whose session had autoflush off.
 * `n1-nocache` is n1 with every statement compiled anew (the importer turns
 * the statement cache off for it). The job holds one result per key, so all
 * three make the same decisions and leave the same rows. */
#include "strategy.h"

#include <stdlib.h>

#include "probe.h"

#define N1_LOOKUP_SQL                                                            \
    "SELECT " STRATEGY_ROW_COLUMNS " FROM test_results"                          \
    " WHERE job_id = ? AND file_path = ? AND class_name = ? AND test_name = ?"   \
    " LIMIT 1"

/* The row id of result i's key in the job, or -1. */
static int lookup_one(const struct import_ctx *ctx, size_t i, int64_t *id,
                      struct ib_error *err)
{
    const struct job_result *r = &ctx->job->results[i];
    struct db_stmt *st;
    if (db_prepare(ctx->db, N1_LOOKUP_SQL, DB_ROLE_LOOKUP, &st, err) != IB_OK)
        return IB_ERR;
    db_bind_int64(st, 1, ctx->job_row);
    db_bind_text(st, 2, r->file_path);
    db_bind_text(st, 3, r->class_name);
    db_bind_text(st, 4, r->test_name);
    int rc = db_step(st, err);
    *id = rc == DB_ROW ? db_column_int64(st, 0) : -1;
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

static int write_one(const struct import_ctx *ctx, size_t i, int64_t id,
                     struct strategy_outcome *out, struct ib_error *err)
{
    if (id < 0) {
        out->inserted++;
        return strategy_insert_one(ctx, i, err);
    }
    out->updated++;
    return strategy_update_one(ctx, i, id, err);
}

static int n1_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                     struct ib_error *err)
{
    for (size_t i = 0; i < ctx->job->count; i++) {
        int64_t id;
        double t0 = probe_now();
        if (lookup_one(ctx, i, &id, err) != IB_OK)
            return IB_ERR;
        double t1 = probe_now();
        int status = write_one(ctx, i, id, out, err);
        out->lookup_s += t1 - t0;
        out->write_s += probe_now() - t1;
        if (status != IB_OK)
            return IB_ERR;
    }
    return IB_OK;
}

static int n1_deferred_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                              struct ib_error *err)
{
    size_t n = ctx->job->count;
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return ib_fail(err, IB_ERR, "n1-deferred: out of memory");
    int status = IB_OK;
    double t0 = probe_now();
    for (size_t i = 0; status == IB_OK && i < n; i++)
        status = lookup_one(ctx, i, &ids[i], err);
    double t1 = probe_now();
    for (size_t i = 0; status == IB_OK && i < n; i++)
        status = write_one(ctx, i, ids[i], out, err);
    out->lookup_s = t1 - t0;
    out->write_s = probe_now() - t1;
    free(ids);
    return status;
}

const struct strategy strategy_n1 = {
    .name = "n1",
    .summary = "before the fix: one SELECT per result, each write right after its lookup",
    .lookup_sql = N1_LOOKUP_SQL,
    .stmt_cache = 1,
    .lookup_per_result = 1,
    .import = n1_import,
};

const struct strategy strategy_n1_deferred = {
    .name = "n1-deferred",
    .summary = "the real app before the fix: all per-result SELECTs first, then all writes",
    .lookup_sql = N1_LOOKUP_SQL,
    .stmt_cache = 1,
    .lookup_per_result = 1,
    .import = n1_deferred_import,
};

const struct strategy strategy_n1_nocache = {
    .name = "n1-nocache",
    .summary = "n1 with every statement prepared anew, as an ORM without a statement cache",
    .lookup_sql = N1_LOOKUP_SQL,
    .stmt_cache = 0,
    .lookup_per_result = 1,
    .import = n1_import,
};
