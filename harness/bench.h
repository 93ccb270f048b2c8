/* bench.h: the matrix runner behind `importbench bench`.
 *
 * A cell is (profile, scenario, strategy, n, history). For each one the runner
 * makes sure the job's XML exists in the fixture cache, builds the starting
 * database once as a template, and then, before every run, copies the template
 * to a work file outside the timed region; the timed region is importer_run's
 * parse, import and commit. The cells of one starting database take turns,
 * one run each, and each repeats until it has its runs and its time (slow
 * cells capped); every run's digest is checked against the other
 * strategies' in the same (profile, scenario, n, history), and the samples go
 * into a results document. Printing is the caller's: the runner only reports
 * through the hooks. */
#ifndef IB_BENCH_H
#define IB_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "results.h"
#include "scenario.h"
#include "schema.h"
#include "strategy.h"

#define BENCH_MAX_STRATEGIES 16
#define BENCH_MAX_PROFILES 3
#define BENCH_MAX_RUNS 10000    /* per cell, whatever the time asks for */

struct bench_options {
    uint64_t sizes[RESULTS_LIST_MAX];          /* ascending, distinct */
    int nsizes;
    /* The strategies asked for; none: each profile's own list (see
     * bench_plan.h), as the default and quick matrices have it. */
    const struct strategy *strategies[BENCH_MAX_STRATEGIES];
    int nstrategies;
    enum schema_profile profiles[BENCH_MAX_PROFILES];
    int nprofiles;
    enum scenario scenarios[SCENARIO_COUNT];
    int nscenarios;
    int history;                               /* earlier jobs in every starting database */
    int history_sweep[RESULTS_LIST_MAX];       /* app, fresh, smallest n: n1 and batch */
    int nhistory_sweep;
    unsigned files;
    uint64_t seed;
    int min_runs;
    double min_time_s;
    int warmup;
    double rtt_us;
    int quick;
    double budget_s;     /* a cell predicted to take longer than this is skipped */
    double slow_run_s;   /* a cell whose runs take longer is slow: */
    int slow_runs;       /* ... no warm-up, and at most this many runs, */
    double slow_cell_s;  /* ... or two once it has spent this long */
    double cell_cap_s;   /* wall time after which a cell stops once it has min_runs */
    const char *cache_dir; /* fixtures, templates, and the work directory */
    enum db_backend backend; /* SQLite unless told */
    const char *pg_dsn;    /* postgres: the server, where templates and runs are databases */
};

/* What a cell that has just finished looks like, for a progress line. */
struct bench_progress {
    size_t index, total;                       /* 1-based cell, of the cells that run */
    const char *profile, *scenario, *strategy;
    uint64_t n;
    int history;
    double median_s;
    size_t runs;
    double elapsed_s;                          /* since the matrix started */
    double eta_s;                              /* predicted time left; NaN unknown */
};

struct bench_hooks {
    /* Polled after every run: non-zero stops the matrix there (Ctrl-C). */
    int (*stop)(void *arg);
    void *stop_arg;
    void (*progress)(const struct bench_progress *p, void *arg);
    void (*notice)(const char *message, void *arg); /* a skipped series, a budget skip */
    void *arg;
};

/* The default matrix (quick: the CI matrix), with the default repeats. */
void bench_defaults(struct bench_options *o, int quick);

/* Runs the matrix into doc (from results_doc_new): config, environment, cells,
 * skips and the derived figures. doc->complete is 1 when every cell ran, 0
 * when hooks->stop stopped it (the cells measured until then are kept: a cell
 * interrupted after its first timed run is kept with the runs it had).
 * Returns IB_OK in both cases; IB_ERR when a run failed or a digest differed
 * (doc is then not to be written), IB_EUSAGE for options the runner refuses. */
int bench_run(const struct bench_options *o, const struct bench_hooks *hooks,
              struct results_doc *doc, struct ib_error *err);

#endif
