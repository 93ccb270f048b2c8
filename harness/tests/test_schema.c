/* test_schema.c: profiles and their indexes, the profile check, get-or-create,
 * metadata priorities in chunked IN queries, seeding, the canonical digest and
 * the snapshot of everything outside a job. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handjob.h"
#include "schema.h"

struct fixture {
    char *dir;
    char path[4200];
    struct db *db;
};

static struct db *open_db(const char *path)
{
    struct db *db;
    struct ib_error err;
    struct db_config cfg = {.path = path, .create = 1};
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    return db;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = tmpdir_make();
    snprintf(f->path, sizeof f->path, "%s/s.db", f->dir);
    f->db = open_db(f->path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

/* The names of test_results' indexes, comma-joined in name order. */
static void result_indexes(struct db *db, char *out, size_t outlen)
{
    struct db_stmt *st;
    struct ib_error err;
    assert_int_equal(db_prepare(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM"
                                    " sqlite_master WHERE type = 'index' AND tbl_name ="
                                    " 'test_results' AND sql IS NOT NULL ORDER BY name)",
                                DB_ROLE_PLAIN, &st, &err), IB_OK);
    assert_int_equal(db_step(st, &err), DB_ROW);
    snprintf(out, outlen, "%s", db_column_text(st, 0));
    db_stmt_done(st);
}

static void test_profiles_and_indexes(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    enum schema_profile p;
    assert_int_equal(schema_profile_parse("keyed", &p), IB_OK);
    assert_int_equal(p, PROFILE_KEYED);
    assert_int_equal(schema_profile_parse("Keyed", &p), IB_EUSAGE);
    assert_string_equal(schema_profile_name(PROFILE_SEED), "seed");

    static const char *const want[3] = {
        "ix_test_results_job_id",
        "idx_job_status,idx_job_topology,idx_test_key,idx_test_name_priority,"
        "ix_test_results_jenkins_topology,ix_test_results_priority,ix_test_results_status,"
        "ix_test_results_testcase_module,ix_test_results_topology_metadata",
        "idx_job_status,idx_job_topology,idx_test_key,idx_test_name_priority,"
        "ix_test_results_jenkins_topology,ix_test_results_priority,ix_test_results_status,"
        "ix_test_results_testcase_module,ix_test_results_topology_metadata,"
        "uq_test_results_job_key"};
    for (int i = 0; i < 3; i++) {
        char path[4300], names[1024];
        snprintf(path, sizeof path, "%s/p%d.db", f->dir, i);
        struct db *db = open_db(path);
        assert_int_equal(schema_ensure(db, (enum schema_profile)i, &err), IB_OK);
        assert_int_equal(schema_ensure(db, (enum schema_profile)i, &err), IB_OK);
        result_indexes(db, names, sizeof names);
        assert_string_equal(names, want[i]);
        db_close(db);
    }
}

static void test_other_profile_refused(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(schema_ensure(f->db, PROFILE_SEED, &err), IB_OK);
    assert_int_equal(schema_ensure(f->db, PROFILE_APP, &err), IB_EUSAGE);
    char want[4400];
    snprintf(want, sizeof want, "%s: made with profile 'seed', not 'app'", f->path);
    assert_string_equal(err.msg, want);

    char other[4300];
    snprintf(other, sizeof other, "%s/foreign.db", f->dir);
    struct db *db = open_db(other);
    assert_int_equal(db_exec(db, "CREATE TABLE t (x)", &err), IB_OK);
    assert_int_equal(schema_ensure(db, PROFILE_APP, &err), IB_EUSAGE);
    snprintf(want, sizeof want, "%s: not an importbench database", other);
    assert_string_equal(err.msg, want);
    db_close(db);
}

