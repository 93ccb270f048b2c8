/* scenario.h: the starting states an import is measured or verified from.
 * Shared by `verify` and `bench`, so both mean the same thing by a scenario.
 *
 *   fresh     a new job; the database already holds `history` earlier jobs of
 *             the same tests (same release and module)
 *   reimport  every key of the job already exists in it, with other values:
 *             the import updates every row and inserts none
 *   overlap   half of the job's keys exist (every second one in key order)
 *   dups      as fresh, but the input repeats keys across topologies */
#ifndef IB_SCENARIO_H
#define IB_SCENARIO_H

#include <stdint.h>

#include "error.h"
#include "junitgen.h"
#include "schema.h"

enum scenario {
    SCENARIO_FRESH,
    SCENARIO_REIMPORT,
    SCENARIO_OVERLAP,
    SCENARIO_DUPS
};
#define SCENARIO_COUNT 4

/* The names the imported job gets in verify and bench. */
#define SCENARIO_RELEASE "bench"
#define SCENARIO_MODULE "high_availability"
#define SCENARIO_JOB "current"

int scenario_parse(const char *name, enum scenario *out);
const char *scenario_name(enum scenario s);

/* Generator options for a scenario's input of n distinct keys (dups sets a
 * duplicate rate; the others keep the defaults). */
void scenario_generator_options(enum scenario s, uint64_t n, unsigned files, uint64_t seed,
                                struct junitgen_options *opt);

/* Creates, at db_path (which must not exist), the starting database for
 * importing the job in job_dir as SCENARIO_RELEASE/SCENARIO_MODULE/SCENARIO_JOB. */
int scenario_build_db(const char *db_path, enum schema_profile profile, enum scenario s,
                      const char *job_dir, int history, struct ib_error *err);

/* The same for a job already loaded. */
int scenario_build_db_from_job(const char *db_path, enum schema_profile profile,
                               enum scenario s, const struct job *job, int history,
                               struct ib_error *err);

/* The same on any backend: cfg names the database (which must not exist). */
int scenario_build_db_on(const struct db_config *cfg, enum schema_profile profile,
                         enum scenario s, const struct job *job, int history,
                         struct ib_error *err);

/* The share of keys that the dups scenario's input repeats on another topology. */
#define SCENARIO_DUP_RATE 0.2

#endif
