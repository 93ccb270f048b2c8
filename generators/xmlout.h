/* xmlout.h: a buffered writer of XML text to a file descriptor.
 *
 * No tree is built: callers write markup as literal text and route every
 * value through the escaping calls. Writes are collected in one large buffer
 * and handed to write(2) when it fills. The first failing write is remembered
 * (err) and later output is dropped, so callers check once, at xo_finish. */
#ifndef JUNITGEN_XMLOUT_H
#define JUNITGEN_XMLOUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct xmlout {
    int fd;
    int err;             /* errno of the first failed write; 0 while all is well */
    char *buf;
    size_t len, cap;
    uint64_t bytes;      /* accepted so far, flushed or not */
};

/* A writer to fd with a buffer of cap bytes; -1 (errno set) when out of memory. */
int xo_open(struct xmlout *w, int fd, size_t cap);

/* Flushes what is buffered; returns 0 or the errno of the first failure. The
 * buffer is kept, so the writer can be pointed at another fd with xo_reset. */
int xo_finish(struct xmlout *w);
void xo_reset(struct xmlout *w, int fd);
void xo_close(struct xmlout *w);

/* The path for a write that does not fit the buffer's free space. */
void xo_raw_slow(struct xmlout *w, const char *s, size_t n);

/* Markup, written as is. */
static inline void xo_raw(struct xmlout *w, const char *s, size_t n)
{
    if (w->cap - w->len < n) {
        xo_raw_slow(w, s, n);
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->bytes += n;
}

#define xo_lit(w, s) xo_raw((w), (s), sizeof(s) - 1)

static inline void xo_str(struct xmlout *w, const char *s)
{
    xo_raw(w, s, strlen(s));
}

/* An attribute value (for double quotes): & < > " ' and tab, newline and
 * carriage return become references, so that the value reads back intact. */
void xo_attr(struct xmlout *w, const char *s, size_t n);
/* Element content: & < > and carriage return become references. */
void xo_text(struct xmlout *w, const char *s, size_t n);
/* Inside an open CDATA section: "]]>" is split across two sections. */
void xo_cdata(struct xmlout *w, const char *s, size_t n);

static inline void xo_attr_str(struct xmlout *w, const char *s) { xo_attr(w, s, strlen(s)); }
static inline void xo_text_str(struct xmlout *w, const char *s) { xo_text(w, s, strlen(s)); }

/* Decimal digits of v. */
void xo_u64(struct xmlout *w, uint64_t v);
/* A duration given in milliseconds as seconds with three decimals: "12.034". */
void xo_ms(struct xmlout *w, uint64_t ms);

/* Digits of v into buf (at least 21 bytes), NUL-terminated; returns the length. */
size_t xo_format_u64(char *buf, uint64_t v);

#endif
