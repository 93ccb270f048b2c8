/* test_pg_import.c: `importbench import` and `verify` with --backend postgres,
 * against the ctest fixture's throwaway server: the same digests as SQLite
 * for the same input in every profile, lookups N / 1 / 0, reimports, a failed
 * import leaving no rows and no job, a server connection lost mid-import, and
 * the refusals of the new options. Skips where no server runs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
    import_checked(f, f->tcp, "seed", "n1-pipelined", N);
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
    static const char *const again[] = {"n1-deferred", "bulk", "copy", "n1-nocache",
                                        "n1-pipelined"};
    for (int i = 0; i < 5; i++) {
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

/* A job directory of three results, the last with a class name longer than
 * the column's 200 characters: PostgreSQL refuses it mid-import. */
static void write_bad_job(const struct fixture *f, char *dir, size_t len)
{
    snprintf(dir, len, "%s/bad", f->dir);
    char path[4400], xml[2048], cls[251];
    memset(cls, 'C', 250);
    cls[250] = '\0';
    snprintf(path, sizeof path, "mkdir -p '%s'", dir);
    assert_int_equal(system(path), 0);
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites><testsuite name=\"pytest\">"
             "<testcase classname=\"tests.test_a.Good\" name=\"test_one\" file=\"tests/test_a.py\"/>"
             "<testcase classname=\"tests.test_a.Good\" name=\"test_two\" file=\"tests/test_a.py\"/>"
             "<testcase classname=\"tests.test_a.%s\" name=\"test_three\" file=\"tests/test_a.py\"/>"
             "</testsuite></testsuites>\n", cls);
    snprintf(path, sizeof path, "%s/20260101_high_availability_topo1.xml", dir);
    assert_int_equal(write_whole_file(path, xml, strlen(xml)), 0);
}

static void expect_failed_import(const struct fixture *f, const char *db, const char *dir,
                                 const char *strategy, const char *job)
{
    struct cmd_result r;
    run_cmd(&r, "'%s' import --backend postgres --pg-dsn '%s' --db '%s' --job %s --strategy %s"
            " '%s'", BIN, f->tcp, db, job, strategy, dir);
    char want[512];
    snprintf(want, sizeof want, "importbench: %s: value too long for type character "
             "varying(200)\n", db);
    assert_int_equal(r.exit_code, 1);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    cmd_result_free(&r);
}

/* A failure inside the transaction leaves nothing: no rows and no job in a
 * database that holds other jobs; no database at all where the import made it. */
static void test_failure_rolls_back(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    char bad[4300], db[128], sql[256];
    write_bad_job(f, bad, sizeof bad);
    pgtest_name(db, sizeof db, "rollback");
    pgtest_drop(f->tcp, db);
    expect_failed_import(f, db, bad, "n1", "rel/high_availability/20");
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_database WHERE datname = '%s'", db);
    assert_int_equal(pgtest_value(f->tcp, NULL, sql), 0);

    json_t *o = import_json(f, f->tcp, db, "--strategy bulk", NULL);
    json_decref(o);
    static const char *const strategies[] = {"n1", "bulk", "copy"};
    for (int i = 0; i < 3; i++) {
        expect_failed_import(f, db, bad, strategies[i], "rel/high_availability/20");
        assert_int_equal(pgtest_value(f->tcp, db, "SELECT count(*) FROM jobs"), 1);
        assert_int_equal(pgtest_value(f->tcp, db, "SELECT count(*) FROM test_results"), N);
    }
    /* into the job that exists: its rows stay as they were */
    expect_failed_import(f, db, bad, "batch", JOB);
    assert_int_equal(pgtest_value(f->tcp, db, "SELECT count(*) FROM test_results"
                                  " WHERE file_path = 'tests/test_a.py'"), 0);
    pgtest_drop(f->tcp, db);
}

/* The import's server connection is ended from a second connection while the
 * import waits inside its transaction (a trigger sleeps at the 150th row):
 * a clear error, exit 1, and no partial job. */
