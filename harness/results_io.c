/* results_io.c: a results document to a JSON file and back: the document's
 * shape (which objects and arrays hold which tables), the schema version check,
 * and writing atomically. The fields themselves are results_codec.c's. */
#include "results.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results_codec.h"

/* ---- writing ------------------------------------------------------------ */

/* Sets obj[key] = v; jansson frees v on failure. Failures (out of memory,
 * text that is not UTF-8) add up in *bad rather than being checked one by one. */
static json_t *put(json_t *obj, const char *key, json_t *v, int *bad)
{
    if (json_object_set_new(obj, key, v))
        *bad = 1;
    return v;
}

static json_t *append(json_t *array, json_t *v, int *bad)
{
    if (json_array_append_new(array, v))
        *bad = 1;
    return v;
}

static int config_to_json(json_t *root, const struct results_config *c, int *bad,
                          struct ib_error *err)
{
    json_t *o = put(root, "config", json_object(), bad);
    if (!o)
        return IB_ERR;
    put(o, "sizes", codec_u64_list(c->sizes, c->nsizes), bad);
    put(o, "strategies", codec_name_list(c->strategies, c->nstrategies), bad);
    put(o, "profiles", codec_name_list(c->profiles, c->nprofiles), bad);
    put(o, "scenarios", codec_name_list(c->scenarios, c->nscenarios), bad);
    json_t *sweep = put(o, "history_sweep", json_array(), bad);
    for (int i = 0; sweep && i < c->nhistory_sweep; i++)
        append(sweep, json_integer(c->history_sweep[i]), bad);
    return codec_put(o, CODEC_CONFIG, c, "config", err);
}

static int cell_to_json(json_t *cells, const struct results_cell *c, double rtt_us, int *bad,
                        struct ib_error *err)
{
    json_t *o = append(cells, json_object(), bad);
    if (!o || codec_put(o, CODEC_CELL, c, "cells[]", err))
        return IB_ERR;
    if (isfinite(c->modelled_median_s)) {
        json_t *m = put(o, "modelled", json_object(), bad);
        if (!m)
            return IB_ERR;
        put(m, "rtt_us", json_real(rtt_us), bad);
        put(m, "median_s", json_real(c->modelled_median_s), bad);
    }
    json_t *times = put(o, "times", json_array(), bad);
    for (size_t i = 0; times && i < c->ntimes; i++)
        append(times, json_real(c->times[i]), bad);
    return times ? IB_OK : IB_ERR;
}

static int headline_to_json(json_t *root, const struct results_headline *h, int *bad,
                            struct ib_error *err)
{
    json_t *o = put(root, "verdicts", json_object(), bad);
    if (!o)
        return IB_ERR;
    put(o, "verdict", json_string(results_verdict_name(h->verdict)), bad);
    if (codec_put(o, CODEC_HEADLINE, h, "verdicts", err))
        return IB_ERR;
    json_t *rows = put(o, "rows", json_array(), bad);
    for (size_t i = 0; rows && i < RESULTS_HEADLINE_ROWS; i++) {
        json_t *r = append(rows, json_object(), bad);
        if (!r || codec_put(r, CODEC_ROW, &h->rows[i], "verdicts.rows[]", err))
            return IB_ERR;
    }
    return rows ? IB_OK : IB_ERR;
}

/* Appends one object per record of a table to a new array at root[key]. */
static int records_to_json(json_t *root, const char *key, enum codec_table t,
                           const void *items, size_t count, size_t size, int *bad,
                           struct ib_error *err)
{
    char what[32];
    snprintf(what, sizeof what, "%s[]", key);
    json_t *a = put(root, key, json_array(), bad);
    for (size_t i = 0; a && i < count; i++) {
        json_t *o = append(a, json_object(), bad);
        if (!o || codec_put(o, t, (const char *)items + i * size, what, err))
            return IB_ERR;
        if (t == CODEC_SLOPE) {
            const struct results_slope *s = (const struct results_slope *)items + i;
            put(o, "sizes", codec_u64_list(s->sizes, s->nsizes), bad);
        }
    }
    return a ? IB_OK : IB_ERR;
}

