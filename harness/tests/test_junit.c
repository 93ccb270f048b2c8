/* test_junit.c: the JUnit XML reader on every dialect sample and every bad
 * input in fixtures/junit/: exact fields, statuses, messages, error texts and
 * positions. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"

struct tc_copy {
    char *file, *classname, *name, *message;
    double time;
    enum junit_status status;
    int line;
};

struct collected {
    struct tc_copy tc[64];
    int n;
    int stop_after;       /* > 0: the callback fails on that testcase */
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int collect(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    struct collected *c = ctx;
    assert_true(c->n < 64);
    struct tc_copy *t = &c->tc[c->n++];
    t->file = dup_or_null(tc->file);
    t->classname = dup_or_null(tc->classname);
    t->name = dup_or_null(tc->name);
    t->message = tc->message ? strndup(tc->message, tc->message_len) : NULL;
    if (tc->message)
        assert_int_equal(strlen(t->message), tc->message_len);
    t->time = tc->time;
    t->status = tc->status;
    t->line = tc->line;
    if (c->stop_after && c->n == c->stop_after)
        return ib_fail(err, IB_ERR, "stopped by the callback at %s", tc->name);
    return IB_OK;
}

static void collected_free(struct collected *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->tc[i].file), free(c->tc[i].classname);
        free(c->tc[i].name), free(c->tc[i].message);
    }
    c->n = 0;
}

/* Parses fixtures/junit/<name>; returns the status, err filled in. */
static int parse_fixture(const char *name, struct collected *c, struct ib_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/junit/%s", IB_FIXTURES_DIR, name);
    memset(c, 0, sizeof *c);
    ib_error_clear(err);
    return junit_parse_file(path, collect, c, err);
}

static void read_ok(const char *name, struct collected *c, int expected)
{
    struct ib_error err;
    int rc = parse_fixture(name, c, &err);
    if (rc != IB_OK)
        fail_msg("%s: %s", name, err.msg);
    assert_int_equal(c->n, expected);
}

static void expect_tc(const struct tc_copy *t, const char *file, const char *classname,
                      const char *name, enum junit_status status, const char *message,
                      int line)
{
    if (file)
        assert_string_equal(t->file, file);
    else
        assert_null(t->file);
    assert_string_equal(t->classname, classname);
    if (name)
        assert_string_equal(t->name, name);
    else
        assert_null(t->name);
    assert_string_equal(junit_status_name(t->status), junit_status_name(status));
    if (message)
        assert_string_equal(t->message, message);
    else
        assert_null(t->message);
    assert_int_equal(t->line, line);
}

static void test_pytest(void **state)
{
    (void)state;
    struct collected c;
    read_ok("pytest.xml", &c, 5);
    const char *f = "tests/unit/test_math.py";
    expect_tc(&c.tc[0], f, "tests.unit.test_math", "test_add", JUNIT_PASSED, NULL, 4);
    assert_true(c.tc[0].time == 0.001);
    expect_tc(&c.tc[1], f, "tests.unit.test_math", "test_div[2-1]", JUNIT_FAILED,
              "assert 2 == 3\n\na = 2, b = 1\n\n    @pytest.mark.parametrize(\"a,b\", [(2, 1)])\n"
              "    def test_div(a, b):\n>       assert a // b == 3\nE       assert 2 == 3\n\n"
              "tests/unit/test_math.py:10: AssertionError", 5);
    expect_tc(&c.tc[2], f, "tests.unit.test_math", "test_db", JUNIT_ERROR,
              "failed on setup with \"ConnectionError: refused\"\n\n@pytest.fixture\ndef db():\n"
              ">   raise ConnectionError(\"refused\")\nE   ConnectionError: refused", 15);
    assert_true(c.tc[2].time == 0.3);
    expect_tc(&c.tc[3], f, "tests.unit.test_math", "test_windows_only", JUNIT_SKIPPED, NULL, 21);
    expect_tc(&c.tc[4], "tests/unit/test_strings.py", "tests.unit.test_strings",
              "test_unicode_\xc3\xa9", JUNIT_PASSED, NULL, 24);
    collected_free(&c);
}

