/* test_junitgen_cli.c: the junitgen command: help, every bad argument's exact
 * message and exit status, the summary line against the files, and failures
 * that must leave no file behind. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "junitgen.h"

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int entries(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, NULL), count = 0;
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        count += strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..");
        free(names[i]);
    }
    free(names);
    return count;
}

static void test_help(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "'%s' --help", IB_JUNITGEN_BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    assert_memory_equal(r.out, "usage: junitgen --results N --out DIR [options]\n", 48);
    assert_non_null(strstr(r.out, "--dup-rate P"));
    cmd_result_free(&r);
}

struct bad_case {
    const char *args;
    const char *message;
};

static const struct bad_case bad_cases[] = {
    {"--results x", "--results: expected a count from 1 to 1000000000 (1k = 1000, 1M = 1000000), got 'x'"},
    {"--results 0", "--results: expected a count from 1 to 1000000000 (1k = 1000, 1M = 1000000), got '0'"},
    {"--results 2000M", "--results: expected a count from 1 to 1000000000 (1k = 1000, 1M = 1000000), got '2000M'"},
    {"--results 10 --files 0", "--files: expected a whole number from 1 to 1000, got '0'"},
    {"--results 10 --files 6x", "--files: expected a whole number from 1 to 1000, got '6x'"},
    {"--results 10 --seed -1", "--seed: expected a whole number from 0 to 18446744073709551615, got '-1'"},
    {"--results 10 --seed 18446744073709551616", "--seed: expected a whole number from 0 to 18446744073709551615, got '18446744073709551616'"},
    {"--results 10 --fail-rate x", "--fail-rate: expected a number from 0 to 1, got 'x'"},
    {"--results 10 --fail-rate 1.5", "--fail-rate: expected a number from 0 to 1, got '1.5'"},
    {"--results 10 --error-rate -0.1", "--error-rate: expected a number from 0 to 1, got '-0.1'"},
    {"--results 10 --skip-rate nan", "--skip-rate: expected a number from 0 to 1, got 'nan'"},
    {"--results 10 --rerun-rate 2", "--rerun-rate: expected a number from 0 to 1, got '2'"},
    {"--results 10 --dup-rate ''", "--dup-rate: expected a number from 0 to 1, got ''"},
    {"--results 10 --dup-rate 0.5x", "--dup-rate: expected a number from 0 to 1, got '0.5x'"},
    {"--results 10 --fail-rate 0.6 --error-rate 0.3 --skip-rate 0.2",
     "--fail-rate, --error-rate, --skip-rate: together they must not exceed 1"},
    {"--results 10 --message-bytes 2000000", "--message-bytes: expected a whole number from 0 to 1000000, got '2000000'"},
    {"--results 10 --dialect junit", "--dialect: expected pytest, surefire or gotest, got 'junit'"},
    {"--results 10 --module a/b", "--module: expected a letter, then letters, digits or '_' (at most 64), got 'a/b'"},
    {"--results 10 --bogus", "unknown option '--bogus' (see junitgen --help)"},
    {"--results 10 -q", "unknown option '-q' (see junitgen --help)"},
    {"--results 10 extra", "unexpected argument 'extra'"},
    {"--files 2", "--results is required (see junitgen --help)"},
    {"--results", "--results: missing value"},
};

/* Each bad argument: its own message on stderr, nothing on stdout, exit 2,
 * and no directory created. */
static void test_bad_arguments(void **state)
{
    (void)state;
    char *tmp = tmpdir_make();
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        struct cmd_result r;
        char want[512];
        /* --out first: a flag missing its value must be the last argument */
        run_cmd(&r, "'%s' --out '%s/job' %s", IB_JUNITGEN_BIN, tmp, bad_cases[i].args);
        snprintf(want, sizeof want, "junitgen: %s\n", bad_cases[i].message);
        assert_string_equal(r.err, want);
        assert_string_equal(r.out, "");
        assert_int_equal(r.exit_code, 2);
        cmd_result_free(&r);
    }
    struct cmd_result r;
    run_cmd(&r, "'%s' --results 10", IB_JUNITGEN_BIN);
    assert_string_equal(r.err, "junitgen: --out is required (see junitgen --help)\n");
    assert_int_equal(r.exit_code, 2);
    cmd_result_free(&r);
    assert_int_equal(entries(tmp), 0);
    tmpdir_remove(tmp);
}

