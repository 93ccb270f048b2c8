/* test_ioerror.c: a full disk and a failing disk under the importer.
 *
 * A shim VFS wraps SQLite's default one and lets the first K bytes of writes
 * through (database and journal alike), then fails every write with
 * SQLITE_FULL (the disk is full) or SQLITE_IOERR_WRITE (the disk fails).
 * Registered as the default VFS of this process, it is what importer_run's
 * connection uses, with no hook in the importer. For K spread over a whole
 * import's writes, the import must fail with a clear error, and the database,
 * once the disk is back (the shim unregistered; SQLite rolls back any hot
 * journal on the next open), must be intact and hold exactly what it held. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "dbcheck.h"
#include "importer.h"
#include "strategy.h"

struct shim {
    sqlite3_vfs vfs;
    sqlite3_vfs *real;
    sqlite3_int64 budget;      /* bytes still allowed; < 0: no limit */
    sqlite3_int64 written;     /* bytes written through the shim */
    int fail_code;
    int failures;
};

struct shim_file {
    sqlite3_file base;
    struct shim *shim;
    sqlite3_file *real;        /* follows this struct in the same block */
};

#define REAL(f) (((struct shim_file *)(f))->real)

static int shim_close(sqlite3_file *f)
{
    return REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
}
static int shim_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), buf, amt, off);
}
static int shim_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    struct shim *s = ((struct shim_file *)f)->shim;
    if (s->budget >= 0 && amt > s->budget) {
        s->budget = 0;
        s->failures++;
        return s->fail_code;
    }
    if (s->budget >= 0)
        s->budget -= amt;
    s->written += amt;
    return REAL(f)->pMethods->xWrite(REAL(f), buf, amt, off);
}
static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int shim_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int shim_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int shim_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}
static int shim_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}
static int shim_check_lock(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int shim_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int shim_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int shim_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

/* Version 1 methods: no shared memory (WAL) and no memory mapping, which the
 * importer's rollback-journal connection does not use. */
static const sqlite3_io_methods shim_methods = {
    1, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_size,
    shim_lock, shim_unlock, shim_check_lock, shim_control, shim_sector, shim_device,
    NULL, NULL, NULL, NULL, NULL, NULL};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
                     int *out_flags)
{
    struct shim *s = vfs->pAppData;
    struct shim_file *sf = (struct shim_file *)f;
    sf->shim = s;
    sf->real = (sqlite3_file *)(sf + 1);
    memset(sf->real, 0, (size_t)s->real->szOsFile);
    int rc = s->real->xOpen(s->real, name, sf->real, flags, out_flags);
    sf->base.pMethods = sf->real->pMethods ? &shim_methods : NULL;
    return rc;
}
static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    struct shim *s = vfs->pAppData;
    return s->real->xDelete(s->real, name, sync);
}
static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    struct shim *s = vfs->pAppData;
    return s->real->xAccess(s->real, name, flags, out);
}
static int shim_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    struct shim *s = vfs->pAppData;
    return s->real->xFullPathname(s->real, name, n, out);
}
static int shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    struct shim *s = vfs->pAppData;
    return s->real->xRandomness(s->real, n, out);
}
static int shim_sleep(sqlite3_vfs *vfs, int us)
{
    struct shim *s = vfs->pAppData;
    return s->real->xSleep(s->real, us);
}
static int shim_time(sqlite3_vfs *vfs, double *out)
{
    struct shim *s = vfs->pAppData;
    return s->real->xCurrentTime(s->real, out);
}
static int shim_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    struct shim *s = vfs->pAppData;
    return s->real->xGetLastError(s->real, n, out);
}

static void shim_install(struct shim *s, sqlite3_int64 budget, int fail_code)
{
    memset(s, 0, sizeof *s);
    s->real = sqlite3_vfs_find(NULL);
    assert_non_null(s->real);
    s->budget = budget;
    s->fail_code = fail_code;
    s->vfs.iVersion = 1;
    s->vfs.szOsFile = (int)sizeof(struct shim_file) + s->real->szOsFile;
    s->vfs.mxPathname = s->real->mxPathname;
    s->vfs.zName = "ib-failing-disk";
    s->vfs.pAppData = s;
    s->vfs.xOpen = shim_open;
    s->vfs.xDelete = shim_delete;
    s->vfs.xAccess = shim_access;
    s->vfs.xFullPathname = shim_full_path;
    s->vfs.xRandomness = shim_randomness;
    s->vfs.xSleep = shim_sleep;
    s->vfs.xCurrentTime = shim_time;
    s->vfs.xGetLastError = shim_last_error;
    assert_int_equal(sqlite3_vfs_register(&s->vfs, 1), SQLITE_OK);
}

