/* results.h: a results document (schema 1, documented in results/README.md):
 * built by the bench runner, written as JSON, read back by the gate and the
 * report.
 *
 * The runner creates a document, fills in environment and config, adds one
 * cell per measured (profile, scenario, strategy, n, history) with its samples
 * and probe counts, and one skip per cell it did not run; then it calls
 * results_compute_derived() (speedups, slopes, the headline verdict) and
 * results_write(). Readers use the arrays of struct results_doc directly; they
 * change a document only through these functions. No JSON escapes this
 * interface. */
#ifndef IB_RESULTS_H
#define IB_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "environment.h"
#include "error.h"
#include "junitgen.h"
#include "probe.h"
#include "stats.h"

#define RESULTS_SCHEMA_MAJOR 1
#define RESULTS_SCHEMA_MINOR 0
#define RESULTS_SCHEMA_VERSION "1.0"

#define RESULTS_NAME_MAX 32     /* profile, scenario and strategy names, with the NUL */
#define RESULTS_LIST_MAX 16     /* items in each list of the config */
#define RESULTS_PLAN_MAX 1024   /* a lookup's query plan */
#define RESULTS_REASON_MAX 256

/* The generator options shared by every cell (a scenario may change dup_rate
 * for its own input, as scenario_generator_options does). */
struct results_generator {
    double fail_rate, error_rate, skip_rate, rerun_rate, dup_rate;
    uint64_t message_bytes;
    char dialect[16];
    char module[64];
};

struct results_config {
    uint64_t sizes[RESULTS_LIST_MAX];
    int nsizes;
    char strategies[RESULTS_LIST_MAX][RESULTS_NAME_MAX];
    int nstrategies;
    char profiles[RESULTS_LIST_MAX][RESULTS_NAME_MAX];
    int nprofiles;
    char scenarios[RESULTS_LIST_MAX][RESULTS_NAME_MAX];
    int nscenarios;
    int history;                       /* earlier jobs in the database (fresh) */
    int history_sweep[RESULTS_LIST_MAX]; /* the sweep's depths; none when nhistory_sweep 0 */
    int nhistory_sweep;
    unsigned files;
    uint64_t seed;
    int min_runs;
    double min_time_s;
    int warmup;
    double rtt_us;                     /* modelled cost per statement; 0: none */
    char backend[RESULTS_NAME_MAX];    /* "postgres"; "" for SQLite (left out of the file) */
    double rtt_us_measured;            /* postgres: mean of each run's measured round trip */
    int quick;
    struct results_generator generator;
};

struct results_cell {
    char profile[RESULTS_NAME_MAX];
    char scenario[RESULTS_NAME_MAX];
    char strategy[RESULTS_NAME_MAX];
    uint64_t n;                        /* distinct result keys of the imported job */
    int history;
    double *times;                     /* seconds, every timed run, in run order */
    size_t ntimes;
    struct stats_summary summary;      /* of times; results_add_cell computes it */
    struct phase_times phases;         /* medians over the runs, seconds */
    struct probe_counts counts;        /* of one run (every run's are equal) */
    char lookup_plan[RESULTS_PLAN_MAX]; /* EXPLAIN QUERY PLAN; "" when no lookup */
    uint64_t lookup_map_bytes;
    uint64_t inserted, updated;
    char digest[65];                   /* SHA-256 hex of the imported job */
    double modelled_median_s;          /* median + rtt_us * statements; NaN without rtt */
};

struct results_skip {
    char profile[RESULTS_NAME_MAX];
    char scenario[RESULTS_NAME_MAX];
    char strategy[RESULTS_NAME_MAX];
    uint64_t n;
    int history;
    char reason[RESULTS_REASON_MAX];
};

/* ratio = median(slower) / median(faster): how many times faster `faster` ran. */
struct results_speedup {
    char profile[RESULTS_NAME_MAX];
    char scenario[RESULTS_NAME_MAX];
    uint64_t n;
    int history;
    char faster[RESULTS_NAME_MAX];
    char slower[RESULTS_NAME_MAX];
    double ratio;
    double ratio_low, ratio_high;      /* from the two medians' CIs (see README) */
    double documented;                 /* the seed document's figure; NaN where none */
    double modelled_ratio;             /* of the modelled medians; NaN without rtt */
};

struct results_slope {
    char profile[RESULTS_NAME_MAX];
    char scenario[RESULTS_NAME_MAX];
    char strategy[RESULTS_NAME_MAX];
    int history;
    double slope, r2;                  /* log-log fit of median over n */
    double slope_min, slope_max;       /* the fit's range over the medians' CIs */
    uint64_t sizes[RESULTS_LIST_MAX];
    int nsizes;
};