/* What the files hold, counted from their text. */
struct dir_facts {
    unsigned files, reruns_files;
    uint64_t testcases, rerun_testcases, bytes;
};

static void facts_of(const char *dir, struct dir_facts *f)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    memset(f, 0, sizeof *f);
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        size_t len = strlen(name);
        if (len > 4 && strcmp(name + len - 4, ".xml") == 0) {
            char path[8400];
            size_t size;
            int rerun = strncmp(name, "re_run_", 7) == 0;
            snprintf(path, sizeof path, "%s/%s", dir, name);
            char *text = read_whole_file(path, &size);
            assert_non_null(text);
            uint64_t count = 0;
            for (const char *p = text; (p = strstr(p, "<testcase")) != NULL; p += 9)
                count += p[9] == ' ' || p[9] == '>';
            f->files++;
            f->reruns_files += rerun;
            f->testcases += count;
            f->rerun_testcases += rerun ? count : 0;
            f->bytes += size;
            free(text);
        } else {
            assert_true(strcmp(name, ".") == 0 || strcmp(name, "..") == 0);
        }
        free(names[i]);
    }
    free(names);
}

static void test_summary_matches_files(void **state)
{
    (void)state;
    char *tmp = tmpdir_make();
    struct cmd_result r;
    run_cmd(&r, "cd '%s' && '%s' --results 2k --dup-rate 0.1 --rerun-rate 0.03 --dialect gotest "
                "--out job", tmp, IB_JUNITGEN_BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    unsigned files;
    unsigned long long testcases, bytes, keys, reruns, dups;
    int end = 0;
    assert_int_equal(sscanf(r.out, "job: %u files, %llu testcases, %llu bytes (%llu keys, "
                                   "%llu reruns, %llu duplicates)\n%n",
                            &files, &testcases, &bytes, &keys, &reruns, &dups, &end), 6);
    assert_int_equal(r.out[end], '\0');             /* one line */
    cmd_result_free(&r);

    char dir[4200];
    struct dir_facts f;
    snprintf(dir, sizeof dir, "%s/job", tmp);
    facts_of(dir, &f);
    assert_int_equal(files, f.files);
    assert_int_equal(testcases, f.testcases);
    assert_int_equal(bytes, f.bytes);
    assert_int_equal(keys, 2000);
    assert_int_equal(reruns, f.rerun_testcases);
    assert_int_equal(dups, f.testcases - f.rerun_testcases - 2000);
    assert_int_equal(f.files - f.reruns_files, 6);
    assert_true(reruns > 0 && dups > 0);
    tmpdir_remove(tmp);
}

/* The command's defaults are the library's; --quiet silences the summary. */
static void test_defaults_equal_library(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), cli_dir[4200], lib_dir[4200], a[65], b[65], err[256];
    struct cmd_result r;
    snprintf(cli_dir, sizeof cli_dir, "%s/cli", tmp);
    snprintf(lib_dir, sizeof lib_dir, "%s/lib", tmp);
    run_cmd(&r, "'%s' --quiet --results 1k --out '%s'", IB_JUNITGEN_BIN, cli_dir);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "");
    cmd_result_free(&r);

    struct junitgen_options o;
    struct junitgen_summary s;
    junitgen_defaults(&o);
    o.results = 1000;
    assert_int_equal(junitgen_write_job(&o, lib_dir, &s, err, sizeof err), 0);
    digest_dir(cli_dir, a);
    digest_dir(lib_dir, b);
    assert_string_equal(a, b);
    tmpdir_remove(tmp);
}

/* Shares that add up to exactly 1 in decimal are accepted, whatever their
 * doubles add up to; no test of a main run then passes. */
