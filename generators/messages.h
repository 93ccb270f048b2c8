/* messages.h: failure, error and skip texts in the style of each dialect.
 *
 * A message is a one-line headline (the message attribute) and a multi-line
 * body (the element text): a traceback, Java stack trace or go test log of
 * about the requested size. Both carry the characters that need escaping
 * (& < > " ') and non-ASCII UTF-8, so a reader's unescaping is exercised on
 * every failure. Details vary with the occurrence's salt. */
#ifndef JUNITGEN_MESSAGES_H
#define JUNITGEN_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "junitgen.h"
#include "keynames.h"
#include "plan.h"
#include "xmlout.h"

struct msg_ctx {
    enum junitgen_dialect dialect;
    const struct key_names *names;
    const char *topology;
    uint64_t salt;
};

enum msg_escape { MSG_TEXT, MSG_CDATA };

/* The headline of a failure, error or skip, escaped for an attribute. */
void msg_headline(struct xmlout *w, const struct msg_ctx *m, enum outcome o);

/* The body, about bytes long (never less than its first and last lines). */
void msg_body(struct xmlout *w, const struct msg_ctx *m, enum outcome o, size_t bytes,
              enum msg_escape esc);

/* A few lines of captured output (surefire's system-out), as element text. */
void msg_log(struct xmlout *w, const struct msg_ctx *m, unsigned lines);

#endif
