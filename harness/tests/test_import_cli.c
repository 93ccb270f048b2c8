/* test_import_cli.c: `importbench import` as a user runs it: generated job
 * directories, the JSON and table outputs, exit codes and exact messages for
 * refusals and bad input, and a database left exactly as before on failure. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "db.h"
#include "schema.h"

#define BIN IB_IMPORTBENCH_BIN
#define JOB "rel/high_availability/19"

struct fixture {
    char *dir;
    char input[4200];   /* a generated job of 200 keys */
    char db[4200];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = tmpdir_make();
    snprintf(f->input, sizeof f->input, "%s/job", f->dir);
    snprintf(f->db, sizeof f->db, "%s/app.db", f->dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' --results 200 --seed 7 --quiet --out '%s'", IB_JUNITGEN_BIN, f->input);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static json_t *run_json(struct cmd_result *r, const char *fmt_args, const char *db,
                        const char *dir)
{
    run_cmd(r, "'%s' import --json --db '%s' --job " JOB " %s '%s'", BIN, db, fmt_args, dir);
    if (r->exit_code != 0)
        fail_msg("exit %d: %s", r->exit_code, r->err);
    json_error_t jerr;
    json_t *o = json_loads(r->out, 0, &jerr);
    assert_non_null(o);
    return o;
}

