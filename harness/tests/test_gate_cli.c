/* test_gate_cli.c: `importbench gate` as CI runs it: exit codes, messages,
 * the verdict lines on stdout, the rules file and the JUnit file. */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"
#include "results.h"
#include "results_fixture.h"

struct files {
    char *dir;
    char base[4200], cur[4200];
};

/* Writes the standard document as both baseline and current; edit (may be
 * NULL) changes the current one first. */
static void write_pair(struct files *f, void (*edit)(struct results_doc *))
{
    f->dir = tmpdir_make();
    snprintf(f->base, sizeof f->base, "%s/baseline.json", f->dir);
    snprintf(f->cur, sizeof f->cur, "%s/latest.json", f->dir);
    struct ib_error err = {0};
    struct results_doc *doc = fixture_doc_new();
    fixture_standard(doc);
    assert_int_equal(results_write(doc, f->base, &err), IB_OK);
    if (edit)
        edit(doc);
    assert_int_equal(results_write(doc, f->cur, &err), IB_OK);
    results_doc_free(doc);
}

static const char *last_line(const char *text)
{
    size_t n = strlen(text);
    if (n && text[n - 1] == '\n')
        n--;
    while (n && text[n - 1] != '\n')
        n--;
    return text + n;
}

static size_t lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static void test_help_and_usage(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "'%s' gate --help", IB_IMPORTBENCH_BIN);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(strncmp(r.out, "usage: importbench gate --baseline FILE CURRENT.json "
                                    "[--junit FILE] [--rules FILE]\n", 80), 0);
    assert_string_equal(r.err, "");
    cmd_result_free(&r);

    static const struct {
        const char *args, *err;
    } cases[] = {
        {"", "importbench: gate: --baseline FILE is required (see 'importbench gate --help')\n"},
        {"--baseline b.json", "importbench: gate: expected one CURRENT.json, got 0\n"},
        {"--baseline b.json x.json y.json", "importbench: gate: expected one CURRENT.json, got 2\n"},
        {"--bogus x.json", "importbench: gate: unknown option '--bogus' (see 'importbench gate "
                           "--help')\n"},
        {"x.json --baseline", "importbench: gate: --baseline needs a value (see 'importbench "
                              "gate --help')\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_cmd(&r, "'%s' gate %s", IB_IMPORTBENCH_BIN, cases[i].args);
        assert_int_equal(r.exit_code, 2);
        assert_string_equal(r.err, cases[i].err);
        assert_string_equal(r.out, "");
        cmd_result_free(&r);
    }
}

static void make_newer(struct results_doc *doc)
{
    snprintf(doc->schema_version, sizeof doc->schema_version, "2.0");
}

static void test_unreadable_input(void **state)
{
    (void)state;
    struct files f;
    write_pair(&f, make_newer);
    struct cmd_result r;
    run_cmd(&r, "'%s' gate --baseline '%s/none.json' '%s'", IB_IMPORTBENCH_BIN, f.dir, f.cur);
    assert_int_equal(r.exit_code, 2);
    char want[8600];
    snprintf(want, sizeof want, "importbench: %s/none.json: no such file or directory\n", f.dir);
    assert_string_equal(r.err, want);
    cmd_result_free(&r);
    run_cmd(&r, "'%s' gate --baseline '%s' '%s'", IB_IMPORTBENCH_BIN, f.base, f.cur);
    assert_int_equal(r.exit_code, 2);
    snprintf(want, sizeof want,
             "importbench: %s: results schema 2.x is newer than this importbench reads (1.x)\n",
             f.cur);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    cmd_result_free(&r);
    tmpdir_remove(f.dir);
}

static void test_pass(void **state)
{
    (void)state;
    struct files f;
    write_pair(&f, NULL);
    struct cmd_result r;
    run_cmd(&r, "'%s' gate --baseline '%s' '%s'", IB_IMPORTBENCH_BIN, f.base, f.cur);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    assert_string_equal(last_line(r.out),
                        "gate: passed: 0 failed, 33 passed, 0 skipped, 10 advisory\n");
    assert_int_equal(lines(r.out), 1 + 43 + 1);
    char head[9000];
    snprintf(head, sizeof head, "gate: %s (0123456789ab, 2026-12-04T10:30:15Z) against baseline "
                                "%s (0123456789ab, 2026-12-04T10:30:15Z)\n",
             f.cur, f.base);
    assert_int_equal(strncmp(r.out, head, strlen(head)), 0);
    cmd_result_free(&r);
    tmpdir_remove(f.dir);
}

