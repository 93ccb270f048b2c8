/* strategy_n1_pipelined.c: n1-deferred with the waiting taken out (postgres
 * only): the same per-result SELECTs against the state before the import,
 * but sent in libpq's pipeline mode, a batch at a time, without waiting for
 * each answer; then the same one write per result. Against n1-deferred it
 * shows how much of the N+1 cost is round trips rather than work. */
#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_pg.h"
#include "probe.h"

#define PIPELINED_LOOKUP_SQL                                                     \
    "SELECT " STRATEGY_ROW_COLUMNS " FROM test_results"                          \
    " WHERE job_id = ? AND file_path = ? AND class_name = ? AND test_name = ?"   \
    " LIMIT 1"

/* Lookups sent before their answers are read: few enough that neither
 * side's socket buffer fills with the other not reading. */
#define PIPELINE_BATCH 100

struct lookups {
    const struct import_ctx *ctx;
    int64_t *ids;
};

static void lookup_params(void *arg, size_t i, const char **values, char (*buf)[32])
{
    const struct lookups *l = arg;
    const struct job_result *r = &l->ctx->job->results[i];
    snprintf(buf[0], sizeof buf[0], "%lld", (long long)l->ctx->job_row);
    values[0] = buf[0];
    values[1] = r->file_path;
    values[2] = r->class_name;
    values[3] = r->test_name;
}

static void lookup_answer(void *arg, size_t i, const char *id)
{
    const struct lookups *l = arg;
    l->ids[i] = id ? strtoll(id, NULL, 10) : -1;
}

static int pipelined_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                            struct ib_error *err)
{
    size_t n = ctx->job->count;
    struct lookups l = {.ctx = ctx, .ids = malloc((n ? n : 1) * sizeof *l.ids)};
    if (!l.ids)
        return ib_fail(err, IB_ERR, "n1-pipelined: out of memory");
    double t0 = probe_now();
    int status = db_pg_pipeline(ctx->db, PIPELINED_LOOKUP_SQL, DB_ROLE_LOOKUP, 4, n,
                                PIPELINE_BATCH, lookup_params, lookup_answer, &l, err);
    double t1 = probe_now();
    for (size_t i = 0; status == IB_OK && i < n; i++) {
        if (l.ids[i] < 0) {
            out->inserted++;
            status = strategy_insert_one(ctx, i, err);
        } else {
            out->updated++;
            status = strategy_update_one(ctx, i, l.ids[i], err);
        }
    }
    out->lookup_s = t1 - t0;
    out->write_s = probe_now() - t1;
    free(l.ids);
    return status;
}

const struct strategy strategy_n1_pipelined = {
    .name = "n1-pipelined",
    .summary = "postgres only: n1-deferred's lookups sent in pipeline mode, no wait each",
    .lookup_sql = PIPELINED_LOOKUP_SQL,
    .stmt_cache = 1,
    .lookup_per_result = 1,
    .backends = 1u << DB_BACKEND_POSTGRES,
    .import = pipelined_import,
};
