/* test_db.c: the SQLite backend: statement counts by kind, lookups, VM steps,
 * the statement cache, errors with the file's name, locking, query plans. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

struct fixture {
    char *dir;
    char path[4200];
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = tmpdir_make();
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    struct db_config cfg = {.path = f->path, .create = 1};
    struct ib_error err;
    assert_int_equal(db_open(&f->db, &cfg, &err), IB_OK);
    assert_int_equal(db_exec(f->db, "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, v INTEGER);"
                                    "CREATE INDEX t_k ON t (k);", &err), IB_OK);
    db_counts_reset(f->db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static void run_insert(struct db *db, const char *k, int64_t v)
{
    struct db_stmt *st;
    struct ib_error err;
    assert_int_equal(db_prepare(db, "INSERT INTO t (k, v) VALUES (?, ?)", DB_ROLE_PLAIN, &st,
                                &err), IB_OK);
    db_bind_text(st, 1, k);
    db_bind_int64(st, 2, v);
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_stmt_done(st);
}

static int run_lookup(struct db *db, const char *k, int64_t *v)
{
    struct db_stmt *st;
    struct ib_error err;
    assert_int_equal(db_prepare(db, "SELECT v FROM t WHERE k = ?", DB_ROLE_LOOKUP, &st, &err),
                     IB_OK);
    db_bind_text(st, 1, k);
    int rc = db_step(st, &err);
    assert_true(rc == DB_ROW || rc == DB_DONE);
    if (rc == DB_ROW)
        *v = db_column_int64(st, 0);
    db_stmt_done(st);
    return rc == DB_ROW;
}

static void test_counts_by_kind(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    run_insert(f->db, "a", 1);
    run_insert(f->db, "b", 2);
    int64_t v = 0;
    assert_true(run_lookup(f->db, "b", &v));
    assert_int_equal(v, 2);
    assert_false(run_lookup(f->db, "zz", &v));
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "  UPDATE t SET v = v + 1", DB_ROLE_PLAIN, &st, &err),
                     IB_OK);
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_stmt_done(st);
    assert_int_equal(db_changes(f->db), 2);
    assert_int_equal(db_prepare(f->db, "WITH x AS (SELECT 1) SELECT * FROM x", DB_ROLE_PLAIN,
                                &st, &err), IB_OK);
    assert_int_equal(db_step(st, &err), DB_ROW);
    db_stmt_done(st);
    assert_int_equal(db_exec(f->db, "REPLACE INTO t (id, k, v) VALUES (1, 'a', 9);"
                                    "DELETE FROM t WHERE k = 'none'; PRAGMA user_version", &err),
                     IB_OK);
    const struct probe_counts *c = db_counts(f->db);
    assert_int_equal(c->insert, 3);
    assert_int_equal(c->select, 3);
    assert_int_equal(c->update, 1);
    assert_int_equal(c->other, 2);
    assert_int_equal(c->lookups, 2);
    assert_int_equal(probe_statements(c), 9);
    assert_true(c->vm_steps > 0);
    db_counts_reset(f->db);
    assert_int_equal(db_counts(f->db)->vm_steps, 0);
    assert_int_equal(probe_statements(db_counts(f->db)), 0);
}

/* A prepared statement run without a step is no lookup; a full scan shows. */
static void test_lookup_needs_a_run_and_fullscan_counts(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    for (int i = 0; i < 50; i++)
        run_insert(f->db, "x", i);
    db_counts_reset(f->db);
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SELECT id FROM t WHERE k = ?", DB_ROLE_LOOKUP, &st,
                                &err), IB_OK);
    db_stmt_done(st);
    assert_int_equal(db_counts(f->db)->lookups, 0);
    assert_int_equal(db_prepare(f->db, "SELECT count(*) FROM t WHERE v >= 0", DB_ROLE_PLAIN,
                                &st, &err), IB_OK);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_int_equal(db_column_int64(st, 0), 50);
    db_stmt_done(st);
    assert_int_equal(db_counts(f->db)->fullscan_steps, 49);
}

