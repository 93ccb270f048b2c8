/* gate.c: the gate's rules over a baseline and a current results document.
 *
 * What can fail is what noise cannot move: exact counts, VM steps of one SQLite
 * version, query plans; and, from the current run alone, growth over N and
 * ratios of strategies measured side by side, judged on the ends of their CIs
 * so that only a difference beyond the run's own noise fails. Times against
 * the baseline, measured in another run, are printed and never fail. */
#include "gate.h"
#include "gate_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *gate_rule_name(enum gate_rule rule)
{
    static const char *const names[] = {"", "statements", "vm_steps", "lookup_plan",
                                        "slope", "ratio", "time", "match"};
    return rule >= GATE_RULE_STATEMENTS && rule <= GATE_MATCH ? names[rule] : "?";
}

const char *gate_outcome_name(enum gate_outcome outcome)
{
    static const char *const names[] = {"pass", "fail", "skipped", "advisory"};
    return outcome < GATE_OUTCOMES ? names[outcome] : "?";
}

void gate_report_free(struct gate_report *report)
{
    free(report->items);
    memset(report, 0, sizeof *report);
}

int gate_add(struct gate_report *rep, enum gate_rule rule, enum gate_outcome outcome,
             const char *subject, const char *allowed, const char *fmt, ...)
{
    if (rep->count == rep->cap) {
        size_t cap = rep->cap ? rep->cap * 2 : 64;
        struct gate_verdict *p = realloc(rep->items, cap * sizeof *p);
        if (!p)
            return -1;
        rep->items = p;
        rep->cap = cap;
    }
    struct gate_verdict *v = &rep->items[rep->count++];
    v->rule = rule;
    v->outcome = outcome;
    snprintf(v->subject, sizeof v->subject, "%s", subject);
    snprintf(v->allowed, sizeof v->allowed, "%s", allowed);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->measured, sizeof v->measured, fmt, ap);
    va_end(ap);
    rep->by_outcome[outcome]++;
    return 0;
}

struct gate_ctx {
    struct gate_report *rep;
    const struct gate_rules *rules;
    const struct results_doc *base, *cur;
};

static const char *const count_names[] = {"select", "insert", "update", "other", "lookups"};

static void counts_of(const struct results_cell *c, uint64_t v[5])
{
    v[0] = c->counts.select;
    v[1] = c->counts.insert;
    v[2] = c->counts.update;
    v[3] = c->counts.other;
    v[4] = c->counts.lookups;
}

static void list_counts(const uint64_t v[5], char *buf, size_t len)
{
    snprintf(buf, len, "select %llu, insert %llu, update %llu, other %llu, lookups %llu",
             (unsigned long long)v[0], (unsigned long long)v[1], (unsigned long long)v[2],
             (unsigned long long)v[3], (unsigned long long)v[4]);
}

/* Rule 1: a batch strategy that starts a SELECT per result fails here, on any
 * machine, however noisy. */
static int rule_statements(struct gate_ctx *g, const struct results_cell *c,
                           const struct results_cell *b, const char *subject)
{
    uint64_t cv[5], bv[5];
    char diff[512] = "", all[200], allowed[300];
    int fewer = 0;
    counts_of(c, cv);
    counts_of(b, bv);
    for (int i = 0; i < 5; i++) {
        if (cv[i] == bv[i])
            continue;
        size_t used = strlen(diff);
        snprintf(diff + used, sizeof diff - used, "%s%s %llu (baseline %llu)",
                 used ? ", " : "", count_names[i], (unsigned long long)cv[i],
                 (unsigned long long)bv[i]);
        fewer |= cv[i] < bv[i];
    }
    if (!diff[0]) {
        list_counts(cv, all, sizeof all);
        return gate_add(g->rep, GATE_RULE_STATEMENTS, GATE_PASS, subject, "equal to the baseline",
                   "%s", all);
    }
    list_counts(bv, all, sizeof all);
    snprintf(allowed, sizeof allowed, "the baseline's exactly: %s%s", all,
             fewer ? " (fewer now: if intended, update the baseline)" : "");
    return gate_add(g->rep, GATE_RULE_STATEMENTS, GATE_FAIL, subject, allowed, "%s", diff);
}

