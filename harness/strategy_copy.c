/* strategy_copy.c: PostgreSQL's own bulk path (the postgres backend only).
 * One narrow SELECT into a map, as bulk; then the new rows go in one
 * COPY test_results FROM STDIN, and the rows that exist in one COPY into a
 * temporary table and one UPDATE joining it by id. Rows travel in COPY's text
 * format: tab between columns, \N for NULL, and backslash, tab, newline and
 * carriage return escaped with a backslash. The values are those that
 * strategy_bind_result and strategy_bind_update bind. */
#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "probe.h"

#define COPY_LOOKUP_SQL \
    "SELECT id, file_path, class_name, test_name FROM test_results WHERE job_id = ?"
#define COPY_INSERT_SQL "COPY test_results (" STRATEGY_RESULT_COLUMNS ") FROM STDIN"
#define COPY_TEMP_SQL                                                            \
    "CREATE TEMPORARY TABLE ib_copy_updates (id INTEGER, status VARCHAR(7),"     \
    " jenkins_topology VARCHAR(100), order_index INTEGER, was_rerun BOOLEAN,"    \
    " rerun_still_failed BOOLEAN, failure_message TEXT, priority VARCHAR(2),"    \
    " testcase_module VARCHAR(100)) ON COMMIT DROP"
#define COPY_UPDATES_SQL "COPY ib_copy_updates FROM STDIN"
#define COPY_UPDATE_SQL                                                          \
    "UPDATE test_results SET status = u.status,"                                 \
    " jenkins_topology = u.jenkins_topology, order_index = u.order_index,"       \
    " was_rerun = u.was_rerun, rerun_still_failed = u.rerun_still_failed,"       \
    " failure_message = u.failure_message, priority = u.priority,"               \
    " testcase_module = u.testcase_module"                                       \
    " FROM ib_copy_updates u WHERE test_results.id = u.id"

/* Bytes of COPY data gathered before they are handed to the connection. */
#define COPY_FLUSH_BYTES (256 * 1024)

struct copybuf {
    struct db *db;
    char *p;
    size_t len, cap;
    int oom;
};

static void put_bytes(struct copybuf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : COPY_FLUSH_BYTES * 2;
        while (cap < b->len + n)
            cap *= 2;
        char *more = realloc(b->p, cap);
        if (!more) {
            b->oom = 1;
            return;
        }
        b->p = more;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* One column: text escaped, NULL as \N; a tab before all but the first. */
static void put_text(struct copybuf *b, int first, const char *s)
{
    if (!first)
        put_bytes(b, "\t", 1);
    if (!s) {
        put_bytes(b, "\\N", 2);
        return;
    }
    for (const char *run = s;; s++) {
        const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n"
                        : *s == '\r' ? "\\r" : NULL;
        if (!esc && *s)
            continue;
        put_bytes(b, run, (size_t)(s - run));
        if (!*s)
            return;
        put_bytes(b, esc, 2);
        run = s + 1;
    }
}

static void put_int(struct copybuf *b, int first, int64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)v);
    put_text(b, first, num);
}

/* The columns of STRATEGY_UPDATE_COLUMNS for result i. */
static void put_update_values(struct copybuf *b, const struct import_ctx *ctx, size_t i)
{
    const struct job_result *r = &ctx->job->results[i];
    put_text(b, 0, result_status_name(r->status));
    put_text(b, 0, r->jenkins_topology);
    put_int(b, 0, r->order_index);
    put_int(b, 0, r->was_rerun);
    put_int(b, 0, r->rerun_still_failed);
    put_text(b, 0, r->failure_message);
    put_text(b, 0, ctx->priorities ? ctx->priorities[i] : NULL);
    put_text(b, 0, r->testcase_module);
}

/* A whole row: STRATEGY_RESULT_COLUMNS for an insert, id and the update
 * columns for an update (id >= 0). */
static void put_row(struct copybuf *b, const struct import_ctx *ctx, size_t i, int64_t id)
{
    const struct job_result *r = &ctx->job->results[i];
    if (id >= 0) {
        put_int(b, 1, id);
        put_update_values(b, ctx, i);
    } else {
        put_int(b, 1, ctx->job_row);
        put_text(b, 0, r->file_path);
        put_text(b, 0, r->class_name);
        put_text(b, 0, r->test_name);
        put_update_values(b, ctx, i);
        put_text(b, 0, ctx->created_at);
    }
    put_bytes(b, "\n", 1);
}

