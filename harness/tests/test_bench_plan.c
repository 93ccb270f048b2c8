/* test_bench_plan.c: the decisions of the bench runner without running it: the
 * default and quick matrices cell by cell, skip reasons, the history sweep,
 * the prediction of a cell from constructed smaller sizes and the budget it is
 * held to, the repeat rules, and the fixture and template cache. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "bench_fixture.h"
#include "bench_plan.h"

static const char *const upsert_reason =
    "upsert needs the keyed profile (a unique key on the job and the result's key)";
static const char *const floor_reason =
    "floor imports only into a job without results (scenario fresh or dups)";

static const struct bench_cell *find(const struct bench_plan *p, enum schema_profile pr,
                                     enum scenario s, const char *strategy, uint64_t n,
                                     int history)
{
    for (size_t i = 0; i < p->ncells; i++) {
        const struct bench_cell *c = &p->cells[i];
        if (c->profile == pr && c->scenario == s && c->n == n && c->history == history &&
            !strcmp(c->strategy->name, strategy))
            return c;
    }
    return NULL;
}

static void test_default_matrix(void **state)
{
    (void)state;
    struct bench_options o;
    struct bench_plan p;
    struct ib_error err = {0};
    bench_defaults(&o, 0);
    assert_int_equal(bench_plan_build(&o, &p, &err), IB_OK);
    /* 3 sizes x 2 scenarios x (seed 6 + app 5 + keyed 2) + the sweep's 2 x 2. */
    assert_int_equal(p.ncells, 82);
    assert_int_equal(p.nrunnable, 61);
    assert_int_equal(p.ngroups, 20);
    const struct bench_cell *c = &p.cells[0];
    assert_int_equal(c->profile, PROFILE_SEED);
    assert_int_equal(c->scenario, SCENARIO_FRESH);
    assert_string_equal(c->strategy->name, "n1");
    assert_int_equal(c->n, 1000);
    assert_int_equal(c->history, 20);
    for (size_t i = 1; i < p.ncells; i++)
        assert_true(p.cells[i].n >= p.cells[i - 1].n);      /* smaller sizes first */
    assert_string_equal(find(&p, PROFILE_APP, SCENARIO_FRESH, "upsert", 5000, 20)->skip,
                        upsert_reason);
    assert_string_equal(find(&p, PROFILE_SEED, SCENARIO_REIMPORT, "floor", 10000, 20)->skip,
                        floor_reason);
    assert_string_equal(find(&p, PROFILE_SEED, SCENARIO_FRESH, "floor", 10000, 20)->skip, "");
    assert_string_equal(find(&p, PROFILE_KEYED, SCENARIO_REIMPORT, "upsert", 1000, 20)->skip,
                        "");
    /* keyed runs floor beside upsert, so that upsert's growth has its own reference. */
    assert_string_equal(find(&p, PROFILE_KEYED, SCENARIO_FRESH, "floor", 10000, 20)->skip, "");
    assert_string_equal(find(&p, PROFILE_KEYED, SCENARIO_REIMPORT, "floor", 1000, 20)->skip,
                        floor_reason);
    assert_non_null(find(&p, PROFILE_SEED, SCENARIO_REIMPORT, "n1-deferred", 10000, 20));
    assert_null(find(&p, PROFILE_APP, SCENARIO_FRESH, "n1-deferred", 1000, 20));
    assert_null(find(&p, PROFILE_KEYED, SCENARIO_FRESH, "batch", 1000, 20));
    /* The sweep: app, fresh, 1000, right after its main group; n1 and batch only. */
    const struct bench_cell *h0 = find(&p, PROFILE_APP, SCENARIO_FRESH, "n1", 1000, 0);
    const struct bench_cell *main_floor =
        find(&p, PROFILE_APP, SCENARIO_FRESH, "floor", 1000, 20);
    assert_non_null(h0);
    assert_ptr_equal(h0, main_floor + 1);
    assert_string_equal(h0[1].strategy->name, "batch");
    assert_int_equal(h0[2].history, 200);
    assert_int_equal(h0[3].history, 200);
    assert_int_equal(h0[4].scenario, SCENARIO_REIMPORT);
    assert_null(find(&p, PROFILE_APP, SCENARIO_FRESH, "bulk", 1000, 0));
    assert_null(find(&p, PROFILE_APP, SCENARIO_FRESH, "n1", 5000, 200));
    assert_null(find(&p, PROFILE_APP, SCENARIO_REIMPORT, "n1", 1000, 0));

    struct results_config cfg;
    bench_plan_config(&o, &p, &cfg);
    static const char *const names[] = {"n1", "n1-deferred", "batch", "bulk", "upsert",
                                        "floor"};
    assert_int_equal(cfg.nstrategies, 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(cfg.strategies[i], names[i]);
    assert_int_equal(cfg.nprofiles, 3);
    assert_string_equal(cfg.profiles[2], "keyed");
    assert_int_equal(cfg.nscenarios, 2);
    assert_int_equal(cfg.nhistory_sweep, 3);
    assert_int_equal(cfg.history_sweep[2], 200);
    assert_int_equal(cfg.files, 6);
    assert_int_equal(cfg.seed, 1);
    assert_string_equal(cfg.generator.dialect, "pytest");
    assert_string_equal(cfg.generator.module, "high_availability");
    assert_false(cfg.quick);
    bench_plan_free(&p);
}