/* Rule 2: deterministic for one SQLite version, so a tight tolerance. */
static int rule_vm_steps(struct gate_ctx *g, const struct results_cell *c,
                         const struct results_cell *b, const char *subject)
{
    const char *vc = g->cur->env.sqlite_version, *vb = g->base->env.sqlite_version;
    unsigned long long sc = c->counts.vm_steps, sb = b->counts.vm_steps;
    if (strcmp(vc, vb)) {
        char why[160];
        snprintf(why, sizeof why, "not compared: SQLite %s here, %s in the baseline", vc, vb);
        return gate_add(g->rep, GATE_RULE_VM_STEPS, GATE_SKIPPED, subject, why, "vm_steps %llu", sc);
    }
    double tol = g->rules->vm_steps_tolerance;
    double change = sb ? ((double)sc - (double)sb) / (double)sb : sc ? INFINITY : 0;
    char allowed[160];
    snprintf(allowed, sizeof allowed, "within %g%% of the baseline%s", tol * 100,
             change < -tol ? " (fewer now: if intended, update the baseline)" : "");
    enum gate_outcome o = fabs(change) <= tol + 1e-12 ? GATE_PASS : GATE_FAIL;
    return gate_add(g->rep, GATE_RULE_VM_STEPS, o, subject, allowed,
               "vm_steps %llu (%+.2f%% on %llu)", sc, change * 100, sb);
}

/* Rule 3: an index change that turns a lookup into a scan shows here first. */
static int rule_plan(struct gate_ctx *g, const struct results_cell *c,
                     const struct results_cell *b, const char *subject)
{
    const char *pc = c->lookup_plan[0] ? c->lookup_plan : "(no lookup statement)";
    const char *pb = b->lookup_plan[0] ? b->lookup_plan : "(no lookup statement)";
    if (!strcmp(pc, pb))
        return gate_add(g->rep, GATE_RULE_PLAN, GATE_PASS, subject, "equal to the baseline", "%s",
                   pc);
    char allowed[256];
    snprintf(allowed, sizeof allowed, "the baseline's: %.200s", pb);
    return gate_add(g->rep, GATE_RULE_PLAN, GATE_FAIL, subject, allowed, "%s", pc);
}

void gate_format_time(double s, char *buf, size_t len)
{
    if (!isfinite(s))
        snprintf(buf, len, "?");
    else if (s < 1e-3)
        snprintf(buf, len, "%.1f us", s * 1e6);
    else if (s < 1)
        snprintf(buf, len, "%.2f ms", s * 1e3);
    else
        snprintf(buf, len, "%.3f s", s);
}

static int advise_time(struct gate_ctx *g, const struct results_cell *c,
                       const struct results_cell *b, const char *subject)
{
    char mc[32], mb[32], lc[32], hc[32], lb[32], hb[32];
    gate_format_time(c->summary.median, mc, sizeof mc);
    gate_format_time(b->summary.median, mb, sizeof mb);
    gate_format_time(c->summary.ci_low, lc, sizeof lc);
    gate_format_time(c->summary.ci_high, hc, sizeof hc);
    gate_format_time(b->summary.ci_low, lb, sizeof lb);
    gate_format_time(b->summary.ci_high, hb, sizeof hb);
    return gate_add(g->rep, GATE_TIME, GATE_ADVISORY, subject,
               "advisory only: separate runs differ by tens of percent",
               "median %s vs %s in the baseline (%+.1f%%); CIs %s - %s vs %s - %s", mc, mb,
               (c->summary.median / b->summary.median - 1) * 100, lc, hc, lb, hb);
}

typedef int (*cell_rule)(struct gate_ctx *, const struct results_cell *,
                         const struct results_cell *, const char *);

/* Runs one rule over every current cell that has a twin in the baseline. */
static int over_matched(struct gate_ctx *g, cell_rule rule)
{
    for (size_t i = 0; i < g->cur->ncells; i++) {
        const struct results_cell *c = &g->cur->cells[i];
        const struct results_cell *b =
            results_find_cell(g->base, c->profile, c->scenario, c->strategy, c->n, c->history);
        char subject[160];
        results_cell_name(c, subject, sizeof subject);
        if (b && rule(g, c, b, subject))
            return -1;
    }
    return 0;
}

static int is_linear_strategy(const char *s)
{
    return !strcmp(s, "batch") || !strcmp(s, "bulk") || !strcmp(s, "upsert");
}

