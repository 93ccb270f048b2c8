/* report_hyperfine.h: whole-process timings of `importbench import` from
 * hyperfine's --export-json files, as scripts/hyperfine-import writes them:
 * one result per command, its parameters naming the cell (profile, scenario,
 * strategy, n, and history where given). Read with jansson. */
#ifndef IB_REPORT_HYPERFINE_H
#define IB_REPORT_HYPERFINE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "results.h"

struct hyperfine_result {
    char profile[RESULTS_NAME_MAX];
    char scenario[RESULTS_NAME_MAX];
    char strategy[RESULTS_NAME_MAX];
    uint64_t n;
    int history;                 /* -1 when the export does not say */
    double mean, stddev, median, min, max;  /* seconds, as hyperfine computed them */
    size_t runs;                 /* length of times */
};

struct hyperfine_set {
    struct hyperfine_result *items;
    size_t count, cap;
    int files;                   /* export files read */
};

/* Reads every *.json in dir, in name order, adding to set. IB_EUSAGE when dir
 * cannot be read, holds no *.json, or a file is not such an export; the
 * message names the file and the key: "h/a.json: results[1].mean: expected a
 * number". */
int hyperfine_load_dir(const char *dir, struct hyperfine_set *set, struct ib_error *err);
int hyperfine_load_file(const char *path, struct hyperfine_set *set, struct ib_error *err);
void hyperfine_set_free(struct hyperfine_set *set);

/* The result for this cell (history -1 in the export matches any), or NULL. */
const struct hyperfine_result *hyperfine_find(const struct hyperfine_set *set,
                                              const char *profile, const char *scenario,
                                              const char *strategy, uint64_t n, int history);

#endif