static void test_quick_matrix(void **state)
{
    (void)state;
    struct bench_options o;
    struct bench_plan p;
    struct ib_error err = {0};
    bench_defaults(&o, 1);
    assert_int_equal(bench_plan_build(&o, &p, &err), IB_OK);
    /* 2 sizes x fresh x (seed n1, batch, bulk, floor + app batch, bulk, floor). */
    assert_int_equal(p.ncells, 14);
    assert_int_equal(p.nrunnable, 14);
    assert_int_equal(p.ngroups, 4);
    assert_non_null(find(&p, PROFILE_SEED, SCENARIO_FRESH, "n1", 5000, 20));
    assert_null(find(&p, PROFILE_APP, SCENARIO_FRESH, "n1", 5000, 20));
    assert_non_null(find(&p, PROFILE_APP, SCENARIO_FRESH, "floor", 1000, 20));
    struct results_config cfg;
    bench_plan_config(&o, &p, &cfg);
    assert_true(cfg.quick);
    assert_int_equal(cfg.nhistory_sweep, 0);
    assert_int_equal(cfg.nsizes, 2);
    bench_plan_free(&p);
}

/* Strategies asked for run on every profile; the rules still skip. */
static void test_asked_strategies_and_reasons(void **state)
{
    (void)state;
    struct bench_options o;
    struct bench_plan p;
    struct ib_error err = {0};
    bench_defaults(&o, 0);
    o.nsizes = 1;
    o.sizes[0] = 200;
    o.nprofiles = 1;
    o.profiles[0] = PROFILE_APP;
    o.nscenarios = 3;
    o.scenarios[2] = SCENARIO_OVERLAP;
    o.nstrategies = 3;
    o.strategies[0] = strategy_find("floor");
    o.strategies[1] = strategy_find("upsert");
    o.strategies[2] = strategy_find("bulk");
    assert_int_equal(bench_plan_build(&o, &p, &err), IB_OK);
    /* 3 scenarios x 3 strategies, and the sweep's batch... not asked for: none. */
    assert_int_equal(p.ncells, 9);
    assert_int_equal(p.nrunnable, 4);                           /* bulk x 3, floor on fresh */
    assert_string_equal(p.cells[0].strategy->name, "bulk");
    assert_string_equal(p.cells[1].skip, upsert_reason);
    assert_string_equal(p.cells[2].skip, "");                   /* floor on fresh */
    assert_string_equal(find(&p, PROFILE_APP, SCENARIO_REIMPORT, "floor", 200, 20)->skip,
                        floor_reason);
    assert_string_equal(find(&p, PROFILE_APP, SCENARIO_OVERLAP, "floor", 200, 20)->skip,
                        floor_reason);
    bench_plan_free(&p);

    o.nstrategies = 1;
    o.strategies[0] = strategy_find("batch");
    o.nscenarios = 1;
    assert_int_equal(bench_plan_build(&o, &p, &err), IB_OK);
    assert_int_equal(p.ncells, 3);                              /* h 20, then 0 and 200 */
    assert_int_equal(p.cells[1].history, 0);
    assert_int_equal(p.cells[2].history, 200);
    bench_plan_free(&p);

    o.nsizes = 0;
    assert_int_equal(bench_plan_build(&o, &p, &err), IB_EUSAGE);
    assert_string_equal(err.msg, "bench: the matrix needs a size, a profile and a scenario");
}