static void add_lookups(struct results_doc *doc)
{
    struct results_cell *c =
        (struct results_cell *)results_find_cell(doc, "seed", "fresh", "batch", 5000, 20);
    c->counts.select += 5000;
    c->counts.lookups = 5000;
}

static void test_regression(void **state)
{
    (void)state;
    struct files f;
    write_pair(&f, add_lookups);
    struct cmd_result r;
    run_cmd(&r, "'%s' gate --baseline '%s' '%s'", IB_IMPORTBENCH_BIN, f.base, f.cur);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.out, "\nfail     1 statements  seed/fresh/batch n=5000 h=20   "
                                  "select 5006 (baseline 6), lookups 5000 (baseline 1); allowed: "
                                  "the baseline's exactly: select 6, insert 5003, update 0, "
                                  "other 2, lookups 1\n"));
    assert_string_equal(last_line(r.out),
                        "gate: regression: 1 failed, 32 passed, 0 skipped, 10 advisory\n");
    cmd_result_free(&r);
    tmpdir_remove(f.dir);
}

static void test_junit_after_path(void **state)
{
    (void)state;
    struct files f;
    write_pair(&f, add_lookups);
    char junit[4300];
    snprintf(junit, sizeof junit, "%s/gate.xml", f.dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' gate '%s' --junit '%s' --baseline '%s'", IB_IMPORTBENCH_BIN, f.cur, junit,
            f.base);
    assert_int_equal(r.exit_code, 1);
    cmd_result_free(&r);
    xmlDoc *xml = xmlReadFile(junit, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(xml);
    xmlNode *root = xmlDocGetRootElement(xml);
    xmlChar *tests = xmlGetProp(root, (const xmlChar *)"tests");
    xmlChar *failures = xmlGetProp(root, (const xmlChar *)"failures");
    assert_string_equal((const char *)tests, "43");
    assert_string_equal((const char *)failures, "1");
    xmlFree(tests);
    xmlFree(failures);
    xmlFreeDoc(xml);

    /* An unwritable JUnit path is bad input, not a regression. */
    run_cmd(&r, "'%s' gate '%s' --junit '%s/no/dir/gate.xml' --baseline '%s'",
            IB_IMPORTBENCH_BIN, f.cur, f.dir, f.base);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "/no/dir/gate.xml: no such file or directory\n"));
    cmd_result_free(&r);
    tmpdir_remove(f.dir);
}

static void test_rules_option(void **state)
{
    (void)state;
    struct files f;
    write_pair(&f, NULL);
    char rules[4300];
    snprintf(rules, sizeof rules, "%s/rules.json", f.dir);
    /* batch/floor is 1.25 (at least 1.225 within the CIs): over a 1.1 limit. */
    assert_int_equal(write_whole_file(rules, "{\"floor_ratio\": 1.1}", 20), 0);
    struct cmd_result r;
    run_cmd(&r, "'%s' gate --rules '%s' --baseline '%s' '%s'", IB_IMPORTBENCH_BIN, rules,
            f.base, f.cur);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.out, "\nfail     5 ratio       seed/fresh batch/floor n=1000 h=20 "
                                  "1.25x (1.23 to 1.28 within the CIs); allowed: <= 1.1"));
    assert_string_equal(last_line(r.out),
                        "gate: regression: 3 failed, 30 passed, 0 skipped, 10 advisory\n");
    cmd_result_free(&r);

    assert_int_equal(write_whole_file(rules, "{\"floor\": 1.1}", 14), 0);
    run_cmd(&r, "'%s' gate --rules '%s' --baseline '%s' '%s'", IB_IMPORTBENCH_BIN, rules,
            f.base, f.cur);
    assert_int_equal(r.exit_code, 2);
    char want[9000];
    snprintf(want, sizeof want, "importbench: %s: unknown key 'floor' (known: "
                                "vm_steps_tolerance, max_slope, floor_ratio, n1_speedup, "
                                "time_slowdown, time_p, time_min_runs)\n",
             rules);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    cmd_result_free(&r);
    tmpdir_remove(f.dir);
}

