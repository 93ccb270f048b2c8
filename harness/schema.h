/* schema.h: the data model of the modelled application, in three index
 * profiles, and everything that reads or writes it apart from the strategies:
 * creating it, get-or-create of release/module/job, seeding earlier jobs,
 * metadata priorities, and the canonical digest of one job. */
#ifndef IB_SCHEMA_H
#define IB_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "job.h"

enum schema_profile {
    PROFILE_SEED,   /* test_results indexed on job_id only (the seed document) */
    PROFILE_APP,    /* the application's index set at the time of the fix */
    PROFILE_KEYED   /* app + UNIQUE (job_id, file_path, class_name, test_name) */
};

int schema_profile_parse(const char *name, enum schema_profile *out);
const char *schema_profile_name(enum schema_profile p);

/* Creates the schema when the database is empty and records the profile; on an
 * existing database checks that it was made with this profile (IB_EUSAGE if not). */
int schema_ensure(struct db *db, enum schema_profile p, struct ib_error *err);

/* The job's row id, creating release, module and job rows where missing.
 * *job_was_empty tells whether the job held no results before. */
int schema_get_or_create_job(struct db *db, const char *release, const char *module,
                             const char *job_id, int64_t *job_row, int *job_was_empty,
                             struct ib_error *err);

/* Writes the job's statistics (total, passed, failed, skipped, pass_rate). */
int schema_write_job_stats(struct db *db, int64_t job_row, const struct job_stats *st,
                           struct ib_error *err);

/* Priorities from testcase_metadata, by normalised test name, in chunked IN
 * queries: out[i] is the priority of job->results[i] or NULL. Strings live in
 * the job's arena. */
int schema_lookup_priorities(struct db *db, struct job *job, const char **out,
                             struct ib_error *err);

/* Rows for test_results, inserted one plain INSERT each: results[i] with
 * priorities[i] (or NULL), and setup_ip and topology_metadata, which no import
 * writes, the same for all. */
struct schema_rows {
    int64_t job_row;
    const struct job_result *results;
    size_t count;
    const char *const *priorities;   /* NULL: none */
    const char *created_at;
    const char *setup_ip;
    const char *topology_metadata;
};
int schema_insert_results(struct db *db, const struct schema_rows *rows,
                          struct ib_error *err);

/* The created_at of seeded rows. */
#define SCHEMA_SEED_TIME "2026-01-01 00:00:00.000000"

/* Imports `history` earlier jobs of the same tests into release/module (jobs
 * named "h1".."hH"), plus testcase_metadata for a share of the tests, with plain
 * inserts in one transaction: the starting state of the `fresh` scenario. */
int schema_seed_history(struct db *db, const struct job *job, const char *release,
                        const char *module, int history, struct ib_error *err);

/* SHA-256 (hex) of the canonical content of one job: release, module and job
 * names, its statistics, and its results in key order, ids and timestamps left
 * out. Independent of what else the database holds. A missing job digests as
 * the empty job of that name. */
int schema_digest_job(struct db *db, const char *release, const char *module,
                      const char *job_id, char out[65], struct ib_error *err);

/* The job's canonical rows, in digest order, one call each: fields[0..n) are
 * file_path, class_name, test_name, status, setup_ip, jenkins_topology,
 * order_index, was_rerun, rerun_still_failed, failure_message, priority,
 * topology_metadata, testcase_module, as text (NULL for SQL NULL). A call
 * returning non-zero stops the walk and is returned. */
#define SCHEMA_ROW_FIELDS 13
extern const char *const schema_row_field_names[SCHEMA_ROW_FIELDS];
typedef int (*schema_row_fn)(void *ctx, const char *const *fields);
int schema_each_job_row(struct db *db, const char *release, const char *module,
                        const char *job_id, schema_row_fn fn, void *ctx,
                        struct ib_error *err);

/* Everything outside one job, for checking that an import left it alone. */
struct schema_outside {
    int64_t rows[5];      /* releases, modules, jobs, test_results, testcase_metadata */
    int64_t max_ids[5];
    char other_results_digest[65]; /* SHA-256 over other jobs' results rows */
};
int schema_snapshot_outside(struct db *db, const char *release, const char *module,
                            const char *job_id, struct schema_outside *out,
                            struct ib_error *err);

#endif
