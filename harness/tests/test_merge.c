/* test_merge.c: runs of one build pooled per cell: samples in run order,
 * phases, config and skips; and every way runs can fail to belong together. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "results.h"
#include "results_fixture.h"

/* A run at second `sec` of the fixture's minute: seed/fresh batch and floor
 * at 1000 and 5000, one sample each: batch 2e-5 n * f, floor 1.6e-5 n * f. */
static struct results_doc *one_sample_run(int sec, double f)
{
    struct results_doc *doc = fixture_doc_new();
    snprintf(doc->generated_at, sizeof doc->generated_at, "2026-12-04T10:30:%02dZ", sec);
    doc->config.min_runs = 1;
    doc->config.min_time_s = 0.5;
    const uint64_t sizes[] = {1000, 5000};
    const char *strategies[] = {"batch", "floor"};
    const double per_n[] = {2e-5, 1.6e-5};
    struct ib_error err = {0};
    for (int k = 0; k < 2; k++)
        for (int s = 0; s < 2; s++) {
            double times[3];
            struct results_cell c = fixture_cell("seed", "fresh", strategies[s], sizes[k], 20,
                                                 per_n[s] * (double)sizes[k] * f, times);
            c.times = &times[1];
            c.ntimes = 1;
            c.phases.parse = f;  /* tells the runs apart in the pooled phases */
            assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
        }
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    return doc;
}

static void free_runs(struct results_doc **runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        results_doc_free(runs[i]);
}

static void test_pools_in_run_order(void **state)
{
    (void)state;
    /* Given out of order: the pooled samples follow generated_at. */
    struct results_doc *runs[3] = {one_sample_run(20, 1.2), one_sample_run(10, 1.0),
                                   one_sample_run(30, 1.1)};
    const char *names[3] = {"c.json", "a.json", "b.json"};
    struct results_skip skip = {.profile = "seed", .scenario = "fresh", .strategy = "upsert",
                                .n = 1000, .history = 20, .reason = "upsert needs keyed"};
    struct results_skip measured = {.profile = "seed", .scenario = "fresh",
                                    .strategy = "batch", .n = 5000, .history = 20,
                                    .reason = "predicted 200 s exceeds the budget"};
    struct ib_error err = {0};
    assert_int_equal(results_add_skipped(runs[0], &skip, &err), IB_OK);
    assert_int_equal(results_add_skipped(runs[2], &skip, &err), IB_OK);
    assert_int_equal(results_add_skipped(runs[2], &measured, &err), IB_OK);
    /* A cell only one run has keeps its own samples. */
    double t[3];
    struct results_cell extra = fixture_cell("app", "fresh", "batch", 1000, 20, 0.05, t);
    assert_int_equal(results_add_cell(runs[2], &extra, &err), IB_OK);

    struct results_doc *out;
    assert_int_equal(merge_runs(runs, names, 3, &out, &err), IB_OK);
    assert_string_equal(out->generated_at, "2026-12-04T10:30:10Z");
    assert_true(out->complete);
    assert_int_equal(out->config.min_runs, 3);
    assert_float_equal(out->config.min_time_s, 1.5, 1e-12);
    assert_int_equal(out->ncells, 5);
    const struct results_cell *c = results_find_cell(out, "seed", "fresh", "batch", 5000, 20);
    assert_non_null(c);
    assert_int_equal(c->ntimes, 3);
    assert_float_equal(c->times[0], 0.1, 1e-12);
    assert_float_equal(c->times[1], 0.12, 1e-12);
    assert_float_equal(c->times[2], 0.11, 1e-12);
    assert_float_equal(c->summary.median, 0.11, 1e-12);
    assert_float_equal(c->summary.min, 0.1, 1e-12);
    assert_float_equal(c->phases.parse, 1.1, 1e-12);  /* the runs' median */
    assert_int_equal(c->counts.insert, 5003);
    assert_string_equal(c->digest, results_find_cell(runs[0], "seed", "fresh", "batch", 5000,
                                                     20)->digest);
    c = results_find_cell(out, "app", "fresh", "batch", 1000, 20);
    assert_int_equal(c->ntimes, 3);
    assert_float_equal(c->summary.median, 0.05, 1e-12);
    /* upsert listed once; batch at 5k measured elsewhere, so not skipped. */
    assert_int_equal(out->nskipped, 1);
    assert_string_equal(out->skipped[0].strategy, "upsert");
    /* Derived figures come from the pooled cells: batch/floor is 1.25. */
    assert_true(out->nspeedups >= 2);
    for (size_t i = 0; i < out->nspeedups; i++)
        if (!strcmp(out->speedups[i].faster, "floor") && out->speedups[i].n == 5000)
            assert_float_equal(out->speedups[i].ratio, 1.25, 1e-9);
    results_doc_free(out);
    free_runs(runs, 3);
}

static void test_dirty_flag_and_one_run(void **state)
{
    (void)state;
    struct results_doc *runs[2] = {one_sample_run(10, 1.0), one_sample_run(12, 1.0)};
    const char *names[2] = {"a.json", "b.json"};
    runs[1]->env.git_dirty = 1;
    struct ib_error err = {0};
    struct results_doc *out;
    assert_int_equal(merge_runs(runs, names, 2, &out, &err), IB_OK);
    assert_int_equal(out->env.git_dirty, 1);
    assert_int_equal(results_find_cell(out, "seed", "fresh", "floor", 1000, 20)->ntimes, 2);
    results_doc_free(out);
    assert_int_equal(merge_runs(runs, names, 1, &out, &err), IB_OK);
    assert_int_equal(out->env.git_dirty, 0);
    assert_int_equal(results_find_cell(out, "seed", "fresh", "floor", 1000, 20)->ntimes, 1);
    results_doc_free(out);
    free_runs(runs, 2);
}

