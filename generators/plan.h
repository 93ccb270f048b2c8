/* plan.h: what a generated job contains, decided key by key.
 *
 * Keys are numbered 0..N-1. Topology t's main run holds the contiguous block
 * of keys [plan_block_start(t), plan_block_start(t + 1)); keys are grouped by
 * k / PLAN_GROUP_KEYS into groups that share one test file (one Python module,
 * Java class or Go package). Every decision about a key (its outcome, whether
 * it is rerun, whether it is copied to another topology, its timings) is a
 * pure function of (seed, k), so files can be written one at a time, in
 * constant memory, and re-read without storing anything.
 *
 * A duplicated key (--dup-rate) is copied to the main run of topology
 * (t + 1 + k mod (F - 1)) mod F, never its own; with one topology the copy is
 * written again at the end of the same main run. Copies come after the
 * topology's own keys. Reruns repeat keys of their own topology only. */
#ifndef JUNITGEN_PLAN_H
#define JUNITGEN_PLAN_H

#include <stdint.h>

#include "junitgen.h"

#define PLAN_GROUP_KEYS 40      /* tests per test file */
#define PLAN_GROUP_FUNCS 10     /* test functions per file, ... */
#define PLAN_GROUP_PARAMS 4     /* ... each run with this many parameters */

enum outcome {
    OUTCOME_PASSED,
    OUTCOME_FAILED,
    OUTCOME_ERROR,
    OUTCOME_SKIPPED
};

struct plan {
    uint64_t keys;
    unsigned files;
    uint64_t seed;
    uint64_t block_size, block_extra;   /* the first block_extra blocks hold one more */
    uint64_t up_to_fail, up_to_error, up_to_skip;  /* cumulative outcome thresholds */
    uint64_t rerun_if_bad, rerun_if_good;          /* rerun chance by main outcome */
    uint64_t dup_chance, flaky_chance;
};

/* One occurrence of a key in one file. */
struct gen_case {
    uint64_t key;
    uint64_t salt;          /* seeds this occurrence's details (messages, output) */
    uint32_t time_ms;
    unsigned char outcome;  /* enum outcome */
    unsigned char flaky;    /* passed after a flaky failure (written by surefire only) */
};

/* Everything decided about one key. */
struct key_fate {
    struct gen_case main;
    int rerun;
    struct gen_case rerun_case;
    int dup;
    unsigned dup_topology;
    struct gen_case dup_case;
};

struct outcome_counts {
    uint64_t tests, failures, errors, skipped, time_ms;
};

/* The options must have been validated (junitgen_check_options). */
void plan_init(struct plan *p, const struct junitgen_options *opt);

/* First key of topology t's block; t == files gives N. */
uint64_t plan_block_start(const struct plan *p, unsigned t);

/* The topology whose block holds key k (k < N). */
unsigned plan_block_of(const struct plan *p, uint64_t k);

void plan_fate(const struct plan *p, uint64_t k, struct key_fate *f);

/* Where k's copy goes, for a key chosen for duplication; k lies in block t. */
unsigned plan_dup_topology(const struct plan *p, unsigned t, uint64_t k);

void outcome_count(struct outcome_counts *c, const struct gen_case *gc);

/* The testcases of one file, a group at a time. */
enum run_kind { RUN_MAIN, RUN_RERUN };

struct case_group {
    uint64_t group;                     /* k / PLAN_GROUP_KEYS of every case */
    unsigned n;
    struct gen_case cases[PLAN_GROUP_KEYS];
    struct outcome_counts counts;
};

/* Outcomes of the merged job: per key, the last occurrence in merge order
 * (main runs in name order, which is topology order, then reruns). */
struct merged_tally {
    uint64_t passed, failed, errors, skipped, rerun_still_failed;
    uint64_t reruns, dups;
};

struct case_cursor {
    const struct plan *plan;
    unsigned topology;
    enum run_kind kind;
    struct merged_tally *tally;         /* filled while reading a main run, if set */
    int copies;                         /* reading the copies from other topologies */
    unsigned source;                    /* the block copies are taken from */
    uint64_t next, end, stride;
    int has_pending;
    struct gen_case pending;
};

void cursor_start(struct case_cursor *c, const struct plan *p, unsigned topology,
                  enum run_kind kind, struct merged_tally *tally);

/* The next group of cases; 0 at the end of the file. */
int cursor_next_group(struct case_cursor *c, struct case_group *g);

#endif
