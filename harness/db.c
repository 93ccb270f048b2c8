/* db.c: the calls of db.h, each passed to the backend that the connection (or
 * the configuration) names, and the statement cache that both backends share:
 * prepared statements kept by their SQL text, as a driver with a statement
 * cache keeps them; with the cache off every db_prepare makes a new one, as an
 * ORM without one does. Nothing here knows an engine. */
#include "db_impl.h"

#include <stdlib.h>
#include <string.h>

static const char *const backend_names[DB_BACKEND_COUNT] = {"sqlite", "postgres"};

const char *db_backend_name(enum db_backend b)
{
    return (unsigned)b < DB_BACKEND_COUNT ? backend_names[b] : "?";
}

int db_backend_parse(const char *name, enum db_backend *out)
{
    for (int b = 0; b < DB_BACKEND_COUNT; b++)
        if (!strcmp(name, backend_names[b])) {
            *out = (enum db_backend)b;
            return IB_OK;
        }
    return IB_EUSAGE;
}

static const struct db_ops *ops_for(enum db_backend b)
{
    return b == DB_BACKEND_POSTGRES ? &db_pg_ops : &db_sqlite_ops;
}

/* Both backends' structs begin with their head, and that with their table
 * (db_impl.h). */
#define OPS(x) (*(const struct db_ops *const *)(const void *)(x))
#define DB_HEAD(db) ((struct db_head *)(void *)(db))
#define STMT_HEAD(st) ((struct db_stmt_head *)(void *)(st))

int db_open(struct db **out, const struct db_config *cfg, struct ib_error *err)
{
    int rc = ops_for(cfg->backend)->open(out, cfg, err);
    if (rc == IB_OK)
        DB_HEAD(*out)->stmt_cache = 1;
    return rc;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (struct db_stmt_head *s = DB_HEAD(db)->cache, *next; s; s = next) {
        next = s->next;
        free(s->sql);
        s->ops->stmt_free((struct db_stmt *)s);
    }
    OPS(db)->close(db);
}

int db_exec(struct db *db, const char *sql, struct ib_error *err)
{
    return OPS(db)->exec(db, sql, err);
}

/* A filter for the cache, not an identity (the text is compared in full on a
 * hit): the length and the first and last 32 bytes. Hashing every byte of a
 * statement at every run cost more than the lookup it saved. */