/* Runs of several samples a cell pool all of them. */
static void test_pools_every_sample(void **state)
{
    (void)state;
    struct results_doc *runs[2] = {fixture_doc_new(), fixture_doc_new()};
    fixture_standard(runs[0]);
    fixture_standard(runs[1]);
    snprintf(runs[1]->generated_at, sizeof runs[1]->generated_at, "2026-12-04T10:31:00Z");
    const char *names[2] = {"a.json", "b.json"};
    struct ib_error err = {0};
    struct results_doc *out;
    assert_int_equal(merge_runs(runs, names, 2, &out, &err), IB_OK);
    assert_int_equal(out->ncells, 9);
    assert_int_equal(out->config.min_runs, 10);
    const struct results_cell *c = results_find_cell(out, "seed", "fresh", "n1", 10000, 20);
    assert_int_equal(c->ntimes, 6);
    assert_float_equal(c->times[3], 40 * 0.99, 1e-9);
    assert_float_equal(c->summary.median, 40, 1e-9);
    assert_int_equal(out->nslopes, runs[0]->nslopes);
    assert_int_equal(out->headline.verdict, runs[0]->headline.verdict);
    results_doc_free(out);
    free_runs(runs, 2);
}

static void assert_refused(struct results_doc **runs, const char *want)
{
    const char *names[2] = {"a.json", "b.json"};
    struct ib_error err = {0};
    struct results_doc *out = (struct results_doc *)1;
    assert_int_equal(merge_runs(runs, names, 2, &out, &err), IB_EUSAGE);
    assert_null(out);
    assert_string_equal(err.msg, want);
}

static void test_refuses_runs_that_do_not_belong(void **state)
{
    (void)state;
    struct results_doc *runs[2] = {one_sample_run(10, 1.0), one_sample_run(12, 1.0)};
    struct results_cell *c =
        (struct results_cell *)results_find_cell(runs[1], "seed", "fresh", "batch", 1000, 20);
    c->counts.select = 1006;
    assert_refused(runs, "b.json: seed/fresh/batch n=1000 h=20: statements.select 1006, 6 in "
                         "a.json: runs of one build must agree");
    c->counts.select = 6;
    snprintf(c->lookup_plan, sizeof c->lookup_plan, "SCAN test_results");
    assert_refused(runs, "b.json: seed/fresh/batch n=1000 h=20: lookup_plan differs from "
                         "a.json: runs of one build must agree");
    snprintf(c->lookup_plan, sizeof c->lookup_plan, "%s", runs[0]->cells[0].lookup_plan);
    c->digest[0] = 'f';
    assert_refused(runs, "b.json: seed/fresh/batch n=1000 h=20: digest differs from a.json: "
                         "runs of one build must agree");
    c->digest[0] = '0';

    snprintf(runs[1]->env.git_commit, sizeof runs[1]->env.git_commit, "fedcba98");
    assert_refused(runs, "a.json and b.json: not runs of one build and one input "
                         "(environment.git_commit '0123456789abcdef0123456789abcdef01234567' "
                         "vs 'fedcba98')");
    runs[1]->env = runs[0]->env;
    runs[1]->env.cores = 4;
    assert_refused(runs, "a.json and b.json: not runs of one build and one input "
                         "(environment.cores 2 vs 4)");
    runs[1]->env = runs[0]->env;
    runs[1]->config.seed = 2;
    assert_refused(runs, "a.json and b.json: not runs of one build and one input (generator "
                         "seed 1 vs 2)");
    runs[1]->config.seed = 1;
    runs[0]->complete = 0;
    assert_refused(runs, "a.json: the run was interrupted (complete: false)");
    runs[0]->complete = 1;

    struct ib_error err = {0};
    struct results_doc *out;
    assert_int_equal(merge_runs(runs, NULL, 0, &out, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "merge: no runs to merge");
    free_runs(runs, 2);
}

static void test_machine_differs(void **state)
{
    (void)state;
    struct results_doc *a = fixture_doc_new(), *b = fixture_doc_new();
    char why[200];
    snprintf(b->env.compiler, sizeof b->env.compiler, "Clang 16");  /* a build, not a machine */
    snprintf(b->env.git_commit, sizeof b->env.git_commit, "fedcba98");
    assert_int_equal(merge_machine_differs(&a->env, &b->env, why, sizeof why), 0);
    snprintf(b->env.kernel, sizeof b->env.kernel, "Linux 6.5.0 x86_64");
    assert_int_equal(merge_machine_differs(&a->env, &b->env, why, sizeof why), 1);
    assert_string_equal(why, "environment.kernel 'Linux 6.1.0 x86_64' vs 'Linux 6.5.0 x86_64'");
    results_doc_free(a);
    results_doc_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pools_in_run_order),
        cmocka_unit_test(test_pools_every_sample),
        cmocka_unit_test(test_dirty_flag_and_one_run),
        cmocka_unit_test(test_refuses_runs_that_do_not_belong),
        cmocka_unit_test(test_machine_differs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
