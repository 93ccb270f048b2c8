/* bench_plan.c: the bench matrix expanded into cells, the rules that skip a
 * cell, the prediction of a cell's time from the smaller sizes, and the
 * repeat rules. Pure decisions: nothing here runs an import. */
#include "bench_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each profile's strategies when none are asked for (bench_plan.h). */
static const char *const default_seed[] = {"n1", "n1-deferred", "batch", "bulk", "upsert",
                                           "floor", NULL};
static const char *const default_app[] = {"n1", "batch", "bulk", "upsert", "floor", NULL};
/* floor beside upsert: the keyed profile's own lower bound, against which the gate
 * judges upsert's growth (its unique index makes every insert grow with N). */
static const char *const default_keyed[] = {"upsert", "floor", NULL};
static const char *const quick_seed[] = {"n1", "batch", "bulk", "floor", NULL};
static const char *const quick_app[] = {"batch", "bulk", "floor", NULL};
static const char *const sweep_strategies[] = {"n1", "batch", NULL};

static int name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

static const char *const *profile_defaults(enum schema_profile p, int quick)
{
    switch (p) {
    case PROFILE_SEED:
        return quick ? quick_seed : default_seed;
    case PROFILE_APP:
        return quick ? quick_app : default_app;
    case PROFILE_KEYED:
        break;
    }
    return quick ? quick_app : default_keyed;
}

/* Whether the matrix runs strategy s on profile p at all. */
static int in_matrix(const struct bench_options *o, enum schema_profile p,
                     const struct strategy *s)
{
    if (o->nstrategies == 0)
        return name_in(s->name, profile_defaults(p, o->quick));
    for (int i = 0; i < o->nstrategies; i++)
        if (o->strategies[i] == s || !strcmp(o->strategies[i]->name, s->name))
            return 1;
    return 0;
}

/* Strategies in the order of strategy_all(), then any the caller made up
 * (a test's own strategy), in the order given. */
static size_t ordered_strategies(const struct bench_options *o,
                                 const struct strategy **out, size_t max)
{
    size_t count, k = 0;
    const struct strategy *const *all = strategy_all(&count);
    for (size_t i = 0; i < count && k < max; i++)
        out[k++] = all[i];
    for (int i = 0; i < o->nstrategies && k < max; i++)
        if (strategy_find(o->strategies[i]->name) != o->strategies[i])
            out[k++] = o->strategies[i];
    return k;
}

static void applicability(const struct strategy *s, enum schema_profile p, enum scenario sc,
                          char *reason, size_t len)
{
    reason[0] = '\0';
    if (s->needs_unique_key && p != PROFILE_KEYED)
        snprintf(reason, len, "%s needs the keyed profile (a unique key on the job and the "
                 "result's key)", s->name);
    else if (s->needs_empty_job && (sc == SCENARIO_REIMPORT || sc == SCENARIO_OVERLAP))
        snprintf(reason, len, "%s imports only into a job without results (scenario fresh "
                 "or dups)", s->name);
}

static void add_cell(struct bench_plan *plan, enum schema_profile p, enum scenario sc,
                     const struct strategy *s, uint64_t n, int history)
{
    struct bench_cell *c = &plan->cells[plan->ncells++];
    memset(c, 0, sizeof *c);
    c->profile = p;
    c->scenario = sc;
    c->strategy = s;
    c->n = n;
    c->history = history;
    c->group = plan->ngroups;
    applicability(s, p, sc, c->skip, sizeof c->skip);
    if (!c->skip[0])
        plan->nrunnable++;
}

/* One (profile, scenario, n, history) group; sweep: only the sweep's strategies. */
static void add_group(struct bench_plan *plan, const struct bench_options *o,
                      enum schema_profile p, enum scenario sc, uint64_t n, int history,
                      int sweep)
{
    const struct strategy *order[BENCH_MAX_STRATEGIES + 16];
    size_t m = ordered_strategies(o, order, sizeof order / sizeof order[0]);
    size_t before = plan->ncells;
    for (size_t i = 0; i < m; i++)
        if (in_matrix(o, p, order[i]) && (!sweep || name_in(order[i]->name, sweep_strategies)))
            add_cell(plan, p, sc, order[i], n, history);
    if (plan->ncells > before)
        plan->ngroups++;
}