static void test_surefire(void **state)
{
    (void)state;
    struct collected c;
    read_ok("surefire.xml", &c, 4);
    const char *cls = "com.example.CalculatorTest";
    expect_tc(&c.tc[0], NULL, cls, "addsTwoNumbers", JUNIT_PASSED, NULL, 7);
    expect_tc(&c.tc[1], NULL, cls, "dividesByZero", JUNIT_FAILED,
              "expected: <1> but was: <2>\n\norg.opentest4j.AssertionFailedError: expected: <1> "
              "but was: <2>\n\tat com.example.CalculatorTest.dividesByZero(CalculatorTest.java:21)",
              8);
    expect_tc(&c.tc[2], NULL, cls, "readsConfig", JUNIT_ERROR,
              "config.properties (No such file or directory)\n\njava.io.FileNotFoundException: "
              "config.properties (No such file or directory)\n\tat "
              "com.example.CalculatorTest.readsConfig(CalculatorTest.java:30)", 15);
    expect_tc(&c.tc[3], NULL, cls, "slowPath", JUNIT_SKIPPED, NULL, 19);
    assert_true(c.tc[3].time == 0.0);
    collected_free(&c);
}

static void test_gotest(void **state)
{
    (void)state;
    struct collected c;
    read_ok("gotest.xml", &c, 4);
    expect_tc(&c.tc[0], NULL, "github.com/acme/widget", "TestParse", JUNIT_PASSED, NULL, 7);
    expect_tc(&c.tc[1], NULL, "github.com/acme/widget", "TestRender/empty_input", JUNIT_FAILED,
              "Failed\n\nrender_test.go:42: got \"<nil>\", want \"\"", 8);
    expect_tc(&c.tc[2], NULL, "github.com/acme/widget", "TestNetwork", JUNIT_SKIPPED, NULL, 11);
    expect_tc(&c.tc[3], NULL, "github.com/acme/widget/util", "TestClamp", JUNIT_PASSED, NULL, 16);
    collected_free(&c);
}

static void test_jest(void **state)
{
    (void)state;
    struct collected c;
    read_ok("jest.xml", &c, 3);
    const char *f = "src/__tests__/calculator.test.js";
    expect_tc(&c.tc[0], f, "Calculator adds numbers", "Calculator adds numbers", JUNIT_PASSED,
              NULL, 4);
    expect_tc(&c.tc[1], f, "Calculator divides numbers", "Calculator divides numbers",
              JUNIT_FAILED,
              "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 2\n"
              "Received: 3\n    at Object.<anonymous> (src/__tests__/calculator.test.js:9:27)",
              6);
    expect_tc(&c.tc[2], f, "Calculator pending feature", "Calculator pending feature",
              JUNIT_SKIPPED, NULL, 13);
    collected_free(&c);
}

/* filepath on the suite; no classname; no name; unreadable time; multi-line tag. */
static void test_nunit_like(void **state)
{
    (void)state;
    struct collected c;
    read_ok("nunit.xml", &c, 5);
    const char *f = "src/Acme.Tests/ParserTests.cs", *cls = "Acme.Tests.ParserTests";
    expect_tc(&c.tc[0], f, cls, "ParsesEmptyString", JUNIT_PASSED, NULL, 4);
    expect_tc(&c.tc[1], f, cls, "ParsesNull", JUNIT_ERROR,
              "System.NullReferenceException : Object reference not set to an instance of an "
              "object.\n\nat Acme.Parser.Parse(String s) in src/Acme/Parser.cs:line 14", 5);
    expect_tc(&c.tc[2], f, cls, "ParsesHugeInput", JUNIT_SKIPPED, NULL, 8);
    expect_tc(&c.tc[3], NULL, "", "NoClassname", JUNIT_PASSED, NULL, 13);
    assert_true(c.tc[3].time == 0.0);   /* "1,5" is not a number */
    expect_tc(&c.tc[4], NULL, "Acme.Tests.Misc", NULL, JUNIT_PASSED, NULL, 14);
    assert_true(c.tc[4].time == 0.5);
    collected_free(&c);
}