static void test_rates_adding_up_to_one(void **state)
{
    (void)state;
    char *tmp = tmpdir_make();
    struct cmd_result r;
    run_cmd(&r, "cd '%s' && '%s' --results 300 --fail-rate 0.1 --error-rate 0.2 "
                "--skip-rate 0.7 --out job && cat job/2*.xml", tmp, IB_JUNITGEN_BIN);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    assert_null(strstr(r.out, "\" />"));          /* a passed testcase in a main run */
    assert_non_null(strstr(r.out, "<skipped "));
    cmd_result_free(&r);
    tmpdir_remove(tmp);
}

static void test_unwritable_directories(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), want[4500];
    struct cmd_result r;
    run_cmd(&r, "'%s' --results 100 --out '%s/no/job'", IB_JUNITGEN_BIN, tmp);
    snprintf(want, sizeof want,
             "junitgen: %s/no/job: cannot create directory: no such file or directory\n", tmp);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    assert_int_equal(r.exit_code, 1);
    cmd_result_free(&r);

    run_cmd(&r, "touch '%s/file' && '%s' --results 100 --out '%s/file/job'", tmp,
            IB_JUNITGEN_BIN, tmp);
    snprintf(want, sizeof want,
             "junitgen: %s/file/job: cannot create directory: not a directory\n", tmp);
    assert_string_equal(r.err, want);
    assert_int_equal(r.exit_code, 1);
    cmd_result_free(&r);
    assert_int_equal(entries(tmp), 1);

    if (geteuid() == 0) {
        printf("skipped: the read-only directory case, as root can write anywhere\n");
    } else {
        char name[256];
        struct junitgen_options o;
        junitgen_defaults(&o);
        junitgen_file_name(&o, 0, 0, name, sizeof name);
        run_cmd(&r, "mkdir '%s/ro' && chmod 555 '%s/ro' && '%s' --results 100 --out '%s/ro'",
                tmp, tmp, IB_JUNITGEN_BIN, tmp);
        snprintf(want, sizeof want, "junitgen: %s/ro: cannot create %s: permission denied\n",
                 tmp, name);
        assert_string_equal(r.err, want);
        assert_int_equal(r.exit_code, 1);
        cmd_result_free(&r);
        run_cmd(&r, "chmod 755 '%s/ro'", tmp);
        cmd_result_free(&r);
    }
    tmpdir_remove(tmp);
}

/* A write that fails half-way (the file size limit, which binds root too):
 * exit 1, the file named, and the directory as it was before. */
static void test_failed_write_leaves_nothing(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), name[256], want[4500], dir[4200];
    struct junitgen_options o;
    struct cmd_result r;
    junitgen_defaults(&o);
    junitgen_file_name(&o, 0, 0, name, sizeof name);

    run_cmd(&r, "ulimit -f 200 && '%s' --results 20k --out '%s/new'", IB_JUNITGEN_BIN, tmp);
    snprintf(want, sizeof want, "junitgen: %s/new: cannot write %s: file too large\n", tmp, name);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    assert_int_equal(r.exit_code, 1);
    cmd_result_free(&r);
    snprintf(dir, sizeof dir, "%s/new", tmp);
    assert_false(exists(dir));                      /* it made the directory, it removed it */

    snprintf(dir, sizeof dir, "%s/old", tmp);
    run_cmd(&r, "mkdir '%s' && echo keep > '%s/notes.txt' && ulimit -f 200 && "
                "'%s' --results 20k --out '%s'", dir, dir, IB_JUNITGEN_BIN, dir);
    assert_int_equal(r.exit_code, 1);
    cmd_result_free(&r);
    assert_int_equal(entries(dir), 1);              /* notes.txt alone */
    tmpdir_remove(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_summary_matches_files),
        cmocka_unit_test(test_defaults_equal_library),
        cmocka_unit_test(test_rates_adding_up_to_one),
        cmocka_unit_test(test_unwritable_directories),
        cmocka_unit_test(test_failed_write_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
