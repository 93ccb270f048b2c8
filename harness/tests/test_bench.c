/* test_bench.c: the bench runner end to end on tiny matrices: the results file
 * against every key results/README.md documents, the summary and the run's
 * copy, cells skipped for the right reason, a run stopped after k runs, a
 * strategy that imports different data, and the CLI's options and exit codes
 * (including a real SIGINT). Sizes of 50 and 100 results, two runs a cell. */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "results.h"

#define TINY "--sizes 100,50 --profiles seed --scenarios fresh --history 2 " \
             "--history-sweep none --min-runs 2 --min-time 0 --warmup 0"

/* ---- the documented keys ------------------------------------------------ */

struct doc_key {
    char path[96];
    int optional;
};

static size_t documented_keys(struct doc_key *keys, size_t max)
{
    char readme[4096];
    snprintf(readme, sizeof readme, "%s/results/README.md", IB_SOURCE_DIR);
    char *text = read_whole_file(readme, NULL);
    assert_non_null(text);
    char *end = strstr(text, "## The gate's rules file");
    assert_non_null(end);
    *end = '\0';
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "| `", 3))
            continue;
        char *close = strchr(line + 3, '`');
        assert_non_null(close);
        assert_true(n < max);
        snprintf(keys[n].path, sizeof keys[n].path, "%.*s", (int)(close - line - 3), line + 3);
        keys[n++].optional = strstr(line, "*optional*") != NULL;
    }
    free(text);
    return n;
}

/* Whether path ("cells[].phases_s.parse") is in v; "[]" must hold in every
 * element of a non-empty array. */
static int present_everywhere(json_t *v, const char *path)
{
    if (!*path)
        return 1;
    char head[96];
    size_t len = strcspn(path, ".[");
    snprintf(head, sizeof head, "%.*s", (int)len, path);
    json_t *child = json_object_get(v, head);
    if (!child)
        return 0;
    const char *rest = path + len;
    if (strncmp(rest, "[]", 2))
        return present_everywhere(child, *rest == '.' ? rest + 1 : rest);
    rest += 2;
    if (*rest == '.')
        rest++;
    if (!json_is_array(child) || json_array_size(child) == 0)
        return 0;
    size_t i;
    json_t *item;
    json_array_foreach(child, i, item) if (!present_everywhere(item, rest)) return 0;
    return 1;
}

/* ---- the runner through the CLI ----------------------------------------- */

static void check_shape(const struct results_doc *doc)
{
    assert_true(doc->complete);
    assert_int_equal(doc->ncells, 4);
    assert_int_equal(doc->config.nsizes, 2);
    assert_int_equal(doc->config.sizes[0], 50);
    assert_int_equal(doc->config.sizes[1], 100);
    assert_int_equal(doc->config.nstrategies, 3);
    assert_string_equal(doc->config.strategies[2], "upsert");
    assert_int_equal(doc->config.history, 2);
    assert_int_equal(doc->config.nhistory_sweep, 0);
    assert_int_equal(doc->config.min_runs, 2);
    assert_float_equal(doc->config.rtt_us, 100, 0);
    static const char *const order[] = {"n1", "batch"};
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct results_cell *c = &doc->cells[i];
        uint64_t n = i < 2 ? 50 : 100;
        assert_string_equal(c->profile, "seed");
        assert_string_equal(c->scenario, "fresh");
        assert_string_equal(c->strategy, order[i % 2]);
        assert_int_equal(c->n, n);
        assert_int_equal(c->history, 2);
        assert_int_equal(c->ntimes, 2);
        assert_int_equal(c->inserted, n);
        assert_int_equal(c->updated, 0);
        assert_int_equal(c->counts.lookups, i % 2 ? 1 : n);
        assert_int_equal(c->counts.insert, n + 1);          /* the results and the job */
        assert_true(c->summary.median > 0);
        assert_int_equal(strlen(c->digest), 64);
        assert_string_equal(c->digest, doc->cells[i - i % 2].digest);
        assert_true(strstr(c->lookup_plan, "job_id") != NULL);
    }
    assert_string_not_equal(doc->cells[0].digest, doc->cells[2].digest);
    assert_int_equal(doc->nskipped, 2);
    for (size_t i = 0; i < doc->nskipped; i++) {
        assert_string_equal(doc->skipped[i].strategy, "upsert");
        assert_int_equal(doc->skipped[i].n, i ? 100 : 50);
        assert_string_equal(doc->skipped[i].reason, "upsert needs the keyed profile (a unique "
                            "key on the job and the result's key)");
    }
    assert_int_equal(doc->nspeedups, 2);
    assert_string_equal(doc->speedups[0].faster, "batch");
    assert_string_equal(doc->speedups[0].slower, "n1");
    assert_int_equal(doc->nslopes, 2);
    assert_int_equal(doc->headline.verdict, VERDICT_INCOMPLETE);
}

