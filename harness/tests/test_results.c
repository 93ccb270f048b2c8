/* test_results.c: the results document: building it, what follows from the
 * cells (speedups, slopes, the headline verdict), the JSON file against
 * results/README.md, and reading back, including every refusal. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results.h"
#include "results_fixture.h"

static void test_add_cell_summarises_and_models(void **state)
{
    (void)state;
    struct results_doc *doc = fixture_doc_new();
    doc->config.rtt_us = 100;
    double times[] = {0.3, 0.1, 0.2, 0.5, 0.4};
    double scratch[3];
    struct results_cell c = fixture_cell("seed", "fresh", "batch", 1000, 20, 1, scratch);
    c.times = times;
    c.ntimes = 5;
    struct ib_error err = {0};
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
    times[0] = 99; /* the document holds its own copy */
    const struct results_cell *got = results_find_cell(doc, "seed", "fresh", "batch", 1000, 20);
    assert_non_null(got);
    assert_int_equal(got->ntimes, 5);
    assert_float_equal(got->times[0], 0.3, 0);
    assert_float_equal(got->summary.median, 0.3, 0);
    assert_float_equal(got->summary.min, 0.1, 0);
    assert_float_equal(got->summary.max, 0.5, 0);
    assert_float_equal(got->summary.mean, 0.3, 1e-12);
    assert_float_equal(got->summary.ci_level, 0.9375, 1e-12);
    /* statements 6 + 1003 + 0 + 2 = 1011, at 100 us each: 0.1011 s. */
    assert_float_equal(got->modelled_median_s, 0.3 + 0.1011, 1e-12);
    assert_null(results_find_cell(doc, "seed", "fresh", "batch", 1000, 0));
    assert_null(results_find_cell(doc, "app", "fresh", "batch", 1000, 20));
    results_doc_free(doc);
}

