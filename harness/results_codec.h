/* results_codec.h: the fields of the results schema, each described once, and
 * the code that writes them to JSON and reads them back. Internal to the
 * results module (results_io.c); everyone else uses results.h. */
#ifndef IB_RESULTS_CODEC_H
#define IB_RESULTS_CODEC_H

#include <jansson.h>

#include "results.h"

/* The structs with a field table, by the JSON object they become. */
enum codec_table {
    CODEC_ENVIRONMENT,  /* struct ib_environment */
    CODEC_CONFIG,       /* struct results_config, but for its lists */
    CODEC_CELL,         /* struct results_cell, but for times and modelled */
    CODEC_SKIP,         /* struct results_skip */
    CODEC_SPEEDUP,      /* struct results_speedup */
    CODEC_SLOPE,        /* struct results_slope, but for sizes */
    CODEC_HEADLINE,     /* struct results_headline, but for verdict and rows */
    CODEC_ROW           /* struct results_headline_row */
};

/* Sets the table's fields of base into obj. what names obj in errors. */
int codec_put(json_t *obj, enum codec_table t, const void *base, const char *what,
              struct ib_error *err);

struct codec_reader {
    const char *file;
    struct ib_error *err;
};

/* Fails with "FILE: where.key: what"; returns IB_ERR. */
int codec_bad(struct codec_reader *r, const char *where, const char *key, const char *what);

/* Reads the table's fields from obj into base; where names obj in errors. */
int codec_get(struct codec_reader *r, const char *where, json_t *obj, enum codec_table t,
              void *base);

/* Reads obj's array at key into a new calloc'd array of *count structs. */
int codec_get_records(struct codec_reader *r, json_t *obj, const char *key,
                      enum codec_table t, size_t size, void **items, size_t *count);

json_t *codec_u64_list(const uint64_t *items, int n);
json_t *codec_name_list(const char (*items)[RESULTS_NAME_MAX], int n);

/* The array at key (which must be there), else NULL with the error set. */
json_t *codec_get_array(struct codec_reader *r, const char *where, json_t *obj,
                        const char *key);
int codec_get_u64_list(struct codec_reader *r, const char *where, json_t *obj,
                       const char *key, uint64_t *items, int *n);
int codec_get_name_list(struct codec_reader *r, const char *where, json_t *obj,
                        const char *key, char (*items)[RESULTS_NAME_MAX], int *n);
int codec_get_number(struct codec_reader *r, const char *where, json_t *obj, const char *key,
                     double *out);

#endif
