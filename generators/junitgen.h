/* junitgen.h: a deterministic generator of synthetic Jenkins job directories.
 *
 * The same options give byte-identical files on any machine: an own PRNG, no
 * locale, no clock (the timestamp in file names derives from the seed). Output
 * is streamed, so memory stays constant as the number of results grows. */
#ifndef JUNITGEN_H
#define JUNITGEN_H

#include <stddef.h>
#include <stdint.h>

enum junitgen_dialect {
    JUNITGEN_PYTEST,
    JUNITGEN_SUREFIRE,
    JUNITGEN_GOTEST
};

struct junitgen_options {
    uint64_t results;        /* distinct keys the job will hold */
    unsigned files;          /* topologies: one main run each (default 6) */
    uint64_t seed;           /* default 1 */
    double fail_rate;        /* fractions in [0, 1] */
    double error_rate;
    double skip_rate;
    double rerun_rate;       /* share of all keys rerun in a re_run_ file, taken
                                from failed and errored tests first (default 0.01) */
    double dup_rate;         /* share of keys repeated on another topology */
    size_t message_bytes;    /* approximate length of a failure's text (default 1000) */
    enum junitgen_dialect dialect;
    const char *module;      /* module name in file names (default "high_availability") */
};

#define JUNITGEN_MAX_RESULTS 1000000000u
#define JUNITGEN_MAX_FILES 1000u
#define JUNITGEN_MAX_MESSAGE_BYTES 1000000u
#define JUNITGEN_MAX_MODULE 64u

/* The defaults, modelling the crashed production job: 6 topologies, about 90%
 * passed, 7% failed, 1% error, 2% skipped, 1% rerun, no duplicates, seed 1,
 * module "high_availability", pytest. results is left 0: the caller sets it. */
void junitgen_defaults(struct junitgen_options *opt);

/* 0 when opt is usable; otherwise -1 and a message naming the field in err. */
int junitgen_check_options(const struct junitgen_options *opt, char *err, size_t errlen);

/* 1 when fail, error and skip rates are each in [0, 1] and add up to at most 1. */
int junitgen_outcome_rates_fit(const struct junitgen_options *opt);

/* A module name is a letter, then letters, digits or '_' (at most 64 in all):
 * it must be valid in file names, Python and Java packages and Go paths. */
int junitgen_module_valid(const char *module);

struct junitgen_summary {
    uint64_t testcases;      /* written, including reruns and duplicates */
    uint64_t bytes;          /* of XML written */
    unsigned files;          /* files written */
    uint64_t keys;           /* distinct keys: the requested results */
    uint64_t reruns;         /* testcases in re_run_ files */
    uint64_t dups;           /* second copies of keys in main runs */
    /* The merged job, one outcome per key, the way the application decides
     * it: the last occurrence in merge order wins (main runs in name order,
     * then reruns). errors are not included in failed. A Surefire test with
     * a flakyFailure only counts as passed. */
    uint64_t passed, failed, errors, skipped;
    uint64_t rerun_still_failed;  /* rerun keys whose rerun failed again */
};

/* Writes the job into dir (created if missing; its parent must exist; it
 * must not already hold *.xml files, so that two jobs never mix). Each file is
 * written under a temporary name and renamed when complete. Prints nothing.
 * On failure returns 1 (2 for invalid options) with a message "dir: what went
 * wrong" in err, and leaves no file of its own behind. */
int junitgen_write_job(const struct junitgen_options *opt, const char *dir,
                       struct junitgen_summary *summary, char *err, size_t errlen);

/* "1000", "1k", "5k", "1M" (k = 1000, M = 1000000) into *out; 0 on success. */
int junitgen_parse_count(const char *text, uint64_t *out);

/* "pytest", "surefire", "gotest"; 0 on success. */
int junitgen_dialect_parse(const char *name, enum junitgen_dialect *out);
const char *junitgen_dialect_name(enum junitgen_dialect d);

/* The name of topology t's main run (rerun != 0: its rerun) in a job made with
 * opt, into buf; 0, or -1 when len is too small. */
int junitgen_file_name(const struct junitgen_options *opt, unsigned t, int rerun, char *buf,
                       size_t len);

#endif