static void series_name(const char *profile, const char *scenario, const char *strategy,
                        int history, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s/%s h=%d", profile, scenario, strategy, history);
}

/* The slope of median(strategy) / median(floor in floor_scenario) over n,
 * plus 1, at the sizes of s where floor ran too; with its range over the two cells' CIs. 0, or -1
 * when floor ran at fewer than two of them. */
static int floor_relative(const struct results_doc *doc, const struct results_slope *s,
                          const char *floor_scenario, double *rel, double *rel_min,
                          double *rel_max, double *floor_slope)
{
    double x[RESULTS_LIST_MAX], r[RESULTS_LIST_MAX], lo[RESULTS_LIST_MAX], hi[RESULTS_LIST_MAX];
    double fm[RESULTS_LIST_MAX], r2;
    size_t m = 0;
    for (int k = 0; k < s->nsizes; k++) {
        const struct results_cell *c = results_find_cell(doc, s->profile, s->scenario,
                                                         s->strategy, s->sizes[k], s->history);
        const struct results_cell *f = results_find_cell(doc, s->profile, floor_scenario,
                                                         "floor", s->sizes[k], s->history);
        if (!c || !f)
            continue;
        x[m] = (double)s->sizes[k];
        fm[m] = f->summary.median;
        r[m] = c->summary.median / f->summary.median;
        lo[m] = c->summary.ci_low / f->summary.ci_high;
        hi[m] = c->summary.ci_high / f->summary.ci_low;
        m++;
    }
    if (m < 2)
        return -1;
    *rel = 1 + stats_loglog_slope(x, r, m, &r2);
    *floor_slope = stats_loglog_slope(x, fm, m, &r2);
    if (stats_loglog_slope_range(x, lo, hi, m, rel_min, rel_max) != 0 || isnan(*rel))
        return -1;
    *rel_min += 1;
    *rel_max += 1;
    return 0;
}

/* Rule 4: fails when even the flattest fit within the medians' CIs is steeper
 * than allowed. Where floor ran at the same sizes, the fit is of the strategy
 * over floor, plus 1: floor does the least work a result can cost, so its
 * growth is the database's own (indexes outgrowing the page cache, say), and
 * what is left is the strategy's. Series measured at one size only are
 * listed as skipped. */
static int slope_verdict(struct gate_ctx *g, const struct results_slope *s, const char *sizes,
                         const char *subject)
{
    double max = g->rules->max_slope, rel, lo, hi, fs;
    char allowed[128];
    /* Floor never runs where the job starts full (reimport): there the same
     * profile's fresh floor stands for the database's own growth. */
    const char *where = "";
    int found = floor_relative(g->cur, s, s->scenario, &rel, &lo, &hi, &fs) == 0;
    if (!found && strcmp(s->scenario, "fresh") != 0) {
        found = floor_relative(g->cur, s, "fresh", &rel, &lo, &hi, &fs) == 0;
        where = " on fresh";
    }
    if (found) {
        snprintf(allowed, sizeof allowed, "<= %g relative to floor%s (fails when the lowest "
                                          "within the CIs is above)", max, where);
        return gate_add(g->rep, GATE_RULE_SLOPE, lo > max ? GATE_FAIL : GATE_PASS, subject,
                        allowed, "%.2f relative to floor%s (%.2f to %.2f within the CIs); "
                        "slope %.2f, floor's %.2f, sizes %s", rel, where, lo, hi, s->slope, fs,
                        sizes);
    }
    snprintf(allowed, sizeof allowed, "<= %g (fails when the lowest slope within the CIs is "
                                      "above)", max);
    enum gate_outcome o = isnan(s->slope_min) ? GATE_SKIPPED
                          : s->slope_min > max ? GATE_FAIL
                                               : GATE_PASS;
    return gate_add(g->rep, GATE_RULE_SLOPE, o, subject, allowed,
                    "slope %.2f (%.2f to %.2f within the CIs), r2 %.3f, sizes %s", s->slope,
                    s->slope_min, s->slope_max, s->r2, sizes);
}

