/* importer.c: one import, end to end, as the application runs it: one
 * transaction around get-or-create, metadata, the strategy's lookups and
 * writes, and the job's statistics. Counts cover the import's statements only;
 * the query plan and the digest are read outside the timed region. On any
 * error the transaction is rolled back, and a database file the import created
 * is removed again, so that the disk is exactly as before. */
#include "importer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int importer_parse_job_spec(const char *spec, char *buf, size_t buflen, const char **release,
                            const char **module, const char **job_id, struct ib_error *err)
{
    size_t len = strlen(spec);
    char *a, *b;
    if (len >= buflen)
        return ib_fail(err, IB_EUSAGE, "--job: too long");
    memcpy(buf, spec, len + 1);
    if (!(a = strchr(buf, '/')) || !(b = strchr(a + 1, '/')) || strchr(b + 1, '/') ||
        a == buf || b == a + 1 || b[1] == '\0')
        return ib_fail(err, IB_EUSAGE, "--job: expected RELEASE/MODULE/JOBID, got '%s'", spec);
    *a = *b = '\0';
    *release = buf;
    *module = a + 1;
    *job_id = b + 1;
    return IB_OK;
}

/* The import's timestamp, stored in new rows' created_at (UTC, as the app). */
static void timestamp_now(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06ld", ts.tv_nsec / 1000);
}

static int refuse_profile(const struct import_request *req, struct ib_error *err)
{
    if (!strategy_runs_on(req->strategy, req->backend))
        return ib_fail(err, IB_EUSAGE, "%s: not on the %s backend (try --backend postgres)",
                       req->strategy->name, db_backend_name(req->backend));
    if (req->strategy->needs_unique_key && req->profile != PROFILE_KEYED)
        return ib_fail(err, IB_EUSAGE,
                       "%s: needs profile 'keyed' (a unique key on job_id, file_path, "
                       "class_name, test_name), not '%s'",
                       req->strategy->name, schema_profile_name(req->profile));
    return IB_OK;
}

/* Inside the transaction: everything from get-or-create to the statistics. */
static int import_in_txn(struct db *db, const struct import_request *req, struct job *job,
                         const char **priorities, struct import_report *rep,
                         struct ib_error *err)
{
    char created_at[32];
    timestamp_now(created_at);
    struct import_ctx ctx = {.db = db, .job = job, .priorities = priorities,
                             .bulk_chunk = req->bulk_chunk, .created_at = created_at};
    double t0 = probe_now();
    if (schema_get_or_create_job(db, req->release, req->module, req->job_id, &ctx.job_row,
                                 &ctx.job_was_empty, err) != IB_OK)
        return IB_ERR;
    if (req->strategy->needs_empty_job && !ctx.job_was_empty)
        return ib_fail(err, IB_EUSAGE,
                       "%s: job %s/%s/%s already has results; it imports only into an "
                       "empty job", req->strategy->name, req->release, req->module,
                       req->job_id);
    if (schema_lookup_priorities(db, job, priorities, err) != IB_OK)
        return IB_ERR;
    rep->phases.lookup = probe_now() - t0;

    struct strategy_outcome out = {0};
    int status = req->strategy->import(&ctx, &out, err);
    rep->phases.lookup += out.lookup_s;
    rep->phases.write = out.write_s;
    rep->inserted = out.inserted;
    rep->updated = out.updated;
    rep->lookup_map_bytes = out.lookup_map_bytes;
    if (status != IB_OK)
        return status;
    double t1 = probe_now();
    status = schema_write_job_stats(db, ctx.job_row, &job->stats, err);
    rep->phases.write += probe_now() - t1;
    return status;
}

static int import_open_db(struct db *db, const struct import_request *req, struct job *job,
                          struct import_report *rep, struct ib_error *err)
{
    if (schema_ensure(db, req->profile, err) != IB_OK)
        return err->status;
    db_set_stmt_cache(db, req->strategy->stmt_cache);
    if (req->strategy->lookup_sql &&
        db_query_plan(db, req->strategy->lookup_sql, rep->lookup_plan,
                      sizeof rep->lookup_plan, err) != IB_OK)
        return IB_ERR;
    const char **priorities = malloc((job->count ? job->count : 1) * sizeof *priorities);
    if (!priorities)
        return ib_fail(err, IB_ERR, "%s: out of memory", req->db_path);

    db_counts_reset(db);
    double t0 = probe_now();
    int status = db_begin(db, err);
    if (status == IB_OK)
        status = import_in_txn(db, req, job, priorities, rep, err);
    double t1 = probe_now();
    if (status == IB_OK)
        status = db_commit(db, err);
    rep->phases.commit = probe_now() - t1;
    rep->total_s = rep->phases.parse + (probe_now() - t0);
    rep->counts = *db_counts(db);
    rep->rtt_us_measured = db_measured_rtt_us(db);
    free(priorities);
    if (status != IB_OK) {
        db_rollback(db);
        return err->status ? err->status : IB_ERR;
    }
    return schema_digest_job(db, req->release, req->module, req->job_id, rep->digest, err);
}

int importer_run_job(const struct import_request *req, struct job *job,
                     struct import_report *rep, struct ib_error *err)
{
    rep->results = job->count;
    rep->testcases_read = job->testcases_read;
    if (refuse_profile(req, err) != IB_OK)
        return IB_EUSAGE;
    struct db_config cfg = {.path = req->db_path, .busy_timeout_ms = req->busy_timeout_ms,
                            .create = 1, .backend = req->backend, .dsn = req->pg_dsn};
    int existed;
    if (db_database_exists(&cfg, &existed, err) != IB_OK)
        return err->status;
    struct db *db;
    if (db_open(&db, &cfg, err) != IB_OK)
        return err->status;
    int status = import_open_db(db, req, job, rep, err);
    db_close(db);
    struct ib_error ignored;  /* the import's own error is the one to report */
    if (status != IB_OK && !existed)
        db_database_remove(&cfg, &ignored);
    return status;
}

int importer_run(const struct import_request *req, struct import_report *rep,
                 struct ib_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (refuse_profile(req, err) != IB_OK)
        return IB_EUSAGE;
    struct job job = {0};
    double t0 = probe_now();
    int status = job_load_dir(&job, req->dir, err);
    rep->phases.parse = probe_now() - t0;
    if (status == IB_OK)
        status = importer_run_job(req, &job, rep, err);
    job_free(&job);
    return status;
}
