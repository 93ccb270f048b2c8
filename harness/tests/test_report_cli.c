/* test_report_cli.c: `importbench report` as a user runs it: usage and its
 * errors, the Markdown against the figures of the JSON file it read, a
 * comparison with a baseline (verdicts and the gate), hyperfine's exports, and
 * a machine without gnuplot. */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "results.h"
#include "results_fixture.h"

#define BIN IB_IMPORTBENCH_BIN

static char *write_doc(struct results_doc *doc, const char *dir, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct ib_error err = {0};
    assert_int_equal(results_write(doc, path, &err), IB_OK);
    return strdup(path);
}

static char *read_in(const char *dir, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = read_whole_file(path, NULL);
    assert_non_null(text);
    return text;
}

/* The exit code, and stdout and stderr where given; prints all on a mismatch. */
static void expect(int code, const char *out, const char *err, struct cmd_result *r)
{
    if (r->exit_code != code || (out && strcmp(r->out, out)) || (err && strcmp(r->err, err)))
        printf("exit %d\nstdout: %s\nstderr: %s\n", r->exit_code, r->out, r->err);
    assert_int_equal(r->exit_code, code);
    if (out)
        assert_string_equal(r->out, out);
    if (err)
        assert_string_equal(r->err, err);
}

static void test_usage_and_errors(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    char *json = write_doc(doc, dir, "cur.json");
    struct cmd_result r;

    run_cmd(&r, "%s report --help", BIN);
    expect(0, NULL, "", &r);
    assert_true(!strncmp(r.out, "usage: importbench report [options] -o FILE CURRENT.json\n",
                         57));
    cmd_result_free(&r);
    run_cmd(&r, "%s report %s", BIN, json);
    expect(2, "", "importbench: report: -o FILE is required (see 'importbench "
                           "report --help')\n", &r);
    cmd_result_free(&r);
    run_cmd(&r, "%s report -o %s/r.txt %s", BIN, dir, json);
    expect(2, "", NULL, &r);
    assert_non_null(strstr(r.err, "r.txt: cannot tell the format from the extension (.html "
                                  "or .md); give --format\n"));
    cmd_result_free(&r);
    run_cmd(&r, "%s report -o %s/r.html --format pdf %s", BIN, dir, json);
    expect(2, "", "importbench: --format: expected html or md, got 'pdf'\n", &r);
    cmd_result_free(&r);
    run_cmd(&r, "%s report -o %s/r.html --threshold 0 %s", BIN, dir, json);
    expect(2, "", "importbench: --threshold: expected a number from 0.1 to 100, "
                               "got '0'\n", &r);
    cmd_result_free(&r);
    run_cmd(&r, "%s report -o %s/r.html --rules x.json %s", BIN, dir, json);
    expect(2, "", "importbench: report: --rules needs --baseline (the gate compares "
                           "two runs)\n", &r);
    cmd_result_free(&r);
    run_cmd(&r, "%s report -o %s/r.html %s %s", BIN, dir, json, json);
    expect(2, "", "importbench: report: expected one results file, got 2\n", &r);
    cmd_result_free(&r);
    run_cmd(&r, "%s report -o %s/r.html %s/none.json", BIN, dir, dir);
    expect(2, "", NULL, &r);
    assert_non_null(strstr(r.err, "/none.json: no such file or directory\n"));
    cmd_result_free(&r);
    run_cmd(&r, "%s report -o %s/r.html --hyperfine %s/none %s", BIN, dir, dir, json);
    expect(2, "", NULL, &r);
    assert_non_null(strstr(r.err, "/none: no such directory\n"));
    cmd_result_free(&r);
    /* Options after the path; a directory that is not there: exit 1. */
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report %s -o %s/no/r.md", BIN, json, dir);
    expect(1, "", NULL, &r);
    assert_non_null(strstr(r.err, "/no/r.md: cannot write: no such directory\n"));
    cmd_result_free(&r);
    free(json);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

/* Every cell's row of the times table, built from the JSON file's figures by
 * the documented rule, is in the Markdown. */
static void test_markdown_matches_json(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    char *json = write_doc(doc, dir, "cur.json");
    results_doc_free(doc);
    struct cmd_result r;
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report --format md %s -o %s/out.markdown", BIN,
            json, dir);
    char want_out[4400];
    snprintf(want_out, sizeof want_out, "wrote %s/out.markdown\n", dir);
    expect(0, want_out, "importbench: report: 3 plots not drawn: gnuplot not found "
                              "('/nonexistent')\n", &r);
    cmd_result_free(&r);
    char *md = read_in(dir, "out.markdown");

    json_error_t jerr;
    json_t *root = json_load_file(json, 0, &jerr);
    assert_non_null(root);
    json_t *cells = json_object_get(root, "cells");
    assert_int_equal(json_array_size(cells), 9);
    for (size_t i = 0; i < json_array_size(cells); i++) {
        json_t *c = json_array_get(cells, i);
        char n[48], median[48], lo[48], hi[48], level[48], min[48], max[48], mad[48], row[512];
        report_fmt_count((uint64_t)json_integer_value(json_object_get(c, "n")), n, sizeof n);
        report_fmt_seconds(json_real_value(json_object_get(c, "median")), median, sizeof median);
        report_fmt_seconds(json_real_value(json_object_get(c, "ci_low")), lo, sizeof lo);
        report_fmt_seconds(json_real_value(json_object_get(c, "ci_high")), hi, sizeof hi);
        report_fmt_level(json_real_value(json_object_get(c, "ci_level")), level, sizeof level);
        report_fmt_seconds(json_real_value(json_object_get(c, "min")), min, sizeof min);
        report_fmt_seconds(json_real_value(json_object_get(c, "max")), max, sizeof max);
        report_fmt_seconds(json_real_value(json_object_get(c, "mad")), mad, sizeof mad);
        snprintf(row, sizeof row, "\n| %s | %s | %zu | %s | %s – %s | %s | %s | %s | %s | %lld |\n",
                 json_string_value(json_object_get(c, "strategy")), n,
                 json_array_size(json_object_get(c, "times")), median, lo, hi, level, min, max,
                 mad, (long long)json_integer_value(json_object_get(c, "outliers")));
        if (!strstr(md, row))
            printf("missing row:%s", row);
        assert_non_null(strstr(md, row));
    }
    json_decref(root);
    /* And one by hand: batch at 5000, median 2e-5 * 5000 s. */
    assert_non_null(strstr(md, "\n| batch | 5,000 | 3 | 100 ms | 99.0 ms – 101 ms | 75.0% | "
                               "99.0 ms | 101 ms | 1.00 ms | 0 |\n"));
    free(md);
    free(json);
    tmpdir_remove(dir);
}

