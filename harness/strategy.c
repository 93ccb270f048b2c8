/* strategy.c: the registry of import strategies, and the row binding and
 * single-row statements they share, so that every strategy writes exactly the
 * same values. */
#include "strategy.h"

#include <string.h>

static const struct strategy *const all[] = {
    &strategy_n1,   &strategy_n1_deferred, &strategy_n1_nocache, &strategy_batch,
    &strategy_bulk, &strategy_upsert,      &strategy_floor,       &strategy_copy,
    &strategy_n1_pipelined,
};

int strategy_runs_on(const struct strategy *st, enum db_backend b)
{
    return !st->backends || (st->backends & (1u << b));
}

const struct strategy *strategy_find(const char *name)
{
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(all[i]->name, name))
            return all[i];
    return NULL;
}

const struct strategy *const *strategy_all(size_t *count)
{
    *count = sizeof all / sizeof all[0];
    return all;
}

int strategy_bind_result(struct db_stmt *st, int first, const struct import_ctx *ctx, size_t i)
{
    const struct job_result *r = &ctx->job->results[i];
    db_bind_int64(st, first, ctx->job_row);
    db_bind_text(st, first + 1, r->file_path);
    db_bind_text(st, first + 2, r->class_name);
    db_bind_text(st, first + 3, r->test_name);
    first = strategy_bind_update(st, first + 4, ctx, i);
    db_bind_text(st, first, ctx->created_at);
    return first + 1;
}

int strategy_bind_update(struct db_stmt *st, int first, const struct import_ctx *ctx, size_t i)
{
    const struct job_result *r = &ctx->job->results[i];
    db_bind_text(st, first, result_status_name(r->status));
    db_bind_text(st, first + 1, r->jenkins_topology);
    db_bind_int64(st, first + 2, r->order_index);
    db_bind_int64(st, first + 3, r->was_rerun);
    db_bind_int64(st, first + 4, r->rerun_still_failed);
    db_bind_text(st, first + 5, r->failure_message);
    db_bind_text(st, first + 6, ctx->priorities ? ctx->priorities[i] : NULL);
    db_bind_text(st, first + 7, r->testcase_module);
    return first + STRATEGY_UPDATE_NCOLS;
}

static int run_once(struct db_stmt *st, struct ib_error *err)
{
    int rc = db_step(st, err);
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

int strategy_insert_one(const struct import_ctx *ctx, size_t i, struct ib_error *err)
{
    struct db_stmt *st;
    if (db_prepare(ctx->db,
                   "INSERT INTO test_results (" STRATEGY_RESULT_COLUMNS ")"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    strategy_bind_result(st, 1, ctx, i);
    return run_once(st, err);
}

int strategy_update_one(const struct import_ctx *ctx, size_t i, int64_t id,
                        struct ib_error *err)
{
    struct db_stmt *st;
    if (db_prepare(ctx->db,
                   "UPDATE test_results SET status = ?, jenkins_topology = ?, order_index = ?,"
                   " was_rerun = ?, rerun_still_failed = ?, failure_message = ?, priority = ?,"
                   " testcase_module = ? WHERE id = ?",
                   DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    db_bind_int64(st, strategy_bind_update(st, 1, ctx, i), id);
    return run_once(st, err);
}
