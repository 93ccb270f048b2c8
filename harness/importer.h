/* importer.h: one import, end to end: open the database, make or check the
 * schema, parse the job directory, get-or-create the job, look up priorities,
 * run a strategy, write the job's statistics, commit; then, outside the timed
 * region, the digest. One transaction: on any error everything is rolled back
 * and the database is exactly as it was. */
#ifndef IB_IMPORTER_H
#define IB_IMPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "probe.h"
#include "schema.h"
#include "strategy.h"

struct import_request {
    const char *db_path;
    const char *dir;                 /* the job directory */
    const char *release, *module, *job_id;
    const struct strategy *strategy;
    enum schema_profile profile;
    size_t bulk_chunk;               /* 0: the strategy's default */
    int busy_timeout_ms;             /* 0: default */
    enum db_backend backend;         /* SQLite unless told */
    const char *pg_dsn;              /* postgres: the server; db_path names the database */
};

struct import_report {
    size_t results;                  /* distinct keys in the job */
    size_t testcases_read;
    uint64_t inserted, updated;
    struct probe_counts counts;      /* the import's statements only */
    char lookup_plan[512];           /* EXPLAIN QUERY PLAN of the lookup; "" if none */
    size_t lookup_map_bytes;
    struct phase_times phases;
    double total_s;                  /* parse through commit, monotonic */
    double rtt_us_measured;          /* median trivial round trip at connect; 0 on SQLite */
    char digest[65];
};

/* Parses req->dir (phase parse, before the transaction: a bad file never holds
 * the database's write lock), then imports it as importer_run_job does. */
int importer_run(const struct import_request *req, struct import_report *rep,
                 struct ib_error *err);

/* Imports a job already loaded; rep's parse time is left as the caller set it
 * (total_s adds it). The job's arena receives the priority strings. Returns
 * IB_EUSAGE for a refusal (strategy and profile or job state, a database of
 * another profile), IB_ERR for a failure; either way nothing has changed. */
int importer_run_job(const struct import_request *req, struct job *job,
                     struct import_report *rep, struct ib_error *err);

/* "RELEASE/MODULE/JOBID" into its three parts (pointers into buf). */
int importer_parse_job_spec(const char *spec, char *buf, size_t buflen,
                            const char **release, const char **module,
                            const char **job_id, struct ib_error *err);

#endif
