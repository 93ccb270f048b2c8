/* strategy_batch_inject.c: test-only regressions of `batch`, for proving that
 * the gate and scripts/compare-revisions catch what they claim to catch
 * (scripts/gate-selftest). Compiled only when CMake is configured with
 * -DIB_INJECT_REGRESSION=NAME; the build then renames strategy_batch.c's
 * strategy to strategy_batch_clean and this file's takes its place, so the
 * normal build's sources and objects are exactly what they are without it.
 *
 *   select-per-key  each key looked up with its own SELECT (the N+1 returns)
 *   linear-scan     the in-memory lookup scans a list instead of the keymap;
 *                   rows inserted join the list, as in an ORM's session, so
 *                   the work is quadratic even on a fresh job
 *   slow30          the clean import, then busy work proportional to its own
 *                   time: uniformly slower, statements unchanged */
#include "strategy.h"

#include <stdlib.h>
#include <string.h>

#include "probe.h"

#if defined(IB_INJECT_SELECT_PER_KEY) + defined(IB_INJECT_LINEAR_SCAN) + \
        defined(IB_INJECT_SLOW30) != 1
#error "define exactly one of IB_INJECT_SELECT_PER_KEY, IB_INJECT_LINEAR_SCAN, IB_INJECT_SLOW30"
#endif

extern const struct strategy strategy_batch_clean;

#if defined(IB_INJECT_SELECT_PER_KEY)

#define INJECT_NAME "select-per-key"
#define INJECT_LOOKUP_SQL                                                        \
    "SELECT " STRATEGY_ROW_COLUMNS " FROM test_results"                          \
    " WHERE job_id = ? AND file_path = ? AND class_name = ? AND test_name = ?"

static int lookup_key(const struct import_ctx *ctx, size_t i, int64_t *id,
                      struct ib_error *err)
{
    const struct job_result *r = &ctx->job->results[i];
    struct db_stmt *st;
    if (db_prepare(ctx->db, INJECT_LOOKUP_SQL, DB_ROLE_LOOKUP, &st, err) != IB_OK)
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

static int inject_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                         struct ib_error *err)
{
    int status = IB_OK;
    for (size_t i = 0; status == IB_OK && i < ctx->job->count; i++) {
        int64_t id;
        double t0 = probe_now();
        status = lookup_key(ctx, i, &id, err);
        double t1 = probe_now();
        if (status == IB_OK && id >= 0) {
            status = strategy_update_one(ctx, i, id, err);
            out->updated++;
        } else if (status == IB_OK) {
            status = strategy_insert_one(ctx, i, err);
            out->inserted++;
        }
        out->lookup_s += t1 - t0;
        out->write_s += probe_now() - t1;
    }
    return status;
}

#elif defined(IB_INJECT_LINEAR_SCAN)

#define INJECT_NAME "linear-scan"
#define INJECT_LOOKUP_SQL \
    "SELECT " STRATEGY_ROW_COLUMNS " FROM test_results WHERE job_id = ?"

struct seen {
    const char *file_path, *class_name, *test_name;  /* NULL read as "" */
    int64_t id;
};

struct seen_list {
    struct seen *items;
    size_t count, cap;
    char **copies;                   /* key strings of loaded rows, owned */
    size_t ncopies;
};

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static int seen_add(struct seen_list *l, const char *fp, const char *cn, const char *tn,
                    int64_t id)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        struct seen *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return -1;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->count++] = (struct seen){or_empty(fp), or_empty(cn), or_empty(tn), id};
    return 0;
}

/* The regression itself: every key compared in turn, in full. */
static int seen_find(const struct seen_list *l, const struct job_result *r, int64_t *id)
{
    const char *fp = or_empty(r->file_path), *cn = or_empty(r->class_name),
               *tn = or_empty(r->test_name);
    for (size_t i = 0; i < l->count; i++) {
        const struct seen *s = &l->items[i];
        if (!strcmp(s->file_path, fp) && !strcmp(s->class_name, cn) &&
            !strcmp(s->test_name, tn)) {
            *id = s->id;
            return 1;
        }
    }
    return 0;
}