static void test_nested_suites_inherit_file(void **state)
{
    (void)state;
    struct collected c;
    read_ok("nested_suites.xml", &c, 7);
    expect_tc(&c.tc[0], "suite/root.py", "a.Inherit", "test_inherits_root", JUNIT_PASSED, NULL, 5);
    expect_tc(&c.tc[1], "suite/own.py", "a.Own", "test_suite_filepath", JUNIT_PASSED, NULL, 8);
    expect_tc(&c.tc[2], "case/own.py", "a.Own", "test_own_file", JUNIT_PASSED, NULL, 9);
    /* An empty file attribute names no file: the suite's applies. */
    expect_tc(&c.tc[3], "suite/own.py", "a.Own", "test_empty_file", JUNIT_PASSED, NULL, 10);
    expect_tc(&c.tc[4], "suite/own.py", "a.Deep", "test_deep", JUNIT_PASSED, NULL, 12);
    expect_tc(&c.tc[5], "suite/root.py", "a.Root", "test_after_inner_suites", JUNIT_PASSED, NULL,
              15);
    expect_tc(&c.tc[6], NULL, "b.None", "test_no_file", JUNIT_PASSED, NULL, 18);
    collected_free(&c);
}

/* A testcase inside a testcase is a testcase of its own, reported at its end
 * tag (before its parent); each takes its status from its own children. */
static void test_nested_testcase(void **state)
{
    (void)state;
    struct collected c;
    read_ok("nested_testcase.xml", &c, 4);
    expect_tc(&c.tc[0], NULL, "x.Inner", "inner", JUNIT_PASSED, NULL, 5);
    expect_tc(&c.tc[1], "in/case.py", "x.Deep", "deep", JUNIT_SKIPPED, NULL, 7);
    expect_tc(&c.tc[2], NULL, "x.Outer", "outer", JUNIT_FAILED, "outer failed", 3);
    expect_tc(&c.tc[3], NULL, "x.After", "after", JUNIT_PASSED, NULL, 12);
    collected_free(&c);
}

/* Prefixed names match by their local part; an undeclared prefix is no error. */
static void test_namespaces(void **state)
{
    (void)state;
    struct collected c;
    read_ok("namespaces.xml", &c, 2);
    expect_tc(&c.tc[0], NULL, "n.Space", "test_prefixes", JUNIT_PASSED, NULL, 3);
    expect_tc(&c.tc[1], NULL, "n.Space", "test_declared_prefix", JUNIT_PASSED, NULL, 4);
    collected_free(&c);
}

static void test_cdata(void **state)
{
    (void)state;
    struct collected c;
    read_ok("cdata.xml", &c, 4);
    expect_tc(&c.tc[0], NULL, "c.Cdata", "test_cdata_mixed", JUNIT_FAILED,
              "mixed\n\ntext before <not-a-tag attr=\"x\"> & ]] ]> after & done", 3);
    expect_tc(&c.tc[1], NULL, "c.Cdata", "test_message_only", JUNIT_FAILED,
              "only the attribute", 10);
    expect_tc(&c.tc[2], NULL, "c.Cdata", "test_text_only", JUNIT_ERROR, "only the text", 13);
    expect_tc(&c.tc[3], NULL, "c.Cdata", "test_empty_failure", JUNIT_FAILED, NULL, 18);
    collected_free(&c);
}

/* libxml2 re-escapes '&' in attribute values when entities are not substituted;
 * the reader must hand back the document's characters exactly. */
static void test_ampersands_in_attributes(void **state)
{
    (void)state;
    struct collected c;
    read_ok("ampersands.xml", &c, 2);
    expect_tc(&c.tc[0], "suite&dir/x.py", "a.B&C", "t_a&b", JUNIT_PASSED, NULL, 3);
    expect_tc(&c.tc[1], "f&g.py", "a.B", "t_&<>\"'", JUNIT_FAILED,
              "x && y &#38; z\n\nbody & text", 4);
    collected_free(&c);
}

