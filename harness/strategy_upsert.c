/* strategy_upsert.c: what SQL can do alone: one INSERT ... ON CONFLICT DO
 * UPDATE per result, no lookup. It needs the unique key of the `keyed`
 * profile (the importer refuses it elsewhere). Inserted and updated rows are
 * told apart by the job's row count before and after. */
#include "strategy.h"

#include "probe.h"

static int count_rows(const struct import_ctx *ctx, int64_t *n, struct ib_error *err)
{
    struct db_stmt *st;
    if (db_prepare(ctx->db, "SELECT count(*) FROM test_results WHERE job_id = ?", DB_ROLE_PLAIN,
                   &st, err) != IB_OK)
        return IB_ERR;
    db_bind_int64(st, 1, ctx->job_row);
    int rc = db_step(st, err);
    *n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

static int upsert_one(const struct import_ctx *ctx, size_t i, struct ib_error *err)
{
    struct db_stmt *st;
    if (db_prepare(ctx->db,
                   "INSERT INTO test_results (" STRATEGY_RESULT_COLUMNS ")"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (job_id, file_path, class_name, test_name) DO UPDATE SET"
                   " status = excluded.status, jenkins_topology = excluded.jenkins_topology,"
                   " order_index = excluded.order_index, was_rerun = excluded.was_rerun,"
                   " rerun_still_failed = excluded.rerun_still_failed,"
                   " failure_message = excluded.failure_message,"
                   " priority = excluded.priority, testcase_module = excluded.testcase_module",
                   DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    strategy_bind_result(st, 1, ctx, i);
    int rc = db_step(st, err);
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

static int upsert_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                         struct ib_error *err)
{
    int64_t before, after;
    double t0 = probe_now();
    if (count_rows(ctx, &before, err) != IB_OK)
        return IB_ERR;
    for (size_t i = 0; i < ctx->job->count; i++)
        if (upsert_one(ctx, i, err) != IB_OK)
            return IB_ERR;
    if (count_rows(ctx, &after, err) != IB_OK)
        return IB_ERR;
    out->write_s = probe_now() - t0;
    out->inserted = (uint64_t)(after - before);
    out->updated = ctx->job->count - out->inserted;
    return IB_OK;
}

const struct strategy strategy_upsert = {
    .name = "upsert",
    .summary = "SQL alone: INSERT ... ON CONFLICT DO UPDATE per result (profile keyed)",
    .needs_unique_key = 1,
    .stmt_cache = 1,
    .import = upsert_import,
};