/* Testcases read back by importbench's own JUnit reader, by rule. */
struct junit_tally {
    size_t cases, failures, skipped, by_rule[8];
    char failed_name[160], failed_class[64], failed_message[600];
};

static int tally_case(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    (void)err;
    struct junit_tally *t = ctx;
    static const char *const rules[] = {"", "statements", "vm_steps", "lookup_plan",
                                        "slope", "ratio", "time", "match"};
    t->cases++;
    t->skipped += tc->status == JUNIT_SKIPPED;
    for (int r = 1; r < 8; r++) {
        char cls[64];
        snprintf(cls, sizeof cls, "importbench.gate.%s", rules[r]);
        t->by_rule[r] += !strcmp(tc->classname, cls);
    }
    if (tc->status == JUNIT_FAILED) {
        t->failures++;
        snprintf(t->failed_name, sizeof t->failed_name, "%s", tc->name ? tc->name : "");
        snprintf(t->failed_class, sizeof t->failed_class, "%s", tc->classname);
        snprintf(t->failed_message, sizeof t->failed_message, "%.*s", (int)tc->message_len,
                 tc->message ? tc->message : "");
    }
    return IB_OK;
}

/* The gate's JUnit file, read with junit_parse_file as any JUnit XML: one
 * testcase per rule and cell, the failure where the gate put it. */
static void test_junit_read_back(void **state)
{
    (void)state;
    struct files f;
    write_pair(&f, add_lookups);
    char junit[4300];
    snprintf(junit, sizeof junit, "%s/gate.xml", f.dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' gate --baseline '%s' '%s' --junit '%s'", IB_IMPORTBENCH_BIN, f.base,
            f.cur, junit);
    assert_int_equal(r.exit_code, 1);
    cmd_result_free(&r);
    struct junit_tally t;
    memset(&t, 0, sizeof t);
    struct ib_error err = {0};
    assert_int_equal(junit_parse_file(junit, tally_case, &t, &err), IB_OK);
    /* 9 cells: rules 1-3 and the advisory time once per cell; one batch
     * series for rule 4; 3 batch/floor and 3 n1/batch ratios for rule 5. */
    assert_int_equal(t.by_rule[1], 9);
    assert_int_equal(t.by_rule[2], 9);
    assert_int_equal(t.by_rule[3], 9);
    assert_int_equal(t.by_rule[4], 1);
    assert_int_equal(t.by_rule[5], 6);
    assert_int_equal(t.by_rule[6], 9);
    assert_int_equal(t.by_rule[7], 0);
    assert_int_equal(t.cases, 3 * 9 + 1 + 6 + 9);
    assert_int_equal(t.failures, 1);
    assert_int_equal(t.skipped, 0);
    assert_string_equal(t.failed_name, "seed/fresh/batch n=5000 h=20");
    assert_string_equal(t.failed_class, "importbench.gate.statements");
    assert_non_null(strstr(t.failed_message, "select 5006 (baseline 6), lookups 5000 "
                                             "(baseline 1); allowed: the baseline's exactly"));
    tmpdir_remove(f.dir);
}

/* batch 15% slower in every run of the current side. */
static void slow_batch(struct results_doc *doc)
{
    for (size_t i = 0; i < doc->ncells; i++) {
        struct results_cell *c = &doc->cells[i];
        if (strcmp(c->strategy, "batch"))
            continue;
        for (size_t k = 0; k < c->ntimes; k++)
            c->times[k] *= 1.15;
        stats_summarise(c->times, c->ntimes, &c->summary);
    }
}

/* Eight runs a side, A, B, A, B..., of three samples a cell: rule 6. In each
 * pair every B sample of batch is above every A sample: U = 0 in each of 8
 * strata of 3 + 3, p = erfc(35.5 / sqrt(8 * 5.25) / sqrt 2). */
