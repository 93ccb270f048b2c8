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

/* The runs' start times (ISO 8601 UTC, so they sort as strings), ascending. */
static const char **start_times(struct results_doc *const *runs, size_t n)
{
    const char **t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        for (; j > 0 && strcmp(t[j - 1], runs[i]->generated_at) > 0; j--)
            t[j] = t[j - 1];
        t[j] = runs[i]->generated_at;
    }
    return t;
}

/* 1 when a[0] <= b[0] <= a[1] <= b[1] <= ... takes every run of both. */
static int alternates(const char **a, size_t na, const char **b, size_t nb)
{
    if (na != nb && na != nb + 1)
        return 0;
    const char *prev = "";
    for (size_t k = 0; k < na + nb; k++) {
        const char *t = k % 2 ? b[k / 2] : a[k / 2];
        if (strcmp(prev, t) > 0)
            return 0;
        prev = t;
    }
    return 1;
}

static int check_interleaved(struct results_doc *const *base, size_t nbase,
                             struct results_doc *const *cur, size_t ncur, struct ib_error *err)
{
    if (nbase < 2 || ncur < 2)
        return ib_fail(err, IB_EUSAGE, "interleaved runs need two at least a side: the "
                                       "baseline has %zu, the current %zu", nbase, ncur);
    char why[300];
    if (merge_machine_differs(&base[0]->env, &cur[0]->env, why, sizeof why))
        return ib_fail(err, IB_EUSAGE, "the two sides ran on different machines (%s)", why);
    const char **a = start_times(base, nbase), **b = start_times(cur, ncur);
    int ok = a && b && (alternates(a, nbase, b, ncur) || alternates(b, ncur, a, nbase));
    int oom = !a || !b;
    free(a);
    free(b);
    if (oom)
        return ib_fail(err, IB_ERR, "gate: out of memory");
    if (!ok)
        return ib_fail(err, IB_EUSAGE, "the runs are not interleaved: by generated_at, the "
                                       "baseline's and the current runs must alternate (A, B, "
                                       "A, B...)");
    return IB_OK;
}

static int rule_time(struct gate_report *rep, const struct gate_rules *rules,
                     const struct results_cell *b, const struct results_cell *c)
{
    char subject[160], allowed[160];
    results_cell_name(c, subject, sizeof subject);
    snprintf(allowed, sizeof allowed, "fails when more than %g%% slower with p < %g",
             rules->time_slowdown * 100, rules->time_p);
    if (b->ntimes < (size_t)rules->time_min_samples || c->ntimes < (size_t)rules->time_min_samples)
        return gate_add(rep, GATE_TIME, GATE_SKIPPED, subject, allowed,
                        "%zu + %zu samples: %d a side needed", b->ntimes, c->ntimes,
                        rules->time_min_samples);
    double u, p = stats_mann_whitney(b->times, b->ntimes, c->times, c->ntimes, &u);
    double change = c->summary.median / b->summary.median - 1;
    char mc[32], mb[32];
    gate_format_time(c->summary.median, mc, sizeof mc);
    gate_format_time(b->summary.median, mb, sizeof mb);
    enum gate_outcome o =
        p < rules->time_p && change > rules->time_slowdown ? GATE_FAIL : GATE_PASS;
    return gate_add(rep, GATE_TIME, o, subject, allowed,
                    "median %s vs %s (%+.1f%%), p %.2g (Mann-Whitney, %zu + %zu samples)", mc,
                    mb, change * 100, p, b->ntimes, c->ntimes);
}

int gate_run_interleaved(struct results_doc *const *base_runs, const char *const *base_names,
                         size_t nbase, struct results_doc *const *cur_runs,
                         const char *const *cur_names, size_t ncur,
                         const struct gate_rules *rules, struct gate_report *report,
                         struct ib_error *err)
{
    memset(report, 0, sizeof *report);
    int status = check_interleaved(base_runs, nbase, cur_runs, ncur, err);
    if (status != IB_OK)
        return status;
    struct results_doc *base = NULL, *cur = NULL;
    status = merge_runs(base_runs, base_names, nbase, &base, err);
    if (status == IB_OK)
        status = merge_runs(cur_runs, cur_names, ncur, &cur, err);
    if (status == IB_OK)
        status = gate_judge(base, cur, rules, 0, report, err);
    for (size_t i = 0; status == IB_OK && i < cur->ncells; i++) {
        const struct results_cell *c = &cur->cells[i];
        const struct results_cell *b =
            results_find_cell(base, c->profile, c->scenario, c->strategy, c->n, c->history);
        if (b && rule_time(report, rules, b, c)) {
            gate_report_free(report);
            status = ib_fail(err, IB_ERR, "gate: out of memory");
        }
    }
    results_doc_free(base);
    results_doc_free(cur);
    return status;
}