/* A document of seven-run cells, each median * (1 + 0.003 k), k = -3..3. */
static void add7(struct results_doc *doc, const char *strategy, uint64_t n, double median)
{
    double times[7], scratch[3];
    struct results_cell c = fixture_cell("seed", "fresh", strategy, n, 20, median, scratch);
    for (int k = 0; k < 7; k++)
        times[k] = median * (1 + 0.003 * (k - 3));
    c.times = times;
    c.ntimes = 7;
    struct ib_error err = {0};
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
}

static struct results_doc *doc7(double batch1k, double batch5k, double n1_10k)
{
    struct results_doc *doc = fixture_doc_new();
    const uint64_t sizes[] = {1000, 5000, 10000};
    for (int i = 0; i < 3; i++) {
        double n = (double)sizes[i];
        add7(doc, "n1", sizes[i], 4e-7 * n * n * (i == 2 ? n1_10k : 1));
        add7(doc, "batch", sizes[i], 2e-5 * n * (i == 0 ? batch1k : i == 1 ? batch5k : 1));
        add7(doc, "floor", sizes[i], 1.6e-5 * n);
    }
    struct ib_error err = {0};
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    return doc;
}

static void test_baseline_comparison_and_gate(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *base = doc7(1, 1, 1), *cur = doc7(1.5, 1.03, 0.8);
    char *base_json = write_doc(base, dir, "base.json"), *cur_json = write_doc(cur, dir, "cur.json");
    struct cmd_result r;
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report %s --baseline %s -o %s/cmp.md", BIN,
            cur_json, base_json, dir);
    expect(0, NULL, NULL, &r);
    cmd_result_free(&r);
    char *md = read_in(dir, "cmp.md");
    /* +50%: interval 1.5 * 0.991 / 1.009 to 1.5 * 1.009 / 0.991; seven runs
     * apart from seven: U = 0, p = 0.0017. */
    assert_non_null(strstr(md, "| seed/fresh/batch n=1000 h=20 | 20.0 ms | 30.0 ms | +50.0% | "
                               "+47.3% – +52.7% | 0.002 | **regressed** |\n"));
    assert_non_null(strstr(md, "| seed/fresh/batch n=5000 h=20 | 100 ms | 103 ms | +3.0% | "
                               "+1.2% – +4.9% | 0.002 | within noise |\n"));
    assert_non_null(strstr(md, "| seed/fresh/n1 n=10000 h=20 | 40.0 s | 32.0 s | -20.0% | "
                               "-21.4% – -18.5% | 0.002 | **improved** |\n"));
    assert_non_null(strstr(md, "| seed/fresh/floor n=1000 h=20 | 16.0 ms | 16.0 ms | +0.0% | "
                               "-1.8% – +1.8% | 1.000 | no change |\n"));
    assert_non_null(strstr(md, "1 regressed, 1 improved, 1 within noise, 6 no change; 0 cells "
                               "only in the current run, 0 only in the baseline."));
    /* batch / floor at 1000 is now 1.875, above the gate's 1.5. */
    assert_non_null(strstr(md, "> **Gate: regression: 1 failed,"));
    assert_non_null(strstr(md, "| **fail** | ratio | seed/fresh batch/floor n=1000 h=20 |"));
    assert_non_null(strstr(md, "Baseline: commit 0123456789ab, run of 2026-12-04T10:30:15Z, "
                               "9 cells."));
    free(md);

    /* An interrupted run: the report says why the gate did not run. */
    cur->complete = 0;
    free(cur_json);
    cur_json = write_doc(cur, dir, "cur.json");
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report %s --baseline %s -o %s/cmp.md", BIN,
            cur_json, base_json, dir);
    expect(0, NULL, NULL, &r);
    cmd_result_free(&r);
    md = read_in(dir, "cmp.md");
    assert_non_null(strstr(md, "> **The gate did not run: the current run was interrupted "
                               "(complete: false); the gate needs a complete run.**\n"));
    assert_non_null(strstr(md, "> **This run was interrupted: the report shows what was "
                               "measured before it stopped.**\n"));
    free(md);
    free(base_json);
    free(cur_json);
    results_doc_free(base);
    results_doc_free(cur);
    tmpdir_remove(dir);
}

