/* cmd_bench.c: `importbench bench`: the benchmark matrix, its options and exit
 * codes, progress on a terminal, Ctrl-C, and the files it leaves: the results
 * JSON, a copy of it under runs/, the summary in Markdown, and the baseline. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "bench_pg.h"
#include "bench_table.h"
#include "commands.h"
#include "options.h"

static const char usage[] =
    "usage: importbench bench [options]\n"
    "\n"
    "Times the import strategies over a matrix of sizes, schema profiles and scenarios,\n"
    "checks that every strategy leaves the same data, and writes the results as JSON\n"
    "and a summary (stdout and the .md beside the JSON). Job XML is generated once\n"
    "into the fixture cache; each cell's starting database is built once and copied\n"
    "before every run, outside the timed region (parse, import, commit).\n"
    "\n"
    "  --sizes LIST          results per job (default 1k,5k,10k; quick 1k,5k; up to 1M)\n"
    "  --strategies LIST     n1, n1-deferred, n1-nocache, batch, bulk, upsert, floor\n"
    "                        (default: each profile's own list; see below)\n"
    "  --profiles LIST       seed, app, keyed (default all three; quick seed,app)\n"
    "  --scenarios LIST      fresh, reimport, overlap, dups (default fresh,reimport;\n"
    "                        quick fresh)\n"
    "  --history H           earlier jobs in every starting database (default 20)\n"
    "  --history-sweep LIST  depths for app, fresh, smallest size, n1 and batch\n"
    "                        (default 0,20,200; quick none; 'none' turns it off)\n"
    "  --files F             topology files per job (default 6)\n"
    "  --seed S              generator seed (default 1)\n"
    "  --min-runs N          timed runs per cell at least (default 5)\n"
    "  --min-time S          timed seconds per cell at least (default 1)\n"
    "  --warmup N            untimed runs before them (default 1)\n"
    "  --rtt-us N            also show modelled times: N us added per statement\n"
    "  --budget S            skip a cell predicted to take longer than S seconds\n"
    "                        (default 120)\n"
    "  --quick               the CI matrix: seed and app, fresh, 1k and 5k,\n"
    "                        n1 (seed only), batch, bulk, floor\n"
    "  -o FILE               the results file (default results/latest.json)\n"
    "  --save-baseline       also write baseline.json beside it\n"
    "  --fixtures DIR        fixture cache and work files (default results/cache)\n"
    "  --backend NAME        sqlite (default) or postgres: there every starting database\n"
    "                        is a database on the server, cloned before each run, and\n"
    "                        a table of round trips follows (copy runs only there)\n"
    "  --pg-dsn DSN          postgres: libpq connection string (default\n"
    "                        $IMPORTBENCH_PG_DSN; scripts/pg-start prints one)\n"
    "  --help                show this help\n"
    "\n"
    "Default strategies: seed n1, n1-deferred, batch, bulk, upsert, floor; app n1,\n"
    "batch, bulk, upsert, floor; keyed upsert. upsert runs only on keyed and\n"
    "floor only on a job without results: other cells are skipped with a notice.\n"
    "A cell stops repeating after 0.3 s once it has its minimum runs. A cell whose\n"
    "runs take over 0.3 s is slow: no warm-up where the smaller sizes predict it,\n"
    "and 3 runs (2 once it has taken 10 s). The first run also generates the\n"
    "fixtures and builds the starting databases into the cache, which later runs\n"
    "of the same build reuse.\n"
    "Exit status: 0 done, 1 a run failed or two strategies left different data,\n"
    "2 bad usage, 130 interrupted (what was measured is written, marked incomplete).\n";

/* Set by SIGINT, read after every run: the one global the runner allows. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int stop_requested(void *arg)
{
    (void)arg;
    return interrupted != 0;
}

struct bench_args {
    struct bench_options o;
    const char *out;
    int save_baseline;
};

enum { O_SIZES = 256, O_STRATEGIES, O_PROFILES, O_SCENARIOS, O_HISTORY, O_SWEEP, O_FILES,
       O_SEED, O_MIN_RUNS, O_MIN_TIME, O_WARMUP, O_RTT, O_BUDGET, O_QUICK, O_BASELINE,
       O_FIXTURES, O_BACKEND, O_PG_DSN, O_HELP };

static const struct option longopts[] = {
    {"sizes", required_argument, NULL, O_SIZES},
    {"strategies", required_argument, NULL, O_STRATEGIES},
    {"profiles", required_argument, NULL, O_PROFILES},
    {"scenarios", required_argument, NULL, O_SCENARIOS},
    {"history", required_argument, NULL, O_HISTORY},
    {"history-sweep", required_argument, NULL, O_SWEEP},
    {"files", required_argument, NULL, O_FILES},
    {"seed", required_argument, NULL, O_SEED},
    {"min-runs", required_argument, NULL, O_MIN_RUNS},
    {"min-time", required_argument, NULL, O_MIN_TIME},
    {"warmup", required_argument, NULL, O_WARMUP},
    {"rtt-us", required_argument, NULL, O_RTT},
    {"budget", required_argument, NULL, O_BUDGET},
    {"quick", no_argument, NULL, O_QUICK},
    {"save-baseline", no_argument, NULL, O_BASELINE},
    {"fixtures", required_argument, NULL, O_FIXTURES},
    {"backend", required_argument, NULL, O_BACKEND},
    {"pg-dsn", required_argument, NULL, O_PG_DSN},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0}};

/* Splits a comma-separated list of names, calling take on each. */
static int each_name(const char *flag, const char *text, int (*take)(const char *, void *),
                     void *ctx)
{
    char buf[512];
    int n = 0;
    if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf)
        return cli_report(IB_EUSAGE, "%s: list too long", flag);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save), n++)
        if (take(tok, ctx) != IB_OK)
            return IB_EUSAGE;
    if (n == 0)
        return cli_report(IB_EUSAGE, "%s: expected a comma-separated list, got '%s'", flag, text);
    return IB_OK;
}

