/* bench.c: the matrix runner: per group of cells sharing a starting database
 * (profile, scenario, n, history), the fixture from the cache, the template
 * built once, and the cells' warm-up and timed runs taking turns, each from a
 * fresh copy of the template (after the first, the blocks a run changed are
 * copied back).
 * Every run's digest must equal its group's, and every run's counts its
 * cell's first run's: a benchmark that also checks correctness. */
#include "bench.h"

#include <math.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_fixture.h"
#include "bench_pg.h"
#include "bench_plan.h"
#include "environment.h"
#include "importer.h"

#define PATH_LEN 4096

struct runner {
    const struct bench_options *o;
    const struct bench_hooks *hooks;
    struct results_doc *doc;
    struct bench_plan plan;
    char work[PATH_LEN], tpl[PATH_LEN + 512], run_db[PATH_LEN + 16], job_dir[PATH_LEN];
    double started;
    size_t done;                 /* runnable cells finished or skipped */
    double wall_s, busy_s;       /* of finished cells: wall time, and time in runs */
    char fingerprint[FIXTURE_FINGERPRINT_LEN + 1]; /* of the cached templates; "" none */
    int stopped;
    int have_settings;
    char ref_digest[65];         /* the group's digest, and who gave it first */
    const char *ref_strategy;
    double rtt_sum;              /* postgres: each run's measured round trip, summed */
    size_t rtt_runs;
};

/* The samples of one cell as it runs. */
struct samples {
    double *times, *parse, *lookup, *write, *commit;
    size_t count, cap;
};

void bench_defaults(struct bench_options *o, int quick)
{
    static const uint64_t sizes[] = {1000, 5000, 10000};
    struct junitgen_options gen;
    junitgen_defaults(&gen);
    memset(o, 0, sizeof *o);
    o->nsizes = quick ? 2 : 3;
    memcpy(o->sizes, sizes, sizeof sizes);
    o->profiles[o->nprofiles++] = PROFILE_SEED;
    o->profiles[o->nprofiles++] = PROFILE_APP;
    if (!quick)
        o->profiles[o->nprofiles++] = PROFILE_KEYED;
    o->scenarios[o->nscenarios++] = SCENARIO_FRESH;
    if (!quick)
        o->scenarios[o->nscenarios++] = SCENARIO_REIMPORT;
    o->history = 20;
    if (!quick) {
        o->history_sweep[o->nhistory_sweep++] = 0;
        o->history_sweep[o->nhistory_sweep++] = 20;
        o->history_sweep[o->nhistory_sweep++] = 200;
    }
    o->files = gen.files;
    o->seed = gen.seed;
    o->min_runs = 5;
    o->min_time_s = 1;
    o->warmup = 1;
    o->quick = quick;
    o->budget_s = 120;
    o->slow_run_s = 0.3;
    o->slow_runs = 3;
    o->slow_cell_s = 10;
    o->cell_cap_s = 0.3;
    o->cache_dir = "results/cache";
}

static void notice(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(struct runner *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    if (!r->hooks || !r->hooks->notice)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->hooks->notice(msg, r->hooks->arg);
}

static int should_stop(struct runner *r)
{
    if (!r->stopped && r->hooks && r->hooks->stop && r->hooks->stop(r->hooks->stop_arg))
        r->stopped = 1;
    return r->stopped;
}

static const char *group_name(const struct bench_cell *c, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s n=%llu h=%d", schema_profile_name(c->profile),
             scenario_name(c->scenario), (unsigned long long)c->n, c->history);
    return buf;
}

static int record_skip(struct runner *r, const struct bench_cell *c, const char *reason,
                       struct ib_error *err)
{
    struct results_skip s;
    memset(&s, 0, sizeof s);
    snprintf(s.profile, sizeof s.profile, "%s", schema_profile_name(c->profile));
    snprintf(s.scenario, sizeof s.scenario, "%s", scenario_name(c->scenario));
    snprintf(s.strategy, sizeof s.strategy, "%s", c->strategy->name);
    s.n = c->n;
    s.history = c->history;
    snprintf(s.reason, sizeof s.reason, "%s", reason);
    return results_add_skipped(r->doc, &s, err);
}