static long long jint(json_t *o, const char *a, const char *b)
{
    json_t *v = json_object_get(o, a);
    if (b)
        v = json_object_get(v, b);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static void digest_of(const char *db_path, char out[65])
{
    struct db *db;
    struct ib_error err;
    struct db_config cfg = {.path = db_path};
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    assert_int_equal(schema_digest_job(db, "rel", "high_availability", "19", out, &err), IB_OK);
    db_close(db);
}

static void test_help_and_usage(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "'%s' import --help", BIN);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(strncmp(r.out, "usage: importbench import --db FILE", 35), 0);
    cmd_result_free(&r);
    static const struct {
        const char *args, *msg;
    } bad[] = {
        {"--job a/b/c --strategy batch d",
         "importbench: import: --db, --job and --strategy are required "
         "(see 'importbench import --help')\n"},
        {"--db x.db --job a/b --strategy batch d",
         "importbench: --job: expected RELEASE/MODULE/JOBID, got 'a/b'\n"},
        {"--db x.db --job a/b/c --strategy fast d",
         "importbench: --strategy: expected n1, n1-deferred, n1-nocache, batch, bulk, upsert, "
         "floor, copy or n1-pipelined, got 'fast'\n"},
        {"--db x.db --job a/b/c --strategy batch --deferred-writes d",
         "importbench: --deferred-writes: only with --strategy n1\n"},
        {"--db x.db --job a/b/c --strategy bulk --bulk-chunk 0 d",
         "importbench: --bulk-chunk: expected a whole number from 1 to 1000000, got '0'\n"},
        {"--db x.db --job a/b/c --strategy bulk --busy-timeout x d",
         "importbench: --busy-timeout: expected a whole number from 1 to 3600000, got 'x'\n"},
        {"--db x.db --job a/b/c --strategy bulk --profile fast d",
         "importbench: --profile: expected seed, app or keyed, got 'fast'\n"},
        {"--db x.db --job a/b/c --strategy bulk",
         "importbench: import: expected one job directory, got 0\n"},
        {"--db x.db --job a/b/c --strategy bulk d e",
         "importbench: import: expected one job directory, got 2\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_cmd(&r, "'%s' import %s", BIN, bad[i].args);
        assert_int_equal(r.exit_code, 2);
        assert_string_equal(r.err, bad[i].msg);
        assert_string_equal(r.out, "");
        cmd_result_free(&r);
    }
}

/* A new database, then a re-import of the same directory with n1: the same
 * content, every row updated, none inserted. Options after the directory. */
static void test_import_then_reimport(void **state)
{
    struct fixture *f = *state;
    struct cmd_result r;
    json_t *o = run_json(&r, "--strategy batch", f->db, f->input);
    cmd_result_free(&r);
    assert_int_equal(jint(o, "results", NULL), 200);
    assert_int_equal(jint(o, "inserted", NULL), 200);
    assert_int_equal(jint(o, "updated", NULL), 0);
    assert_int_equal(jint(o, "lookups", NULL), 1);
    /* release, module, job, metadata, the lookup; 3 get-or-create rows + 200 */
    assert_int_equal(jint(o, "statements", "select"), 5);
    assert_int_equal(jint(o, "statements", "insert"), 203);
    assert_int_equal(jint(o, "statements", "update"), 1);
    assert_int_equal(jint(o, "statements", "other"), 2);
    assert_true(jint(o, "vm_steps", NULL) > 0);
    assert_true(jint(o, "lookup_map_bytes", NULL) > 0);
    assert_string_equal(jstr(o, "lookup_plan"),
                        "SEARCH test_results USING INDEX idx_job_status (job_id=?)");
    assert_string_equal(jstr(o, "strategy"), "batch");
    assert_string_equal(jstr(o, "profile"), "app");
    assert_true(json_is_real(json_object_get(json_object_get(o, "phases_s"), "commit")));
    assert_true(json_is_real(json_object_get(o, "total_s")));
    char first[65], stored[65];
    snprintf(first, sizeof first, "%s", jstr(o, "digest"));
    digest_of(f->db, stored);
    assert_string_equal(first, stored);
    json_decref(o);

    run_cmd(&r, "'%s' import '%s' --json --db '%s' --job " JOB " --strategy n1", BIN, f->input,
            f->db);
    assert_int_equal(r.exit_code, 0);
    o = json_loads(r.out, 0, NULL);
    cmd_result_free(&r);
    assert_non_null(o);
    assert_int_equal(jint(o, "inserted", NULL), 0);
    assert_int_equal(jint(o, "updated", NULL), 200);
    assert_int_equal(jint(o, "lookups", NULL), 200);
    assert_int_equal(jint(o, "statements", "select"), 205);
    assert_int_equal(jint(o, "statements", "update"), 201);
    assert_int_equal(jint(o, "lookup_map_bytes", NULL), 0);
    assert_string_equal(jstr(o, "digest"), first);
    json_decref(o);
}

static void test_table_output(void **state)
{
    struct fixture *f = *state;
    struct cmd_result r;
    run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy n1 --deferred-writes "
                "--profile seed '%s'", BIN, f->db, f->input);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "\n  strategy     n1-deferred (profile seed)\n"));
    assert_non_null(strstr(r.out, "\n  inserted     200\n  updated      0\n"));
    assert_non_null(strstr(r.out, "\n  statements   410: select 204, insert 203, update 1, "
                                  "other 2\n"));
    assert_non_null(strstr(r.out, "\n  lookups      200\n"));
    assert_non_null(strstr(r.out, "\n  lookup plan  SEARCH test_results USING INDEX "
                                  "ix_test_results_job_id (job_id=?)\n"));
    assert_non_null(strstr(r.out, "\n  digest       "));
    cmd_result_free(&r);
}

/* bulk in chunks of 7 leaves what batch leaves, in ceil(200 / 7) INSERTs. */
static void test_bulk_chunk_option(void **state)
{
    struct fixture *f = *state;
    char other[4300];
    snprintf(other, sizeof other, "%s/other.db", f->dir);
    struct cmd_result r;
    json_t *a = run_json(&r, "--strategy batch --profile keyed", f->db, f->input);
    cmd_result_free(&r);
    json_t *b = run_json(&r, "--strategy bulk --bulk-chunk 7 --profile keyed", other, f->input);
    cmd_result_free(&r);
    assert_string_equal(jstr(a, "digest"), jstr(b, "digest"));
    assert_int_equal(jint(b, "statements", "insert"), 29 + 3);
    json_decref(a);
    json_decref(b);
}

