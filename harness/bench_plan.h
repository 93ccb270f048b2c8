/* bench_plan.h: what the bench runner will run, decided before and during the
 * run: the matrix's cells in order, which do not apply and why, the time a
 * cell is predicted to take from the smaller sizes already measured, and when
 * a cell has repeated enough.
 *
 * Strategies per profile when none are asked for:
 *   default  seed: n1, n1-deferred, batch, bulk, upsert, floor
 *            app:  n1, batch, bulk, upsert, floor
 *            keyed: upsert
 *   quick    seed: n1, batch, bulk, floor;  app: batch, bulk, floor
 * Strategies asked for run on every profile. In both cases upsert applies
 * only to keyed and floor only to a job without rows (fresh, dups): other
 * cells are skipped with that reason.
 *
 * Order: sizes ascending (so that a larger size can be predicted from the
 * smaller ones), then profile, scenario and history, then strategy. The
 * history sweep runs on app, fresh, at the smallest size, for n1 and batch,
 * right after that size's main app/fresh group. */
#ifndef IB_BENCH_PLAN_H
#define IB_BENCH_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "bench.h"

struct bench_cell {
    enum schema_profile profile;
    enum scenario scenario;
    const struct strategy *strategy;
    uint64_t n;
    int history;
    size_t group;                       /* cells of one (profile, scenario, n, history) */
    char skip[RESULTS_REASON_MAX];      /* "" or why the cell does not apply */
};

struct bench_plan {
    struct bench_cell *cells;
    size_t ncells;
    size_t ngroups;
    size_t nrunnable;                   /* cells without a skip reason */
};

int bench_plan_build(const struct bench_options *o, struct bench_plan *plan,
                     struct ib_error *err);
void bench_plan_free(struct bench_plan *plan);

/* The configuration part of a results document for these options. */
void bench_plan_config(const struct bench_options *o, const struct bench_plan *plan,
                       struct results_config *cfg);

/* Seconds one run of c is predicted to take: the log-log extrapolation of the
 * medians of the same (profile, scenario, strategy, history) at smaller n in
 * doc (least-squares slope over them, at least 1; with one point, 2 for a
 * strategy with a lookup per result and 1 otherwise). NaN with none. */
double bench_predict_run(const struct results_doc *doc, const struct bench_cell *c);

/* How many warm-up and timed runs a cell predicted at run_s (NaN: unknown)
 * will make, under the repeat rules below. */
void bench_planned_runs(const struct bench_options *o, double run_s, int *warmups, int *runs);

/* "" when the predicted cell fits the budget, else the reason it is skipped. */
void bench_budget_check(const struct bench_options *o, double run_s, char *reason, size_t len);

/* Repeat rules: a cell stops when it has min_runs runs and min_time seconds
 * timed; or when it has min_runs runs and has spent cell_cap_s of wall time;
 * or, when its last run took over slow_run_s (a slow cell), when it has
 * min(min_runs, slow_runs) runs, or min(min_runs, 2) and has spent
 * slow_cell_s; or at BENCH_MAX_RUNS. */
struct bench_repeats {
    int runs;
    double timed_s, wall_s, last_s;
};
int bench_repeats_done(const struct bench_options *o, const struct bench_repeats *r);

#endif
