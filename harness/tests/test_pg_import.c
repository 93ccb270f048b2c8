/* test_pg_import.c: `importbench import` and `verify` with --backend postgres,
 * against the ctest fixture's throwaway server: the same digests as SQLite
 * for the same input in every profile, lookups N / 1 / 0, reimports, a failed
 * import leaving no rows and no job, a server connection lost mid-import, and
 * the refusals of the new options. Skips where no server runs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pgtest.h"

#define BIN IB_IMPORTBENCH_BIN
#define JOB "rel/high_availability/19"
#define N 300

struct fixture {
    char tcp[PGTEST_DSN_MAX], unix_dsn[PGTEST_DSN_MAX];
    int have_server;
    char *dir;
    char input[4200];   /* a generated job of N keys */
    char sqlite_digest[65];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    f->have_server = pgtest_dsn("test_pg_import", f->tcp, f->unix_dsn) == 0;
    f->dir = tmpdir_make();
    snprintf(f->input, sizeof f->input, "%s/job", f->dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' --results %d --seed 11 --quiet --out '%s'", IB_JUNITGEN_BIN, N, f->input);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

#define NEED_SERVER(f)         \
    do {                       \
        if (!(f)->have_server) \
            skip();            \
    } while (0)

/* import --json into database `db` of the server at dsn (NULL: SQLite file). */
static json_t *import_json(const struct fixture *f, const char *dsn, const char *db,
                           const char *args, const char *dir)
{
    struct cmd_result r;
    if (dsn)
        run_cmd(&r, "'%s' import --json --backend postgres --pg-dsn '%s' --db '%s' --job " JOB
                " %s '%s'", BIN, dsn, db, args, dir ? dir : f->input);
    else
        run_cmd(&r, "'%s' import --json --db '%s' --job " JOB " %s '%s'", BIN, db, args,
                dir ? dir : f->input);
    if (r.exit_code != 0)
        fail_msg("import %s: exit %d: %s", args, r.exit_code, r.err);
    json_error_t jerr;
    json_t *o = json_loads(r.out, 0, &jerr);
    cmd_result_free(&r);
    assert_non_null(o);
    return o;
}

static long long jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static void sqlite_digest(struct fixture *f)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/ref.db", f->dir);
    json_t *o = import_json(f, NULL, path, "--strategy n1", NULL);
    snprintf(f->sqlite_digest, sizeof f->sqlite_digest, "%s", jstr(o, "digest"));
    assert_string_equal(jstr(o, "backend"), "sqlite");
    assert_true(json_is_null(json_object_get(o, "rtt_us_measured")));
    assert_int_equal(jint(o, "round_trips"), 0);
    json_decref(o);
}

/* One import into a new database; checks digest and lookups, drops it. */
static void import_checked(struct fixture *f, const char *dsn, const char *profile,
                           const char *strategy, long long lookups)
{
    char db[128], args[128];
    snprintf(args, sizeof args, "%s_%s", profile, strategy);
    pgtest_name(db, sizeof db, args);
    pgtest_drop(f->tcp, db);
    snprintf(args, sizeof args, "--profile %s --strategy %s", profile, strategy);
    json_t *o = import_json(f, dsn, db, args, NULL);
    assert_string_equal(jstr(o, "digest"), f->sqlite_digest);
    assert_int_equal(jint(o, "lookups"), lookups);
    assert_int_equal(jint(o, "inserted"), N);
    assert_string_equal(jstr(o, "backend"), "postgres");
    assert_true(jint(o, "round_trips") >= jint(o, "lookups"));
    assert_true(json_real_value(json_object_get(o, "rtt_us_measured")) > 0.0);
    assert_true(json_is_null(json_object_get(o, "vm_steps")));
    json_decref(o);
    pgtest_drop(f->tcp, db);
}

static void test_same_digest_as_sqlite(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    sqlite_digest(f);
    static const char *const profiles[] = {"seed", "app", "keyed"};
    for (int p = 0; p < 3; p++)
        import_checked(f, f->tcp, profiles[p], "n1", N);
    import_checked(f, f->tcp, "app", "batch", 1);
    import_checked(f, f->tcp, "app", "bulk", 1);
    import_checked(f, f->tcp, "app", "floor", 0);
    import_checked(f, f->unix_dsn, "app", "copy", 1);
    import_checked(f, f->unix_dsn, "keyed", "upsert", 0);
}

/* A second import of the same job updates every row, whatever the strategy. */
static void test_reimport(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    sqlite_digest(f);
    char db[128];
    pgtest_name(db, sizeof db, "reimport");
    pgtest_drop(f->tcp, db);
    json_t *o = import_json(f, f->tcp, db, "--strategy copy", NULL);
    json_decref(o);
    static const char *const again[] = {"n1-deferred", "bulk", "copy", "n1-nocache"};
    for (int i = 0; i < 4; i++) {
        char args[64];
        snprintf(args, sizeof args, "--strategy %s", again[i]);
        o = import_json(f, f->tcp, db, args, NULL);
        assert_int_equal(jint(o, "inserted"), 0);
        assert_int_equal(jint(o, "updated"), N);
        assert_string_equal(jstr(o, "digest"), f->sqlite_digest);
        json_decref(o);
    }
    assert_int_equal(pgtest_value(f->tcp, db, "SELECT count(*) FROM test_results"), N);
    pgtest_drop(f->tcp, db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_digest_as_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