static void test_add_cell_refusals(void **state)
{
    (void)state;
    struct results_doc *doc = fixture_doc_new();
    struct ib_error err = {0};
    double times[3];
    struct results_cell c = fixture_cell("seed", "fresh", "batch", 1000, 20, 1, times);
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
    assert_true(isnan(doc->cells[0].modelled_median_s));

    assert_int_equal(results_add_cell(doc, &c, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "results: seed/fresh/batch n=1000 h=20: cell added twice");
    c.n = 5000;
    c.ntimes = 0;
    assert_int_equal(results_add_cell(doc, &c, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "results: seed/fresh/batch n=5000 h=20: no samples");
    c.ntimes = 3;
    times[1] = -1;
    assert_int_equal(results_add_cell(doc, &c, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "results: seed/fresh/batch n=5000 h=20: sample 1 is not a time");
    times[1] = 1;
    c.strategy[0] = '\0';
    assert_int_equal(results_add_cell(doc, &c, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "results: a cell needs a profile, scenario and strategy");
    assert_int_equal(doc->ncells, 1);

    struct results_skip s = {.profile = "seed", .scenario = "fresh", .strategy = "upsert",
                             .n = 1000, .history = 20};
    assert_int_equal(results_add_skipped(doc, &s, &err), IB_EUSAGE);
    snprintf(s.reason, sizeof s.reason, "upsert needs the keyed profile");
    assert_int_equal(results_add_skipped(doc, &s, &err), IB_OK);
    assert_int_equal(doc->nskipped, 1);
    results_doc_free(doc);
}

static const struct results_speedup *find_speedup(const struct results_doc *doc, uint64_t n,
                                                  const char *faster, const char *slower)
{
    for (size_t i = 0; i < doc->nspeedups; i++) {
        const struct results_speedup *s = &doc->speedups[i];
        if (s->n == n && !strcmp(s->faster, faster) && !strcmp(s->slower, slower))
            return s;
    }
    return NULL;
}

static void test_speedups_and_slopes(void **state)
{
    (void)state;
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    /* Per size: batch/n1, floor/n1, floor/batch. */
    assert_int_equal(doc->nspeedups, 9);
    const struct results_speedup *s = find_speedup(doc, 5000, "batch", "n1");
    assert_non_null(s);
    assert_string_equal(s->profile, "seed");
    assert_int_equal(s->history, 20);
    assert_float_equal(s->ratio, 100, 1e-9);
    assert_float_equal(s->ratio_low, 100 * 0.99 / 1.01, 1e-9);
    assert_float_equal(s->ratio_high, 100 * 1.01 / 0.99, 1e-9);
    assert_float_equal(s->documented, 37, 0);
    assert_true(isnan(s->modelled_ratio));
    s = find_speedup(doc, 1000, "floor", "batch");
    assert_non_null(s);
    assert_float_equal(s->ratio, 1.25, 1e-12);
    assert_true(isnan(s->documented));
    s = find_speedup(doc, 10000, "floor", "n1");
    assert_float_equal(s->ratio, 4e-7 * 1e8 / 0.16, 1e-9);
    assert_null(find_speedup(doc, 1000, "n1", "batch"));

    assert_int_equal(doc->nslopes, 3);
    for (size_t i = 0; i < doc->nslopes; i++) {
        const struct results_slope *sl = &doc->slopes[i];
        double want = !strcmp(sl->strategy, "n1") ? 2 : 1;
        assert_float_equal(sl->slope, want, 1e-9);
        assert_float_equal(sl->r2, 1, 1e-9);
        assert_true(sl->slope_min < want && sl->slope_max > want);
        assert_int_equal(sl->nsizes, 3);
        assert_int_equal(sl->sizes[0], 1000);
        assert_int_equal(sl->sizes[2], 10000);
    }
    /* Run twice: derived figures are replaced, not appended. */
    struct ib_error err = {0};
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    assert_int_equal(doc->nspeedups, 9);
    assert_int_equal(doc->nslopes, 3);
    results_doc_free(doc);
}

/* The headline from n1 medians at 1k, 5k and 10k over batch 2e-5 n; a
 * negative median leaves that n1 cell out. */
static struct results_doc *headline_doc(double n1_1k, double n1_5k, double n1_10k)
{
    struct results_doc *doc = fixture_doc_new();
    const uint64_t sizes[] = {1000, 5000, 10000};
    const double n1[] = {n1_1k, n1_5k, n1_10k};
    for (int i = 0; i < 3; i++) {
        fixture_add(doc, "seed", "fresh", "batch", sizes[i], 20, 2e-5 * (double)sizes[i]);
        if (n1[i] >= 0)
            fixture_add(doc, "seed", "fresh", "n1", sizes[i], 20, n1[i]);
    }
    struct ib_error err = {0};
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    return doc;
}

static void test_headline_reproduced(void **state)
{
    (void)state;
    /* batch 0.02, 0.1, 0.2 s; n1/batch = 10, 40, 65: 1k is below 15 but does
     * not decide. */
    struct results_doc *doc = headline_doc(0.2, 4, 13);
    const struct results_headline *h = &doc->headline;
    assert_int_equal(h->verdict, VERDICT_REPRODUCED);
    assert_string_equal(h->reason, "n1/batch is 40.0x at 5000 (documented 37x) and 65.0x at "
                                   "10000 (documented 60x), growing with N");
    assert_string_equal(h->profile, "seed");
    assert_string_equal(h->scenario, "fresh");
    assert_int_equal(h->history, 20);
    assert_float_equal(h->rows[0].measured, 10, 1e-9);
    assert_int_equal(h->rows[0].reproduced, 0);
    assert_int_equal(h->rows[0].doc.decisive, 0);
    assert_int_equal(h->rows[1].reproduced, 1);
    assert_int_equal(h->rows[2].reproduced, 1);
    assert_float_equal(h->rows[2].doc.speedup, 60, 0);
    assert_float_equal(h->rows[2].doc.before_s, 900, 0);
    assert_float_equal(h->rows[2].doc.app_after_s, 1.002, 0);
    assert_string_equal(results_verdict_name(h->verdict), "reproduced");
    results_doc_free(doc);
}

static void test_headline_not_reproduced(void **state)
{
    (void)state;
    /* 10k: 10 / 0.2 = 50x < 60x. */
    struct results_doc *doc = headline_doc(0.4, 4, 10);
    assert_int_equal(doc->headline.verdict, VERDICT_NOT_REPRODUCED);
    assert_string_equal(doc->headline.reason,
                        "n1/batch is 50.0x at 10000, below the documented 60x");
    assert_int_equal(doc->headline.rows[2].reproduced, 0);
    results_doc_free(doc);
    /* 5k: 3 / 0.1 = 30x < 37x. */
    doc = headline_doc(0.4, 3, 20);
    assert_int_equal(doc->headline.verdict, VERDICT_NOT_REPRODUCED);
    assert_string_equal(doc->headline.reason,
                        "n1/batch is 30.0x at 5000, below the documented 37x");
    results_doc_free(doc);
    /* Both above their figures, but 70x at 5k and 65x at 10k: not growing. */
    doc = headline_doc(0.4, 7, 13);
    assert_int_equal(doc->headline.verdict, VERDICT_NOT_REPRODUCED);
    assert_string_equal(doc->headline.reason,
                        "n1/batch does not grow with N: 70.0x at 5000, 65.0x at 10000");
    assert_string_equal(results_verdict_name(doc->headline.verdict), "not reproduced");
    results_doc_free(doc);
}

static void test_headline_incomplete(void **state)
{
    (void)state;
    struct results_doc *doc = headline_doc(0.4, 4, -1);
    assert_int_equal(doc->headline.verdict, VERDICT_INCOMPLETE);
    assert_string_equal(doc->headline.reason, "no n1 cell at 10000 (seed/fresh h=20)");
    assert_true(isnan(doc->headline.rows[2].measured));
    assert_int_equal(doc->headline.rows[2].reproduced, -1);
    struct results_skip s = {.profile = "seed", .scenario = "fresh", .strategy = "n1",
                             .n = 10000, .history = 20,
                             .reason = "predicted 700 s exceeds the budget"};
    struct ib_error err = {0};
    assert_int_equal(results_add_skipped(doc, &s, &err), IB_OK);
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    assert_string_equal(doc->headline.reason,
                        "n1 at 10000 was skipped: predicted 700 s exceeds the budget");
    results_doc_free(doc);
    /* The quick matrix has no 10k at all; 1k alone decides nothing. */
    doc = fixture_doc_new();
    fixture_add(doc, "seed", "fresh", "n1", 1000, 20, 1);
    fixture_add(doc, "seed", "fresh", "batch", 1000, 20, 0.01);
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    assert_int_equal(doc->headline.verdict, VERDICT_INCOMPLETE);
    assert_string_equal(doc->headline.reason, "no n1 cell at 5000 (seed/fresh h=20)");
    results_doc_free(doc);
}

/* ---- the file ----------------------------------------------------------- */

static char *write_tmp(const struct results_doc *doc, char **dir)
{
    *dir = tmpdir_make();
    char *path = malloc(strlen(*dir) + 32);
    sprintf(path, "%s/sub/dir/r.json", *dir);
    struct ib_error err = {0};
    assert_int_equal(results_write(doc, path, &err), IB_OK);
    return path;
}

static void test_round_trip(void **state)
{
    (void)state;
    struct results_doc *doc = fixture_doc_new();
    doc->config.rtt_us = 190;
    fixture_standard(doc);
    fixture_add(doc, "seed", "fresh", "upsert", 1000, 20, 0.5);
    struct results_skip s = {.profile = "app", .scenario = "fresh", .strategy = "upsert",
                             .n = 1000, .history = 20, .reason = "upsert needs the keyed profile"};
    struct ib_error err = {0};
    assert_int_equal(results_add_skipped(doc, &s, &err), IB_OK);
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);

    char *dir, *path = write_tmp(doc, &dir);
    struct results_doc *back;
    assert_int_equal(results_load(path, &back, &err), IB_OK);
    assert_string_equal(back->schema_version, "1.0");
    assert_string_equal(back->generated_at, "2026-12-04T10:30:15Z");
    assert_int_equal(back->complete, 1);
    assert_int_equal(back->ncells, doc->ncells);
    assert_int_equal(back->nskipped, 1);
    assert_string_equal(back->skipped[0].reason, "upsert needs the keyed profile");
    assert_int_equal(back->nspeedups, doc->nspeedups);
    assert_int_equal(back->nslopes, 3);
    assert_int_equal(back->headline.verdict, VERDICT_REPRODUCED);
    const struct results_cell *c = results_find_cell(back, "seed", "fresh", "n1", 5000, 20);
    assert_non_null(c);
    assert_int_equal(c->counts.select, 5005);
    assert_int_equal(c->counts.vm_steps, 5000ull * 5000 / 2 + 40 * 5000);
    assert_float_equal(c->summary.median, 10, 1e-12);
    assert_float_equal(c->modelled_median_s, 10 + 190e-6 * (5005 + 5003 + 2), 1e-12);
    c = results_find_cell(back, "seed", "fresh", "upsert", 1000, 20);
    assert_string_equal(c->lookup_plan, "");
    assert_int_equal(back->env.git_dirty, 0);
    assert_int_equal(back->env.sqlite.cache_size, -2000);
    assert_int_equal(back->config.nhistory_sweep, 2);
    assert_int_equal(back->config.history_sweep[1], 200);

    /* Everything else: writing what was read gives the same bytes. */
    char path2[4200];
    snprintf(path2, sizeof path2, "%s/again.json", dir);
    assert_int_equal(results_write(back, path2, &err), IB_OK);
    char *a = read_whole_file(path, NULL), *b = read_whole_file(path2, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    assert_int_equal(a[strlen(a) - 1], '\n');
    free(a);
    free(b);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    /* No temporary file is left beside the result. */
    struct cmd_result r;
    run_cmd(&r, "ls -A '%s/sub/dir'", dir);
    assert_string_equal(r.out, "r.json\n");
    cmd_result_free(&r);
    results_doc_free(back);
    results_doc_free(doc);
    free(path);
    tmpdir_remove(dir);
}

/* Collects every key path the README documents ("cells[].statements.select"). */
static size_t documented_paths(char paths[][96], size_t max)
{
    char readme[4096];
    snprintf(readme, sizeof readme, "%s/results/README.md", IB_SOURCE_DIR);
    char *text = read_whole_file(readme, NULL);
    assert_non_null(text);
    size_t n = 0;
    char *end = strstr(text, "## The gate's rules file");
    assert_non_null(end);
    *end = '\0';
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "| `", 3))
            continue;
        char *close = strchr(line + 3, '`');
        assert_non_null(close);
        assert_true(n < max);
        snprintf(paths[n++], 96, "%.*s", (int)(close - line - 3), line + 3);
    }
    free(text);
    return n;
}

/* Documented itself, or an object whose members are ("cells[].statements"). */
static int is_documented(char paths[][96], size_t n, const char *path)
{
    size_t len = strlen(path);
    for (size_t i = 0; i < n; i++)
        if (!strncmp(paths[i], path, len) && (paths[i][len] == '\0' || paths[i][len] == '.'))
            return 1;
    return 0;
}

/* Every key of the written JSON must be documented. */
static void check_keys(json_t *v, const char *prefix, char paths[][96], size_t n)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            char p[128];
            snprintf(p, sizeof p, "%s[]", prefix);
            check_keys(item, p, paths, n);
        }
        return;
    }
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item) {
        char p[128];
        snprintf(p, sizeof p, "%s%s%s", prefix, prefix[0] ? "." : "", key);
        if (!is_documented(paths, n, p))
            fail_msg("%s is written but not documented in results/README.md", p);
        check_keys(item, p, paths, n);
    }
}