static void test_statement_cache(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    struct db_stmt *a, *b, *c;
    assert_int_equal(db_prepare(f->db, "SELECT 1", DB_ROLE_PLAIN, &a, &err), IB_OK);
    /* the same text while the first is still running: a separate statement */
    assert_int_equal(db_prepare(f->db, "SELECT 1", DB_ROLE_PLAIN, &b, &err), IB_OK);
    assert_ptr_not_equal(a, b);
    assert_int_equal(db_step(a, &err), DB_ROW);
    assert_int_equal(db_step(b, &err), DB_ROW);
    db_stmt_done(b);
    db_stmt_done(a);
    assert_int_equal(db_prepare(f->db, "SELECT 1", DB_ROLE_PLAIN, &c, &err), IB_OK);
    assert_ptr_equal(a, c);
    db_stmt_done(c);

    /* Off: every run compiles anew and is finalized when done (ASan checks). */
    db_set_stmt_cache(f->db, 0);
    for (int i = 0; i < 3; i++)
        run_insert(f->db, "n", i);
    int64_t v;
    assert_true(run_lookup(f->db, "n", &v));
    assert_int_equal(db_counts(f->db)->insert, 3);
}

static void test_text_is_byte_exact(void **state)
{
    struct fixture *f = *state;
    const char *odd = "it's \"quoted\"; DROP TABLE t; -- \xc3\xa9\xe2\x9c\x93 %s\\";
    run_insert(f->db, odd, 7);
    struct db_stmt *st;
    struct ib_error err;
    assert_int_equal(db_prepare(f->db, "SELECT k, v, NULL FROM t", DB_ROLE_PLAIN, &st, &err),
                     IB_OK);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_equal(db_column_text(st, 0), odd);
    assert_null(db_column_text(st, 2));
    assert_true(db_column_is_null(st, 2));
    assert_false(db_column_is_null(st, 1));
    db_stmt_done(st);
}

static void test_errors_name_the_file(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    struct db_stmt *st;
    assert_int_equal(db_prepare(f->db, "SELECT nope FROM t", DB_ROLE_PLAIN, &st, &err), IB_ERR);
    char want[8800];
    snprintf(want, sizeof want, "%s: no such column: nope", f->path);
    assert_string_equal(err.msg, want);

    char missing[4300];
    snprintf(missing, sizeof missing, "%s/none.db", f->dir);
    struct db *db2;
    struct db_config cfg = {.path = missing, .create = 0};
    assert_int_equal(db_open(&db2, &cfg, &err), IB_ERR);
    snprintf(want, sizeof want, "%s: no such file", missing);
    assert_string_equal(err.msg, want);
    assert_null(db2);
}

static void test_locked_database(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(db_begin(f->db, &err), IB_OK);
    run_insert(f->db, "held", 1);
    struct db *other;
    struct db_config cfg = {.path = f->path, .busy_timeout_ms = 20};
    assert_int_equal(db_open(&other, &cfg, &err), IB_OK);
    assert_int_equal(db_begin(other, &err), IB_ERR);
    char want[8800];
    snprintf(want, sizeof want, "%s: database is locked", f->path);
    assert_string_equal(err.msg, want);
    db_rollback(other);
    db_rollback(f->db);
    /* rolled back: the held row is gone, and the other connection may write */
    assert_int_equal(db_begin(other, &err), IB_OK);
    int64_t v;
    assert_false(run_lookup(other, "held", &v));
    assert_int_equal(db_commit(other, &err), IB_OK);
    db_close(other);
}

static void test_plan_and_limits(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    char plan[512];
    assert_int_equal(db_query_plan(f->db, "SELECT v FROM t WHERE k = ?", plan, sizeof plan,
                                   &err), IB_OK);
    assert_string_equal(plan, "SEARCH t USING INDEX t_k (k=?)");
    assert_int_equal(db_query_plan(f->db, "SELECT v FROM t WHERE v = ?", plan, sizeof plan,
                                   &err), IB_OK);
    assert_string_equal(plan, "SCAN t");
    /* exactly db_max_variables() parameters bind; one more does not */
    int max = db_max_variables(f->db);
    assert_true(max >= 999);
    char sql[64];
    struct db_stmt *st;
    snprintf(sql, sizeof sql, "SELECT ?%d", max);
    assert_int_equal(db_prepare(f->db, sql, DB_ROLE_PLAIN, &st, &err), IB_OK);
    db_stmt_done(st);
    snprintf(sql, sizeof sql, "SELECT ?%d", max + 1);
    assert_int_equal(db_prepare(f->db, sql, DB_ROLE_PLAIN, &st, &err), IB_ERR);
    assert_non_null(strstr(err.msg, "variable number must be between"));
    run_insert(f->db, "r", 1);
    assert_int_equal(db_last_insert_id(f->db), 1);
    assert_string_equal(db_path(f->db), f->path);
    assert_int_equal(strncmp(db_engine_version(), "sqlite 3.", 9), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_by_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_needs_a_run_and_fullscan_counts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_is_byte_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_name_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_and_limits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
