/* test_gate_compare.c: rule 6, times of two builds run interleaved: fails on a
 * constructed 30% slowdown with 8 + 8 runs, passes on equal distributions,
 * small slowdowns and speedups, is skipped with too few pairs of runs, sees
 * through a load that drifts between pairs; and the runs it refuses (not
 * interleaved, two machines, one run a side). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "results.h"
#include "results_fixture.h"

#define MAX_RUNS 12

/* Spread of a pair's load around 1: +-3%, never twice the same. */
static double wobble(size_t i)
{
    static const double f[] = {1.00, 0.98, 1.02, 0.99, 1.03, 0.97, 1.01, 1.015, 0.985, 1.005};
    return f[i % (sizeof f / sizeof f[0])];
}

static const double spread_a[3] = {0.99, 1.00, 1.01}, spread_b[3] = {0.995, 1.005, 1.00};

/* One run at second sec under load `load`: seed/fresh n1, batch and floor at
 * 1000 and 5000, `samples` samples each (1 or 3: median * load * spread[k]),
 * batch's multiplied by batch_factor. */
static struct results_doc *run_at(int sec, double load, double batch_factor,
                                  const double *spread, size_t samples)
{
    struct results_doc *doc = fixture_doc_new();
    snprintf(doc->generated_at, sizeof doc->generated_at, "2026-12-04T10:%02d:%02dZ", sec / 60,
             sec % 60);
    doc->config.min_runs = (int)samples;
    const uint64_t sizes[] = {1000, 5000};
    struct ib_error err = {0};
    for (int k = 0; k < 2; k++) {
        double n = (double)sizes[k];
        const struct {
            const char *name;
            double median;
        } s[] = {{"n1", 4e-7 * n * n}, {"batch", 2e-5 * n * batch_factor}, {"floor", 1.8e-5 * n}};
        for (int j = 0; j < 3; j++) {
            double times[3];
            struct results_cell c =
                fixture_cell("seed", "fresh", s[j].name, sizes[k], 20, s[j].median, times);
            for (size_t m = 0; m < samples; m++)
                times[m] = s[j].median * load * spread[samples == 1 ? 1 : m];
            c.ntimes = samples;
            assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
        }
    }
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    return doc;
}

struct sides {
    struct results_doc *a[MAX_RUNS], *b[MAX_RUNS];
    const char *an[MAX_RUNS], *bn[MAX_RUNS];
    size_t na, nb;
};

/* n pairs of runs, A, B, A, B... one second apart, both runs of pair i under
 * the same load: wobble(i), or with drift 1, 1.67, 2.33, 3, 1... (a machine
 * whose other work comes and goes). */
static void interleave_runs(struct sides *s, size_t n, double b_factor, int drift,
                            size_t samples)
{
    static const char *const names[MAX_RUNS] = {"r0", "r1", "r2", "r3", "r4",  "r5",
                                                "r6", "r7", "r8", "r9", "r10", "r11"};
    s->na = s->nb = n;
    for (size_t i = 0; i < n; i++) {
        double load = drift ? 1 + (double)(i % 4) * 2 / 3 : wobble(i);
        s->a[i] = run_at((int)(2 * i), load, 1, spread_a, samples);
        s->b[i] = run_at((int)(2 * i + 1), load, b_factor, spread_b, samples);
        s->an[i] = s->bn[i] = names[i];
    }
}

static void interleave(struct sides *s, size_t n, double b_factor)
{
    interleave_runs(s, n, b_factor, 0, 3);
}

static void sides_free(struct sides *s)
{
    for (size_t i = 0; i < s->na; i++)
        results_doc_free(s->a[i]);
    for (size_t i = 0; i < s->nb; i++)
        results_doc_free(s->b[i]);
}

static int judge(struct sides *s, struct gate_report *rep, struct ib_error *err)
{
    struct gate_rules rules;
    gate_rules_default(&rules);
    return gate_run_interleaved(s->a, s->an, s->na, s->b, s->bn, s->nb, &rules, rep, err);
}

static const struct gate_verdict *find(const struct gate_report *rep, enum gate_rule rule,
                                       const char *subject)
{
    for (size_t i = 0; i < rep->count; i++)
        if (rep->items[i].rule == rule && !strcmp(rep->items[i].subject, subject))
            return &rep->items[i];
    return NULL;
}

static size_t count_of(const struct gate_report *rep, enum gate_rule rule,
                       enum gate_outcome outcome)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->count; i++)
        n += rep->items[i].rule == rule && rep->items[i].outcome == outcome;
    return n;
}

