/* cmd_verify.c: `importbench verify`: every strategy on every scenario and
 * profile from copies of the same starting database; exit 1 when any two
 * disagree or a deterministic fact is off. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "schema.h"
#include "verify.h"

static const char usage[] =
    "usage: importbench verify [--results N] [--history H] [--files F] [--seed S]\n"
    "                          [--profiles LIST] [--keep DIR]\n"
    "                          [--backend sqlite|postgres] [--pg-dsn DSN]\n"
    "\n"
    "Generates a job for each scenario (fresh, reimport, overlap, dups), builds each\n"
    "profile's starting database once, imports a copy of it with every strategy that\n"
    "applies (floor only into an empty job, upsert only on keyed), and checks that\n"
    "all leave the same canonical digest, that lookups are N for n1, 1 for batch\n"
    "and bulk, 0 for upsert and floor, that rows inserted and updated are as the\n"
    "scenario says, and that nothing outside the job changed.\n"
    "\n"
    "  --results N      distinct keys per job (default 1000; 1k, 10k...)\n"
    "  --history H      earlier jobs in every starting database (default 3)\n"
    "  --files F        topologies of the generated job (default 6)\n"
    "  --seed S         generator seed (default 1)\n"
    "  --profiles LIST  comma-separated subset of seed,app,keyed (default all)\n"
    "  --keep DIR       keep inputs and databases in DIR (postgres: keep the\n"
    "                   databases, named ibv<pid>_<scenario>_<profile>_<strategy>)\n"
    "  --backend NAME   sqlite (default) or postgres; copy runs on postgres only\n"
    "  --pg-dsn DSN     postgres: libpq connection string of the server (default:\n"
    "                   $IMPORTBENCH_PG_DSN; scripts/pg-start prints one)\n"
    "  --help           show this help\n"
    "\n"
    "Exit status: 0 all agree, 1 a disagreement (each one named on stderr, with the\n"
    "first differing row) or a failed import, 2 bad usage.\n";

static int parse_profiles(const char *text, unsigned *mask)
{
    char buf[128];
    if (strlen(text) >= sizeof buf)
        return cli_report(IB_EUSAGE, "--profiles: list too long");
    strcpy(buf, text);
    *mask = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        enum schema_profile p;
        if (schema_profile_parse(tok, &p) != IB_OK)
            return cli_report(IB_EUSAGE, "--profiles: expected seed, app or keyed, got '%s'",
                              tok);
        *mask |= 1u << p;
    }
    if (!*mask)
        return cli_report(IB_EUSAGE, "--profiles: expected a comma-separated list, got '%s'",
                          text);
    return IB_OK;
}

static int parse_args(int argc, char **argv, struct verify_options *o)
{
    enum { O_RESULTS = 256, O_HISTORY, O_FILES, O_SEED, O_PROFILES, O_KEEP, O_BACKEND,
           O_PG_DSN, O_HELP };
    static const struct option longopts[] = {
        {"results", required_argument, NULL, O_RESULTS},
        {"history", required_argument, NULL, O_HISTORY},
        {"files", required_argument, NULL, O_FILES},
        {"seed", required_argument, NULL, O_SEED},
        {"profiles", required_argument, NULL, O_PROFILES},
        {"keep", required_argument, NULL, O_KEEP},
        {"backend", required_argument, NULL, O_BACKEND},
        {"pg-dsn", required_argument, NULL, O_PG_DSN},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    long v;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_RESULTS:
            if (opt_count("--results", optarg, 1, 1000000, &o->results) != IB_OK)
                return IB_EUSAGE;
            break;
        case O_HISTORY:
            if (opt_long("--history", optarg, 0, 1000, &v) != IB_OK)
                return IB_EUSAGE;
            o->history = (int)v;
            break;
        case O_FILES:
            if (opt_long("--files", optarg, 1, 1000, &v) != IB_OK)
                return IB_EUSAGE;
            o->files = (unsigned)v;
            break;
        case O_SEED:
            if (opt_count("--seed", optarg, 0, UINT64_MAX, &o->seed) != IB_OK)
                return IB_EUSAGE;
            break;
        case O_PROFILES:
            if (parse_profiles(optarg, &o->profiles) != IB_OK)
                return IB_EUSAGE;
            break;
        case O_KEEP: o->keep_dir = optarg; break;
        case O_BACKEND:
            if (db_backend_parse(optarg, &o->backend) != IB_OK)
                return cli_report(IB_EUSAGE, "--backend: expected sqlite or postgres, got '%s'",
                                  optarg);
            break;
        case O_PG_DSN: o->pg_dsn = optarg; break;
        case O_HELP: fputs(usage, stdout); return -1;
        default:
            return cli_report(IB_EUSAGE, "verify: unknown or incomplete option '%s' "
                              "(see 'importbench verify --help')", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_report(IB_EUSAGE, "verify: unexpected argument '%s'", argv[optind]);
    if (o->pg_dsn && o->backend != DB_BACKEND_POSTGRES)
        return cli_report(IB_EUSAGE, "--pg-dsn: only with --backend postgres");
    if (o->backend == DB_BACKEND_POSTGRES && !o->pg_dsn &&
        !(o->pg_dsn = getenv("IMPORTBENCH_PG_DSN")))
        return cli_report(IB_EUSAGE, "--backend postgres: needs --pg-dsn or "
                          "$IMPORTBENCH_PG_DSN (scripts/pg-start prints one)");
    return IB_OK;
}

int cmd_verify(int argc, char **argv)
{
    struct verify_options o = {.results = 1000, .history = 3, .seed = 1,
                               .profiles = 1u << PROFILE_SEED | 1u << PROFILE_APP |
                                           1u << PROFILE_KEYED,
                               .out = stdout, .diag = stderr};
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        return 0;
    if (rc != IB_OK)
        return IB_EUSAGE;
    struct verify_summary sum;
    struct ib_error err;
    ib_error_clear(&err);
    if (verify_run(&o, &sum, &err) != IB_OK)
        return cli_report(IB_ERR, "%s", err.msg);
    return sum.disagreements ? 1 : 0;
}
