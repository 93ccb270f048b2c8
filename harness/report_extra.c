/* report_extra.c: the sections that need more than the current run: the
 * comparison with a baseline run (report_compare.h has the verdicts' rule),
 * the gate's verdicts, and hyperfine's whole-process timings next to the
 * in-process ones. */
#include <math.h>
#include <string.h>

#include "gate.h"
#include "report_compare.h"
#include "report_hyperfine.h"
#include "report_int.h"

static void describe_run(char *buf, size_t len, const char *which, const struct results_doc *doc)
{
    const struct ib_environment *e = &doc->env;
    snprintf(buf, len, "%s: commit %.12s%s, run of %s%s, %zu cells", which,
             e->git_commit[0] ? e->git_commit : "unknown",
             e->git_dirty == 1 ? " (with uncommitted changes)" : "", doc->generated_at,
             doc->complete ? "" : " (interrupted)", doc->ncells);
}

/* The facts of the machine that change times: where they differ, a change in
 * time says little about the code. */
static void machine_differences(struct rdoc *d, const struct ib_environment *a,
                                const struct ib_environment *b)
{
    const struct {
        const char *name, *x, *y;
    } facts[] = {
        {"CPU", a->cpu_model, b->cpu_model},
        {"operating system", a->os, b->os},
        {"filesystem", a->filesystem, b->filesystem},
        {"compiler", a->compiler, b->compiler},
        {"SQLite", a->sqlite_version, b->sqlite_version},
        {"journal mode", a->sqlite.journal_mode, b->sqlite.journal_mode},
        {"synchronous", a->sqlite.synchronous, b->sqlite.synchronous},
    };
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
        if (strcmp(facts[i].x, facts[i].y))
            rdoc_para(d, TONE_WARN, "The runs differ in %s ('%s' in the baseline, '%s' now): "
                      "changes in time may come from that.", facts[i].name, facts[i].x,
                      facts[i].y);
    if (a->cores != b->cores)
        rdoc_para(d, TONE_WARN, "The runs differ in cores (%d in the baseline, %d now).",
                  a->cores, b->cores);
}

static enum rtone compare_tone(enum compare_verdict v)
{
    return v == COMPARE_IMPROVED ? TONE_GOOD : v == COMPARE_REGRESSED ? TONE_BAD : TONE_PLAIN;
}

static void compare_row(struct rdoc *d, struct rtable *t, const struct results_cell *b,
                        const struct results_cell *c, const struct compare_result *r)
{
    char name[160], p[32];
    results_cell_name(c, name, sizeof name);
    if (isnan(r->p_value))
        snprintf(p, sizeof p, "n/a");
    else if (r->p_value < 0.001)
        snprintf(p, sizeof p, "<0.001");
    else
        snprintf(p, sizeof p, "%.3f", r->p_value);
    rtable_cell(d, t, TONE_PLAIN, "%s", name);
    rtable_cell(d, t, TONE_PLAIN, "%s", fsec(b->summary.median).s);
    rtable_cell(d, t, TONE_PLAIN, "%s", fsec(c->summary.median).s);
    rtable_cell(d, t, TONE_PLAIN, "%s", fchange(r->ratio - 1).s);
    rtable_cell(d, t, TONE_PLAIN, "%s – %s", fchange(r->ratio_low - 1).s,
                fchange(r->ratio_high - 1).s);
    rtable_cell(d, t, TONE_PLAIN, "%s", p);
    rtable_cell(d, t, compare_tone(r->verdict), "%s", compare_verdict_name(r->verdict));
}

static void compare_cells_table(struct rdoc *d, const struct results_doc *base,
                                const struct results_doc *cur, double threshold)
{
    size_t by_verdict[COMPARE_VERDICTS] = {0}, only_current = 0, only_baseline = 0;
    rdoc_para(d, TONE_PLAIN, "Change of each cell's median against the baseline, with the "
              "interval of every ratio within the two medians' confidence intervals. "
              "Verdicts: no change where a Mann-Whitney U test of the runs gives p >= %g; "
              "otherwise regressed or improved where the whole interval lies beyond "
              "±%g%%, else within noise. Advisory: times from two runs share no clock.",
              COMPARE_ALPHA, threshold * 100);
    struct rtable *t = rdoc_table(d, "lrrrrrl", "cell", "baseline", "current", "change",
                                  "interval", "p", "verdict");
    for (size_t i = 0; i < cur->ncells; i++) {
        const struct results_cell *c = &cur->cells[i];
        const struct results_cell *b =
            results_find_cell(base, c->profile, c->scenario, c->strategy, c->n, c->history);
        if (!b) {
            only_current++;
            continue;
        }
        struct compare_result r;
        compare_cells(b, c, threshold, &r);
        by_verdict[r.verdict]++;
        compare_row(d, t, b, c, &r);
    }
    for (size_t i = 0; i < base->ncells; i++) {
        const struct results_cell *b = &base->cells[i];
        only_baseline += !results_find_cell(cur, b->profile, b->scenario, b->strategy, b->n,
                                            b->history);
    }
    rdoc_para(d, by_verdict[COMPARE_REGRESSED] ? TONE_BAD : TONE_PLAIN,
              "%zu regressed, %zu improved, %zu within noise, %zu no change; %zu cells only "
              "in the current run, %zu only in the baseline.", by_verdict[COMPARE_REGRESSED],
              by_verdict[COMPARE_IMPROVED], by_verdict[COMPARE_WITHIN_NOISE],
              by_verdict[COMPARE_NO_CHANGE], only_current, only_baseline);
}