static uint64_t sql_hash(const char *sql)
{
    size_t len = strlen(sql);
    uint64_t h = 14695981039346656037u ^ len;
    const unsigned char *p = (const unsigned char *)sql;
    for (size_t i = 0; i < len && i < 32; i++)
        h = (h ^ p[i]) * 1099511628211u;
    for (size_t i = len > 32 ? len - 32 : len; i < len; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* The cached statement of that text, busy or not. */
static struct db_stmt_head *cache_find(const struct db_head *h, const char *sql, uint64_t hash)
{
    for (struct db_stmt_head *s = h->cache; s; s = s->next)
        if (s->hash == hash && !strcmp(s->sql, sql))
            return s;
    return NULL;
}

/* A new statement, kept in the cache when `kept`. */
static int stmt_make(struct db *db, const char *sql, uint64_t hash, int kept,
                     struct db_stmt_head **out, struct ib_error *err)
{
    struct db_head *h = DB_HEAD(db);
    struct db_stmt *st;
    if (h->ops->stmt_new(db, sql, kept, &st, err) != IB_OK)
        return IB_ERR;
    struct db_stmt_head *s = STMT_HEAD(st);
    s->ops = h->ops;
    s->db = db;
    s->hash = hash;
    if (kept) {
        if (!(s->sql = strdup(sql))) {
            h->ops->stmt_free(st);
            return ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
        }
        s->next = h->cache;
        h->cache = s;
    }
    *out = s;
    return IB_OK;
}

int db_prepare(struct db *db, const char *sql, enum db_stmt_role role, struct db_stmt **out,
               struct ib_error *err)
{
    struct db_head *h = DB_HEAD(db);
    *out = NULL;
    uint64_t hash = sql_hash(sql);
    struct db_stmt_head *cached = h->stmt_cache ? cache_find(h, sql, hash) : NULL;
    struct db_stmt_head *s = cached && !cached->in_use ? cached : NULL;
    /* Only the first statement of a text is kept: a nested use of a text
     * already running gets an uncached twin, freed when done; so does
     * everything with the cache off. */
    if (!s && stmt_make(db, sql, hash, h->stmt_cache && !cached, &s, err) != IB_OK)
        return IB_ERR;
    s->role = role;
    s->in_use = 1;
    s->stepped = 0;
    *out = (struct db_stmt *)s;
    return IB_OK;
}

void db_set_stmt_cache(struct db *db, int enabled)
{
    DB_HEAD(db)->stmt_cache = enabled;
}

void db_bind_text(struct db_stmt *st, int idx, const char *text)
{
    OPS(st)->bind_text(st, idx, text);
}

void db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    OPS(st)->bind_int64(st, idx, v);
}

void db_bind_double(struct db_stmt *st, int idx, double v)
{
    OPS(st)->bind_double(st, idx, v);
}

void db_bind_null(struct db_stmt *st, int idx)
{
    OPS(st)->bind_null(st, idx);
}

int db_step(struct db_stmt *st, struct ib_error *err)
{
    return OPS(st)->step(st, err);
}

int64_t db_column_int64(struct db_stmt *st, int col)
{
    return OPS(st)->column_int64(st, col);
}

double db_column_double(struct db_stmt *st, int col)
{
    return OPS(st)->column_double(st, col);
}

const char *db_column_text(struct db_stmt *st, int col)
{
    return OPS(st)->column_text(st, col);
}

int db_column_is_null(struct db_stmt *st, int col)
{
    return OPS(st)->column_is_null(st, col);
}

int db_column_count(struct db_stmt *st)
{
    return OPS(st)->column_count(st);
}

void db_stmt_done(struct db_stmt *st)
{
    if (!st)
        return;
    struct db_stmt_head *s = STMT_HEAD(st);
    s->ops->stmt_done(st);
    if (s->role == DB_ROLE_LOOKUP && s->stepped)
        DB_HEAD(s->db)->counts.lookups++;
    if (s->sql)
        s->in_use = 0;
    else
        s->ops->stmt_free(st);
}

int db_begin(struct db *db, struct ib_error *err)
{
    return OPS(db)->begin(db, err);
}

int db_commit(struct db *db, struct ib_error *err)
{
    return OPS(db)->commit(db, err);
}

void db_rollback(struct db *db)
{
    OPS(db)->rollback(db);
}

int64_t db_last_insert_id(struct db *db)
{
    return OPS(db)->last_insert_id(db);
}

int64_t db_changes(struct db *db)
{
    return OPS(db)->changes(db);
}

const char *db_path(const struct db *db)
{
    return OPS(db)->path(db);
}

int db_max_variables(struct db *db)
{
    return OPS(db)->max_variables(db);
}

int db_set_max_variables(struct db *db, int n)
{
    return OPS(db)->set_max_variables(db, n);
}

int db_query_plan(struct db *db, const char *sql, char *out, size_t outlen,
                  struct ib_error *err)
{
    return OPS(db)->query_plan(db, sql, out, outlen, err);
}

const struct probe_counts *db_counts(const struct db *db)
{
    return &((const struct db_head *)(const void *)db)->counts;
}

void db_counts_reset(struct db *db)
{
    memset(&DB_HEAD(db)->counts, 0, sizeof DB_HEAD(db)->counts);
}

enum db_backend db_backend_of(const struct db *db)
{
    return OPS(db) == &db_pg_ops ? DB_BACKEND_POSTGRES : DB_BACKEND_SQLITE;
}

double db_measured_rtt_us(const struct db *db)
{
    return OPS(db)->measured_rtt_us ? OPS(db)->measured_rtt_us(db) : 0.0;
}

static int no_copy(struct db *db, struct ib_error *err)
{
    return ib_fail(err, IB_EUSAGE, "%s: COPY needs the postgres backend", db_path(db));
}

int db_copy_begin(struct db *db, const char *sql, struct ib_error *err)
{
    return OPS(db)->copy_begin ? OPS(db)->copy_begin(db, sql, err) : no_copy(db, err);
}

int db_copy_put(struct db *db, const char *data, size_t len, struct ib_error *err)
{
    return OPS(db)->copy_put ? OPS(db)->copy_put(db, data, len, err) : no_copy(db, err);
}

int db_copy_end(struct db *db, int64_t *rows, struct ib_error *err)
{
    return OPS(db)->copy_end ? OPS(db)->copy_end(db, rows, err) : no_copy(db, err);
}

int db_database_exists(const struct db_config *cfg, int *exists, struct ib_error *err)
{
    return ops_for(cfg->backend)->database_exists(cfg, exists, err);
}

int db_database_remove(const struct db_config *cfg, struct ib_error *err)
{
    return ops_for(cfg->backend)->database_remove(cfg, err);
}

int db_database_clone(const struct db_config *from, const char *to, struct ib_error *err)
{
    return ops_for(from->backend)->database_clone(from, to, err);
}
