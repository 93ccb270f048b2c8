/* db_pg_admin.c: the PostgreSQL backend's work beyond single statements:
 * whole databases (made, copied and dropped through a second connection to the
 * DSN's own database, since a database cannot drop or copy itself), COPY FROM
 * STDIN, and the lookup's plan. Databases importbench creates use UTF-8 and
 * the C collation, so that text sorts bytewise, as SQLite's BINARY does. */
#include "db_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pg_admin_exec(PGconn *conn, const char *label, const char *sql, struct ib_error *err)
{
    PGresult *res = PQexec(conn, sql);
    int status = IB_OK;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        status = ib_fail(err, IB_ERR, "%s: %s", label,
                         msg ? msg : "the server did not answer");
    }
    PQclear(res);
    return status;
}

/* Runs `fmt` with the quoted names of `a` (and `b`) on the DSN's own database. */
static int admin_run(const struct db_config *cfg, const char *fmt, const char *a,
                     const char *b, struct ib_error *err)
{
    PGconn *conn;
    int connected = pg_connect(cfg, NULL, &conn, err);
    if (connected != IB_OK)
        return connected;  /* IB_EUSAGE for a malformed DSN */
    char *qa = PQescapeIdentifier(conn, a, strlen(a));
    char *qb = b ? PQescapeIdentifier(conn, b, strlen(b)) : NULL;
    int status;
    if (!qa || (b && !qb)) {
        status = ib_fail(err, IB_ERR, "%s: %s", a, PQerrorMessage(conn));
    } else {
        size_t len = strlen(fmt) + strlen(qa) + (qb ? strlen(qb) : 0) + 1;
        char *sql = malloc(len);
        if (!sql) {
            status = ib_fail(err, IB_ERR, "%s: out of memory", a);
        } else {
            snprintf(sql, len, fmt, qa, qb ? qb : "");
            status = pg_admin_exec(conn, b ? b : a, sql, err);
            free(sql);
        }
    }
    PQfreemem(qa);
    PQfreemem(qb);
    PQfinish(conn);
    return status;
}

int pg_database_exists(const struct db_config *cfg, int *exists, struct ib_error *err)
{
    PGconn *conn;
    int connected = pg_connect(cfg, NULL, &conn, err);
    if (connected != IB_OK)
        return connected;  /* IB_EUSAGE for a malformed DSN */
    const char *values[1] = {cfg->path};
    PGresult *res = PQexecParams(conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL,
                                 values, NULL, NULL, 0);
    int status = IB_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        status = ib_fail(err, IB_ERR, "%s: %s", cfg->path, PQerrorMessage(conn));
    else
        *exists = PQntuples(res) > 0;
    PQclear(res);
    PQfinish(conn);
    return status;
}

int pg_database_create(const struct db_config *cfg, struct ib_error *err)
{
    return admin_run(cfg,
                     "CREATE DATABASE %s%s TEMPLATE template0 ENCODING 'UTF8'"
                     " LC_COLLATE 'C' LC_CTYPE 'C'",
                     cfg->path, NULL, err);
}

int pg_database_remove(const struct db_config *cfg, struct ib_error *err)
{
    return admin_run(cfg, "DROP DATABASE IF EXISTS %s%s", cfg->path, NULL, err);
}

int pg_database_clone(const struct db_config *from, const char *to, struct ib_error *err)
{
    /* the %s order: the new name first, then the template */
    return admin_run(from, "CREATE DATABASE %2$s TEMPLATE %1$s", from->path, to, err);
}

/* One plan line, trimmed of indentation and the arrow. */
static const char *plan_line(const char *s)
{
    while (*s == ' ')
        s++;
    if (!strncmp(s, "->", 2))
        s += 2;
    while (*s == ' ')
        s++;
    return s;
}

/* The generic plan, the one a prepared statement runs with any parameters:
 * EXPLAIN EXECUTE with plan_cache_mode forcing it (PostgreSQL 12 to 15 have
 * no EXPLAIN (GENERIC_PLAN)). */
