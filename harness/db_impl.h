/* db_impl.h: what a backend provides behind db.h. db.c dispatches every call
 * through the table of the backend that a connection was opened with; each
 * backend's struct db and struct db_stmt begin with a head (below) whose first
 * member is a pointer to that table, so that the dispatcher finds it without
 * knowing the rest. Entries a backend cannot do (COPY on SQLite) are NULL and
 * db.c refuses them.
 *
 * The statement cache is db.c's: it looks a text up, decides whether a new
 * statement is kept, marks statements in use, and frees them; a backend only
 * makes a statement (stmt_new), ends a run of one (stmt_done) and finalizes
 * it (stmt_free). The heads' fields are db.c's to write, but for the probe
 * counts, to which a backend adds its engine's work; db.c counts lookups. */
#ifndef IB_DB_IMPL_H
#define IB_DB_IMPL_H

#include "db.h"

/* The start of every backend's struct db_stmt. */
struct db_stmt_head {
    const struct db_ops *ops;   /* first: db.c dispatches through it */
    struct db *db;
    char *sql;                  /* the cache key; NULL for an uncached statement */
    uint64_t hash;              /* of sql, to pass over most others at a glance */
    enum db_stmt_role role;
    int in_use;                 /* handed out and not yet done */
    int stepped;                /* stepped at least once in this run */
    struct db_stmt_head *next;  /* cache chain */
};

/* The start of every backend's struct db. */
struct db_head {
    const struct db_ops *ops;   /* first: db.c dispatches through it */
    int stmt_cache;             /* on, unless db_set_stmt_cache turned it off */
    struct db_stmt_head *cache; /* every statement kept, in use or not */
    struct probe_counts counts; /* the backend counts its engine's work here */
};

struct db_ops {
    const char *name;
    int (*open)(struct db **out, const struct db_config *cfg, struct ib_error *err);
    void (*close)(struct db *db);
    int (*exec)(struct db *db, const char *sql, struct ib_error *err);
    /* A new statement for sql. kept: the cache will keep it, which a backend
     * may prepare differently (db_pg.c names only those on the server). */
    int (*stmt_new)(struct db *db, const char *sql, int kept, struct db_stmt **out,
                    struct ib_error *err);
    void (*stmt_free)(struct db_stmt *st);
    void (*bind_text)(struct db_stmt *st, int idx, const char *text);
    void (*bind_int64)(struct db_stmt *st, int idx, int64_t v);
    void (*bind_double)(struct db_stmt *st, int idx, double v);
    void (*bind_null)(struct db_stmt *st, int idx);
    int (*step)(struct db_stmt *st, struct ib_error *err);
    int64_t (*column_int64)(struct db_stmt *st, int col);
    double (*column_double)(struct db_stmt *st, int col);
    const char *(*column_text)(struct db_stmt *st, int col);
    int (*column_is_null)(struct db_stmt *st, int col);
    int (*column_count)(struct db_stmt *st);
    /* Ends one run: accounts the engine's work and resets the statement for
     * the next; db.c counts the lookup and then frees it when uncached. */
    void (*stmt_done)(struct db_stmt *st);
    int (*begin)(struct db *db, struct ib_error *err);
    int (*commit)(struct db *db, struct ib_error *err);
    void (*rollback)(struct db *db);
    int64_t (*last_insert_id)(struct db *db);
    int64_t (*changes)(struct db *db);
    const char *(*path)(const struct db *db);
    int (*max_variables)(struct db *db);
    int (*set_max_variables)(struct db *db, int n);
    int (*query_plan)(struct db *db, const char *sql, char *out, size_t outlen,
                      struct ib_error *err);
    double (*measured_rtt_us)(const struct db *db);           /* NULL: 0 */
    int (*copy_begin)(struct db *db, const char *sql, struct ib_error *err);
    int (*copy_put)(struct db *db, const char *data, size_t len, struct ib_error *err);
    int (*copy_end)(struct db *db, int64_t *rows, struct ib_error *err);
    int (*database_exists)(const struct db_config *cfg, int *exists, struct ib_error *err);
    int (*database_remove)(const struct db_config *cfg, struct ib_error *err);
    int (*database_clone)(const struct db_config *from, const char *to, struct ib_error *err);
};

extern const struct db_ops db_sqlite_ops, db_pg_ops;

#endif
