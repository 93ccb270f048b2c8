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

static inline unsigned char any_special(const unsigned char *u)
{
    return special[u[0]] | special[u[1]] | special[u[2]] | special[u[3]] | special[u[4]]
           | special[u[5]] | special[u[6]] | special[u[7]];
}

/* Copies runs of plain bytes whole; only the special ones go one at a time.
 * Eight bytes are tested per step, as most text holds nothing to escape. */
static void escape(struct xmlout *w, const char *s, size_t n, unsigned char mask)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = 0, i = 0;
    for (;;) {
        while (i + 8 <= n && !(any_special(u + i) & mask))
            i += 8;
        if (i >= n)
            break;
        if (special[u[i]] & mask) {
            xo_raw(w, s + start, i - start);
            put_reference(w, u[i]);
            start = i + 1;
        }
        i++;
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
    const char *end = s + n, *p = s;
    while ((p = memchr(p, ']', (size_t)(end - p))) != NULL) {
        if (end - p >= 3 && p[1] == ']' && p[2] == '>') {
            xo_raw(w, s, (size_t)(p + 2 - s));
            xo_lit(w, "]]><![CDATA[");
            s = p + 2;
        }
        p++;
    }
    xo_raw(w, s, (size_t)(end - s));
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
