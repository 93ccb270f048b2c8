/* strategy_batch.c: the documented fix: one SELECT of the job's rows (whole
 * rows, as the ORM loads them) into an in-memory map from key to row id, then
 * one INSERT or UPDATE per result. */
#include "strategy.h"

#include "keymap.h"
#include "probe.h"

#define BATCH_LOOKUP_SQL \
    "SELECT " STRATEGY_ROW_COLUMNS " FROM test_results WHERE job_id = ?"

int strategy_load_keymap(const struct import_ctx *ctx, const char *sql, int key_col,
                         struct keymap **out, struct ib_error *err)
{
    *out = keymap_new(ctx->job->count, 1);
    if (!*out)
        return ib_fail(err, IB_ERR, "%s: out of memory", db_path(ctx->db));
    struct db_stmt *st;
    if (db_prepare(ctx->db, sql, DB_ROLE_LOOKUP, &st, err) != IB_OK)
        return IB_ERR;
    db_bind_int64(st, 1, ctx->job_row);
    int rc;
    int status = IB_OK;
    while (status == IB_OK && (rc = db_step(st, err)) == DB_ROW) {
        const char *fp = db_column_text(st, key_col), *cn = db_column_text(st, key_col + 1),
                   *tn = db_column_text(st, key_col + 2);
        if (keymap_put(*out, job_key_hash(fp, cn, tn), fp, cn, tn, db_column_int64(st, 0)) != 0)
            status = ib_fail(err, IB_ERR, "%s: out of memory", db_path(ctx->db));
    }
    db_stmt_done(st);
    return status == IB_OK && rc < 0 ? IB_ERR : status;
}

static int batch_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                        struct ib_error *err)
{
    struct keymap *map;
    double t0 = probe_now();
    int status = strategy_load_keymap(ctx, BATCH_LOOKUP_SQL, 2, &map, err);
    double t1 = probe_now();
    for (size_t i = 0; status == IB_OK && i < ctx->job->count; i++) {
        const struct job_result *r = &ctx->job->results[i];
        int64_t id;
        if (keymap_get(map, r->key_hash, r->file_path, r->class_name, r->test_name, &id)) {
            status = strategy_update_one(ctx, i, id, err);
            out->updated++;
        } else {
            status = strategy_insert_one(ctx, i, err);
            out->inserted++;
        }
    }
    out->lookup_s = t1 - t0;
    out->write_s = probe_now() - t1;
    out->lookup_map_bytes = map ? keymap_bytes(map) : 0;
    keymap_free(map);
    return status;
}

const struct strategy strategy_batch = {
    .name = "batch",
    .summary = "the fix: one SELECT of the job's rows into a map, one write per result",
    .lookup_sql = BATCH_LOOKUP_SQL,
    .stmt_cache = 1,
    .import = batch_import,
};
