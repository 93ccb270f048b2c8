/* pgtest.c: finding the test server and talking to it directly. */
#include "pgtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "testutil.h"

#ifndef IB_PG_INFO
#define IB_PG_INFO ""
#endif

/* The value of `key=` in the info text, into out; 0 when present. */
static int info_value(const char *info, const char *key, char *out, size_t outlen)
{
    size_t klen = strlen(key);
    for (const char *line = info; *line;) {
        size_t len = strcspn(line, "\n");
        if (!strncmp(line, key, klen) && line[klen] == '=') {
            const char *v = line + klen + 1;
            size_t n = strcspn(v, "\n");
            if (n >= outlen)
                return -1;
            memcpy(out, v, n);
            out[n] = '\0';
            return 0;
        }
        line += len + (line[len] == '\n');
    }
    return -1;
}

int pgtest_dsn(const char *what, char tcp[PGTEST_DSN_MAX], char unix_dsn[PGTEST_DSN_MAX])
{
    char *info = IB_PG_INFO[0] ? read_whole_file(IB_PG_INFO, NULL) : NULL;
    char reason[512];
    int status = -1;
    if (!info)
        snprintf(reason, sizeof reason, "%s is absent (run the test through ctest, whose "
                 "fixture pg_start writes it)", IB_PG_INFO[0] ? IB_PG_INFO : "IB_PG_INFO");
    else if (!info_value(info, "skip", reason, sizeof reason))
        ;
    else if (info_value(info, "tcp", tcp, PGTEST_DSN_MAX) ||
             info_value(info, "unix", unix_dsn, PGTEST_DSN_MAX))
        snprintf(reason, sizeof reason, "%s names no server", IB_PG_INFO);
    else
        status = 0;
    if (status)
        printf("skipped: %s needs a PostgreSQL server: %s\n", what, reason);
    free(info);
    return status;
}

void pgtest_name(char *out, size_t outlen, const char *what)
{
    snprintf(out, outlen, "ibt%ld_%s", (long)getpid(), what);
}

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static PGconn *connect_to(const char *dsn, const char *db)
{
    const char *keys[] = {"dbname", "dbname", NULL};
    const char *vals[] = {dsn, db, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c) != CONNECTION_OK) {
        printf("pgtest: %s: %s", db ? db : "postgres", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    return c;
}

int pgtest_exec(const char *dsn, const char *db, const char *sql)
{
    PGconn *c = connect_to(dsn, db);
    if (!c)
        return -1;
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        printf("pgtest: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

long long pgtest_value(const char *dsn, const char *db, const char *sql)
{
    PGconn *c = connect_to(dsn, db);
    if (!c)
        return -1;
    PGresult *r = PQexec(c, sql);
    long long v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        printf("pgtest: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return v;
}

void pgtest_drop(const char *dsn, const char *db)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", db);
    pgtest_exec(dsn, NULL, sql);
}