/* The connection settings that decide what a commit costs, read on the first
 * template. The importer's connections (db_sqlite.c) set synchronous FULL on
 * top of SQLite's defaults; this one does the same to read what they have. */
static void read_settings(struct runner *r)
{
    sqlite3 *h = NULL;
    struct ib_error err;
    if (r->have_settings)
        return;
    if (sqlite3_open_v2(r->tpl, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_exec(h, "PRAGMA synchronous = FULL", NULL, NULL, NULL) == SQLITE_OK &&
        environment_read_sqlite(h, &r->doc->env.sqlite, &err) == IB_OK)
        r->have_settings = 1;
    sqlite3_close(h);
}

static int samples_push(struct samples *s, double total, const struct phase_times *p)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        double **arrays[] = {&s->times, &s->parse, &s->lookup, &s->write, &s->commit};
        for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
            double *grown = realloc(*arrays[i], cap * sizeof **arrays[i]);
            if (!grown)
                return -1;
            *arrays[i] = grown;
        }
        s->cap = cap;
    }
    s->times[s->count] = total;
    s->parse[s->count] = p->parse;
    s->lookup[s->count] = p->lookup;
    s->write[s->count] = p->write;
    s->commit[s->count] = p->commit;
    s->count++;
    return 0;
}

static void samples_free(struct samples *s)
{
    free(s->times);
    free(s->parse);
    free(s->lookup);
    free(s->write);
    free(s->commit);
}

/* Everything of a run that must not change from run to run. */
static int same_facts(const struct import_report *a, const struct import_report *b)
{
    return !memcmp(&a->counts, &b->counts, sizeof a->counts) && a->inserted == b->inserted &&
           a->updated == b->updated && a->lookup_map_bytes == b->lookup_map_bytes &&
           !strcmp(a->digest, b->digest);
}

/* One run from a fresh copy of the template; checks it against the group's
 * digest and the cell's first run. */
static int one_run(struct runner *r, const struct bench_cell *c, struct import_report *rep,
                   const struct import_report *first, struct ib_error *err)
{
    char name[160];
    struct import_request req = {.db_path = r->run_db, .dir = r->job_dir,
                                 .release = SCENARIO_RELEASE, .module = SCENARIO_MODULE,
                                 .job_id = SCENARIO_JOB, .strategy = c->strategy,
                                 .profile = c->profile, .backend = r->o->backend,
                                 .pg_dsn = r->o->pg_dsn};
    group_name(c, name, sizeof name);
    int copied = r->o->backend == DB_BACKEND_POSTGRES
                     ? bench_pg_fresh_copy(r->o, r->tpl, r->run_db, err)
                     : fixture_restore_file(r->tpl, r->run_db, err);
    if (copied != IB_OK)
        return IB_ERR;
    if (importer_run(&req, rep, err) != IB_OK) {
        ib_wrap(err, "%s %s", name, c->strategy->name);
        return IB_ERR;
    }
    r->rtt_sum += rep->rtt_us_measured;
    r->rtt_runs++;
    if (!r->ref_strategy) {
        memcpy(r->ref_digest, rep->digest, sizeof r->ref_digest);
        r->ref_strategy = c->strategy->name;
    } else if (strcmp(rep->digest, r->ref_digest))
        return ib_fail(err, IB_ERR, "%s: digest mismatch: %s left %.16s..., %s left %.16s...; "
                       "the two strategies imported different data", name, c->strategy->name,
                       rep->digest, r->ref_strategy, r->ref_digest);
    if (first && !same_facts(first, rep))
        return ib_fail(err, IB_ERR, "%s %s: a run's statements, rows or digest differ from "
                       "the cell's first run", name, c->strategy->name);
    return IB_OK;
}