static int sweep_applies(const struct bench_options *o, enum schema_profile p,
                         enum scenario sc, int size_index)
{
    return o->nhistory_sweep > 0 && p == PROFILE_APP && sc == SCENARIO_FRESH &&
           size_index == 0;
}

int bench_plan_build(const struct bench_options *o, struct bench_plan *plan,
                     struct ib_error *err)
{
    memset(plan, 0, sizeof *plan);
    if (o->nsizes < 1 || o->nprofiles < 1 || o->nscenarios < 1)
        return ib_fail(err, IB_EUSAGE, "bench: the matrix needs a size, a profile and a "
                       "scenario");
    size_t nstrat = (size_t)BENCH_MAX_STRATEGIES + 16;
    size_t cap = (size_t)o->nsizes * (size_t)o->nprofiles * (size_t)o->nscenarios *
                 (size_t)(1 + o->nhistory_sweep) * nstrat;
    if (!(plan->cells = calloc(cap, sizeof *plan->cells)))
        return ib_fail(err, IB_ERR, "bench: out of memory");
    for (int si = 0; si < o->nsizes; si++)
        for (int pi = 0; pi < o->nprofiles; pi++)
            for (int ci = 0; ci < o->nscenarios; ci++) {
                enum schema_profile p = o->profiles[pi];
                enum scenario sc = o->scenarios[ci];
                add_group(plan, o, p, sc, o->sizes[si], o->history, 0);
                if (!sweep_applies(o, p, sc, si))
                    continue;
                for (int h = 0; h < o->nhistory_sweep; h++) {
                    int depth = o->history_sweep[h], seen = depth == o->history;
                    for (int k = 0; k < h && !seen; k++)
                        seen = o->history_sweep[k] == depth;
                    if (!seen)
                        add_group(plan, o, p, sc, o->sizes[si], depth, 1);
                }
            }
    if (plan->ncells == 0) {
        bench_plan_free(plan);
        return ib_fail(err, IB_EUSAGE, "bench: the matrix is empty (no strategy runs on "
                       "these profiles)");
    }
    return IB_OK;
}

void bench_plan_free(struct bench_plan *plan)
{
    free(plan->cells);
    memset(plan, 0, sizeof *plan);
}

static void add_name(char (*names)[RESULTS_NAME_MAX], int *count, const char *name)
{
    for (int i = 0; i < *count; i++)
        if (!strcmp(names[i], name))
            return;
    if (*count < RESULTS_LIST_MAX)
        snprintf(names[(*count)++], RESULTS_NAME_MAX, "%s", name);
}

void bench_plan_config(const struct bench_options *o, const struct bench_plan *plan,
                       struct results_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (int i = 0; i < o->nsizes && i < RESULTS_LIST_MAX; i++)
        cfg->sizes[cfg->nsizes++] = o->sizes[i];
    for (size_t i = 0; i < plan->ncells; i++)
        add_name(cfg->strategies, &cfg->nstrategies, plan->cells[i].strategy->name);
    for (int i = 0; i < o->nprofiles; i++)
        add_name(cfg->profiles, &cfg->nprofiles, schema_profile_name(o->profiles[i]));
    for (int i = 0; i < o->nscenarios; i++)
        add_name(cfg->scenarios, &cfg->nscenarios, scenario_name(o->scenarios[i]));
    cfg->history = o->history;
    int swept = 0;
    for (size_t i = 0; i < plan->ncells && !swept; i++)
        swept = plan->cells[i].history != o->history;
    for (int i = 0; swept && i < o->nhistory_sweep; i++)
        cfg->history_sweep[cfg->nhistory_sweep++] = o->history_sweep[i];
    cfg->min_runs = o->min_runs;
    cfg->min_time_s = o->min_time_s;
    cfg->warmup = o->warmup;
    cfg->rtt_us = o->rtt_us;
    cfg->quick = o->quick;
    struct junitgen_options gen;
    scenario_generator_options(SCENARIO_FRESH, o->sizes[0], o->files, o->seed, &gen);
    results_set_generator(cfg, &gen, junitgen_dialect_name(gen.dialect));
}