static void test_encodings(void **state)
{
    (void)state;
    struct collected c;
    read_ok("bom.xml", &c, 1);
    expect_tc(&c.tc[0], NULL, "bom.Test", "test_after_bom", JUNIT_PASSED, NULL, 4);
    assert_true(c.tc[0].time == 0.25);
    collected_free(&c);

    read_ok("utf16.xml", &c, 2);
    expect_tc(&c.tc[0], NULL, "enc.Utf16", "test_gr\xc3\xbc\xc3\x9f" "e_\xe2\x82\xac",
              JUNIT_PASSED, NULL, 4);
    assert_true(c.tc[0].time == 1.5);
    expect_tc(&c.tc[1], NULL, "enc.Utf16", "test_fail", JUNIT_FAILED,
              "\xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9\n\n" "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5);
    collected_free(&c);

    read_ok("latin1.xml", &c, 1);
    expect_tc(&c.tc[0], NULL, "enc.Latin1", "test_caf\xc3\xa9", JUNIT_PASSED, NULL, 3);
    collected_free(&c);
}

/* Precedence: error, then failure, then skipped; the message is the first
 * element of the deciding kind. */
static void test_multiresult(void **state)
{
    (void)state;
    struct collected c;
    read_ok("multiresult.xml", &c, 5);
    expect_tc(&c.tc[0], NULL, "m.Multi", "test_all_three", JUNIT_ERROR,
              "error message\n\nerror text", 3);
    expect_tc(&c.tc[1], NULL, "m.Multi", "test_failure_and_skipped", JUNIT_FAILED, "the failure",
              8);
    expect_tc(&c.tc[2], NULL, "m.Multi", "test_two_failures", JUNIT_FAILED, "first\n\none", 12);
    expect_tc(&c.tc[3], NULL, "m.Multi", "test_two_errors_then_failure", JUNIT_ERROR,
              "first error", 16);
    expect_tc(&c.tc[4], NULL, "m.Multi", "test_skipped_only", JUNIT_SKIPPED, NULL, 21);
    collected_free(&c);
}

static void test_flaky_and_rerun(void **state)
{
    (void)state;
    struct collected c;
    read_ok("flaky.xml", &c, 6);
    const char *cls = "com.example.FlakyTest";
    expect_tc(&c.tc[0], NULL, cls, "flakyFailureOnly", JUNIT_PASSED, NULL, 3);
    expect_tc(&c.tc[1], NULL, cls, "flakyErrorOnly", JUNIT_PASSED, NULL, 8);
    expect_tc(&c.tc[2], NULL, cls, "failedEveryRun", JUNIT_FAILED, "run 1\n\ntrace 1", 11);
    expect_tc(&c.tc[3], NULL, cls, "erroredEveryRun", JUNIT_ERROR, "boom 1", 16);
    expect_tc(&c.tc[4], NULL, cls, "rerunFailureAlone", JUNIT_FAILED,
              "only a rerun\n\nrerun trace", 20);
    expect_tc(&c.tc[5], NULL, cls, "rerunErrorAlone", JUNIT_ERROR, "only a rerun error", 23);
    collected_free(&c);
}

static void expect_error(const char *name, int callbacks, const char *message)
{
    struct collected c;
    struct ib_error err;
    char fixture[256], expected[1024];
    snprintf(fixture, sizeof fixture, "bad/%s", name);
    assert_int_equal(parse_fixture(fixture, &c, &err), IB_ERR);
    snprintf(expected, sizeof expected, "%s/junit/bad/%s:%s", IB_FIXTURES_DIR, name, message);
    assert_string_equal(err.msg, expected);
    assert_int_equal(c.n, callbacks);
    for (int i = 0; i < c.n; i++)
        assert_true(c.tc[i].message == NULL || !strstr(c.tc[i].message, "TOP-SECRET"));
    collected_free(&c);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    expect_error("not_xml.xml", 0, "1:1: start tag expected, '<' not found");
    expect_error("empty.xml", 0, "1:1: document is empty");
    expect_error("truncated.xml", 1, "5:50: premature end of data in tag failure line 5");
    expect_error("invalid_utf8.xml", 0,
                 "3:39: input is not proper utf-8 and declares no other encoding");
    expect_error("undeclared_entity.xml", 0, "4:45: entity 'undeclared' not defined");
    expect_error("entity_bomb.xml", 0, "2:21: doctype not allowed in a junit report");
    expect_error("external_entity.xml", 0, "2:21: doctype not allowed in a junit report");
    expect_error("external_dtd.xml", 0, "2:62: doctype not allowed in a junit report");
    expect_error("wrong_root.xml", 0, "2:9: not a junit report: root element is <nothing>");
    expect_error("mismatched_tag.xml", 1,
                 "5:16: opening and ending tag mismatch: testsuite line 3 and testsuites");
    expect_error("trailing_garbage.xml", 1, "5:1: extra content at the end of the document");
}

static void test_missing_file_and_directory(void **state)
{
    (void)state;
    struct collected c = {0};
    struct ib_error err;
    assert_int_equal(junit_parse_file("/nonexistent/x.xml", collect, &c, &err), IB_ERR);
    assert_string_equal(err.msg, "/nonexistent/x.xml: no such file");
    assert_int_equal(junit_parse_file(IB_FIXTURES_DIR "/junit", collect, &c, &err), IB_ERR);
    assert_string_equal(err.msg, IB_FIXTURES_DIR "/junit: is a directory");
    assert_int_equal(c.n, 0);
}

static void test_callback_error_stops_parse(void **state)
{
    (void)state;
    struct collected c;
    struct ib_error err;
    char path[1024];
    snprintf(path, sizeof path, "%s/junit/pytest.xml", IB_FIXTURES_DIR);
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    assert_int_equal(junit_parse_file(path, collect, &c, &err), IB_ERR);
    assert_string_equal(err.msg, "stopped by the callback at test_div[2-1]");
    assert_int_equal(c.n, 2);
    collected_free(&c);
}

static void test_memory_and_limits(void **state)
{
    (void)state;
    struct collected c = {0};
    struct ib_error err;
    const char *doc = "<testsuites><testsuite><testcase name='m' classname='p.Q' time='2'/>"
                      "</testsuite></testsuites>";
    assert_int_equal(junit_parse_memory(doc, strlen(doc), "mem", collect, &c, &err), IB_OK);
    assert_int_equal(c.n, 1);
    expect_tc(&c.tc[0], NULL, "p.Q", "m", JUNIT_PASSED, NULL, 1);
    assert_true(c.tc[0].time == 2.0);
    collected_free(&c);

    /* libxml2's default depth limit is kept. */
    size_t depth = 300, len = 0;
    char *deep = malloc(depth * 7 + 64);
    len += (size_t)sprintf(deep, "<testsuite>");
    for (size_t i = 0; i < depth; i++)
        len += (size_t)sprintf(deep + len, "<a>");
    assert_int_equal(junit_parse_memory(deep, len, "deep", collect, &c, &err), IB_ERR);
    assert_string_equal(err.msg, "deep:1:780: excessive depth in document: 256");
    free(deep);

    /* A failure message longer than libxml2's text limit is refused, not cut. */
    size_t big = 10000001;
    char *huge = malloc(big + 200);
    len = (size_t)sprintf(huge, "<testsuite><testcase name='h'><failure>");
    memset(huge + len, 'x', big);
    len += big;
    len += (size_t)sprintf(huge + len, "</failure></testcase></testsuite>");
    assert_int_equal(junit_parse_memory(huge, len, "huge", collect, &c, &err), IB_ERR);
    assert_non_null(strstr(err.msg, ": failure message longer than 10000000 bytes"));
    assert_int_equal(strncmp(err.msg, "huge:1:", 7), 0);
    assert_int_equal(c.n, 0);
    free(huge);
}

static int count_only(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    (void)tc, (void)err;
    ++*(int *)ctx;
    return IB_OK;
}

/* Every proper prefix of a document, cut anywhere before the end of its root
 * element, is refused with a position: a partial file is never taken for a
 * complete one. Cuts inside multi-byte UTF-8 and UTF-16 characters included. */
static void expect_every_cut_fails(const char *name, size_t root_end)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/junit/%s", IB_FIXTURES_DIR, name);
    char *doc = read_whole_file(path, &len);
    assert_non_null(doc);
    assert_true(root_end <= len);
    struct ib_error err;
    for (size_t cut = 0; cut < root_end; cut++) {
        int n = 0, line = 0, col = 0;
        if (junit_parse_memory(doc, cut, "cut", count_only, &n, &err) != IB_ERR)
            fail_msg("%s cut at %zu was read as complete (%d testcases)", name, cut, n);
        if (sscanf(err.msg, "cut:%d:%d: ", &line, &col) != 2 || line < 1 || col < 1)
            fail_msg("%s cut at %zu: no position in '%s'", name, cut, err.msg);
    }
    int n = 0;
    assert_int_equal(junit_parse_memory(doc, root_end, "whole", count_only, &n, &err), IB_OK);
    free(doc);
}