static int add_cell(struct runner *r, const struct bench_cell *c, struct samples *s,
                    const struct import_report *rep, struct ib_error *err)
{
    struct results_cell cell;
    memset(&cell, 0, sizeof cell);
    snprintf(cell.profile, sizeof cell.profile, "%s", schema_profile_name(c->profile));
    snprintf(cell.scenario, sizeof cell.scenario, "%s", scenario_name(c->scenario));
    snprintf(cell.strategy, sizeof cell.strategy, "%s", c->strategy->name);
    cell.n = c->n;
    cell.history = c->history;
    cell.times = s->times;
    cell.ntimes = s->count;
    cell.phases.parse = stats_median(s->parse, s->count);
    cell.phases.lookup = stats_median(s->lookup, s->count);
    cell.phases.write = stats_median(s->write, s->count);
    cell.phases.commit = stats_median(s->commit, s->count);
    cell.counts = rep->counts;
    snprintf(cell.lookup_plan, sizeof cell.lookup_plan, "%s", rep->lookup_plan);
    cell.lookup_map_bytes = rep->lookup_map_bytes;
    cell.inserted = rep->inserted;
    cell.updated = rep->updated;
    memcpy(cell.digest, rep->digest, sizeof cell.digest);
    return results_add_cell(r->doc, &cell, err);
}

/* Seconds the cells after index i are predicted to take. */
static double eta(const struct runner *r, size_t i)
{
    double left = 0, per_cell = r->done ? r->wall_s / (double)r->done : NAN;
    double overhead = r->busy_s > 0 ? r->wall_s / r->busy_s : 1;
    for (size_t k = i + 1; k < r->plan.ncells; k++) {
        const struct bench_cell *c = &r->plan.cells[k];
        if (c->skip[0])
            continue;
        double run_s = bench_predict_run(r->doc, c);
        int warmups, runs;
        bench_planned_runs(r->o, run_s, &warmups, &runs);
        left += isnan(run_s) ? per_cell : run_s * (warmups + runs) * overhead;
    }
    return left;
}

static void report_progress(struct runner *r, size_t i, const struct samples *s)
{
    const struct bench_cell *c = &r->plan.cells[i];
    if (!r->hooks || !r->hooks->progress)
        return;
    struct bench_progress p = {
        .index = r->done, .total = r->plan.nrunnable,
        .profile = schema_profile_name(c->profile), .scenario = scenario_name(c->scenario),
        .strategy = c->strategy->name, .n = c->n, .history = c->history,
        .median_s = s->count ? stats_median(s->times, s->count) : NAN, .runs = s->count,
        .elapsed_s = probe_now() - r->started, .eta_s = eta(r, i)};
    r->hooks->progress(&p, r->hooks->arg);
}

/* One cell of a group while its runs take turns with the other cells'. */
struct cell_run {
    size_t index;                /* in the plan */
    struct samples s;
    struct bench_repeats rp;     /* wall_s: of this cell's own runs, warm-ups included */
    int warmups;                 /* still to do */
    int have_first, finished;
    struct import_report first;
    double busy_s;
};

/* One run of a cell: a warm-up while any is left, else a timed one. */
static int step(struct runner *r, struct cell_run *cr, struct ib_error *err)
{
    struct import_report rep;
    double started = probe_now();
    if (one_run(r, &r->plan.cells[cr->index], &rep, cr->have_first ? &cr->first : NULL,
                err) != IB_OK)
        return IB_ERR;
    if (!cr->have_first++)
        cr->first = rep;
    cr->rp.wall_s += probe_now() - started;
    cr->busy_s += rep.total_s;
    if (cr->warmups > 0) {
        cr->warmups--;
        return IB_OK;
    }
    if (samples_push(&cr->s, rep.total_s, &rep.phases) != 0)
        return ib_fail(err, IB_ERR, "bench: out of memory");
    cr->rp.runs++;
    cr->rp.timed_s += rep.total_s;
    cr->rp.last_s = rep.total_s;
    return IB_OK;
}

static void finish(struct runner *r, struct cell_run *cr)
{
    cr->finished = 1;
    r->done++;
    r->wall_s += cr->rp.wall_s;
    r->busy_s += cr->busy_s;
    report_progress(r, cr->index, &cr->s);
}

/* The cells take turns, one run each, until each has repeated enough, so that
 * a change in the machine's load falls on all the strategies compared, not on
 * one. Stopped, every cell keeps the runs it has. */
