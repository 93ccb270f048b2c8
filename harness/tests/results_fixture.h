/* results_fixture.h: results documents built in tests through the results API,
 * with figures chosen so that every derived number is known exactly: medians
 * follow power laws in n (batch 2e-5 n, n1 4e-7 n^2, ...), so slopes are 1 or 2
 * and n1/batch is 0.02 n. Included by test_results.c and test_gate.c only. */
#ifndef IB_RESULTS_FIXTURE_H
#define IB_RESULTS_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "results.h"

static struct results_doc *fixture_doc_new(void)
{
    struct results_doc *doc = results_doc_new();
    assert_non_null(doc);
    snprintf(doc->generated_at, sizeof doc->generated_at, "2026-12-04T10:30:15Z");
    doc->complete = 1;
    struct ib_environment *e = &doc->env;
    snprintf(e->cpu_model, sizeof e->cpu_model, "Test CPU @ 2.0GHz");
    e->cores = 2;
    e->memory_bytes = 4294967296ull;
    snprintf(e->os, sizeof e->os, "Debian GNU/Linux 12 (bookworm)");
    snprintf(e->kernel, sizeof e->kernel, "Linux 6.1.0 x86_64");
    snprintf(e->filesystem, sizeof e->filesystem, "ext4");
    snprintf(e->compiler, sizeof e->compiler, "GNU 12.2.0");
    snprintf(e->cflags, sizeof e->cflags, " -O2 -g");
    e->optimized = 1;
    snprintf(e->sqlite_version, sizeof e->sqlite_version, "3.40.1");
    snprintf(e->libxml2_version, sizeof e->libxml2_version, "2.9.14");
    snprintf(e->jansson_version, sizeof e->jansson_version, "2.14");
    snprintf(e->sqlite.journal_mode, sizeof e->sqlite.journal_mode, "delete");
    snprintf(e->sqlite.synchronous, sizeof e->sqlite.synchronous, "full");
    e->sqlite.page_size = 4096;
    e->sqlite.cache_size = -2000;
    snprintf(e->git_commit, sizeof e->git_commit, "0123456789abcdef0123456789abcdef01234567");
    e->git_dirty = 0;

    struct results_config *c = &doc->config;
    const uint64_t sizes[] = {1000, 5000, 10000};
    const char *strategies[] = {"n1", "batch", "floor"};
    for (int i = 0; i < 3; i++) {
        c->sizes[c->nsizes++] = sizes[i];
        snprintf(c->strategies[c->nstrategies++], RESULTS_NAME_MAX, "%s", strategies[i]);
    }
    snprintf(c->profiles[c->nprofiles++], RESULTS_NAME_MAX, "seed");
    snprintf(c->scenarios[c->nscenarios++], RESULTS_NAME_MAX, "fresh");
    c->history = 20;
    c->history_sweep[c->nhistory_sweep++] = 0;
    c->history_sweep[c->nhistory_sweep++] = 200;
    c->files = 6;
    c->seed = 1;
    c->min_runs = 5;
    c->min_time_s = 1;
    c->warmup = 1;
    c->generator.fail_rate = 0.05;
    c->generator.rerun_rate = 0.01;
    c->generator.message_bytes = 200;
    snprintf(c->generator.dialect, sizeof c->generator.dialect, "pytest");
    snprintf(c->generator.module, sizeof c->generator.module, "high_availability");
    return doc;
}

/* A cell whose three runs are median * (0.99, 1, 1.01), with the probe counts
 * each strategy has by construction. */
static struct results_cell fixture_cell(const char *profile, const char *scenario,
                                        const char *strategy, uint64_t n, int history,
                                        double median, double *times)
{
    struct results_cell c;
    memset(&c, 0, sizeof c);
    snprintf(c.profile, sizeof c.profile, "%s", profile);
    snprintf(c.scenario, sizeof c.scenario, "%s", scenario);
    snprintf(c.strategy, sizeof c.strategy, "%s", strategy);
    c.n = n;
    c.history = history;
    times[0] = median * 0.99;
    times[1] = median;
    times[2] = median * 1.01;
    c.times = times;
    c.ntimes = 3;
    int per_result = !strncmp(strategy, "n1", 2);
    int none = !strcmp(strategy, "floor") || !strcmp(strategy, "upsert");
    c.counts.select = per_result ? n + 5 : 6;
    c.counts.insert = n + 3;
    c.counts.other = 2;
    c.counts.lookups = per_result ? n : none ? 0 : 1;
    c.counts.vm_steps = per_result ? n * n / 2 + 40 * n : 60 * n;
    c.phases = (struct phase_times){median * 0.1, median * 0.5, median * 0.3, median * 0.1};
    if (!none)
        snprintf(c.lookup_plan, sizeof c.lookup_plan,
                 "SEARCH test_results USING INDEX ix_test_results_job_id (job_id=?)");
    c.lookup_map_bytes = per_result || none ? 0 : 96 * n;
    c.inserted = n;
    snprintf(c.digest, sizeof c.digest, "%064llx", (unsigned long long)n);
    return c;
}

static void fixture_add(struct results_doc *doc, const char *profile, const char *scenario,
                        const char *strategy, uint64_t n, int history, double median)
{
    double times[3];
    struct results_cell c = fixture_cell(profile, scenario, strategy, n, history, median, times);
    struct ib_error err = {0};
    assert_int_equal(results_add_cell(doc, &c, &err), IB_OK);
}

/* seed / fresh / h=20 at 1k, 5k, 10k: n1 4e-7 n^2, batch 2e-5 n, floor 1.6e-5 n:
 * n1/batch = 20, 100, 200 and batch/floor = 1.25 everywhere. */
static void fixture_standard(struct results_doc *doc)
{
    const uint64_t sizes[] = {1000, 5000, 10000};
    for (int i = 0; i < 3; i++) {
        double n = (double)sizes[i];
        fixture_add(doc, "seed", "fresh", "n1", sizes[i], 20, 4e-7 * n * n);
        fixture_add(doc, "seed", "fresh", "batch", sizes[i], 20, 2e-5 * n);
        fixture_add(doc, "seed", "fresh", "floor", sizes[i], 20, 1.6e-5 * n);
    }
    struct ib_error err = {0};
    assert_int_equal(results_compute_derived(doc, &err), IB_OK);
}

#endif
