/* test_report.c: the report through its API: the formatting rule, comparison
 * verdicts on constructed pairs, the HTML (well-formed, its tables, one <svg>
 * per plot, nothing left behind), the Markdown rows, escaping of hostile text,
 * and what happens without gnuplot. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "report.h"
#include "report_compare.h"
#include "results.h"
#include "results_fixture.h"

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static int have_gnuplot(void)
{
    struct cmd_result r;
    run_cmd(&r, "gnuplot --version");
    int ok = r.exit_code == 0;
    cmd_result_free(&r);
    if (!ok)
        printf("note: gnuplot is absent; plots are checked as missing\n");
    return ok;
}

static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_format_rule(void **state)
{
    (void)state;
    char b[48];
    const struct {
        double s;
        const char *text;
    } times[] = {
        {0.02, "20.0 ms"}, {40, "40.0 s"}, {4e-5, "40.0 µs"}, {0.4, "400 ms"},
        {1.25e-3, "1.25 ms"}, {0.0009996, "1.00 ms"}, {9.996, "10.0 s"}, {99.96, "100 s"},
        {999.6, "1000 s"}, {1234.5, "1234 s"}, {0, "0 s"}, {NAN, "n/a"}, {-1, "n/a"},
        {2e-4, "200 µs"},
    };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        report_fmt_seconds(times[i].s, b, sizeof b);
        assert_string_equal(b, times[i].text);
    }
    const struct {
        double r;
        const char *text;
    } ratios[] = {{1.25, "1.25×"}, {20, "20.0×"}, {200, "200×"}, {205.66, "206×"},
                  {1234.4, "1234×"}, {0.5, "0.50×"}, {NAN, "n/a"}};
    for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++) {
        report_fmt_ratio(ratios[i].r, b, sizeof b);
        assert_string_equal(b, ratios[i].text);
    }
    report_fmt_count(0, b, sizeof b);
    assert_string_equal(b, "0");
    report_fmt_count(999, b, sizeof b);
    assert_string_equal(b, "999");
    report_fmt_count(10005, b, sizeof b);
    assert_string_equal(b, "10,005");
    report_fmt_count(1234567, b, sizeof b);
    assert_string_equal(b, "1,234,567");
    report_fmt_change(0.123, b, sizeof b);
    assert_string_equal(b, "+12.3%");
    report_fmt_change(-0.005, b, sizeof b);
    assert_string_equal(b, "-0.5%");
    report_fmt_level(0.9375, b, sizeof b);
    assert_string_equal(b, "93.8%");
    assert_int_equal(report_format_from_path("a.html"), REPORT_HTML);
    assert_int_equal(report_format_from_path("r/x.HTM"), REPORT_HTML);
    assert_int_equal(report_format_from_path("x/y.md"), REPORT_MARKDOWN);
    assert_int_equal(report_format_from_path("a.txt"), -1);
    assert_int_equal(report_format_from_path("dir.md/file"), -1);
}

/* A cell of seven runs: median * (1 + spread * k / 3), k = -3..3. */
static void add_spread(struct results_doc *doc, const char *strategy, uint64_t n,
                       double median, double spread)
{
    double times[7], scratch[3];
    struct results_cell c = fixture_cell("seed", "fresh", strategy, n, 20, median, scratch);
    for (int k = 0; k < 7; k++)
        times[k] = median * (1 + spread * (k - 3) / 3.0);
    c.times = times;
    c.ntimes = 7;
    struct ib_error err = {0};
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
}

static enum compare_verdict verdict_of(double base_median, double base_spread,
                                       double cur_median, double cur_spread,
                                       struct compare_result *r)
{
    struct results_doc *base = fixture_doc_new(), *cur = fixture_doc_new();
    add_spread(base, "batch", 1000, base_median, base_spread);
    add_spread(cur, "batch", 1000, cur_median, cur_spread);
    compare_cells(&base->cells[0], &cur->cells[0], COMPARE_THRESHOLD, r);
    results_doc_free(base);
    results_doc_free(cur);
    return r->verdict;
}