/* Every documented path exists in root (arrays: in some element). */
static int path_exists(json_t *v, const char *path)
{
    if (!*path)
        return 1;
    char head[96];
    size_t len = strcspn(path, ".[");
    snprintf(head, sizeof head, "%.*s", (int)len, path);
    json_t *child = json_object_get(v, head);
    if (!child)
        return 0;
    const char *rest = path + len;
    if (!strncmp(rest, "[]", 2)) {
        rest += 2;
        if (*rest == '.')
            rest++;
        size_t i;
        json_t *item;
        json_array_foreach(child, i, item) if (path_exists(item, rest)) return 1;
        return *rest == '\0';
    }
    return path_exists(child, *rest == '.' ? rest + 1 : rest);
}

static void test_file_matches_readme(void **state)
{
    (void)state;
    struct results_doc *doc = fixture_doc_new();
    doc->config.rtt_us = 190;
    fixture_standard(doc);
    struct results_skip s = {.profile = "seed", .scenario = "fresh", .strategy = "upsert",
                             .n = 1000, .history = 20, .reason = "upsert needs the keyed profile"};
    struct ib_error err = {0};
    assert_int_equal(results_add_skipped(doc, &s, &err), IB_OK);
    char *dir, *path = write_tmp(doc, &dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);

    static char paths[200][96];
    size_t n = documented_paths(paths, 200);
    assert_true(n > 100);
    check_keys(root, "", paths, n);
    for (size_t i = 0; i < n; i++)
        if (!path_exists(root, paths[i]))
            fail_msg("%s is documented but not written", paths[i]);
    /* Timing names as hyperfine's export has them. */
    json_t *cell = json_array_get(json_object_get(root, "cells"), 0);
    const char *hyperfine[] = {"times", "mean", "stddev", "median", "min", "max"};
    for (size_t i = 0; i < 6; i++)
        assert_true(json_is_number(json_object_get(cell, hyperfine[i])) ||
                    json_is_array(json_object_get(cell, hyperfine[i])));
    json_decref(root);
    results_doc_free(doc);
    free(path);
    tmpdir_remove(dir);
}

