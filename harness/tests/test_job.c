/* test_job.c: the job model on the hand-written job directories of
 * fixtures/jobs/: file order, rerun merge, duplicates (last wins), the key rule,
 * testcase_module, statistics and pass_rate rounding, and refused inputs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"

static void load_fixture(const char *name, struct job *job)
{
    char dir[1024];
    struct ib_error err;
    snprintf(dir, sizeof dir, "%s/jobs/%s", IB_FIXTURES_DIR, name);
    if (job_load_dir(job, dir, &err) != IB_OK)
        fail_msg("%s", err.msg);
}

static void expect_result(const struct job_result *r, const char *file_path,
                          const char *class_name, const char *test_name,
                          enum result_status status, const char *message, const char *topology,
                          const char *module, int order_index, int was_rerun, int still_failed)
{
    assert_string_equal(r->file_path, file_path);
    assert_string_equal(r->class_name, class_name);
    assert_string_equal(r->test_name, test_name);
    assert_string_equal(result_status_name(r->status), result_status_name(status));
    if (message)
        assert_string_equal(r->failure_message, message);
    else
        assert_null(r->failure_message);
    assert_string_equal(r->jenkins_topology, topology);
    assert_string_equal(r->testcase_module, module);
    assert_int_equal(r->order_index, order_index);
    assert_int_equal(r->was_rerun, was_rerun);
    assert_int_equal(r->rerun_still_failed, still_failed);
    assert_true(r->key_hash == job_key_hash(file_path, class_name, test_name));
}

/* Main runs in name order (topoC's timestamp sorts first, zeta.xml after the
 * timestamped files but before the rerun), then the rerun. */
static void test_rerun_merge(void **state)
{
    (void)state;
    struct job job;
    load_fixture("rerun", &job);
    assert_int_equal(job.files_read, 4);
    assert_int_equal(job.testcases_read, 9);
    assert_int_equal(job.count, 7);
    const char *peer = "data_plane/tests/routing/bgp/test_peer.py";
    expect_result(&job.results[0], "data_plane/tests/acl/test_rules.py", "test_rules",
                  "test_deny", RESULT_PASSED, NULL, "topoC", "acl", 0, 0, 0);
    expect_result(&job.results[1], peer, "test_peer", "test_up", RESULT_PASSED, NULL, "topoA",
                  "routing", 1, 0, 0);
    expect_result(&job.results[2], peer, "test_peer", "test_flap[v4]", RESULT_PASSED, NULL,
                  "topoA", "routing", 2, 1, 0);
    expect_result(&job.results[3], peer, "test_peer", "test_flap[v6]", RESULT_FAILED,
                  "still flapping\n\ntrace C", "topoA", "routing", 3, 1, 1);
    expect_result(&job.results[4], peer, "test_peer", "test_slow", RESULT_SKIPPED, NULL,
                  "topoA", "routing", 4, 0, 0);
    expect_result(&job.results[5], "tools/Lint", "Lint", "test_lint", RESULT_FAILED, "crashed",
                  "zeta", "tools", 5, 0, 0);
    expect_result(&job.results[6], peer, "test_peer", "test_only_in_rerun", RESULT_PASSED,
                  NULL, "topoA", "routing", 6, 1, 0);
    assert_int_equal(job.stats.total, 7);
    assert_int_equal(job.stats.passed, 4);
    assert_int_equal(job.stats.failed, 2);
    assert_int_equal(job.stats.skipped, 1);
    assert_true(job.stats.pass_rate == 57.14);
    job_free(&job);
    assert_null(job.results);
    assert_int_equal(job.count, 0);
}

/* The same key on two topologies: the last occurrence's values, the first
 * occurrence's place. A different classname with the same key is the same key. */
static void test_duplicates_last_wins(void **state)
{
    (void)state;
    struct job job;
    load_fixture("dups", &job);
    assert_int_equal(job.files_read, 2);
    assert_int_equal(job.testcases_read, 7);
    assert_int_equal(job.count, 4);
    const char *f = "pkg/sub/TestX";
    expect_result(&job.results[0], f, "TestX", "test_k1", RESULT_FAILED,
                  "last wins\n\non topoB", "topoB", "pkg", 5, 0, 0);
    expect_result(&job.results[1], f, "TestX", "test_k2", RESULT_PASSED, NULL, "topoB", "pkg",
                  3, 0, 0);
    expect_result(&job.results[2], f, "TestX", "test_k3", RESULT_PASSED, NULL, "topoB", "pkg",
                  6, 0, 0);
    expect_result(&job.results[3], f, "TestX", "test_k4", RESULT_SKIPPED, NULL, "topoB", "pkg",
                  4, 0, 0);
    assert_int_equal(job.stats.total, 4);
    assert_int_equal(job.stats.passed, 2);
    assert_int_equal(job.stats.failed, 1);
    assert_int_equal(job.stats.skipped, 1);
    assert_true(job.stats.pass_rate == 50.0);
    job_free(&job);
}