static int run_cells(struct runner *r, struct cell_run *cells, size_t n, struct ib_error *err)
{
    size_t active = n;
    int status = IB_OK;
    while (status == IB_OK && active > 0 && !r->stopped)
        for (size_t k = 0; k < n && status == IB_OK && !r->stopped; k++) {
            struct cell_run *cr = &cells[k];
            if (cr->finished)
                continue;
            if (cr->warmups == 0 && bench_repeats_done(r->o, &cr->rp)) {
                finish(r, cr);
                active--;
                continue;
            }
            status = step(r, cr, err);
            should_stop(r);
        }
    for (size_t k = 0; k < n && status == IB_OK; k++) {
        if (!cells[k].finished)
            finish(r, &cells[k]);
        if (cells[k].s.count > 0)
            status = add_cell(r, &r->plan.cells[cells[k].index], &cells[k].s,
                              &cells[k].first, err);
    }
    return status;
}

/* Records the cells of [first, end) that will not run, and says so once per
 * series for a rule, per cell for the budget. Returns how many will run. */
static int plan_group(struct runner *r, size_t first, size_t end, char *runs,
                      struct ib_error *err)
{
    int count = 0;
    for (size_t i = first; i < end; i++) {
        const struct bench_cell *c = &r->plan.cells[i];
        char reason[RESULTS_REASON_MAX], name[160];
        runs[i - first] = 0;
        if (c->skip[0]) {
            if (c->n == r->o->sizes[0] && c->history == r->o->history)
                notice(r, "skipping %s/%s/%s: %s", schema_profile_name(c->profile),
                       scenario_name(c->scenario), c->strategy->name, c->skip);
            if (record_skip(r, c, c->skip, err) != IB_OK)
                return -1;
            continue;
        }
        bench_budget_check(r->o, bench_predict_run(r->doc, c), reason, sizeof reason);
        if (reason[0]) {
            notice(r, "skipping %s %s: %s", group_name(c, name, sizeof name),
                   c->strategy->name, reason);
            if (record_skip(r, c, reason, err) != IB_OK)
                return -1;
            r->done++;
            continue;
        }
        runs[i - first] = 1;
        count++;
    }
    return count;
}

static int run_group(struct runner *r, size_t first, size_t end, struct ib_error *err)
{
    const struct bench_cell *c0 = &r->plan.cells[first];
    char runs[BENCH_MAX_STRATEGIES + 16];
    int count = plan_group(r, first, end, runs, err), generated, built;
    if (count <= 0)
        return count < 0 ? IB_ERR : IB_OK;
    struct junitgen_options gen;
    scenario_generator_options(c0->scenario, c0->n, r->o->files, r->o->seed, &gen);
    if (fixture_job_dir(r->o->cache_dir, &gen, r->job_dir, sizeof r->job_dir, &generated,
                        err) != IB_OK)
        return IB_ERR;
    if (r->o->backend == DB_BACKEND_POSTGRES) {
        if (bench_pg_template(r->o, r->tpl, r->job_dir, c0->profile, c0->scenario,
                              c0->history, err) != IB_OK)
            return IB_ERR;
    } else {
        if (fixture_template(r->o->cache_dir, r->fingerprint, r->work, r->job_dir,
                             c0->profile, c0->scenario, c0->history, r->tpl, sizeof r->tpl,
                             &built, err) != IB_OK)
            return IB_ERR;
        read_settings(r);
        fixture_remove_db(r->run_db);
    }
    r->ref_strategy = NULL;
    struct cell_run cells[BENCH_MAX_STRATEGIES + 16];
    size_t n = 0;
    for (size_t i = first; i < end; i++) {
        int planned;
        if (!runs[i - first])
            continue;
        memset(&cells[n], 0, sizeof cells[n]);
        cells[n].index = i;
        bench_planned_runs(r->o, bench_predict_run(r->doc, &r->plan.cells[i]),
                           &cells[n].warmups, &planned);
        n++;
    }
    int status = run_cells(r, cells, n, err);
    for (size_t k = 0; k < n; k++)
        samples_free(&cells[k].s);
    if (!r->fingerprint[0])
        fixture_remove_db(r->tpl);
    fixture_remove_db(r->run_db);
    return status;
}

/* The end of the group that starts at first. */
static size_t group_end(const struct runner *r, size_t first)
{
    size_t end = first + 1;
    while (end < r->plan.ncells && r->plan.cells[end].group == r->plan.cells[first].group)
        end++;
    return end;
}