static int take_strategy(const char *name, void *ctx)
{
    struct bench_options *o = ctx;
    const struct strategy *s = strategy_find(name);
    if (!s)
        return cli_report(IB_EUSAGE, "--strategies: expected n1, n1-deferred, n1-nocache, "
                          "batch, bulk, upsert or floor, got '%s'", name);
    for (int i = 0; i < o->nstrategies; i++)
        if (o->strategies[i] == s)
            return IB_OK;
    if (o->nstrategies == BENCH_MAX_STRATEGIES)
        return cli_report(IB_EUSAGE, "--strategies: too many");
    o->strategies[o->nstrategies++] = s;
    return IB_OK;
}

static int take_profile(const char *name, void *ctx)
{
    struct bench_options *o = ctx;
    enum schema_profile p;
    if (schema_profile_parse(name, &p) != IB_OK)
        return cli_report(IB_EUSAGE, "--profiles: expected seed, app or keyed, got '%s'", name);
    for (int i = 0; i < o->nprofiles; i++)
        if (o->profiles[i] == p)
            return IB_OK;
    o->profiles[o->nprofiles++] = p;
    return IB_OK;
}

static int take_scenario(const char *name, void *ctx)
{
    struct bench_options *o = ctx;
    enum scenario s;
    if (scenario_parse(name, &s) != IB_OK)
        return cli_report(IB_EUSAGE, "--scenarios: expected fresh, reimport, overlap or dups, "
                          "got '%s'", name);
    for (int i = 0; i < o->nscenarios; i++)
        if (o->scenarios[i] == s)
            return IB_OK;
    o->scenarios[o->nscenarios++] = s;
    return IB_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int parse_sizes(const char *text, struct bench_options *o)
{
    uint64_t v[RESULTS_LIST_MAX];
    int n;
    if (opt_count_list("--sizes", text, 1, 1000000, v, RESULTS_LIST_MAX, &n) != IB_OK)
        return IB_EUSAGE;
    qsort(v, (size_t)n, sizeof v[0], cmp_u64);
    o->nsizes = 0;
    for (int i = 0; i < n; i++)
        if (i == 0 || v[i] != v[i - 1])
            o->sizes[o->nsizes++] = v[i];
    return IB_OK;
}

static int parse_sweep(const char *text, struct bench_options *o)
{
    uint64_t v[RESULTS_LIST_MAX];
    int n;
    o->nhistory_sweep = 0;
    if (!strcmp(text, "none"))
        return IB_OK;
    if (opt_count_list("--history-sweep", text, 0, 10000, v, RESULTS_LIST_MAX, &n) != IB_OK)
        return IB_EUSAGE;
    for (int i = 0; i < n; i++)
        o->history_sweep[o->nhistory_sweep++] = (int)v[i];
    return IB_OK;
}

/* One option of the second pass (the first only looked for --quick). */
static int apply_option(int c, const char *arg, struct bench_args *a)
{
    struct bench_options *o = &a->o;
    long v;
    switch (c) {
    case O_SIZES: return parse_sizes(arg, o);
    case O_STRATEGIES: o->nstrategies = 0; return each_name("--strategies", arg, take_strategy, o);
    case O_PROFILES: o->nprofiles = 0; return each_name("--profiles", arg, take_profile, o);
    case O_SCENARIOS: o->nscenarios = 0; return each_name("--scenarios", arg, take_scenario, o);
    case O_HISTORY:
        if (opt_long("--history", arg, 0, 10000, &v) != IB_OK)
            return IB_EUSAGE;
        o->history = (int)v;
        return IB_OK;
    case O_SWEEP: return parse_sweep(arg, o);
    case O_FILES:
        if (opt_long("--files", arg, 1, JUNITGEN_MAX_FILES, &v) != IB_OK)
            return IB_EUSAGE;
        o->files = (unsigned)v;
        return IB_OK;
    case O_SEED: return opt_count("--seed", arg, 0, UINT64_C(1) << 62, &o->seed);
    case O_MIN_RUNS:
        if (opt_long("--min-runs", arg, 1, BENCH_MAX_RUNS, &v) != IB_OK)
            return IB_EUSAGE;
        o->min_runs = (int)v;
        return IB_OK;
    case O_MIN_TIME: return opt_double("--min-time", arg, 0, 3600, &o->min_time_s);
    case O_WARMUP:
        if (opt_long("--warmup", arg, 0, 100, &v) != IB_OK)
            return IB_EUSAGE;
        o->warmup = (int)v;
        return IB_OK;
    case O_RTT: return opt_double("--rtt-us", arg, 0, 1000000, &o->rtt_us);
    case O_BUDGET: return opt_double("--budget", arg, 0.001, 1e7, &o->budget_s);
    case O_QUICK: return IB_OK;
    case O_BASELINE: a->save_baseline = 1; return IB_OK;
    case O_FIXTURES: o->cache_dir = arg; return IB_OK;
    case O_BACKEND:
        if (db_backend_parse(arg, &o->backend) != IB_OK)
            return cli_report(IB_EUSAGE, "--backend: expected sqlite or postgres, got '%s'",
                              arg);
        return IB_OK;
    case O_PG_DSN: o->pg_dsn = arg; return IB_OK;
    case 'o': a->out = arg; return IB_OK;
    }
    return IB_EUSAGE;
}

/* The DSN where postgres needs one, and strategies that run on the backend. */
static int check_backend(struct bench_options *o)
{
    if (o->pg_dsn && o->backend != DB_BACKEND_POSTGRES)
        return cli_report(IB_EUSAGE, "--pg-dsn: only with --backend postgres");
    if (o->backend == DB_BACKEND_POSTGRES && !o->pg_dsn &&
        !(o->pg_dsn = getenv("IMPORTBENCH_PG_DSN")))
        return cli_report(IB_EUSAGE, "--backend postgres: needs --pg-dsn or "
                          "$IMPORTBENCH_PG_DSN (scripts/pg-start prints one)");
    for (int i = 0; i < o->nstrategies; i++)
        if (!strategy_runs_on(o->strategies[i], o->backend))
            return cli_report(IB_EUSAGE, "--strategies: %s does not run on the %s backend",
                              o->strategies[i]->name, db_backend_name(o->backend));
    return IB_OK;
}

/* -1 after --help, IB_OK, or IB_EUSAGE. */
static int parse_args(int argc, char **argv, struct bench_args *a)
{
    int c, quick = 0;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        if (c == O_HELP) {
            fputs(usage, stdout);
            return -1;
        }
        quick |= c == O_QUICK;
    }
    bench_defaults(&a->o, quick);
    a->out = "results/latest.json";
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        if (c == '?' || c == ':')
            return cli_report(IB_EUSAGE, "bench: unknown or incomplete option '%s' "
                              "(see 'importbench bench --help')", argv[optind - 1]);
        if (apply_option(c, optarg, a) != IB_OK)
            return IB_EUSAGE;
    }
    if (optind < argc)
        return cli_report(IB_EUSAGE, "bench: unexpected argument '%s'", argv[optind]);
    return check_backend(&a->o);
}

