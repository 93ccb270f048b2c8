/* strategy_floor.c: the lower bound: plain INSERTs into a job known to be
 * empty, no lookup at all. The importer refuses it on a job that has rows. */
#include "strategy.h"

#include "probe.h"

static int floor_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                        struct ib_error *err)
{
    double t0 = probe_now();
    int status = IB_OK;
    for (size_t i = 0; status == IB_OK && i < ctx->job->count; i++)
        if ((status = strategy_insert_one(ctx, i, err)) == IB_OK)
            out->inserted++;
    out->write_s = probe_now() - t0;
    return status;
}

const struct strategy strategy_floor = {
    .name = "floor",
    .summary = "lower bound: one plain INSERT per result into an empty job",
    .needs_empty_job = 1,
    .stmt_cache = 1,
    .import = floor_import,
};