/* A template built in a child process; the exit status says whether it was. */
static pid_t build_in_child(struct runner *r, const struct bench_cell *c)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct ib_error err;
        char path[PATH_LEN + 512];
        int built;
        _exit(fixture_template(r->o->cache_dir, r->fingerprint, r->work, r->job_dir,
                               c->profile, c->scenario, c->history, path, sizeof path, &built,
                               &err) == IB_OK ? 0 : 1);
    }
    return pid;
}

/* Before anything is timed: the fixtures of every group with a cell to run,
 * then the templates the cache lacks, built PREPARE_JOBS at a time in child
 * processes (on a first run they take longer than the measurements). Best
 * effort: a template that failed here is built again, with its error, when
 * its group runs. */
#define PREPARE_JOBS 2
static int prepare(struct runner *r, struct ib_error *err)
{
    pid_t running[PREPARE_JOBS];
    int nrunning = 0, generated, announced = 0, status = IB_OK;
    for (size_t first = 0; first < r->plan.ncells && status == IB_OK && !r->stopped;
         first = group_end(r, first)) {
        const struct bench_cell *c = &r->plan.cells[first];
        size_t end = group_end(r, first), k = first;
        while (k < end && r->plan.cells[k].skip[0])
            k++;
        if (k == end)
            continue;
        struct junitgen_options gen;
        scenario_generator_options(c->scenario, c->n, r->o->files, r->o->seed, &gen);
        status = fixture_job_dir(r->o->cache_dir, &gen, r->job_dir, sizeof r->job_dir,
                                 &generated, err);
        if (status != IB_OK || !r->fingerprint[0] ||
            fixture_template_cached(r->o->cache_dir, r->fingerprint, r->job_dir, c->profile,
                                    c->scenario, c->history))
            continue;
        if (!announced++)
            notice(r, "building the starting databases into %s (once for this build of "
                   "importbench)", r->o->cache_dir);
        if (nrunning == PREPARE_JOBS) {
            waitpid(running[0], NULL, 0);
            memmove(running, running + 1, sizeof running[0] * (size_t)--nrunning);
            if (should_stop(r))
                break;
        }
        pid_t pid = build_in_child(r, c);
        if (pid > 0)
            running[nrunning++] = pid;
    }
    while (nrunning > 0)
        waitpid(running[--nrunning], NULL, 0);
    return status;
}

static int run_plan(struct runner *r, struct ib_error *err)
{
    int status = prepare(r, err);
    for (size_t first = 0; first < r->plan.ncells && status == IB_OK && !should_stop(r);) {
        size_t end = group_end(r, first);
        status = run_group(r, first, end, err);
        first = end;
    }
    return status;
}

int bench_run(const struct bench_options *o, const struct bench_hooks *hooks,
              struct results_doc *doc, struct ib_error *err)
{
    struct runner r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.hooks = hooks;
    r.doc = doc;
    r.started = probe_now();
    if (bench_plan_build(o, &r.plan, err) != IB_OK)
        return err->status;
    bench_plan_config(o, &r.plan, &doc->config);
    environment_collect(&doc->env, o->cache_dir);
    int status = fixture_work_dir(o->cache_dir, r.work, sizeof r.work, err);
    if (status == IB_OK) {
        fixture_fingerprint(r.fingerprint);
        if (r.fingerprint[0])
            fixture_prune_templates(o->cache_dir, r.fingerprint);
        snprintf(r.run_db, sizeof r.run_db, "%s/run.db", r.work);
        if (o->backend == DB_BACKEND_POSTGRES)
            bench_pg_names(r.tpl, sizeof r.tpl, r.run_db, sizeof r.run_db);
        status = run_plan(&r, err);
        if (o->backend == DB_BACKEND_POSTGRES) {
            snprintf(doc->config.backend, sizeof doc->config.backend, "%s",
                     db_backend_name(o->backend));
            doc->config.rtt_us_measured = r.rtt_runs ? r.rtt_sum / (double)r.rtt_runs : 0;
        }
        if (fixture_remove_tree(r.work) != 0 && status == IB_OK)
            notice(&r, "%s: could not remove the work directory", r.work);
    }
    bench_plan_free(&r.plan);
    if (status != IB_OK)
        return status;
    doc->complete = !r.stopped;
    return results_compute_derived(doc, err);
}
