/* error.c: formatting for struct ib_error. */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ib_fail(struct ib_error *err, int status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

int ib_wrap(struct ib_error *err, const char *fmt, ...)
{
    if (!err)
        return IB_ERR;
    char prefix[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* A message too long for the buffer is cut, which is better than none. */
    int n = snprintf(err->msg, sizeof err->msg, "%s: ", prefix);
    if (n >= 0 && (size_t)n < sizeof err->msg)
        snprintf(err->msg + n, sizeof err->msg - (size_t)n, "%s", old);
    if (err->status == IB_OK)
        err->status = IB_ERR;
    return err->status;
}

void ib_error_clear(struct ib_error *err)
{
    if (err) {
        err->status = IB_OK;
        err->msg[0] = '\0';
    }
}

const char *ib_errno_text(int e, const char *enoent, char *buf, size_t len)
{
    snprintf(buf, len, "%s", e == ENOENT ? enoent : strerror(e));
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}
