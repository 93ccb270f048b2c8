/* testutil.h: what the cmocka tests share: running the built programs and
 * capturing their output and exit code, temporary directories, reading files,
 * and finding ../shared (tests that need it skip, saying so, where it is absent). */
#ifndef IB_TESTUTIL_H
#define IB_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

struct cmd_result {
    int exit_code;      /* -1 when the process did not exit normally */
    char *out;          /* captured stdout, NUL-terminated (malloc'd) */
    char *err;          /* captured stderr */
};

/* Runs a shell command line; stdout and stderr captured separately. */
void run_cmd(struct cmd_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cmd_result_free(struct cmd_result *res);

/* A fresh directory under $TMPDIR (or /tmp); removed by tmpdir_remove. */
char *tmpdir_make(void);
void tmpdir_remove(char *dir);

/* The whole file, NUL-terminated; *len when non-NULL. NULL if unreadable. */
char *read_whole_file(const char *path, size_t *len);
int write_whole_file(const char *path, const char *data, size_t len);

/* Path of the shared material (IB_SHARED_DIR) or NULL when absent; prints
 * "skipped: <what> needs ../shared, which is absent" once. */
const char *shared_dir_or_skip(const char *what);

/* Lowercase hex SHA-256 of every regular file in dir, in name order, names included. */
void digest_dir(const char *dir, char out[65]);

#endif