static json_t *doc_to_json(const struct results_doc *doc, struct ib_error *err)
{
    int bad = 0;
    json_t *root = json_object();
    if (!root)
        return NULL;
    put(root, "schema_version", json_string(doc->schema_version), &bad);
    put(root, "generated_at", json_string(doc->generated_at), &bad);
    put(root, "complete", json_boolean(doc->complete), &bad);
    json_t *env = put(root, "environment", json_object(), &bad), *cells;
    if (!env || codec_put(env, CODEC_ENVIRONMENT, &doc->env, "environment", err) ||
        config_to_json(root, &doc->config, &bad, err) ||
        !(cells = put(root, "cells", json_array(), &bad)))
        goto fail;
    for (size_t i = 0; i < doc->ncells; i++)
        if (cell_to_json(cells, &doc->cells[i], doc->config.rtt_us, &bad, err))
            goto fail;
    if (records_to_json(root, "skipped", CODEC_SKIP, doc->skipped, doc->nskipped,
                        sizeof *doc->skipped, &bad, err) ||
        records_to_json(root, "speedups", CODEC_SPEEDUP, doc->speedups, doc->nspeedups,
                        sizeof *doc->speedups, &bad, err) ||
        records_to_json(root, "slopes", CODEC_SLOPE, doc->slopes, doc->nslopes,
                        sizeof *doc->slopes, &bad, err) ||
        headline_to_json(root, &doc->headline, &bad, err))
        goto fail;
    if (!bad)
        return root;
    ib_fail(err, IB_ERR, "out of memory or text that is not UTF-8");
fail:
    if (err && !err->msg[0])
        ib_fail(err, IB_ERR, "out of memory");
    json_decref(root);
    return NULL;
}

/* mkdir -p of path's directory. */
static int make_parents(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static int io_fail(struct ib_error *err, const char *path, int errnum)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s", strerror(errnum));
    if (msg[0] >= 'A' && msg[0] <= 'Z')
        msg[0] = (char)(msg[0] - 'A' + 'a');
    return ib_fail(err, IB_ERR, "%s: %s", path, msg);
}

int results_write(const struct results_doc *doc, const char *path, struct ib_error *err)
{
    ib_error_clear(err);
    json_t *root = doc_to_json(doc, err);
    if (!root)
        return ib_wrap(err, "%s", path);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    int fd = make_parents(path) ? -1 : mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        json_decref(root);
        return io_fail(err, path, e);
    }
    /* The data reaches the disk before the rename makes it the file, so a
     * crash leaves the old file or the new one, never half of either. The
     * mode is a results file's, not mkstemp's private 0600. */
    FILE *f = fchmod(fd, 0644) ? NULL : fdopen(fd, "w");
    int failed = !f || json_dumpf(root, f, JSON_INDENT(2)) || fputc('\n', f) == EOF ||
                 fflush(f) || fsync(fileno(f));
    int e = errno;
    if (f ? fclose(f) != 0 : close(fd) != 0)
        failed = 1;
    json_decref(root);
    if (!failed && rename(tmp, path))
        failed = 1, e = errno;
    if (failed) {
        unlink(tmp);
        return io_fail(err, path, e ? e : EIO);
    }
    return IB_OK;
}

/* ---- reading ------------------------------------------------------------ */

static int config_from_json(struct codec_reader *r, json_t *o, struct results_config *c)
{
    uint64_t sweep[RESULTS_LIST_MAX];
    if (!json_is_object(o))
        return codec_bad(r, "", "config", o ? "expected an object" : "missing");
    if (codec_get_u64_list(r, "config", o, "sizes", c->sizes, &c->nsizes) ||
        codec_get_name_list(r, "config", o, "strategies", c->strategies, &c->nstrategies) ||
        codec_get_name_list(r, "config", o, "profiles", c->profiles, &c->nprofiles) ||
        codec_get_name_list(r, "config", o, "scenarios", c->scenarios, &c->nscenarios) ||
        codec_get_u64_list(r, "config", o, "history_sweep", sweep, &c->nhistory_sweep))
        return IB_ERR;
    for (int i = 0; i < c->nhistory_sweep; i++) {
        if (sweep[i] > 1000000)
            return codec_bad(r, "config", "history_sweep", "whole number out of range");
        c->history_sweep[i] = (int)sweep[i];
    }
    return codec_get(r, "config", o, CODEC_CONFIG, c);
}

