/* test_gate_compare.c: rule 6, times of two builds run interleaved: fails on a
 * constructed 30% slowdown with 8 + 8 samples, passes on equal distributions,
 * small slowdowns and speedups, is skipped with too few samples; and the runs
 * it refuses (not interleaved, two machines, one run a side). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "results.h"
#include "results_fixture.h"

#define MAX_RUNS 12

/* Spread of a sample around the median: +-3%, never twice the same. */
static double wobble(size_t i)
{
    static const double f[] = {1.00, 0.98, 1.02, 0.99, 1.03, 0.97, 1.01, 1.015, 0.985, 1.005};
    return f[i % (sizeof f / sizeof f[0])];
}

/* One run at second sec: seed/fresh n1, batch and floor at 1000 and 5000,
 * one sample each, batch's times multiplied by batch_factor. Strategy j of
 * run i takes wobble(i % 8 + j): eight runs give each cell the same eight. */
static struct results_doc *run_at(int sec, size_t i, double batch_factor)
{
    struct results_doc *doc = fixture_doc_new();
    snprintf(doc->generated_at, sizeof doc->generated_at, "2026-12-04T10:%02d:%02dZ", sec / 60,
             sec % 60);
    doc->config.min_runs = 1;
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
            times[1] = s[j].median * wobble(i % 8 + (size_t)j);
            c.times = &times[1];
            c.ntimes = 1;
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

/* n runs a side, alternating A, B, A, B... one second apart. */
static void interleave(struct sides *s, size_t n, double b_factor)
{
    static const char *const names[MAX_RUNS] = {"r0", "r1", "r2", "r3", "r4",  "r5",
                                                "r6", "r7", "r8", "r9", "r10", "r11"};
    s->na = s->nb = n;
    for (size_t i = 0; i < n; i++) {
        s->a[i] = run_at((int)(2 * i), i, 1);
        s->b[i] = run_at((int)(2 * i + 1), i + 3, b_factor);
        s->an[i] = s->bn[i] = names[i];
    }
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
    /* Every B sample above every A sample: U = 0, p from the normal
     * approximation with continuity correction, erfc(31.5 / sqrt(90.67) / sqrt 2). */
    assert_string_equal(v->measured, "median 130.00 ms vs 100.00 ms (+30.0%), p 0.00094 "
                                     "(Mann-Whitney, 8 + 8 samples)");
    assert_string_equal(v->allowed, "fails when more than 10% slower with p < 0.01");
    v = find(&rep, GATE_TIME, "seed/fresh/floor n=5000 h=20");
    assert_int_equal(v->outcome, GATE_PASS);

    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    gate_print(out, &rep);
    fclose(out);
    assert_non_null(strstr(text, "\nfail     6 time        seed/fresh/batch n=5000 h=20   median "
                                 "130.00 ms vs 100.00 ms (+30.0%), p 0.00094 (Mann-Whitney, 8 "
                                 "+ 8 samples); allowed: fails when more than 10% slower with "
                                 "p < 0.01\n"));
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
        gate_report_free(&rep);
        sides_free(&s);
    }
    /* Equal distributions: the same samples in another order. */
    struct sides s;
    interleave(&s, 8, 1.0);
    struct gate_report rep;
    struct ib_error err = {0};
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
    const struct gate_verdict *v = find(&rep, GATE_TIME, "seed/fresh/n1 n=1000 h=20");
    assert_string_equal(v->measured, "median 402.00 ms vs 402.00 ms (+0.0%), p 1 "
                                     "(Mann-Whitney, 8 + 8 samples)");
    gate_report_free(&rep);
    sides_free(&s);
}

static void test_too_few_samples_skipped(void **state)
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
    assert_string_equal(v->measured, "5 + 5 samples: 8 a side needed");
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
    assert_string_equal(err.msg, "the runs are not interleaved: by generated_at, the "
                                 "baseline's and the current runs must alternate (A, B, A, "
                                 "B...)");
    /* B first is as good as A first; equal seconds may go either way. */
    for (size_t i = 0; i < 8; i++)
        snprintf(s.b[i]->generated_at, sizeof s.b[i]->generated_at, "2026-12-04T10:00:%02zuZ",
                 2 * i);
    assert_int_equal(judge(&s, &rep, &err), IB_OK);
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
        cmocka_unit_test(test_too_few_samples_skipped),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
