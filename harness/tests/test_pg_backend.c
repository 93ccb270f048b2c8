/* test_pg_backend.c: the PostgreSQL backend through db.h: statements and
 * round trips counted on the client, with the statement cache on and off;
 * values read back as SQLite gives them (booleans as 1/0, NULL as NULL);
 * placeholders numbered outside quotes only; COPY's text escaping; whole
 * databases; the generic plan; errors named after the database, a lost
 * connection said to be one. Skips where no server runs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "pgtest.h"

struct fixture {
    char tcp[PGTEST_DSN_MAX], unix_dsn[PGTEST_DSN_MAX];
    char name[128];
    struct db_config cfg;
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (pgtest_dsn("test_pg_backend", f->tcp, f->unix_dsn) != 0)
        return 0;
    pgtest_name(f->name, sizeof f->name, "backend");
    pgtest_drop(f->tcp, f->name);
    f->cfg = (struct db_config){.path = f->name, .create = 1, .backend = DB_BACKEND_POSTGRES,
                                .dsn = f->tcp};
    struct ib_error err;
    if (db_open(&f->db, &f->cfg, &err) != IB_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(db_exec(f->db, "CREATE TABLE t (id SERIAL PRIMARY KEY, k TEXT, v INTEGER,"
                                    " b BOOLEAN, r DOUBLE PRECISION);"
                                    "CREATE INDEX t_k ON t (k);", &err), IB_OK);
    db_counts_reset(f->db);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    if (f->name[0])
        pgtest_drop(f->tcp, f->name);
    free(f);
    return 0;
}

#define NEED_SERVER(f)   \
    do {                 \
        if (!(f)->db)    \
            skip();      \
    } while (0)

static void run_insert(struct db *db, const char *k, int64_t v, int b)
{
    struct db_stmt *st;
    struct ib_error err;
    if (db_prepare(db, "INSERT INTO t (k, v, b) VALUES (?, ?, ?)", DB_ROLE_PLAIN, &st, &err))
        fail_msg("%s", err.msg);
    db_bind_text(st, 1, k);
    db_bind_int64(st, 2, v);
    db_bind_int64(st, 3, b);
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_stmt_done(st);
}

static int64_t run_lookup(struct db *db, const char *k)
{
    struct db_stmt *st;
    struct ib_error err;
    assert_int_equal(db_prepare(db, "SELECT v FROM t WHERE k = ?", DB_ROLE_LOOKUP, &st, &err),
                     IB_OK);
    db_bind_text(st, 1, k);
    int rc = db_step(st, &err);
    int64_t v = rc == DB_ROW ? db_column_int64(st, 0) : -1;
    db_stmt_done(st);
    return v;
}

static void test_counts_and_round_trips(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    const struct probe_counts *c = db_counts(f->db);
    run_insert(f->db, "a", 1, 1);
    /* the first run prepares on the server: two round trips, one statement */
    assert_int_equal(c->insert, 1);
    assert_int_equal(c->round_trips, 2);
    run_insert(f->db, "b", 2, 0);
    assert_int_equal(c->insert, 2);
    assert_int_equal(c->round_trips, 3);
    assert_int_equal(run_lookup(f->db, "b"), 2);
    assert_int_equal(run_lookup(f->db, "zz"), -1);
    assert_int_equal(c->select, 2);
    assert_int_equal(c->lookups, 2);
    assert_int_equal(c->round_trips, 3 + 3);
    /* without the cache every run sends its text: one round trip each */
    db_set_stmt_cache(f->db, 0);
    run_insert(f->db, "c", 3, 0);
    run_insert(f->db, "d", 4, 0);
    assert_int_equal(c->insert, 4);
    assert_int_equal(c->round_trips, 8);
    struct ib_error err;
    assert_int_equal(db_begin(f->db, &err), IB_OK);
    assert_int_equal(db_commit(f->db, &err), IB_OK);
    assert_int_equal(c->other, 2);
    assert_int_equal(c->round_trips, 10);
    assert_int_equal(c->vm_steps, 0);
    assert_true(db_measured_rtt_us(f->db) > 0.0);
    assert_int_equal(db_backend_of(f->db), DB_BACKEND_POSTGRES);
}

