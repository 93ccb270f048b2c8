/* gate_compare.c: rule 6, the one place where a difference in time can fail.
 *
 * Medians from separate runs share no clock: the machine's load moves them by
 * tens of percent, so the gate only advises on them. Runs of two builds that
 * alternate on one machine (A, B, A, B...) do share one: a drift in load falls
 * on both sides alike. Pooled per side, their samples are compared per cell
 * with a Mann-Whitney U test, and a cell fails when it is both significantly
 * (p < time_p) and materially (more than time_slowdown) slower. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "gate_int.h"
#include "merge.h"
#include "stats.h"

/* The runs in order of generated_at (ISO 8601 UTC, so they sort as strings);
 * equal times keep the order given. */
static struct results_doc **in_time_order(struct results_doc *const *runs, size_t n)
{
    struct results_doc **t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        for (; j > 0 && strcmp(t[j - 1]->generated_at, runs[i]->generated_at) > 0; j--)
            t[j] = t[j - 1];
        t[j] = runs[i];
    }
    return t;
}

static const char *later(const struct results_doc *x, const struct results_doc *y)
{
    return strcmp(x->generated_at, y->generated_at) > 0 ? x->generated_at : y->generated_at;
}

static const char *earlier(const struct results_doc *x, const struct results_doc *y)
{
    return strcmp(x->generated_at, y->generated_at) > 0 ? y->generated_at : x->generated_at;
}

/* 1 when the i-th runs of both sides are neighbours in time: every pair ends
 * before the next begins (A B A B, B A B A and A B B A all do; equal times go
 * either way). A side may have one run more, after the last pair. */
static int paired_in_time(struct results_doc **a, size_t na, struct results_doc **b, size_t nb)
{
    size_t pairs = na < nb ? na : nb;
    if (na > nb + 1 || nb > na + 1)
        return 0;
    for (size_t k = 0; k + 1 < pairs; k++)
        if (strcmp(later(a[k], b[k]), earlier(a[k + 1], b[k + 1])) > 0)
            return 0;
    const struct results_doc *extra = na > nb ? a[pairs] : nb > na ? b[pairs] : NULL;
    return !extra || strcmp(later(a[pairs - 1], b[pairs - 1]), extra->generated_at) <= 0;
}

static int check_interleaved(struct results_doc **a, size_t na, struct results_doc **b,
                             size_t nb, struct ib_error *err)
{
    if (na < 2 || nb < 2)
        return ib_fail(err, IB_EUSAGE, "interleaved runs need two at least a side: the "
                                       "baseline has %zu, the current %zu", na, nb);
    char why[300];
    if (merge_machine_differs(&a[0]->env, &b[0]->env, why, sizeof why))
        return ib_fail(err, IB_EUSAGE, "the two sides ran on different machines (%s)", why);
    if (!paired_in_time(a, na, b, nb))
        return ib_fail(err, IB_EUSAGE, "the runs are not interleaved: by generated_at, each "
                                       "baseline run needs a current run beside it (A B A B... "
                                       "or A B B A...)");
    return IB_OK;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The variance of U under the null hypothesis for samples a and b, with the
 * correction for tied values. -1 when memory runs out. */
static double u_variance(const double *a, size_t na, const double *b, size_t nb)
{
    size_t n = na + nb;
    double *all = malloc(n * sizeof *all);
    if (!all)
        return -1;
    memcpy(all, a, na * sizeof *a);
    memcpy(all + na, b, nb * sizeof *b);
    qsort(all, n, sizeof *all, cmp_double);
    double ties = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && all[j] == all[i]; j++)
            ;
        double t = (double)(j - i);
        ties += t * t * t - t;
    }
    free(all);
    double nn = (double)n;
    return n < 2 ? 0 : (double)na * (double)nb / 12 * ((nn + 1) - ties / (nn * (nn - 1)));
}

/* Rule 6's figures for one cell over the interleaved pairs of runs. */
struct paired {
    size_t pairs, na, nb;       /* pairs where both runs measured it; samples a side */
    double change;              /* median over pairs of median(B run) / median(A run), - 1 */
    double p;                   /* stratified Mann-Whitney, two-sided */
};

/* Each pair (A run i, B run i) is a stratum: its samples are ranked within it
 * and its U summed with the others' (van Elteren's stratified form of the
 * Mann-Whitney test), so a change of load between pairs, shared by both runs
 * of a pair, is not taken for noise. -1 when memory runs out. */
