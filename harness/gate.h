/* gate.h: the CI performance gate: rules over (baseline, current) results
 * documents -> verdicts, one per rule and cell.
 *
 * The rules, in order of trust (results/README.md has the reasoning):
 *   1 statements  statements by kind and lookups equal the baseline's, exactly
 *   2 vm_steps    VM steps within a tolerance of the baseline's (same SQLite only)
 *   3 lookup_plan the lookup's query plan equals the baseline's
 *   4 slope       log-log slope of batch, bulk and upsert at most max_slope
 *   5 ratio       same-run ratios: batch/floor, and n1/batch on seed, fresh
 * Rules 1-3 compare matched cells; 4 and 5 look at the current run alone. Time
 * against the baseline is advisory: it never fails, except in one setting:
 *   6 time        runs of two builds interleaved on one machine (A, B, A, B...,
 *                 as scripts/compare-revisions makes them), one value a run
 *                 (its median): a cell's median more than 10% slower with
 *                 Mann-Whitney p < 0.01 fails (gate_run_interleaved). */
#ifndef IB_GATE_H
#define IB_GATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "results.h"

enum gate_rule {
    GATE_RULE_STATEMENTS = 1,
    GATE_RULE_VM_STEPS,
    GATE_RULE_PLAN,
    GATE_RULE_SLOPE,
    GATE_RULE_RATIO,
    GATE_TIME,        /* advisory: median against the baseline's; rule 6 when interleaved */
    GATE_MATCH        /* a cell that could not be compared: skipped */
};

enum gate_outcome { GATE_PASS, GATE_FAIL, GATE_SKIPPED, GATE_ADVISORY };
#define GATE_OUTCOMES 4

#define GATE_N1_SIZES_MAX 8

struct gate_rules {
    double vm_steps_tolerance;        /* rule 2: relative, default 0.02 */
    double max_slope;                 /* rule 4: default 1.2 */
    double floor_ratio;               /* rule 5: batch/floor at most, default 1.5 */
    struct {
        uint64_t n;
        double min;                   /* rule 5: n1/batch on seed, fresh, at least */
    } n1_speedup[GATE_N1_SIZES_MAX];  /* default 5000: 37, 10000: 60 */
    int nn1_speedup;
    double time_slowdown;             /* rule 6: relative change of median, default 0.10 */
    double time_p;                    /* rule 6: significance level, default 0.01 */
    int time_min_runs;             /* rule 6: runs a side at least, default 8 */
};

struct gate_verdict {
    enum gate_rule rule;
    enum gate_outcome outcome;
    char subject[128];                /* "seed/fresh/batch n=1000 h=20" */
    char measured[512];
    char allowed[320];
};

struct gate_report {
    struct gate_verdict *items;
    size_t count, cap;
    size_t by_outcome[GATE_OUTCOMES];
};

void gate_rules_default(struct gate_rules *rules);

/* Reads thresholds from a JSON rules file over the defaults already in rules.
 * IB_EUSAGE, naming the key, for an unknown key or a bad value. */
int gate_rules_load(const char *path, struct gate_rules *rules, struct ib_error *err);

/* Recomputes both documents' derived figures from their cells, then judges.
 * IB_EUSAGE when either document is incomplete or no cell can be compared. */
int gate_run(struct results_doc *baseline, struct results_doc *current,
             const struct gate_rules *rules, struct gate_report *report,
             struct ib_error *err);
void gate_report_free(struct gate_report *report);

/* Rules 1-5 between two builds measured interleaved on one machine, and rule 6
 * instead of the advisory times. base_runs and cur_runs are each build's runs
 * (names: their files, for messages), each side pooled with merge_runs. The
 * runs must alternate in time (by generated_at, ties either way), two at
 * least a side, all on one machine: else IB_EUSAGE saying why. Rule 6 takes
 * one value a run per cell, the run's median; a cell that fewer than
 * time_min_runs runs of either side measured is skipped by it. */
int gate_run_interleaved(struct results_doc *const *base_runs, const char *const *base_names,
                         size_t nbase, struct results_doc *const *cur_runs,
                         const char *const *cur_names, size_t ncur,
                         const struct gate_rules *rules, struct gate_report *report,
                         struct ib_error *err);

/* One line per verdict, then the final verdict line. */
void gate_print(FILE *out, const struct gate_report *report);

/* The verdicts as JUnit XML: a testsuite per rule, a testcase per verdict,
 * <failure> for fail, <skipped> for skipped. Written atomically. */
int gate_write_junit(const struct gate_report *report, const char *path,
                     struct ib_error *err);

const char *gate_rule_name(enum gate_rule rule);       /* "statements", ... */
const char *gate_outcome_name(enum gate_outcome outcome); /* "pass", ... */

#endif
