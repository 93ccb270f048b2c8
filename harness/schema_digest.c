/* schema_digest.c: reading a database back canonically. The digest of one job
 * depends only on what an import decides (names, statistics, the results'
 * values in key order), never on ids, timestamps or other jobs, so the same
 * input gives the same digest in any database; the snapshot covers the rest,
 * ids included, so a test can tell that an import left it alone. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "sha256.h"

const char *const schema_row_field_names[SCHEMA_ROW_FIELDS] = {
    "file_path", "class_name", "test_name", "status", "setup_ip", "jenkins_topology",
    "order_index", "was_rerun", "rerun_still_failed", "failure_message", "priority",
    "topology_metadata", "testcase_module"};

/* A field's prefix: "S<length>:" for text, "N" for NULL. Every field is
 * length-prefixed, NULL distinct from "", so that no two different sequences
 * of fields give the same bytes. Returns the prefix's length. */
static int field_prefix(const char *s, size_t len, char out[24])
{
    if (!s) {
        out[0] = 'N';
        return 1;
    }
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + len % 10);
        len /= 10;
    } while (len);
    out[0] = 'S';
    for (int i = 0; i < n; i++)
        out[1 + i] = digits[n - 1 - i];
    out[1 + n] = ':';
    return n + 2;
}

static void hash_field(struct sha256 *h, const char *s)
{
    char prefix[24];
    size_t len = s ? strlen(s) : 0;
    sha256_update(h, prefix, (size_t)field_prefix(s, len, prefix));
    if (s)
        sha256_update(h, s, len);
}

