/* test_concurrency.c: `importbench import` while others use the database.
 *
 * A reader holding a read transaction, in SQLite's rollback-journal mode (the
 * tool's default), keeps the import from committing: the import waits
 * --busy-timeout, then fails with "database is locked" and changes nothing;
 * a reader that finishes in time only delays it. In WAL mode the reader does
 * not block the import and keeps its snapshot. Two imports of different jobs
 * started at once both complete, one after the other, each with the digest it
 * has alone; locked out by a third writer, both fail cleanly. After every
 * case: integrity_check ok, no job lost, nothing half-written. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "db.h"
#include "dbcheck.h"
#include "schema.h"
#include "spawn.h"

#define RESULTS 2000
#define WAIT_MS 60000      /* the most any spawned import may take here */

struct world {
    char *dir;
    char job_a[4200], job_b[4200], start[4200], db[4200];
    char digest_a[65], digest_b[65], digest_base[65], start_content[65];
};

/* importbench import --json of dir as r/m/job into db; its stdout's digest. */
static void spawn_import(struct spawned *p, struct world *w, const char *tag, const char *dir,
                         const char *job, const char *busy_ms)
{
    char spec[64];
    snprintf(spec, sizeof spec, "r/m/%s", job);
    char *argv[] = {(char *)IB_IMPORTBENCH_BIN, "import", "--db", w->db, "--job", spec,
                    "--strategy", "batch", "--busy-timeout", (char *)busy_ms, "--json",
                    (char *)dir, NULL};
    spawn_start(p, w->dir, tag, argv);
}

static void json_digest(const struct spawned *p, char out[65])
{
    char *text = read_whole_file(p->out, NULL);
    assert_non_null(text);
    json_error_t jerr;
    json_t *o = json_loads(text, 0, &jerr);
    if (!o)
        fail_msg("%s: not JSON: %s", p->out, jerr.text);
    const char *d = json_string_value(json_object_get(o, "digest"));
    assert_non_null(d);
    assert_int_equal(strlen(d), 64);
    memcpy(out, d, 65);
    json_decref(o);
    free(text);
}

static void job_digest(const char *path, const char *job, char out[65])
{
    struct db *db;
    struct ib_error err;
    struct db_config cfg = {.path = path, .busy_timeout_ms = 5000, .create = 0};
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    if (schema_digest_job(db, "r", "m", job, out, &err) != IB_OK)
        fail_msg("%s", err.msg);
    db_close(db);
}

static void copy_start(struct world *w)
{
    size_t len;
    char *data = read_whole_file(w->start, &len);
    assert_non_null(data);
    assert_int_equal(write_whole_file(w->db, data, len), 0);
    free(data);
}

static void expect_exit(struct spawned *p, int code, const char *stderr_text)
{
    int rc = spawn_wait(p, WAIT_MS);
    char *err = spawn_stderr(p);
    if (rc != code || (stderr_text && strcmp(err, stderr_text) != 0))
        fail_msg("exit %d (expected %d), stderr '%s'", rc, code, err);
    free(err);
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    w->dir = tmpdir_make();
    char base[4300];
    snprintf(w->job_a, sizeof w->job_a, "%s/job-a", w->dir);
    snprintf(w->job_b, sizeof w->job_b, "%s/job-b", w->dir);
    snprintf(base, sizeof base, "%s/base", w->dir);
    snprintf(w->start, sizeof w->start, "%s/start.db", w->dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' --quiet --results %d --seed 1 --out '%s' && '%s' --quiet --results %d "
            "--seed 2 --out '%s' && '%s' --quiet --results 100 --seed 3 --out '%s'",
            IB_JUNITGEN_BIN, RESULTS, w->job_a, IB_JUNITGEN_BIN, RESULTS, w->job_b,
            IB_JUNITGEN_BIN, base);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    /* The starting database, and each job's digest when imported alone. */
    struct spawned p;
    memcpy(w->db, w->start, sizeof w->db);
    spawn_import(&p, w, "base", base, "base", "5000");
    expect_exit(&p, 0, "");
    job_digest(w->start, "base", w->digest_base);
    dbcheck_content_digest(w->start, w->start_content);
    snprintf(w->db, sizeof w->db, "%s/case.db", w->dir);
    copy_start(w);
    spawn_import(&p, w, "solo-a", w->job_a, "a", "5000");
    expect_exit(&p, 0, "");
    json_digest(&p, w->digest_a);
    copy_start(w);
    spawn_import(&p, w, "solo-b", w->job_b, "b", "5000");
    expect_exit(&p, 0, "");
    json_digest(&p, w->digest_b);
    assert_string_not_equal(w->digest_a, w->digest_b);
    copy_start(w);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    tmpdir_remove(w->dir);
    free(w);
    return 0;
}