static int rule_slopes(struct gate_ctx *g)
{
    char subject[160], allowed[128];
    snprintf(allowed, sizeof allowed, "<= %g (fails when the lowest slope within the CIs is "
                                      "above)", g->rules->max_slope);
    for (size_t i = 0; i < g->cur->nslopes; i++) {
        const struct results_slope *s = &g->cur->slopes[i];
        if (!is_linear_strategy(s->strategy))
            continue;
        series_name(s->profile, s->scenario, s->strategy, s->history, subject, sizeof subject);
        char sizes[160] = "";
        for (int k = 0; k < s->nsizes; k++) {
            size_t used = strlen(sizes);
            snprintf(sizes + used, sizeof sizes - used, "%s%llu", k ? "," : "",
                     (unsigned long long)s->sizes[k]);
        }
        if (slope_verdict(g, s, sizes, subject))
            return -1;
    }
    for (size_t i = 0; i < g->cur->ncells; i++) {
        const struct results_cell *c = &g->cur->cells[i];
        int listed = !is_linear_strategy(c->strategy);
        for (size_t k = 0; k < g->cur->nslopes && !listed; k++) {
            const struct results_slope *s = &g->cur->slopes[k];
            listed = s->history == c->history && !strcmp(s->strategy, c->strategy) &&
                     !strcmp(s->scenario, c->scenario) && !strcmp(s->profile, c->profile);
        }
        for (size_t k = 0; k < i && !listed; k++) {  /* once per series */
            const struct results_cell *d = &g->cur->cells[k];
            listed = d->history == c->history && !strcmp(d->strategy, c->strategy) &&
                     !strcmp(d->scenario, c->scenario) && !strcmp(d->profile, c->profile);
        }
        if (listed)
            continue;
        series_name(c->profile, c->scenario, c->strategy, c->history, subject, sizeof subject);
        if (gate_add(g->rep, GATE_RULE_SLOPE, GATE_SKIPPED, subject, allowed,
                "measured at one size only (%llu)", (unsigned long long)c->n))
            return -1;
    }
    return 0;
}

static const double *n1_minimum(const struct gate_rules *r, uint64_t n)
{
    for (int i = 0; i < r->nn1_speedup; i++)
        if (r->n1_speedup[i].n == n)
            return &r->n1_speedup[i].min;
    return NULL;
}

/* Rule 5: ratios of cells measured side by side in the current run. */
static int rule_ratios(struct gate_ctx *g)
{
    for (size_t i = 0; i < g->cur->nspeedups; i++) {
        const struct results_speedup *s = &g->cur->speedups[i];
        char subject[160], allowed[160];
        int floor_pair = !strcmp(s->faster, "floor") && !strcmp(s->slower, "batch");
        int n1_pair = !strcmp(s->faster, "batch") && !strcmp(s->slower, "n1") &&
                      !strcmp(s->profile, "seed") && !strcmp(s->scenario, "fresh");
        if (!floor_pair && !n1_pair)
            continue;
        snprintf(subject, sizeof subject, "%s/%s %s/%s n=%llu h=%d", s->profile, s->scenario,
                 s->slower, s->faster, (unsigned long long)s->n, s->history);
        enum gate_outcome o;
        if (floor_pair) {
            snprintf(allowed, sizeof allowed, "<= %g (fails when the CIs' lowest ratio is above)",
                     g->rules->floor_ratio);
            o = isnan(s->ratio_low) ? GATE_SKIPPED
                : s->ratio_low > g->rules->floor_ratio ? GATE_FAIL
                                                       : GATE_PASS;
        } else if (n1_minimum(g->rules, s->n)) {
            double min = *n1_minimum(g->rules, s->n);
            snprintf(allowed, sizeof allowed,
                     ">= %g (fails when the CIs' highest ratio is below)", min);
            o = isnan(s->ratio_high) ? GATE_SKIPPED
                : s->ratio_high < min ? GATE_FAIL
                                      : GATE_PASS;
        } else {
            if (isnan(s->documented))
                snprintf(allowed, sizeof allowed, "reported only (no minimum at this size)");
            else
                snprintf(allowed, sizeof allowed, "reported only: documented %gx",
                         s->documented);
            o = GATE_ADVISORY;
        }
        if (gate_add(g->rep, GATE_RULE_RATIO, o, subject, allowed, "%.2fx (%.2f to %.2f within the CIs)",
                s->ratio, s->ratio_low, s->ratio_high))
            return -1;
    }
    return 0;
}

