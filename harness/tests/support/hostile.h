/* hostile.h: the catalogue of hostile and broken JUnit XML inputs, shared by
 * the reader's test and the importer's: committed fixtures and cases written
 * at test time (the large ones are never committed), each with what the reader
 * must make of it. The importer must refuse exactly the cases the reader
 * refuses, with the same "path:line:col: message", and change nothing. */
#ifndef IB_HOSTILE_H
#define IB_HOSTILE_H

#include <stddef.h>
#include <stdio.h>

/* A marker in the secret files that external entities and XIncludes point at:
 * it must never reach a testcase, an error message or a database. */
#define HOSTILE_SECRET "TOP-SECRET-CONTENT"

struct hostile_case {
    const char *name;              /* the file's name in a case directory */
    const char *fixture;           /* committed: its path under fixtures/; else NULL */
    void (*generate)(FILE *f, const char *dir);  /* generated: writes the document */
    const char *error;             /* "line:col: message", or NULL when the file is read */
    int testcases;                 /* testcases handed over (before the error, if any) */
    long message_len;              /* read cases: the last testcase's message length, or -1 */
};

extern const struct hostile_case hostile_cases[];
extern const size_t hostile_case_count;

/* Writes (or copies) the case into dir as dir/name, and beside it a secret
 * file (secret.txt) for the entities that point at one; the path goes to out. */
void hostile_write(const struct hostile_case *c, const char *dir, char *out, size_t outlen);

/* Writes n copies of ch. */
void hostile_fill(FILE *f, char ch, size_t n);

#endif
