/* error.h: the one error value that every fallible call fills in.
 *
 * Functions return an ib_status and, on failure, leave a message in a caller's
 * struct ib_error. Messages are lowercase, name their subject first and carry
 * no trailing newline: "job/a.xml:12:7: unexpected end of input". */
#ifndef IB_ERROR_H
#define IB_ERROR_H

#include <stddef.h>

enum ib_status {
    IB_OK = 0,
    IB_ERR = 1,    /* the work failed: bad input, I/O, database */
    IB_EUSAGE = 2  /* the request itself is wrong or refused */
};

struct ib_error {
    int status;
    char msg[1024];
};

/* Sets err (when non-NULL) and returns status, so a caller can write
 * `return ib_fail(err, IB_ERR, "%s: no such file", path);` */
int ib_fail(struct ib_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes an existing message: "context: old message". */
int ib_wrap(struct ib_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void ib_error_clear(struct ib_error *err);

/* strerror(e) worded as these messages are, into buf: ENOENT as `enoent`
 * ("no such file", "no such directory"), any other with its first letter
 * lowercased unless that starts an acronym. Returns buf. */
const char *ib_errno_text(int e, const char *enoent, char *buf, size_t len);

#endif