/* A document with seed/fresh cells of the given medians at the given sizes. */
static struct results_doc *measured(const char *strategy, const uint64_t *n,
                                    const double *median, size_t count)
{
    struct results_doc *doc = results_doc_new();
    assert_non_null(doc);
    for (size_t i = 0; i < count; i++) {
        struct results_cell c;
        double t = median[i];
        memset(&c, 0, sizeof c);
        snprintf(c.profile, sizeof c.profile, "seed");
        snprintf(c.scenario, sizeof c.scenario, "fresh");
        snprintf(c.strategy, sizeof c.strategy, "%s", strategy);
        c.n = n[i];
        c.history = 20;
        c.times = &t;
        c.ntimes = 1;
        struct ib_error err = {0};
        assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
    }
    return doc;
}

static double predict(const struct results_doc *doc, const char *strategy, uint64_t n,
                      int history)
{
    struct bench_cell c = {.profile = PROFILE_SEED, .scenario = SCENARIO_FRESH,
                           .strategy = strategy_find(strategy), .n = n, .history = history};
    return bench_predict_run(doc, &c);
}

static void test_prediction(void **state)
{
    (void)state;
    const uint64_t n[] = {1000, 2000, 4000};
    const double quadratic[] = {0.1, 0.4}, flat[] = {0.1, 0.11}, steep[] = {0.01, 1.0};
    struct results_doc *doc = measured("n1", n, quadratic, 2);
    assert_float_equal(predict(doc, "n1", 10000, 20), 10.0, 1e-9);   /* 0.4 * 5^2 */
    assert_float_equal(predict(doc, "n1", 2000, 20), 0.1 * 4, 1e-9); /* from 1000 alone */
    assert_true(isnan(predict(doc, "n1", 1000, 20)));                /* nothing smaller */
    assert_true(isnan(predict(doc, "n1", 10000, 0)));                /* other history */
    assert_true(isnan(predict(doc, "batch", 10000, 20)));            /* other strategy */
    results_doc_free(doc);
    doc = measured("batch", n, quadratic, 1);
    assert_float_equal(predict(doc, "batch", 10000, 20), 1.0, 1e-9); /* one point: linear */
    results_doc_free(doc);
    doc = measured("batch", n, flat, 2);
    assert_float_equal(predict(doc, "batch", 4000, 20), 0.22, 1e-9); /* slope 0.14 -> 1 */
    results_doc_free(doc);
    doc = measured("n1", n, steep, 2);
    assert_float_equal(predict(doc, "n1", 4000, 20), 8.0, 1e-9);     /* slope 6.6 -> 3 */
    results_doc_free(doc);
}

static void test_budget(void **state)
{
    (void)state;
    struct bench_options o;
    char reason[RESULTS_REASON_MAX];
    bench_defaults(&o, 0);
    const uint64_t n[] = {1000, 2000};
    const double median[] = {0.1, 0.4};
    struct results_doc *doc = measured("n1", n, median, 2);
    o.budget_s = 15;
    bench_budget_check(&o, predict(doc, "n1", 10000, 20), reason, sizeof reason);
    assert_string_equal(reason, "predicted 20 s (2 runs of 10 s) exceeds the budget of 15 s");
    o.slow_cell_s = 100;                             /* then 3 runs */
    bench_budget_check(&o, predict(doc, "n1", 10000, 20), reason, sizeof reason);
    assert_string_equal(reason, "predicted 30 s (3 runs of 10 s) exceeds the budget of 15 s");
    o.budget_s = 30;
    bench_budget_check(&o, predict(doc, "n1", 10000, 20), reason, sizeof reason);
    assert_string_equal(reason, "");
    o.budget_s = 1;
    bench_budget_check(&o, predict(doc, "n1", 1000, 20), reason, sizeof reason);
    assert_string_equal(reason, "");                 /* unknown: always measured */
    o.budget_s = 0.5;
    o.cell_cap_s = 0.5;
    bench_budget_check(&o, 0.01, reason, sizeof reason);  /* 1 warm-up + 50 runs */
    assert_string_equal(reason, "predicted 0.51 s (51 runs of 0.01 s) exceeds the budget of "
                        "0.5 s");
    results_doc_free(doc);
}