static void check_documented_keys(const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    static struct doc_key keys[256];
    size_t n = documented_keys(keys, 256);
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        /* Optional keys: the modelled figures of cells and speedups are there
         * with --rtt-us; the documented speedup and the headline's modelled
         * ratio only at the seed's sizes, which a tiny run lacks. */
        if (keys[i].optional &&
            (!strstr(keys[i].path, "modelled") || !strncmp(keys[i].path, "verdicts", 8)))
            continue;
        if (!present_everywhere(root, keys[i].path))
            fail_msg("%s: documented, but missing from the runner's file", keys[i].path);
    }
    assert_true(json_is_false(json_object_get(json_object_get(root, "config"), "quick")));
    json_decref(root);
}

static int count_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)))
        n += !strncmp(e->d_name, prefix, strlen(prefix));
    closedir(d);
    return n;
}

static void test_tiny_matrix_file(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct cmd_result r;
    run_cmd(&r, "%s bench " TINY " --strategies upsert,batch,n1 --rtt-us 100 --fixtures %s/cache "
            "-o %s/res/latest.json --save-baseline", IB_IMPORTBENCH_BIN, dir, dir);
    assert_int_equal(r.exit_code, 0);
    assert_true(strstr(r.err, "importbench: skipping seed/fresh/upsert: upsert needs the keyed "
                       "profile") != NULL);
    assert_true(strstr(r.out, "**Verdict: incomplete.** no n1 cell at 5000") != NULL);
    assert_true(strstr(r.out, "| n1 | 50 |") != NULL);
    assert_true(strstr(r.out, "modelled") != NULL);
    assert_true(strstr(r.out, "\n- seed/fresh/upsert h=2, n=50, 100: upsert needs the keyed "
                       "profile (a unique key on the job and the result's key)\n") != NULL);

    char path[4200];
    snprintf(path, sizeof path, "%s/res/latest.json", dir);
    struct results_doc *doc = NULL;
    struct ib_error err = {0};
    assert_int_equal(results_load(path, &doc, &err), IB_OK);
    check_shape(doc);
    results_doc_free(doc);
    check_documented_keys(path);

    snprintf(path, sizeof path, "%s/res/latest.md", dir);
    char *md = read_whole_file(path, NULL);
    assert_non_null(md);
    assert_string_equal(md, r.out);                  /* the same summary on stdout */
    free(md);
    snprintf(path, sizeof path, "%s/res/runs", dir);
    assert_int_equal(count_entries(path, "20"), 1);
    snprintf(path, sizeof path, "%s/res/baseline.json", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/cache", dir);
    assert_int_equal(count_entries(path, "job-"), 2);
    assert_int_equal(count_entries(path, "work-"), 0);    /* removed at the end */
    cmd_result_free(&r);
    tmpdir_remove(dir);
}

/* A run whose fixture was damaged after it was cached fails (exit 1) and
 * leaves the previous results file alone. */
static void test_failed_run_exit_1(void **state)
{
    (void)state;
    char *dir = tmpdir_make();
    struct cmd_result r;
    run_cmd(&r, "%s bench " TINY " --sizes 50 --strategies batch --fixtures %s/cache "
            "-o %s/latest.json", IB_IMPORTBENCH_BIN, dir, dir);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    char path[4200], *before;
    snprintf(path, sizeof path, "%s/latest.json", dir);
    assert_non_null(before = read_whole_file(path, NULL));
    run_cmd(&r, "for f in %s/cache/job-50-*/xml/*.xml; do printf '<testsuite>' > $f; done", dir);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    run_cmd(&r, "%s bench " TINY " --sizes 50 --strategies batch --fixtures %s/cache "
            "-o %s/latest.json", IB_IMPORTBENCH_BIN, dir, dir);
    assert_int_equal(r.exit_code, 1);
    const char *msg = strstr(r.err, "importbench: seed/fresh n=50 h=2 batch: ");
    assert_non_null(msg);
    assert_true(msg == r.err || msg[-1] == '\n');   /* a line of its own */
    assert_true(strstr(r.err, "/xml/") != NULL);
    char *after = read_whole_file(path, NULL);
    assert_string_equal(after, before);
    free(before);
    free(after);
    cmd_result_free(&r);
    tmpdir_remove(dir);
}

static void test_usage(void **state)
{
    (void)state;
    static const struct {
        const char *args, *message;
    } bad[] = {
        {"--sizes 0", "importbench: --sizes: expected a count from 1 to 1000000 (1k = 1000, "
                      "1M = 1000000), got '0'\n"},
        {"--sizes 2M", "importbench: --sizes: expected a count from 1 to 1000000 (1k = 1000, "
                       "1M = 1000000), got '2M'\n"},
        {"--strategies n1,n2", "importbench: --strategies: expected n1, n1-deferred, "
                               "n1-nocache, batch, bulk, upsert or floor, got 'n2'\n"},
        {"--profiles seed,big", "importbench: --profiles: expected seed, app or keyed, got "
                                "'big'\n"},
        {"--scenarios stale", "importbench: --scenarios: expected fresh, reimport, overlap or "
                              "dups, got 'stale'\n"},
        {"--history -1", "importbench: --history: expected a whole number from 0 to 10000, "
                         "got '-1'\n"},
        {"--history-sweep 0,x", "importbench: --history-sweep: expected a count from 0 to "
                                "10000 (1k = 1000, 1M = 1000000), got 'x'\n"},
        {"--min-runs 0", "importbench: --min-runs: expected a whole number from 1 to 10000, "
                         "got '0'\n"},
        {"--min-time -1", "importbench: --min-time: expected a number from 0 to 3600, got "
                          "'-1'\n"},
        {"--warmup 101", "importbench: --warmup: expected a whole number from 0 to 100, got "
                         "'101'\n"},
        {"--rtt-us x", "importbench: --rtt-us: expected a number from 0 to 1e+06, got 'x'\n"},
        {"--budget 0", "importbench: --budget: expected a number from 0.001 to 1e+07, got "
                       "'0'\n"},
        {"--files 0", "importbench: --files: expected a whole number from 1 to 1000, got "
                      "'0'\n"},
        {"--frobnicate", "importbench: bench: unknown or incomplete option '--frobnicate' "
                         "(see 'importbench bench --help')\n"},
        {"extra", "importbench: bench: unexpected argument 'extra'\n"},
    };
    struct cmd_result r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_cmd(&r, "%s bench %s --fixtures /nonexistent/cache", IB_IMPORTBENCH_BIN,
                bad[i].args);
        assert_int_equal(r.exit_code, 2);
        assert_string_equal(r.err, bad[i].message);
        assert_string_equal(r.out, "");
        cmd_result_free(&r);
    }
    run_cmd(&r, "%s bench --quick --help", IB_IMPORTBENCH_BIN);
    assert_int_equal(r.exit_code, 0);
    assert_true(strncmp(r.out, "usage: importbench bench [options]\n", 35) == 0);
    assert_string_equal(r.err, "");
    cmd_result_free(&r);
}