static void test_compare_times(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    char args[8192] = "";
    struct ib_error err = {0};
    for (int i = 0; i < 16; i++) {
        struct results_doc *doc = fixture_doc_new();
        fixture_standard(doc);
        snprintf(doc->generated_at, sizeof doc->generated_at, "2026-12-04T10:30:%02dZ", 10 + i);
        if (i % 2)
            slow_batch(doc);
        char path[4300];
        snprintf(path, sizeof path, "%s/%c%d.json", dir, i % 2 ? 'b' : 'a', i / 2);
        assert_int_equal(results_write(doc, path, &err), IB_OK);
        results_doc_free(doc);
        size_t used = strlen(args);
        snprintf(args + used, sizeof args - used, " %s'%s'", i % 2 ? "" : "--baseline ", path);
    }
    struct cmd_result r;
    char junit[4300];
    snprintf(junit, sizeof junit, "%s/gate.xml", dir);
    run_cmd(&r, "'%s' gate --compare-times%s --junit '%s'", IB_IMPORTBENCH_BIN, args, junit);
    assert_int_equal(r.exit_code, 1);
    assert_string_equal(r.err, "");
    const char *head = "gate: 8 interleaved runs (0123456789ab) against 8 baseline runs "
                       "(0123456789ab), 2026-12-04T10:30:10Z to 2026-12-04T10:30:25Z\n";
    assert_int_equal(strncmp(r.out, head, strlen(head)), 0);
    assert_non_null(strstr(r.out, "\nfail     6 time        seed/fresh/batch n=1000 h=20   "
                                  "+15.0% pair by pair, p 4.3e-08 (Mann-Whitney within 8 "
                                  "interleaved pairs, 24 + 24 samples); medians 23.00 ms vs "
                                  "20.00 ms; allowed: fails when more than 10% slower with p < "
                                  "0.01\n"));
    assert_null(strstr(r.out, "advisory - time"));
    assert_string_equal(last_line(r.out),
                        "gate: regression: 3 failed, 39 passed, 0 skipped, 1 advisory\n");
    cmd_result_free(&r);
    struct junit_tally t;
    memset(&t, 0, sizeof t);
    assert_int_equal(junit_parse_file(junit, tally_case, &t, &err), IB_OK);
    assert_int_equal(t.by_rule[6], 9);
    assert_int_equal(t.failures, 3);
    assert_string_equal(t.failed_class, "importbench.gate.time");

    static const struct {
        const char *args, *err;
    } bad[] = {
        {"--baseline a.json --baseline b.json c.json",
         "importbench: gate: several baselines need --compare-times (runs interleaved with the "
         "current ones)\n"},
        {"--compare-times --baseline a.json",
         "importbench: gate: expected the current runs after the options, got none\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_cmd(&r, "'%s' gate %s", IB_IMPORTBENCH_BIN, bad[i].args);
        assert_int_equal(r.exit_code, 2);
        assert_string_equal(r.err, bad[i].err);
        cmd_result_free(&r);
    }
    /* The ordinary pair is not interleaved runs: bad usage, not a verdict. */
    run_cmd(&r, "'%s' gate --compare-times --baseline '%s/a0.json' '%s/b0.json'",
            IB_IMPORTBENCH_BIN, dir, dir);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: gate: --compare-times: interleaved runs need two "
                               "at least a side: the baseline has 1, the current 1\n");
    assert_string_equal(r.out, "");
    cmd_result_free(&r);
    tmpdir_remove(dir);
}

static void interrupt(struct results_doc *doc)
{
    doc->complete = 0;
}

static void test_incomplete_current(void **state)
{
    (void)state;
    struct files f;
    write_pair(&f, interrupt);
    struct cmd_result r;
    run_cmd(&r, "'%s' gate --baseline '%s' '%s'", IB_IMPORTBENCH_BIN, f.base, f.cur);
    assert_int_equal(r.exit_code, 2);
    char want[9000];
    snprintf(want, sizeof want, "importbench: gate: %s against %s: the current run was "
                                "interrupted (complete: false); the gate needs a complete run\n",
             f.cur, f.base);
    assert_string_equal(r.err, want);
    cmd_result_free(&r);
    tmpdir_remove(f.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage),
        cmocka_unit_test(test_unreadable_input),
        cmocka_unit_test(test_pass),
        cmocka_unit_test(test_regression),
        cmocka_unit_test(test_junit_after_path),
        cmocka_unit_test(test_rules_option),
        cmocka_unit_test(test_incomplete_current),
        cmocka_unit_test(test_junit_read_back),
        cmocka_unit_test(test_compare_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
