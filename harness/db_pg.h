/* db_pg.h: what only the PostgreSQL backend can do, for the strategies that
 * show it: libpq's pipeline mode, where statements are sent without waiting
 * for each answer. */
#ifndef IB_DB_PG_H
#define IB_DB_PG_H

#include <stddef.h>

#include "db.h"

/* The text of parameter set i: values[0..nparams) (NULL for SQL NULL). */
typedef void (*db_pg_params_fn)(void *ctx, size_t i, const char **values, char (*buf)[32]);
/* The first column of the first row of answer i; NULL when it had no row. */
typedef void (*db_pg_answer_fn)(void *ctx, size_t i, const char *first_column);

/* Runs the SELECT sql (with `?` placeholders) once for each of count
 * parameter sets, sending per_sync of them before reading their answers, in
 * order. Counted as count statements, count lookups when role is
 * DB_ROLE_LOOKUP, and one round trip per batch (plus one to prepare). On
 * SQLite: IB_EUSAGE. */
int db_pg_pipeline(struct db *db, const char *sql, enum db_stmt_role role, int nparams,
                   size_t count, size_t per_sync, db_pg_params_fn params,
                   db_pg_answer_fn answer, void *ctx, struct ib_error *err);

#endif