static void test_compare_verdicts(void **state)
{
    (void)state;
    struct compare_result r;
    /* 20% slower, runs apart, interval [1.2*0.99/1.01, 1.2*1.01/0.99] beyond 5%. */
    assert_int_equal(verdict_of(1.0, 0.01, 1.2, 0.01, &r), COMPARE_REGRESSED);
    assert_float_equal(r.ratio, 1.2, 1e-12);
    assert_float_equal(r.ratio_low, 1.2 * 0.99 / 1.01, 1e-12);
    assert_float_equal(r.ratio_high, 1.2 * 1.01 / 0.99, 1e-12);
    assert_true(r.p_value < 0.01);
    assert_string_equal(compare_verdict_name(r.verdict), "regressed");
    /* 20% faster. */
    assert_int_equal(verdict_of(1.0, 0.01, 0.8, 0.01, &r), COMPARE_IMPROVED);
    assert_float_equal(r.ratio, 0.8, 1e-12);
    assert_string_equal(compare_verdict_name(r.verdict), "improved");
    /* The same runs: nothing to tell apart. */
    assert_int_equal(verdict_of(1.0, 0.01, 1.0, 0.01, &r), COMPARE_NO_CHANGE);
    assert_float_equal(r.p_value, 1, 1e-12);
    assert_string_equal(compare_verdict_name(r.verdict), "no change");
    /* 1% apart within a spread of +-10%: the runs interleave. */
    assert_int_equal(verdict_of(1.0, 0.1, 1.01, 0.1, &r), COMPARE_NO_CHANGE);
    assert_true(r.p_value >= COMPARE_ALPHA);
    /* 3% slower and every run apart, but the interval [1.02, 1.04] stays
     * below the 5% threshold: a real difference too small to call. */
    assert_int_equal(verdict_of(1.0, 0.003, 1.03, 0.003, &r), COMPARE_WITHIN_NOISE);
    assert_true(r.p_value < COMPARE_ALPHA);
    assert_true(r.ratio_low > 1 && r.ratio_high < 1.05);
    assert_string_equal(compare_verdict_name(r.verdict), "within noise");
    /* 8% slower, apart, but the interval reaches below 5%. */
    assert_int_equal(verdict_of(1.0, 0.02, 1.08, 0.02, &r), COMPARE_WITHIN_NOISE);
    assert_true(r.ratio_low < 1.05 && r.ratio > 1.05);
}

static char *write_report(struct results_doc *doc, enum report_format format,
                          const char *gnuplot, const char *dir, const char *name,
                          struct report_summary *sum)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct report_inputs in = {.current = doc};
    struct report_options opt = {.format = format, .gnuplot = gnuplot};
    struct ib_error err = {0};
    assert_int_equal(report_write(&in, &opt, path, sum, &err), IB_OK);
    char *text = read_whole_file(path, NULL);
    assert_non_null(text);
    return text;
}

/* Well-formed by libxml2 in this process, and by xmllint where installed. */
static void assert_xmllint_accepts(const char *dir, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    xmlDocPtr x = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(x);
    xmlFreeDoc(x);
    struct cmd_result r;
    run_cmd(&r, "xmllint --noout '%s/%s'", dir, name);
    if (r.exit_code == 127) {
        printf("note: xmllint is absent; well-formedness not checked by it\n");
    } else {
        assert_string_equal(r.err, "");
        assert_int_equal(r.exit_code, 0);
    }
    cmd_result_free(&r);
}

static void test_html_well_formed_with_tables_and_plots(void **state)
{
    (void)state;
    char *dir = tmpdir_make(), *tmp = tmpdir_make();
    setenv("TMPDIR", tmp, 1); /* where the plots are drawn: must be left empty */
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    struct report_summary sum;
    int gnuplot = have_gnuplot();
    char *html = write_report(doc, REPORT_HTML, NULL, dir, "r.html", &sum);
    unsetenv("TMPDIR");
    assert_xmllint_accepts(dir, "r.html");
    assert_int_equal(files_in(tmp), 0);
    assert_int_equal(sum.plots + sum.plots_missing, 3);
    assert_string_equal(sum.plots_dir, "");
    assert_int_equal(count_of(html, "<svg"), gnuplot ? 3 : 0);
    assert_int_equal(count_of(html, "<figure>"), gnuplot ? 3 : 0);
    assert_int_equal(sum.plots, gnuplot ? 3 : 0);
    assert_null(strstr(html, "<?xml"));
    assert_true(!strncmp(html, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"",
                         58));
    assert_non_null(strstr(html, "<h2 id=\"s0\">Documented and measured speedups</h2>"));
    assert_non_null(strstr(html, "<h2 id=\"s1\">seed/fresh, 20 earlier jobs</h2>"));
    assert_non_null(strstr(html, "<p class=\"good\">Verdict: reproduced. n1/batch is 100.0x "
                                 "at 5000 (documented 37x) and 200.0x at 10000 (documented "
                                 "60x), growing with N.</p>"));
    /* The headline row at 5000: n1 10 s over batch 100 ms; the interval is
     * 9.9 / 0.101 to 10.1 / 0.099. */
    assert_non_null(strstr(html, "<tr><td class=\"r\">5,000</td>\n<td class=\"r\">37×</td>\n"
                                 "<td class=\"r\">100×</td>\n<td class=\"r\">98.0× – 102×</td>\n"
                                 "<td class=\"good\">yes</td>\n<td>yes</td>\n</tr>"));
    assert_non_null(strstr(html, "<tr><td>batch</td>\n<td class=\"r\">1,000</td>\n"
                                 "<td class=\"r\">3</td>\n<td class=\"r\">20.0 ms</td>\n"));
    assert_int_equal(count_of(html, "<table>"), 9);
    assert_non_null(strstr(html, "<th>full-scan steps</th>"));
    /* Each plot's ids are its own. */
    if (gnuplot) {
        assert_int_equal(count_of(html, "id='p0-gpPt0'"), 1);
        assert_int_equal(count_of(html, "id='p2-gpPt0'"), 1);
        assert_int_equal(count_of(html, "id='gpPt0'"), 0);
    }
    free(html);
    results_doc_free(doc);
    tmpdir_remove(tmp);
    tmpdir_remove(dir);
}

