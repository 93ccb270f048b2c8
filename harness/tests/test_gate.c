/* test_gate.c: each of the gate's rules passes on unchanged data and fails on
 * a constructed regression of its own kind (and only that rule fails); time
 * noise within the CIs fails nothing; the rules file; the JUnit XML output,
 * read back with libxml2. */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "results.h"
#include "results_fixture.h"

static size_t count_of(const struct gate_report *rep, enum gate_rule rule,
                       enum gate_outcome outcome)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->count; i++)
        n += rep->items[i].rule == rule && rep->items[i].outcome == outcome;
    return n;
}

static const struct gate_verdict *find(const struct gate_report *rep, enum gate_rule rule,
                                       const char *subject)
{
    for (size_t i = 0; i < rep->count; i++)
        if (rep->items[i].rule == rule && !strcmp(rep->items[i].subject, subject))
            return &rep->items[i];
    return NULL;
}

static struct results_doc *standard(void)
{
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    return doc;
}

static struct results_cell *cell(struct results_doc *doc, const char *strategy, uint64_t n)
{
    struct results_cell *c =
        (struct results_cell *)results_find_cell(doc, "seed", "fresh", strategy, n, 20);
    assert_non_null(c);
    return c;
}

/* Runs the gate with default rules; the caller frees report and documents. */
static void judge(struct results_doc *base, struct results_doc *cur, struct gate_report *rep)
{
    struct gate_rules rules;
    struct ib_error err = {0};
    gate_rules_default(&rules);
    assert_int_equal(gate_run(base, cur, &rules, rep, &err), IB_OK);
}

static void test_unchanged_passes(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = standard();
    struct gate_report rep;
    judge(base, cur, &rep);
    assert_int_equal(count_of(&rep, GATE_RULE_STATEMENTS, GATE_PASS), 9);
    assert_int_equal(count_of(&rep, GATE_RULE_VM_STEPS, GATE_PASS), 9);
    assert_int_equal(count_of(&rep, GATE_RULE_PLAN, GATE_PASS), 9);
    assert_int_equal(count_of(&rep, GATE_RULE_SLOPE, GATE_PASS), 1); /* batch; floor is not gated */
    assert_int_equal(count_of(&rep, GATE_RULE_RATIO, GATE_PASS), 5); /* 3 floor, 5k and 10k n1 */
    assert_int_equal(count_of(&rep, GATE_RULE_RATIO, GATE_ADVISORY), 1); /* n1 at 1k */
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_ADVISORY), 9);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    assert_int_equal(rep.by_outcome[GATE_PASS], 33);
    assert_int_equal(rep.by_outcome[GATE_ADVISORY], 10);
    assert_int_equal(rep.by_outcome[GATE_SKIPPED], 0);
    assert_int_equal(rep.count, 43);
    const struct gate_verdict *v = find(&rep, GATE_RULE_RATIO, "seed/fresh n1/batch n=1000 h=20");
    assert_non_null(v);
    assert_string_equal(v->allowed, "reported only: documented 15x");
    v = find(&rep, GATE_RULE_RATIO, "seed/fresh n1/batch n=5000 h=20");
    assert_string_equal(v->measured, "100.00x (98.02 to 102.02 within the CIs)");
    assert_string_equal(v->allowed, ">= 37 (fails when the CIs' highest ratio is below)");
    v = find(&rep, GATE_TIME, "seed/fresh/n1 n=10000 h=20");
    assert_string_equal(v->measured,
                        "median 40.000 s vs 40.000 s in the baseline (+0.0%); CIs 39.600 s - "
                        "40.400 s vs 39.600 s - 40.400 s");
    gate_report_free(&rep);
    results_doc_free(base);
    results_doc_free(cur);
}