static int cell_from_json(struct codec_reader *r, const char *where, json_t *o,
                          struct results_cell *c)
{
    json_t *times = codec_get_array(r, where, o, "times"), *v;
    size_t i;
    if (!times || codec_get(r, where, o, CODEC_CELL, c))
        return IB_ERR;
    if (json_array_size(times) == 0)
        return codec_bad(r, where, "times", "no samples");
    c->times = malloc(json_array_size(times) * sizeof *c->times);
    if (!c->times)
        return ib_fail(r->err, IB_ERR, "%s: out of memory", r->file);
    c->ntimes = json_array_size(times);
    c->summary.n = c->ntimes;
    json_array_foreach(times, i, v) {
        if (!json_is_number(v))
            return codec_bad(r, where, "times", "expected numbers");
        c->times[i] = json_number_value(v);
    }
    c->modelled_median_s = NAN;
    if (json_object_get(o, "modelled"))
        return codec_get_number(r, where, o, "modelled.median_s", &c->modelled_median_s);
    return IB_OK;
}

static int cells_from_json(struct codec_reader *r, json_t *root, struct results_doc *doc)
{
    json_t *a = codec_get_array(r, "", root, "cells"), *v;
    size_t i;
    if (!a)
        return IB_ERR;
    doc->cells = calloc(json_array_size(a) ? json_array_size(a) : 1, sizeof *doc->cells);
    if (!doc->cells)
        return ib_fail(r->err, IB_ERR, "%s: out of memory", r->file);
    doc->cap_cells = json_array_size(a);
    json_array_foreach(a, i, v) {
        char where[48];
        snprintf(where, sizeof where, "cells[%zu]", i);
        if (!json_is_object(v))
            return codec_bad(r, "", where, "expected an object");
        doc->ncells = i + 1;  /* so that the times are freed on failure */
        if (cell_from_json(r, where, v, &doc->cells[i]))
            return IB_ERR;
    }
    return IB_OK;
}

static int headline_from_json(struct codec_reader *r, json_t *root, struct results_headline *h)
{
    json_t *o = json_object_get(root, "verdicts");
    if (!json_is_object(o))
        return codec_bad(r, "", "verdicts", o ? "expected an object" : "missing");
    const char *verdict = json_string_value(json_object_get(o, "verdict"));
    enum results_verdict all[] = {VERDICT_INCOMPLETE, VERDICT_REPRODUCED,
                                  VERDICT_NOT_REPRODUCED};
    size_t k = 0;
    while (verdict && k < 3 && strcmp(verdict, results_verdict_name(all[k])))
        k++;
    if (!verdict || k == 3)
        return codec_bad(r, "verdicts", "verdict",
                         "expected \"reproduced\", \"not reproduced\" or \"incomplete\"");
    h->verdict = all[k];
    if (codec_get(r, "verdicts", o, CODEC_HEADLINE, h))
        return IB_ERR;
    json_t *rows = codec_get_array(r, "verdicts", o, "rows"), *v;
    size_t i;
    if (!rows)
        return IB_ERR;
    if (json_array_size(rows) != RESULTS_HEADLINE_ROWS)
        return codec_bad(r, "verdicts", "rows", "expected 3 rows (1000, 5000, 10000)");
    json_array_foreach(rows, i, v) {
        char where[48];
        snprintf(where, sizeof where, "verdicts.rows[%zu]", i);
        if (!json_is_object(v))
            return codec_bad(r, "", where, "expected an object");
        if (codec_get(r, where, v, CODEC_ROW, &h->rows[i]))
            return IB_ERR;
    }
    return IB_OK;
}

