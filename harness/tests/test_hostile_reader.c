/* test_hostile_reader.c: the JUnit reader on hostile and broken input: every
 * case of the catalogue (support/hostile.c, where the limits are set out),
 * each with its exact error text and position, the testcases handed over and
 * the message length kept; a report truncated at every byte; a read error.
 * No secret file's content may ever reach a callback or an error. */
#define _GNU_SOURCE   /* memmem */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostile.h"
#include "junit.h"

#define SECRET HOSTILE_SECRET

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

static void test_catalogue(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    for (size_t i = 0; i < hostile_case_count; i++) {
        const struct hostile_case *c = &hostile_cases[i];
        char path[4300];
        hostile_write(c, dir, path, sizeof path);
        struct tally t = expect_parse(path, c->error ? IB_ERR : IB_OK, c->error, c->testcases);
        if (!c->error)
            assert_int_equal(t.last_message_len, c->message_len < 0 ? 0 : c->message_len);
        remove(path);
    }
    printf("hostile: %zu catalogue cases read or refused as expected\n", hostile_case_count);
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
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_read_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
