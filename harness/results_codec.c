/* results_codec.c: the field tables of the results schema and the one writer
 * and one reader that walk them, so that what is written and what is read
 * cannot drift apart. A table row is a JSON key, a type and an offset; a
 * dotted key ("statements.select") lives in a nested object. */
#include "results_codec.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ftype { F_STR, F_U64, F_INT, F_SIZE, F_DOUBLE, F_BOOL };
enum {
    F_NULLABLE = 1, /* null <-> "" (strings), NaN (numbers) or -1 (booleans) */
    F_OMIT_NAN = 2, /* a NaN number is left out; a missing key reads as NaN */
    F_OMIT_ZERO = 4 /* 0 or "" is left out; a missing key reads as such (fields that
                     * only another backend than SQLite sets) */
};

struct field {
    const char *key;
    enum ftype type;
    size_t off, size;
    int flags;
};

#define FLD(T, key, type, m, flags) {key, type, offsetof(T, m), sizeof(((T *)0)->m), flags}

static const struct field env_fields[] = {
#define E(key, type, m, fl) FLD(struct ib_environment, key, type, m, fl)
    E("cpu_model", F_STR, cpu_model, 0),
    E("cores", F_INT, cores, 0),
    E("memory_bytes", F_U64, memory_bytes, 0),
    E("os", F_STR, os, 0),
    E("kernel", F_STR, kernel, 0),
    E("filesystem", F_STR, filesystem, 0),
    E("compiler", F_STR, compiler, 0),
    E("cflags", F_STR, cflags, 0),
    E("optimized", F_BOOL, optimized, 0),
    E("sanitized", F_BOOL, sanitized, 0),
    E("sqlite_version", F_STR, sqlite_version, 0),
    E("libxml2_version", F_STR, libxml2_version, 0),
    E("jansson_version", F_STR, jansson_version, 0),
    E("sqlite_settings.journal_mode", F_STR, sqlite.journal_mode, F_NULLABLE),
    E("sqlite_settings.synchronous", F_STR, sqlite.synchronous, F_NULLABLE),
    E("sqlite_settings.page_size", F_INT, sqlite.page_size, 0),
    E("sqlite_settings.cache_size", F_INT, sqlite.cache_size, 0),
    E("git_commit", F_STR, git_commit, F_NULLABLE),
    E("git_dirty", F_BOOL, git_dirty, F_NULLABLE),
#undef E
};

static const struct field config_fields[] = {
#define C(key, type, m, fl) FLD(struct results_config, key, type, m, fl)
    C("history", F_INT, history, 0),
    C("files", F_INT, files, 0),
    C("seed", F_U64, seed, 0),
    C("min_runs", F_INT, min_runs, 0),
    C("min_time_s", F_DOUBLE, min_time_s, 0),
    C("warmup", F_INT, warmup, 0),
    C("rtt_us", F_DOUBLE, rtt_us, 0),
    C("backend", F_STR, backend, F_OMIT_ZERO),
    C("rtt_us_measured", F_DOUBLE, rtt_us_measured, F_OMIT_ZERO),
    C("quick", F_BOOL, quick, 0),
    C("generator.fail_rate", F_DOUBLE, generator.fail_rate, 0),
    C("generator.error_rate", F_DOUBLE, generator.error_rate, 0),
    C("generator.skip_rate", F_DOUBLE, generator.skip_rate, 0),
    C("generator.rerun_rate", F_DOUBLE, generator.rerun_rate, 0),
    C("generator.dup_rate", F_DOUBLE, generator.dup_rate, 0),
    C("generator.message_bytes", F_U64, generator.message_bytes, 0),
    C("generator.dialect", F_STR, generator.dialect, 0),
    C("generator.module", F_STR, generator.module, 0),
#undef C
};