static void test_get_or_create(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(schema_ensure(f->db, PROFILE_APP, &err), IB_OK);
    int64_t row, again, other;
    int empty = -1;
    db_counts_reset(f->db);
    assert_int_equal(schema_get_or_create_job(f->db, "r1", "m1", "7", &row, &empty, &err), IB_OK);
    assert_int_equal(empty, 1);
    assert_int_equal(db_counts(f->db)->select, 3);
    assert_int_equal(db_counts(f->db)->insert, 3);
    db_counts_reset(f->db);
    assert_int_equal(schema_get_or_create_job(f->db, "r1", "m1", "7", &again, &empty, &err),
                     IB_OK);
    assert_int_equal(again, row);
    assert_int_equal(empty, 1);
    assert_int_equal(db_counts(f->db)->select, 4);
    assert_int_equal(db_counts(f->db)->insert, 0);
    assert_int_equal(db_counts(f->db)->lookups, 0);

    struct job *job = handjob_make(3, 0);
    struct schema_rows rows = {.job_row = row, .results = job->results, .count = job->count,
                               .created_at = "t"};
    assert_int_equal(schema_insert_results(f->db, &rows, &err), IB_OK);
    assert_int_equal(schema_get_or_create_job(f->db, "r1", "m1", "7", &again, &empty, &err),
                     IB_OK);
    assert_int_equal(empty, 0);
    /* same job id under another module is another job */
    assert_int_equal(schema_get_or_create_job(f->db, "r1", "m2", "7", &other, &empty, &err),
                     IB_OK);
    assert_int_not_equal(other, row);
    assert_int_equal(empty, 1);
    handjob_free(job);
}

static void test_priorities(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(schema_ensure(f->db, PROFILE_APP, &err), IB_OK);
    assert_int_equal(db_exec(f->db, "INSERT INTO testcase_metadata (testcase_name, priority)"
                                    " VALUES ('test_x', 'P0'), ('test_y', 'P2'),"
                                    " ('test_z', NULL)", &err), IB_OK);
    struct job *job = handjob_new();
    handjob_add(job, "a.py", "C", "test_x[1]", RESULT_PASSED, "t", NULL);
    handjob_add(job, "a.py", "C", "test_x[2]", RESULT_PASSED, "t", NULL);
    handjob_add(job, "a.py", "C", "test_y", RESULT_PASSED, "t", NULL);
    handjob_add(job, "a.py", "D", "test_y", RESULT_PASSED, "t", NULL);
    handjob_add(job, "a.py", "C", "test_z", RESULT_PASSED, "t", NULL);
    handjob_add(job, "a.py", "C", "test_w", RESULT_PASSED, "t", NULL);
    const char *prio[6];
    db_counts_reset(f->db);
    assert_int_equal(schema_lookup_priorities(f->db, job, prio, &err), IB_OK);
    assert_int_equal(db_counts(f->db)->select, 1);
    assert_string_equal(prio[0], "P0");
    assert_string_equal(prio[1], "P0");
    assert_string_equal(prio[2], "P2");
    assert_string_equal(prio[3], "P2");
    assert_null(prio[4]);
    assert_null(prio[5]);
    handjob_free(job);
}

/* Chunked at the variable limit: same answers, ceil(distinct / limit) queries. */
static void test_priorities_chunked(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(schema_ensure(f->db, PROFILE_APP, &err), IB_OK);
    struct job *job = handjob_make(1000, 0);
    assert_int_equal(schema_seed_history(f->db, job, "r", "m", 0, &err), IB_OK);
    const char **one = calloc(job->count, sizeof *one);
    const char **many = calloc(job->count, sizeof *many);
    db_counts_reset(f->db);
    assert_int_equal(schema_lookup_priorities(f->db, job, one, &err), IB_OK);
    assert_int_equal(db_counts(f->db)->select, 1);
    assert_int_equal(db_set_max_variables(f->db, 100), 100);
    db_counts_reset(f->db);
    assert_int_equal(schema_lookup_priorities(f->db, job, many, &err), IB_OK);
    /* 1000 results, 250 of them test_param[i] sharing one normalised name: 751 names */
    assert_int_equal(db_counts(f->db)->select, 8);
    size_t with = 0;
    for (size_t i = 0; i < job->count; i++) {
        if (one[i]) {
            with++;
            assert_non_null(many[i]);
            assert_string_equal(one[i], many[i]);
        } else {
            assert_null(many[i]);
        }
    }
    assert_true(with > 0 && with < job->count);
    free(one);
    free(many);
    handjob_free(job);
}