/* ---- the runner in process ---------------------------------------------- */

static void tiny_options(struct bench_options *o, const char *cache)
{
    bench_defaults(o, 0);
    o->nsizes = 2;
    o->sizes[0] = 50;
    o->sizes[1] = 100;
    o->nprofiles = 1;
    o->profiles[0] = PROFILE_SEED;
    o->nscenarios = 1;
    o->scenarios[0] = SCENARIO_FRESH;
    o->history = 2;
    o->nhistory_sweep = 0;
    o->min_runs = 3;
    o->min_time_s = 0;
    o->warmup = 0;
    o->cache_dir = cache;
}

static int stop_at(void *arg)
{
    int *polls = arg;
    return --*polls <= 0;
}

/* Stopped at the fourth poll (one before the first group, then one after each
 * run, the cells taking turns): n1 at 50 has two runs, batch at 50 one; the
 * file says incomplete. */
static void test_interrupted_run(void **state)
{
    (void)state;
    char *dir = tmpdir_make(), cache[4200], path[4200];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    struct bench_options o;
    tiny_options(&o, cache);
    o.nstrategies = 2;
    o.strategies[0] = strategy_find("batch");
    o.strategies[1] = strategy_find("n1");
    int polls = 4;
    struct bench_hooks hooks = {.stop = stop_at, .stop_arg = &polls};
    struct results_doc *doc = results_doc_new();
    struct ib_error err = {0};
    assert_int_equal(bench_run(&o, &hooks, doc, &err), IB_OK);
    assert_false(doc->complete);
    assert_int_equal(doc->ncells, 2);
    assert_string_equal(doc->cells[0].strategy, "n1");
    assert_int_equal(doc->cells[0].ntimes, 2);
    assert_string_equal(doc->cells[1].strategy, "batch");
    assert_int_equal(doc->cells[1].ntimes, 1);
    snprintf(path, sizeof path, "%s/latest.json", dir);
    assert_int_equal(results_write(doc, path, &err), IB_OK);
    results_doc_free(doc);
    assert_int_equal(results_load(path, &doc, &err), IB_OK);
    assert_false(doc->complete);
    assert_int_equal(doc->ncells, 2);
    results_doc_free(doc);
    tmpdir_remove(dir);
}

