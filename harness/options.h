/* options.h: checked conversion of option arguments. Every number an option
 * takes is range-checked and a bad one is reported naming the flag, e.g.
 * "importbench: --history: expected a whole number from 0 to 10000, got 'x'".
 * Each function prints its own message to stderr and returns IB_EUSAGE. */
#ifndef IB_OPTIONS_H
#define IB_OPTIONS_H

#include <stdint.h>

#include "error.h"

int opt_long(const char *flag, const char *text, long min, long max, long *out);

/* Accepts 1000, 1k, 5k, 1M (k = 1000, M = 1000000). */
int opt_count(const char *flag, const char *text, uint64_t min, uint64_t max,
              uint64_t *out);

int opt_double(const char *flag, const char *text, double min, double max, double *out);

/* A comma-separated list of counts ("1k,5k,10k"); at most max_items. */
int opt_count_list(const char *flag, const char *text, uint64_t min, uint64_t max,
                   uint64_t *items, int max_items, int *nitems);

/* Prints "importbench: <message>" to stderr; returns status. */
int cli_report(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
