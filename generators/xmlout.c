/* xmlout.c: buffered XML text output with escaping. */
#include "xmlout.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int xo_open(struct xmlout *w, int fd, size_t cap)
{
    w->fd = fd;
    w->err = 0;
    w->len = 0;
    w->bytes = 0;
    w->cap = cap < 64 ? 64 : cap;
    w->buf = malloc(w->cap);
    if (!w->buf) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void xo_reset(struct xmlout *w, int fd)
{
    w->fd = fd;
    w->err = 0;
    w->len = 0;
    w->bytes = 0;
}

void xo_close(struct xmlout *w)
{
    free(w->buf);
    w->buf = NULL;
    w->cap = w->len = 0;
}

static void write_out(struct xmlout *w)
{
    size_t done = 0;
    while (done < w->len && !w->err) {
        ssize_t put = write(w->fd, w->buf + done, w->len - done);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            w->err = put < 0 ? errno : EIO;
        else
            done += (size_t)put;
    }
    w->len = 0;
}

void xo_raw_slow(struct xmlout *w, const char *s, size_t n)
{
    w->bytes += n;
    while (n > 0) {
        if (w->len == w->cap)
            write_out(w);
        size_t part = w->cap - w->len < n ? w->cap - w->len : n;
        memcpy(w->buf + w->len, s, part);
        w->len += part;
        s += part;
        n -= part;
    }
}

int xo_finish(struct xmlout *w)
{
    write_out(w);
    return w->err;
}

/* Which bytes need a reference: 1 in element content, 2 in attribute values. */
static const unsigned char special[256] = {
    ['\t'] = 2, ['\n'] = 2, ['\r'] = 3,
    ['&'] = 3, ['<'] = 3, ['>'] = 3, ['"'] = 2, ['\''] = 2,
};

static void put_reference(struct xmlout *w, unsigned char c)
{
    switch (c) {
    case '&': xo_lit(w, "&amp;"); break;
    case '<': xo_lit(w, "&lt;"); break;
    case '>': xo_lit(w, "&gt;"); break;
    case '"': xo_lit(w, "&quot;"); break;
    case '\'': xo_lit(w, "&apos;"); break;
    case '\t': xo_lit(w, "&#9;"); break;
    case '\n': xo_lit(w, "&#10;"); break;
    default: xo_lit(w, "&#13;"); break;
    }
}

/* Copies runs of plain bytes whole; only the special ones go one at a time. */
static void escape(struct xmlout *w, const char *s, size_t n, unsigned char mask)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (special[c] & mask) {
            xo_raw(w, s + start, i - start);
            put_reference(w, c);
            start = i + 1;
        }
    }
    xo_raw(w, s + start, n - start);
}

void xo_attr(struct xmlout *w, const char *s, size_t n)
{
    escape(w, s, n, 2);
}

void xo_text(struct xmlout *w, const char *s, size_t n)
{
    escape(w, s, n, 1);
}

void xo_cdata(struct xmlout *w, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] == ']' && s[i + 1] == ']' && s[i + 2] == '>') {
            xo_raw(w, s + start, i + 2 - start);
            xo_lit(w, "]]><![CDATA[");
            start = i + 2;
        }
    }
    xo_raw(w, s + start, n - start);
}

size_t xo_format_u64(char *buf, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

void xo_u64(struct xmlout *w, uint64_t v)
{
    char buf[24];
    xo_raw(w, buf, xo_format_u64(buf, v));
}

void xo_ms(struct xmlout *w, uint64_t ms)
{
    char buf[32];
    size_t n = xo_format_u64(buf, ms / 1000);
    unsigned frac = (unsigned)(ms % 1000);
    buf[n++] = '.';
    buf[n++] = (char)('0' + frac / 100);
    buf[n++] = (char)('0' + frac / 10 % 10);
    buf[n++] = (char)('0' + frac % 10);
    xo_raw(w, buf, n);
}
