/* strategy_bulk.c: the application's later revision: one narrow SELECT (id and
 * key) into a map, then the inserts and the updates each sent as multi-row
 * statements of at most bulk_chunk rows, and never more bound parameters than
 * the database takes. Updates join the rows to a VALUES list by id. */
#include "strategy.h"

#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "probe.h"

#define BULK_LOOKUP_SQL \
    "SELECT id, file_path, class_name, test_name FROM test_results WHERE job_id = ?"

#define BULK_INSERT_HEAD "INSERT INTO test_results (" STRATEGY_RESULT_COLUMNS ") VALUES "
#define BULK_INSERT_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define BULK_UPDATE_HEAD                                                         \
    "UPDATE test_results SET status = v.column2, jenkins_topology = v.column3,"  \
    " order_index = v.column4, was_rerun = v.column5,"                           \
    " rerun_still_failed = v.column6, failure_message = v.column7,"              \
    " priority = v.column8, testcase_module = v.column9 FROM (VALUES "
#define BULK_UPDATE_ROW "(?,?,?,?,?,?,?,?,?)"
/* PostgreSQL types the parameters of a VALUES list as text: the id, the order
 * and the two flags are cast to be compared and assigned. */
#define BULK_UPDATE_ROW_PG "(?::integer,?,?,?::integer,?::boolean,?::boolean,?,?,?)"
#define BULK_UPDATE_TAIL ") AS v WHERE test_results.id = v.column1"

/* head, then rows copies of row separated by commas, then tail; malloc'd. */
static char *repeat_sql(const char *head, const char *row, size_t rows, const char *tail)
{
    size_t hl = strlen(head), rl = strlen(row), tl = strlen(tail);
    char *sql = malloc(hl + rows * (rl + 1) + tl + 1);
    if (!sql)
        return NULL;
    char *p = sql;
    memcpy(p, head, hl);
    p += hl;
    for (size_t i = 0; i < rows; i++) {
        if (i)
            *p++ = ',';
        memcpy(p, row, rl);
        p += rl;
    }
    memcpy(p, tail, tl + 1);
    return sql;
}

/* The results to write, split by what the map says. */
struct plan {
    size_t *inserts, ninserts;
    size_t *updates, nupdates;   /* result indexes */
    int64_t *ids;                /* row ids of the updates */
};

static int run_chunk(const struct import_ctx *ctx, const char *sql, const struct plan *pl,
                     size_t from, size_t rows, int update, struct ib_error *err)
{
    struct db_stmt *st;
    if (db_prepare(ctx->db, sql, DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    int idx = 1;
    for (size_t k = from; k < from + rows; k++) {
        if (update) {
            db_bind_int64(st, idx, pl->ids[k]);
            idx = strategy_bind_update(st, idx + 1, ctx, pl->updates[k]);
        } else {
            idx = strategy_bind_result(st, idx, ctx, pl->inserts[k]);
        }
    }
    int rc = db_step(st, err);
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

/* Every one of count rows, in statements of at most per_stmt rows. */
static int run_chunks(const struct import_ctx *ctx, const struct plan *pl, size_t count,
                      size_t per_stmt, int update, struct ib_error *err)
{
    const char *head = update ? BULK_UPDATE_HEAD : BULK_INSERT_HEAD;
    const char *row = !update ? BULK_INSERT_ROW
                      : db_backend_of(ctx->db) == DB_BACKEND_POSTGRES ? BULK_UPDATE_ROW_PG
                                                                     : BULK_UPDATE_ROW;
    const char *tail = update ? BULK_UPDATE_TAIL : "";
    char *full = NULL;
    int status = IB_OK;
    for (size_t from = 0; status == IB_OK && from < count; from += per_stmt) {
        size_t rows = count - from < per_stmt ? count - from : per_stmt;
        char *sql = rows == per_stmt && full ? full : repeat_sql(head, row, rows, tail);
        if (!sql)
            return ib_fail(err, IB_ERR, "bulk: out of memory");
        status = run_chunk(ctx, sql, pl, from, rows, update, err);
        if (rows == per_stmt)
            full = sql;
        else
            free(sql);
    }
    free(full);
    return status;
}

static size_t rows_per_statement(const struct import_ctx *ctx, int columns)
{
    size_t chunk = ctx->bulk_chunk ? ctx->bulk_chunk : STRATEGY_BULK_CHUNK;
    size_t limit = (size_t)db_max_variables(ctx->db) / (size_t)columns;
    return chunk < limit ? chunk : limit;
}

static int bulk_write(const struct import_ctx *ctx, struct keymap *map,
                      struct strategy_outcome *out, struct ib_error *err)
{
    size_t n = ctx->job->count ? ctx->job->count : 1;
    struct plan pl = {.inserts = malloc(n * sizeof *pl.inserts),
                      .updates = malloc(n * sizeof *pl.updates),
                      .ids = malloc(n * sizeof *pl.ids)};
    int status = pl.inserts && pl.updates && pl.ids
                     ? IB_OK
                     : ib_fail(err, IB_ERR, "bulk: out of memory");
    for (size_t i = 0; status == IB_OK && i < ctx->job->count; i++) {
        const struct job_result *r = &ctx->job->results[i];
        int64_t id;
        if (keymap_get(map, r->key_hash, r->file_path, r->class_name, r->test_name, &id)) {
            pl.ids[pl.nupdates] = id;
            pl.updates[pl.nupdates++] = i;
        } else {
            pl.inserts[pl.ninserts++] = i;
        }
    }
    if (status == IB_OK)
        status = run_chunks(ctx, &pl, pl.ninserts,
                            rows_per_statement(ctx, STRATEGY_RESULT_NCOLS), 0, err);
    if (status == IB_OK)
        status = run_chunks(ctx, &pl, pl.nupdates,
                            rows_per_statement(ctx, STRATEGY_UPDATE_NCOLS + 1), 1, err);
    if (status == IB_OK) {
        out->inserted = pl.ninserts;
        out->updated = pl.nupdates;
    }
    free(pl.inserts);
    free(pl.updates);
    free(pl.ids);
    return status;
}

static int bulk_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                       struct ib_error *err)
{
    struct keymap *map;
    double t0 = probe_now();
    int status = strategy_load_keymap(ctx, BULK_LOOKUP_SQL, 1, &map, err);
    double t1 = probe_now();
    if (status == IB_OK)
        status = bulk_write(ctx, map, out, err);
    out->lookup_s = t1 - t0;
    out->write_s = probe_now() - t1;
    out->lookup_map_bytes = map ? keymap_bytes(map) : 0;
    keymap_free(map);
    return status;
}

const struct strategy strategy_bulk = {
    .name = "bulk",
    .summary = "later revision: one narrow SELECT, multi-row INSERT and UPDATE in chunks",
    .lookup_sql = BULK_LOOKUP_SQL,
    .stmt_cache = 1,
    .import = bulk_import,
};
