/* test_corpus.c: conformance with the real-world reports of
 * ../shared/corpus/junit-real/, by the rules of its README:
 * - well_formed=no: the reader fails with "path:line:col: message";
 * - root testsuites or testsuite: tests equal the manifest's testcases and
 *   passed its passed; nameless testcases equal its nameless column;
 * - any other root: refused, "not a junit report: root element is <root>"
 *   (the reader's documented choice).
 * Skips, saying so, where ../shared is absent. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"

struct counts {
    long tests, passed, nameless;
};

static int count(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    (void)err;
    struct counts *c = ctx;
    c->tests++;
    c->passed += tc->status == JUNIT_PASSED;
    c->nameless += tc->name == NULL;
    return IB_OK;
}

/* Splits a tab-separated line in place; returns the number of fields. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}

/* "path:line:col: message" with line, col >= 1 and a non-empty message. */
static int has_position(const char *msg, const char *path)
{
    size_t n = strlen(path);
    int line = 0, col = 0, used = 0;
    if (strncmp(msg, path, n) != 0)
        return 0;
    if (sscanf(msg + n, ":%d:%d: %n", &line, &col, &used) != 2 || used == 0)
        return 0;
    return line >= 1 && col >= 1 && msg[n + (size_t)used] != '\0';
}

/* One manifest row; returns 1 when the reader agrees, printing why not otherwise. */
static int check_row(const char *dir, char **f)
{
    enum { FILE_, WELL_FORMED = 6, TESTCASES, FAILURES, ERRORS, SKIPPED, ROOT, PASSED, NESTED,
           NAMELESS };
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, f[FILE_]);
    struct counts c = {0};
    struct ib_error err;
    ib_error_clear(&err);
    int rc = junit_parse_file(path, count, &c, &err);
    if (!strcmp(f[WELL_FORMED], "no")) {
        if (rc == IB_ERR && has_position(err.msg, path))
            return 1;
        printf("malformed but %s: %s\n", rc == IB_OK ? "read" : err.msg, f[FILE_]);
        return 0;
    }
    if (strcmp(f[ROOT], "testsuites") && strcmp(f[ROOT], "testsuite")) {
        char expected[2200];
        snprintf(expected, sizeof expected, "not a junit report: root element is <%s>", f[ROOT]);
        if (rc == IB_ERR && has_position(err.msg, path) && strstr(err.msg, expected))
            return 1;
        printf("root <%s> not refused: %s (%s)\n", f[ROOT], f[FILE_], err.msg);
        return 0;
    }
    if (rc != IB_OK) {
        printf("unreadable: %s\n", err.msg);
        return 0;
    }
    if (c.tests == atol(f[TESTCASES]) && c.passed == atol(f[PASSED]) &&
        c.nameless == atol(f[NAMELESS]))
        return 1;
    printf("%s: tests %ld passed %ld nameless %ld, manifest %s %s %s\n", f[FILE_], c.tests,
           c.passed, c.nameless, f[TESTCASES], f[PASSED], f[NAMELESS]);
    return 0;
}

static void test_corpus_conformance(void **state)
{
    (void)state;
    const char *shared = shared_dir_or_skip("the junit-real corpus conformance test");
    if (!shared) {
        skip();
        return;
    }
    char dir[1024], manifest[1100];
    snprintf(dir, sizeof dir, "%s/corpus/junit-real", shared);
    snprintf(manifest, sizeof manifest, "%s/MANIFEST.tsv", dir);
    char *text = read_whole_file(manifest, NULL);
    assert_non_null(text);
    int rows = 0, agree = 0, malformed = 0, refused = 0;
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);   /* the header */
    assert_non_null(line);
    assert_int_equal(strncmp(line, "file\tsource_repo", 16), 0);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[16];
        int nf = split_tabs(line, f, 16);
        if (nf < 7)
            continue;
        rows++;
        malformed += !strcmp(f[6], "no");
        refused += !strcmp(f[6], "yes") && nf >= 12 && strcmp(f[11], "testsuites") &&
                   strcmp(f[11], "testsuite");
        agree += check_row(dir, f);
    }
    free(text);
    printf("corpus: %d files, %d agree (%d malformed refused with a position, %d other roots)\n",
           rows, agree, malformed, refused);
    assert_int_equal(rows, 265);
    assert_int_equal(agree, rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_conformance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