static void test_markdown_rows(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    struct report_summary sum;
    int gnuplot = have_gnuplot();
    char *md = write_report(doc, REPORT_MARKDOWN, NULL, dir, "latest.md", &sum);
    char plots[4200];
    snprintf(plots, sizeof plots, "%s/latest-plots", dir);
    assert_string_equal(sum.plots_dir, plots);
    assert_non_null(strstr(md, "| N | documented | measured n1/batch | interval | reproduced "
                               "| decides |\n| ---: | ---: | ---: | ---: | --- | --- |\n"
                               "| 1,000 | 15× | 20.0× | 19.6× – 20.4× | **yes** | no: too "
                               "noisy alone |\n| 5,000 | 37× | 100× | 98.0× – 102× | **yes** "
                               "| yes |\n| 10,000 | 60× | 200× | 196× – 204× | **yes** | yes "
                               "|\n"));
    assert_non_null(strstr(md, "| n1 | 10,000 | 3 | 40.0 s | 39.6 s – 40.4 s | 75.0% | 39.6 s "
                               "| 40.4 s | 400 ms | 0 |\n"));
    assert_non_null(strstr(md, "| floor | 5,000 | 3 | 80.0 ms | 79.2 ms – 80.8 ms | 75.0% | "
                               "79.2 ms | 80.8 ms | 800 µs | 0 |\n"));
    assert_non_null(strstr(md, "| n1 | 1,000 | 1,005 | 1,003 | 0 | 2 | 1,000 | 540,000 | 0 | "
                               "1,000 | 0 | 0 |\n"));
    assert_non_null(strstr(md, "| batch | 1.00 | 0.99 – 1.01 | 1.000 | 1,000, 5,000, 10,000 |"));
    assert_non_null(strstr(md, "| 10,000 | batch | n1 | 200× | 196× – 204× | 60× |\n"));
    if (gnuplot) {
        assert_int_equal(sum.plots, 3);
        assert_non_null(strstr(md, "![Median time per import over N, seed/fresh, 20 earlier "
                                   "jobs](latest-plots/seed-fresh-h20-time.svg)"));
        const char *kinds[] = {"time", "speedup", "phases"};
        for (int i = 0; i < 3; i++) {
            char svg[4400];
            snprintf(svg, sizeof svg, "%s/seed-fresh-h20-%s.svg", plots, kinds[i]);
            char *text = read_whole_file(svg, NULL);
            assert_non_null(text);
            assert_int_equal(count_of(text, "<svg"), 1);
            free(text);
        }
    }
    free(md);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

static void test_missing_gnuplot_keeps_tables(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    struct report_summary sum;
    char *html = write_report(doc, REPORT_HTML, "/nonexistent/gnuplot", dir, "r.html", &sum);
    assert_xmllint_accepts(dir, "r.html");
    assert_int_equal(sum.plots, 0);
    assert_int_equal(sum.plots_missing, 3);
    assert_string_equal(sum.missing_why, "gnuplot not found ('/nonexistent/gnuplot')");
    assert_int_equal(count_of(html, "<svg"), 0);
    assert_non_null(strstr(html, "<p class=\"warn\">3 plots not drawn (seed-fresh-h20-time, "
                                 "seed-fresh-h20-speedup, seed-fresh-h20-phases): gnuplot not "
                                 "found (&#39;/nonexistent/gnuplot&#39;). The tables are "
                                 "complete.</p>"));
    assert_non_null(strstr(html, "<p class=\"missing\">Plot not drawn: Speedup over n1, "
                                 "seed/fresh, 20 earlier jobs: gnuplot not found"));
    assert_int_equal(count_of(html, "<table>"), 9);
    free(html);

    /* A gnuplot that fails. */
    char *md = write_report(doc, REPORT_MARKDOWN, "/bin/false", dir, "r.md", &sum);
    assert_int_equal(sum.plots_missing, 3);
    assert_string_equal(sum.missing_why, "gnuplot ('/bin/false') failed with exit status 1");
    assert_non_null(strstr(md, "> **3 plots not drawn (seed-fresh-h20-time, "
                               "seed-fresh-h20-speedup, seed-fresh-h20-phases): gnuplot "
                               "('/bin/false') failed with exit status 1. The tables are "
                               "complete.**\n"));
    assert_null(strstr(md, "!["));
    assert_non_null(strstr(md, "| n1 | 10,000 | 3 | 40.0 s |"));
    free(md);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

static void test_hostile_text_is_escaped(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    snprintf(doc->env.cpu_model, sizeof doc->env.cpu_model, "Evil <b>&amp; \"cpu\" \xff\x01");
    double times[3];
    struct results_cell c = fixture_cell("seed", "fresh", "batch", 1000, 20, 0.02, times);
    snprintf(c.lookup_plan, sizeof c.lookup_plan, "SCAN t <x> & 'y' | z");
    struct ib_error err = {0};
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    struct report_summary sum;
    char *html = write_report(doc, REPORT_HTML, "/nonexistent", dir, "r.html", &sum);
    assert_xmllint_accepts(dir, "r.html");
    assert_non_null(strstr(html, "<td>SCAN t &lt;x&gt; &amp; &#39;y&#39; | z</td>"));
    assert_non_null(strstr(html, "<td>Evil &lt;b&gt;&amp;amp; &quot;cpu&quot; "
                                 "\xef\xbf\xbd\xef\xbf\xbd</td>"));
    char *md = write_report(doc, REPORT_MARKDOWN, "/nonexistent", dir, "r.md", &sum);
    assert_non_null(strstr(md, "| batch | 1,000 | SCAN t \\<x\\> & 'y' \\| z |"));
    free(md);
    free(html);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

/* A document without cells, and one with a single cell and no n1. */
static void test_sparse_documents(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct results_doc *doc = fixture_doc_new();
    struct ib_error err = {0};
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    struct report_summary sum;
    char *html = write_report(doc, REPORT_HTML, NULL, dir, "empty.html", &sum);
    assert_xmllint_accepts(dir, "empty.html");
    assert_int_equal(sum.plots + sum.plots_missing, 0);
    assert_non_null(strstr(html, "<p class=\"warn\">Verdict: incomplete. no n1 cell at 5000 "
                                 "(seed/fresh h=20).</p>"));
    assert_non_null(strstr(html, "<td class=\"r\">n/a</td>"));
    free(html);

    fixture_add(doc, "keyed", "fresh", "upsert", 1000, 20, 0.01);
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    int gnuplot = have_gnuplot();
    html = write_report(doc, REPORT_HTML, NULL, dir, "one.html", &sum);
    assert_xmllint_accepts(dir, "one.html");
    assert_int_equal(sum.plots + sum.plots_missing, 2);
    assert_int_equal(count_of(html, "<svg"), gnuplot ? 2 : 0);
    assert_non_null(strstr(html, "<p>No speedup plot: n1 was not measured here.</p>"));
    assert_non_null(strstr(html, "<td>upsert</td>\n<td class=\"r\">1,000</td>\n<td>no "
                                 "lookup</td>"));
    free(html);

    /* Names that meet once made safe for files still get files of their own. */
    fixture_add(doc, "x/y", "fresh", "batch", 1000, 20, 0.01);
    fixture_add(doc, "x_y", "fresh", "batch", 1000, 20, 0.01);
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
    html = write_report(doc, REPORT_HTML, "/nonexistent", dir, "names.html", &sum);
    assert_non_null(strstr(html, "6 plots not drawn (keyed-fresh-h20-time, "
                                 "keyed-fresh-h20-phases, x_y-fresh-h20-time, "
                                 "x_y-fresh-h20-phases, x_y-fresh-h20-time-2, "
                                 "x_y-fresh-h20-phases-2)"));
    free(html);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

static void test_unwritable_output(void **state)
{
    (void)state;
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    struct report_inputs in = {.current = doc};
    struct report_options opt = {.format = REPORT_HTML, .gnuplot = "/nonexistent"};
    struct report_summary sum;
    struct ib_error err = {0};
    assert_int_equal(report_write(&in, &opt, "/nonexistent/dir/r.html", &sum, &err), IB_ERR);
    assert_string_equal(err.msg, "/nonexistent/dir/r.html: cannot write: no such directory");
    results_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_rule),
        cmocka_unit_test(test_compare_verdicts),
        cmocka_unit_test(test_html_well_formed_with_tables_and_plots),
        cmocka_unit_test(test_markdown_rows),
        cmocka_unit_test(test_missing_gnuplot_keeps_tables),
        cmocka_unit_test(test_hostile_text_is_escaped),
        cmocka_unit_test(test_sparse_documents),
        cmocka_unit_test(test_unwritable_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
