/* db_sqlite.c: the SQLite backend behind db.h.
 *
 * Besides running statements it is where the probes count: statements by kind
 * through sqlite3_trace_v2 (every statement that starts running, whoever
 * issued it), and VM and full-scan steps through sqlite3_stmt_status, read and
 * reset after every run so that the 32-bit counters never wrap. db.c keeps
 * the statement cache; a statement is compiled here whether it is kept or
 * not. */
#include "db_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#define DB_DEFAULT_BUSY_MS 5000

struct db_stmt {
    struct db_stmt_head head;  /* first: db.c's (db_impl.h) */
    sqlite3_stmt *st;
};

struct db {
    struct db_head head;       /* first: db.c's (db_impl.h) */
    sqlite3 *h;
    char *path;
};

static int db_error(struct db *db, int rc, struct ib_error *err)
{
    const char *why = db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    return ib_fail(err, IB_ERR, "%s: %s", db->path, why);
}

/* The kind of a statement, by its first keyword. */
static void count_statement(struct probe_counts *c, const char *sql)
{
    while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r' || *sql == '(')
        sql++;
    if (!sqlite3_strnicmp(sql, "SELECT", 6) || !sqlite3_strnicmp(sql, "WITH", 4))
        c->select++;
    else if (!sqlite3_strnicmp(sql, "INSERT", 6) || !sqlite3_strnicmp(sql, "REPLACE", 7))
        c->insert++;
    else if (!sqlite3_strnicmp(sql, "UPDATE", 6))
        c->update++;
    else
        c->other++;
}

static int trace_cb(unsigned type, void *ctx, void *p, void *x)
{
    (void)p;
    const char *sql = x;
    /* Statements inside triggers arrive as "-- TRIGGER name": they are part
     * of the statement that fired them, not statements of their own. */
    if (type == SQLITE_TRACE_STMT && sql && strncmp(sql, "--", 2) != 0)
        count_statement(&((struct db *)ctx)->head.counts, sql);
    return 0;
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void sq_close(struct db *db);
static int sq_exec(struct db *db, const char *sql, struct ib_error *err);

static int sq_open(struct db **out, const struct db_config *cfg, struct ib_error *err)
{
    *out = NULL;
    int memory = !strcmp(cfg->path, ":memory:");
    if (!memory && !cfg->create && !file_exists(cfg->path))
        return ib_fail(err, IB_ERR, "%s: no such file", cfg->path);
    struct db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(cfg->path))) {
        free(db);
        return ib_fail(err, IB_ERR, "%s: out of memory", cfg->path);
    }
    db->head.ops = &db_sqlite_ops;
    /* One connection is used by one thread: SQLite's own mutexes are waste. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (cfg->create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(cfg->path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        db_error(db, rc, err);
        sq_close(db);
        return IB_ERR;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, cfg->busy_timeout_ms > 0 ? cfg->busy_timeout_ms
                                                         : DB_DEFAULT_BUSY_MS);
    sqlite3_trace_v2(db->h, SQLITE_TRACE_STMT, trace_cb, db);
    /* The settings the application runs with: SQLite's default rollback
     * journal, and synchronous FULL, so that a commit is durable. */
    if (sq_exec(db, "PRAGMA synchronous = FULL", err) != IB_OK) {
        sq_close(db);
        return IB_ERR;
    }
    *out = db;
    return IB_OK;
}

static void sq_close(struct db *db)
{
    if (!db)
        return;
    sqlite3_close(db->h);
    free(db->path);
    free(db);
}

static int sq_exec(struct db *db, const char *sql, struct ib_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        ib_fail(err, IB_ERR, "%s: %s", db->path, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return IB_ERR;
    }
    return IB_OK;
}

static int sq_stmt_new(struct db *db, const char *sql, int kept, struct db_stmt **out,
                       struct ib_error *err)
{
    (void)kept;
    struct db_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return ib_fail(err, IB_ERR, "%s: out of memory", db->path);
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &s->st, NULL);
    if (rc != SQLITE_OK) {
        free(s);
        return db_error(db, rc, err);
    }
    *out = s;
    return IB_OK;
}

static void sq_stmt_free(struct db_stmt *st)
{
    sqlite3_finalize(st->st);
    free(st);
}

static void sq_bind_text(struct db_stmt *st, int idx, const char *text)
{
    if (text)
        sqlite3_bind_text(st->st, idx, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st->st, idx);
}

static void sq_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(st->st, idx, v);
}

static void sq_bind_double(struct db_stmt *st, int idx, double v)
{
    sqlite3_bind_double(st->st, idx, v);
}

static void sq_bind_null(struct db_stmt *st, int idx)
{
    sqlite3_bind_null(st->st, idx);
}

static int sq_step(struct db_stmt *st, struct ib_error *err)
{
    st->head.stepped = 1;
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    db_error(st->head.db, rc, err);
    return -1;
}