static void test_files_in_given_order(void **state)
{
    (void)state;
    const char *paths[] = {
        IB_FIXTURES_DIR "/jobs/dups/2_mod_topoB.xml",
        IB_FIXTURES_DIR "/jobs/dups/1_mod_topoA.xml",
    };
    struct job job;
    struct ib_error err;
    assert_int_equal(job_load_files(&job, paths, 2, &err), IB_OK);
    assert_int_equal(job.count, 4);
    const char *f = "pkg/sub/TestX";
    expect_result(&job.results[0], f, "TestX", "test_k2", RESULT_FAILED, "first", "topoA", "pkg",
                  5, 0, 0);
    expect_result(&job.results[1], f, "TestX", "test_k4", RESULT_SKIPPED, NULL, "topoB", "pkg",
                  1, 0, 0);
    expect_result(&job.results[2], f, "TestX", "test_k1", RESULT_PASSED, NULL, "topoA", "pkg",
                  4, 0, 0);
    expect_result(&job.results[3], f, "TestX", "test_k3", RESULT_PASSED, NULL, "topoA", "pkg",
                  6, 0, 0);
    job_free(&job);
    assert_int_equal(job_load_files(&job, paths, 0, &err), IB_ERR);
    assert_string_equal(err.msg, "no xml files given");
}

static void expect_load_error(const char *dir, const char *message)
{
    struct job job;
    struct ib_error err;
    assert_int_equal(job_load_dir(&job, dir, &err), IB_ERR);
    assert_string_equal(err.msg, message);
    assert_null(job.results);
    assert_null(job.arena);
    assert_int_equal(job.count, 0);
    assert_int_equal(job.stats.total, 0);
    job_free(&job);
}

static void test_refused_inputs(void **state)
{
    (void)state;
    expect_load_error(IB_FIXTURES_DIR "/jobs/nameless",
                      IB_FIXTURES_DIR "/jobs/nameless/1_mod_topoA.xml:4: testcase has no name");
    expect_load_error(IB_FIXTURES_DIR "/jobs/empty",
                      IB_FIXTURES_DIR "/jobs/empty: no xml files");
    expect_load_error(IB_FIXTURES_DIR "/jobs/bad",
                      IB_FIXTURES_DIR "/jobs/bad/2_mod_topoB.xml:5:13: opening and ending tag "
                                      "mismatch: testcase line 4 and testsuite");
    expect_load_error(IB_FIXTURES_DIR "/jobs/absent",
                      IB_FIXTURES_DIR "/jobs/absent: no such directory");
}

static void test_no_tests(void **state)
{
    (void)state;
    struct job job;
    load_fixture("no_tests", &job);
    assert_int_equal(job.files_read, 1);
    assert_int_equal(job.count, 0);
    assert_int_equal(job.stats.total, 0);
    assert_true(job.stats.pass_rate == 0.0);
    job_free(&job);
}

/* A job of `total` testcases, `passed` of them passing, in a temporary directory. */
static double pass_rate_of(int passed, int total)
{
    char *dir = tmpdir_make();
    char path[1024];
    snprintf(path, sizeof path, "%s/1_m_t.xml", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("<testsuite>\n", fp);
    for (int i = 0; i < total; i++)
        fprintf(fp, "<testcase classname='c.T' name='t%d'>%s</testcase>\n", i,
                i < passed ? "" : "<failure/>");
    fputs("</testsuite>\n", fp);
    fclose(fp);
    struct job job;
    struct ib_error err;
    assert_int_equal(job_load_dir(&job, dir, &err), IB_OK);
    assert_int_equal(job.stats.total, total);
    assert_int_equal(job.stats.passed, passed);
    double rate = job.stats.pass_rate;
    job_free(&job);
    tmpdir_remove(dir);
    return rate;
}

/* As Python's round(x, 2): 100 * 97 / 800 is exactly 12.125, which goes to even. */
static void test_pass_rate_rounding(void **state)
{
    (void)state;
    assert_true(pass_rate_of(97, 800) == 12.12);
    assert_true(pass_rate_of(1, 3) == 33.33);
    assert_true(pass_rate_of(2, 3) == 66.67);
    assert_true(pass_rate_of(1, 8) == 12.5);
    assert_true(pass_rate_of(3, 3) == 100.0);
    assert_true(pass_rate_of(0, 2) == 0.0);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_key_hash(void **state)
{
    (void)state;
    uint64_t h = job_key_hash("a/b.py", "C", "test");
    assert_true(h == job_key_hash("a/b.py", "C", "test"));
    /* Shifting a boundary changes the key, and the hash. */
    assert_true(job_key_hash("ab", "c", "d") != job_key_hash("a", "bc", "d"));
    assert_true(job_key_hash("a", "bc", "d") != job_key_hash("a", "b", "cd"));
    assert_true(job_key_hash("", "", "abc") != job_key_hash("abc", "", ""));
    assert_true(job_key_hash("12345678", "", "") != job_key_hash("1234567", "8", ""));
    /* No collision among many similar keys (a 64-bit hash makes one vanishingly unlikely). */
    enum { N = 100000 };
    uint64_t *hs = malloc(N * sizeof *hs);
    char name[64];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "test_%d[p-%d]", i, i % 10);
        hs[i] = job_key_hash("data_plane/tests/mod/test_x.py", "TestX", name);
    }
    qsort(hs, N, sizeof *hs, cmp_u64);
    for (int i = 1; i < N; i++)
        assert_true(hs[i] != hs[i - 1]);
    free(hs);
}

