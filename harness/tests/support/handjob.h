/* handjob.h: jobs built by hand for the database tests: exact keys (quotes,
 * SQL, non-ASCII), exact values, no XML in between. A hand job is freed with
 * handjob_free, never job_free. */
#ifndef IB_HANDJOB_H
#define IB_HANDJOB_H

#include <stddef.h>

#include "job.h"

struct job *handjob_new(void);
void handjob_free(struct job *job);

/* Appends a result (strings copied into the job's arena; message may be NULL)
 * and recomputes the job's statistics. */
void handjob_add(struct job *job, const char *file_path, const char *class_name,
                 const char *test_name, enum result_status status, const char *topology,
                 const char *message);

/* n synthetic results over a few files and classes, some parametrised test
 * names sharing a normalised name; `variant` changes every value but the key
 * (status, topology, order, message), so that two variants of one job differ in
 * every row. */
struct job *handjob_make(size_t n, unsigned variant);

#endif