static const struct field cell_fields[] = {
#define L(key, type, m, fl) FLD(struct results_cell, key, type, m, fl)
    L("profile", F_STR, profile, 0),
    L("scenario", F_STR, scenario, 0),
    L("strategy", F_STR, strategy, 0),
    L("n", F_U64, n, 0),
    L("history", F_INT, history, 0),
    L("min", F_DOUBLE, summary.min, 0),
    L("max", F_DOUBLE, summary.max, 0),
    L("mean", F_DOUBLE, summary.mean, 0),
    L("stddev", F_DOUBLE, summary.stddev, 0),
    L("median", F_DOUBLE, summary.median, 0),
    L("mad", F_DOUBLE, summary.mad, 0),
    L("ci_low", F_DOUBLE, summary.ci_low, 0),
    L("ci_high", F_DOUBLE, summary.ci_high, 0),
    L("ci_level", F_DOUBLE, summary.ci_level, 0),
    L("outliers", F_SIZE, summary.outliers, 0),
    L("phases_s.parse", F_DOUBLE, phases.parse, 0),
    L("phases_s.lookup", F_DOUBLE, phases.lookup, 0),
    L("phases_s.write", F_DOUBLE, phases.write, 0),
    L("phases_s.commit", F_DOUBLE, phases.commit, 0),
    L("statements.select", F_U64, counts.select, 0),
    L("statements.insert", F_U64, counts.insert, 0),
    L("statements.update", F_U64, counts.update, 0),
    L("statements.other", F_U64, counts.other, 0),
    L("lookups", F_U64, counts.lookups, 0),
    L("vm_steps", F_U64, counts.vm_steps, 0),
    L("fullscan_steps", F_U64, counts.fullscan_steps, 0),
    L("round_trips", F_U64, counts.round_trips, F_OMIT_ZERO),
    L("lookup_plan", F_STR, lookup_plan, F_NULLABLE),
    L("lookup_map_bytes", F_U64, lookup_map_bytes, 0),
    L("inserted", F_U64, inserted, 0),
    L("updated", F_U64, updated, 0),
    L("digest", F_STR, digest, 0),
#undef L
};

static const struct field skip_fields[] = {
#define S(key, type, m, fl) FLD(struct results_skip, key, type, m, fl)
    S("profile", F_STR, profile, 0),
    S("scenario", F_STR, scenario, 0),
    S("strategy", F_STR, strategy, 0),
    S("n", F_U64, n, 0),
    S("history", F_INT, history, 0),
    S("reason", F_STR, reason, 0),
#undef S
};

static const struct field speedup_fields[] = {
#define P(key, type, m, fl) FLD(struct results_speedup, key, type, m, fl)
    P("profile", F_STR, profile, 0),
    P("scenario", F_STR, scenario, 0),
    P("n", F_U64, n, 0),
    P("history", F_INT, history, 0),
    P("faster", F_STR, faster, 0),
    P("slower", F_STR, slower, 0),
    P("ratio", F_DOUBLE, ratio, F_NULLABLE),
    P("ratio_low", F_DOUBLE, ratio_low, F_NULLABLE),
    P("ratio_high", F_DOUBLE, ratio_high, F_NULLABLE),
    P("documented", F_DOUBLE, documented, F_OMIT_NAN),
    P("modelled_ratio", F_DOUBLE, modelled_ratio, F_OMIT_NAN),
#undef P
};

static const struct field slope_fields[] = {
#define O(key, type, m, fl) FLD(struct results_slope, key, type, m, fl)
    O("profile", F_STR, profile, 0),
    O("scenario", F_STR, scenario, 0),
    O("strategy", F_STR, strategy, 0),
    O("history", F_INT, history, 0),
    O("slope", F_DOUBLE, slope, F_NULLABLE),
    O("r2", F_DOUBLE, r2, F_NULLABLE),
    O("slope_min", F_DOUBLE, slope_min, F_NULLABLE),
    O("slope_max", F_DOUBLE, slope_max, F_NULLABLE),
#undef O
};