static void test_values_as_sqlite_gives_them(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct db_stmt *st;
    struct ib_error err;
    assert_int_equal(db_prepare(f->db, "INSERT INTO t (k, v, b, r) VALUES (?, ?, ?, ?)",
                                DB_ROLE_PLAIN, &st, &err), IB_OK);
    db_bind_text(st, 1, "quote ' \"dq\" back\\slash ? é");
    db_bind_int64(st, 2, 2147483647);
    db_bind_int64(st, 3, 1);
    db_bind_double(st, 4, 0.1);
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_stmt_done(st);
    assert_int_equal(db_changes(f->db), 1);
    assert_int_equal(db_prepare(f->db, "INSERT INTO t (k, v, b) VALUES (?, ?, ?)", DB_ROLE_PLAIN,
                                &st, &err), IB_OK);
    db_bind_null(st, 1);
    db_bind_null(st, 2);
    db_bind_int64(st, 3, 0);
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_stmt_done(st);
    /* '?' inside a literal is no placeholder */
    assert_int_equal(db_prepare(f->db, "SELECT k, v, b, r, '?' FROM t WHERE b = ? OR k IS NULL"
                                       " ORDER BY id", DB_ROLE_PLAIN, &st, &err), IB_OK);
    db_bind_int64(st, 1, 1);
    assert_int_equal(db_column_count(st), 0);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_int_equal(db_column_count(st), 5);
    assert_string_equal(db_column_text(st, 0), "quote ' \"dq\" back\\slash ? é");
    assert_int_equal(db_column_int64(st, 1), 2147483647);
    assert_string_equal(db_column_text(st, 2), "1");
    assert_int_equal(db_column_int64(st, 2), 1);
    assert_true(db_column_double(st, 3) == 0.1);
    assert_string_equal(db_column_text(st, 4), "?");
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_null(db_column_text(st, 0));
    assert_true(db_column_is_null(st, 1));
    assert_string_equal(db_column_text(st, 2), "0");
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_stmt_done(st);
}

static void test_copy_escapes(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct ib_error err;
    static const char rows[] = "tab\\there\t1\tt\n"
                               "line\\nbreak \\\\ back\\rcr\t2\tf\n"
                               "\\\\N is text\t\\N\t\\N\n";
    int64_t n = -1;
    assert_int_equal(db_copy_begin(f->db, "COPY t (k, v, b) FROM STDIN", &err), IB_OK);
    assert_int_equal(db_copy_put(f->db, rows, 14, &err), IB_OK);  /* any split */
    assert_int_equal(db_copy_put(f->db, rows + 14, strlen(rows) - 14, &err), IB_OK);
    assert_int_equal(db_copy_end(f->db, &n, &err), IB_OK);
    assert_int_equal(n, 3);
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SELECT k, v, b FROM t ORDER BY id", DB_ROLE_PLAIN, &st,
                                &err), IB_OK);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "tab\there");
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "line\nbreak \\ back\rcr");
    assert_string_equal(db_column_text(st, 2), "0");
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "\\N is text");
    assert_null(db_column_text(st, 1));
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_stmt_done(st);
    /* a malformed row fails the COPY with the server's reason */
    assert_int_equal(db_copy_begin(f->db, "COPY t (k, v) FROM STDIN", &err), IB_OK);
    assert_int_equal(db_copy_put(f->db, "x\tnot a number\n", 15, &err), IB_OK);
    assert_int_equal(db_copy_end(f->db, &n, &err), IB_ERR);
    char want[256];
    snprintf(want, sizeof want, "%s: invalid input syntax for type integer: \"not a number\"",
             f->name);
    assert_string_equal(err.msg, want);
    /* SQLite has no COPY */
    struct db *lite;
    struct db_config cfg = {.path = ":memory:", .create = 1};
    assert_int_equal(db_open(&lite, &cfg, &err), IB_OK);
    assert_int_equal(db_copy_begin(lite, "COPY t FROM STDIN", &err), IB_EUSAGE);
    assert_string_equal(err.msg, ":memory:: COPY needs the postgres backend");
    db_close(lite);
}