static void seen_free(struct seen_list *l)
{
    for (size_t i = 0; i < l->ncopies; i++)
        free(l->copies[i]);
    free(l->copies);
    free(l->items);
}

/* A row's three key columns copied into one allocation. */
static int seen_load_row(struct seen_list *l, struct db_stmt *st)
{
    const char *k[3];
    size_t len[3], total = 0;
    for (int j = 0; j < 3; j++) {
        k[j] = or_empty(db_column_text(st, 2 + j));
        len[j] = strlen(k[j]) + 1;
        total += len[j];
    }
    char **copies = realloc(l->copies, (l->ncopies + 1) * sizeof *copies);
    if (!copies)
        return -1;
    l->copies = copies;
    char *buf = malloc(total);
    if (!buf)
        return -1;
    copies[l->ncopies++] = buf;
    memcpy(buf, k[0], len[0]);
    memcpy(buf + len[0], k[1], len[1]);
    memcpy(buf + len[0] + len[1], k[2], len[2]);
    return seen_add(l, buf, buf + len[0], buf + len[0] + len[1], db_column_int64(st, 0));
}

static int seen_load(const struct import_ctx *ctx, struct seen_list *l, struct ib_error *err)
{
    struct db_stmt *st;
    if (db_prepare(ctx->db, INJECT_LOOKUP_SQL, DB_ROLE_LOOKUP, &st, err) != IB_OK)
        return IB_ERR;
    db_bind_int64(st, 1, ctx->job_row);
    int rc, status = IB_OK;
    while (status == IB_OK && (rc = db_step(st, err)) == DB_ROW)
        if (seen_load_row(l, st))
            status = ib_fail(err, IB_ERR, "%s: out of memory", db_path(ctx->db));
    db_stmt_done(st);
    return status == IB_OK && rc < 0 ? IB_ERR : status;
}

static int inject_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                         struct ib_error *err)
{
    struct seen_list l = {0};
    double t0 = probe_now();
    int status = seen_load(ctx, &l, err);
    double t1 = probe_now();
    for (size_t i = 0; status == IB_OK && i < ctx->job->count; i++) {
        const struct job_result *r = &ctx->job->results[i];
        int64_t id;
        if (seen_find(&l, r, &id)) {
            status = strategy_update_one(ctx, i, id, err);
            out->updated++;
            continue;
        }
        status = strategy_insert_one(ctx, i, err);
        out->inserted++;
        if (status == IB_OK &&
            seen_add(&l, r->file_path, r->class_name, r->test_name, db_last_insert_id(ctx->db)))
            status = ib_fail(err, IB_ERR, "%s: out of memory", db_path(ctx->db));
    }
    out->lookup_s = t1 - t0;
    out->write_s = probe_now() - t1;
    out->lookup_map_bytes = l.cap * sizeof *l.items;
    seen_free(&l);
    return status;
}

#else /* IB_INJECT_SLOW30 */

#define INJECT_NAME "slow30"
#define INJECT_LOOKUP_SQL \
    "SELECT " STRATEGY_ROW_COLUMNS " FROM test_results WHERE job_id = ?"

/* The share of the whole import's time to add, as a multiple of the
 * strategy's own: lookups and writes are about half of a quick cell's import
 * (parse and commit are the rest), so 0.6 of them is about 30% of it. */
#define SLOW_FACTOR 0.6

static int inject_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                         struct ib_error *err)
{
    double t0 = probe_now();
    int status = strategy_batch_clean.import(ctx, out, err);
    double own = probe_now() - t0, until = t0 + own * (1 + SLOW_FACTOR);
    volatile unsigned long spins = 0;
    while (probe_now() < until)
        spins++;
    out->write_s += probe_now() - t0 - own;
    return status;
}

#endif

const struct strategy strategy_batch = {
    .name = "batch",
    .summary = "the fix, with an injected regression (" INJECT_NAME "): test builds only",
    .lookup_sql = INJECT_LOOKUP_SQL,
    .stmt_cache = 1,
    .import = inject_import,
};
