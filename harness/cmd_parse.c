/* cmd_parse.c: importbench parse: read JUnit XML files and count their tests.
 *
 * Per file and in total: tests, passed, failed, errors, skipped (a testcase's
 * status by the reader's precedence; errors apart from failures) and distinct
 * keys by the job model's key rule. The total's keys are distinct over all
 * files together. A testcase without a name is counted in tests and in its
 * status, warned about ("file:line: testcase has no name") and not keyed. A
 * directory stands for its *.xml files in the job's order. A file that cannot
 * be read is named on stderr, left out of the figures, and makes the exit 1;
 * the other files are still reported. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "commands.h"
#include "job.h"
#include "junit.h"
#include "keymap.h"
#include "options.h"

struct file_counts {
    char *path;
    long tests, passed, failed, errors, skipped, keys;
};

struct parse_run {
    int json, quiet;
    struct file_counts *files;
    size_t nfiles, cap;
    struct keymap *all_keys;       /* over every file read */
    long total_tests, total_passed, total_failed, total_errors, total_skipped;
    int unreadable;
};

struct file_reader {
    const char *path;
    int quiet;
    struct file_counts counts;
    struct keymap *keys;           /* this file's, merged into all_keys once it is read */
    char *file_path;
    size_t file_path_cap;
};

static void usage(FILE *out)
{
    fputs("usage: importbench parse [--json] [--quiet] PATH...\n\n"
          "Reads JUnit XML files (a directory stands for its *.xml files) and prints, per\n"
          "file and in total, the tests, passed, failed, errors, skipped and distinct\n"
          "result keys (file_path, class_name, test_name).\n\n"
          "  --json     print {\"files\": [...], \"total\": {...}} instead of a table\n"
          "  --quiet    no per-file rows in the table and no warnings\n"
          "  --help     this text\n\n"
          "exit codes: 0 every file was read (whatever its tests' outcomes),\n"
          "1 some file could not be read, 2 bad usage\n", out);
}

static int on_testcase(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    struct file_reader *fr = ctx;
    struct file_counts *c = &fr->counts;
    c->tests++;
    switch (tc->status) {
    case JUNIT_PASSED: c->passed++; break;
    case JUNIT_FAILED: c->failed++; break;
    case JUNIT_ERROR: c->errors++; break;
    case JUNIT_SKIPPED: c->skipped++; break;
    }
    if (!tc->name) {
        if (!fr->quiet)
            fprintf(stderr, "importbench: %s:%d: testcase has no name (counted, not keyed)\n",
                    fr->path, tc->line);
        return IB_OK;
    }
    const char *file_path = job_file_path(tc->file, tc->classname, &fr->file_path,
                                          &fr->file_path_cap);
    const char *class_name = job_class_name(tc->classname);
    if (!file_path || keymap_put(fr->keys, job_key_hash(file_path, class_name, tc->name),
                                 file_path, class_name, tc->name, 0) != 0)
        return ib_fail(err, IB_ERR, "%s: out of memory", fr->path);
    return IB_OK;
}

static int add_file(struct parse_run *run, const struct file_counts *c)
{
    if (run->nfiles == run->cap) {
        size_t cap = run->cap ? run->cap * 2 : 16;
        struct file_counts *p = realloc(run->files, cap * sizeof *p);
        if (!p)
            return -1;
        run->files = p;
        run->cap = cap;
    }
    struct file_counts *f = &run->files[run->nfiles];
    *f = *c;
    if (!(f->path = strdup(c->path)))
        return -1;
    run->nfiles++;
    run->total_tests += c->tests;
    run->total_passed += c->passed;
    run->total_failed += c->failed;
    run->total_errors += c->errors;
    run->total_skipped += c->skipped;
    return 0;
}

/* Reads one file; its figures count only when the whole file was read. */
static void parse_one(struct parse_run *run, const char *path)
{
    struct file_reader fr;
    memset(&fr, 0, sizeof fr);
    fr.path = path;
    fr.quiet = run->quiet;
    fr.counts.path = (char *)path;
    struct ib_error err;
    int rc = IB_ERR;
    if (!(fr.keys = keymap_new(1024, 1)))
        ib_fail(&err, IB_ERR, "%s: out of memory", path);
    else
        rc = junit_parse_file(path, on_testcase, &fr, &err);
    if (rc == IB_OK) {
        fr.counts.keys = (long)keymap_count(fr.keys);
        if (keymap_merge(run->all_keys, fr.keys) != 0 || add_file(run, &fr.counts) != 0)
            rc = ib_fail(&err, IB_ERR, "%s: out of memory", path);
    }
    if (rc != IB_OK) {
        cli_report(IB_ERR, "%s", err.msg);
        run->unreadable = 1;
    }
    keymap_free(fr.keys);
    free(fr.file_path);
}