static void test_refusals(void **state)
{
    struct fixture *f = *state;
    struct cmd_result r;
    run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy upsert '%s'", BIN, f->db,
            f->input);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: upsert: needs profile 'keyed' (a unique key on "
                               "job_id, file_path, class_name, test_name), not 'app'\n");
    struct stat sb;
    assert_int_not_equal(stat(f->db, &sb), 0); /* never created */
    cmd_result_free(&r);

    json_t *o = run_json(&r, "--strategy floor", f->db, f->input);
    cmd_result_free(&r);
    char before[65], after[65];
    snprintf(before, sizeof before, "%s", jstr(o, "digest"));
    json_decref(o);
    run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy floor '%s'", BIN, f->db,
            f->input);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: floor: job rel/high_availability/19 already has "
                               "results; it imports only into an empty job\n");
    cmd_result_free(&r);
    run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy batch --profile seed '%s'", BIN,
            f->db, f->input);
    assert_int_equal(r.exit_code, 2);
    char want[4400];
    snprintf(want, sizeof want, "importbench: %s: made with profile 'app', not 'seed'\n", f->db);
    assert_string_equal(r.err, want);
    cmd_result_free(&r);
    digest_of(f->db, after);
    assert_string_equal(before, after);
}

/* A bad file among good ones, a directory without XML, a missing directory:
 * exit 1, a message naming the file, the database unchanged. */
static void test_bad_input(void **state)
{
    struct fixture *f = *state;
    struct cmd_result r;
    json_t *o = run_json(&r, "--strategy batch", f->db, f->input);
    cmd_result_free(&r);
    char before[65], after[65], bad[4300], empty[4300], want[4600];
    snprintf(before, sizeof before, "%s", jstr(o, "digest"));
    json_decref(o);

    snprintf(bad, sizeof bad, "%s/zz_bad.xml", f->input);
    const char *truncated = "<testsuite name=\"s\">\n  <testcase classname=\"a.B\" name=\"t\">\n";
    assert_int_equal(write_whole_file(bad, truncated, strlen(truncated)), 0);
    static const char *const strategies[] = {"n1", "batch", "bulk"};
    for (int i = 0; i < 3; i++) {
        run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy %s '%s'", BIN, f->db,
                strategies[i], f->input);
        assert_int_equal(r.exit_code, 1);
        snprintf(want, sizeof want, "importbench: %s:", bad);
        assert_int_equal(strncmp(r.err, want, strlen(want)), 0);
        cmd_result_free(&r);
        digest_of(f->db, after);
        assert_string_equal(before, after);
    }

    snprintf(empty, sizeof empty, "%s/empty", f->dir);
    assert_int_equal(mkdir(empty, 0777), 0);
    run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy batch '%s'", BIN, f->db, empty);
    assert_int_equal(r.exit_code, 1);
    snprintf(want, sizeof want, "importbench: %s: no xml files\n", empty);
    assert_string_equal(r.err, want);
    cmd_result_free(&r);
    digest_of(f->db, after);
    assert_string_equal(before, after);

    /* into a new database: no file is left behind */
    char fresh[4300];
    snprintf(fresh, sizeof fresh, "%s/new.db", f->dir);
    run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy batch '%s'", BIN, fresh,
            f->input);
    assert_int_equal(r.exit_code, 1);
    cmd_result_free(&r);
    struct stat sb;
    assert_int_not_equal(stat(fresh, &sb), 0);
}

/* Another connection holds the write lock: the import waits --busy-timeout,
 * then fails with the file's name; nothing changed. */
static void test_locked_database(void **state)
{
    struct fixture *f = *state;
    struct cmd_result r;
    json_t *o = run_json(&r, "--strategy batch", f->db, f->input);
    cmd_result_free(&r);
    char before[65], after[65], want[4400];
    snprintf(before, sizeof before, "%s", jstr(o, "digest"));
    json_decref(o);

    struct db *holder;
    struct ib_error err;
    struct db_config cfg = {.path = f->db};
    assert_int_equal(db_open(&holder, &cfg, &err), IB_OK);
    assert_int_equal(db_begin(holder, &err), IB_OK);
    assert_int_equal(db_exec(holder, "UPDATE releases SET is_active = 0", &err), IB_OK);
    run_cmd(&r, "'%s' import --db '%s' --job " JOB " --strategy n1 --busy-timeout 50 '%s'",
            BIN, f->db, f->input);
    assert_int_equal(r.exit_code, 1);
    snprintf(want, sizeof want, "importbench: %s: database is locked\n", f->db);
    assert_string_equal(r.err, want);
    cmd_result_free(&r);
    db_rollback(holder);
    db_close(holder);
    digest_of(f->db, after);
    assert_string_equal(before, after);
}