/* The job's row id and statistics; *found 0 when there is no such job. */
static int find_job(struct db *db, const char *release, const char *module, const char *job_id,
                    int64_t *row, int64_t counts[4], double *pass_rate, int *found,
                    struct ib_error *err)
{
    struct db_stmt *st;
    if (db_prepare(db, "SELECT j.id, j.total, j.passed, j.failed, j.skipped, j.pass_rate"
                       " FROM jobs j JOIN modules m ON m.id = j.module_id"
                       " JOIN releases r ON r.id = m.release_id"
                       " WHERE r.name = ? AND m.name = ? AND j.job_id = ?",
                   DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    db_bind_text(st, 1, release);
    db_bind_text(st, 2, module);
    db_bind_text(st, 3, job_id);
    int rc = db_step(st, err);
    *found = rc == DB_ROW;
    *row = -1;
    memset(counts, 0, 4 * sizeof *counts);
    *pass_rate = 0.0;
    if (rc == DB_ROW) {
        *row = db_column_int64(st, 0);
        for (int i = 0; i < 4; i++)
            counts[i] = db_column_int64(st, 1 + i);
        *pass_rate = db_column_double(st, 5);
    }
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

/* The rows of job `row`, in digest order when `ordered`, else as stored. */
static int each_row(struct db *db, int64_t row, int ordered, schema_row_fn fn, void *ctx,
                    struct ib_error *err)
{
    /* Ordered by every field, so that even a job holding a key twice (which a
     * correct import never leaves) lists the same way in any database. */
    static const char select[] =
        "SELECT file_path, class_name, test_name, status, setup_ip,"
        " jenkins_topology, order_index, was_rerun, rerun_still_failed,"
        " failure_message, priority, topology_metadata, testcase_module"
        " FROM test_results WHERE job_id = ?";
    static const char order[] = " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13";
    char sql[sizeof select + sizeof order];
    snprintf(sql, sizeof sql, "%s%s", select, ordered ? order : "");
    struct db_stmt *st;
    if (db_prepare(db, sql, DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    db_bind_int64(st, 1, row);
    int rc, status = IB_OK;
    while (status == IB_OK && (rc = db_step(st, err)) == DB_ROW) {
        const char *fields[SCHEMA_ROW_FIELDS];
        for (int i = 0; i < SCHEMA_ROW_FIELDS; i++)
            fields[i] = db_column_text(st, i);
        status = fn(ctx, fields);
    }
    db_stmt_done(st);
    return status == IB_OK && rc < 0 ? IB_ERR : status;
}

int schema_each_job_row(struct db *db, const char *release, const char *module,
                        const char *job_id, schema_row_fn fn, void *ctx, struct ib_error *err)
{
    int64_t row, counts[4];
    double rate;
    int found;
    if (find_job(db, release, module, job_id, &row, counts, &rate, &found, err) != IB_OK)
        return IB_ERR;
    return found ? each_row(db, row, 1, fn, ctx, err) : IB_OK;
}

/* One row's canonical encoding ("R", then each field as hash_field writes it),
 * kept for sorting in memory: sorting pointers here is several times faster
 * than letting the database sort whole rows, which matters at a million. */
struct encoded_row {
    const char *bytes;
    size_t len;
    uint32_t key_off[3], key_len[3];
};

struct encoder {
    struct arena *arena;
    struct encoded_row *rows;
    size_t n, cap;
    int out_of_memory;
};

static int encode_row(void *ctx, const char *const *fields)
{
    struct encoder *e = ctx;
    size_t lens[SCHEMA_ROW_FIELDS], total = 1;
    char prefix[SCHEMA_ROW_FIELDS][24];
    int plen[SCHEMA_ROW_FIELDS];
    for (int i = 0; i < SCHEMA_ROW_FIELDS; i++) {
        lens[i] = fields[i] ? strlen(fields[i]) : 0;
        plen[i] = field_prefix(fields[i], lens[i], prefix[i]);
        total += (size_t)plen[i] + lens[i];
    }
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 1024;
        void *more = realloc(e->rows, cap * sizeof *e->rows);
        if (!more)
            return e->out_of_memory = IB_ERR;
        e->rows = more;
        e->cap = cap;
    }
    char *p = arena_alloc_bytes(e->arena, total);
    if (!p)
        return e->out_of_memory = IB_ERR;
    struct encoded_row *r = &e->rows[e->n++];
    r->bytes = p;
    r->len = total;
    *p++ = 'R';
    for (int i = 0; i < SCHEMA_ROW_FIELDS; i++) {
        memcpy(p, prefix[i], (size_t)plen[i]);
        p += plen[i];
        if (i < 3) {
            r->key_off[i] = (uint32_t)(p - r->bytes);
            r->key_len[i] = (uint32_t)lens[i];
        }
        memcpy(p, fields[i] ? fields[i] : "", lens[i]);
        p += lens[i];
    }
    return IB_OK;
}

static int bytes_cmp(const char *a, size_t la, const char *b, size_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* Key order, bytewise as SQLite's BINARY collation; then the whole encoding. */
static int encoded_order(const void *x, const void *y)
{
    const struct encoded_row *a = x, *b = y;
    for (int i = 0; i < 3; i++) {
        int c = bytes_cmp(a->bytes + a->key_off[i], a->key_len[i], b->bytes + b->key_off[i],
                          b->key_len[i]);
        if (c)
            return c;
    }
    return bytes_cmp(a->bytes, a->len, b->bytes, b->len);
}

/* The job's rows, hashed in key order. */
static int hash_rows(struct db *db, int64_t row, struct sha256 *h, struct ib_error *err)
{
    struct encoder e = {.arena = arena_new()};
    int status = e.arena ? each_row(db, row, 0, encode_row, &e, err) : IB_ERR;
    if (!e.arena || e.out_of_memory)
        status = ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
    if (status == IB_OK) {
        if (e.n)
            qsort(e.rows, e.n, sizeof *e.rows, encoded_order);
        for (size_t i = 0; i < e.n; i++)
            sha256_update(h, e.rows[i].bytes, e.rows[i].len);
    }
    arena_free(e.arena);
    free(e.rows);
    return status;
}

int schema_digest_job(struct db *db, const char *release, const char *module,
                      const char *job_id, char out[65], struct ib_error *err)
{
    int64_t row, counts[4];
    double rate;
    int found;
    if (find_job(db, release, module, job_id, &row, counts, &rate, &found, err) != IB_OK)
        return IB_ERR;
    struct sha256 h;
    sha256_init(&h);
    hash_field(&h, "importbench job digest 1");
    hash_field(&h, release);
    hash_field(&h, module);
    hash_field(&h, job_id);
    char num[64];
    for (int i = 0; i < 4; i++) {
        snprintf(num, sizeof num, "%lld", (long long)counts[i]);
        hash_field(&h, num);
    }
    snprintf(num, sizeof num, "%.2f", rate);
    hash_field(&h, num);
    if (found && hash_rows(db, row, &h, err) != IB_OK)
        return IB_ERR;
    sha256_hex(&h, out);
    return IB_OK;
}

/* Count, max id and every column of the rows of one table that `where`
 * selects (binding `job_row` when it has a `?`), hashed in id order. */
static int snapshot_table(struct db *db, const char *table, const char *where, int64_t job_row,
                          int64_t *rows, int64_t *max_id, struct sha256 *h,
                          struct ib_error *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT * FROM %s %s ORDER BY id", table, where);
    struct db_stmt *st;
    if (db_prepare(db, sql, DB_ROLE_PLAIN, &st, err) != IB_OK)
        return IB_ERR;
    if (strchr(where, '?'))
        db_bind_int64(st, 1, job_row);
    *rows = 0;
    *max_id = 0;
    hash_field(h, table);
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int n = db_column_count(st);
        sha256_update(h, "R", 1);
        for (int i = 0; i < n; i++)
            hash_field(h, db_column_text(st, i));
        (*rows)++;
        *max_id = db_column_int64(st, 0);
    }
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

int schema_snapshot_outside(struct db *db, const char *release, const char *module,
                            const char *job_id, struct schema_outside *out,
                            struct ib_error *err)
{
    static const char *const tables[5] = {"releases", "modules", "jobs", "test_results",
                                          "testcase_metadata"};
    static const char *const wheres[5] = {"", "", "WHERE id != ?", "WHERE job_id != ?", ""};
    int64_t row, counts[4];
    double rate;
    int found;
    if (find_job(db, release, module, job_id, &row, counts, &rate, &found, err) != IB_OK)
        return IB_ERR;
    struct sha256 h;
    sha256_init(&h);
    for (int t = 0; t < 5; t++)
        if (snapshot_table(db, tables[t], wheres[t], row, &out->rows[t], &out->max_ids[t], &h,
                           err) != IB_OK)
            return IB_ERR;
    sha256_hex(&h, out->other_results_digest);
    return IB_OK;
}
