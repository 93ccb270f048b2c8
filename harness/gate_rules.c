/* gate_rules.c: the gate's thresholds: defaults, and the JSON rules file that
 * overrides them (documented in results/README.md). A key the gate does not
 * know is an error rather than silently ignored: a misspelt threshold would
 * otherwise leave the default in force unnoticed. */
#include "gate.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junitgen.h"

void gate_rules_default(struct gate_rules *rules)
{
    memset(rules, 0, sizeof *rules);
    rules->vm_steps_tolerance = 0.02;
    rules->max_slope = 1.2;
    rules->floor_ratio = 1.5;
    rules->n1_speedup[0].n = 5000;
    rules->n1_speedup[0].min = 37;
    rules->n1_speedup[1].n = 10000;
    rules->n1_speedup[1].min = 60;
    rules->nn1_speedup = 2;
    rules->time_slowdown = 0.10;
    rules->time_p = 0.01;
    rules->time_min_runs = 8;
}

/* The value as JSON text, for messages ("got \"x\""). */
static void json_text(json_t *v, char *buf, size_t len)
{
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(buf, len, "%.60s%s", s ? s : "?", s && strlen(s) > 60 ? "..." : "");
    free(s);
}

static int number_in(const char *path, const char *key, json_t *v, double min, double max,
                     double *out, struct ib_error *err)
{
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    if (!(x >= min && x <= max)) {
        char got[80];
        json_text(v, got, sizeof got);
        return ib_fail(err, IB_EUSAGE, "%s: %s: expected a number from %g to %g, got %s", path,
                       key, min, max, got);
    }
    *out = x;
    return IB_OK;
}

/* A whole number of runs: the Mann-Whitney test needs a few a side. */
static int samples_in(const char *path, const char *key, json_t *v, int *out,
                      struct ib_error *err)
{
    double x;
    if (number_in(path, key, v, 4, 1000, &x, err))
        return IB_EUSAGE;
    if (x != (int)x)
        return ib_fail(err, IB_EUSAGE, "%s: %s: expected a whole number, got %g", path, key, x);
    *out = (int)x;
    return IB_OK;
}

static int n1_speedups(const char *path, json_t *obj, struct gate_rules *rules,
                       struct ib_error *err)
{
    if (!json_is_object(obj))
        return ib_fail(err, IB_EUSAGE,
                       "%s: n1_speedup: expected an object such as {\"5000\": 37}", path);
    if (json_object_size(obj) > GATE_N1_SIZES_MAX)
        return ib_fail(err, IB_EUSAGE, "%s: n1_speedup: at most %d sizes", path,
                       GATE_N1_SIZES_MAX);
    const char *key;
    json_t *v;
    int k = 0;
    json_object_foreach(obj, key, v) {
        uint64_t n;
        char name[96];
        if (junitgen_parse_count(key, &n) || n == 0)
            return ib_fail(err, IB_EUSAGE,
                           "%s: n1_speedup: '%.40s': expected a size such as 5000 or 5k", path,
                           key);
        snprintf(name, sizeof name, "n1_speedup.%.40s", key);
        if (number_in(path, name, v, 1, 100000, &rules->n1_speedup[k].min, err))
            return IB_EUSAGE;
        rules->n1_speedup[k++].n = n;
    }
    rules->nn1_speedup = k;
    return IB_OK;
}

int gate_rules_load(const char *path, struct gate_rules *rules, struct ib_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s", strerror(errno));
        msg[0] = (char)tolower((unsigned char)msg[0]);
        return ib_fail(err, IB_EUSAGE, "%s: %s", path, msg);
    }
    json_error_t jerr;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!root)
        return ib_fail(err, IB_EUSAGE, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                       jerr.text);
    int status = IB_OK;
    if (!json_is_object(root))
        status = ib_fail(err, IB_EUSAGE, "%s: expected a JSON object of thresholds", path);
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (status != IB_OK)
            break;
        if (!strcmp(key, "vm_steps_tolerance"))
            status = number_in(path, key, v, 0, 1, &rules->vm_steps_tolerance, err);
        else if (!strcmp(key, "max_slope"))
            status = number_in(path, key, v, 0, 10, &rules->max_slope, err);
        else if (!strcmp(key, "floor_ratio"))
            status = number_in(path, key, v, 1, 1000, &rules->floor_ratio, err);
        else if (!strcmp(key, "n1_speedup"))
            status = n1_speedups(path, v, rules, err);
        else if (!strcmp(key, "time_slowdown"))
            status = number_in(path, key, v, 0, 10, &rules->time_slowdown, err);
        else if (!strcmp(key, "time_p"))
            status = number_in(path, key, v, 1e-9, 0.5, &rules->time_p, err);
        else if (!strcmp(key, "time_min_runs"))
            status = samples_in(path, key, v, &rules->time_min_runs, err);
        else
            status = ib_fail(err, IB_EUSAGE,
                             "%s: unknown key '%.60s' (known: vm_steps_tolerance, max_slope, "
                             "floor_ratio, n1_speedup, time_slowdown, time_p, "
                             "time_min_runs)",
                             path, key);
    }
    json_decref(root);
    return status;
}