/* Two jobs in one database; each digest stays its own. */
static void test_two_jobs(void **state)
{
    struct fixture *f = *state;
    char second[4300];
    snprintf(second, sizeof second, "%s/second", f->dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' --results 50 --seed 3 --quiet --out '%s'", IB_JUNITGEN_BIN, second);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    json_t *a = run_json(&r, "--strategy bulk", f->db, f->input);
    cmd_result_free(&r);
    run_cmd(&r, "'%s' import --json --db '%s' --job rel/high_availability/20 --strategy bulk "
                "'%s'", BIN, f->db, second);
    assert_int_equal(r.exit_code, 0);
    json_t *b = json_loads(r.out, 0, NULL);
    cmd_result_free(&r);
    assert_int_equal(jint(b, "inserted", NULL), 50);
    char now[65];
    digest_of(f->db, now);
    assert_string_equal(now, jstr(a, "digest"));
    assert_string_not_equal(jstr(a, "digest"), jstr(b, "digest"));
    json_decref(a);
    json_decref(b);
}

struct names {
    char rows[4][3][256];
    int n;
};

static int keep_names(void *ctx, const char *const *fields)
{
    struct names *k = ctx;
    for (int i = 0; i < 3; i++)
        snprintf(k->rows[k->n][i], sizeof k->rows[0][0], "%s", fields[i]);
    k->n++;
    return IB_OK;
}

/* Quotes, SQL and non-ASCII in XML arrive in the database byte for byte, with
 * every strategy alike. */
static void test_odd_names_from_xml(void **state)
{
    struct fixture *f = *state;
    char odd[4300];
    snprintf(odd, sizeof odd, "%s/odd", f->dir);
    assert_int_equal(mkdir(odd, 0777), 0);
    char path[4400];
    snprintf(path, sizeof path, "%s/1_mod_t.xml", odd);
    const char *xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"odd\">\n"
        "  <testcase classname=\"pkg.It&apos;s\" name=\"test_&quot;q&quot;); DROP TABLE "
        "test_results; --\" file=\"tests/caf&#233;/\xe6\x97\xa5\xe6\x9c\xac.py\"/>\n"
        "  <testcase classname=\"pkg.B\" name=\"test_%s%n\\ &lt;x&gt;\"/>\n"
        "</testsuite>\n";
    assert_int_equal(write_whole_file(path, xml, strlen(xml)), 0);
    static const char *const strategies[] = {"n1", "batch", "bulk", "upsert", "floor"};
    char first[65] = "";
    for (int i = 0; i < 5; i++) {
        char db_path[4400];
        snprintf(db_path, sizeof db_path, "%s/odd%d.db", f->dir, i);
        char args[64];
        snprintf(args, sizeof args, "--strategy %s --profile keyed", strategies[i]);
        struct cmd_result r;
        json_t *o = run_json(&r, args, db_path, odd);
        cmd_result_free(&r);
        if (!first[0])
            snprintf(first, sizeof first, "%s", jstr(o, "digest"));
        assert_string_equal(jstr(o, "digest"), first);
        json_decref(o);
        struct db *db;
        struct ib_error err;
        struct db_config cfg = {.path = db_path};
        struct names k = {.n = 0};
        assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
        assert_int_equal(schema_each_job_row(db, "rel", "high_availability", "19", keep_names,
                                             &k, &err), IB_OK);
        db_close(db);
        assert_int_equal(k.n, 2);
        assert_string_equal(k.rows[0][0], "pkg/B");
        assert_string_equal(k.rows[0][1], "B");
        assert_string_equal(k.rows[0][2], "test_%s%n\\ <x>");
        assert_string_equal(k.rows[1][0], "tests/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.py");
        assert_string_equal(k.rows[1][1], "It's");
        assert_string_equal(k.rows[1][2], "test_\"q\"); DROP TABLE test_results; --");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage),
        cmocka_unit_test_setup_teardown(test_import_then_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_chunk_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_jobs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_odd_names_from_xml, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