static int same_series(const struct results_cell *r, const struct bench_cell *c)
{
    return r->history == c->history && !strcmp(r->strategy, c->strategy->name) &&
           !strcmp(r->scenario, scenario_name(c->scenario)) &&
           !strcmp(r->profile, schema_profile_name(c->profile));
}

double bench_predict_run(const struct results_doc *doc, const struct bench_cell *c)
{
    double x[RESULTS_LIST_MAX], y[RESULTS_LIST_MAX];
    size_t m = 0, last = 0;
    for (size_t i = 0; i < doc->ncells && m < RESULTS_LIST_MAX; i++) {
        const struct results_cell *r = &doc->cells[i];
        if (r->n >= c->n || !same_series(r, c) || !(r->summary.median > 0))
            continue;
        x[m] = (double)r->n;
        y[m] = r->summary.median;
        if (x[m] > x[last])
            last = m;
        m++;
    }
    if (m == 0)
        return NAN;
    double slope = c->strategy->lookup_per_result ? 2 : 1, r2;
    if (m >= 2) {
        double fitted = stats_loglog_slope(x, y, m, &r2);
        if (!isnan(fitted))
            slope = fitted < 1 ? 1 : fitted > 3 ? 3 : fitted;
    }
    return y[last] * pow((double)c->n / x[last], slope);
}

/* The runs a slow cell makes at run_s a run. */
static int slow_cell_runs(const struct bench_options *o, double run_s)
{
    int runs = o->min_runs < o->slow_runs ? o->min_runs : o->slow_runs;
    int two = o->min_runs < 2 ? o->min_runs : 2;
    return runs > two && two * run_s >= o->slow_cell_s ? two : runs;
}

void bench_planned_runs(const struct bench_options *o, double run_s, int *warmups, int *runs)
{
    if (run_s > o->slow_run_s) {
        *warmups = 0;
        *runs = slow_cell_runs(o, run_s);
        return;
    }
    *warmups = o->warmup;
    *runs = o->min_runs;
    if (!(run_s > 0))
        return;
    double want = ceil(o->min_time_s / run_s), cap = floor(o->cell_cap_s / run_s);
    if (want > cap)
        want = cap;
    if (want > BENCH_MAX_RUNS)
        want = BENCH_MAX_RUNS;
    if (want > *runs)
        *runs = (int)want;
}

void bench_budget_check(const struct bench_options *o, double run_s, char *reason, size_t len)
{
    int warmups, runs;
    reason[0] = '\0';
    if (!(run_s > 0))
        return;
    bench_planned_runs(o, run_s, &warmups, &runs);
    double cell_s = run_s * (warmups + runs);
    if (cell_s > o->budget_s)
        snprintf(reason, len, "predicted %.3g s (%d runs of %.3g s) exceeds the budget of "
                 "%g s", cell_s, warmups + runs, run_s, o->budget_s);
}

int bench_repeats_done(const struct bench_options *o, const struct bench_repeats *r)
{
    if (r->runs >= BENCH_MAX_RUNS)
        return 1;
    if (r->runs >= o->min_runs && (r->timed_s >= o->min_time_s || r->wall_s >= o->cell_cap_s))
        return 1;
    if (!(r->last_s > o->slow_run_s))
        return 0;
    int slow_min = o->min_runs < o->slow_runs ? o->min_runs : o->slow_runs;
    int two = o->min_runs < 2 ? o->min_runs : 2;
    return r->runs >= slow_min || (r->runs >= two && r->wall_s >= o->slow_cell_s);
}
