/* test_strategies.c: every strategy through the importer, on hand-built jobs:
 * identical digests in every scenario and profile, exact lookups and statement
 * counts, inserted/updated, refusals, rollback, byte-exact keys, and a wrong
 * strategy that the digest catches. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handjob.h"
#include "importer.h"
#include "scenario.h"

struct fixture {
    char *dir;
    int serial;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = tmpdir_make();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static void db_name(struct fixture *f, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/%d.db", f->dir, f->serial++);
}

/* A fresh copy of the scenario's starting database, at path. */
static void start_db(const char *path, enum schema_profile p, enum scenario s,
                     const struct job *job, int history)
{
    struct ib_error err;
    if (scenario_build_db_from_job(path, p, s, job, history, &err) != IB_OK)
        fail_msg("%s", err.msg);
}

static int import(const char *path, enum schema_profile p, const struct strategy *st,
                  struct job *job, size_t chunk, struct import_report *rep,
                  struct ib_error *err)
{
    struct import_request req = {.db_path = path, .release = SCENARIO_RELEASE,
                                 .module = SCENARIO_MODULE, .job_id = SCENARIO_JOB,
                                 .strategy = st, .profile = p, .bulk_chunk = chunk};
    memset(rep, 0, sizeof *rep);
    return importer_run_job(&req, job, rep, err);
}

static void must_import(const char *path, enum schema_profile p, const char *name,
                        struct job *job, size_t chunk, struct import_report *rep)
{
    struct ib_error err;
    const struct strategy *st = strategy_find(name);
    assert_non_null(st);
    if (import(path, p, st, job, chunk, rep, &err) != IB_OK)
        fail_msg("%s: %s", name, err.msg);
}

static void digest_of(const char *path, char out[65])
{
    struct db *db;
    struct ib_error err;
    struct db_config cfg = {.path = path};
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    assert_int_equal(schema_digest_job(db, SCENARIO_RELEASE, SCENARIO_MODULE, SCENARIO_JOB, out,
                                       &err), IB_OK);
    db_close(db);
}

static void outside_of(const char *path, struct schema_outside *out)
{
    struct db *db;
    struct ib_error err;
    struct db_config cfg = {.path = path};
    memset(out, 0, sizeof *out);
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    assert_int_equal(schema_snapshot_outside(db, SCENARIO_RELEASE, SCENARIO_MODULE,
                                             SCENARIO_JOB, out, &err), IB_OK);
    db_close(db);
}

static int applies(const struct strategy *st, enum schema_profile p, enum scenario s)
{
    if (!strategy_runs_on(st, DB_BACKEND_SQLITE))
        return 0;
    if (st->needs_unique_key && p != PROFILE_KEYED)
        return 0;
    return !st->needs_empty_job || s == SCENARIO_FRESH || s == SCENARIO_DUPS;
}

static uint64_t expected_lookups(const struct strategy *st, size_t n)
{
    if (st->lookup_per_result)
        return n;
    return st->lookup_sql ? 1 : 0;
}

/* Every strategy, every profile, fresh / reimport / overlap: one digest per
 * scenario, exact lookups and row counts, nothing outside the job touched. */
