/* test_environment.c: the machine facts of a results file, each checked
 * against another source of the same fact (sysconf, the libraries, git, df). */
#include "testutil.h"

#include <jansson.h>
#include <libxml/xmlversion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "environment.h"

static void test_machine_and_libraries(void **state)
{
    (void)state;
    struct ib_environment env;
    environment_collect(&env, "/tmp");
    assert_int_equal(env.cores, sysconf(_SC_NPROCESSORS_ONLN));
    assert_true(env.memory_bytes > 0);
    assert_string_equal(env.sqlite_version, sqlite3_libversion());
    assert_string_equal(env.libxml2_version, LIBXML_DOTTED_VERSION);
    assert_string_equal(env.jansson_version, JANSSON_VERSION);
    assert_true(env.cpu_model[0] != '\0');
    assert_true(env.compiler[0] != '\0' && strcmp(env.compiler, "unknown"));
    struct cmd_result r;
    run_cmd(&r, "uname -srm");
    r.out[strcspn(r.out, "\n")] = '\0';
    assert_string_equal(env.kernel, r.out);
    cmd_result_free(&r);
}

static void test_filesystem(void **state)
{
    (void)state;
    char *dir = tmpdir_make(), missing[4200];
    struct cmd_result r;
    run_cmd(&r, "df --output=fstype '%s' | tail -n 1", dir);
    r.out[strcspn(r.out, "\n ")] = '\0';
    struct ib_environment env;
    environment_collect(&env, dir);
    assert_string_equal(env.filesystem, r.out);
    /* A results directory not made yet: its nearest existing parent's. */
    snprintf(missing, sizeof missing, "%s/results/runs", dir);
    environment_collect(&env, missing);
    assert_string_equal(env.filesystem, r.out);
    cmd_result_free(&r);
    run_cmd(&r, "df --output=fstype /proc | tail -n 1");
    r.out[strcspn(r.out, "\n ")] = '\0';
    environment_collect(&env, "/proc/self");
    assert_string_equal(env.filesystem, r.out);
    cmd_result_free(&r);
    tmpdir_remove(dir);
}

static void test_git(void **state)
{
    (void)state;
    char commit[48];
    int dirty;
    struct cmd_result r;
    run_cmd(&r, "git -C '%s' rev-parse HEAD", IB_SOURCE_DIR);
    if (r.exit_code != 0) {
        print_message("skipped: %s is not a git checkout\n", IB_SOURCE_DIR);
        cmd_result_free(&r);
        skip();
    }
    r.out[strcspn(r.out, "\n")] = '\0';
    environment_git(IB_SOURCE_DIR, commit, sizeof commit, &dirty);
    assert_string_equal(commit, r.out);
    cmd_result_free(&r);
    run_cmd(&r, "git -C '%s' status --porcelain --untracked-files=no", IB_SOURCE_DIR);
    assert_int_equal(dirty, r.out[0] != '\0');
    cmd_result_free(&r);

    /* A fresh repository: clean, then dirty once a tracked file changes. */
    char *dir = tmpdir_make();
    run_cmd(&r, "cd '%s' && git init -q && echo a > f && git add f && "
                "git -c user.name=t -c user.email=t@t commit -q -m one && git rev-parse HEAD",
            dir);
    assert_int_equal(r.exit_code, 0);
    r.out[strcspn(r.out, "\n")] = '\0';
    environment_git(dir, commit, sizeof commit, &dirty);
    assert_string_equal(commit, r.out);
    assert_int_equal(dirty, 0);
    cmd_result_free(&r);
    run_cmd(&r, "echo b > '%s/f' && echo c > '%s/untracked'", dir, dir);
    environment_git(dir, commit, sizeof commit, &dirty);
    assert_int_equal(dirty, 1);
    cmd_result_free(&r);
    tmpdir_remove(dir);

    /* Not a repository at all. */
    dir = tmpdir_make();
    environment_git(dir, commit, sizeof commit, &dirty);
    assert_string_equal(commit, "");
    assert_int_equal(dirty, -1);
    tmpdir_remove(dir);
}

static void test_sqlite_settings(void **state)
{
    (void)state;
    char *dir = tmpdir_make(), path[4200];
    snprintf(path, sizeof path, "%s/s.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                      "PRAGMA cache_size=-8000; "
                                      "CREATE TABLE t(x)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    struct env_sqlite_settings s;
    struct ib_error err = {0};
    assert_int_equal(environment_read_sqlite(db, &s, &err), IB_OK);
    assert_string_equal(s.journal_mode, "wal");
    assert_string_equal(s.synchronous, "normal");
    assert_int_equal(s.cache_size, -8000);
    assert_int_equal(s.page_size, 8192);
    sqlite3_close(db);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_machine_and_libraries),
        cmocka_unit_test(test_filesystem),
        cmocka_unit_test(test_git),
        cmocka_unit_test(test_sqlite_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
