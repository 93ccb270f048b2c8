/* cmd_import.c: `importbench import`: one job directory into one database with
 * one strategy, and what it cost, as a table or as one JSON object. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "importer.h"
#include "options.h"

static const char usage[] =
    "usage: importbench import --db FILE --job RELEASE/MODULE/JOBID --strategy NAME\n"
    "                          [options] DIR\n"
    "\n"
    "Imports the JUnit XML files of a Jenkins job directory into a SQLite database (or\n"
    "a PostgreSQL one) in one transaction, creating the database and its schema when\n"
    "it is new.\n"
    "Files named re_run_<module>_<topology>.xml are reruns; any other *.xml is a main\n"
    "run. A key present in the job is updated, a new one inserted; the job's other\n"
    "rows and all other jobs are left alone. Any error rolls everything back.\n"
    "\n"
    "  --db FILE            the database (created when missing); with postgres, its name\n"
    "  --job R/M/J          release, module and job id (the Jenkins build number)\n"
    "  --strategy NAME      n1, n1-deferred, n1-nocache, batch, bulk, upsert, floor,\n"
    "                       copy, n1-pipelined (postgres only)\n"
    "  --profile NAME       seed, app or keyed (default app); must match the database\n"
    "  --deferred-writes    with n1: all lookups first, then all writes (n1-deferred)\n"
    "  --no-stmt-cache      with n1: prepare every statement anew (n1-nocache)\n"
    "  --bulk-chunk N       rows per multi-row statement of bulk (default 2500)\n"
    "  --busy-timeout MS    wait at most MS for a locked database (default 5000)\n"
    "  --backend NAME       sqlite (default) or postgres\n"
    "  --pg-dsn DSN         postgres: libpq connection string of the server (default:\n"
    "                       $IMPORTBENCH_PG_DSN; scripts/pg-start prints one)\n"
    "  --json               print one JSON object instead of the table\n"
    "  --help               show this help\n"
    "\n"
    "upsert needs profile keyed; floor needs a job without results.\n"
    "On postgres, round trips are counted (every call that waits for the server) and\n"
    "the median round trip of a trivial statement is measured at connect; VM steps\n"
    "are SQLite's and are not counted there (null in --json).\n"
    "Exit status: 0 imported, 1 the import failed (nothing changed),\n"
    "2 bad usage or a refused request (nothing changed).\n";

struct import_args {
    struct import_request req;
    char spec[1024];
    int deferred, nocache, json;
};

static int pick_backend(const char *name, struct import_args *a)
{
    if (db_backend_parse(name, &a->req.backend) != IB_OK)
        return cli_report(IB_EUSAGE, "--backend: expected sqlite or postgres, got '%s'", name);
    return IB_OK;
}

static int pick_strategy(const char *name, struct import_args *a)
{
    char full[64];
    if ((a->deferred || a->nocache) && strcmp(name, "n1") != 0)
        return cli_report(IB_EUSAGE, "%s: only with --strategy n1",
                          a->deferred ? "--deferred-writes" : "--no-stmt-cache");
    if (a->deferred && a->nocache)
        return cli_report(IB_EUSAGE, "--deferred-writes and --no-stmt-cache: choose one");
    snprintf(full, sizeof full, "%s%s", name,
             a->deferred ? "-deferred" : a->nocache ? "-nocache" : "");
    if (!(a->req.strategy = strategy_find(full)))
        return cli_report(IB_EUSAGE,
                          "--strategy: expected n1, n1-deferred, n1-nocache, batch, bulk, "
                          "upsert, floor, copy or n1-pipelined, got '%s'", name);
    return IB_OK;
}

static int parse_args(int argc, char **argv, struct import_args *a)
{
    enum { O_DB = 256, O_JOB, O_STRATEGY, O_PROFILE, O_DEFERRED, O_NOCACHE, O_CHUNK,
           O_BUSY, O_BACKEND, O_PG_DSN, O_JSON, O_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"job", required_argument, NULL, O_JOB},
        {"strategy", required_argument, NULL, O_STRATEGY},
        {"profile", required_argument, NULL, O_PROFILE},
        {"deferred-writes", no_argument, NULL, O_DEFERRED},
        {"no-stmt-cache", no_argument, NULL, O_NOCACHE},
        {"bulk-chunk", required_argument, NULL, O_CHUNK},
        {"busy-timeout", required_argument, NULL, O_BUSY},
        {"backend", required_argument, NULL, O_BACKEND},
        {"pg-dsn", required_argument, NULL, O_PG_DSN},
        {"json", no_argument, NULL, O_JSON},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    const char *strategy = NULL, *job = NULL;
    long v;
    a->req.profile = PROFILE_APP;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_DB: a->req.db_path = optarg; break;
        case O_JOB: job = optarg; break;
        case O_STRATEGY: strategy = optarg; break;
        case O_PROFILE:
            if (schema_profile_parse(optarg, &a->req.profile) != IB_OK)
                return cli_report(IB_EUSAGE,
                                  "--profile: expected seed, app or keyed, got '%s'", optarg);
            break;
        case O_DEFERRED: a->deferred = 1; break;
        case O_NOCACHE: a->nocache = 1; break;
        case O_CHUNK:
            if (opt_long("--bulk-chunk", optarg, 1, 1000000, &v) != IB_OK)
                return IB_EUSAGE;
            a->req.bulk_chunk = (size_t)v;
            break;
        case O_BUSY:
            if (opt_long("--busy-timeout", optarg, 1, 3600000, &v) != IB_OK)
                return IB_EUSAGE;
            a->req.busy_timeout_ms = (int)v;
            break;
        case O_BACKEND:
            if (pick_backend(optarg, a) != IB_OK)
                return IB_EUSAGE;
            break;
        case O_PG_DSN: a->req.pg_dsn = optarg; break;
        case O_JSON: a->json = 1; break;
        case O_HELP: fputs(usage, stdout); return -1;
        default:
            return cli_report(IB_EUSAGE, "import: unknown or incomplete option '%s' "
                              "(see 'importbench import --help')", argv[optind - 1]);
        }
    }
    if (!a->req.db_path || !job || !strategy)
        return cli_report(IB_EUSAGE, "import: --db, --job and --strategy are required "
                          "(see 'importbench import --help')");
    if (optind != argc - 1)
        return cli_report(IB_EUSAGE, "import: expected one job directory, got %d",
                          argc - optind);
    a->req.dir = argv[optind];
    if (a->req.pg_dsn && a->req.backend != DB_BACKEND_POSTGRES)
        return cli_report(IB_EUSAGE, "--pg-dsn: only with --backend postgres");
    if (a->req.backend == DB_BACKEND_POSTGRES && !a->req.pg_dsn &&
        !(a->req.pg_dsn = getenv("IMPORTBENCH_PG_DSN")))
        return cli_report(IB_EUSAGE, "--backend postgres: needs --pg-dsn or "
                          "$IMPORTBENCH_PG_DSN (scripts/pg-start prints one)");
    struct ib_error err;
    if (importer_parse_job_spec(job, a->spec, sizeof a->spec, &a->req.release,
                                &a->req.module, &a->req.job_id, &err) != IB_OK)
        return cli_report(IB_EUSAGE, "%s", err.msg);
    return pick_strategy(strategy, a);
}

static void print_table(const struct import_args *a, const struct import_report *r)
{
    const struct probe_counts *k = &r->counts;
    printf("imported %s/%s/%s from %s into %s\n", a->req.release, a->req.module,
           a->req.job_id, a->req.dir, a->req.db_path);
    printf("  strategy     %s (profile %s)\n", a->req.strategy->name,
           schema_profile_name(a->req.profile));
    printf("  results      %zu (%zu testcases read)\n", r->results, r->testcases_read);
    printf("  inserted     %llu\n", (unsigned long long)r->inserted);
    printf("  updated      %llu\n", (unsigned long long)r->updated);
    printf("  statements   %llu: select %llu, insert %llu, update %llu, other %llu\n",
           (unsigned long long)probe_statements(k), (unsigned long long)k->select,
           (unsigned long long)k->insert, (unsigned long long)k->update,
           (unsigned long long)k->other);
    printf("  lookups      %llu\n", (unsigned long long)k->lookups);
    if (a->req.backend == DB_BACKEND_SQLITE) {
        printf("  vm steps     %llu (full-scan steps %llu)\n", (unsigned long long)k->vm_steps,
               (unsigned long long)k->fullscan_steps);
    } else {
        printf("  round trips  %llu (measured round trip %.1f us)\n",
               (unsigned long long)k->round_trips, r->rtt_us_measured);
        printf("  vm steps     n/a on %s\n", db_backend_name(a->req.backend));
    }
    printf("  lookup plan  %s\n", r->lookup_plan[0] ? r->lookup_plan : "(no lookup)");
    printf("  lookup map   %zu bytes\n", r->lookup_map_bytes);
    printf("  phases       parse %.4f s, lookup %.4f s, write %.4f s, commit %.4f s\n",
           r->phases.parse, r->phases.lookup, r->phases.write, r->phases.commit);
    printf("  total        %.4f s\n", r->total_s);
    printf("  digest       %s\n", r->digest);
}

static int print_json(const struct import_args *a, const struct import_report *r)
{
    const struct probe_counts *k = &r->counts;
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I,"
        " s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:s, s:I,"
        " s:{s:f, s:f, s:f, s:f}, s:f, s:s}",
        "strategy", a->req.strategy->name, "profile", schema_profile_name(a->req.profile),
        "release", a->req.release, "module", a->req.module, "job", a->req.job_id,
        "results", (json_int_t)r->results, "testcases_read", (json_int_t)r->testcases_read,
        "inserted", (json_int_t)r->inserted, "updated", (json_int_t)r->updated,
        "lookups", (json_int_t)k->lookups,
        "statements", "select", (json_int_t)k->select, "insert", (json_int_t)k->insert,
        "update", (json_int_t)k->update, "other", (json_int_t)k->other,
        "vm_steps", (json_int_t)k->vm_steps, "fullscan_steps", (json_int_t)k->fullscan_steps,
        "lookup_plan", r->lookup_plan, "lookup_map_bytes", (json_int_t)r->lookup_map_bytes,
        "phases_s", "parse", r->phases.parse, "lookup", r->phases.lookup, "write",
        r->phases.write, "commit", r->phases.commit,
        "total_s", r->total_s, "digest", r->digest);
    /* VM steps are SQLite's; elsewhere they are unknown, not zero */
    int pg = a->req.backend == DB_BACKEND_POSTGRES;
    if (o && (json_object_set_new(o, "backend", json_string(db_backend_name(a->req.backend))) ||
              json_object_set_new(o, "round_trips", json_integer((json_int_t)k->round_trips)) ||
              json_object_set_new(o, "rtt_us_measured",
                                  pg ? json_real(r->rtt_us_measured) : json_null()) ||
              (pg && (json_object_set_new(o, "vm_steps", json_null()) ||
                      json_object_set_new(o, "fullscan_steps", json_null()))))) {
        json_decref(o);
        o = NULL;
    }
    if (!o)
        return cli_report(IB_ERR, "import: could not build the JSON output");
    int rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    putchar('\n');
    return rc == 0 ? IB_OK : IB_ERR;
}

int cmd_import(int argc, char **argv)
{
    struct import_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc < 0)
        return 0;
    if (rc != IB_OK)
        return IB_EUSAGE;
    struct import_report rep;
    struct ib_error err;
    ib_error_clear(&err);
    int status = importer_run(&a.req, &rep, &err);
    if (status != IB_OK)
        return cli_report(status == IB_EUSAGE ? IB_EUSAGE : IB_ERR, "%s", err.msg);
    if (a.json)
        return print_json(&a, &rep);
    print_table(&a, &rep);
    return IB_OK;
}