static void test_all_strategies_agree(void **state)
{
    struct fixture *f = *state;
    const size_t n = 120;
    struct job *job = handjob_make(n, 1);
    size_t count;
    const struct strategy *const *all = strategy_all(&count);
    assert_int_equal(count, 9);  /* copy and n1-pipelined among them: postgres only */
    enum scenario scenarios[] = {SCENARIO_FRESH, SCENARIO_REIMPORT, SCENARIO_OVERLAP};
    for (int si = 0; si < 3; si++) {
        enum scenario s = scenarios[si];
        char want[65] = "";
        for (int p = PROFILE_SEED; p <= PROFILE_KEYED; p++) {
            char start[4300];
            db_name(f, start, sizeof start);
            start_db(start, (enum schema_profile)p, s, job, 2);
            struct schema_outside before;
            outside_of(start, &before);
            for (size_t k = 0; k < count; k++) {
                if (!applies(all[k], (enum schema_profile)p, s))
                    continue;
                char path[4300], cmd[9000], got[65];
                db_name(f, path, sizeof path);
                snprintf(cmd, sizeof cmd, "cp '%s' '%s'", start, path);
                assert_int_equal(system(cmd), 0);
                struct import_report rep;
                must_import(path, (enum schema_profile)p, all[k]->name, job, 0, &rep);
                digest_of(path, got);
                assert_string_equal(got, rep.digest);
                if (!want[0])
                    memcpy(want, got, sizeof want);
                if (strcmp(want, got))
                    fail_msg("%s/%s/%s: digest %s, want %s", scenario_name(s),
                             schema_profile_name((enum schema_profile)p), all[k]->name, got,
                             want);
                assert_int_equal(rep.results, n);
                assert_int_equal(rep.counts.lookups, expected_lookups(all[k], n));
                uint64_t existing = s == SCENARIO_FRESH ? 0 : s == SCENARIO_REIMPORT ? n : n / 2;
                assert_int_equal(rep.updated, existing);
                assert_int_equal(rep.inserted, n - existing);
                struct schema_outside after;
                outside_of(path, &after);
                assert_memory_equal(&before, &after, sizeof before);
            }
        }
    }
    handjob_free(job);
}

/* upsert sends INSERT statements whether a row is new or not */
static int upsert_like(const struct strategy *st)
{
    return st->needs_unique_key;
}

/* The SELECTs beside the lookups are a constant: the same at two sizes. */
static void test_statement_counts(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *name;
        enum schema_profile profile;
        uint64_t fresh_select, reimport_select;
    } cases[] = {
        {"n1", PROFILE_SEED, 4, 5},    {"n1-deferred", PROFILE_APP, 4, 5},
        {"n1-nocache", PROFILE_APP, 4, 5}, {"batch", PROFILE_SEED, 4, 5},
        {"bulk", PROFILE_APP, 4, 5},   {"upsert", PROFILE_KEYED, 6, 7},
        {"floor", PROFILE_APP, 4, 0},
    };
    const size_t sizes[2] = {100, 400};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (int z = 0; z < 2; z++) {
            size_t n = sizes[z];
            struct job *job = handjob_make(n, 0);
            const struct strategy *st = strategy_find(cases[c].name);
            for (int re = 0; re < 2; re++) {
                if (re && st->needs_empty_job)
                    continue;
                char path[4300];
                db_name(f, path, sizeof path);
                start_db(path, cases[c].profile, re ? SCENARIO_REIMPORT : SCENARIO_FRESH, job,
                         1);
                struct import_report rep;
                must_import(path, cases[c].profile, cases[c].name, job, 0, &rep);
                const struct probe_counts *k = &rep.counts;
                uint64_t lookups = expected_lookups(st, n);
                assert_int_equal(k->lookups, lookups);
                assert_int_equal(k->select - lookups,
                                 re ? cases[c].reimport_select : cases[c].fresh_select);
                assert_int_equal(k->other, 2); /* BEGIN, COMMIT */
                int multi = !strcmp(st->name, "bulk");
                uint64_t writes = multi ? 1 : n;
                /* fresh: the job row and the results; reimport: the results */
                assert_int_equal(k->insert, re ? (upsert_like(st) ? n : 0) : writes + 1);
                assert_int_equal(k->update, (re && !upsert_like(st) ? writes : 0) + 1);
                assert_true(k->vm_steps > 0);
            }
            handjob_free(job);
        }
    }
}

/* bulk in chunks of 7 rows leaves what batch leaves, in ceil(n / 7) statements */
static void test_bulk_small_chunks(void **state)
{
    struct fixture *f = *state;
    const size_t n = 100;
    struct job *job = handjob_make(n, 2);
    for (int re = 0; re < 2; re++) {
        enum scenario s = re ? SCENARIO_REIMPORT : SCENARIO_FRESH;
        char a[4300], b[4300];
        db_name(f, a, sizeof a);
        db_name(f, b, sizeof b);
        start_db(a, PROFILE_APP, s, job, 1);
        start_db(b, PROFILE_APP, s, job, 1);
        struct import_report ra, rb;
        must_import(a, PROFILE_APP, "batch", job, 0, &ra);
        must_import(b, PROFILE_APP, "bulk", job, 7, &rb);
        assert_string_equal(ra.digest, rb.digest);
        assert_int_equal(rb.counts.insert, re ? 0 : 15 + 1);
        assert_int_equal(rb.counts.update, re ? 15 + 1 : 1);
        assert_int_equal(rb.inserted, ra.inserted);
        assert_int_equal(rb.updated, ra.updated);
        assert_true(rb.lookup_map_bytes > 0 || !re);
    }
    handjob_free(job);
}

