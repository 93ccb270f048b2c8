/* cmd_gate.c: `importbench gate`: a results file against a baseline, judged by
 * the rules of gate.h; the exit code is the verdict (0 pass, 1 regression,
 * 2 bad usage or unreadable input). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "gate.h"
#include "options.h"
#include "results.h"

static void usage(FILE *out)
{
    fputs("usage: importbench gate --baseline FILE CURRENT.json [--junit FILE] [--rules FILE]\n"
          "\n"
          "Compares a results file with a baseline (both written by 'importbench bench')\n"
          "and fails on a regression. Rules, in order of trust, with their default\n"
          "thresholds (--rules FILE changes them):\n"
          "  1 statements   statements by kind and lookups equal the baseline's\n"
          "  2 vm_steps     VM steps within 2% of the baseline's (same SQLite version)\n"
          "  3 lookup_plan  the lookup's query plan equals the baseline's\n"
          "  4 slope        log-log slope of batch, bulk and upsert at most 1.2\n"
          "  5 ratio        batch within 1.5x of floor; on seed, fresh, n1/batch at least\n"
          "                 37x at 5000 and 60x at 10000 (1000: reported only)\n"
          "Cells are matched by profile, scenario, strategy, n and history; times\n"
          "against the baseline are advisory and never fail.\n"
          "\n"
          "options:\n"
          "  -b, --baseline FILE  the baseline results file (required)\n"
          "  -j, --junit FILE     also write the verdicts as JUnit XML\n"
          "  -r, --rules FILE     thresholds as JSON (see results/README.md)\n"
          "  -h, --help           this text\n"
          "\n"
          "exit codes: 0 pass, 1 regression, 2 bad usage or unreadable input\n",
          out);
}

struct gate_args {
    const char *baseline, *current, *junit, *rules;
};

/* IB_OK, IB_EUSAGE (message printed), or -1 for --help (usage printed). */
static int parse_args(int argc, char **argv, struct gate_args *a)
{
    static const struct option longopts[] = {
        {"baseline", required_argument, NULL, 'b'},
        {"junit", required_argument, NULL, 'j'},
        {"rules", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(a, 0, sizeof *a);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":b:j:r:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            a->baseline = optarg;
            break;
        case 'j':
            a->junit = optarg;
            break;
        case 'r':
            a->rules = optarg;
            break;
        case 'h':
            usage(stdout);
            return -1;
        case ':':
            return cli_report(IB_EUSAGE, "gate: %s needs a value (see 'importbench gate --help')",
                              argv[optind - 1]);
        default:
            return cli_report(IB_EUSAGE, "gate: unknown option '%s' (see 'importbench gate --help')",
                              argv[optind - 1]);
        }
    }
    if (!a->baseline)
        return cli_report(IB_EUSAGE, "gate: --baseline FILE is required (see 'importbench gate "
                                     "--help')");
    if (argc - optind != 1)
        return cli_report(IB_EUSAGE, "gate: expected one CURRENT.json, got %d", argc - optind);
    a->current = argv[optind];
    return IB_OK;
}

int cmd_gate(int argc, char **argv)
{
    struct gate_args a;
    int status = parse_args(argc, argv, &a);
    if (status < 0)
        return 0;
    if (status != IB_OK)
        return 2;

    struct gate_rules rules;
    struct ib_error err = {0};
    struct results_doc *base = NULL, *cur = NULL;
    struct gate_report report = {0};
    gate_rules_default(&rules);
    if ((a.rules && gate_rules_load(a.rules, &rules, &err)) ||
        results_load(a.baseline, &base, &err) || results_load(a.current, &cur, &err)) {
        status = cli_report(IB_EUSAGE, "%s", err.msg);
        goto done;
    }
    if (gate_run(base, cur, &rules, &report, &err)) {
        status = cli_report(IB_EUSAGE, "gate: %s against %s: %s", a.current, a.baseline, err.msg);
        goto done;
    }
    printf("gate: %s (%.12s, %s) against baseline %s (%.12s, %s)\n", a.current,
           cur->env.git_commit[0] ? cur->env.git_commit : "no commit", cur->generated_at,
           a.baseline, base->env.git_commit[0] ? base->env.git_commit : "no commit",
           base->generated_at);
    gate_print(stdout, &report);
    if (a.junit && gate_write_junit(&report, a.junit, &err)) {
        status = cli_report(IB_EUSAGE, "%s", err.msg);
        goto done;
    }
    status = report.by_outcome[GATE_FAIL] ? 1 : 0;
done:
    gate_report_free(&report);
    results_doc_free(base);
    results_doc_free(cur);
    fflush(stdout);
    return status;
}