/* batch, then a last UPDATE that changes one of the job's rows. */
static int tampering_import(const struct import_ctx *ctx, struct strategy_outcome *out,
                            struct ib_error *err)
{
    if (strategy_batch.import(ctx, out, err) != IB_OK)
        return IB_ERR;
    return db_exec(ctx->db, "UPDATE test_results SET failure_message = 'tampered' "
                   "WHERE id = (SELECT max(id) FROM test_results)", err);
}

static const struct strategy tampering = {
    .name = "tampering", .summary = "batch, and one row changed", .import = tampering_import};

static void test_digest_mismatch_fails(void **state)
{
    (void)state;
    char *dir = tmpdir_make(), cache[4200];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    struct bench_options o;
    tiny_options(&o, cache);
    o.nstrategies = 2;
    o.strategies[0] = strategy_find("n1");
    o.strategies[1] = &tampering;
    struct results_doc *doc = results_doc_new();
    struct ib_error err = {0};
    assert_int_equal(bench_run(&o, NULL, doc, &err), IB_ERR);
    const char *want = "seed/fresh n=50 h=2: digest mismatch: tampering left ";
    assert_memory_equal(err.msg, want, strlen(want));
    assert_non_null(strstr(err.msg, "..., n1 left "));
    assert_non_null(strstr(err.msg, "; the two strategies imported different data"));
    assert_int_equal(doc->ncells, 0);                /* a failed group adds no cell */
    results_doc_free(doc);
    tmpdir_remove(dir);
}

/* ---- Ctrl-C through the CLI ---------------------------------------------- */

static int wait_for_entry(const char *dir, const char *prefix)
{
    struct timespec tick = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 3000; i++) {
        if (count_entries(dir, prefix) > 0)
            return 1;
        nanosleep(&tick, NULL);
    }
    return 0;
}

static void test_sigint_writes_incomplete(void **state)
{
    (void)state;
    char *dir = tmpdir_make(), cache[4200], out[4200], log[4200];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    snprintf(out, sizeof out, "%s/latest.json", dir);
    snprintf(log, sizeof log, "%s/stderr", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen(log, "w", stderr))
            _exit(99);
        execl(IB_IMPORTBENCH_BIN, IB_IMPORTBENCH_BIN, "bench", "--sizes", "50", "--strategies",
              "batch", "--profiles", "seed", "--scenarios", "fresh", "--history", "0",
              "--history-sweep", "none", "--warmup", "0", "--min-runs", "10000", "--fixtures",
              cache, "-o", out, (char *)NULL);
        _exit(98);
    }
    assert_true(wait_for_entry(cache, "work-"));
    kill(pid, SIGINT);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    struct results_doc *doc = NULL;
    struct ib_error err = {0};
    assert_int_equal(results_load(out, &doc, &err), IB_OK);
    assert_false(doc->complete);
    results_doc_free(doc);
    char *text = read_whole_file(log, NULL);
    assert_non_null(strstr(text, "importbench: interrupted: "));
    free(text);
    assert_int_equal(count_entries(cache, "work-"), 0);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_matrix_file),
        cmocka_unit_test(test_failed_run_exit_1),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_interrupted_run),
        cmocka_unit_test(test_digest_mismatch_fails),
        cmocka_unit_test(test_sigint_writes_incomplete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