static void test_rule1_statements(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = standard();
    /* batch starts looking each key up with its own SELECT */
    cell(cur, "batch", 5000)->counts.select = 5006;
    cell(cur, "batch", 5000)->counts.lookups = 5000;
    struct gate_report rep;
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    const struct gate_verdict *v =
        find(&rep, GATE_RULE_STATEMENTS, "seed/fresh/batch n=5000 h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_string_equal(v->measured, "select 5006 (baseline 6), lookups 5000 (baseline 1)");
    assert_string_equal(v->allowed, "the baseline's exactly: select 6, insert 5003, update 0, "
                                    "other 2, lookups 1");

    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    gate_print(out, &rep);
    fclose(out);
    assert_non_null(strstr(text, "fail     1 statements  seed/fresh/batch n=5000 h=20   select "
                                 "5006 (baseline 6), lookups 5000 (baseline 1); allowed: the "
                                 "baseline's exactly: select 6, insert 5003, update 0, other "
                                 "2, lookups 1\n"));
    assert_non_null(strstr(text, "pass     1 statements  seed/fresh/batch n=1000 h=20   select "
                                 "6, insert 1003, update 0, other 2, lookups 1; allowed: equal "
                                 "to the baseline\n"));
    assert_non_null(strstr(text, "\ngate: regression: 1 failed, 32 passed, 0 skipped, 10 "
                                 "advisory\n"));
    free(text);
    gate_report_free(&rep);

    /* Fewer statements fail too (the baseline is stale), saying so. */
    cell(cur, "batch", 5000)->counts.select = 6;
    cell(cur, "batch", 5000)->counts.lookups = 1;
    cell(cur, "floor", 1000)->counts.insert = 1002;
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    v = find(&rep, GATE_RULE_STATEMENTS, "seed/fresh/floor n=1000 h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_non_null(strstr(v->allowed, "(fewer now: if intended, update the baseline)"));
    gate_report_free(&rep);
    results_doc_free(base);
    results_doc_free(cur);
}

static void test_rule2_vm_steps(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = standard();
    struct gate_report rep;
    cell(cur, "batch", 1000)->counts.vm_steps = 61100; /* +1.83%: within 2% */
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    gate_report_free(&rep);

    cell(cur, "batch", 1000)->counts.vm_steps = 61800; /* +3% */
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    const struct gate_verdict *v = find(&rep, GATE_RULE_VM_STEPS, "seed/fresh/batch n=1000 h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_string_equal(v->measured, "vm_steps 61800 (+3.00% on 60000)");
    assert_string_equal(v->allowed, "within 2% of the baseline");
    gate_report_free(&rep);

    /* Another SQLite: the rule is skipped for every cell, with the reason. */
    snprintf(cur->env.sqlite_version, sizeof cur->env.sqlite_version, "3.45.0");
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    assert_int_equal(count_of(&rep, GATE_RULE_VM_STEPS, GATE_SKIPPED), 9);
    v = find(&rep, GATE_RULE_VM_STEPS, "seed/fresh/batch n=1000 h=20");
    assert_string_equal(v->allowed, "not compared: SQLite 3.45.0 here, 3.40.1 in the baseline");
    gate_report_free(&rep);
    results_doc_free(base);
    results_doc_free(cur);
}

static void test_rule3_plan(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = standard();
    snprintf(cell(cur, "batch", 10000)->lookup_plan, RESULTS_PLAN_MAX, "SCAN test_results");
    struct gate_report rep;
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    const struct gate_verdict *v = find(&rep, GATE_RULE_PLAN, "seed/fresh/batch n=10000 h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_string_equal(v->measured, "SCAN test_results");
    assert_string_equal(v->allowed, "the baseline's: SEARCH test_results USING INDEX "
                                    "ix_test_results_job_id (job_id=?)");
    v = find(&rep, GATE_RULE_PLAN, "seed/fresh/floor n=10000 h=20");
    assert_int_equal(v->outcome, GATE_PASS);
    assert_string_equal(v->measured, "(no lookup statement)");
    gate_report_free(&rep);
    results_doc_free(base);
    results_doc_free(cur);
}

/* Cells of strategy with the given runs at 1000 and 5000. */
static void add_series_in(struct results_doc *doc, const char *scenario, const char *strategy,
                          double *t1k, double *t5k, size_t runs)
{
    double scratch[3];
    struct ib_error err = {0};
    struct results_cell c = fixture_cell("seed", scenario, strategy, 1000, 20, 1, scratch);
    c.times = t1k;
    c.ntimes = runs;
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
    c = fixture_cell("seed", scenario, strategy, 5000, 20, 1, scratch);
    c.times = t5k;
    c.ntimes = runs;
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
}

static void add_series(struct results_doc *doc, const char *strategy, double *t1k,
                       double *t5k, size_t runs)
{
    add_series_in(doc, "fresh", strategy, t1k, t5k, runs);
}

/* A document of batch cells with the given runs at 1000 and 5000. */
static struct results_doc *batch_series(double *t1k, double *t5k, size_t runs)
{
    struct results_doc *doc = fixture_doc_new();
    add_series(doc, "batch", t1k, t5k, runs);
    return doc;
}

/* Where floor ran, rule 4 judges growth beyond floor's: the database's own
 * (indexes outgrowing the cache) no longer fails a linear strategy. */
static void test_rule4_relative_to_floor(void **state)
{
    (void)state;
    double f1k[] = {0.010, 0.010, 0.010, 0.010, 0.010};
    double f5k[] = {0.075, 0.075, 0.075, 0.075, 0.075};  /* slope 1.25 */
    double b1k[] = {0.011, 0.011, 0.011, 0.011, 0.011};
    double b5k[] = {0.0825, 0.0825, 0.0825, 0.0825, 0.0825};
    struct results_doc *doc = batch_series(b1k, b5k, 5);
    struct gate_report rep;
    judge(doc, doc, &rep);  /* without floor: the absolute slope, 1.25, fails */
    const struct gate_verdict *v = find(&rep, GATE_RULE_SLOPE, "seed/fresh/batch h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_string_equal(v->measured,
                        "slope 1.25 (1.25 to 1.25 within the CIs), r2 1.000, sizes 1000,5000");
    gate_report_free(&rep);

    add_series(doc, "floor", f1k, f5k, 5);
    judge(doc, doc, &rep);
    v = find(&rep, GATE_RULE_SLOPE, "seed/fresh/batch h=20");
    assert_int_equal(v->outcome, GATE_PASS);
    assert_string_equal(v->measured, "1.00 relative to floor (1.00 to 1.00 within the CIs); "
                                     "slope 1.25, floor's 1.25, sizes 1000,5000");
    assert_string_equal(v->allowed, "<= 1.2 relative to floor (fails when the lowest within "
                                    "the CIs is above)");
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    gate_report_free(&rep);
    results_doc_free(doc);

    /* A lookup that scans a list: 1.1x floor at 1k, 4.4x at 5k. */
    double q5k[] = {0.33, 0.33, 0.33, 0.33, 0.33};
    doc = batch_series(b1k, q5k, 5);
    add_series(doc, "floor", f1k, f5k, 5);
    judge(doc, doc, &rep);
    v = find(&rep, GATE_RULE_SLOPE, "seed/fresh/batch h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_string_equal(v->measured, "1.86 relative to floor (1.86 to 1.86 within the CIs); "
                                     "slope 2.11, floor's 1.25, sizes 1000,5000");
    gate_report_free(&rep);
    results_doc_free(doc);

    /* Reimport has no floor of its own: the profile's fresh floor stands in. */
    doc = fixture_doc_new();
    add_series_in(doc, "reimport", "batch", b1k, b5k, 5);
    add_series(doc, "floor", f1k, f5k, 5);
    judge(doc, doc, &rep);
    v = find(&rep, GATE_RULE_SLOPE, "seed/reimport/batch h=20");
    assert_int_equal(v->outcome, GATE_PASS);
    assert_string_equal(v->measured, "1.00 relative to floor on fresh (1.00 to 1.00 within "
                                     "the CIs); slope 1.25, floor's 1.25, sizes 1000,5000");
    gate_report_free(&rep);
    results_doc_free(doc);
    doc = fixture_doc_new();
    add_series_in(doc, "reimport", "batch", b1k, q5k, 5);
    add_series(doc, "floor", f1k, f5k, 5);
    judge(doc, doc, &rep);
    v = find(&rep, GATE_RULE_SLOPE, "seed/reimport/batch h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    gate_report_free(&rep);
    results_doc_free(doc);
}

static void test_rule4_slope(void **state)
{
    (void)state;
    double base1k[] = {0.010, 0.010, 0.010, 0.010, 0.010};
    double base5k[] = {0.050, 0.050, 0.050, 0.050, 0.050};
    /* Noise: medians 0.0105 and 0.0851 give a slope of 1.30, but the CIs
     * [0.008, 0.012] and [0.070, 0.090] allow one of 1.10: no failure. */
    double noisy1k[] = {0.010, 0.011, 0.012, 0.008, 0.0105};
    double noisy5k[] = {0.080, 0.0851, 0.090, 0.070, 0.086};
    struct results_doc *base = batch_series(base1k, base5k, 5);
    struct results_doc *cur = batch_series(noisy1k, noisy5k, 5);
    struct gate_report rep;
    judge(base, cur, &rep);
    const struct gate_verdict *v = find(&rep, GATE_RULE_SLOPE, "seed/fresh/batch h=20");
    assert_int_equal(v->outcome, GATE_PASS);
    assert_string_equal(v->measured,
                        "slope 1.30 (1.10 to 1.50 within the CIs), r2 1.000, sizes 1000,5000");
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    gate_report_free(&rep);
    results_doc_free(cur);

    /* Quadratic batch: even the flattest fit (0.012 -> 0.15) has slope 1.57. */
    double quad5k[] = {0.15, 0.2, 0.18, 0.17, 0.16};
    cur = batch_series(noisy1k, quad5k, 5);
    judge(base, cur, &rep);
    v = find(&rep, GATE_RULE_SLOPE, "seed/fresh/batch h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_string_equal(v->allowed, "<= 1.2 (fails when the lowest slope within the CIs is above)");
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    gate_report_free(&rep);
    results_doc_free(cur);

    /* One size only: listed as skipped. */
    cur = fixture_doc_new();
    fixture_add(cur, "seed", "fresh", "batch", 1000, 20, 0.01);
    judge(base, cur, &rep);
    v = find(&rep, GATE_RULE_SLOPE, "seed/fresh/batch h=20");
    assert_int_equal(v->outcome, GATE_SKIPPED);
    assert_string_equal(v->measured, "measured at one size only (1000)");
    gate_report_free(&rep);
    results_doc_free(cur);
    results_doc_free(base);
}

static void set_median(struct results_cell *c, double median)
{
    c->times[0] = median * 0.99;
    c->times[1] = median;
    c->times[2] = median * 1.01;
    stats_summarise(c->times, c->ntimes, &c->summary);
}

static void test_rule5_ratios(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = standard();
    struct gate_report rep;
    /* batch at 1k twice as slow: 2.5x floor (n1/batch there is reported only). */
    set_median(cell(cur, "batch", 1000), 0.04);
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    const struct gate_verdict *v = find(&rep, GATE_RULE_RATIO, "seed/fresh batch/floor n=1000 h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    assert_string_equal(v->measured, "2.50x (2.45 to 2.55 within the CIs)");
    assert_string_equal(v->allowed, "<= 1.5 (fails when the CIs' lowest ratio is above)");
    assert_int_equal(find(&rep, GATE_RULE_RATIO, "seed/fresh n1/batch n=1000 h=20")->outcome,
                     GATE_ADVISORY);
    gate_report_free(&rep);
    results_doc_free(cur);

    /* n1 only 30x batch at 5k: below the documented 37x. */
    cur = standard();
    set_median(cell(cur, "n1", 5000), 3);
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    v = find(&rep, GATE_RULE_RATIO, "seed/fresh n1/batch n=5000 h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    gate_report_free(&rep);
    results_doc_free(cur);

    /* At 1k the same shortfall is reported, not failed; a rules file can
     * make 1k decisive. */
    cur = standard();
    set_median(cell(cur, "n1", 1000), 0.1);
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    gate_report_free(&rep);
    struct gate_rules rules;
    gate_rules_default(&rules);
    rules.n1_speedup[rules.nn1_speedup].n = 1000;
    rules.n1_speedup[rules.nn1_speedup++].min = 15;
    struct ib_error err = {0};
    assert_int_equal(gate_run(base, cur, &rules, &rep, &err), IB_OK);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 1);
    assert_int_equal(find(&rep, GATE_RULE_RATIO, "seed/fresh n1/batch n=1000 h=20")->outcome,
                     GATE_FAIL);
    gate_report_free(&rep);
    results_doc_free(cur);
    results_doc_free(base);
}

static void test_time_noise_never_fails(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = standard();
    /* Every cell 40% slower than the baseline, uniformly: only advisories. */
    for (size_t i = 0; i < cur->ncells; i++)
        set_median(&cur->cells[i], cur->cells[i].summary.median * 1.4);
    struct gate_report rep;
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    const struct gate_verdict *v = find(&rep, GATE_TIME, "seed/fresh/batch n=1000 h=20");
    assert_string_equal(v->measured, "median 28.00 ms vs 20.00 ms in the baseline (+40.0%); "
                                     "CIs 27.72 ms - 28.28 ms vs 19.80 ms - 20.20 ms");
    gate_report_free(&rep);
    results_doc_free(base);
    results_doc_free(cur);
}

static void test_matching(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = fixture_doc_new();
    fixture_add(cur, "seed", "fresh", "batch", 1000, 20, 0.02);
    fixture_add(cur, "seed", "fresh", "bulk", 1000, 20, 0.015);
    struct results_skip s = {.profile = "seed", .scenario = "fresh", .strategy = "upsert",
                             .n = 1000, .history = 20, .reason = "upsert needs the keyed profile"};
    struct ib_error err = {0};
    assert_int_equal(results_add_skipped(cur, &s, &err), IB_OK);
    struct gate_report rep;
    judge(base, cur, &rep);
    assert_int_equal(count_of(&rep, GATE_RULE_STATEMENTS, GATE_PASS), 1);
    assert_int_equal(count_of(&rep, GATE_MATCH, GATE_SKIPPED), 1 + 8 + 1);
    assert_string_equal(find(&rep, GATE_MATCH, "seed/fresh/bulk n=1000 h=20")->measured,
                        "not in the baseline");
    assert_string_equal(find(&rep, GATE_MATCH, "seed/fresh/n1 n=10000 h=20")->measured,
                        "in the baseline only");
    assert_string_equal(find(&rep, GATE_MATCH, "seed/fresh/upsert n=1000 h=20")->measured,
                        "not run: upsert needs the keyed profile");
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    gate_report_free(&rep);
    results_doc_free(cur);

    struct gate_rules rules;
    gate_rules_default(&rules);
    cur = standard();
    cur->config.files = 4;
    assert_int_equal(gate_run(base, cur, &rules, &rep, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "nothing to compare: the runs' inputs differ (generator "
                                 "files 6 vs 4)");
    cur->config.files = 6;
    cur->complete = 0;
    assert_int_equal(gate_run(base, cur, &rules, &rep, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "the current run was interrupted (complete: false); the gate "
                                 "needs a complete run");
    results_doc_free(cur);
    cur = fixture_doc_new();
    fixture_add(cur, "app", "fresh", "batch", 1000, 20, 0.02);
    assert_int_equal(gate_run(base, cur, &rules, &rep, &err), IB_EUSAGE);
    assert_string_equal(err.msg,
                        "nothing to compare: no cell of the current run is in the baseline");
    assert_int_equal(rep.count, 0);
    results_doc_free(cur);
    results_doc_free(base);
}

/* ---- rules file --------------------------------------------------------- */

static int load_rules(const char *json, struct gate_rules *rules, char *msg, size_t len)
{
    char *dir = tmpdir_make(), path[4200];
    snprintf(path, sizeof path, "%s/rules.json", dir);
    assert_int_equal(write_whole_file(path, json, strlen(json)), 0);
    struct ib_error err = {0};
    gate_rules_default(rules);
    int status = gate_rules_load(path, rules, &err);
    const char *m = strstr(err.msg, "rules.json");
    snprintf(msg, len, "%s", m ? m : err.msg);
    tmpdir_remove(dir);
    return status;
}

static void test_rules_file(void **state)
{
    (void)state;
    struct gate_rules r;
    char msg[1024];
    gate_rules_default(&r);
    assert_float_equal(r.vm_steps_tolerance, 0.02, 0);
    assert_float_equal(r.max_slope, 1.2, 0);
    assert_float_equal(r.floor_ratio, 1.5, 0);
    assert_int_equal(r.nn1_speedup, 2);
    assert_int_equal(r.n1_speedup[1].n, 10000);
    assert_float_equal(r.n1_speedup[1].min, 60, 0);
    assert_float_equal(r.time_slowdown, 0.1, 0);
    assert_float_equal(r.time_p, 0.01, 0);
    assert_int_equal(r.time_min_runs, 8);

    assert_int_equal(load_rules("{\"max_slope\": 1.3, \"n1_speedup\": {\"1k\": 10, \"5000\": 30}}",
                                &r, msg, sizeof msg),
                     IB_OK);
    assert_float_equal(r.max_slope, 1.3, 0);
    assert_float_equal(r.vm_steps_tolerance, 0.02, 0);
    assert_int_equal(r.nn1_speedup, 2);
    assert_int_equal(r.n1_speedup[0].n, 1000);
    assert_float_equal(r.n1_speedup[0].min, 10, 0);
    assert_int_equal(r.n1_speedup[1].n, 5000);
    assert_int_equal(load_rules("{}", &r, msg, sizeof msg), IB_OK);
    assert_float_equal(r.floor_ratio, 1.5, 0);

    assert_int_equal(load_rules("{\"max_slop\": 1.3}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: unknown key 'max_slop' (known: vm_steps_tolerance, "
                             "max_slope, floor_ratio, n1_speedup, time_slowdown, time_p, "
                             "time_min_runs)");
    assert_int_equal(load_rules("{\"time_slowdown\": 0.2, \"time_p\": 0.05, "
                                "\"time_min_runs\": 12}", &r, msg, sizeof msg),
                     IB_OK);
    assert_float_equal(r.time_slowdown, 0.2, 0);
    assert_float_equal(r.time_p, 0.05, 0);
    assert_int_equal(r.time_min_runs, 12);
    assert_int_equal(load_rules("{\"time_min_runs\": 8.5}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: time_min_runs: expected a whole number, got 8.5");
    assert_int_equal(load_rules("{\"time_min_runs\": 3}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: time_min_runs: expected a number from 4 to 1000, "
                             "got 3");
    assert_int_equal(load_rules("{\"time_p\": 0}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: time_p: expected a number from 1e-09 to 0.5, got 0");
    assert_int_equal(load_rules("{\"vm_steps_tolerance\": \"2%\"}", &r, msg, sizeof msg),
                     IB_EUSAGE);
    assert_string_equal(msg, "rules.json: vm_steps_tolerance: expected a number from 0 to 1, "
                             "got \"2%\"");
    assert_int_equal(load_rules("{\"floor_ratio\": 0.5}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: floor_ratio: expected a number from 1 to 1000, got 0.5");
    assert_int_equal(load_rules("{\"n1_speedup\": {\"5q\": 3}}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: n1_speedup: '5q': expected a size such as 5000 or 5k");
    assert_int_equal(load_rules("{\"n1_speedup\": {\"5000\": null}}", &r, msg, sizeof msg),
                     IB_EUSAGE);
    assert_string_equal(msg, "rules.json: n1_speedup.5000: expected a number from 1 to 100000, "
                             "got null");
    assert_int_equal(load_rules("{\"n1_speedup\": [37]}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: n1_speedup: expected an object such as {\"5000\": 37}");
    assert_int_equal(load_rules("[1]", &r, msg, sizeof msg), IB_EUSAGE);
    assert_string_equal(msg, "rules.json: expected a JSON object of thresholds");
    assert_int_equal(load_rules("{\"max_slope\": 1,}", &r, msg, sizeof msg), IB_EUSAGE);
    assert_non_null(strstr(msg, "rules.json:1:"));
}

/* ---- JUnit XML ---------------------------------------------------------- */

static size_t count_elements(xmlNode *node, const char *name)
{
    size_t n = 0;
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name))
            n++;
        n += count_elements(node->children, name);
    }
    return n;
}

static xmlNode *first_element(xmlNode *node, const char *name)
{
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name))
            return node;
        xmlNode *found = first_element(node->children, name);
        if (found)
            return found;
    }
    return NULL;
}

static void assert_attr(xmlNode *node, const char *attr, const char *want)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)attr);
    assert_non_null(v);
    assert_string_equal((const char *)v, want);
    xmlFree(v);
}

static void test_junit(void **state)
{
    (void)state;
    struct results_doc *base = standard(), *cur = standard();
    /* Text that needs escaping must come out well-formed. */
    snprintf(cell(cur, "batch", 10000)->lookup_plan, RESULTS_PLAN_MAX, "SCAN t <\"&'>");
    cell(cur, "batch", 5000)->counts.lookups = 5000;
    snprintf(cur->env.sqlite_version, sizeof cur->env.sqlite_version, "3.45.0");
    struct gate_report rep;
    judge(base, cur, &rep);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 2);
    assert_int_equal(rep.by_outcome[GATE_SKIPPED], 9);

    char *dir = tmpdir_make(), path[4200];
    snprintf(path, sizeof path, "%s/gate.xml", dir);
    struct ib_error err = {0};
    assert_int_equal(gate_write_junit(&rep, path, &err), IB_OK);
    xmlDoc *xml = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(xml);
    xmlNode *root = xmlDocGetRootElement(xml);
    assert_string_equal((const char *)root->name, "testsuites");
    assert_attr(root, "tests", "43");
    assert_attr(root, "failures", "2");
    assert_attr(root, "skipped", "9");
    assert_int_equal(count_elements(root, "testcase"), rep.count);
    assert_int_equal(count_elements(root, "testsuite"), 6); /* rules 1-5 and time; no match */
    assert_int_equal(count_elements(root, "failure"), 2);
    assert_int_equal(count_elements(root, "skipped"), 9);
    xmlNode *failure = first_element(root, "failure");
    assert_attr(failure, "message", "lookups 5000 (baseline 1); allowed: the baseline's "
                                    "exactly: select 6, insert 5003, update 0, other 2, "
                                    "lookups 1");
    assert_attr(failure->parent, "name", "seed/fresh/batch n=5000 h=20");
    assert_attr(failure->parent, "classname", "importbench.gate.statements");
    xmlFreeDoc(xml);

    /* The escaped plan survives a read back. */
    char *text = read_whole_file(path, NULL);
    assert_non_null(strstr(text, "SCAN t &lt;&quot;&amp;'&gt;"));
    free(text);
    snprintf(path, sizeof path, "%s/no/such/dir/gate.xml", dir);
    assert_int_equal(gate_write_junit(&rep, path, &err), IB_ERR);
    assert_non_null(strstr(err.msg, "/no/such/dir/gate.xml: no such file or directory"));
    tmpdir_remove(dir);
    gate_report_free(&rep);
    results_doc_free(base);
    results_doc_free(cur);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged_passes),
        cmocka_unit_test(test_rule1_statements),
        cmocka_unit_test(test_rule2_vm_steps),
        cmocka_unit_test(test_rule3_plan),
        cmocka_unit_test(test_rule4_slope),
        cmocka_unit_test(test_rule4_relative_to_floor),
        cmocka_unit_test(test_rule5_ratios),
        cmocka_unit_test(test_time_noise_never_fails),
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_rules_file),
        cmocka_unit_test(test_junit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