/* Counts by rule and outcome, then every verdict that is neither a pass nor
 * advisory (the advisory ones are the time changes of the table above). */
static void gate_tables(struct rdoc *d, const struct gate_report *g)
{
    size_t counts[GATE_MATCH + 1][GATE_OUTCOMES] = {{0}};
    for (size_t i = 0; i < g->count; i++)
        if (g->items[i].rule <= GATE_MATCH && g->items[i].outcome < GATE_OUTCOMES)
            counts[g->items[i].rule][g->items[i].outcome]++;
    struct rtable *t = rdoc_table(d, "lrrrr", "rule", "failed", "passed", "skipped",
                                  "advisory");
    for (int r = GATE_RULE_STATEMENTS; r <= GATE_MATCH; r++) {
        const size_t *c = counts[r];
        if (!c[GATE_PASS] && !c[GATE_FAIL] && !c[GATE_SKIPPED] && !c[GATE_ADVISORY])
            continue;
        rtable_cell(d, t, TONE_PLAIN, "%s", gate_rule_name((enum gate_rule)r));
        rtable_cell(d, t, c[GATE_FAIL] ? TONE_BAD : TONE_PLAIN, "%zu", c[GATE_FAIL]);
        rtable_cell(d, t, TONE_PLAIN, "%zu", c[GATE_PASS]);
        rtable_cell(d, t, TONE_PLAIN, "%zu", c[GATE_SKIPPED]);
        rtable_cell(d, t, TONE_PLAIN, "%zu", c[GATE_ADVISORY]);
    }
    t = NULL;
    for (size_t k = 0; k < 2 * g->count; k++) { /* failures first, then skips */
        const struct gate_verdict *v = &g->items[k % g->count];
        if (v->outcome != (k < g->count ? GATE_FAIL : GATE_SKIPPED))
            continue;
        if (!t)
            t = rdoc_table(d, "lllll", "outcome", "rule", "subject", "measured", "allowed");
        rtable_cell(d, t, v->outcome == GATE_FAIL ? TONE_BAD : TONE_WARN, "%s",
                    gate_outcome_name(v->outcome));
        rtable_cell(d, t, TONE_PLAIN, "%s", gate_rule_name(v->rule));
        rtable_cell(d, t, TONE_PLAIN, "%s", v->subject);
        rtable_cell(d, t, TONE_PLAIN, "%s", v->measured);
        rtable_cell(d, t, TONE_PLAIN, "%s", v->allowed);
    }
}

static void build_gate(struct rdoc *d, const struct report_inputs *in)
{
    rdoc_heading(d, 3, "Gate");
    const struct gate_report *g = in->gate;
    if (!g) {
        rdoc_para(d, TONE_WARN, "The gate did not run: %s.",
                  in->gate_note ? in->gate_note : "no verdicts were given to the report");
        return;
    }
    const size_t *n = g->by_outcome;
    rdoc_para(d, n[GATE_FAIL] ? TONE_BAD : TONE_GOOD,
              "Gate: %s: %zu failed, %zu passed, %zu skipped, %zu advisory.",
              n[GATE_FAIL] ? "regression" : "passed", n[GATE_FAIL], n[GATE_PASS],
              n[GATE_SKIPPED], n[GATE_ADVISORY]);
    rdoc_para(d, TONE_PLAIN, "The gate trusts what noise cannot move: statements by kind "
              "and lookups (exact), VM steps, lookup plans, growth with N and ratios of "
              "strategies measured in the same run; changes in time against another run "
              "are advisory. Below: its verdicts by rule, then each failure and skip.");
    gate_tables(d, g);
}

