/* bench_table.h: the human summary of a results document, in Markdown that
 * also reads well on a terminal: the headline against the documented
 * speedups with its verdict, one table per profile and scenario, the slopes,
 * the lookup map's memory, the history sweep, n1-deferred beside n1, why app
 * differs, and the skipped cells. `bench` prints it and saves it beside the
 * JSON (results/latest.md). */
#ifndef IB_BENCH_TABLE_H
#define IB_BENCH_TABLE_H

#include <stdio.h>

#include "error.h"
#include "results.h"

void bench_table_write(FILE *out, const struct results_doc *doc);

/* Writes the same to path atomically (a temporary file, then rename). */
int bench_table_save(const char *path, const struct results_doc *doc, struct ib_error *err);

#endif