static void expect_unchanged(struct world *w)
{
    char *check = dbcheck_integrity(w->db);
    assert_string_equal(check, "ok");
    free(check);
    char digest[65];
    dbcheck_content_digest(w->db, digest);
    assert_string_equal(digest, w->start_content);
}

static void expect_jobs(struct world *w, int a, int b)
{
    char *check = dbcheck_integrity(w->db);
    assert_string_equal(check, "ok");
    free(check);
    char digest[65];
    job_digest(w->db, "base", digest);
    assert_string_equal(digest, w->digest_base);
    assert_int_equal(dbcheck_job_rows(w->db, "r", "m", "a"), a ? RESULTS : -1);
    assert_int_equal(dbcheck_job_rows(w->db, "r", "m", "b"), b ? RESULTS : -1);
    if (a) {
        job_digest(w->db, "a", digest);
        assert_string_equal(digest, w->digest_a);
    }
    if (b) {
        job_digest(w->db, "b", digest);
        assert_string_equal(digest, w->digest_b);
    }
}

/* A connection of the test's own, in a read (or write) transaction. */
static sqlite3 *hold(const char *path, const char *begin, long *rows)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, begin, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM test_results", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    *rows = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return db;
}

static long rows_seen(sqlite3 *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM test_results", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void release(sqlite3 *db)
{
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_reader_blocks_commit(void **state)
{
    struct world *w = *state;
    long rows;
    sqlite3 *reader = hold(w->db, "BEGIN", &rows);
    assert_int_equal(rows, 100);
    struct spawned p;
    char locked[4400];
    snprintf(locked, sizeof locked, "importbench: %s: database is locked\n", w->db);
    spawn_import(&p, w, "a", w->job_a, "a", "200");
    expect_exit(&p, 1, locked);
    assert_int_equal(rows_seen(reader), 100);
    release(reader);
    expect_unchanged(w);
    spawn_import(&p, w, "a-again", w->job_a, "a", "200");
    expect_exit(&p, 0, "");
    expect_jobs(w, 1, 0);
}

/* A reader that ends while the import waits only delays it. The reader runs
 * in a child process and says when it holds its transaction. */
static void test_reader_done_in_time(void **state)
{
    struct world *w = *state;
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        sqlite3 *db;
        int ok = sqlite3_open_v2(w->db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
                 sqlite3_exec(db, "BEGIN; SELECT count(*) FROM test_results;", NULL, NULL,
                              NULL) == SQLITE_OK;
        char c = ok ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            _exit(1);
        spawn_sleep(0.4);
        ok = ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
        sqlite3_close(db);
        _exit(ok ? 0 : 1);
    }
    close(ready[1]);
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    assert_int_equal(c, 'y');
    struct spawned p;
    spawn_import(&p, w, "a", w->job_a, "a", "20000");
    expect_exit(&p, 0, "");
    int st;
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    expect_jobs(w, 1, 0);
}

static void test_wal_reader_keeps_snapshot(void **state)
{
    struct world *w = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(w->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    long rows;
    sqlite3 *reader = hold(w->db, "BEGIN", &rows);
    assert_int_equal(rows, 100);
    struct spawned p;
    spawn_import(&p, w, "a", w->job_a, "a", "200");
    expect_exit(&p, 0, "");
    assert_int_equal(rows_seen(reader), 100);
    release(reader);
    expect_jobs(w, 1, 0);
}

static void test_two_imports_at_once(void **state)
{
    struct world *w = *state;
    struct spawned a, b;
    spawn_import(&a, w, "a", w->job_a, "a", "20000");
    spawn_import(&b, w, "b", w->job_b, "b", "20000");
    expect_exit(&a, 0, "");
    expect_exit(&b, 0, "");
    char digest[65];
    json_digest(&a, digest);
    assert_string_equal(digest, w->digest_a);
    json_digest(&b, digest);
    assert_string_equal(digest, w->digest_b);
    expect_jobs(w, 1, 1);
}

static void test_two_imports_locked_out(void **state)
{
    struct world *w = *state;
    long rows;
    sqlite3 *writer = hold(w->db, "BEGIN IMMEDIATE", &rows);
    struct spawned a, b;
    char locked[4400];
    snprintf(locked, sizeof locked, "importbench: %s: database is locked\n", w->db);
    spawn_import(&a, w, "a", w->job_a, "a", "200");
    spawn_import(&b, w, "b", w->job_b, "b", "200");
    expect_exit(&a, 1, locked);
    expect_exit(&b, 1, locked);
    release(writer);
    expect_unchanged(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reader_blocks_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_done_in_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wal_reader_keeps_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_imports_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_imports_locked_out, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