static void test_seed_history(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(schema_ensure(f->db, PROFILE_SEED, &err), IB_OK);
    struct job *job = handjob_make(50, 0);
    assert_int_equal(schema_seed_history(f->db, job, "rel", "mod", 3, &err), IB_OK);
    struct schema_outside snap;
    assert_int_equal(schema_snapshot_outside(f->db, "rel", "mod", "current", &snap, &err), IB_OK);
    assert_int_equal(snap.rows[0], 1);
    assert_int_equal(snap.rows[1], 1);
    assert_int_equal(snap.rows[2], 3);
    assert_int_equal(snap.rows[3], 150);
    assert_int_equal(snap.max_ids[3], 150);
    assert_true(snap.rows[4] > 0 && snap.rows[4] < 50);
    /* each earlier job digests as the same content under its own name */
    char d1[65], d2[65], d3[65];
    assert_int_equal(schema_digest_job(f->db, "rel", "mod", "h1", d1, &err), IB_OK);
    assert_int_equal(schema_digest_job(f->db, "rel", "mod", "h2", d2, &err), IB_OK);
    assert_string_not_equal(d1, d2);
    assert_int_equal(schema_seed_history(f->db, job, "rel", "mod", 0, &err), IB_OK);
    assert_int_equal(schema_digest_job(f->db, "rel", "mod", "h1", d3, &err), IB_OK);
    assert_string_equal(d1, d3);
    handjob_free(job);
}

struct collected {
    char rows[8][512];
    int n;
};

static int collect(void *ctx, const char *const *fields)
{
    struct collected *c = ctx;
    snprintf(c->rows[c->n++], sizeof c->rows[0], "%s|%s|%s|%s|%s", fields[0], fields[1],
             fields[2], fields[3], fields[9] ? fields[9] : "(null)");
    return IB_OK;
}

