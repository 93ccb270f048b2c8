/* pgtest.h: the throwaway PostgreSQL server that ctest starts around the
 * test_pg* tests (scripts/pg-start --info IB_PG_INFO, a file in the build
 * directory), database names of their own on it, and plain SQL through libpq
 * for what the tests do behind importbench's back. */
#ifndef IB_PGTEST_H
#define IB_PGTEST_H

#include <stddef.h>

#define PGTEST_DSN_MAX 1024

/* 0 and the server's TCP and Unix-socket DSNs; -1 when there is no server
 * (no PostgreSQL binaries, or ctest's fixture did not run), after printing
 * "skipped: <what> needs ...". */
int pgtest_dsn(const char *what, char tcp[PGTEST_DSN_MAX], char unix_dsn[PGTEST_DSN_MAX]);

/* A database name unique to this process and `what`: "ibt<pid>_<what>". */
void pgtest_name(char *out, size_t outlen, const char *what);

/* Runs sql (one or more statements, no parameters) in database `db` (NULL:
 * the DSN's own); 0 on success, else -1 with the server's message printed. */
int pgtest_exec(const char *dsn, const char *db, const char *sql);

/* The first column of the first row of sql in `db`, as a number; -1 on error
 * or when there is no row. */
long long pgtest_value(const char *dsn, const char *db, const char *sql);

/* Drops database `db` if it exists. */
void pgtest_drop(const char *dsn, const char *db);

#endif