static void shim_remove(struct shim *s)
{
    assert_int_equal(sqlite3_vfs_unregister(&s->vfs), SQLITE_OK);
    assert_ptr_equal(sqlite3_vfs_find(NULL), s->real);
}

struct world {
    char *dir;
    char job[4200], start[4200], db[4200];
    char start_digest[65];
};

static void run_import(const char *db, const char *dir, const char *job, int *status,
                       struct ib_error *err)
{
    struct import_request req;
    struct import_report rep;
    memset(&req, 0, sizeof req);
    req.db_path = db;
    req.dir = dir;
    req.release = "r";
    req.module = "m";
    req.job_id = job;
    req.strategy = strategy_find("batch");
    req.profile = PROFILE_APP;
    assert_non_null(req.strategy);
    ib_error_clear(err);
    *status = importer_run(&req, &rep, err);
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = read_whole_file(from, &len);
    assert_non_null(data);
    assert_int_equal(write_whole_file(to, data, len), 0);
    free(data);
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    w->dir = tmpdir_make();
    char base[4300];
    snprintf(w->job, sizeof w->job, "%s/job", w->dir);
    snprintf(base, sizeof base, "%s/base", w->dir);
    snprintf(w->start, sizeof w->start, "%s/start.db", w->dir);
    snprintf(w->db, sizeof w->db, "%s/case.db", w->dir);
    struct cmd_result r;
    run_cmd(&r, "'%s' --quiet --results 2000 --out '%s' && '%s' --quiet --results 100 "
            "--seed 9 --out '%s'", IB_JUNITGEN_BIN, w->job, IB_JUNITGEN_BIN, base);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    int status;
    struct ib_error err;
    run_import(w->start, base, "base", &status, &err);
    if (status != IB_OK)
        fail_msg("%s", err.msg);
    dbcheck_content_digest(w->start, w->start_digest);
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

/* One import with the disk failing after budget bytes; returns the status. */
static int import_on_failing_disk(struct world *w, sqlite3_int64 budget, int code,
                                  struct shim *s, struct ib_error *err)
{
    char side[4300];
    snprintf(side, sizeof side, "%s-journal", w->db);
    remove(side);
    copy_file(w->start, w->db);
    int status;
    shim_install(s, budget, code);
    run_import(w->db, w->job, "new", &status, err);
    shim_remove(s);
    return status;
}

static void expect_intact(struct world *w)
{
    char *check = dbcheck_integrity(w->db);
    assert_string_equal(check, "ok");
    free(check);
    char digest[65];
    dbcheck_content_digest(w->db, digest);
    assert_string_equal(digest, w->start_digest);
    assert_int_equal(dbcheck_job_rows(w->db, "r", "m", "new"), -1);
}

static void failing_disk(void **state, int code, const char *why)
{
    struct world *w = *state;
    struct shim s;
    struct ib_error err;
    /* The whole import's writes, with no limit. */
    assert_int_equal(import_on_failing_disk(w, -1, code, &s, &err), IB_OK);
    sqlite3_int64 total = s.written;
    assert_true(total > 100000);
    assert_int_equal(s.failures, 0);
    assert_int_equal(dbcheck_job_rows(w->db, "r", "m", "new"), 2000);

    const double at[] = {0.0, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999};
    char expected[4400];
    snprintf(expected, sizeof expected, "%s: %s", w->db, why);
    int hot_journals = 0;
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        sqlite3_int64 budget = (sqlite3_int64)(at[i] * (double)total);
        int status = import_on_failing_disk(w, budget, code, &s, &err);
        if (status != IB_ERR || strcmp(err.msg, expected) != 0)
            fail_msg("budget %lld of %lld bytes: status %d, '%s'", (long long)budget,
                     (long long)total, status, err.msg);
        assert_true(s.failures >= 1);
        char journal[4400];
        snprintf(journal, sizeof journal, "%s-journal", w->db);
        FILE *hot = fopen(journal, "rb");     /* the rollback failed too */
        if (hot)
            hot_journals++, fclose(hot);
        expect_intact(w);
    }
    /* Early failures are rolled back in place; later ones, once the cache
     * spilled into the file, leave a hot journal that the next open rolls back. */
    assert_true(hot_journals >= 1 && hot_journals < 8);
}

static void test_disk_full(void **state)
{
    failing_disk(state, SQLITE_FULL, "database or disk is full");
}

static void test_disk_io_error(void **state)
{
    failing_disk(state, SQLITE_IOERR_WRITE, "disk I/O error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_io_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