/* bulk never binds more parameters than the engine takes: under a limit of 50,
 * 3 rows per INSERT (13 columns) and 5 per UPDATE (id and 8 columns). */
static void test_bulk_variable_limit(void **state)
{
    struct fixture *f = *state;
    const size_t n = 40;
    struct job *job = handjob_make(n, 3);
    char path[4300], ref[4300];
    db_name(f, path, sizeof path);
    db_name(f, ref, sizeof ref);
    start_db(path, PROFILE_SEED, SCENARIO_OVERLAP, job, 0);
    start_db(ref, PROFILE_SEED, SCENARIO_OVERLAP, job, 0);
    struct db *db;
    struct ib_error err;
    struct db_config cfg = {.path = path};
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    assert_int_equal(db_set_max_variables(db, 50), 50);
    const char **prio = calloc(n, sizeof *prio);
    struct import_ctx ctx = {.db = db, .job = job, .priorities = prio, .created_at = "now"};
    assert_int_equal(db_begin(db, &err), IB_OK);
    assert_int_equal(schema_get_or_create_job(db, SCENARIO_RELEASE, SCENARIO_MODULE,
                                              SCENARIO_JOB, &ctx.job_row, &ctx.job_was_empty,
                                              &err), IB_OK);
    assert_int_equal(schema_lookup_priorities(db, job, prio, &err), IB_OK);
    db_counts_reset(db);
    struct strategy_outcome out = {0};
    assert_int_equal(strategy_bulk.import(&ctx, &out, &err), IB_OK);
    assert_int_equal(out.inserted, 20);
    assert_int_equal(out.updated, 20);
    assert_int_equal(db_counts(db)->insert, 7);  /* ceil(20 / 3) */
    assert_int_equal(db_counts(db)->update, 4);  /* ceil(20 / 5) */
    assert_int_equal(schema_write_job_stats(db, ctx.job_row, &job->stats, &err), IB_OK);
    assert_int_equal(db_commit(db, &err), IB_OK);
    db_close(db);
    free(prio);
    struct import_report rep;
    must_import(ref, PROFILE_SEED, "batch", job, 0, &rep);
    char got[65];
    digest_of(path, got);
    assert_string_equal(got, rep.digest);
    handjob_free(job);
}

static void test_refusals(void **state)
{
    struct fixture *f = *state;
    struct job *job = handjob_make(10, 0);
    struct import_report rep;
    struct ib_error err;
    char path[4300], before[65], after[65];
    db_name(f, path, sizeof path);
    /* upsert on app: refused before the database is even created */
    assert_int_equal(import(path, PROFILE_APP, &strategy_upsert, job, 0, &rep, &err),
                     IB_EUSAGE);
    assert_string_equal(err.msg, "upsert: needs profile 'keyed' (a unique key on job_id, "
                                 "file_path, class_name, test_name), not 'app'");
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);

    /* floor on a job with rows: refused, nothing changed */
    start_db(path, PROFILE_KEYED, SCENARIO_OVERLAP, job, 1);
    digest_of(path, before);
    assert_int_equal(import(path, PROFILE_KEYED, &strategy_floor, job, 0, &rep, &err),
                     IB_EUSAGE);
    assert_string_equal(err.msg, "floor: job bench/high_availability/current already has "
                                 "results; it imports only into an empty job");
    digest_of(path, after);
    assert_string_equal(before, after);

    /* a database of another profile */
    assert_int_equal(import(path, PROFILE_SEED, &strategy_batch, job, 0, &rep, &err),
                     IB_EUSAGE);
    char want[4400];
    snprintf(want, sizeof want, "%s: made with profile 'keyed', not 'seed'", path);
    assert_string_equal(err.msg, want);
    digest_of(path, after);
    assert_string_equal(before, after);
    handjob_free(job);
}

