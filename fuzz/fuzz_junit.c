/* fuzz_junit.c: libFuzzer target for the JUnit reader on arbitrary bytes.
 *
 * Every field of every testcase is read in full, so that a string the reader
 * hands over without its terminator, or a message_len that disagrees with the
 * text, shows up under ASan. An error must leave a message of the documented
 * shape ("fuzz.xml:line:col: ..."), and no callback may follow it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "junit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    size_t testcases;
    size_t bytes;          /* a sum the compiler cannot drop */
};

static int touch(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    struct seen *s = ctx;
    FUZZ_CHECK(err->msg[0] == '\0');   /* no callback after an error */
    s->testcases++;
    if (tc->file)
        s->bytes += strlen(tc->file);
    FUZZ_CHECK(tc->classname);
    s->bytes += strlen(tc->classname);
    if (tc->name)
        s->bytes += strlen(tc->name);
    if (tc->message) {
        /* XML text cannot hold a NUL, so the length is the string's. */
        FUZZ_CHECK(tc->message_len > 0 && strlen(tc->message) == tc->message_len);
        s->bytes += tc->message_len;
    } else {
        FUZZ_CHECK(tc->message_len == 0);
    }
    FUZZ_CHECK(tc->line >= 1);
    FUZZ_CHECK((unsigned)tc->status <= JUNIT_SKIPPED);
    return IB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen s = {0, 0};
    struct ib_error err;
    ib_error_clear(&err);
    int rc = junit_parse_memory((const char *)data, size, "fuzz.xml", touch, &s, &err);
    if (rc != IB_OK) {
        FUZZ_CHECK(rc == IB_ERR);
        FUZZ_CHECK(strncmp(err.msg, "fuzz.xml:", 9) == 0);
        FUZZ_CHECK(strlen(err.msg) > 9);
    }
    return 0;
}
