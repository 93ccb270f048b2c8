/* test_parse_cli.c: importbench parse as a user runs it: the exact table, the
 * exact JSON shape and values, warnings, and exit codes 0 / 1 / 2. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define BIN IB_IMPORTBENCH_BIN
#define FX IB_FIXTURES_DIR

static json_t *load_json(const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root)
        fail_msg("not JSON (%s): %s", jerr.text, text);
    return root;
}

static long field(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    assert_true(json_is_integer(v));
    return (long)json_integer_value(v);
}

/* Exactly the expected members, with these values. */
static void expect_counts(json_t *obj, const char *path, long tests, long passed, long failed,
                          long errors, long skipped, long keys)
{
    assert_true(json_is_object(obj));
    assert_int_equal(json_object_size(obj), path ? 7 : 6);
    if (path)
        assert_string_equal(json_string_value(json_object_get(obj, "path")), path);
    assert_int_equal(field(obj, "tests"), tests);
    assert_int_equal(field(obj, "passed"), passed);
    assert_int_equal(field(obj, "failed"), failed);
    assert_int_equal(field(obj, "errors"), errors);
    assert_int_equal(field(obj, "skipped"), skipped);
    assert_int_equal(field(obj, "keys"), keys);
}

static void test_table(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "cd '%s' && '%s' parse junit/pytest.xml junit/surefire.xml", FX, BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out,
        "    tests    passed    failed    errors   skipped      keys  file\n"
        "        5         2         1         1         1         5  junit/pytest.xml\n"
        "        4         1         1         1         1         4  junit/surefire.xml\n"
        "        9         3         2         2         2         9  total (2 files)\n");
    assert_string_equal(r.err, "");
    cmd_result_free(&r);

    run_cmd(&r, "cd '%s' && '%s' parse --quiet junit/pytest.xml junit/surefire.xml", FX, BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out,
        "    tests    passed    failed    errors   skipped      keys  file\n"
        "        9         3         2         2         2         9  total (2 files)\n");
    cmd_result_free(&r);
}

/* A directory stands for its files in the job's order; total.keys counts keys
 * distinct over all files, not the sum of the files' figures. */
static void test_json_directory_and_distinct_keys(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "cd '%s' && '%s' parse jobs/dups --json", FX, BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    json_t *root = load_json(r.out);
    assert_int_equal(json_object_size(root), 2);
    json_t *files = json_object_get(root, "files");
    assert_int_equal(json_array_size(files), 2);
    expect_counts(json_array_get(files, 0), "jobs/dups/1_mod_topoA.xml", 3, 2, 1, 0, 0, 3);
    expect_counts(json_array_get(files, 1), "jobs/dups/2_mod_topoB.xml", 4, 2, 1, 0, 1, 4);
    expect_counts(json_object_get(root, "total"), NULL, 7, 4, 2, 0, 1, 4);
    json_decref(root);
    cmd_result_free(&r);

    run_cmd(&r, "cd '%s' && '%s' parse --json jobs/rerun", FX, BIN);
    assert_int_equal(r.exit_code, 0);
    root = load_json(r.out);
    files = json_object_get(root, "files");
    assert_int_equal(json_array_size(files), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(files, 3), "path")),
                        "jobs/rerun/re_run_net_topoA.xml");
    expect_counts(json_object_get(root, "total"), NULL, 9, 4, 2, 2, 1, 7);
    json_decref(root);
    cmd_result_free(&r);
}

static void test_nameless_warned_and_counted(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "cd '%s' && '%s' parse --json junit/nunit.xml", FX, BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err,
        "importbench: junit/nunit.xml:14: testcase has no name (counted, not keyed)\n");
    json_t *root = load_json(r.out);
    expect_counts(json_object_get(root, "total"), NULL, 5, 3, 0, 1, 1, 4);
    json_decref(root);
    cmd_result_free(&r);

    run_cmd(&r, "cd '%s' && '%s' parse --quiet --json junit/nunit.xml", FX, BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    cmd_result_free(&r);
}

/* Unreadable inputs are named, the others still reported, and the exit is 1. */
static void test_unreadable_files(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "cd '%s' && '%s' parse --json junit/bad/truncated.xml junit/gotest.xml "
                "no/such.xml jobs/empty", FX, BIN);
    assert_int_equal(r.exit_code, 1);
    assert_string_equal(r.err,
        "importbench: junit/bad/truncated.xml:5:50: premature end of data in tag failure line 5\n"
        "importbench: no/such.xml: no such file\n"
        "importbench: jobs/empty: no xml files\n");
    json_t *root = load_json(r.out);
    json_t *files = json_object_get(root, "files");
    assert_int_equal(json_array_size(files), 1);
    expect_counts(json_array_get(files, 0), "junit/gotest.xml", 4, 2, 1, 0, 1, 4);
    expect_counts(json_object_get(root, "total"), NULL, 4, 2, 1, 0, 1, 4);
    json_decref(root);
    cmd_result_free(&r);

    /* Failing tests are not a failure to read. */
    run_cmd(&r, "'%s' parse '%s/junit/multiresult.xml'", BIN, FX);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
}

static void test_usage(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "'%s' parse --help", BIN);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(strncmp(r.out, "usage: importbench parse [--json] [--quiet] PATH...\n", 52),
                     0);
    assert_string_equal(r.err, "");
    cmd_result_free(&r);

    run_cmd(&r, "'%s' parse", BIN);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "importbench: parse: no file or directory given "
                               "(see 'importbench parse --help')\n");
    cmd_result_free(&r);

    run_cmd(&r, "'%s' parse --frobnicate '%s/junit/pytest.xml'", BIN, FX);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "importbench: parse: unknown option '--frobnicate' "
                               "(see 'importbench parse --help')\n");
    cmd_result_free(&r);

    run_cmd(&r, "'%s' parse '%s/junit/pytest.xml' -x", BIN, FX);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: parse: unknown option '-x' "
                               "(see 'importbench parse --help')\n");
    cmd_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_json_directory_and_distinct_keys),
        cmocka_unit_test(test_nameless_warned_and_counted),
        cmocka_unit_test(test_unreadable_files),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