/* A test-only strategy that writes half of the job, then fails. */
static int half_then_fail(const struct import_ctx *ctx, struct strategy_outcome *out,
                          struct ib_error *err)
{
    for (size_t i = 0; i < ctx->job->count / 2; i++)
        if (strategy_insert_one(ctx, i, err) != IB_OK)
            return IB_ERR;
    out->inserted = ctx->job->count / 2;
    return ib_fail(err, IB_ERR, "disk full, as if");
}

static const struct strategy failing = {
    .name = "failing", .stmt_cache = 1, .import = half_then_fail};

static void test_failure_rolls_back(void **state)
{
    struct fixture *f = *state;
    struct job *job = handjob_make(30, 0);
    struct import_report rep;
    struct ib_error err;
    char path[4300], before[65], after[65];
    struct schema_outside ob, oa;
    db_name(f, path, sizeof path);
    start_db(path, PROFILE_APP, SCENARIO_OVERLAP, job, 2);
    digest_of(path, before);
    outside_of(path, &ob);
    assert_int_equal(import(path, PROFILE_APP, &failing, job, 0, &rep, &err), IB_ERR);
    assert_string_equal(err.msg, "disk full, as if");
    digest_of(path, after);
    outside_of(path, &oa);
    assert_string_equal(before, after);
    assert_memory_equal(&ob, &oa, sizeof ob);

    /* into a new file: the file is gone again */
    db_name(f, path, sizeof path);
    assert_int_equal(import(path, PROFILE_APP, &failing, job, 0, &rep, &err), IB_ERR);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    handjob_free(job);
}

/* A test-only strategy that skips the last result: the digest must tell. */
static int skip_last(const struct import_ctx *ctx, struct strategy_outcome *out,
                     struct ib_error *err)
{
    for (size_t i = 0; i + 1 < ctx->job->count; i++)
        if (strategy_insert_one(ctx, i, err) != IB_OK)
            return IB_ERR;
    out->inserted = ctx->job->count - 1;
    return IB_OK;
}

static const struct strategy skipping = {
    .name = "skipping", .stmt_cache = 1, .import = skip_last};

static void test_wrong_strategy_caught(void **state)
{
    struct fixture *f = *state;
    struct job *job = handjob_make(25, 0);
    char a[4300], b[4300];
    db_name(f, a, sizeof a);
    db_name(f, b, sizeof b);
    struct import_report ra, rb;
    struct ib_error err;
    must_import(a, PROFILE_APP, "floor", job, 0, &ra);
    assert_int_equal(import(b, PROFILE_APP, &skipping, job, 0, &rb, &err), IB_OK);
    assert_string_not_equal(ra.digest, rb.digest);
    handjob_free(job);
}