static void test_repeat_rules(void **state)
{
    (void)state;
    struct bench_options o;
    int warmups, runs;
    bench_defaults(&o, 0);
    o.min_runs = 5;
    o.min_time_s = 1;
    o.warmup = 2;
    o.slow_run_s = 1;
    o.slow_runs = 3;
    o.slow_cell_s = 10;
    o.cell_cap_s = 0.5;
    bench_planned_runs(&o, NAN, &warmups, &runs);
    assert_int_equal(warmups, 2);
    assert_int_equal(runs, 5);
    bench_planned_runs(&o, 2.5, &warmups, &runs);
    assert_int_equal(warmups, 0);
    assert_int_equal(runs, 3);
    bench_planned_runs(&o, 6, &warmups, &runs);      /* two runs reach 10 s */
    assert_int_equal(warmups, 0);
    assert_int_equal(runs, 2);
    bench_planned_runs(&o, 0.01, &warmups, &runs);   /* 1 s wanted, 0.5 s allowed */
    assert_int_equal(warmups, 2);
    assert_int_equal(runs, 50);
    bench_planned_runs(&o, 0.3, &warmups, &runs);
    assert_int_equal(runs, 5);
    o.min_runs = 2;
    bench_planned_runs(&o, 2.5, &warmups, &runs);
    assert_int_equal(runs, 2);

    o.min_runs = 5;
    struct bench_repeats r = {.runs = 4, .timed_s = 2, .wall_s = 3, .last_s = 0.5};
    assert_false(bench_repeats_done(&o, &r));         /* min_runs not reached */
    r.runs = 5;
    assert_true(bench_repeats_done(&o, &r));          /* runs and time */
    r.timed_s = 0.2;
    r.wall_s = 0.3;
    assert_false(bench_repeats_done(&o, &r));         /* time not reached, cap not either */
    r.wall_s = 0.5;
    assert_true(bench_repeats_done(&o, &r));          /* the cell's wall cap */
    r = (struct bench_repeats){.runs = 3, .timed_s = 4, .wall_s = 5, .last_s = 1.2};
    assert_true(bench_repeats_done(&o, &r));          /* a slow cell: 3 runs */
    r.runs = 2;
    assert_false(bench_repeats_done(&o, &r));
    r.wall_s = 10;
    assert_true(bench_repeats_done(&o, &r));          /* a very slow cell: 2 runs */
    r.runs = 1;
    assert_false(bench_repeats_done(&o, &r));
    r = (struct bench_repeats){.runs = BENCH_MAX_RUNS};
    assert_true(bench_repeats_done(&o, &r));
}

static int files_in(const char *dir)
{
    struct cmd_result r;
    run_cmd(&r, "ls '%s' | wc -l", dir);
    int n = atoi(r.out);
    cmd_result_free(&r);
    return n;
}

