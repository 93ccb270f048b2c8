/* db_pg.c: the PostgreSQL backend behind db.h, over libpq.
 *
 * The probes count on the client, since the server cannot tell us: a statement
 * by its first keyword each time one is sent, and one round trip for every
 * call that waits for the server's answer (preparing, executing, BEGIN,
 * COMMIT, the end of a COPY). SQLite's VM steps have no equivalent here and
 * stay 0. With the statement cache on (db.c's), a statement is prepared on
 * the server once (one round trip) and then executed by name; with it off,
 * every run sends the text again with its parameters (pg_stmt_new says why).
 * Values travel as text; booleans are read back as 1 and 0, as SQLite stores
 * them, so that canonical rows read the same on both engines. */
#include "db_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe.h"

#define PG_BOOLOID 16
#define RTT_SAMPLES 31

/* The first line of msg, without libpq's "ERROR:  " or "FATAL:  " prefix. */
static void first_line(const char *msg, char *out, size_t outlen)
{
    while (*msg == ' ' || *msg == '\n')
        msg++;
    const char *colon = strstr(msg, ":  ");
    if (colon && colon - msg <= 8)
        msg = colon + 3;
    size_t n = strcspn(msg, "\n");
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, msg, n);
    out[n] = '\0';
}

int pg_fail(struct db *db, const PGresult *res, struct ib_error *err)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[512];
    first_line(primary ? primary : PQerrorMessage(db->conn), line, sizeof line);
    if (PQstatus(db->conn) == CONNECTION_BAD)
        return ib_fail(err, IB_ERR, "%s: connection to the server lost: %s", db->name,
                       line[0] ? line : "no reason given");
    return ib_fail(err, IB_ERR, "%s: %s", db->name, line);
}