/* Keys with quotes, SQL and non-ASCII go in and come out byte for byte. */
static void test_odd_names_byte_exact(void **state)
{
    struct fixture *f = *state;
    struct job *job = handjob_new();
    const char *names[] = {"it's", "\"double\"", "x'); DROP TABLE test_results; --",
                           "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "%s%n\\",
                           "tab\there", "test_p[a'b]"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        handjob_add(job, names[i], names[(i + 1) % 7], names[(i + 2) % 7],
                    i % 2 ? RESULT_FAILED : RESULT_PASSED, names[(i + 3) % 7],
                    i % 2 ? names[i] : NULL);
    char want[65] = "";
    size_t count;
    const struct strategy *const *all = strategy_all(&count);
    for (size_t k = 0; k < count; k++) {
        if (!strategy_runs_on(all[k], DB_BACKEND_SQLITE))
            continue;
        char path[4300];
        db_name(f, path, sizeof path);
        start_db(path, PROFILE_KEYED, SCENARIO_FRESH, job, 1);
        struct import_report rep;
        must_import(path, PROFILE_KEYED, all[k]->name, job, 0, &rep);
        if (!want[0])
            memcpy(want, rep.digest, sizeof want);
        assert_string_equal(rep.digest, want);
        struct db *db;
        struct ib_error err;
        struct db_config cfg = {.path = path};
        assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
        for (size_t i = 0; i < job->count; i++) {
            struct db_stmt *st;
            assert_int_equal(db_prepare(db, "SELECT failure_message, jenkins_topology FROM"
                                            " test_results r JOIN jobs j ON j.id = r.job_id"
                                            " WHERE j.job_id = ? AND file_path = ? AND"
                                            " class_name = ? AND test_name = ?",
                                        DB_ROLE_PLAIN, &st, &err), IB_OK);
            db_bind_text(st, 1, SCENARIO_JOB);
            db_bind_text(st, 2, job->results[i].file_path);
            db_bind_text(st, 3, job->results[i].class_name);
            db_bind_text(st, 4, job->results[i].test_name);
            assert_int_equal(db_step(st, &err), DB_ROW);
            if (job->results[i].failure_message)
                assert_string_equal(db_column_text(st, 0), job->results[i].failure_message);
            else
                assert_null(db_column_text(st, 0));
            assert_string_equal(db_column_text(st, 1), job->results[i].jenkins_topology);
            db_stmt_done(st);
        }
        db_close(db);
    }
    handjob_free(job);
}

/* Two jobs in one database, then a re-import of the first with new values: the
 * first ends as a fresh import of those values would leave it, the second as
 * it was. */
static void test_two_jobs_and_reimport(void **state)
{
    struct fixture *f = *state;
    struct job *first = handjob_make(60, 0), *second = handjob_make(40, 5),
               *again = handjob_make(60, 9);
    char path[4300], clean[4300];
    db_name(f, path, sizeof path);
    db_name(f, clean, sizeof clean);
    struct import_request req = {.db_path = path, .release = "r", .module = "m",
                                 .job_id = "1", .strategy = &strategy_batch,
                                 .profile = PROFILE_APP};
    struct import_report rep, rep2, rep3, fresh;
    struct ib_error err;
    assert_int_equal(importer_run_job(&req, first, &rep, &err), IB_OK);
    req.job_id = "2";
    assert_int_equal(importer_run_job(&req, second, &rep2, &err), IB_OK);
    assert_int_equal(rep2.inserted, 40);
    req.job_id = "1";
    req.strategy = &strategy_n1;
    assert_int_equal(importer_run_job(&req, again, &rep3, &err), IB_OK);
    assert_int_equal(rep3.inserted, 0);
    assert_int_equal(rep3.updated, 60);
    assert_string_not_equal(rep3.digest, rep.digest);
    req.db_path = clean;
    assert_int_equal(importer_run_job(&req, again, &fresh, &err), IB_OK);
    assert_string_equal(fresh.digest, rep3.digest);
    struct db *db;
    struct db_config cfg = {.path = path};
    char d2[65];
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    assert_int_equal(schema_digest_job(db, "r", "m", "2", d2, &err), IB_OK);
    db_close(db);
    assert_string_equal(d2, rep2.digest);
    handjob_free(first);
    handjob_free(second);
    handjob_free(again);
}

/* Which index serves each lookup, profile by profile. */
static void test_lookup_plans(void **state)
{
    struct fixture *f = *state;
    struct job *job = handjob_make(5, 0);
    static const struct {
        enum schema_profile p;
        const char *strategy, *plan;
    } cases[] = {
        {PROFILE_SEED, "n1", "SEARCH test_results USING INDEX ix_test_results_job_id (job_id=?)"},
        {PROFILE_APP, "n1", "SEARCH test_results USING INDEX idx_test_key "
                            "(file_path=? AND class_name=? AND test_name=?)"},
        {PROFILE_KEYED, "n1", "SEARCH test_results USING INDEX uq_test_results_job_key "
                              "(job_id=? AND file_path=? AND class_name=? AND test_name=?)"},
        {PROFILE_SEED, "batch", "SEARCH test_results USING INDEX ix_test_results_job_id (job_id=?)"},
        {PROFILE_APP, "bulk", "SEARCH test_results USING INDEX idx_job_status (job_id=?)"},
        {PROFILE_KEYED, "upsert", ""},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[4300];
        db_name(f, path, sizeof path);
        struct import_report rep;
        must_import(path, cases[c].p, cases[c].strategy, job, 0, &rep);
        assert_string_equal(rep.lookup_plan, cases[c].plan);
    }
    handjob_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_all_strategies_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_small_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_variable_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_strategy_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_odd_names_byte_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_jobs_and_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_plans, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
