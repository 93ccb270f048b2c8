/* junit.h: a streaming JUnit XML reader.
 *
 * One callback per <testcase>, at its end tag (so in document order, except
 * that a testcase nested in another comes before its parent), with everything
 * the importer needs and nothing it does not. Only <testsuites> and
 * <testsuite> roots are read; junit.c documents every rule. The strings handed to the callback live only
 * for the duration of the call: a consumer that keeps one copies it. The reader
 * never loads a DTD, never touches the network and never substitutes entities;
 * any error comes back as "path:line:col: message" and no further callbacks
 * follow, so a partial file is never taken for a complete one. */
#ifndef IB_JUNIT_H
#define IB_JUNIT_H

#include <stddef.h>

#include "error.h"

enum junit_status {
    JUNIT_PASSED,
    JUNIT_FAILED,
    JUNIT_ERROR,
    JUNIT_SKIPPED
};

struct junit_testcase {
    const char *file;       /* testcase's file, else its suite's file/filepath, else NULL */
    const char *classname;  /* "" when the attribute is missing */
    const char *name;       /* NULL when the attribute is missing */
    double time;            /* seconds; 0 when missing or unreadable */
    enum junit_status status;
    const char *message;    /* failure/error text as the reference rules build it, or NULL */
    size_t message_len;
    int line;               /* line of the <testcase> start tag */
};

/* Returns IB_OK to go on; anything else stops the parse, and the parse returns
 * that status with whatever the callback wrote into err. */
typedef int (*junit_testcase_fn)(void *ctx, const struct junit_testcase *tc,
                                 struct ib_error *err);

int junit_parse_file(const char *path, junit_testcase_fn fn, void *ctx,
                     struct ib_error *err);

/* As junit_parse_file, for a buffer; name is used in error positions. */
int junit_parse_memory(const char *buf, size_t len, const char *name,
                       junit_testcase_fn fn, void *ctx, struct ib_error *err);

const char *junit_status_name(enum junit_status status); /* "passed", ... */

#endif