static void parse_path(struct parse_run *run, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        parse_one(run, path);
        return;
    }
    char **paths;
    size_t n;
    struct ib_error err;
    if (job_list_dir(path, &paths, &n, &err) != IB_OK) {
        cli_report(IB_ERR, "%s", err.msg);
        run->unreadable = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        parse_one(run, paths[i]);
    job_free_paths(paths, n);
}

static json_t *counts_json(const char *path, long tests, long passed, long failed,
                           long errors, long skipped, long keys)
{
    json_t *o = json_object();
    if (path)
        json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "tests", json_integer(tests));
    json_object_set_new(o, "passed", json_integer(passed));
    json_object_set_new(o, "failed", json_integer(failed));
    json_object_set_new(o, "errors", json_integer(errors));
    json_object_set_new(o, "skipped", json_integer(skipped));
    json_object_set_new(o, "keys", json_integer(keys));
    return o;
}

static int print_json(const struct parse_run *run)
{
    json_t *root = json_object(), *files = json_array();
    for (size_t i = 0; i < run->nfiles; i++) {
        const struct file_counts *f = &run->files[i];
        json_array_append_new(files, counts_json(f->path, f->tests, f->passed, f->failed,
                                                 f->errors, f->skipped, f->keys));
    }
    json_object_set_new(root, "files", files);
    json_object_set_new(root, "total",
                        counts_json(NULL, run->total_tests, run->total_passed,
                                    run->total_failed, run->total_errors, run->total_skipped,
                                    (long)keymap_count(run->all_keys)));
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', stdout);
    return rc == 0 ? IB_OK : IB_ERR;
}

static void print_row(long tests, long passed, long failed, long errors, long skipped,
                      long keys, const char *name)
{
    printf("%9ld %9ld %9ld %9ld %9ld %9ld  %s\n", tests, passed, failed, errors, skipped, keys,
           name);
}

static void print_table(const struct parse_run *run)
{
    printf("%9s %9s %9s %9s %9s %9s  %s\n", "tests", "passed", "failed", "errors", "skipped",
           "keys", "file");
    for (size_t i = 0; i < run->nfiles && !run->quiet; i++) {
        const struct file_counts *f = &run->files[i];
        print_row(f->tests, f->passed, f->failed, f->errors, f->skipped, f->keys, f->path);
    }
    char label[64];
    snprintf(label, sizeof label, "total (%zu file%s)", run->nfiles, run->nfiles == 1 ? "" : "s");
    print_row(run->total_tests, run->total_passed, run->total_failed, run->total_errors,
              run->total_skipped, (long)keymap_count(run->all_keys), label);
}

static void run_release(struct parse_run *run)
{
    for (size_t i = 0; i < run->nfiles; i++)
        free(run->files[i].path);
    free(run->files);
    keymap_free(run->all_keys);
}

int cmd_parse(int argc, char **argv)
{
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct parse_run run;
    memset(&run, 0, sizeof run);
    optind = 0;     /* a full re-initialisation of getopt, which permutes options and paths */
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "jqh", options, NULL)) != -1) {
        switch (ch) {
        case 'j': run.json = 1; break;
        case 'q': run.quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default:
            return cli_report(IB_EUSAGE, "parse: unknown option '%s' (see 'importbench parse --help')",
                              argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_report(IB_EUSAGE,
                          "parse: no file or directory given (see 'importbench parse --help')");
    if (!(run.all_keys = keymap_new(1024, 1)))
        return cli_report(IB_ERR, "parse: out of memory");
    for (int i = optind; i < argc; i++)
        parse_path(&run, argv[i]);
    int rc = IB_OK;
    if (run.json)
        rc = print_json(&run);
    else
        print_table(&run);
    if (fflush(stdout) != 0 || rc != IB_OK)
        rc = cli_report(IB_ERR, "parse: cannot write the output");
    run_release(&run);
    return run.unreadable || rc != IB_OK ? 1 : 0;
}
