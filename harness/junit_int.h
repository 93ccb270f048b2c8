/* junit_int.h: what junit.c takes from junit_text.c, and nothing outside the
 * reader uses (junit.h is the module's interface). junit.c drives libxml2 and
 * keeps the rules of a report; junit_text.c does the text work around them:
 * a growable buffer, attribute values, the message of a result, and the
 * wording of libxml2's errors. */
#ifndef IB_JUNIT_INT_H
#define IB_JUNIT_INT_H

#include <stddef.h>

#include <libxml/xmlerror.h>

/* A NUL-terminated byte string that grows; all zero is an empty one. */
struct text_buf {
    char *data;
    size_t len, cap;
};

/* Append / replace with n bytes of s; -1 when out of memory. */
int junit_buf_append(struct text_buf *b, const char *s, size_t n);
int junit_buf_set(struct text_buf *b, const char *s, size_t n);

/* An attribute's value as SAX2 hands it over, into b with its '&' restored. */
int junit_attr_value(struct text_buf *b, const char *value, size_t n);

/* A time attribute in seconds; 0 when empty, unreadable or not finite. */
double junit_parse_time(const char *value, size_t n);

/* A result's message from its message attribute and its text: both trimmed,
 * joined by a blank line when both are present, into out. *msg points into
 * out, or is NULL when both are blank. -1 when out of memory. */
int junit_join_message(struct text_buf *out, const struct text_buf *attr,
                       const struct text_buf *text, const char **msg, size_t *len);

/* The message of libxml2's error e as this reader words it, into msg. */
void junit_xml_error_text(const xmlError *e, char *msg, size_t len);

#endif
