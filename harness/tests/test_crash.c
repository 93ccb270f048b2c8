/* test_crash.c: the reduced, fast form of scripts/crash-test. `importbench
 * import` of a small job is killed with SIGKILL at moments spread evenly over
 * one whole import (from 10% to 110% of its duration, so that the kills fall
 * into parsing, writing, the commit and after the end), in SQLite's rollback
 * journal and in WAL. After each kill the database must pass integrity_check
 * and be either exactly the starting database (the job absent, nothing else
 * touched) or exactly what a completed import leaves: the same content,
 * timestamps aside, and the job's digest that the import reports. */
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "db.h"
#include "dbcheck.h"
#include "schema.h"
#include "spawn.h"

#define RESULTS 3000
#define TRIALS 6

struct world {
    char *dir;
    char job[4200], start[4200], db[4200];
};

static void spawn_import(struct spawned *p, struct world *w, const char *tag, const char *db,
                         const char *dir, const char *job)
{
    char spec[64];
    snprintf(spec, sizeof spec, "r/m/%s", job);
    char *argv[] = {(char *)IB_IMPORTBENCH_BIN, "import", "--db", (char *)db, "--job", spec,
                    "--strategy", "batch", "--json", (char *)dir, NULL};
    spawn_start(p, w->dir, tag, argv);
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = read_whole_file(from, &len);
    assert_non_null(data);
    assert_int_equal(write_whole_file(to, data, len), 0);
    free(data);
}

static void remove_db(const char *path)
{
    char side[4300];
    unlink(path);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void reported_digest(const struct spawned *p, char out[65])
{
    char *text = read_whole_file(p->out, NULL);
    assert_non_null(text);
    json_t *o = json_loads(text, 0, NULL);
    assert_non_null(o);
    const char *d = json_string_value(json_object_get(o, "digest"));
    assert_non_null(d);
    snprintf(out, 65, "%s", d);
    json_decref(o);
    free(text);
}

static void job_digest(const char *path, char out[65])
{
    struct db *db;
    struct ib_error err;
    struct db_config cfg = {.path = path, .busy_timeout_ms = 5000, .create = 0};
    assert_int_equal(db_open(&db, &cfg, &err), IB_OK);
    if (schema_digest_job(db, "r", "m", "crash", out, &err) != IB_OK)
        fail_msg("%s", err.msg);
    db_close(db);
}

static void crash_trials(const char *journal_mode)
{
    struct world w;
    w.dir = tmpdir_make();
    char base[4300];
    snprintf(w.job, sizeof w.job, "%s/job", w.dir);
    snprintf(base, sizeof base, "%s/base", w.dir);
    snprintf(w.start, sizeof w.start, "%s/start.db", w.dir);
    snprintf(w.db, sizeof w.db, "%s/trial.db", w.dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' --quiet --results %d --seed 7 --out '%s' && '%s' --quiet --results 100 "
            "--seed 8 --out '%s'", IB_JUNITGEN_BIN, RESULTS, w.job, IB_JUNITGEN_BIN, base);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);

    /* The starting database, its content, and what a completed import leaves. */
    struct spawned p;
    spawn_import(&p, &w, "base", w.start, base, "base");
    assert_int_equal(spawn_wait(&p, 60000), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(w.start, &db), SQLITE_OK);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA journal_mode=%s", journal_mode);
    assert_int_equal(sqlite3_exec(db, pragma, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char start_content[65], done_content[65], done_digest[65], digest[65];
    dbcheck_content_digest(w.start, start_content);
    copy_file(w.start, w.db);
    double t0 = spawn_now();
    spawn_import(&p, &w, "whole", w.db, w.job, "crash");
    assert_int_equal(spawn_wait(&p, 60000), 0);
    double whole = spawn_now() - t0;
    reported_digest(&p, done_digest);
    dbcheck_content_digest_untimed(w.db, done_content);

    int absent = 0, complete = 0;
    for (int i = 0; i < TRIALS; i++) {
        remove_db(w.db);
        copy_file(w.start, w.db);
        spawn_import(&p, &w, "trial", w.db, w.job, "crash");
        spawn_sleep(whole * (0.1 + 1.0 * i / (TRIALS - 1)));
        kill(p.pid, SIGKILL);
        int rc = spawn_wait(&p, 60000);
        assert_true(rc == 0 || rc == 128 + SIGKILL);
        char *check = dbcheck_integrity(w.db);
        if (strcmp(check, "ok") != 0)
            fail_msg("%s trial %d: integrity_check: %s", journal_mode, i, check);
        free(check);
        dbcheck_content_digest(w.db, digest);
        if (!strcmp(digest, start_content)) {
            absent++;
            assert_int_equal(dbcheck_job_rows(w.db, "r", "m", "crash"), -1);
            continue;
        }
        dbcheck_content_digest_untimed(w.db, digest);
        if (strcmp(digest, done_content) != 0)
            fail_msg("%s trial %d (exit %d): neither the starting nor the completed database",
                     journal_mode, i, rc);
        job_digest(w.db, digest);
        assert_string_equal(digest, done_digest);
        assert_int_equal(dbcheck_job_rows(w.db, "r", "m", "crash"), RESULTS);
        complete++;
    }
    printf("crash: %s: %d trials, %d left the job absent, %d complete\n", journal_mode,
           TRIALS, absent, complete);
    assert_int_equal(absent + complete, TRIALS);
    tmpdir_remove(w.dir);
}

static void test_crash_rollback_journal(void **state)
{
    (void)state;
    crash_trials("DELETE");
}

static void test_crash_wal(void **state)
{
    (void)state;
    crash_trials("WAL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_rollback_journal),
        cmocka_unit_test(test_crash_wal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
