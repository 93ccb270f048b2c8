/* bench_fixture.h: the files the bench runner works with. Job directories are
 * generated once per set of generator options into the fixture cache and
 * reused by later runs; a manifest, written last, marks one complete. Work
 * databases are copies of a template, flushed to disk before they are timed. */
#ifndef IB_BENCH_FIXTURE_H
#define IB_BENCH_FIXTURE_H

#include <stddef.h>

#include "error.h"
#include "junitgen.h"
#include "scenario.h"
#include "schema.h"

/* The job directory for opt in cache_dir, generated when missing or
 * incomplete (the manifest missing, naming other options, or files missing).
 * *generated tells whether it was made now. */
int fixture_job_dir(const char *cache_dir, const struct junitgen_options *opt, char *dir,
                    size_t len, int *generated, struct ib_error *err);

/* Starting databases are cached too, under templates/<fingerprint>/, where the
 * fingerprint is a digest of the running executable and the SQLite library:
 * a template is reused only by the very code that built it. */
#define FIXTURE_FINGERPRINT_LEN 16

/* The fingerprint of this process's code, or "" when it cannot be read (then
 * templates are not kept between runs). */
void fixture_fingerprint(char out[FIXTURE_FINGERPRINT_LEN + 1]);

/* Removes the templates of every other fingerprint from cache_dir. */
void fixture_prune_templates(const char *cache_dir, const char *fingerprint);

/* The starting database of (profile, s, history) for the job in job_dir (a
 * fixture_job_dir), built with scenario_build_db when not yet in the cache:
 * in cache_dir/templates/<fingerprint>/, or in tmp_dir without a fingerprint.
 * It is built under a temporary name and renamed when complete. */
int fixture_template(const char *cache_dir, const char *fingerprint, const char *tmp_dir,
                     const char *job_dir, enum schema_profile profile, enum scenario s,
                     int history, char *path, size_t len, int *built, struct ib_error *err);

/* Whether that template is in the cache already. */
int fixture_template_cached(const char *cache_dir, const char *fingerprint, const char *job_dir,
                            enum schema_profile profile, enum scenario s, int history);

/* Creates dir and its missing parents. */
int fixture_make_dirs(const char *dir, struct ib_error *err);

/* A new empty directory under parent ("parent/work-XXXXXX") into out. */
int fixture_work_dir(const char *parent, char *out, size_t len, struct ib_error *err);

/* Copies src to dst (replaced) and flushes dst to disk, so that a timed commit
 * does not also pay for writing the copy. */
int fixture_copy_file(const char *src, const char *dst, struct ib_error *err);

/* Makes dst byte-identical to src again after a run changed it: removes its
 * journal, rewrites only the 64 KiB blocks that differ, sets the length, and
 * flushes dst. Much less to write than a copy when a run changed little of a
 * large database. A missing dst is copied whole. */
int fixture_restore_file(const char *src, const char *dst, struct ib_error *err);

/* Removes a database file with its journal, if they exist. */
void fixture_remove_db(const char *path);

/* Removes dir and everything under it; 0, or -1 when something remained. */
int fixture_remove_tree(const char *dir);

#endif