/* ---- refusals when reading ---------------------------------------------- */

/* Writes the standard document, lets edit() change its JSON, and loads it. */
static int load_edited(void (*edit)(json_t *root), char *msg, size_t len,
                       struct results_doc **out)
{
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    char *dir, *path = write_tmp(doc, &dir);
    results_doc_free(doc);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    edit(root);
    assert_int_equal(json_dump_file(root, path, 0), 0);
    json_decref(root);
    struct ib_error err = {0};
    int status = results_load(path, out, &err);
    /* Messages name the file: strip the temporary directory for comparison. */
    const char *m = strstr(err.msg, "/sub/dir/");
    snprintf(msg, len, "%s", m ? m + 9 : err.msg);
    free(path);
    tmpdir_remove(dir);
    return status;
}

static void edit_newer_major(json_t *root)
{
    json_object_set_new(root, "schema_version", json_string("2.3"));
}

static void edit_older_and_extra(json_t *root)
{
    json_object_set_new(root, "schema_version", json_string("0.9"));
    json_object_set_new(root, "from_the_future", json_true());
    json_object_set_new(json_array_get(json_object_get(root, "cells"), 0), "energy_j",
                        json_real(3));
}

static void edit_newer_minor(json_t *root)
{
    json_object_set_new(root, "schema_version", json_string("1.7"));
}

