/* db_pg_int.h: what the two files of the PostgreSQL backend share: the
 * connection and statement structs, error reporting and the probes' counting.
 * db_pg.c runs statements; db_pg_admin.c does whole databases, COPY and plans. */
#ifndef IB_DB_PG_INT_H
#define IB_DB_PG_INT_H

#include <libpq-fe.h>

#include "db_impl.h"

/* PostgreSQL's limit on one statement's parameters (a 16-bit count). */
#define PG_MAX_VARIABLES 65535

struct db_stmt {
    struct db_stmt_head head;  /* first: db.c's (db_impl.h) */
    char *pgsql;               /* with $1..$n for the placeholders */
    char name[24];             /* the server's prepared statement; "" when uncached */
    int nparams;
    const char **values;       /* text of each parameter, NULL for SQL NULL */
    char (*numbers)[32];       /* where bound numbers are formatted */
    PGresult *res;             /* the run's rows */
    int row;                   /* the current row of res */
    unsigned char *is_bool;    /* per result column: boolean, read as 1/0 */
};

struct db {
    struct db_head head;       /* first: db.c's (db_impl.h) */
    PGconn *conn;
    char *name;                /* the database */
    unsigned statements_named;
    int max_variables;
    int64_t changes;
    double rtt_us;
};

/* Fills err with "NAME: message" from res (or the connection when res has no
 * message), saying so when the connection is gone; returns IB_ERR. */
int pg_fail(struct db *db, const PGresult *res, struct ib_error *err);

/* Counts the statements of sql (split at ';' outside quotes) by their first
 * keyword, and one round trip. */
void pg_count_exec(struct db *db, const char *sql);

/* A connection to cfg's server: to database `name`, or, with name NULL, to the
 * DSN's own (default "postgres") for work on whole databases. */
int pg_connect(const struct db_config *cfg, const char *name, PGconn **out,
               struct ib_error *err);

/* Runs sql (no parameters) on conn, expecting no rows; for whole-database work. */
int pg_admin_exec(PGconn *conn, const char *label, const char *sql, struct ib_error *err);

extern const struct db_ops db_pg_ops;

int pg_database_exists(const struct db_config *cfg, int *exists, struct ib_error *err);
int pg_database_remove(const struct db_config *cfg, struct ib_error *err);
int pg_database_clone(const struct db_config *from, const char *to, struct ib_error *err);
int pg_database_create(const struct db_config *cfg, struct ib_error *err);
int pg_query_plan(struct db *db, const char *sql, char *out, size_t outlen,
                  struct ib_error *err);
int pg_copy_begin(struct db *db, const char *sql, struct ib_error *err);
int pg_copy_put(struct db *db, const char *data, size_t len, struct ib_error *err);
int pg_copy_end(struct db *db, int64_t *rows, struct ib_error *err);

/* sql with each `?` outside quotes and comments replaced by $1, $2...;
 * malloc'd, NULL when out of memory. *nparams gets their number. */
char *pg_number_placeholders(const char *sql, int *nparams);

#endif
