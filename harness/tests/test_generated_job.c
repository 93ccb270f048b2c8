/* test_generated_job.c: jobs written by junitgen, read back by the reader and
 * the job model: the distinct keys equal the requested N and every testcase
 * written is read, in every dialect, with reruns and duplicates; importbench
 * parse agrees. The merged outcomes are compared with the generator's own
 * account of them for jobs without duplicates: with --dup-rate the
 * generator's summary does not match the files it writes (reported to the
 * lead; the fixtures of test_job.c pin the job model's duplicate rules). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "job.h"
#include "junitgen.h"

struct case_spec {
    enum junitgen_dialect dialect;
    uint64_t results;
    double rerun_rate, dup_rate;
    uint64_t seed;
};

static void expect_outcomes(const struct job *job, const struct junitgen_summary *sum)
{
    assert_int_equal(job->stats.passed, sum->passed);
    assert_int_equal(job->stats.failed, sum->failed + sum->errors);
    assert_int_equal(job->stats.skipped, sum->skipped);
    uint64_t still_failed = 0, rerun = 0;
    for (size_t i = 0; i < job->count; i++) {
        still_failed += (uint64_t)job->results[i].rerun_still_failed;
        rerun += (uint64_t)job->results[i].was_rerun;
    }
    assert_int_equal(still_failed, sum->rerun_still_failed);
    assert_int_equal(rerun, sum->reruns);
}

static void check_job(const struct case_spec *spec)
{
    struct junitgen_options opt;
    junitgen_defaults(&opt);
    opt.results = spec->results;
    opt.dialect = spec->dialect;
    opt.rerun_rate = spec->rerun_rate;
    opt.dup_rate = spec->dup_rate;
    opt.seed = spec->seed;
    opt.message_bytes = 200;
    char *tmp = tmpdir_make();
    char dir[1024], msg[512];
    snprintf(dir, sizeof dir, "%s/job", tmp);
    struct junitgen_summary sum;
    if (junitgen_write_job(&opt, dir, &sum, msg, sizeof msg) != 0)
        fail_msg("junitgen: %s", msg);

    struct job job;
    struct ib_error err;
    if (job_load_dir(&job, dir, &err) != IB_OK)
        fail_msg("%s: %s", junitgen_dialect_name(spec->dialect), err.msg);
    assert_int_equal(job.count, spec->results);
    assert_int_equal(job.files_read, sum.files);
    assert_int_equal(job.testcases_read, sum.testcases);
    assert_int_equal(job.stats.total, spec->results);
    if (spec->dup_rate == 0)
        expect_outcomes(&job, &sum);
    job_free(&job);

    struct cmd_result r;
    run_cmd(&r, "'%s' parse --json '%s'", IB_IMPORTBENCH_BIN, dir);
    assert_int_equal(r.exit_code, 0);
    json_t *root = json_loads(r.out, 0, NULL);
    assert_non_null(root);
    json_t *total = json_object_get(root, "total");
    assert_int_equal(json_integer_value(json_object_get(total, "keys")), spec->results);
    assert_int_equal(json_integer_value(json_object_get(total, "tests")), sum.testcases);
    json_decref(root);
    cmd_result_free(&r);
    tmpdir_remove(tmp);
}

static void test_pytest_defaults(void **state)
{
    (void)state;
    struct case_spec s = {JUNITGEN_PYTEST, 10000, 0.01, 0.0, 1};
    check_job(&s);
}

static void test_surefire_reruns(void **state)
{
    (void)state;
    struct case_spec s = {JUNITGEN_SUREFIRE, 5000, 0.05, 0.0, 7};
    check_job(&s);
}

static void test_gotest_reruns(void **state)
{
    (void)state;
    struct case_spec s = {JUNITGEN_GOTEST, 3000, 0.05, 0.0, 42};
    check_job(&s);
}

static void test_surefire_reruns_and_dups(void **state)
{
    (void)state;
    struct case_spec s = {JUNITGEN_SUREFIRE, 5000, 0.05, 0.1, 7};
    check_job(&s);
}

static void test_gotest_reruns_and_dups(void **state)
{
    (void)state;
    struct case_spec s = {JUNITGEN_GOTEST, 3000, 0.05, 0.2, 42};
    check_job(&s);
}

static void test_pytest_dups_only(void **state)
{
    (void)state;
    struct case_spec s = {JUNITGEN_PYTEST, 1000, 0.0, 0.5, 3};
    check_job(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pytest_defaults),
        cmocka_unit_test(test_surefire_reruns),
        cmocka_unit_test(test_gotest_reruns),
        cmocka_unit_test(test_surefire_reruns_and_dups),
        cmocka_unit_test(test_gotest_reruns_and_dups),
        cmocka_unit_test(test_pytest_dups_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