static void test_server_gone_mid_import(void **state)
{
    struct fixture *f = *state;
    NEED_SERVER(f);
    char db[128], sql[512];
    pgtest_name(db, sizeof db, "gone");
    pgtest_drop(f->tcp, db);
    json_t *o = import_json(f, f->tcp, db, "--strategy bulk", NULL);
    json_decref(o);
    assert_int_equal(pgtest_exec(f->tcp, db,
        "CREATE SEQUENCE ib_rows;"
        "CREATE FUNCTION ib_stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF nextval('ib_rows') = 150 THEN PERFORM pg_sleep(60); END IF; RETURN NEW; END $$;"
        "CREATE TRIGGER ib_stall BEFORE INSERT ON test_results FOR EACH ROW"
        " EXECUTE FUNCTION ib_stall()"), 0);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' import --backend postgres --pg-dsn '%s' --db '%s'"
             " --job rel/high_availability/20 --strategy n1 '%s' 2>&1", BIN, f->tcp, db,
             f->input);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    snprintf(sql, sizeof sql, "SELECT pid FROM pg_stat_activity WHERE datname = '%s'"
             " AND wait_event = 'PgSleep'", db);
    long long pid = -1;
    for (int i = 0; i < 300 && pid < 0; i++) {   /* at most 30 s */
        usleep(100000);
        pid = pgtest_value(f->tcp, NULL, sql);
    }
    assert_true(pid > 0);
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", pid);
    assert_int_equal(pgtest_exec(f->tcp, NULL, sql), 0);
    char out[4096];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char want[512];
    snprintf(want, sizeof want, "importbench: %s: connection to the server lost: "
             "terminating connection due to administrator command\n", db);
    assert_string_equal(out, want);
    assert_int_equal(pgtest_value(f->tcp, db, "SELECT count(*) FROM jobs"), 1);
    assert_int_equal(pgtest_value(f->tcp, db, "SELECT count(*) FROM test_results"), N);
    pgtest_drop(f->tcp, db);
}

/* The new options' refusals; none needs a server. */
static void test_option_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *args, *msg;
    } bad[] = {
        {"import --db x.db --job a/b/c --strategy copy d",
         "importbench: copy: not on the sqlite backend (try --backend postgres)\n"},
        {"import --db x.db --job a/b/c --strategy n1 --pg-dsn 'port=1' d",
         "importbench: --pg-dsn: only with --backend postgres\n"},
        {"import --db x.db --job a/b/c --strategy n1 --backend mysql d",
         "importbench: --backend: expected sqlite or postgres, got 'mysql'\n"},
        {"import --db x --job a/b/c --strategy n1 --backend postgres d",
         "importbench: --backend postgres: needs --pg-dsn or $IMPORTBENCH_PG_DSN "
         "(scripts/pg-start prints one)\n"},
        {"verify --backend postgres",
         "importbench: --backend postgres: needs --pg-dsn or $IMPORTBENCH_PG_DSN "
         "(scripts/pg-start prints one)\n"},
        {"verify --pg-dsn 'port=1'", "importbench: --pg-dsn: only with --backend postgres\n"},
        {"verify --backend oracle",
         "importbench: --backend: expected sqlite or postgres, got 'oracle'\n"},
    };
    struct cmd_result r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_cmd(&r, "env -u IMPORTBENCH_PG_DSN '%s' %s", BIN, bad[i].args);
        assert_int_equal(r.exit_code, 2);
        assert_string_equal(r.err, bad[i].msg);
        cmd_result_free(&r);
    }
    struct fixture *f = *state;
    run_cmd(&r, "'%s' import --backend postgres --pg-dsn nonsense --db x --job a/b/c"
            " --strategy n1 '%s'", BIN, f->input);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: --pg-dsn: missing \"=\" after \"nonsense\" in "
                               "connection info string\n");
    cmd_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_digest_as_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server_gone_mid_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_option_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
