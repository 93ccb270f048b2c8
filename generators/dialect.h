/* dialect.h: how one JUnit dialect lays out a file.
 *
 * junitgen.c drives every dialect the same way: begin (with the file's totals,
 * counted beforehand), one call per group of testcases that share a test file,
 * end. A dialect writes markup and escapes every value through xmlout. */
#ifndef JUNITGEN_DIALECT_H
#define JUNITGEN_DIALECT_H

#include <stdint.h>

#include "junitgen.h"
#include "plan.h"
#include "xmlout.h"

struct file_info {
    enum junitgen_dialect dialect;
    const char *module;
    const char *topology;
    const char *hostname;
    int rerun;
    uint64_t started;                 /* seconds since 1970, UTC */
    size_t message_bytes;
    struct outcome_counts totals;     /* of the whole file */
};

struct dialect_ops {
    void (*begin)(struct xmlout *w, const struct file_info *fi);
    /* index: the group's position in the file, from 0 */
    void (*group)(struct xmlout *w, const struct file_info *fi, const struct case_group *g,
                  uint64_t index);
    void (*end)(struct xmlout *w, const struct file_info *fi);
};

extern const struct dialect_ops dialect_pytest;
extern const struct dialect_ops dialect_surefire;
extern const struct dialect_ops dialect_gotest;

/* Attribute helpers the dialects share: ` name="value"` with value escaped. */
void dialect_attr(struct xmlout *w, const char *name, const char *value, size_t len);
void dialect_attr_u64(struct xmlout *w, const char *name, uint64_t v);
void dialect_attr_ms(struct xmlout *w, const char *name, uint64_t ms);

#endif