static int pair_up(struct results_doc **a, struct results_doc **b, size_t npairs,
                   const struct results_cell *c, struct paired *out)
{
    double *ratios = malloc((npairs ? npairs : 1) * sizeof *ratios), t = 0, e = 0, v = 0;
    if (!ratios)
        return -1;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < npairs; i++) {
        const struct results_cell *x = results_find_cell(a[i], c->profile, c->scenario,
                                                         c->strategy, c->n, c->history);
        const struct results_cell *y = results_find_cell(b[i], c->profile, c->scenario,
                                                         c->strategy, c->n, c->history);
        if (!x || !y || !x->ntimes || !y->ntimes)
            continue;
        double u, var = u_variance(x->times, x->ntimes, y->times, y->ntimes);
        if (var < 0) {
            free(ratios);
            return -1;
        }
        stats_mann_whitney(x->times, x->ntimes, y->times, y->ntimes, &u);
        t += u;
        e += (double)x->ntimes * (double)y->ntimes / 2;
        v += var;
        ratios[out->pairs++] = y->summary.median / x->summary.median;
        out->na += x->ntimes;
        out->nb += y->ntimes;
    }
    double dist = fabs(t - e) - 0.5;  /* continuity correction */
    out->p = v > 0 ? erfc((dist > 0 ? dist : 0) / sqrt(v) / sqrt(2.0)) : 1;
    out->change = out->pairs ? stats_median(ratios, out->pairs) - 1 : NAN;
    free(ratios);
    return 0;
}

static int rule_time(struct gate_report *rep, const struct gate_rules *rules,
                     const struct results_cell *pooled_a, const struct results_cell *pooled_b,
                     const struct paired *pr)
{
    char subject[160], allowed[160];
    results_cell_name(pooled_b, subject, sizeof subject);
    snprintf(allowed, sizeof allowed, "fails when more than %g%% slower with p < %g",
             rules->time_slowdown * 100, rules->time_p);
    if (pr->pairs < (size_t)rules->time_min_runs)
        return gate_add(rep, GATE_TIME, GATE_SKIPPED, subject, allowed,
                        "%zu interleaved pairs of runs: %d needed", pr->pairs,
                        rules->time_min_runs);
    char ta[32], tb[32];
    gate_format_time(pooled_b->summary.median, tb, sizeof tb);
    gate_format_time(pooled_a->summary.median, ta, sizeof ta);
    enum gate_outcome o = pr->p < rules->time_p && pr->change > rules->time_slowdown
                              ? GATE_FAIL
                              : GATE_PASS;
    return gate_add(rep, GATE_TIME, o, subject, allowed,
                    "%+.1f%% pair by pair, p %.2g (Mann-Whitney within %zu interleaved pairs, "
                    "%zu + %zu samples); medians %s vs %s",
                    pr->change * 100, pr->p, pr->pairs, pr->na, pr->nb, tb, ta);
}

static int judge_times(struct results_doc **a, size_t na, struct results_doc **b, size_t nb,
                       const struct results_doc *base, const struct results_doc *cur,
                       const struct gate_rules *rules, struct gate_report *report)
{
    size_t npairs = na < nb ? na : nb;
    for (size_t i = 0; i < cur->ncells; i++) {
        const struct results_cell *c = &cur->cells[i];
        const struct results_cell *d =
            results_find_cell(base, c->profile, c->scenario, c->strategy, c->n, c->history);
        struct paired pr;
        if (!d)
            continue;
        /* a[i] and b[i] are neighbours in time, whichever side began. */
        if (pair_up(a, b, npairs, c, &pr) || rule_time(report, rules, d, c, &pr))
            return -1;
    }
    return 0;
}

int gate_run_interleaved(struct results_doc *const *base_runs, const char *const *base_names,
                         size_t nbase, struct results_doc *const *cur_runs,
                         const char *const *cur_names, size_t ncur,
                         const struct gate_rules *rules, struct gate_report *report,
                         struct ib_error *err)
{
    memset(report, 0, sizeof *report);
    struct results_doc **a = in_time_order(base_runs, nbase), **b = in_time_order(cur_runs, ncur);
    struct results_doc *base = NULL, *cur = NULL;
    int status = a && b ? check_interleaved(a, nbase, b, ncur, err)
                        : ib_fail(err, IB_ERR, "gate: out of memory");
    if (status == IB_OK)
        status = merge_runs(base_runs, base_names, nbase, &base, err);
    if (status == IB_OK)
        status = merge_runs(cur_runs, cur_names, ncur, &cur, err);
    if (status == IB_OK)
        status = gate_judge(base, cur, rules, 0, report, err);
    if (status == IB_OK && judge_times(a, nbase, b, ncur, base, cur, rules, report)) {
        gate_report_free(report);
        status = ib_fail(err, IB_ERR, "gate: out of memory");
    }
    free(a);
    free(b);
    results_doc_free(base);
    results_doc_free(cur);
    return status;
}