int pg_query_plan(struct db *db, const char *sql, char *out, size_t outlen,
                  struct ib_error *err)
{
    int n;
    char *pgsql = pg_number_placeholders(sql, &n);
    char *explain = malloc(64 + (size_t)n * 6);
    if (!pgsql || !explain) {
        free(pgsql);
        free(explain);
        return ib_fail(err, IB_ERR, "%s: out of memory", db->name);
    }
    int used = sprintf(explain, "EXPLAIN (COSTS OFF) EXECUTE ib_plan%s", n ? "(" : "");
    for (int i = 0; i < n; i++)
        used += sprintf(explain + used, "%sNULL", i ? ", " : "");
    strcpy(explain + used, n ? ")" : "");
    PGresult *res = PQprepare(db->conn, "ib_plan", pgsql, 0, NULL);
    int status = PQresultStatus(res) == PGRES_COMMAND_OK ? IB_OK : pg_fail(db, res, err);
    PQclear(res);
    free(pgsql);
    if (status == IB_OK)
        status = pg_admin_exec(db->conn, db->name, "SET plan_cache_mode = force_generic_plan",
                               err);
    res = status == IB_OK ? PQexec(db->conn, explain) : NULL;
    free(explain);
    if (status == IB_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        status = pg_fail(db, res, err);
    size_t at = 0;
    if (outlen)
        out[0] = '\0';
    for (int r = 0; status == IB_OK && r < PQntuples(res); r++) {
        int w = snprintf(out + at, outlen - at, "%s%s", at ? "; " : "",
                         plan_line(PQgetvalue(res, r, 0)));
        if (w < 0 || (size_t)w >= outlen - at)
            break;  /* truncated: the plan's beginning is what matters */
        at += (size_t)w;
    }
    PQclear(res);
    struct ib_error ignored;
    pg_admin_exec(db->conn, db->name, "RESET plan_cache_mode", &ignored);
    pg_admin_exec(db->conn, db->name, "DEALLOCATE ib_plan", &ignored);
    return status;
}

int pg_copy_begin(struct db *db, const char *sql, struct ib_error *err)
{
    pg_count_exec(db, sql);
    PGresult *res = PQexec(db->conn, sql);
    int status = PQresultStatus(res) == PGRES_COPY_IN ? IB_OK : pg_fail(db, res, err);
    PQclear(res);
    return status;
}

/* Reads the results that end a COPY; the first failure is reported. */
static int copy_results(struct db *db, int64_t *rows, struct ib_error *err)
{
    int status = IB_OK;
    PGresult *res;
    while ((res = PQgetResult(db->conn)) != NULL) {
        if (PQresultStatus(res) == PGRES_COMMAND_OK) {
            if (rows)
                *rows = strtoll(PQcmdTuples(res), NULL, 10);
        } else if (status == IB_OK) {
            status = pg_fail(db, res, err);
        }
        PQclear(res);
    }
    return status;
}

int pg_copy_put(struct db *db, const char *data, size_t len, struct ib_error *err)
{
    while (len) {
        int part = len > (1u << 30) ? 1 << 30 : (int)len;
        if (PQputCopyData(db->conn, data, part) != 1) {
            int status = pg_fail(db, NULL, err);
            PQputCopyEnd(db->conn, "importbench: copy abandoned");
            copy_results(db, NULL, NULL);
            return status;
        }
        data += part;
        len -= (size_t)part;
    }
    return IB_OK;
}

int pg_copy_end(struct db *db, int64_t *rows, struct ib_error *err)
{
    *rows = 0;
    db->head.counts.round_trips++;
    if (PQputCopyEnd(db->conn, NULL) != 1) {
        int status = pg_fail(db, NULL, err);
        copy_results(db, NULL, NULL);
        return status;
    }
    return copy_results(db, rows, err);
}