static void edit_wrong_type(json_t *root)
{
    json_object_set_new(json_array_get(json_object_get(root, "cells"), 2), "median",
                        json_string("fast"));
}

static void edit_missing(json_t *root)
{
    json_object_del(json_object_get(json_array_get(json_object_get(root, "cells"), 1),
                                    "statements"),
                    "update");
}

static void edit_bad_version(json_t *root)
{
    json_object_set_new(root, "schema_version", json_string("one"));
}

static void edit_negative(json_t *root)
{
    json_object_set_new(json_array_get(json_object_get(root, "cells"), 0), "vm_steps",
                        json_integer(-5));
}

static void edit_verdict(json_t *root)
{
    json_object_set_new(json_object_get(root, "verdicts"), "verdict", json_string("maybe"));
}

static void test_load_versions_and_errors(void **state)
{
    (void)state;
    char msg[1024];
    struct results_doc *doc = NULL;
    assert_int_equal(load_edited(edit_newer_major, msg, sizeof msg, &doc), IB_ERR);
    assert_null(doc);
    assert_string_equal(msg, "r.json: results schema 2.x is newer than this importbench "
                             "reads (1.x)");
    assert_int_equal(load_edited(edit_older_and_extra, msg, sizeof msg, &doc), IB_OK);
    assert_string_equal(doc->schema_version, "0.9");
    assert_int_equal(doc->ncells, 9);
    results_doc_free(doc);
    assert_int_equal(load_edited(edit_newer_minor, msg, sizeof msg, &doc), IB_OK);
    assert_string_equal(doc->schema_version, "1.7");
    results_doc_free(doc);
    doc = NULL;
    assert_int_equal(load_edited(edit_wrong_type, msg, sizeof msg, &doc), IB_ERR);
    assert_string_equal(msg, "r.json: cells[2].median: expected a number");
    assert_int_equal(load_edited(edit_missing, msg, sizeof msg, &doc), IB_ERR);
    assert_string_equal(msg, "r.json: cells[1].statements.update: missing");
    assert_int_equal(load_edited(edit_bad_version, msg, sizeof msg, &doc), IB_ERR);
    assert_string_equal(msg, "r.json: schema_version: expected \"MAJOR.MINOR\"");
    assert_int_equal(load_edited(edit_negative, msg, sizeof msg, &doc), IB_ERR);
    assert_string_equal(msg, "r.json: cells[0].vm_steps: expected a whole number >= 0");
    assert_int_equal(load_edited(edit_verdict, msg, sizeof msg, &doc), IB_ERR);
    assert_string_equal(msg, "r.json: verdicts.verdict: expected \"reproduced\", \"not "
                             "reproduced\" or \"incomplete\"");
    assert_null(doc);
}

