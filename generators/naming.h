/* naming.h: the names and times a generated job shows: topology names, the
 * run timestamps (derived from the seed, never from the clock) and the file
 * names that the job model parses:
 *
 *   <timestamp>_<module>_<topology>.xml    main run, timestamp = 14 digits
 *   re_run_<module>_<topology>.xml         its rerun
 *
 * Topology names never contain '_' (a reader takes the last '_'-separated
 * part of the stem as the topology). Main runs start in topology order, so
 * name order is topology order. */
#ifndef JUNITGEN_NAMING_H
#define JUNITGEN_NAMING_H

#include <stddef.h>
#include <stdint.h>

/* Topology t's name: a fixed list first, then "cluster-<t + 1>". */
void naming_topology(unsigned t, char *buf, size_t len);

/* Seconds since 1970 (UTC) at which topology t's main run, or its rerun, started. */
uint64_t naming_run_start(uint64_t seed, unsigned t, int rerun);

/* "20260212193633" */
void naming_digits(uint64_t epoch, char out[15]);
/* "2026-02-12T19:36:33" */
void naming_iso(uint64_t epoch, char out[20]);

/* The file name of topology t's main run or rerun; 0, or -1 if len is too small. */
int naming_file(uint64_t seed, const char *module, unsigned t, int rerun, char *buf,
                size_t len);

#endif
