/* test_verify.c: `importbench verify` passes the real strategies and catches
 * wrong ones, naming strategy, scenario, profile and the first differing row. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "job.h"
#include "scenario.h"
#include "verify.h"

#define BIN IB_IMPORTBENCH_BIN

static void test_cli(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct cmd_result r;
    run_cmd(&r, "'%s' verify --results 40 --history 1 --profiles app,keyed --keep '%s/k'", BIN,
            dir);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    size_t len = strlen(r.out);
    const char *tail = "\n48 imports, 0 disagreeing\n";
    assert_true(len > strlen(tail));
    assert_string_equal(r.out + len - strlen(tail), tail);
    assert_non_null(strstr(r.out, "\nreimport  keyed  upsert             40        0       40 "));
    assert_null(strstr(r.out, "DIFFERS"));
    cmd_result_free(&r);
    char path[4300];
    struct stat sb;
    snprintf(path, sizeof path, "%s/k/overlap/keyed.upsert.db", dir);
    assert_int_equal(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/k/dups/input", dir);
    assert_int_equal(stat(path, &sb), 0);

    run_cmd(&r, "'%s' verify --help", BIN);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(strncmp(r.out, "usage: importbench verify", 25), 0);
    cmd_result_free(&r);
    run_cmd(&r, "'%s' verify --profiles app,fast", BIN);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err,
                        "importbench: --profiles: expected seed, app or keyed, got 'fast'\n");
    cmd_result_free(&r);
    run_cmd(&r, "'%s' verify --results 0", BIN);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: --results: expected a count from 1 to 1000000 "
                               "(1k = 1000, 1M = 1000000), got '0'\n");
    cmd_result_free(&r);
    tmpdir_remove(dir);
}

/* Wrong on purpose: drops the last result. */
static int skip_last(const struct import_ctx *ctx, struct strategy_outcome *out,
                     struct ib_error *err)
{
    struct job shorter = *ctx->job;
    struct import_ctx c = *ctx;
    shorter.count--;
    c.job = &shorter;
    return strategy_batch.import(&c, out, err);
}

/* Wrong on purpose: ignores the metadata's priorities. */
static int no_priority(const struct import_ctx *ctx, struct strategy_outcome *out,
                       struct ib_error *err)
{
    struct import_ctx c = *ctx;
    c.priorities = NULL;
    return strategy_batch.import(&c, out, err);
}

static const struct strategy skipping = {
    .name = "skip-last", .lookup_sql = "SELECT 1", .stmt_cache = 1, .import = skip_last};
static const struct strategy unprioritised = {
    .name = "no-priority", .lookup_sql = "SELECT 1", .stmt_cache = 1, .import = no_priority};

static char *run_verify(const struct strategy *wrong, struct verify_summary *sum)
{
    const struct strategy *list[] = {&strategy_batch, wrong};
    char *table = NULL, *diag = NULL;
    size_t tlen, dlen;
    FILE *out = open_memstream(&table, &tlen), *dg = open_memstream(&diag, &dlen);
    struct verify_options opt = {.results = 40, .history = 1, .seed = 5,
                                 .profiles = 1u << PROFILE_APP, .strategies = list,
                                 .nstrategies = 2, .out = out, .diag = dg};
    struct ib_error err;
    if (verify_run(&opt, sum, &err) != IB_OK)
        fail_msg("%s", err.msg);
    fclose(out);
    fclose(dg);
    assert_non_null(strstr(table, "DIFFERS"));
    free(table);
    return diag;
}

/* The key of the job's last result, as verify's fresh scenario generates it. */
static void last_key(char *out, size_t outlen)
{
    char *dir = tmpdir_make(), input[4300], msg[512];
    snprintf(input, sizeof input, "%s/in", dir);
    struct junitgen_options g;
    struct junitgen_summary gs;
    scenario_generator_options(SCENARIO_FRESH, 40, 0, 5, &g);
    assert_int_equal(junitgen_write_job(&g, input, &gs, msg, sizeof msg), 0);
    struct job job = {0};
    struct ib_error err;
    assert_int_equal(job_load_dir(&job, input, &err), IB_OK);
    const struct job_result *r = &job.results[job.count - 1];
    snprintf(out, outlen, "('%s', '%s', '%s')", r->file_path, r->class_name, r->test_name);
    job_free(&job);
    tmpdir_remove(dir);
}

static void test_catches_skipped_row(void **state)
{
    (void)state;
    struct verify_summary sum;
    char *diag = run_verify(&skipping, &sum);
    assert_int_equal(sum.runs, 8);
    assert_int_equal(sum.disagreements, 4);
    char key[1024], want[1400];
    last_key(key, sizeof key);
    assert_non_null(strstr(diag, "importbench: verify: fresh/skip-last on app: inserted 39 "
                                 "and updated 0, expected 40 and 0\n"));
    snprintf(want, sizeof want, " of batch on app; first differing row %s: missing in "
                                "skip-last on app\n", key);
    assert_non_null(strstr(diag, want));
    assert_non_null(strstr(diag, "importbench: verify: fresh/skip-last on app: digest "));
    assert_non_null(strstr(diag, "importbench: verify: dups/skip-last on app: digest "));
    free(diag);
}

static void test_catches_wrong_value(void **state)
{
    (void)state;
    struct verify_summary sum;
    char *diag = run_verify(&unprioritised, &sum);
    assert_int_equal(sum.runs, 8);
    assert_int_equal(sum.disagreements, 4);
    /* only the digest can tell: counts are right */
    assert_null(strstr(diag, "inserted"));
    const char *line = strstr(diag, "importbench: verify: reimport/no-priority on app: digest ");
    assert_non_null(line);
    const char *what = strstr(line, ": priority 'P");
    assert_non_null(what);
    assert_non_null(strstr(what, "' in batch on app, 'NULL' in no-priority on app\n"));
    free(diag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_catches_skipped_row),
        cmocka_unit_test(test_catches_wrong_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