static const char hyperfine_export[] =
    "{\"results\": [\n"
    " {\"command\": \"import seed/fresh/n1 n=1000\", \"mean\": 0.45, \"stddev\": 0.01,"
    "  \"median\": 0.449, \"user\": 0.3, \"system\": 0.01, \"min\": 0.44, \"max\": 0.47,"
    "  \"times\": [0.44, 0.449, 0.45, 0.46, 0.47],"
    "  \"parameters\": {\"profile\": \"seed\", \"scenario\": \"fresh\", \"history\": \"20\","
    "                  \"strategy\": \"n1\", \"n\": \"1000\"}},\n"
    " {\"command\": \"import seed/fresh/batch n=1000\", \"mean\": 0.06, \"stddev\": 0.002,"
    "  \"median\": 0.059, \"user\": 0.03, \"system\": 0.01, \"min\": 0.057, \"max\": 0.064,"
    "  \"times\": [0.057, 0.058, 0.059, 0.062, 0.064],"
    "  \"parameters\": {\"profile\": \"seed\", \"scenario\": \"fresh\", \"history\": \"20\","
    "                  \"strategy\": \"batch\", \"n\": \"1k\"}}\n"
    "]}\n";

static void test_hyperfine_figures(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    char *json = write_doc(doc, dir, "cur.json");
    char hf[4400], path[4500];
    snprintf(hf, sizeof hf, "%s/hf", dir);
    struct cmd_result r;
    run_cmd(&r, "mkdir '%s'", hf);
    cmd_result_free(&r);
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report %s --hyperfine %s -o %s/r.md", BIN, json,
            hf, dir);
    expect(2, "", NULL, &r);
    assert_non_null(strstr(r.err, "/hf: no hyperfine exports (*.json) here\n"));
    cmd_result_free(&r);

    snprintf(path, sizeof path, "%s/seed-fresh.json", hf);
    assert_int_equal(write_whole_file(path, hyperfine_export, strlen(hyperfine_export)), 0);
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report %s --hyperfine %s -o %s/r.md", BIN, json,
            hf, dir);
    expect(0, NULL, NULL, &r);
    cmd_result_free(&r);
    char *md = read_in(dir, "r.md");
    assert_non_null(strstr(md, "| seed/fresh | 1,000 | n1 | 400 ms | 20.0× | 450 ms ± 10.0 ms "
                               "| 449 ms | 440 ms | 470 ms | 5 | 7.50× |\n"));
    assert_non_null(strstr(md, "| seed/fresh | 1,000 | batch | 20.0 ms | 1.00× | 60.0 ms ± "
                               "2.00 ms | 59.0 ms | 57.0 ms | 64.0 ms | 5 | 1.00× |\n"));
    free(md);

    /* An export without the parameters that name its cells. */
    static const char bare[] = "{\"results\": [{\"command\": \"x\", \"mean\": 1, \"stddev\": 0,"
                               " \"median\": 1, \"min\": 1, \"max\": 1, \"times\": [1]}]}";
    snprintf(path, sizeof path, "%s/z.json", hf);
    assert_int_equal(write_whole_file(path, bare, strlen(bare)), 0);
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report %s --hyperfine %s -o %s/r.md", BIN, json,
            hf, dir);
    expect(2, "", NULL, &r);
    assert_non_null(strstr(r.err, "/hf/z.json: results[0].parameters: expected an object (run "
                                  "hyperfine with --parameter-list, as "
                                  "scripts/hyperfine-import does)\n"));
    cmd_result_free(&r);
    free(json);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

