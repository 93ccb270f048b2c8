/* db.h: the backend interface. Strategies, schema and importer talk to the
 * database only through these calls, so that statement preparation, execution
 * and the probes live in one place: db_sqlite.c (embedded, the default) or
 * db_pg.c (PostgreSQL over libpq); db.c dispatches to the one a connection
 * was opened with.
 *
 * SQL uses `?` placeholders (the PostgreSQL backend numbers them). A statement is prepared once and cached by its text
 * (unless the cache is off, as an ORM without a statement cache would behave);
 * after each run the caller calls db_stmt_done(), which accounts its VM steps,
 * resets it and clears its bindings. */
#ifndef IB_DB_H
#define IB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "probe.h"

struct db;
struct db_stmt;

enum db_backend {
    DB_BACKEND_SQLITE,     /* the default */
    DB_BACKEND_POSTGRES
};
#define DB_BACKEND_COUNT 2

struct db_config {
    const char *path;      /* file name, or ":memory:"; on PostgreSQL the database name */
    int busy_timeout_ms;   /* how long to wait on a locked database; 0: default 5000 */
    int create;            /* create the file when missing (else: error "no such file") */
    enum db_backend backend;
    const char *dsn;       /* PostgreSQL: libpq connection string of the server */
};

/* "sqlite" / "postgres", and back (IB_EUSAGE for another name). */
const char *db_backend_name(enum db_backend b);
int db_backend_parse(const char *name, enum db_backend *out);

/* Whole databases, by configuration: whether one exists, removing it (and a
 * SQLite file's journal), and copying one to another name (which must not
 * exist) as a starting point for several imports. */
int db_database_exists(const struct db_config *cfg, int *exists, struct ib_error *err);
int db_database_remove(const struct db_config *cfg, struct ib_error *err);
int db_database_clone(const struct db_config *from, const char *to, struct ib_error *err);

enum db_stmt_role {
    DB_ROLE_PLAIN,
    DB_ROLE_LOOKUP         /* a SELECT that looks for existing results: counted in lookups */
};

enum { DB_DONE = 0, DB_ROW = 1 };  /* db_step's successful returns; errors are negative */

int db_open(struct db **out, const struct db_config *cfg, struct ib_error *err);
void db_close(struct db *db);

/* One or more statements without parameters or results (DDL, PRAGMA). */
int db_exec(struct db *db, const char *sql, struct ib_error *err);

int db_prepare(struct db *db, const char *sql, enum db_stmt_role role,
               struct db_stmt **out, struct ib_error *err);
void db_set_stmt_cache(struct db *db, int enabled);

/* Bind by 1-based index. text may be NULL (binds NULL); it must outlive the run. */
void db_bind_text(struct db_stmt *st, int idx, const char *text);
void db_bind_int64(struct db_stmt *st, int idx, int64_t v);
void db_bind_double(struct db_stmt *st, int idx, double v);
void db_bind_null(struct db_stmt *st, int idx);

/* DB_ROW, DB_DONE, or a negative value with err filled. */
int db_step(struct db_stmt *st, struct ib_error *err);
int64_t db_column_int64(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
const char *db_column_text(struct db_stmt *st, int col); /* NULL for SQL NULL */
int db_column_is_null(struct db_stmt *st, int col);
int db_column_count(struct db_stmt *st);

/* Ends one run of st: VM steps accounted, reset, bindings cleared. Always call it,
 * on success and on error; with the cache off it finalizes the statement. */
void db_stmt_done(struct db_stmt *st);

int db_begin(struct db *db, struct ib_error *err);
int db_commit(struct db *db, struct ib_error *err);
void db_rollback(struct db *db);

int64_t db_last_insert_id(struct db *db);
int64_t db_changes(struct db *db);   /* rows changed by the last INSERT/UPDATE/DELETE */
const char *db_path(const struct db *db); /* as given to db_open, for messages */
int db_max_variables(struct db *db); /* bound parameters one statement may take */
/* Lowers (or restores) that limit, as a smaller build of the engine would have
 * it; returns the limit now in force. For tests of chunking. */
int db_set_max_variables(struct db *db, int n);

/* EXPLAIN QUERY PLAN of sql, one line per plan row joined by "; ". */
int db_query_plan(struct db *db, const char *sql, char *out, size_t outlen,
                  struct ib_error *err);

const struct probe_counts *db_counts(const struct db *db);
void db_counts_reset(struct db *db);

const char *db_engine_version(void); /* "sqlite 3.40.1" */

enum db_backend db_backend_of(const struct db *db);

/* The median time of a trivial statement's round trip, measured when the
 * connection opened, in microseconds; 0 where there is no server (SQLite). */
double db_measured_rtt_us(const struct db *db);

/* COPY ... FROM STDIN (PostgreSQL only; SQLite refuses): starts the copy that
 * sql names, sends rows already in COPY's text format (one or more whole lines
 * per call), then ends it; *rows gets the rows the server took. On an error
 * the copy is abandoned and the transaction is left to roll back. */
int db_copy_begin(struct db *db, const char *sql, struct ib_error *err);
int db_copy_put(struct db *db, const char *data, size_t len, struct ib_error *err);
int db_copy_end(struct db *db, int64_t *rows, struct ib_error *err);

#endif
