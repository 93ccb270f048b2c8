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
    double rerun_rate;       /* share of failed tests rerun in a re_run_ file */
    double dup_rate;         /* share of keys repeated on another topology */
    size_t message_bytes;    /* approximate length of a failure message */
    enum junitgen_dialect dialect;
    const char *module;      /* module name in file names (default "high_availability") */
};

/* The defaults, modelling the crashed production job. */
void junitgen_defaults(struct junitgen_options *opt);

struct junitgen_summary {
    uint64_t testcases;      /* written, including reruns and duplicates */
    uint64_t bytes;          /* of XML written */
    unsigned files;          /* files written */
};

/* Writes the job into dir (created if missing; its parent must exist). On
 * failure returns non-zero with a message "dir: what went wrong" in err and
 * leaves no half-written file behind. */
int junitgen_write_job(const struct junitgen_options *opt, const char *dir,
                       struct junitgen_summary *summary, char *err, size_t errlen);

/* "1000", "1k", "5k", "1M" (k = 1000, M = 1000000) into *out; 0 on success. */
int junitgen_parse_count(const char *text, uint64_t *out);

int junitgen_dialect_parse(const char *name, enum junitgen_dialect *out);
const char *junitgen_dialect_name(enum junitgen_dialect d);

#endif