static void test_key_compare(void **state)
{
    (void)state;
    struct job_result a = {0}, b = {0};
    a.file_path = "a.py", a.class_name = "Z", a.test_name = "t";
    b.file_path = "b.py", b.class_name = "A", b.test_name = "a";
    assert_true(job_key_compare(&a, &b) < 0);
    b.file_path = "a.py";
    assert_true(job_key_compare(&a, &b) > 0);
    b.class_name = "Z";
    assert_true(job_key_compare(&a, &b) > 0);
    b.test_name = "t";
    assert_int_equal(job_key_compare(&a, &b), 0);
    b.test_name = "\xc3\xa9";          /* bytewise: non-ASCII after ASCII */
    assert_true(job_key_compare(&a, &b) < 0);
}

static void test_normalised_name(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(job_normalised_name("test_foo[param-3]", buf, sizeof buf), "test_foo");
    assert_string_equal(job_normalised_name("test_foo", buf, sizeof buf), "test_foo");
    assert_string_equal(job_normalised_name("test_x[a[b]]", buf, sizeof buf), "test_x");
    assert_string_equal(job_normalised_name("test[a]b", buf, sizeof buf), "test[a]b");
    assert_string_equal(job_normalised_name("[only]", buf, sizeof buf), "");
    assert_string_equal(job_normalised_name("test_foo[p]", buf, 5), "test");
    assert_string_equal(result_status_name(RESULT_PASSED), "PASSED");
    assert_string_equal(result_status_name(RESULT_FAILED), "FAILED");
    assert_string_equal(result_status_name(RESULT_SKIPPED), "SKIPPED");
}

static void test_list_dir_order(void **state)
{
    (void)state;
    char **paths;
    size_t n;
    struct ib_error err;
    assert_int_equal(job_list_dir(IB_FIXTURES_DIR "/jobs/rerun", &paths, &n, &err), IB_OK);
    assert_int_equal(n, 4);
    assert_string_equal(paths[0], IB_FIXTURES_DIR "/jobs/rerun/20240301110000_net_topoC.xml");
    assert_string_equal(paths[1], IB_FIXTURES_DIR "/jobs/rerun/20240301120000_net_topoA.xml");
    assert_string_equal(paths[2], IB_FIXTURES_DIR "/jobs/rerun/zeta.xml");
    assert_string_equal(paths[3], IB_FIXTURES_DIR "/jobs/rerun/re_run_net_topoA.xml");
    job_free_paths(paths, n);
    assert_int_equal(job_list_dir(IB_FIXTURES_DIR "/jobs/empty", &paths, &n, &err), IB_ERR);
    assert_string_equal(err.msg, IB_FIXTURES_DIR "/jobs/empty: no xml files");
}

static void test_key_rule_parts(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t cap = 0;
    assert_string_equal(job_file_path(NULL, "a.b.TestC", &buf, &cap), "a/b/TestC");
    assert_string_equal(job_file_path("x/y.py", "a.b.TestC", &buf, &cap), "x/y.py");
    assert_string_equal(job_file_path(NULL, "", &buf, &cap), "");
    free(buf);
    assert_string_equal(job_class_name("a.b.TestC"), "TestC");
    assert_string_equal(job_class_name("TestC"), "TestC");
    assert_string_equal(job_class_name("a.b."), "");
    assert_string_equal(job_class_name(""), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rerun_merge),
        cmocka_unit_test(test_duplicates_last_wins),
        cmocka_unit_test(test_files_in_given_order),
        cmocka_unit_test(test_refused_inputs),
        cmocka_unit_test(test_no_tests),
        cmocka_unit_test(test_pass_rate_rounding),
        cmocka_unit_test(test_key_hash),
        cmocka_unit_test(test_key_compare),
        cmocka_unit_test(test_normalised_name),
        cmocka_unit_test(test_list_dir_order),
        cmocka_unit_test(test_key_rule_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
