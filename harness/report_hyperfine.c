/* report_hyperfine.c: reading hyperfine's JSON exports into a flat list of
 * whole-process timings, one per (profile, scenario, strategy, n, history). */
#include "report_hyperfine.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "junitgen.h"

void hyperfine_set_free(struct hyperfine_set *set)
{
    free(set->items);
    memset(set, 0, sizeof *set);
}

const struct hyperfine_result *hyperfine_find(const struct hyperfine_set *set,
                                              const char *profile, const char *scenario,
                                              const char *strategy, uint64_t n, int history)
{
    for (size_t i = 0; i < set->count; i++) {
        const struct hyperfine_result *r = &set->items[i];
        if (r->n == n && (r->history < 0 || r->history == history) &&
            !strcmp(r->strategy, strategy) && !strcmp(r->scenario, scenario) &&
            !strcmp(r->profile, profile))
            return r;
    }
    return NULL;
}

static int get_number(json_t *obj, const char *key, double *out, const char *path, size_t i,
                      struct ib_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_number(v))
        return ib_fail(err, IB_EUSAGE, "%s: results[%zu].%s: expected a number", path, i, key);
    *out = json_number_value(v);
    return IB_OK;
}

/* A parameter's value as a name: present, a string, short enough. */
static int get_param(json_t *params, const char *key, char *out, size_t len, const char *path,
                     size_t i, struct ib_error *err)
{
    json_t *v = json_object_get(params, key);
    const char *s = json_string_value(v);
    if (!s || !s[0] || strlen(s) >= len)
        return ib_fail(err, IB_EUSAGE,
                       "%s: results[%zu].parameters.%s: expected a name (exports of "
                       "scripts/hyperfine-import carry profile, scenario, strategy and n)",
                       path, i, key);
    memcpy(out, s, strlen(s) + 1);
    return IB_OK;
}

static int read_cell_names(json_t *params, struct hyperfine_result *r, const char *path,
                           size_t i, struct ib_error *err)
{
    char n[32], history[32];
    if (get_param(params, "profile", r->profile, sizeof r->profile, path, i, err) ||
        get_param(params, "scenario", r->scenario, sizeof r->scenario, path, i, err) ||
        get_param(params, "strategy", r->strategy, sizeof r->strategy, path, i, err) ||
        get_param(params, "n", n, sizeof n, path, i, err))
        return IB_EUSAGE;
    if (junitgen_parse_count(n, &r->n) != 0)
        return ib_fail(err, IB_EUSAGE, "%s: results[%zu].parameters.n: expected a count, got '%s'",
                       path, i, n);
    r->history = -1;
    if (!json_object_get(params, "history"))
        return IB_OK;
    char *end;
    if (get_param(params, "history", history, sizeof history, path, i, err))
        return IB_EUSAGE;
    long h = strtol(history, &end, 10);
    if (*end || h < 0 || h > 1000000)
        return ib_fail(err, IB_EUSAGE,
                       "%s: results[%zu].parameters.history: expected a whole number, got '%s'",
                       path, i, history);
    r->history = (int)h;
    return IB_OK;
}

static int read_result(json_t *item, struct hyperfine_result *r, const char *path, size_t i,
                       struct ib_error *err)
{
    memset(r, 0, sizeof *r);
    if (!json_is_object(item))
        return ib_fail(err, IB_EUSAGE, "%s: results[%zu]: expected an object", path, i);
    if (get_number(item, "mean", &r->mean, path, i, err) ||
        get_number(item, "stddev", &r->stddev, path, i, err) ||
        get_number(item, "median", &r->median, path, i, err) ||
        get_number(item, "min", &r->min, path, i, err) ||
        get_number(item, "max", &r->max, path, i, err))
        return IB_EUSAGE;
    json_t *times = json_object_get(item, "times");
    r->runs = json_is_array(times) ? json_array_size(times) : 0;
    json_t *params = json_object_get(item, "parameters");
    if (!json_is_object(params))
        return ib_fail(err, IB_EUSAGE,
                       "%s: results[%zu].parameters: expected an object (run hyperfine with "
                       "--parameter-list, as scripts/hyperfine-import does)", path, i);
    return read_cell_names(params, r, path, i, err);
}

static int push(struct hyperfine_set *set, const struct hyperfine_result *r)
{
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        struct hyperfine_result *p = realloc(set->items, cap * sizeof *p);
        if (!p)
            return -1;
        set->items = p;
        set->cap = cap;
    }
    set->items[set->count++] = *r;
    return 0;
}

int hyperfine_load_file(const char *path, struct hyperfine_set *set, struct ib_error *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        if (jerr.line < 0)
            return ib_fail(err, IB_EUSAGE, "%s: %s", path, jerr.text);
        return ib_fail(err, IB_EUSAGE, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    }
    json_t *results = json_object_get(root, "results");
    int rc = IB_OK;
    if (!json_is_array(results))
        rc = ib_fail(err, IB_EUSAGE, "%s: results: expected an array (a hyperfine --export-json "
                     "file)", path);
    for (size_t i = 0; rc == IB_OK && i < json_array_size(results); i++) {
        struct hyperfine_result r;
        rc = read_result(json_array_get(results, i), &r, path, i, err);
        if (rc == IB_OK &&
            hyperfine_find(set, r.profile, r.scenario, r.strategy, r.n, r.history))
            rc = ib_fail(err, IB_EUSAGE, "%s: results[%zu]: %s/%s/%s n=%llu timed twice", path,
                         i, r.profile, r.scenario, r.strategy, (unsigned long long)r.n);
        if (rc == IB_OK && push(set, &r))
            rc = ib_fail(err, IB_ERR, "%s: out of memory", path);
    }
    json_decref(root);
    if (rc == IB_OK)
        set->files++;
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_json_name(const char *name)
{
    size_t len = strlen(name);
    return name[0] != '.' && len > 5 && !strcmp(name + len - 5, ".json");
}

/* The *.json names in dir, sorted; *count of them. */
static int list_exports(const char *dir, char ***names, size_t *count, struct ib_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ib_fail(err, IB_EUSAGE, "%s: %s", dir,
                       errno == ENOENT ? "no such directory" : strerror(errno));
    size_t n = 0, cap = 0;
    char **v = NULL;
    int rc = IB_OK;
    for (struct dirent *e; rc == IB_OK && (e = readdir(d));) {
        if (!is_json_name(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(v, cap * sizeof *p);
            if (!p) {
                rc = ib_fail(err, IB_ERR, "%s: out of memory", dir);
                break;
            }
            v = p;
        }
        if (!(v[n] = strdup(e->d_name)))
            rc = ib_fail(err, IB_ERR, "%s: out of memory", dir);
        else
            n++;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, cmp_names);
    *names = v;
    *count = n;
    return rc;
}

int hyperfine_load_dir(const char *dir, struct hyperfine_set *set, struct ib_error *err)
{
    char **names = NULL;
    size_t count = 0;
    int rc = list_exports(dir, &names, &count, err);
    if (rc == IB_OK && count == 0)
        rc = ib_fail(err, IB_EUSAGE, "%s: no hyperfine exports (*.json) here", dir);
    for (size_t i = 0; rc == IB_OK && i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = hyperfine_load_file(path, set, err);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return rc;
}