/* "1m05s" */
static const char *minutes(double s, char *buf, size_t len)
{
    if (s == s)
        snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)s % 60);
    else
        snprintf(buf, len, "?");
    return buf;
}

static void print_progress(const struct bench_progress *p, void *arg)
{
    char elapsed[32], eta[32];
    (void)arg;
    fprintf(stderr, "cell %zu/%zu %s/%s/%s n=%llu h=%d median %.4f s (%zu runs) elapsed %s "
            "eta %s\n", p->index, p->total, p->profile, p->scenario, p->strategy,
            (unsigned long long)p->n, p->history, p->median_s, p->runs,
            minutes(p->elapsed_s, elapsed, sizeof elapsed), minutes(p->eta_s, eta, sizeof eta));
}

static void print_notice(const char *message, void *arg)
{
    (void)arg;
    fprintf(stderr, "importbench: %s\n", message);
}

/* dir/name, where dir is the directory of path ("." when it has none). */
static void beside(const char *path, const char *name, char *out, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(out, len, "%.*s/%s", (int)(slash - path), path, name);
    else
        snprintf(out, len, "%s", name);
}

static int write_outputs(const struct bench_args *a, const struct results_doc *doc)
{
    char path[4200], name[128];
    struct ib_error err = {0};
    size_t len = strlen(a->out);
    int status = results_write(doc, a->out, &err);
    if (status == IB_OK) {
        results_run_file_name(doc, name, sizeof name);
        char runs[200];
        snprintf(runs, sizeof runs, "runs/%s", name);
        beside(a->out, runs, path, sizeof path);
        status = results_write(doc, path, &err);
    }
    if (status == IB_OK) {
        if (len > 5 && !strcmp(a->out + len - 5, ".json"))
            snprintf(path, sizeof path, "%.*s.md", (int)(len - 5), a->out);
        else
            snprintf(path, sizeof path, "%s.md", a->out);
        status = bench_table_save(path, doc, &err);
    }
    if (status == IB_OK && a->save_baseline) {
        beside(a->out, "baseline.json", path, sizeof path);
        if (doc->complete)
            status = results_write(doc, path, &err);
        else
            cli_report(IB_OK, "%s: not written: the run was interrupted", path);
    }
    if (status != IB_OK)
        return cli_report(IB_ERR, "%s", err.msg);
    return IB_OK;
}

