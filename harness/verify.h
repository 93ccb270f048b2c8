/* verify.h: proof that the strategies agree. For every scenario it generates an
 * input, builds each profile's starting database once, imports a copy of it
 * with every applicable strategy, and compares what is deterministic: the
 * job's canonical digest (one per scenario, across strategies and profiles),
 * lookups, rows inserted and updated, and that nothing outside the job moved. */
#ifndef IB_VERIFY_H
#define IB_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "strategy.h"

struct verify_options {
    uint64_t results;        /* N: distinct keys per job */
    int history;             /* earlier jobs in every starting database */
    unsigned files;          /* topologies; 0: the generator's default */
    uint64_t seed;
    unsigned profiles;       /* bit (1u << profile) per profile to run */
    const char *keep_dir;    /* keep inputs and databases here; NULL: a temporary dir */
    enum db_backend backend; /* SQLite unless told; on postgres, databases on pg_dsn's */
    const char *pg_dsn;      /* server named after the run (and kept with keep_dir) */
    const struct strategy *const *strategies;  /* NULL: strategy_all() */
    size_t nstrategies;
    FILE *out;               /* the table */
    FILE *diag;              /* one line per disagreement */
};

struct verify_summary {
    unsigned runs;           /* imports made */
    unsigned disagreements;  /* imports that broke at least one rule */
};

/* IB_OK when every import ran (disagreements are counted, not errors);
 * IB_ERR when the work itself failed (generator, disk, a failed import). */
int verify_run(const struct verify_options *opt, struct verify_summary *sum,
               struct ib_error *err);

#endif