static const struct field headline_fields[] = {
#define H(key, type, m, fl) FLD(struct results_headline, key, type, m, fl)
    H("profile", F_STR, profile, 0),
    H("scenario", F_STR, scenario, 0),
    H("history", F_INT, history, 0),
    H("reason", F_STR, reason, 0),
#undef H
};

static const struct field row_fields[] = {
#define R(key, type, m, fl) FLD(struct results_headline_row, key, type, m, fl)
    R("n", F_U64, doc.n, 0),
    R("measured", F_DOUBLE, measured, F_NULLABLE),
    R("measured_low", F_DOUBLE, measured_low, F_NULLABLE),
    R("measured_high", F_DOUBLE, measured_high, F_NULLABLE),
    R("modelled", F_DOUBLE, modelled, F_OMIT_NAN),
    R("reproduced", F_BOOL, reproduced, F_NULLABLE),
    R("decisive", F_BOOL, doc.decisive, 0),
    R("documented", F_DOUBLE, doc.speedup, 0),
    R("documented_before_s", F_DOUBLE, doc.before_s, 0),
    R("documented_after_s", F_DOUBLE, doc.after_s, 0),
    R("app_before_s", F_DOUBLE, doc.app_before_s, 0),
    R("app_after_s", F_DOUBLE, doc.app_after_s, 0),
    R("app_h20_before_s", F_DOUBLE, doc.app_h20_before_s, 0),
    R("app_h20_after_s", F_DOUBLE, doc.app_h20_after_s, 0),
#undef R
};

#define NF(t) (sizeof(t) / sizeof((t)[0]))

static const struct {
    const struct field *fields;
    size_t count;
} tables[] = {
    [CODEC_ENVIRONMENT] = {env_fields, NF(env_fields)},
    [CODEC_CONFIG] = {config_fields, NF(config_fields)},
    [CODEC_CELL] = {cell_fields, NF(cell_fields)},
    [CODEC_SKIP] = {skip_fields, NF(skip_fields)},
    [CODEC_SPEEDUP] = {speedup_fields, NF(speedup_fields)},
    [CODEC_SLOPE] = {slope_fields, NF(slope_fields)},
    [CODEC_HEADLINE] = {headline_fields, NF(headline_fields)},
    [CODEC_ROW] = {row_fields, NF(row_fields)},
};

/* ---- writing ------------------------------------------------------------ */

/* The object that holds key's last part, created on the way when missing;
 * *leaf points at that part. */
static json_t *parent_for_write(json_t *obj, const char *key, const char **leaf)
{
    const char *dot = strchr(key, '.');
    if (!dot) {
        *leaf = key;
        return obj;
    }
    char head[64];
    snprintf(head, sizeof head, "%.*s", (int)(dot - key), key);
    json_t *child = json_object_get(obj, head);
    if (!child) {
        child = json_object();
        if (json_object_set_new(obj, head, child))
            return NULL;
    }
    return parent_for_write(child, dot + 1, leaf);
}

static json_t *field_to_json(const struct field *f, const char *p)
{
    switch (f->type) {
    case F_STR:
        if ((f->flags & F_NULLABLE) && !p[0])
            return json_null();
        return json_stringn(p, strnlen(p, f->size));
    case F_U64: {
        uint64_t v = *(const uint64_t *)p;
        return json_integer(v > (uint64_t)LLONG_MAX ? LLONG_MAX : (json_int_t)v);
    }
    case F_INT:
        return json_integer(f->size == sizeof(int64_t) ? *(const int64_t *)p
                                                       : *(const int *)p);
    case F_SIZE:
        return json_integer((json_int_t) * (const size_t *)p);
    case F_DOUBLE: {
        double v = *(const double *)p;
        return isfinite(v) ? json_real(v) : json_null();
    }
    case F_BOOL: {
        int v = *(const int *)p;
        return v < 0 ? json_null() : json_boolean(v);
    }
    }
    return NULL;
}

