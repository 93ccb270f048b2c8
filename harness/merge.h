/* merge.h: several results documents of one build and one matrix, taken as
 * runs of one benchmark, pooled into one document: each cell's samples from
 * every run, in run order. scripts/compare-revisions runs each revision many
 * times with one sample a cell, interleaved with the other's, and the gate's
 * --compare-times pools each side with this before comparing them. */
#ifndef IB_MERGE_H
#define IB_MERGE_H

#include <stddef.h>

#include "error.h"
#include "results.h"

/* Pools runs[0..nruns) (names[i] names runs[i] in messages) into a new
 * document *out, the caller's to free:
 * - the runs are taken in order of generated_at (stable), so that each cell's
 *   times stay in run order; *out has the earliest generated_at;
 * - every run must be complete, of the same inputs (results_generator_differs)
 *   and of the same build on the same machine (the environment's keys but
 *   git_dirty, which is set when any run's is);
 * - a cell is the union of its runs' samples; its deterministic facts
 *   (statements, lookups, VM steps, plan, map bytes, rows, digest) must be
 *   equal in every run that has it; its phases are the medians of the runs';
 * - config is the earliest run's, with min_runs and min_time_s summed;
 * - a cell skipped in a run and measured in none is listed as skipped once;
 * - speedups, slopes and the headline are computed from the pooled cells.
 * IB_EUSAGE, naming the files and the field, when the runs do not belong
 * together; IB_ERR when memory runs out. */
int merge_runs(struct results_doc *const *runs, const char *const *names, size_t nruns,
               struct results_doc **out, struct ib_error *err);

/* 0 when two environments describe one machine (CPU, cores, memory, OS,
 * kernel, filesystem); else 1 with the first difference in why. */
int merge_machine_differs(const struct ib_environment *a, const struct ib_environment *b,
                          char *why, size_t len);

#endif