/* The digest: of the job alone, in key order, NULL apart from "". */
static void test_digest(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(schema_ensure(f->db, PROFILE_APP, &err), IB_OK);
    char empty[65], d1[65], d2[65], d3[65];
    assert_int_equal(schema_digest_job(f->db, "r", "m", "j", empty, &err), IB_OK);

    const char *odd = "it's \"x\"'); DROP TABLE test_results; --\xc3\xa9\xe6\x97\xa5";
    struct job *job = handjob_new();
    handjob_add(job, "b.py", "C", odd, RESULT_FAILED, "t1", "");
    handjob_add(job, "a.py", "C", "t", RESULT_PASSED, "t1", NULL);
    struct job *rev = handjob_new();
    handjob_add(rev, "a.py", "C", "t", RESULT_PASSED, "t1", NULL);
    handjob_add(rev, "b.py", "C", odd, RESULT_FAILED, "t1", "");
    rev->results[0].order_index = 1;
    rev->results[1].order_index = 0;
    int64_t row;
    int was_empty;
    assert_int_equal(schema_get_or_create_job(f->db, "r", "m", "j", &row, &was_empty, &err),
                     IB_OK);
    assert_int_equal(schema_digest_job(f->db, "r", "m", "j", d1, &err), IB_OK);
    assert_string_equal(d1, empty); /* a job without rows is the empty job */

    struct schema_rows rows = {.job_row = row, .results = job->results, .count = 2,
                               .created_at = "x"};
    assert_int_equal(schema_insert_results(f->db, &rows, &err), IB_OK);
    assert_int_equal(schema_digest_job(f->db, "r", "m", "j", d1, &err), IB_OK);
    struct collected c = {.n = 0};
    assert_int_equal(schema_each_job_row(f->db, "r", "m", "j", collect, &c, &err), IB_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.rows[0], "a.py|C|t|PASSED|(null)");
    char want[512];
    snprintf(want, sizeof want, "b.py|C|%s|FAILED|", odd);
    assert_string_equal(c.rows[1], want);

    /* the same content in another database, after other jobs, inserted in the
     * other order, with other timestamps: the same digest */
    char path[4300];
    snprintf(path, sizeof path, "%s/other.db", f->dir);
    struct db *db = open_db(path);
    assert_int_equal(schema_ensure(db, PROFILE_SEED, &err), IB_OK);
    assert_int_equal(schema_seed_history(db, rev, "r", "m", 2, &err), IB_OK);
    assert_int_equal(schema_get_or_create_job(db, "r", "m", "j", &row, &was_empty, &err), IB_OK);
    rows = (struct schema_rows){.job_row = row, .results = rev->results, .count = 2,
                                .created_at = "y"};
    assert_int_equal(schema_insert_results(db, &rows, &err), IB_OK);
    assert_int_equal(schema_digest_job(db, "r", "m", "j", d2, &err), IB_OK);
    assert_string_equal(d1, d2);

    /* "" and NULL differ; so do statistics */
    assert_int_equal(db_exec(db, "UPDATE test_results SET failure_message = NULL"
                                 " WHERE failure_message = ''", &err), IB_OK);
    assert_int_equal(schema_digest_job(db, "r", "m", "j", d3, &err), IB_OK);
    assert_string_not_equal(d1, d3);
    assert_int_equal(db_exec(db, "UPDATE test_results SET failure_message = ''"
                                 " WHERE failure_message IS NULL AND test_name != 't'", &err),
                     IB_OK);
    assert_int_equal(schema_digest_job(db, "r", "m", "j", d3, &err), IB_OK);
    assert_string_equal(d1, d3);
    assert_int_equal(schema_write_job_stats(db, row, &job->stats, &err), IB_OK);
    assert_int_equal(schema_digest_job(db, "r", "m", "j", d3, &err), IB_OK);
    assert_string_not_equal(d1, d3);
    db_close(db);
    handjob_free(job);
    handjob_free(rev);
}

static void test_snapshot_outside(void **state)
{
    struct fixture *f = *state;
    struct ib_error err;
    assert_int_equal(schema_ensure(f->db, PROFILE_APP, &err), IB_OK);
    struct job *job = handjob_make(20, 0);
    assert_int_equal(schema_seed_history(f->db, job, "r", "m", 2, &err), IB_OK);
    struct schema_outside before, after;
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    assert_int_equal(schema_snapshot_outside(f->db, "r", "m", "cur", &before, &err), IB_OK);
    int64_t row;
    int was_empty;
    assert_int_equal(schema_get_or_create_job(f->db, "r", "m", "cur", &row, &was_empty, &err),
                     IB_OK);
    struct schema_rows rows = {.job_row = row, .results = job->results, .count = job->count,
                               .created_at = "x"};
    assert_int_equal(schema_insert_results(f->db, &rows, &err), IB_OK);
    assert_int_equal(schema_snapshot_outside(f->db, "r", "m", "cur", &after, &err), IB_OK);
    assert_memory_equal(&before, &after, sizeof before);
    assert_int_equal(db_exec(f->db, "UPDATE test_results SET setup_ip = '1.2.3.4'"
                                    " WHERE id = 3", &err), IB_OK);
    assert_int_equal(schema_snapshot_outside(f->db, "r", "m", "cur", &after, &err), IB_OK);
    assert_int_equal(after.rows[3], before.rows[3]);
    assert_string_not_equal(after.other_results_digest, before.other_results_digest);
    handjob_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_profiles_and_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_profile_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_or_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_priorities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_priorities_chunked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seed_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_outside, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
