/* dbcheck.c: integrity and content digests of a database file, for tests. */
#include "dbcheck.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sha256.h"
#include "testutil.h"

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("%s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_busy_timeout(db, 10000);
    return db;
}

char *dbcheck_integrity(const char *path)
{
    sqlite3 *db = open_db(path);
    sqlite3_stmt *st = NULL;
    char *result;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        result = strdup(sqlite3_errmsg(db));
    else if (sqlite3_step(st) == SQLITE_ROW)
        result = strdup((const char *)sqlite3_column_text(st, 0));
    else
        result = strdup(sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return result;
}

static int looks_like_time(const unsigned char *s, int n)
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    if (n < (int)sizeof shape - 1)
        return 0;
    for (int i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != (unsigned char)shape[i])
            return 0;
    return 1;
}

static void hash_value(struct sha256 *h, sqlite3_stmt *st, int col, int untimed)
{
    int type = sqlite3_column_type(st, col);
    unsigned char tag = (unsigned char)type;
    const void *p = NULL;
    int n = 0;
    if (type == SQLITE_BLOB) {
        p = sqlite3_column_blob(st, col);
        n = sqlite3_column_bytes(st, col);
    } else if (type != SQLITE_NULL) {
        p = sqlite3_column_text(st, col);   /* numbers as SQLite prints them */
        n = sqlite3_column_bytes(st, col);
        if (untimed && type == SQLITE_TEXT && looks_like_time(p, n))
            p = "T", n = 1;
    }
    uint32_t len = (uint32_t)n;
    sha256_update(h, &tag, 1);
    sha256_update(h, &len, sizeof len);
    if (n)
        sha256_update(h, p, (size_t)n);
}

static void hash_query(sqlite3 *db, const char *sql, struct sha256 *h, int untimed)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(st); i++)
            hash_value(h, st, i, untimed);
    if (rc != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

static void digest(const char *path, char out[65], int untimed)
{
    sqlite3 *db = open_db(path);
    struct sha256 h;
    sha256_init(&h);
    hash_query(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", &h,
               0);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                               "ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", path, sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid",
                 (const char *)sqlite3_column_text(st, 0));
        hash_query(db, sql, &h, untimed);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    sha256_hex(&h, out);
}

void dbcheck_content_digest(const char *path, char out[65])
{
    digest(path, out, 0);
}

void dbcheck_content_digest_untimed(const char *path, char out[65])
{
    digest(path, out, 1);
}

long dbcheck_job_rows(const char *path, const char *release, const char *module,
                      const char *job_id)
{
    sqlite3 *db = open_db(path);
    sqlite3_stmt *st;
    const char *sql =
        "SELECT (SELECT count(*) FROM test_results t WHERE t.job_id = j.id) FROM jobs j "
        "JOIN modules m ON j.module_id = m.id JOIN releases r ON m.release_id = r.id "
        "WHERE r.name = ? AND m.name = ? AND j.job_id = ?";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", path, sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, release, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, module, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, job_id, -1, SQLITE_STATIC);
    long rows = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}