/* Cells that cannot be compared: only in one document, or not run. */
static int list_unmatched(struct gate_ctx *g, size_t *matched)
{
    char subject[160];
    *matched = 0;
    for (size_t i = 0; i < g->cur->ncells; i++) {
        const struct results_cell *c = &g->cur->cells[i];
        if (results_find_cell(g->base, c->profile, c->scenario, c->strategy, c->n, c->history)) {
            (*matched)++;
            continue;
        }
        results_cell_name(c, subject, sizeof subject);
        if (gate_add(g->rep, GATE_MATCH, GATE_SKIPPED, subject, "a cell of both runs",
                "not in the baseline"))
            return -1;
    }
    for (size_t i = 0; i < g->base->ncells; i++) {
        const struct results_cell *b = &g->base->cells[i];
        if (results_find_cell(g->cur, b->profile, b->scenario, b->strategy, b->n, b->history))
            continue;
        results_cell_name(b, subject, sizeof subject);
        if (gate_add(g->rep, GATE_MATCH, GATE_SKIPPED, subject, "a cell of both runs",
                "in the baseline only"))
            return -1;
    }
    for (size_t i = 0; i < g->cur->nskipped; i++) {
        const struct results_skip *s = &g->cur->skipped[i];
        snprintf(subject, sizeof subject, "%s/%s/%s n=%llu h=%d", s->profile, s->scenario,
                 s->strategy, (unsigned long long)s->n, s->history);
        if (gate_add(g->rep, GATE_MATCH, GATE_SKIPPED, subject, "a cell of both runs",
                "not run: %s", s->reason))
            return -1;
    }
    return 0;
}

int gate_run(struct results_doc *baseline, struct results_doc *current,
             const struct gate_rules *rules, struct gate_report *report, struct ib_error *err)
{
    return gate_judge(baseline, current, rules, 1, report, err);
}

int gate_judge(struct results_doc *baseline, struct results_doc *current,
               const struct gate_rules *rules, int advise_times, struct gate_report *report,
               struct ib_error *err)
{
    memset(report, 0, sizeof *report);
    if (!baseline->complete || !current->complete)
        return ib_fail(err, IB_EUSAGE, "the %s run was interrupted (complete: false); the "
                                       "gate needs a complete run",
                       !current->complete ? "current" : "baseline");
    char why[160];
    if (results_generator_differs(&baseline->config, &current->config, why, sizeof why))
        return ib_fail(err, IB_EUSAGE, "nothing to compare: the runs' inputs differ (%s)", why);
    if (results_compute_derived(baseline, err) || results_compute_derived(current, err))
        return IB_ERR;
    struct gate_ctx g = {report, rules, baseline, current};
    size_t matched;
    if (over_matched(&g, rule_statements) || over_matched(&g, rule_vm_steps) ||
        over_matched(&g, rule_plan) || rule_slopes(&g) || rule_ratios(&g) ||
        (advise_times && over_matched(&g, advise_time)) || list_unmatched(&g, &matched)) {
        gate_report_free(report);
        return ib_fail(err, IB_ERR, "gate: out of memory");
    }
    if (matched == 0) {
        gate_report_free(report);
        return ib_fail(err, IB_EUSAGE,
                       "nothing to compare: no cell of the current run is in the baseline");
    }
    return IB_OK;
}

void gate_print(FILE *out, const struct gate_report *report)
{
    for (size_t i = 0; i < report->count; i++) {
        const struct gate_verdict *v = &report->items[i];
        char rule[24];
        if (v->rule <= GATE_RULE_RATIO || (v->rule == GATE_TIME && v->outcome != GATE_ADVISORY))
            snprintf(rule, sizeof rule, "%d %s", (int)v->rule, gate_rule_name(v->rule));
        else
            snprintf(rule, sizeof rule, "- %s", gate_rule_name(v->rule));
        fprintf(out, "%-8s %-13s %-30s %s; allowed: %s\n", gate_outcome_name(v->outcome), rule,
                v->subject, v->measured, v->allowed);
    }
    const size_t *n = report->by_outcome;
    fprintf(out, "gate: %s: %zu failed, %zu passed, %zu skipped, %zu advisory\n",
            n[GATE_FAIL] ? "regression" : "passed", n[GATE_FAIL], n[GATE_PASS],
            n[GATE_SKIPPED], n[GATE_ADVISORY]);
}