static void test_load_unreadable(void **state)
{
    (void)state;
    char *dir = tmpdir_make(), path[4200];
    struct results_doc *doc = NULL;
    struct ib_error err = {0};
    snprintf(path, sizeof path, "%s/none.json", dir);
    assert_int_equal(results_load(path, &doc, &err), IB_ERR);
    assert_non_null(strstr(err.msg, "/none.json: no such file or directory"));

    snprintf(path, sizeof path, "%s/bad.json", dir);
    const char *text = "{\n  \"schema_version\": \"1.0\",\n  \"cells\": [1,\n}\n";
    assert_int_equal(write_whole_file(path, text, strlen(text)), 0);
    assert_int_equal(results_load(path, &doc, &err), IB_ERR);
    assert_non_null(strstr(err.msg, "/bad.json:4:1: "));

    assert_int_equal(write_whole_file(path, "[1, 2]", 6), 0);
    assert_int_equal(results_load(path, &doc, &err), IB_ERR);
    assert_non_null(strstr(err.msg, "/bad.json: expected a JSON object"));

    assert_int_equal(write_whole_file(path, "{\"cells\": []}", 13), 0);
    assert_int_equal(results_load(path, &doc, &err), IB_ERR);
    assert_non_null(strstr(err.msg, "/bad.json: schema_version: missing (not a results file?)"));
    assert_null(doc);
    tmpdir_remove(dir);
}