static int is_zero(const struct field *f, const char *p)
{
    switch (f->type) {
    case F_STR: return p[0] == '\0';
    case F_U64: return *(const uint64_t *)p == 0;
    case F_DOUBLE: return *(const double *)p == 0.0;
    default: return 0;
    }
}

int codec_put(json_t *obj, enum codec_table t, const void *base, const char *what,
              struct ib_error *err)
{
    for (size_t i = 0; i < tables[t].count; i++) {
        const struct field *f = &tables[t].fields[i];
        const char *p = (const char *)base + f->off;
        if (f->type == F_DOUBLE && (f->flags & F_OMIT_NAN) && !isfinite(*(const double *)p))
            continue;
        if ((f->flags & F_OMIT_ZERO) && is_zero(f, p))
            continue;
        const char *leaf;
        json_t *parent = parent_for_write(obj, f->key, &leaf);
        json_t *v = field_to_json(f, p);
        if (!parent || !v || json_object_set_new(parent, leaf, v))
            return ib_fail(err, IB_ERR, "%s.%s: cannot be written (not UTF-8?)", what, f->key);
    }
    return IB_OK;
}

json_t *codec_name_list(const char (*items)[RESULTS_NAME_MAX], int n)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

json_t *codec_u64_list(const uint64_t *items, int n)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)items[i]));
    return a;
}

/* ---- reading ------------------------------------------------------------ */

int codec_bad(struct codec_reader *r, const char *where, const char *key, const char *what)
{
    return ib_fail(r->err, IB_ERR, "%s: %s%s%s: %s", r->file, where, where[0] ? "." : "",
                   key, what);
}

static int field_from_json(struct codec_reader *r, const char *where, const struct field *f,
                           json_t *v, char *p)
{
    if (json_is_null(v) && (f->flags & (F_NULLABLE | F_OMIT_NAN))) {
        if (f->type == F_STR)
            p[0] = '\0';
        else if (f->type == F_DOUBLE)
            *(double *)p = NAN;
        else if (f->type == F_BOOL)
            *(int *)p = -1;
        else
            return codec_bad(r, where, f->key, "must not be null");
        return IB_OK;
    }
    switch (f->type) {
    case F_STR:
        if (!json_is_string(v))
            return codec_bad(r, where, f->key, "expected a string");
        if (json_string_length(v) >= f->size || strlen(json_string_value(v)) !=
                                                      json_string_length(v))
            return codec_bad(r, where, f->key, "string too long or holding NUL");
        memcpy(p, json_string_value(v), json_string_length(v) + 1);
        return IB_OK;
    case F_U64:
    case F_INT:
    case F_SIZE: {
        if (!json_is_integer(v))
            return codec_bad(r, where, f->key, "expected a whole number");
        json_int_t x = json_integer_value(v);
        if (f->type == F_U64 && x < 0)
            return codec_bad(r, where, f->key, "expected a whole number >= 0");
        if (f->type == F_U64)
            *(uint64_t *)p = (uint64_t)x;
        else if (f->type == F_SIZE && x >= 0)
            *(size_t *)p = (size_t)x;
        else if (f->type == F_INT && f->size == sizeof(int64_t))
            *(int64_t *)p = x;
        else if (f->type == F_INT && x >= INT_MIN && x <= INT_MAX)
            *(int *)p = (int)x;
        else
            return codec_bad(r, where, f->key, "whole number out of range");
        return IB_OK;
    }
    case F_DOUBLE:
        if (!json_is_number(v))
            return codec_bad(r, where, f->key, "expected a number");
        *(double *)p = json_number_value(v);
        return IB_OK;
    case F_BOOL:
        if (!json_is_boolean(v))
            return codec_bad(r, where, f->key, "expected true or false");
        *(int *)p = json_is_true(v);
        return IB_OK;
    }
    return IB_ERR;
}

/* The value at a dotted key, or NULL when any part is missing. */
static json_t *lookup(json_t *obj, const char *key)
{
    const char *dot = strchr(key, '.');
    if (!dot)
        return json_object_get(obj, key);
    char head[64];
    snprintf(head, sizeof head, "%.*s", (int)(dot - key), key);
    json_t *child = json_object_get(obj, head);
    return json_is_object(child) ? lookup(child, dot + 1) : NULL;
}