/* scripts/hyperfine-import end to end on a tiny job, read back by report. */
static void test_hyperfine_script(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "hyperfine --version");
    int have = r.exit_code == 0;
    cmd_result_free(&r);
    if (!have) {
        printf("skipped: scripts/hyperfine-import needs hyperfine, which is absent\n");
        return;
    }
    char *dir = tmpdir_make();
    run_cmd(&r, "%s/scripts/hyperfine-import --bin %s --junitgen %s --sizes 50 --profiles app "
            "--strategies batch,floor --scenarios fresh,reimport --history 1 --runs 2 "
            "--warmup 0 --out %s/hf --work %s/work", IB_SOURCE_DIR, BIN, IB_JUNITGEN_BIN, dir,
            dir);
    expect(0, NULL, NULL, &r);
    assert_non_null(strstr(r.err, "hyperfine-import: app/reimport: floor left out: it needs "
                                  "an empty job\n"));
    cmd_result_free(&r);
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    char *json = write_doc(doc, dir, "cur.json");
    run_cmd(&r, "IB_GNUPLOT=/nonexistent %s report %s --hyperfine %s/hf -o %s/r.md", BIN, json,
            dir, dir);
    expect(0, NULL, NULL, &r);
    cmd_result_free(&r);
    char *md = read_in(dir, "r.md");
    const char *rows[] = {"| app/fresh | 50 | batch | n/a | n/a | ",
                          "| app/fresh | 50 | floor | n/a | n/a | ",
                          "| app/reimport | 50 | batch | n/a | n/a | "};
    for (int i = 0; i < 3; i++) {
        const char *row = strstr(md, rows[i]);
        assert_non_null(row);
        /* The tenth column is the number of runs. */
        const char *p = row;
        for (int col = 0; col < 9; col++) {
            p = strchr(p + 1, '|');
            assert_non_null(p);
        }
        assert_true(!strncmp(p, "| 2 | ", 6));
    }
    assert_null(strstr(md, "| app/reimport | 50 | floor |"));
    free(md);
    free(json);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

static void test_without_gnuplot_on_path(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    char *json = write_doc(doc, dir, "cur.json");
    struct cmd_result r;
    run_cmd(&r, "env -u IB_GNUPLOT PATH=/nonexistent %s report %s -o %s/r.html", BIN, json, dir);
    expect(0, NULL, "importbench: report: 3 plots not drawn: gnuplot not found "
                               "('gnuplot')\n", &r);
    cmd_result_free(&r);
    char *html = read_in(dir, "r.html");
    assert_null(strstr(html, "<svg"));
    assert_non_null(strstr(html, "3 plots not drawn (seed-fresh-h20-time, "
                                 "seed-fresh-h20-speedup, seed-fresh-h20-phases): gnuplot not "
                                 "found (&#39;gnuplot&#39;). The tables are complete."));
    assert_non_null(strstr(html, "<th>EXPLAIN QUERY PLAN of the lookup</th>"));
    free(html);
    free(json);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_and_errors),
        cmocka_unit_test(test_markdown_matches_json),
        cmocka_unit_test(test_baseline_comparison_and_gate),
        cmocka_unit_test(test_hyperfine_figures),
        cmocka_unit_test(test_hyperfine_script),
        cmocka_unit_test(test_without_gnuplot_on_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
