/* test_hostile_reader.c: the JUnit reader on hostile and broken input: the
 * committed cases of fixtures/hostile/ and cases generated at test time into a
 * temporary directory (entity bombs, nesting past libxml2's depth limit, 10 MB
 * and larger attributes, names and texts, a file truncated at every byte).
 * Each asserts the exact error text and position, how many testcases reached
 * the callback, and that no secret file's content ever did.
 *
 * The limits, as libxml2 2.9 applies them without XML_PARSE_HUGE (which the
 * reader never sets) and as the tests pin them down:
 * - depth: 257 nested elements are read, the 258th is "excessive depth";
 * - a failure's text: up to 10,000,000 bytes, handed over whole; one byte more
 *   is refused (the reader's limit, libxml2's text node limit); a CDATA section
 *   has the same limit (libxml2's);
 * - an attribute value: 10,000,000 bytes at most, and a start tag whose
 *   attributes reach about that size is refused too ("tag longer than
 *   10000000 bytes"); a stored message is the attribute, a blank line and the
 *   text, so it can reach 20,000,002 bytes;
 * - a name: 50,000 bytes. */
#define _GNU_SOURCE   /* memmem */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "junit.h"

#define SECRET "TOP-SECRET-CONTENT"

struct tally {
    int n;
    size_t last_message_len;
    int leaked;                 /* the secret reached a callback */
};

static int leaks(const char *s, size_t n)
{
    return s && n >= strlen(SECRET) && memmem(s, n, SECRET, strlen(SECRET)) != NULL;
}

static int count(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    (void)err;
    struct tally *t = ctx;
    t->n++;
    t->last_message_len = tc->message ? tc->message_len : 0;
    t->leaked |= leaks(tc->message, tc->message_len) ||
                 leaks(tc->name, tc->name ? strlen(tc->name) : 0) ||
                 leaks(tc->classname, strlen(tc->classname)) ||
                 leaks(tc->file, tc->file ? strlen(tc->file) : 0);
    return IB_OK;
}

/* Parses path; asserts the status, the error text after "path:" and the
 * number of callbacks; returns the tally. */
static struct tally expect_parse(const char *path, int status, const char *error,
                                 int callbacks)
{
    struct tally t = {0, 0, 0};
    struct ib_error err;
    ib_error_clear(&err);
    int rc = junit_parse_file(path, count, &t, &err);
    if (rc != status)
        fail_msg("%s: status %d, expected %d (%s)", path, rc, status, err.msg);
    if (error) {
        char expected[2048];
        snprintf(expected, sizeof expected, "%s:%s", path, error);
        assert_string_equal(err.msg, expected);
        assert_null(strstr(err.msg, SECRET));
    }
    assert_int_equal(t.n, callbacks);
    assert_false(t.leaked);
    return t;
}

static void expect_fixture(const char *name, int status, const char *error, int callbacks)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/hostile/%s", IB_FIXTURES_DIR, name);
    expect_parse(path, status, error, callbacks);
}

static void test_fixtures(void **state)
{
    (void)state;
    expect_fixture("bad_encoding_eucjp.xml", IB_ERR,
                   "1:38: input conversion failed due to input error, bytes 0xFF 0xFF 0x62 "
                   "0x22", 0);
    expect_fixture("bad_utf16_surrogate.xml", IB_ERR,
                   "1:1: input conversion failed due to input error, bytes 0x00 0xD8 0x41 "
                   "0x00", 0);
    expect_fixture("unknown_encoding.xml", IB_ERR,
                   "1:50: unsupported encoding x-no-such-encoding", 0);
    expect_fixture("nul_byte.xml", IB_ERR, "3:36: char 0x0 out of allowed range", 0);
    expect_fixture("nul_char_ref.xml", IB_ERR,
                   "3:55: xmlParseCharRef: invalid xmlChar value 0", 0);
    expect_fixture("parameter_entity.xml", IB_ERR,
                   "2:21: doctype not allowed in a junit report", 0);
    /* XInclude is never processed: the include element is just an element. */
    struct tally t;
    char path[1024];
    snprintf(path, sizeof path, "%s/hostile/xinclude.xml", IB_FIXTURES_DIR);
    t = expect_parse(path, IB_OK, NULL, 1);
    assert_int_equal(t.last_message_len, strlen("included"));
    expect_fixture("stylesheet_pi.xml", IB_OK, NULL, 1);
}

static void put_fill(FILE *f, char ch, size_t n)
{
    char block[65536];
    memset(block, ch, sizeof block);
    for (size_t left = n; left > 0;) {
        size_t k = left < sizeof block ? left : sizeof block;
        assert_int_equal(fwrite(block, 1, k, f), k);
        left -= k;
    }
}