static int flush(struct copybuf *b, struct ib_error *err)
{
    if (b->oom)
        return ib_fail(err, IB_ERR, "copy: out of memory");
    int status = db_copy_put(b->db, b->p, b->len, err);
    b->len = 0;
    return status;
}

/* One COPY of the results that `pick` selects: ids[i] < 0 for new rows
 * (updates: 0), ids[i] >= 0 for existing ones (updates: 1). */
static int copy_rows(const struct import_ctx *ctx, const char *sql, const int64_t *ids,
                     int updates, int64_t *rows, struct ib_error *err)
{
    struct copybuf b = {.db = ctx->db};
    int status = db_copy_begin(ctx->db, sql, err);
    for (size_t i = 0; status == IB_OK && i < ctx->job->count; i++) {
        if ((ids[i] >= 0) != updates)
            continue;
        put_row(&b, ctx, i, ids[i]);
        if (b.len >= COPY_FLUSH_BYTES || b.oom)
            status = flush(&b, err);
    }
    if (status == IB_OK && (b.len || b.oom))
        status = flush(&b, err);
    if (status == IB_OK) {
        status = db_copy_end(ctx->db, rows, err);
    } else if (b.oom) {
        struct ib_error ignored;  /* the copy must end before the rollback */
        db_copy_end(ctx->db, rows, &ignored);
    }
    free(b.p);
    return status;
}

/* The existing rows through a temporary table and one UPDATE ... FROM. */
static int copy_updates(const struct import_ctx *ctx, const int64_t *ids, uint64_t *updated,
                        struct ib_error *err)
{
    int64_t rows;
    if (db_exec(ctx->db, COPY_TEMP_SQL, err) != IB_OK ||
        copy_rows(ctx, COPY_UPDATES_SQL, ids, 1, &rows, err) != IB_OK)
        return IB_ERR;
    struct db_stmt *st;
    if (db_prepare(ctx->db, COPY_UPDATE_SQL, DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    int rc = db_step(st, err);
    db_stmt_done(st);
    if (rc < 0)
        return IB_ERR;
    *updated = (uint64_t)db_changes(ctx->db);
    return IB_OK;
}

static int copy_write(const struct import_ctx *ctx, const struct keymap *map,
                      struct strategy_outcome *out, struct ib_error *err)
{
    size_t n = ctx->job->count;
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return ib_fail(err, IB_ERR, "copy: out of memory");
    size_t nupdates = 0;
    for (size_t i = 0; i < n; i++) {
        const struct job_result *r = &ctx->job->results[i];
        if (!keymap_get(map, r->key_hash, r->file_path, r->class_name, r->test_name, &ids[i]))
            ids[i] = -1;
        else
            nupdates++;
    }
    int64_t inserted = 0;
    int status = IB_OK;
    if (nupdates < n)
        status = copy_rows(ctx, COPY_INSERT_SQL, ids, 0, &inserted, err);
    out->inserted = (uint64_t)inserted;
    if (status == IB_OK && nupdates)
        status = copy_updates(ctx, ids, &out->updated, err);
    free(ids);
    return status;
}

static int copy_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                       struct ib_error *err)
{
    struct keymap *map;
    double t0 = probe_now();
    int status = strategy_load_keymap(ctx, COPY_LOOKUP_SQL, 1, &map, err);
    double t1 = probe_now();
    if (status == IB_OK)
        status = copy_write(ctx, map, out, err);
    out->lookup_s = t1 - t0;
    out->write_s = probe_now() - t1;
    out->lookup_map_bytes = map ? keymap_bytes(map) : 0;
    keymap_free(map);
    return status;
}

const struct strategy strategy_copy = {
    .name = "copy",
    .summary = "postgres only: one narrow SELECT, COPY FROM STDIN for new rows and updates",
    .lookup_sql = COPY_LOOKUP_SQL,
    .stmt_cache = 1,
    .backends = 1u << DB_BACKEND_POSTGRES,
    .import = copy_import,
};
