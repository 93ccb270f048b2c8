/* junit_text.c: the JUnit reader's text work, apart from the parse itself:
 * the growable buffer every frame keeps its strings in, attribute values as
 * SAX2 delivers them, a time attribute, the message of a failure or error,
 * and the wording of errors.
 *
 * Errors from libxml2 are reduced to their first line, without trailing
 * blanks or the hint to use XML_PARSE_HUGE (an option the reader never sets),
 * with a first capital lowercased unless it starts an acronym; the handful of
 * libxml2 texts that are missing or misleading are replaced. */
#include "junit_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int junit_buf_append(struct text_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            return -1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int junit_buf_set(struct text_buf *b, const char *s, size_t n)
{
    b->len = 0;
    return junit_buf_append(b, s, n);
}

/* Without XML_PARSE_NOENT, libxml2's SAX2 hands an attribute's '&' (written
 * "&amp;" or "&#38;") back re-escaped as "&#38;", and only that: every other
 * reference is decoded. Turning each "&#38;" back into '&' is therefore the
 * exact inverse, and a literal "&#38;" in the document arrives as "&#38;#38;",
 * which this turns back into "&#38;". NOENT itself stays off: it is the option
 * that would substitute declared entities. */
static void unescape_ampersands(struct text_buf *b)
{
    char *in = b->len ? memchr(b->data, '&', b->len) : NULL;
    if (!in)
        return;
    char *out = in, *end = b->data + b->len;
    while (in < end) {
        if (end - in >= 5 && !memcmp(in, "&#38;", 5)) {
            *out++ = '&';
            in += 5;
        } else {
            *out++ = *in++;
        }
    }
    b->len = (size_t)(out - b->data);
    b->data[b->len] = '\0';
}

int junit_attr_value(struct text_buf *b, const char *value, size_t n)
{
    if (junit_buf_set(b, value, n))
        return -1;
    unescape_ampersands(b);
    return 0;
}

/* Exact for what test reports write ("0.123", "12"): an integer of at most 15
 * digits and a power of ten are both exact doubles, so their quotient is
 * correctly rounded, as strtod's would be. Anything else goes to strtod. */
static int parse_simple_decimal(const char *s, size_t n, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                   1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t v = 0;
    int digits = 0, frac = -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && frac < 0) {
            frac = 0;
        } else if (s[i] >= '0' && s[i] <= '9' && digits < 15) {
            v = v * 10 + (uint64_t)(s[i] - '0');
            digits++;
            if (frac >= 0)
                frac++;
        } else {
            return 0;
        }
    }
    if (digits == 0)
        return 0;
    *out = (double)v / pow10[frac > 0 ? frac : 0];
    return 1;
}

double junit_parse_time(const char *value, size_t n)
{
    char buf[64];
    double t;
    if (parse_simple_decimal(value, n, &t))
        return t;
    if (n == 0 || n >= sizeof buf)
        return 0.0;
    memcpy(buf, value, n);
    buf[n] = '\0';
    char *stop;
    t = strtod(buf, &stop);
    return (stop[strspn(stop, " \t\n\r")] || stop == buf || !isfinite(t)) ? 0.0 : t;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s))
        (*s)++, (*n)--;
    while (*n && is_blank((*s)[*n - 1]))
        (*n)--;
}

int junit_join_message(struct text_buf *out, const struct text_buf *attr,
                       const struct text_buf *text, const char **msg, size_t *len)
{
    const char *a = attr->data ? attr->data : "";
    const char *t = text->data ? text->data : "";
    size_t na = attr->len, nt = text->len;
    trim(&a, &na);
    trim(&t, &nt);
    *msg = NULL;
    *len = 0;
    if (!na && !nt)
        return 0;
    out->len = 0;
    if (junit_buf_append(out, a, na) || (na && nt && junit_buf_append(out, "\n\n", 2)) ||
        junit_buf_append(out, t, nt))
        return -1;
    *msg = out->data;
    *len = out->len;
    return 0;
}

void junit_xml_error_text(const xmlError *e, char *msg, size_t len)
{
    const char *text = e->message ? e->message : "malformed xml";
    if (e->code == XML_ERR_CDATA_NOT_FINISHED && !strncmp(text, "CData section too big", 21))
        text = "cdata section longer than 10000000 bytes";
    else if (e->code == XML_ERR_CDATA_NOT_FINISHED)   /* libxml2 2.9 has no text for it */
        text = "cdata section not finished";
    else if (strstr(text, "Huge input lookup"))   /* a tag of 10 MB or more */
        text = "tag longer than 10000000 bytes";
    else if (e->code == XML_ERR_INVALID_CHAR && !strncmp(text, "Input is not proper UTF-8", 25))
        text = "input is not proper utf-8 and declares no other encoding";
    else if (!strncmp(text, "Unregistered error message", 26))
        text = "malformed xml";
    size_t n = strcspn(text, "\n");
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\r'))
        n--;
    snprintf(msg, len, "%.*s", (int)n, text);
    char *hint = strstr(msg, " use XML_PARSE_HUGE");
    if (hint)
        *hint = '\0';
    if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
        msg[0] = (char)(msg[0] - 'A' + 'a');
}