/* Timings on a busy machine are noisy: say so before they are taken. */
static void warn_if_busy(void)
{
    double load;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (getloadavg(&load, 1) == 1 && cores > 0 && load > 0.5 * (double)cores)
        cli_report(IB_OK, "the machine is busy (load average %.1f on %ld cores): times will "
                   "be noisier than on an idle one", load, cores);
}

int cmd_bench(int argc, char **argv)
{
    struct bench_args a;
    memset(&a, 0, sizeof a);
    int status = parse_args(argc, argv, &a);
    if (status != IB_OK)
        return status < 0 ? 0 : 2;
    struct results_doc *doc = results_doc_new();
    if (!doc)
        return cli_report(IB_ERR, "bench: out of memory");
    struct bench_hooks hooks = {.stop = stop_requested, .notice = print_notice,
                                .progress = isatty(STDERR_FILENO) ? print_progress : NULL};
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    warn_if_busy();
    struct ib_error err = {0};
    status = bench_run(&a.o, &hooks, doc, &err);
    sigaction(SIGINT, &old, NULL);
    if (status != IB_OK) {
        cli_report(status, "%s", err.msg);
        results_doc_free(doc);
        return status == IB_EUSAGE ? 2 : 1;
    }
    status = write_outputs(&a, doc);
    if (status == IB_OK)
        bench_table_write(stdout, doc);
    if (status == IB_OK && a.o.backend == DB_BACKEND_POSTGRES)
        bench_pg_write_costs(stdout, doc);
    int complete = doc->complete;
    results_doc_free(doc);
    if (status != IB_OK)
        return 1;
    if (!complete)
        cli_report(IB_OK, "interrupted: %s holds what was measured, marked incomplete", a.out);
    return complete ? 0 : 130;
}