static int64_t sq_column_int64(struct db_stmt *st, int col)
{
    return sqlite3_column_int64(st->st, col);
}

static double sq_column_double(struct db_stmt *st, int col)
{
    return sqlite3_column_double(st->st, col);
}

static const char *sq_column_text(struct db_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->st, col);
}

static int sq_column_is_null(struct db_stmt *st, int col)
{
    return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static int sq_column_count(struct db_stmt *st)
{
    return sqlite3_column_count(st->st);
}

static void sq_stmt_done(struct db_stmt *st)
{
    struct probe_counts *c = &st->head.db->head.counts;
    c->vm_steps += (uint64_t)sqlite3_stmt_status(st->st, SQLITE_STMTSTATUS_VM_STEP, 1);
    c->fullscan_steps +=
        (uint64_t)sqlite3_stmt_status(st->st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

static int sq_begin(struct db *db, struct ib_error *err)
{
    /* IMMEDIATE: take the write lock now, so that a busy database is found
     * (and waited for) at the start rather than half-way through. */
    return sq_exec(db, "BEGIN IMMEDIATE", err);
}

static int sq_commit(struct db *db, struct ib_error *err)
{
    return sq_exec(db, "COMMIT", err);
}

static void sq_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

static int64_t sq_last_insert_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

static int64_t sq_changes(struct db *db)
{
    return sqlite3_changes64(db->h);
}

static const char *sq_path(const struct db *db)
{
    return db->path;
}

static int sq_max_variables(struct db *db)
{
    return sqlite3_limit(db->h, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
}

static int sq_set_max_variables(struct db *db, int n)
{
    sqlite3_limit(db->h, SQLITE_LIMIT_VARIABLE_NUMBER, n);
    return sq_max_variables(db);
}

static int sq_query_plan(struct db *db, const char *sql, char *out, size_t outlen,
                         struct ib_error *err)
{
    char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    if (!eqp)
        return ib_fail(err, IB_ERR, "%s: out of memory", db->path);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, eqp, -1, &st, NULL);
    sqlite3_free(eqp);
    if (rc != SQLITE_OK)
        return db_error(db, rc, err);
    size_t used = 0;
    if (outlen)
        out[0] = '\0';
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        int n = snprintf(out + used, outlen - used, "%s%s", used ? "; " : "",
                         detail ? detail : "");
        if (n < 0 || (size_t)n >= outlen - used)
            break;  /* truncated: the plan's beginning is what matters */
        used += (size_t)n;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(db, rc, err);
    return IB_OK;
}

const char *db_engine_version(void)
{
    return "sqlite " SQLITE_VERSION;
}

static int sq_database_exists(const struct db_config *cfg, int *exists, struct ib_error *err)
{
    (void)err;
    *exists = !strcmp(cfg->path, ":memory:") || file_exists(cfg->path);
    return IB_OK;
}

static int sq_database_remove(const struct db_config *cfg, struct ib_error *err)
{
    char journal[4200];
    snprintf(journal, sizeof journal, "%s-journal", cfg->path);
    unlink(journal);
    if (unlink(cfg->path) != 0 && errno != ENOENT)
        return ib_fail(err, IB_ERR, "%s: %s", cfg->path, strerror(errno));
    return IB_OK;
}

/* A byte copy: the source is closed, so its file is the whole database. */
static int sq_database_clone(const struct db_config *from, const char *to,
                             struct ib_error *err)
{
    FILE *in = fopen(from->path, "rb"), *out = in ? fopen(to, "wbx") : NULL;
    char buf[65536];
    size_t n;
    int status = in && out ? IB_OK
                           : ib_fail(err, IB_ERR, "%s: %s", in ? to : from->path,
                                     strerror(errno));
    while (status == IB_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            status = ib_fail(err, IB_ERR, "%s: %s", to, strerror(errno));
    if (in && ferror(in) && status == IB_OK)
        status = ib_fail(err, IB_ERR, "%s: read error", from->path);
    if (out && fclose(out) != 0 && status == IB_OK)
        status = ib_fail(err, IB_ERR, "%s: %s", to, strerror(errno));
    if (in)
        fclose(in);
    return status;
}

const struct db_ops db_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .stmt_new = sq_stmt_new,
    .stmt_free = sq_stmt_free,
    .bind_text = sq_bind_text,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .column_is_null = sq_column_is_null,
    .column_count = sq_column_count,
    .stmt_done = sq_stmt_done,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .last_insert_id = sq_last_insert_id,
    .changes = sq_changes,
    .path = sq_path,
    .max_variables = sq_max_variables,
    .set_max_variables = sq_set_max_variables,
    .query_plan = sq_query_plan,
    .database_exists = sq_database_exists,
    .database_remove = sq_database_remove,
    .database_clone = sq_database_clone,
};