int codec_get(struct codec_reader *r, const char *where, json_t *obj, enum codec_table t,
              void *base)
{
    for (size_t i = 0; i < tables[t].count; i++) {
        const struct field *f = &tables[t].fields[i];
        char *p = (char *)base + f->off;
        json_t *v = lookup(obj, f->key);
        if (!v && (f->flags & F_OMIT_NAN)) {
            *(double *)p = NAN;
            continue;
        }
        if (!v && (f->flags & F_OMIT_ZERO)) {
            memset(p, 0, f->size);
            continue;
        }
        if (!v)
            return codec_bad(r, where, f->key, "missing");
        if (field_from_json(r, where, f, v, p))
            return IB_ERR;
    }
    return IB_OK;
}

/* The array at key of obj, which must be present. */
json_t *codec_get_array(struct codec_reader *r, const char *where, json_t *obj, const char *key)
{
    json_t *a = json_object_get(obj, key);
    if (!json_is_array(a)) {
        codec_bad(r, where, key, a ? "expected an array" : "missing");
        return NULL;
    }
    return a;
}

int codec_get_u64_list(struct codec_reader *r, const char *where, json_t *obj, const char *key,
                        uint64_t *items, int *n)
{
    json_t *a = codec_get_array(r, where, obj, key), *v;
    size_t i;
    if (!a)
        return IB_ERR;
    if (json_array_size(a) > RESULTS_LIST_MAX)
        return codec_bad(r, where, key, "too many items");
    json_array_foreach(a, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return codec_bad(r, where, key, "expected whole numbers >= 0");
        items[i] = (uint64_t)json_integer_value(v);
    }
    *n = (int)json_array_size(a);
    return IB_OK;
}

int codec_get_name_list(struct codec_reader *r, const char *where, json_t *obj, const char *key,
                         char (*items)[RESULTS_NAME_MAX], int *n)
{
    json_t *a = codec_get_array(r, where, obj, key), *v;
    size_t i;
    if (!a)
        return IB_ERR;
    if (json_array_size(a) > RESULTS_LIST_MAX)
        return codec_bad(r, where, key, "too many items");
    json_array_foreach(a, i, v) {
        if (!json_is_string(v) || json_string_length(v) >= RESULTS_NAME_MAX)
            return codec_bad(r, where, key, "expected names of at most 31 bytes");
        snprintf(items[i], RESULTS_NAME_MAX, "%s", json_string_value(v));
    }
    *n = (int)json_array_size(a);
    return IB_OK;
}

int codec_get_number(struct codec_reader *r, const char *where, json_t *obj, const char *key,
                     double *out)
{
    json_t *v = lookup(obj, key);
    if (!v)
        return codec_bad(r, where, key, "missing");
    if (!json_is_number(v))
        return codec_bad(r, where, key, "expected a number");
    *out = json_number_value(v);
    return IB_OK;
}

int codec_get_records(struct codec_reader *r, json_t *obj, const char *key,
                      enum codec_table t, size_t size, void **items, size_t *count)
{
    json_t *a = codec_get_array(r, "", obj, key), *v;
    size_t i;
    *items = NULL;
    *count = 0;
    if (!a)
        return IB_ERR;
    *items = calloc(json_array_size(a) ? json_array_size(a) : 1, size);
    if (!*items)
        return ib_fail(r->err, IB_ERR, "%s: out of memory", r->file);
    json_array_foreach(a, i, v) {
        char where[64];
        snprintf(where, sizeof where, "%s[%zu]", key, i);
        if (!json_is_object(v))
            return codec_bad(r, "", where, "expected an object");
        if (codec_get(r, where, v, t, (char *)*items + i * size))
            return IB_ERR;
        *count = i + 1;
    }
    return IB_OK;
}