/* "MAJOR.MINOR" -> major, refusing what a newer importbench wrote. */
static int check_version(struct codec_reader *r, json_t *root, struct results_doc *doc)
{
    json_t *v = json_object_get(root, "schema_version");
    const char *s = json_string_value(v);
    int major, minor, used = 0;
    if (!s || sscanf(s, "%d.%d%n", &major, &minor, &used) != 2 || s[used] || major < 0 ||
        minor < 0)
        return codec_bad(r, "", "schema_version",
                         v ? "expected \"MAJOR.MINOR\"" : "missing (not a results file?)");
    if (major > RESULTS_SCHEMA_MAJOR)
        return ib_fail(r->err, IB_ERR,
                       "%s: results schema %d.x is newer than this importbench reads (%d.x)",
                       r->file, major, RESULTS_SCHEMA_MAJOR);
    snprintf(doc->schema_version, sizeof doc->schema_version, "%d.%d", major, minor);
    return IB_OK;
}

static int doc_from_json(struct codec_reader *r, json_t *root, struct results_doc *doc)
{
    if (!json_is_object(root))
        return ib_fail(r->err, IB_ERR, "%s: expected a JSON object", r->file);
    if (check_version(r, root, doc))
        return IB_ERR;
    static const struct {
        const char *key;
        int type;
    } top[] = {{"generated_at", JSON_STRING}, {"complete", -1}, {"environment", JSON_OBJECT}};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
        json_t *v = json_object_get(root, top[i].key);
        if (!v || (top[i].type >= 0 ? (int)json_typeof(v) != top[i].type : !json_is_boolean(v)))
            return codec_bad(r, "", top[i].key, v ? "wrong type" : "missing");
    }
    const char *when = json_string_value(json_object_get(root, "generated_at"));
    if (strlen(when) >= sizeof doc->generated_at)
        return codec_bad(r, "", "generated_at", "too long");
    strcpy(doc->generated_at, when);
    doc->complete = json_is_true(json_object_get(root, "complete"));
    void *items;
    if (codec_get(r, "environment", json_object_get(root, "environment"), CODEC_ENVIRONMENT,
                  &doc->env) ||
        config_from_json(r, json_object_get(root, "config"), &doc->config) ||
        cells_from_json(r, root, doc))
        return IB_ERR;
    int failed = codec_get_records(r, root, "skipped", CODEC_SKIP, sizeof *doc->skipped,
                                   &items, &doc->nskipped);
    doc->skipped = items;
    doc->cap_skipped = doc->nskipped;
    if (failed)
        return IB_ERR;
    failed = codec_get_records(r, root, "speedups", CODEC_SPEEDUP, sizeof *doc->speedups,
                               &items, &doc->nspeedups);
    doc->speedups = items;
    if (failed)
        return IB_ERR;
    failed = codec_get_records(r, root, "slopes", CODEC_SLOPE, sizeof *doc->slopes, &items,
                               &doc->nslopes);
    doc->slopes = items;
    for (size_t i = 0; !failed && i < doc->nslopes; i++) {
        char where[48];
        snprintf(where, sizeof where, "slopes[%zu]", i);
        failed = codec_get_u64_list(r, where, json_array_get(json_object_get(root, "slopes"), i),
                                    "sizes", doc->slopes[i].sizes, &doc->slopes[i].nsizes);
    }
    return failed ? IB_ERR : headline_from_json(r, root, &doc->headline);
}

int results_load(const char *path, struct results_doc **out, struct ib_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return io_fail(err, path, errno);
    json_error_t jerr;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!root)
        return ib_fail(err, IB_ERR, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
    struct results_doc *doc = calloc(1, sizeof *doc);
    struct codec_reader r = {path, err};
    int status = doc ? doc_from_json(&r, root, doc) : ib_fail(err, IB_ERR, "%s: out of memory", path);
    json_decref(root);
    if (status != IB_OK) {
        results_doc_free(doc);
        return IB_ERR;
    }
    *out = doc;
    return IB_OK;
}