static void test_whole_databases(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    char copy[128];
    pgtest_name(copy, sizeof copy, "backend_copy");
    pgtest_drop(f->tcp, copy);
    run_insert(f->db, "kept", 7, 1);
    db_close(f->db);
    f->db = NULL;
    struct ib_error err;
    assert_int_equal(db_database_clone(&f->cfg, copy, &err), IB_OK);
    struct db_config cc = f->cfg;
    cc.path = copy;
    cc.create = 0;
    int exists = 0;
    assert_int_equal(db_database_exists(&cc, &exists, &err), IB_OK);
    assert_int_equal(exists, 1);
    assert_int_equal(db_open(&f->db, &cc, &err), IB_OK);
    assert_int_equal(run_lookup(f->db, "kept"), 7);
    db_close(f->db);
    f->db = NULL;
    assert_int_equal(db_database_remove(&cc, &err), IB_OK);
    assert_int_equal(db_database_exists(&cc, &exists, &err), IB_OK);
    assert_int_equal(exists, 0);
    assert_int_equal(db_open(&f->db, &cc, &err), IB_ERR);
    char want[256];
    snprintf(want, sizeof want, "%s: no such database", copy);
    assert_string_equal(err.msg, want);
    /* the same over the Unix socket */
    cc.dsn = f->unix_dsn;
    cc.path = f->name;
    assert_int_equal(db_open(&f->db, &cc, &err), IB_OK);
    assert_int_equal(run_lookup(f->db, "kept"), 7);
}

static void test_plan_and_errors(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    char plan[512];
    struct ib_error err;
    assert_int_equal(db_query_plan(f->db, "SELECT v FROM t WHERE k = ?", plan, sizeof plan,
                                   &err), IB_OK);
    /* an empty table: the planner guesses, but the index is in the plan */
    assert_non_null(strstr(plan, "Index Scan on t_k"));
    assert_non_null(strstr(plan, "Index Cond: (k = $1)"));
    assert_int_equal(db_query_plan(f->db, "SELECT v FROM t WHERE v = ?", plan, sizeof plan,
                                   &err), IB_OK);
    assert_non_null(strstr(plan, "Seq Scan on t"));
    struct db_stmt *st;
    char want[256];
    assert_int_equal(db_prepare(f->db, "SELEC 1", DB_ROLE_PLAIN, &st, &err), IB_ERR);
    snprintf(want, sizeof want, "%s: syntax error at or near \"SELEC\"", f->name);
    assert_string_equal(err.msg, want);
    struct db *other;
    struct db_config bad = f->cfg;
    bad.dsn = "host=127.0.0.1 port=1 user=importbench connect_timeout=5";
    assert_int_equal(db_open(&other, &bad, &err), IB_ERR);
    assert_non_null(strstr(err.msg, ": cannot connect: "));
    bad.dsn = "nonsense";
    assert_int_equal(db_open(&other, &bad, &err), IB_EUSAGE);
    assert_int_equal(strncmp(err.msg, "--pg-dsn: ", 10), 0);
}

/* A second connection ends this one's backend: the next statement says the
 * connection is lost, and a rollback after it does not crash. */
static void test_connection_lost(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    struct ib_error err;
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SELECT pg_backend_pid()", DB_ROLE_PLAIN, &st, &err),
                     IB_OK);
    assert_int_equal(db_step(st, &err), DB_ROW);
    long long pid = db_column_int64(st, 0);
    db_stmt_done(st);
    assert_int_equal(db_begin(f->db, &err), IB_OK);
    run_insert(f->db, "lost", 1, 0);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld, 10000)", pid);
    assert_int_equal(pgtest_exec(f->tcp, NULL, sql), 0);
    /* prepared before: the run is the first call to notice */
    assert_int_equal(db_prepare(f->db, "INSERT INTO t (k, v, b) VALUES (?, ?, ?)", DB_ROLE_PLAIN,
                                &st, &err), IB_OK);
    db_bind_text(st, 1, "after");
    assert_int_equal(db_step(st, &err), -1);
    db_stmt_done(st);
    char want[256];
    snprintf(want, sizeof want, "%s: connection to the server lost: ", f->name);
    assert_int_equal(strncmp(err.msg, want, strlen(want)), 0);
    db_rollback(f->db);
    char count[160];
    snprintf(count, sizeof count, "SELECT count(*) FROM t WHERE k = 'lost'");
    assert_int_equal(pgtest_value(f->tcp, f->name, count), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_and_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_as_sqlite_gives_them, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_whole_databases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connection_lost, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