static void test_every_truncation_fails(void **state)
{
    (void)state;
    const char *names[] = {"pytest.xml", "surefire.xml", "cdata.xml", "utf16.xml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/junit/%s", IB_FIXTURES_DIR, names[i]);
        free(read_whole_file(path, &len));
        /* Each ends with its root's end tag and one newline (two bytes in UTF-16). */
        expect_every_cut_fails(names[i], len - (i == 3 ? 2 : 1));
    }
}

/* Deterministic byte mutations of a sample: each read either succeeds or fails
 * with a position; none crashes (the ASan build checks memory too). */
static void test_mutations_never_crash(void **state)
{
    (void)state;
    size_t len;
    char *doc = read_whole_file(IB_FIXTURES_DIR "/junit/flaky.xml", &len);
    assert_non_null(doc);
    char *copy = malloc(len);
    uint64_t x = 88172645463325252u;   /* xorshift64 */
    static const char bytes[] = "<>&;\"'/![]-?=\0\xff\xc3 a";
    int ok = 0, failed = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, doc, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            copy[x % len] = bytes[(x >> 32) % (sizeof bytes - 1)];
        }
        int n = 0, line = 0, col = 0;
        struct ib_error err;
        if (junit_parse_memory(copy, len, "m", count_only, &n, &err) == IB_OK) {
            ok++;
        } else {
            failed++;
            if (sscanf(err.msg, "m:%d:%d: ", &line, &col) != 2)
                fail_msg("round %d: no position in '%s'", round, err.msg);
        }
    }
    assert_int_equal(ok + failed, 3000);
    assert_true(failed > 0);
    free(copy);
    free(doc);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(junit_status_name(JUNIT_PASSED), "passed");
    assert_string_equal(junit_status_name(JUNIT_FAILED), "failed");
    assert_string_equal(junit_status_name(JUNIT_ERROR), "error");
    assert_string_equal(junit_status_name(JUNIT_SKIPPED), "skipped");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pytest),
        cmocka_unit_test(test_surefire),
        cmocka_unit_test(test_gotest),
        cmocka_unit_test(test_jest),
        cmocka_unit_test(test_nunit_like),
        cmocka_unit_test(test_nested_suites_inherit_file),
        cmocka_unit_test(test_nested_testcase),
        cmocka_unit_test(test_namespaces),
        cmocka_unit_test(test_cdata),
        cmocka_unit_test(test_ampersands_in_attributes),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_multiresult),
        cmocka_unit_test(test_flaky_and_rerun),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_missing_file_and_directory),
        cmocka_unit_test(test_callback_error_stops_parse),
        cmocka_unit_test(test_memory_and_limits),
        cmocka_unit_test(test_every_truncation_fails),
        cmocka_unit_test(test_mutations_never_crash),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