/* A generated file: head, then fill repeated n times, then tail. */
static char *gen(const char *dir, const char *name, const char *head, const char *fill,
                 size_t n, const char *tail)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    assert_non_null(path);
    sprintf(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(head, f);
    if (strlen(fill) == 1) {
        put_fill(f, fill[0], n);
    } else {
        for (size_t i = 0; i < n; i++)
            fputs(fill, f);
    }
    fputs(tail, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

#define CASE_HEAD "<testsuite><testcase name=\"t\" classname=\"c\">"
#define CASE_TAIL "</testcase></testsuite>"

/* Billion laughs and its quadratic cousin: refused at the doctype's name,
 * before any entity is declared, so neither time nor memory is spent on it. */
static void test_entity_bombs(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    char decl[4096] = "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite [\n"
                      "<!ENTITY l0 \"lol\">\n";
    for (int i = 1; i <= 9; i++) {
        size_t len = strlen(decl);
        snprintf(decl + len, sizeof decl - len, "<!ENTITY l%d \"", i);
        for (int k = 0; k < 10; k++) {
            len = strlen(decl);
            snprintf(decl + len, sizeof decl - len, "&l%d;", i - 1);
        }
        strcat(decl, "\">\n");
    }
    strcat(decl, "]>\n<testsuite><testcase name=\"t\" classname=\"c\"><failure>");
    char *p = gen(dir, "laughs.xml", decl, "&l9;", 1, "</failure>" CASE_TAIL);
    expect_parse(p, IB_ERR, "2:21: doctype not allowed in a junit report", 0);
    free(p);

    /* One 100 kB entity referenced 100,000 times: 10 GB if expanded. */
    FILE *f;
    char *big = malloc(100000 + 1);
    memset(big, 'x', 100000);
    big[100000] = '\0';
    char *head = malloc(100000 + 256);
    sprintf(head, "<!DOCTYPE testsuite [<!ENTITY x \"%s\">]>\n" CASE_HEAD "<failure>", big);
    p = gen(dir, "quadratic.xml", head, "&x;", 100000, "</failure>" CASE_TAIL);
    expect_parse(p, IB_ERR, "1:21: doctype not allowed in a junit report", 0);
    free(p), free(head), free(big);

    /* An external entity naming a local file by absolute path. */
    char secret[4200], doc[8600];
    snprintf(secret, sizeof secret, "%s/secret.txt", dir);
    assert_non_null(f = fopen(secret, "w"));
    fputs(SECRET "\n", f);
    fclose(f);
    snprintf(doc, sizeof doc, "<!DOCTYPE testsuite [<!ENTITY s SYSTEM \"file://%s\">]>\n"
             CASE_HEAD "<failure>&s;</failure>", secret);
    p = gen(dir, "xxe_absolute.xml", doc, "", 0, CASE_TAIL);
    expect_parse(p, IB_ERR, "1:21: doctype not allowed in a junit report", 0);
    free(p);
    tmpdir_remove(dir);
}

static void test_depth(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    /* 257 elements deep: read. 258: refused, at the 258th start tag (col 11 * 257 + 1). */
    char *p = gen(dir, "deep257.xml", "<testsuite>", "<testsuite>", 256, "");
    FILE *f = fopen(p, "ab");
    for (int i = 0; i < 257; i++)
        fputs("</testsuite>", f);
    fclose(f);
    expect_parse(p, IB_OK, NULL, 0);
    free(p);
    p = gen(dir, "deep258.xml", "<testsuite>", "<testsuite>", 257, "");
    expect_parse(p, IB_ERR, "1:2828: excessive depth in document: 256", 0);
    free(p);
    /* Testcases nested 256 deep in one another: each is one, innermost first. */
    p = gen(dir, "cases256.xml", "<testsuite>", "<testcase name=\"n\">", 256, "");
    f = fopen(p, "ab");
    for (int i = 0; i < 256; i++)
        fputs("</testcase>", f);
    fputs("</testsuite>", f);
    fclose(f);
    expect_parse(p, IB_OK, NULL, 256);
    free(p);
    tmpdir_remove(dir);
}

static void test_big_attributes_and_names(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    char *p = gen(dir, "attr12mb.xml", CASE_HEAD "<failure message=\"", "a", 12u << 20,
                  "\"/>" CASE_TAIL);
    expect_parse(p, IB_ERR, "1:10000064: attValue length too long", 0);
    free(p);
    p = gen(dir, "name12mb.xml", "<testsuite><testcase name=\"", "n", 12u << 20,
            "\" classname=\"c\"/></testsuite>");
    expect_parse(p, IB_ERR, "1:10000029: attValue length too long", 0);
    free(p);
    /* Just under the attribute limit, the tag as a whole is too long. */
    p = gen(dir, "attr10mb.xml", CASE_HEAD "<failure message=\"", "a", 10000000,
            "\"/>" CASE_TAIL);
    expect_parse(p, IB_ERR, "1:10000002: tag longer than 10000000 bytes", 0);
    free(p);
    p = gen(dir, "attr9mb.xml", CASE_HEAD "<failure message=\"", "a", 9000000,
            "\"/>" CASE_TAIL);
    struct tally t = expect_parse(p, IB_OK, NULL, 1);
    assert_int_equal(t.last_message_len, 9000000);
    free(p);
    p = gen(dir, "element_name.xml", "<testsuite><", "e", 60000, "/></testsuite>");
    expect_parse(p, IB_ERR, "1:60013: name too long: NCName", 0);
    free(p);
    tmpdir_remove(dir);
}

static void test_message_limit(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    char *p = gen(dir, "text_at_limit.xml", CASE_HEAD "<failure>", "x", 10000000,
                  "</failure>" CASE_TAIL);
    struct tally t = expect_parse(p, IB_OK, NULL, 1);
    assert_int_equal(t.last_message_len, 10000000);
    free(p);
    p = gen(dir, "text_over_limit.xml", CASE_HEAD "<failure>", "x", 10000001,
            "</failure>" CASE_TAIL);
    expect_parse(p, IB_ERR, "1:10000055: failure message longer than 10000000 bytes", 0);
    free(p);
    /* On many lines, the error names the line where the limit was crossed. */
    p = gen(dir, "text_lines.xml", "<testsuite>\n<testcase name=\"t\">\n<failure>",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxxxxxxxxxxxxxxxx\n", 100001, "</failure>" CASE_TAIL);
    expect_parse(p, IB_ERR, "100004:1: failure message longer than 10000000 bytes", 0);
    free(p);
    p = gen(dir, "cdata_over_limit.xml", CASE_HEAD "<failure><![CDATA[", "x", 10000001,
            "]]></failure>" CASE_TAIL);
    expect_parse(p, IB_ERR, "1:10000066: cdata section longer than 10000000 bytes", 0);
    free(p);
    /* The longest message there can be: attribute, blank line, text. */
    p = gen(dir, "both_near_limit.xml", CASE_HEAD "<failure message=\"", "m", 9000000, "\">");
    FILE *f = fopen(p, "ab");
    put_fill(f, 't', 10000000);
    fputs("</failure>" CASE_TAIL, f);
    fclose(f);
    t = expect_parse(p, IB_OK, NULL, 1);
    assert_int_equal(t.last_message_len, 9000000 + 2 + 10000000);
    free(p);
    tmpdir_remove(dir);
}

/* A file whose read fails (for root too, which chmod 000 does not stop):
 * /proc/self/mem at offset 0 gives EIO. The read error is what is reported,
 * not libxml2's "document is empty" that follows it. */
static void test_read_error(void **state)
{
    (void)state;
    struct stat st;
    if (stat("/proc/self/mem", &st) != 0) {
        printf("skipped: /proc/self/mem is absent (not Linux)\n");
        return;
    }
    expect_parse("/proc/self/mem", IB_ERR, " read error: input/output error", 0);
}

/* Every proper prefix of a good report fails with a positioned error: a
 * partial file is never taken for a complete one. */
static void test_truncated_everywhere(void **state)
{
    (void)state;
    size_t len;
    char path[1024];
    snprintf(path, sizeof path, "%s/junit/pytest.xml", IB_FIXTURES_DIR);
    char *doc = read_whole_file(path, &len);
    assert_non_null(doc);
    while (len > 0 && (doc[len - 1] == '\n' || doc[len - 1] == ' '))
        len--;                                /* trailing blanks are not content */
    int failures = 0;
    for (size_t cut = 0; cut < len; cut++) {
        struct tally t = {0, 0, 0};
        struct ib_error err;
        ib_error_clear(&err);
        int rc = junit_parse_memory(doc, cut, "cut.xml", count, &t, &err);
        if (rc != IB_ERR || strncmp(err.msg, "cut.xml:", 8) != 0 || t.n > 5)
            fail_msg("prefix of %zu bytes: status %d, %d testcases, '%s'", cut, rc, t.n,
                     err.msg);
        failures++;
    }
    assert_int_equal((size_t)failures, len);
    struct tally t = {0, 0, 0};
    struct ib_error err;
    assert_int_equal(junit_parse_memory(doc, len, "whole.xml", count, &t, &err), IB_OK);
    assert_int_equal(t.n, 5);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_entity_bombs),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_big_attributes_and_names),
        cmocka_unit_test(test_message_limit),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_read_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