static void test_slowdown_fails(void **state)
{
    (void)state;
    struct sides s;
    interleave(&s, 8, 1.3);
    struct gate_report rep;
    struct ib_error err = {0};
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    /* Both batch cells fail rule 6; nothing else fails, and no advisories. */
    assert_int_equal(rep.by_outcome[GATE_FAIL], 2);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_FAIL), 2);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_PASS), 4);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_ADVISORY), 0);
    assert_int_equal(count_of(&rep, GATE_RULE_STATEMENTS, GATE_PASS), 6);
    const struct gate_verdict *v = find(&rep, GATE_TIME, "seed/fresh/batch n=5000 h=20");
    assert_int_equal(v->outcome, GATE_FAIL);
    /* In every pair each B sample is above each A sample: U = 0 in each of 8
     * strata of 3 + 3, so the sum is 0 against a mean of 36 and a variance of
     * 8 * 5.25: p = erfc(35.5 / sqrt(42) / sqrt 2). */
    assert_string_equal(v->measured, "+30.0% pair by pair, p 4.3e-08 (Mann-Whitney within 8 "
                                     "interleaved pairs, 24 + 24 samples); medians 130.65 ms "
                                     "vs 100.24 ms");
    assert_string_equal(v->allowed, "fails when more than 10% slower with p < 0.01");
    v = find(&rep, GATE_TIME, "seed/fresh/floor n=5000 h=20");
    assert_int_equal(v->outcome, GATE_PASS);

    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    gate_print(out, &rep);
    fclose(out);
    assert_non_null(strstr(text, "\nfail     6 time        seed/fresh/batch n=5000 h=20   +30.0% "
                                 "pair by pair, p 4.3e-08 (Mann-Whitney within 8 interleaved "
                                 "pairs, 24 + 24 samples); medians 130.65 ms vs 100.24 ms; "
                                 "allowed: fails when more than 10% slower with p < 0.01\n"));
    free(text);
    gate_report_free(&rep);
    sides_free(&s);
}

static void test_equal_and_small_changes_pass(void **state)
{
    (void)state;
    const double factors[] = {1.0, 1.08, 0.7};  /* equal, 8% slower, 30% faster */
    for (size_t k = 0; k < 3; k++) {
        struct sides s;
        interleave(&s, 8, factors[k]);
        struct gate_report rep;
        struct ib_error err = {0};
        assert_int_equal(judge(&s, &rep, &err), IB_OK);
        assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
        assert_int_equal(count_of(&rep, GATE_TIME, GATE_PASS), 6);
        if (factors[k] == 1.08)  /* significant, but within 10% */
            assert_string_equal(find(&rep, GATE_TIME, "seed/fresh/batch n=5000 h=20")->measured,
                                "+8.0% pair by pair, p 4.3e-08 (Mann-Whitney within 8 "
                                "interleaved pairs, 24 + 24 samples); medians 108.54 ms vs "
                                "100.24 ms");
        gate_report_free(&rep);
        sides_free(&s);
    }
    /* Equal distributions: within each pair U is its mean, 4.5. */
    struct sides s;
    interleave(&s, 8, 1.0);
    struct gate_report rep;
    struct ib_error err = {0};
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    const struct gate_verdict *v = find(&rep, GATE_TIME, "seed/fresh/n1 n=1000 h=20");
    assert_string_equal(v->measured, "+0.0% pair by pair, p 1 (Mann-Whitney within 8 "
                                     "interleaved pairs, 24 + 24 samples); medians 401.99 ms vs "
                                     "400.97 ms");
    gate_report_free(&rep);
    sides_free(&s);
}

static void test_too_few_pairs_skipped(void **state)
{
    (void)state;
    struct sides s;
    interleave(&s, 5, 1.3);
    struct gate_report rep;
    struct ib_error err = {0};
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_SKIPPED), 6);
    const struct gate_verdict *v = find(&rep, GATE_TIME, "seed/fresh/batch n=5000 h=20");
    assert_string_equal(v->measured, "5 interleaved pairs of runs: 8 needed");
    gate_report_free(&rep);
    sides_free(&s);

    /* One sample a run: 8 pairs cannot reach p < 0.01 (U is 0 or 1 in each),
     * 10 can; compare-revisions takes 3 samples a run. */
    interleave_runs(&s, 8, 1.3, 0, 1);
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    assert_string_equal(find(&rep, GATE_TIME, "seed/fresh/batch n=5000 h=20")->measured,
                        "+30.6% pair by pair, p 0.013 (Mann-Whitney within 8 interleaved "
                        "pairs, 8 + 8 samples); medians 131.30 ms vs 100.50 ms");
    gate_report_free(&rep);
    sides_free(&s);
    interleave_runs(&s, 10, 1.3, 0, 1);
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_FAIL), 2);
    assert_string_equal(find(&rep, GATE_TIME, "seed/fresh/batch n=5000 h=20")->measured,
                        "+30.6% pair by pair, p 0.0044 (Mann-Whitney within 10 interleaved "
                        "pairs, 10 + 10 samples); medians 130.98 ms vs 100.25 ms");
    gate_report_free(&rep);
    sides_free(&s);
}

/* The machine's load triples and falls back between pairs, as other builds
 * come and go: pooled, the two sides' samples overlap so much that a plain
 * Mann-Whitney test misses the 30% (p 0.033); pair by pair it is plain. And
 * the same drift with no change fails nothing. */