static void test_write_failures_and_names(void **state)
{
    (void)state;
    struct results_doc *doc = results_doc_new();
    /* A new document: this schema, UTC now, not yet complete. */
    assert_string_equal(doc->schema_version, RESULTS_SCHEMA_VERSION);
    assert_int_equal(strlen(doc->generated_at), 20);
    assert_int_equal(doc->generated_at[10], 'T');
    assert_int_equal(doc->generated_at[19], 'Z');
    assert_int_equal(doc->complete, 0);
    results_doc_free(doc);
    doc = fixture_doc_new();
    char *dir = tmpdir_make(), path[4200];
    struct ib_error err = {0};
    snprintf(path, sizeof path, "%s/file", dir);
    assert_int_equal(write_whole_file(path, "x", 1), 0);
    snprintf(path, sizeof path, "%s/file/r.json", dir);
    assert_int_equal(results_write(doc, path, &err), IB_ERR);
    assert_non_null(strstr(err.msg, "/file/r.json: not a directory"));

    /* An existing file is replaced whole; an interrupted run says so. */
    snprintf(path, sizeof path, "%s/r.json", dir);
    assert_int_equal(write_whole_file(path, "old", 3), 0);
    doc->complete = 0;
    assert_int_equal(results_write(doc, path, &err), IB_OK);
    struct results_doc *back;
    assert_int_equal(results_load(path, &back, &err), IB_OK);
    assert_int_equal(back->complete, 0);
    assert_int_equal(back->ncells, 0);
    assert_int_equal(back->headline.verdict, VERDICT_INCOMPLETE);
    results_doc_free(back);

    char name[128];
    results_run_file_name(doc, name, sizeof name);
    assert_string_equal(name, "20261204T103015Z-0123456.json");
    doc->env.git_dirty = 1;
    results_run_file_name(doc, name, sizeof name);
    assert_string_equal(name, "20261204T103015Z-0123456-dirty.json");
    doc->env.git_commit[0] = '\0';
    doc->env.git_dirty = -1;
    results_run_file_name(doc, name, sizeof name);
    assert_string_equal(name, "20261204T103015Z-nogit.json");
    results_doc_free(doc);
    tmpdir_remove(dir);
}

static void test_generator_comparison(void **state)
{
    (void)state;
    struct results_doc *a = fixture_doc_new(), *b = fixture_doc_new();
    char why[128] = "";
    assert_int_equal(results_generator_differs(&a->config, &b->config, why, sizeof why), 0);
    b->config.files = 4;
    assert_int_equal(results_generator_differs(&a->config, &b->config, why, sizeof why), 1);
    assert_string_equal(why, "generator files 6 vs 4");
    b->config.files = 6;
    b->config.seed = 7;
    assert_int_equal(results_generator_differs(&a->config, &b->config, why, sizeof why), 1);
    assert_string_equal(why, "generator seed 1 vs 7");
    b->config.seed = 1;
    b->config.generator.rerun_rate = 0.02;
    assert_int_equal(results_generator_differs(&a->config, &b->config, why, sizeof why), 1);
    assert_string_equal(why, "generator rerun_rate 0.01 vs 0.02");
    b->config.generator.rerun_rate = 0.01;
    snprintf(b->config.generator.dialect, sizeof b->config.generator.dialect, "surefire");
    assert_int_equal(results_generator_differs(&a->config, &b->config, why, sizeof why), 1);
    assert_string_equal(why, "generator dialect 'pytest' vs 'surefire'");

    struct junitgen_options opt = {.results = 10, .files = 3, .seed = 9, .dup_rate = 0.5,
                                   .message_bytes = 50, .module = "m"};
    results_set_generator(&b->config, &opt, "gotest");
    assert_int_equal(b->config.files, 3);
    assert_int_equal(b->config.seed, 9);
    assert_float_equal(b->config.generator.dup_rate, 0.5, 0);
    assert_string_equal(b->config.generator.dialect, "gotest");
    assert_string_equal(b->config.generator.module, "m");
    results_doc_free(a);
    results_doc_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_cell_summarises_and_models),
        cmocka_unit_test(test_add_cell_refusals),
        cmocka_unit_test(test_speedups_and_slopes),
        cmocka_unit_test(test_headline_reproduced),
        cmocka_unit_test(test_headline_not_reproduced),
        cmocka_unit_test(test_headline_incomplete),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_file_matches_readme),
        cmocka_unit_test(test_load_versions_and_errors),
        cmocka_unit_test(test_load_unreadable),
        cmocka_unit_test(test_write_failures_and_names),
        cmocka_unit_test(test_generator_comparison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