static void test_fixture_cache(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), cache[4200], dir[4300], again[4300], path[4400];
    snprintf(cache, sizeof cache, "%s/cache", tmp);
    struct junitgen_options opt;
    struct ib_error err = {0};
    int generated;
    scenario_generator_options(SCENARIO_FRESH, 40, 3, 7, &opt);
    assert_int_equal(fixture_job_dir(cache, &opt, dir, sizeof dir, &generated, &err), IB_OK);
    assert_true(generated);
    int files = files_in(dir);
    assert_true(files >= 3);
    assert_int_equal(fixture_job_dir(cache, &opt, again, sizeof again, &generated, &err),
                     IB_OK);
    assert_false(generated);
    assert_string_equal(again, dir);
    /* Incomplete: a file missing, or no manifest. */
    struct cmd_result r;
    run_cmd(&r, "rm \"$(ls -d '%s'/*.xml | head -1)\"", dir);
    cmd_result_free(&r);
    assert_int_equal(fixture_job_dir(cache, &opt, again, sizeof again, &generated, &err),
                     IB_OK);
    assert_true(generated);
    assert_int_equal(files_in(dir), files);
    snprintf(path, sizeof path, "%.*s/MANIFEST", (int)(strlen(dir) - 4), dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(fixture_job_dir(cache, &opt, again, sizeof again, &generated, &err),
                     IB_OK);
    assert_true(generated);
    /* Other options, another fixture. */
    opt.seed = 8;
    assert_int_equal(fixture_job_dir(cache, &opt, again, sizeof again, &generated, &err),
                     IB_OK);
    assert_true(generated);
    assert_string_not_equal(again, dir);

    char fp[FIXTURE_FINGERPRINT_LEN + 1], fp2[FIXTURE_FINGERPRINT_LEN + 1];
    fixture_fingerprint(fp);
    fixture_fingerprint(fp2);
    assert_int_equal(strlen(fp), FIXTURE_FINGERPRINT_LEN);
    assert_string_equal(fp, fp2);
    char tpl[4400], tpl2[4400];
    int built;
    assert_int_equal(fixture_template(cache, fp, tmp, dir, PROFILE_SEED, SCENARIO_REIMPORT, 1,
                                      tpl, sizeof tpl, &built, &err), IB_OK);
    assert_true(built);
    assert_non_null(strstr(tpl, "/templates/"));
    assert_non_null(strstr(tpl, "-seed-reimport-h1.db"));
    assert_int_equal(fixture_template(cache, fp, tmp, dir, PROFILE_SEED, SCENARIO_REIMPORT, 1,
                                      tpl2, sizeof tpl2, &built, &err), IB_OK);
    assert_false(built);
    assert_string_equal(tpl, tpl2);
    /* The copy is the template, byte for byte. */
    snprintf(path, sizeof path, "%s/copy.db", tmp);
    assert_int_equal(fixture_copy_file(tpl, path, &err), IB_OK);
    run_cmd(&r, "cmp '%s' '%s'", tpl, path);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    /* A run changed a block and grew the file, and left a journal: restored. */
    run_cmd(&r, "printf changed | dd of='%s' bs=1 seek=5000 conv=notrunc 2>/dev/null && "
            "head -c 100000 /dev/zero >> '%s' && touch '%s-journal' && ! cmp -s '%s' '%s'",
            path, path, path, tpl, path);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    assert_int_equal(fixture_restore_file(tpl, path, &err), IB_OK);
    run_cmd(&r, "cmp '%s' '%s' && test ! -e '%s-journal'", tpl, path, path);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    snprintf(again, sizeof again, "%s/new.db", tmp);          /* missing: copied whole */
    assert_int_equal(fixture_restore_file(tpl, again, &err), IB_OK);
    run_cmd(&r, "cmp '%s' '%s'", tpl, again);
    assert_int_equal(r.exit_code, 0);
    cmd_result_free(&r);
    /* Templates of other code are pruned; this code's stay. */
    snprintf(path, sizeof path, "%s/templates/0000000000000000", cache);
    assert_int_equal(fixture_make_dirs(path, &err), IB_OK);
    fixture_prune_templates(cache, fp);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_equal(access(tpl, R_OK), 0);
    assert_int_equal(fixture_copy_file("/nonexistent.db", path, &err), IB_ERR);
    assert_string_equal(err.msg, "/nonexistent.db: no such file");
    tmpdir_remove(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_matrix),
        cmocka_unit_test(test_quick_matrix),
        cmocka_unit_test(test_asked_strategies_and_reasons),
        cmocka_unit_test(test_prediction),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_repeat_rules),
        cmocka_unit_test(test_fixture_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
