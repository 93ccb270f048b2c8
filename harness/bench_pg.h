/* bench_pg.h: what the bench runner does differently on a PostgreSQL server:
 * the template and the run's database are databases on the server (named
 * after the process), the run's a clone of the template made before each
 * run, outside the timed region. Templates are not cached between runs. */
#ifndef IB_BENCH_PG_H
#define IB_BENCH_PG_H

#include <stddef.h>
#include <stdio.h>

#include "bench.h"

/* The template's and the run's database names for this process. */
void bench_pg_names(char *tpl, size_t tpl_len, char *run, size_t run_len);

/* Builds the template `tpl` (replacing one left behind) for the job in job_dir. */
int bench_pg_template(const struct bench_options *o, const char *tpl, const char *job_dir,
                      enum schema_profile p, enum scenario s, int history,
                      struct ib_error *err);

/* Replaces `run` with a fresh clone of `tpl`. */
int bench_pg_fresh_copy(const struct bench_options *o, const char *tpl, const char *run,
                        struct ib_error *err);

/* Drops database `name` if it exists; errors are left unsaid (cleanup). */
void bench_pg_remove(const struct bench_options *o, const char *name);

/* After the tables of a postgres run: per cell, round trips, the time each
 * cost on average against the trivial round trip measured at connect, and
 * what a network with 1 ms and 5 ms round trips would make of the cell. */
void bench_pg_write_costs(FILE *out, const struct results_doc *doc);

#endif
