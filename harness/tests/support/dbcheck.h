/* dbcheck.h: what the hardening tests check of a database file after an
 * import failed, crashed or raced: that SQLite finds it intact, and that its
 * whole content is what it was (a digest in the spirit of a .dump's hash). */
#ifndef IB_DBCHECK_H
#define IB_DBCHECK_H

/* PRAGMA integrity_check's first row: "ok" when intact. The file is opened
 * read-write, so that a hot journal left by a crash is rolled back first, as
 * any next user of the database would. Returns a malloc'd string. */
char *dbcheck_integrity(const char *path);

/* SHA-256 (hex) of the schema and of every row of every table, rowid order,
 * each value with its type: equal digests mean equal content. */
void dbcheck_content_digest(const char *path, char out[65]);

/* The same digest with every value that looks like a timestamp
 * ("YYYY-MM-DD HH:MM:SS...") taken as equal: two imports of the same job into
 * the same starting database then digest the same. */
void dbcheck_content_digest_untimed(const char *path, char out[65]);

/* Rows of test_results for release/module/job; -1 when the job is absent. */
long dbcheck_job_rows(const char *path, const char *release, const char *module,
                      const char *job_id);

#endif
