/* fuzz_import.c: libFuzzer target for the whole parse-and-import path, into
 * an in-memory database that already holds a job.
 *
 * The input becomes a job directory: a main run, and a rerun of the same
 * topology after a line "--RERUN--" when there is one. It is imported as job
 * r/m/a with batch, then again with bulk (a re-import: every key exists), into
 * a shared-cache in-memory database that this target keeps open between runs.
 * Checked every time: an import that fails leaves everything exactly as it was
 * (other jobs' rows and ids, and no trace of r/m/a); one that succeeds gives
 * the same digest on re-import with another strategy, and as many rows as
 * results. The job is then deleted, so that each input starts from the same
 * database. */
#define _GNU_SOURCE   /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "fuzz_check.h"
#include "importer.h"
#include "schema.h"
#include "strategy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DB_URI "file:fuzz_import?mode=memory&cache=shared"
#define RERUN_MARK "\n--RERUN--\n"

static const char base_job[] =
    "<testsuite><testcase classname='base.T' name='one' file='b.py'/>"
    "<testcase classname='base.T' name='two' file='b.py'><failure message='m'>t</failure>"
    "</testcase></testsuite>";

/* What a run needs: the directory for the input, and the connection that
 * keeps the in-memory database alive. Set up once per process. */
struct fixture {
    char dir[256], main_path[300], rerun_path[300];
    struct db *keeper;
};

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
}

static int import(const char *dir, const char *job, const char *strategy,
                  struct import_report *rep, struct ib_error *err)
{
    struct import_request req;
    memset(&req, 0, sizeof req);
    req.db_path = DB_URI;
    req.dir = dir;
    req.release = "r";
    req.module = "m";
    req.job_id = job;
    req.strategy = strategy_find(strategy);
    req.profile = PROFILE_APP;
    FUZZ_CHECK(req.strategy != NULL);
    ib_error_clear(err);
    return importer_run(&req, rep, err);
}

static struct fixture fx;

static void fixture_release(void)
{
    unlink(fx.main_path);
    unlink(fx.rerun_path);
    rmdir(fx.dir);
    db_close(fx.keeper);
}

static struct fixture *fixture_get(void)
{
    static int ready;
    if (ready)
        return &fx;
    /* URI names reach sqlite3_open_v2 only with this set, before any use. */
    FUZZ_CHECK(sqlite3_config(SQLITE_CONFIG_URI, 1) == SQLITE_OK);
    const char *tmp = getenv("TMPDIR");
    snprintf(fx.dir, sizeof fx.dir, "%s/fuzz_import.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(fx.dir) != NULL);
    atexit(fixture_release);
    snprintf(fx.main_path, sizeof fx.main_path, "%s/20240101000000_mod_topoA.xml", fx.dir);
    snprintf(fx.rerun_path, sizeof fx.rerun_path, "%s/re_run_mod_topoA.xml", fx.dir);
    struct ib_error err;
    struct db_config cfg = {.path = DB_URI, .busy_timeout_ms = 1000, .create = 1};
    FUZZ_CHECK(db_open(&fx.keeper, &cfg, &err) == IB_OK);
    write_file(fx.main_path, (const uint8_t *)base_job, strlen(base_job));
    struct import_report rep;
    if (import(fx.dir, "base", "batch", &rep, &err) != IB_OK) {
        fprintf(stderr, "fuzz_import: base job: %s\n", err.msg);
        abort();
    }
    unlink(fx.main_path);
    ready = 1;
    return &fx;
}

static void snapshot(struct db *db, struct schema_outside *out)
{
    struct ib_error err;
    memset(out, 0, sizeof *out);
    FUZZ_CHECK(schema_snapshot_outside(db, "r", "m", "a", out, &err) == IB_OK);
}

static void delete_job(struct db *db)
{
    struct ib_error err;
    int rc = db_exec(db,
                     "DELETE FROM test_results WHERE job_id IN (SELECT j.id FROM jobs j "
                     "JOIN modules m ON j.module_id = m.id JOIN releases r ON "
                     "m.release_id = r.id WHERE r.name = 'r' AND m.name = 'm' AND "
                     "j.job_id = 'a');"
                     "DELETE FROM jobs WHERE job_id = 'a';", &err);
    if (rc != IB_OK) {
        fprintf(stderr, "fuzz_import: delete: %s\n", err.msg);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fixture *fx = fixture_get();
    const uint8_t *mark = memmem(data, size, RERUN_MARK, strlen(RERUN_MARK));
    size_t main_len = mark ? (size_t)(mark - data) : size;
    write_file(fx->main_path, data, main_len);
    if (mark) {
        size_t skip = main_len + strlen(RERUN_MARK);
        write_file(fx->rerun_path, data + skip, size - skip);
    }

    struct schema_outside before, after;
    struct import_report first, second;
    struct ib_error err;
    char empty_digest[65], digest[65];
    snapshot(fx->keeper, &before);
    FUZZ_CHECK(schema_digest_job(fx->keeper, "r", "m", "a", empty_digest, &err) == IB_OK);
    int rc = import(fx->dir, "a", "batch", &first, &err);
    if (rc != IB_OK) {
        FUZZ_CHECK(rc == IB_ERR || rc == IB_EUSAGE);
        FUZZ_CHECK(err.msg[0] != '\0');
        snapshot(fx->keeper, &after);
        FUZZ_CHECK(memcmp(&before, &after, sizeof before) == 0);
        FUZZ_CHECK(schema_digest_job(fx->keeper, "r", "m", "a", digest, &err) == IB_OK);
        FUZZ_CHECK(strcmp(digest, empty_digest) == 0);
    } else {
        FUZZ_CHECK(strlen(first.digest) == 64);
        FUZZ_CHECK(first.inserted == first.results && first.updated == 0);
        rc = import(fx->dir, "a", "bulk", &second, &err);
        if (rc != IB_OK) {
            fprintf(stderr, "fuzz_import: re-import failed: %s\n", err.msg);
            abort();
        }
        FUZZ_CHECK(strcmp(first.digest, second.digest) == 0);
        FUZZ_CHECK(second.updated == first.results && second.inserted == 0);
        delete_job(fx->keeper);
        snapshot(fx->keeper, &after);
        FUZZ_CHECK(memcmp(before.other_results_digest, after.other_results_digest, 65) == 0);
    }
    unlink(fx->main_path);
    if (mark)
        unlink(fx->rerun_path);
    return 0;
}