static void test_drift_between_pairs(void **state)
{
    (void)state;
    struct sides s;
    interleave_runs(&s, 8, 1.3, 1, 3);
    double a[24], b[24];
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < 8; i++) {
        const struct results_cell *x =
            results_find_cell(s.a[i], "seed", "fresh", "batch", 5000, 20);
        const struct results_cell *y =
            results_find_cell(s.b[i], "seed", "fresh", "batch", 5000, 20);
        for (size_t k = 0; k < 3; k++) {
            a[na++] = x->times[k];
            b[nb++] = y->times[k];
        }
    }
    double u, pooled = stats_mann_whitney(a, na, b, nb, &u);
    assert_true(pooled > 0.03 && pooled < 0.034);
    struct gate_report rep;
    struct ib_error err = {0};
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_FAIL), 2);
    assert_string_equal(find(&rep, GATE_TIME, "seed/fresh/batch n=5000 h=20")->measured,
                        "+30.0% pair by pair, p 4.3e-08 (Mann-Whitney within 8 interleaved "
                        "pairs, 24 + 24 samples); medians 259.78 ms vs 199.67 ms");
    gate_report_free(&rep);
    sides_free(&s);

    interleave_runs(&s, 8, 1.0, 1, 3);
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    assert_int_equal(rep.by_outcome[GATE_FAIL], 0);
    assert_string_equal(find(&rep, GATE_TIME, "seed/fresh/batch n=5000 h=20")->measured,
                        "+0.0% pair by pair, p 1 (Mann-Whitney within 8 interleaved pairs, "
                        "24 + 24 samples); medians 199.83 ms vs 199.67 ms");
    gate_report_free(&rep);
    sides_free(&s);
}

static void test_refused(void **state)
{
    (void)state;
    struct sides s;
    interleave(&s, 8, 1.3);
    struct gate_report rep;
    struct ib_error err = {0};
    /* B's runs all after A's: a drift in load would look like a regression. */
    for (size_t i = 0; i < 8; i++)
        snprintf(s.b[i]->generated_at, sizeof s.b[i]->generated_at, "2026-12-04T11:00:%02zuZ",
                 i);
    assert_int_equal(judge(&s, &rep, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "the runs are not interleaved: by generated_at, each baseline "
                                 "run needs a current run beside it (A B A B... or A B B A...)");
    /* A A B B: the second A is not beside the first B. */
    snprintf(s.b[0]->generated_at, sizeof s.b[0]->generated_at, "2026-12-04T10:00:03Z");
    snprintf(s.a[1]->generated_at, sizeof s.a[1]->generated_at, "2026-12-04T10:00:01Z");
    for (size_t i = 1; i < 8; i++)
        snprintf(s.b[i]->generated_at, sizeof s.b[i]->generated_at, "2026-12-04T10:00:%02zuZ",
                 2 * i + 1);
    assert_int_equal(judge(&s, &rep, &err), IB_EUSAGE);
    /* B first is as good as A first, and so is A B B A (equal seconds may go
     * either way). */
    snprintf(s.a[1]->generated_at, sizeof s.a[1]->generated_at, "2026-12-04T10:00:02Z");
    for (size_t i = 0; i < 8; i++)
        snprintf(s.b[i]->generated_at, sizeof s.b[i]->generated_at, "2026-12-04T10:00:%02zuZ",
                 2 * i);
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_FAIL), 2);
    gate_report_free(&rep);
    for (size_t i = 0; i < 8; i++)
        snprintf((i % 2 ? s.a[i] : s.b[i])->generated_at, sizeof s.a[i]->generated_at,
                 "2026-12-04T10:00:%02zuZ", 2 * i + 1);
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    assert_int_equal(count_of(&rep, GATE_TIME, GATE_FAIL), 2);
    gate_report_free(&rep);

    snprintf(s.b[3]->env.cpu_model, sizeof s.b[3]->env.cpu_model, "Other CPU");
    assert_int_equal(judge(&s, &rep, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "r0 and r3: not runs of one build and one input "
                                 "(environment.cpu_model 'Test CPU @ 2.0GHz' vs 'Other CPU')");
    snprintf(s.b[0]->env.cpu_model, sizeof s.b[0]->env.cpu_model, "Other CPU");
    assert_int_equal(judge(&s, &rep, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "the two sides ran on different machines (environment."
                                 "cpu_model 'Test CPU @ 2.0GHz' vs 'Other CPU')");
    sides_free(&s);

    /* A baseline and a run of the ordinary kind are not interleaved runs. */
    struct results_doc *base = fixture_doc_new(), *cur = fixture_doc_new();
    fixture_standard(base);
    fixture_standard(cur);
    const char *bn = "baseline.json", *cn = "latest.json";
    struct gate_rules rules;
    gate_rules_default(&rules);
    assert_int_equal(gate_run_interleaved(&base, &bn, 1, &cur, &cn, 1, &rules, &rep, &err),
                     IB_EUSAGE);
    assert_string_equal(err.msg, "interleaved runs need two at least a side: the baseline has "
                                 "1, the current 1");
    results_doc_free(base);
    results_doc_free(cur);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slowdown_fails),
        cmocka_unit_test(test_equal_and_small_changes_pass),
        cmocka_unit_test(test_too_few_pairs_skipped),
        cmocka_unit_test(test_drift_between_pairs),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