static void count_kind(struct probe_counts *c, const char *sql, size_t len)
{
    while (len && (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r' || *sql == '(')) {
        sql++;
        len--;
    }
    if (!len)
        return;
    if ((len >= 6 && !strncasecmp(sql, "SELECT", 6)) || (len >= 4 && !strncasecmp(sql, "WITH", 4)))
        c->select++;
    else if (len >= 6 && !strncasecmp(sql, "INSERT", 6))
        c->insert++;
    else if (len >= 6 && !strncasecmp(sql, "UPDATE", 6))
        c->update++;
    else
        c->other++;
}

/* Where the run of sql that is not quoted or a comment ends: at the next
 * character in `stops`, or at the end. Quotes and comments are skipped whole. */
static const char *scan_to(const char *p, const char *stops)
{
    while (*p && !strchr(stops, *p)) {
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p && *p != q)
                p++;
            if (*p)
                p++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else {
            p++;
        }
    }
    return p;
}

void pg_count_exec(struct db *db, const char *sql)
{
    for (const char *p = sql; *p;) {
        const char *end = scan_to(p, ";");
        count_kind(&db->head.counts, p, (size_t)(end - p));
        p = *end ? end + 1 : end;
    }
    db->head.counts.round_trips++;
}

char *pg_number_placeholders(const char *sql, int *nparams)
{
    size_t marks = 0;
    for (const char *p = scan_to(sql, "?"); *p; p = scan_to(p + 1, "?"))
        marks++;
    char *out = malloc(strlen(sql) + marks * 6 + 1);
    if (!out)
        return NULL;
    char *o = out;
    int n = 0;
    for (const char *p = sql;;) {
        const char *q = scan_to(p, "?");
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        if (!*q)
            break;
        o += sprintf(o, "$%d", ++n);
        p = q + 1;
    }
    *o = '\0';
    *nparams = n;
    return out;
}

static void discard_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int pg_connect(const struct db_config *cfg, const char *name, PGconn **out,
               struct ib_error *err)
{
    *out = NULL;
    const char *dsn = cfg->dsn ? cfg->dsn : "";
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(dsn, &perr);
    if (!opts) {
        char line[512];
        first_line(perr ? perr : "out of memory", line, sizeof line);
        PQfreemem(perr);
        return ib_fail(err, IB_EUSAGE, "--pg-dsn: %s", line);
    }
    int has_dbname = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (!strcmp(o->keyword, "dbname") && o->val && *o->val)
            has_dbname = 1;
    PQconninfoFree(opts);
    /* A later dbname overrides the one inside the expanded DSN. */
    const char *keys[] = {"dbname", "dbname", "client_encoding", "application_name", NULL};
    const char *vals[] = {dsn, name ? name : has_dbname ? NULL : "postgres", "UTF8",
                          "importbench", NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn)
        return ib_fail(err, IB_ERR, "%s: out of memory", name ? name : "postgres");
    if (PQstatus(conn) != CONNECTION_OK) {
        char line[512];
        first_line(PQerrorMessage(conn), line, sizeof line);
        PQfinish(conn);
        return ib_fail(err, IB_ERR, "%s: cannot connect: %s", name ? name : "postgres", line);
    }
    PQsetNoticeProcessor(conn, discard_notice, NULL);
    *out = conn;
    return IB_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median round trip of a prepared trivial statement, after one to warm up. */
static int measure_rtt(struct db *db, struct ib_error *err)
{
    PGresult *res = PQprepare(db->conn, "ib_rtt", "SELECT 1", 0, NULL);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        pg_fail(db, res, err);
    PQclear(res);
    double samples[RTT_SAMPLES];
    for (int i = -1; ok && i < RTT_SAMPLES; i++) {
        double t0 = probe_now();
        res = PQexecPrepared(db->conn, "ib_rtt", 0, NULL, NULL, NULL, 0);
        double t1 = probe_now();
        if (!(ok = PQresultStatus(res) == PGRES_TUPLES_OK))
            pg_fail(db, res, err);
        PQclear(res);
        if (i >= 0)
            samples[i] = (t1 - t0) * 1e6;
    }
    if (!ok)
        return IB_ERR;
    qsort(samples, RTT_SAMPLES, sizeof *samples, cmp_double);
    db->rtt_us = samples[RTT_SAMPLES / 2];
    return IB_OK;
}

static void pg_close(struct db *db);

static int pg_open(struct db **out, const struct db_config *cfg, struct ib_error *err)
{
    *out = NULL;
    struct db *db = calloc(1, sizeof *db);
    if (!db || !(db->name = strdup(cfg->path))) {
        free(db);
        return ib_fail(err, IB_ERR, "%s: out of memory", cfg->path);
    }
    db->head.ops = &db_pg_ops;
    db->max_variables = PG_MAX_VARIABLES;
    int exists = 1;
    int status = pg_database_exists(cfg, &exists, err);
    if (status == IB_OK && !exists)
        status = cfg->create ? pg_database_create(cfg, err)
                             : ib_fail(err, IB_ERR, "%s: no such database", cfg->path);
    if (status == IB_OK)
        status = pg_connect(cfg, cfg->path, &db->conn, err);
    if (status == IB_OK)
        status = measure_rtt(db, err);
    if (status != IB_OK) {
        pg_close(db);
        return status;
    }
    *out = db;
    return IB_OK;
}

static void pg_stmt_free(struct db_stmt *s)
{
    PQclear(s->res);
    free(s->pgsql);
    free(s->values);
    free(s->numbers);
    free(s->is_bool);
    free(s);
}

static void pg_close(struct db *db)
{
    PQfinish(db->conn);
    free(db->name);
    free(db);
}

static int pg_exec(struct db *db, const char *sql, struct ib_error *err)
{
    pg_count_exec(db, sql);
    PGresult *res = PQexec(db->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    int status = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? IB_OK : pg_fail(db, res, err);
    PQclear(res);
    return status;
}

/* Only a statement the cache keeps is prepared on the server, under a name
 * (one round trip, once) and then executed by that name. Any other (the cache
 * off, or a nested use of a text already running) is freed when its run ends:
 * naming it would cost a second round trip each time and leave a prepared
 * statement on the server for every run; it is sent with its text instead
 * (PQexecParams: parsed anew, one round trip), as a driver without a
 * statement cache does. SQLite compiles both kinds alike. */
static int pg_stmt_new(struct db *db, const char *sql, int kept, struct db_stmt **out,
                       struct ib_error *err)
{
    struct db_stmt *s = calloc(1, sizeof *s);
    if (!s || !(s->pgsql = pg_number_placeholders(sql, &s->nparams)) ||
        !(s->values = calloc((size_t)s->nparams + 1, sizeof *s->values)) ||
        !(s->numbers = calloc((size_t)s->nparams + 1, sizeof *s->numbers))) {
        if (s)
            pg_stmt_free(s);
        return ib_fail(err, IB_ERR, "%s: out of memory", db->name);
    }
    if (kept) {
        snprintf(s->name, sizeof s->name, "ib%u", ++db->statements_named);
        db->head.counts.round_trips++;
        PGresult *res = PQprepare(db->conn, s->name, s->pgsql, 0, NULL);
        int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            pg_fail(db, res, err);
        PQclear(res);
        if (!ok) {
            pg_stmt_free(s);
            return IB_ERR;
        }
    }
    *out = s;
    return IB_OK;
}

static void pg_bind_text(struct db_stmt *st, int idx, const char *text)
{
    if (idx >= 1 && idx <= st->nparams)
        st->values[idx - 1] = text;
}

static void pg_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    if (idx >= 1 && idx <= st->nparams) {
        snprintf(st->numbers[idx - 1], sizeof st->numbers[0], "%lld", (long long)v);
        st->values[idx - 1] = st->numbers[idx - 1];
    }
}

static void pg_bind_double(struct db_stmt *st, int idx, double v)
{
    if (idx >= 1 && idx <= st->nparams) {
        snprintf(st->numbers[idx - 1], sizeof st->numbers[0], "%.17g", v);
        st->values[idx - 1] = st->numbers[idx - 1];
    }
}

static void pg_bind_null(struct db_stmt *st, int idx)
{
    if (idx >= 1 && idx <= st->nparams)
        st->values[idx - 1] = NULL;
}

/* Sends the statement with its parameters and keeps every row it returns. */
static int execute(struct db_stmt *st, struct ib_error *err)
{
    struct db *db = st->head.db;
    count_kind(&db->head.counts, st->pgsql, strlen(st->pgsql));
    db->head.counts.round_trips++;
    st->res = st->name[0]
                  ? PQexecPrepared(db->conn, st->name, st->nparams, st->values, NULL, NULL, 0)
                  : PQexecParams(db->conn, st->pgsql, st->nparams, NULL, st->values, NULL, NULL,
                                 0);
    ExecStatusType rs = PQresultStatus(st->res);
    if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK)
        return pg_fail(db, st->res, err);
    const char *tuples = PQcmdTuples(st->res);
    db->changes = *tuples ? strtoll(tuples, NULL, 10) : 0;
    int ncols = PQnfields(st->res);
    free(st->is_bool);
    if (!(st->is_bool = malloc((size_t)ncols + 1)))
        return ib_fail(err, IB_ERR, "%s: out of memory", db->name);
    for (int c = 0; c < ncols; c++)
        st->is_bool[c] = PQftype(st->res, c) == PG_BOOLOID;
    return IB_OK;
}

static int pg_step(struct db_stmt *st, struct ib_error *err)
{
    if (!st->head.stepped) {
        st->head.stepped = 1;
        st->row = -1;
        if (execute(st, err) != IB_OK)
            return -1;
    } else if (!st->res) {
        return DB_DONE;
    }
    return ++st->row < PQntuples(st->res) ? DB_ROW : DB_DONE;
}

static const char *pg_column_text(struct db_stmt *st, int col)
{
    if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || col < 0 ||
        col >= PQnfields(st->res) || PQgetisnull(st->res, st->row, col))
        return NULL;
    const char *v = PQgetvalue(st->res, st->row, col);
    if (st->is_bool[col])
        return *v == 't' ? "1" : "0";
    return v;
}