void report_build_compare(struct rdoc *d, const struct report_inputs *in, double threshold)
{
    const struct results_doc *base = in->baseline, *cur = in->current;
    char line[512];
    rdoc_heading(d, 2, "Against the baseline");
    describe_run(line, sizeof line, "Baseline", base);
    rdoc_para(d, TONE_PLAIN, "%s.", line);
    describe_run(line, sizeof line, "Current", cur);
    rdoc_para(d, TONE_PLAIN, "%s.", line);
    build_gate(d, in);
    rdoc_heading(d, 3, "Changes in time");
    char why[256];
    if (results_generator_differs(&base->config, &cur->config, why, sizeof why)) {
        rdoc_para(d, TONE_WARN, "Cells not compared: the runs imported different inputs "
                  "(%s).", why);
        return;
    }
    machine_differences(d, &base->env, &cur->env);
    compare_cells_table(d, base, cur, threshold);
}

/* ---- hyperfine ----------------------------------------------------------- */

/* The fastest of a set of values, skipping NaN. */
static double fastest(const double *v, int n)
{
    double m = NAN;
    for (int i = 0; i < n; i++)
        if (!isnan(v[i]) && (isnan(m) || v[i] < m))
            m = v[i];
    return m;
}

static int seen_before(const struct hyperfine_set *set, size_t i)
{
    const struct hyperfine_result *r = &set->items[i];
    for (size_t j = 0; j < i; j++) {
        const struct hyperfine_result *q = &set->items[j];
        if (q->n == r->n && q->history == r->history && !strcmp(q->profile, r->profile) &&
            !strcmp(q->scenario, r->scenario))
            return 1;
    }
    return 0;
}

/* The rows of one (profile, scenario, n, history) of the exports: relative
 * speeds are within it. */
static void hyperfine_rows(struct rdoc *d, struct rtable *t, const struct results_doc *doc,
                           const struct hyperfine_set *set, const struct hyperfine_result *key)
{
    const struct hyperfine_result *rows[GROUP_MAX];
    const struct results_cell *cells[GROUP_MAX];
    double mean[GROUP_MAX], median[GROUP_MAX];
    int n = 0;
    for (size_t i = 0; i < set->count && n < GROUP_MAX; i++) {
        const struct hyperfine_result *r = &set->items[i];
        if (r->n != key->n || r->history != key->history || strcmp(r->profile, key->profile) ||
            strcmp(r->scenario, key->scenario))
            continue;
        rows[n] = r;
        cells[n] = results_find_cell(doc, r->profile, r->scenario, r->strategy, r->n,
                                     r->history < 0 ? doc->config.history : r->history);
        mean[n] = r->mean;
        median[n] = cells[n] ? cells[n]->summary.median : NAN;
        n++;
    }
    double best_mean = fastest(mean, n), best_median = fastest(median, n);
    for (int i = 0; i < n; i++) {
        const struct hyperfine_result *r = rows[i];
        rtable_cell(d, t, TONE_PLAIN, "%s/%s", r->profile, r->scenario);
        rtable_cell(d, t, TONE_PLAIN, "%s", fcount(r->n).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", r->strategy);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(median[i]).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fratio(median[i] / best_median).s);
        rtable_cell(d, t, TONE_PLAIN, "%s ± %s", fsec(r->mean).s, fsec(r->stddev).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->median).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->min).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->max).s);
        rtable_cell(d, t, TONE_PLAIN, "%zu", r->runs);
        rtable_cell(d, t, TONE_PLAIN, "%s", fratio(r->mean / best_mean).s);
    }
}

void report_build_hyperfine(struct rdoc *d, const struct report_inputs *in)
{
    const struct hyperfine_set *set = in->hyperfine;
    rdoc_heading(d, 2, "Whole-process timings (hyperfine)");
    rdoc_para(d, TONE_PLAIN, "hyperfine timed importbench import as a whole process: "
              "start-up, opening the database, parsing, importing, committing and exit, "
              "from a fresh copy of the same starting database each run. The in-process "
              "median times parse, import and commit alone. Relative speeds are to the "
              "fastest strategy at the same N: 1.00× is the fastest.");
    if (!set->count) {
        rdoc_para(d, TONE_WARN, "The hyperfine exports hold no results.");
        return;
    }
    struct rtable *t = rdoc_table(d, "lrlrrrrrrrr", "cell", "N", "strategy",
                                  "in-process median", "relative", "process mean ± σ",
                                  "median", "min", "max", "runs", "relative");
    for (size_t i = 0; i < set->count; i++)
        if (!seen_before(set, i))
            hyperfine_rows(d, t, in->current, set, &set->items[i]);
}
