/* scenario.c: the starting databases that `verify` and `bench` import into.
 * Every scenario starts from the same seeded history; reimport and overlap
 * then give the job rows of its own keys with other values in every column an
 * import writes (and values in the columns it never writes), plus one row whose
 * key the input lacks, which every strategy must leave alone. */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const names[SCENARIO_COUNT] = {"fresh", "reimport", "overlap", "dups"};

int scenario_parse(const char *name, enum scenario *out)
{
    for (int s = 0; s < SCENARIO_COUNT; s++)
        if (!strcmp(name, names[s])) {
            *out = (enum scenario)s;
            return IB_OK;
        }
    return IB_EUSAGE;
}

const char *scenario_name(enum scenario s)
{
    return (unsigned)s < SCENARIO_COUNT ? names[s] : "?";
}

void scenario_generator_options(enum scenario s, uint64_t n, unsigned files, uint64_t seed,
                                struct junitgen_options *opt)
{
    junitgen_defaults(opt);
    opt->results = n;
    if (files)
        opt->files = files;
    opt->seed = seed;
    if (s == SCENARIO_DUPS)
        opt->dup_rate = SCENARIO_DUP_RATE;
}

/* The values an earlier import of the same key left: other in every column
 * that an import writes. */
static void prior_values(struct job_result *r)
{
    static const enum result_status next[] = {RESULT_FAILED, RESULT_SKIPPED, RESULT_PASSED};
    r->status = next[r->status];
    r->failure_message = r->status == RESULT_FAILED ? "failed in the previous run" : NULL;
    r->jenkins_topology = "previous_topology";
    r->order_index += 1000000;
    r->was_rerun = !r->was_rerun;
    r->rerun_still_failed = 0;
    r->testcase_module = "previous_module";
}

static int by_key(const void *a, const void *b)
{
    return job_key_compare(*(const struct job_result *const *)a,
                           *(const struct job_result *const *)b);
}

/* The job's earlier rows: all keys (reimport) or every second in key order. */
static int insert_prior_rows(struct db *db, enum scenario s, const struct job *job,
                             struct ib_error *err)
{
    int64_t row;
    int empty;
    if (schema_get_or_create_job(db, SCENARIO_RELEASE, SCENARIO_MODULE, SCENARIO_JOB, &row,
                                 &empty, err) != IB_OK)
        return IB_ERR;
    size_t n = job->count;
    struct job_result *prior = malloc((n + 1) * sizeof *prior);
    const struct job_result **order = malloc((n + 1) * sizeof *order);
    if (!prior || !order) {
        free(prior);
        free(order);
        return ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
    }
    for (size_t i = 0; i < n; i++)
        order[i] = &job->results[i];
    qsort(order, n, sizeof *order, by_key);
    size_t count = 0;
    for (size_t k = 0; k < n; k += s == SCENARIO_OVERLAP ? 2 : 1) {
        prior[count] = *order[k];
        prior_values(&prior[count++]);
    }
    prior[count++] = (struct job_result){
        .file_path = "stale/test_gone.py", .class_name = "Gone", .test_name = "test_gone",
        .status = RESULT_PASSED, .jenkins_topology = "previous_topology",
        .testcase_module = "stale"};
    struct schema_rows rows = {.job_row = row, .results = prior, .count = count,
                               .created_at = SCHEMA_SEED_TIME, .setup_ip = "10.0.0.1",
                               .topology_metadata = "{\"source\": \"previous run\"}"};
    int status = schema_insert_results(db, &rows, err);
    free(prior);
    free(order);
    return status;
}

int scenario_build_db_from_job(const char *db_path, enum schema_profile profile,
                               enum scenario s, const struct job *job, int history,
                               struct ib_error *err)
{
    struct db_config cfg = {.path = db_path};
    return scenario_build_db_on(&cfg, profile, s, job, history, err);
}

int scenario_build_db_on(const struct db_config *where, enum schema_profile profile,
                         enum scenario s, const struct job *job, int history,
                         struct ib_error *err)
{
    struct db_config cfg = *where;
    int exists;
    cfg.create = 1;
    if (db_database_exists(&cfg, &exists, err) != IB_OK)
        return IB_ERR;
    if (exists)
        return ib_fail(err, IB_ERR, "%s: already exists", cfg.path);
    struct db *db;
    if (db_open(&db, &cfg, err) != IB_OK)
        return IB_ERR;
    int status = schema_ensure(db, profile, err);
    if (status == IB_OK)
        status = schema_seed_history(db, job, SCENARIO_RELEASE, SCENARIO_MODULE, history, err);
    if (status == IB_OK && (s == SCENARIO_REIMPORT || s == SCENARIO_OVERLAP)) {
        status = db_begin(db, err);
        if (status == IB_OK)
            status = insert_prior_rows(db, s, job, err);
        if (status == IB_OK)
            status = db_commit(db, err);
        if (status != IB_OK)
            db_rollback(db);
    }
    db_close(db);
    return status;
}

int scenario_build_db(const char *db_path, enum schema_profile profile, enum scenario s,
                      const char *job_dir, int history, struct ib_error *err)
{
    struct job job = {0};
    int status = job_load_dir(&job, job_dir, err);
    if (status == IB_OK)
        status = scenario_build_db_from_job(db_path, profile, s, &job, history, err);
    job_free(&job);
    return status;
}