enum results_verdict {
    VERDICT_INCOMPLETE,
    VERDICT_REPRODUCED,
    VERDICT_NOT_REPRODUCED
};

/* What the seed and reference documents say at one size. */
struct results_documented {
    uint64_t n;
    double speedup;                    /* 15, 37, 60 */
    double before_s, after_s;          /* the seed's "~30 s ... ~2 s" */
    double app_before_s, app_after_s;  /* the app's own code, fresh job, empty database */
    double app_h20_before_s, app_h20_after_s; /* the same with 20 earlier jobs */
    int decisive;                      /* 0 at 1k: shown, too noisy to decide alone */
};

struct results_headline_row {
    struct results_documented doc;
    double measured;                   /* n1 / batch; NaN when a cell is missing */
    double measured_low, measured_high;
    double modelled;                   /* the same with the modelled medians, or NaN */
    int reproduced;                    /* 1, 0, or -1 when not measured */
};

#define RESULTS_HEADLINE_ROWS 3
struct results_headline {
    char profile[RESULTS_NAME_MAX];    /* "seed" */
    char scenario[RESULTS_NAME_MAX];   /* "fresh" */
    int history;                       /* config.history */
    enum results_verdict verdict;
    char reason[RESULTS_REASON_MAX];
    struct results_headline_row rows[RESULTS_HEADLINE_ROWS];
};

struct results_doc {
    char schema_version[16];           /* as written or read, e.g. "1.0" */
    char generated_at[32];             /* UTC, "2026-12-04T10:30:15Z" */
    int complete;                      /* 0 until the runner sets it: interrupted */
    struct ib_environment env;
    struct results_config config;
    struct results_cell *cells;
    size_t ncells;
    struct results_skip *skipped;
    size_t nskipped;
    struct results_speedup *speedups;
    size_t nspeedups;
    struct results_slope *slopes;
    size_t nslopes;
    struct results_headline headline;
    size_t cap_cells, cap_skipped;     /* private */
};

/* A new document: schema version set, generated_at now, complete 0, the
 * environment and config zeroed for the caller to fill. NULL without memory. */
struct results_doc *results_doc_new(void);
void results_doc_free(struct results_doc *doc);

/* Copies the generator options (files, seed and the rest) into the config;
 * dialect is junitgen_dialect_name(opt->dialect). */
void results_set_generator(struct results_config *cfg, const struct junitgen_options *opt,
                           const char *dialect);

/* Adds a copy of cell (times copied), computing its summary from the times and
 * its modelled median from config.rtt_us; set config first. IB_EUSAGE for no
 * samples, an empty name or a cell already present. */
int results_add_cell(struct results_doc *doc, const struct results_cell *cell,
                     struct ib_error *err);
int results_add_skipped(struct results_doc *doc, const struct results_skip *skip,
                        struct ib_error *err);

/* Replaces speedups, slopes and the headline with those of the cells. */
int results_compute_derived(struct results_doc *doc, struct ib_error *err);

/* Writes atomically (a temporary file in the same directory, then rename),
 * creating missing parent directories. */
int results_write(const struct results_doc *doc, const char *path, struct ib_error *err);

/* Reads a results file. Refuses a newer major schema version ("FILE: results
 * schema 2.x is newer than this importbench reads (1.x)"), reads older and
 * equal ones, ignores keys it does not know. Errors name the file and the
 * field: "results/a.json: cells[2].median: expected a number". */
int results_load(const char *path, struct results_doc **out, struct ib_error *err);

/* The cell with this key, or NULL. */
const struct results_cell *results_find_cell(const struct results_doc *doc,
                                             const char *profile, const char *scenario,
                                             const char *strategy, uint64_t n, int history);

/* "seed/fresh/batch n=1000 h=20" */
void results_cell_name(const struct results_cell *c, char *buf, size_t len);

/* 0 when both configurations generate the same inputs (files, seed and the
 * generator options); else 1 with the first difference in why. */
int results_generator_differs(const struct results_config *a, const struct results_config *b,
                              char *why, size_t len);

/* The documented figures at n, or NULL where the documents give none. */
const struct results_documented *results_documented_at(uint64_t n);

const char *results_verdict_name(enum results_verdict v); /* "reproduced", ... */

/* "20261204T103015Z-1a2b3c4.json": the name of a run's copy in results/runs. */
void results_run_file_name(const struct results_doc *doc, char *buf, size_t len);

#endif