static int64_t pg_column_int64(struct db_stmt *st, int col)
{
    const char *v = pg_column_text(st, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_column_double(struct db_stmt *st, int col)
{
    const char *v = pg_column_text(st, col);
    return v ? strtod(v, NULL) : 0.0;
}

static int pg_column_is_null(struct db_stmt *st, int col)
{
    return pg_column_text(st, col) == NULL;
}

static int pg_column_count(struct db_stmt *st)
{
    return st->res ? PQnfields(st->res) : 0;
}

static void pg_stmt_done(struct db_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    memset(st->values, 0, (size_t)st->nparams * sizeof *st->values);
}

static int pg_begin(struct db *db, struct ib_error *err)
{
    return pg_exec(db, "BEGIN", err);
}

static int pg_commit(struct db *db, struct ib_error *err)
{
    return pg_exec(db, "COMMIT", err);
}

static void pg_rollback(struct db *db)
{
    PGTransactionStatusType ts = PQtransactionStatus(db->conn);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
        struct ib_error ignored;
        pg_exec(db, "ROLLBACK", &ignored);
    }
}

/* The value the last INSERT took from its table's sequence; -1 on failure. */
static int64_t pg_last_insert_id(struct db *db)
{
    pg_count_exec(db, "SELECT lastval()");
    PGresult *res = PQexec(db->conn, "SELECT lastval()");
    int64_t id = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                     ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
                     : -1;
    PQclear(res);
    return id;
}

static int64_t pg_changes(struct db *db)
{
    return db->changes;
}

static const char *pg_path(const struct db *db)
{
    return db->name;
}

static int pg_max_variables(struct db *db)
{
    return db->max_variables;
}

static int pg_set_max_variables(struct db *db, int n)
{
    db->max_variables = n < 1 ? 1 : n > PG_MAX_VARIABLES ? PG_MAX_VARIABLES : n;
    return db->max_variables;
}

static double pg_measured_rtt_us(const struct db *db)
{
    return db->rtt_us;
}

const struct db_ops db_pg_ops = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .stmt_new = pg_stmt_new,
    .stmt_free = pg_stmt_free,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .column_is_null = pg_column_is_null,
    .column_count = pg_column_count,
    .stmt_done = pg_stmt_done,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .last_insert_id = pg_last_insert_id,
    .changes = pg_changes,
    .path = pg_path,
    .max_variables = pg_max_variables,
    .set_max_variables = pg_set_max_variables,
    .query_plan = pg_query_plan,
    .measured_rtt_us = pg_measured_rtt_us,
    .copy_begin = pg_copy_begin,
    .copy_put = pg_copy_put,
    .copy_end = pg_copy_end,
    .database_exists = pg_database_exists,
    .database_remove = pg_database_remove,
    .database_clone = pg_database_clone,
};
