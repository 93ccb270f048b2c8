/* cmd_gate.c: `importbench gate`: a results file against a baseline, judged by
 * the rules of gate.h; the exit code is the verdict (0 pass, 1 regression,
 * 2 bad usage or unreadable input). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "gate.h"
#include "options.h"
#include "results.h"

static void usage(FILE *out)
{
    fputs("usage: importbench gate --baseline FILE CURRENT.json [--junit FILE] [--rules FILE]\n"
          "       importbench gate --compare-times --baseline A1.json --baseline A2.json ...\n"
          "                        B1.json B2.json ... [--junit FILE] [--rules FILE]\n"
          "\n"
          "Compares a results file with a baseline (both written by 'importbench bench')\n"
          "and fails on a regression. Rules, in order of trust, with their default\n"
          "thresholds (--rules FILE changes them):\n"
          "  1 statements   statements by kind and lookups equal the baseline's\n"
          "  2 vm_steps     VM steps within 2% of the baseline's (same SQLite version)\n"
          "  3 lookup_plan  the lookup's query plan equals the baseline's\n"
          "  4 slope        log-log slope of batch, bulk and upsert at most 1.2, measured\n"
          "                 against floor's growth where floor ran at the same sizes\n"
          "  5 ratio        batch within 1.5x of floor; on seed, fresh, n1/batch at least\n"
          "                 37x at 5000 and 60x at 10000 (1000: reported only)\n"
          "Cells are matched by profile, scenario, strategy, n and history; times\n"
          "against the baseline are advisory and never fail.\n"
          "\n"
          "With --compare-times the baseline and the current side are each several runs\n"
          "of one build, run in neighbouring pairs on one machine (A B, B A, A B...;\n"
          "scripts/compare-revisions does this); rules 1-5 compare each side's samples\n"
          "pooled, and instead of the advisory times:\n"
          "  6 time         a cell more than 10% slower pair by pair (the median of the\n"
          "                 pairs' ratios) with p < 0.01 fails; p from a Mann-Whitney\n"
          "                 test within each pair of runs, summed over the pairs (8\n"
          "                 pairs at least, else skipped)\n"
          "\n"
          "options:\n"
          "  -b, --baseline FILE  the baseline results file (required; repeated with\n"
          "                       --compare-times, once per run)\n"
          "  -t, --compare-times  the files are interleaved runs: add rule 6\n"
          "  -j, --junit FILE     also write the verdicts as JUnit XML\n"
          "  -r, --rules FILE     thresholds as JSON (see results/README.md)\n"
          "  -h, --help           this text\n"
          "\n"
          "exit codes: 0 pass, 1 regression, 2 bad usage or unreadable input\n",
          out);
}

struct gate_args {
    const char **baselines, **currents;  /* into argv; NULL-terminated */
    size_t nbaselines, ncurrents;
    const char *junit, *rules;
    int compare_times;
};

/* IB_OK, IB_EUSAGE (message printed), or -1 for --help (usage printed).
 * a->baselines has room for argc entries. */
static int parse_args(int argc, char **argv, struct gate_args *a)
{
    static const struct option longopts[] = {
        {"baseline", required_argument, NULL, 'b'},
        {"compare-times", no_argument, NULL, 't'},
        {"junit", required_argument, NULL, 'j'},
        {"rules", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":b:tj:r:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            a->baselines[a->nbaselines++] = optarg;
            break;
        case 't':
            a->compare_times = 1;
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
    if (!a->nbaselines)
        return cli_report(IB_EUSAGE, "gate: --baseline FILE is required (see 'importbench gate "
                                     "--help')");
    a->currents = (const char **)argv + optind;
    a->ncurrents = (size_t)(argc - optind);
    if (!a->compare_times && a->ncurrents != 1)
        return cli_report(IB_EUSAGE, "gate: expected one CURRENT.json, got %zu", a->ncurrents);
    if (!a->compare_times && a->nbaselines != 1)
        return cli_report(IB_EUSAGE, "gate: several baselines need --compare-times (runs "
                                     "interleaved with the current ones)");
    if (a->compare_times && a->ncurrents == 0)
        return cli_report(IB_EUSAGE, "gate: expected the current runs after the options, got "
                                     "none");
    return IB_OK;
}

static int load_all(const char *const *paths, size_t n, struct results_doc **docs,
                    struct ib_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (results_load(paths[i], &docs[i], err) != IB_OK)
            return IB_EUSAGE;
    return IB_OK;
}

static void free_all(struct results_doc **docs, size_t n)
{
    for (size_t i = 0; docs && i < n; i++)
        results_doc_free(docs[i]);
    free(docs);
}

/* The header line: what was compared with what. */
static void print_header(const struct gate_args *a, struct results_doc **base,
                         struct results_doc **cur)
{
    if (a->compare_times) {
        printf("gate: %zu interleaved runs (%.12s) against %zu baseline runs (%.12s), "
               "%s to %s\n", a->ncurrents,
               cur[0]->env.git_commit[0] ? cur[0]->env.git_commit : "no commit", a->nbaselines,
               base[0]->env.git_commit[0] ? base[0]->env.git_commit : "no commit",
               strcmp(base[0]->generated_at, cur[0]->generated_at) < 0 ? base[0]->generated_at
                                                                       : cur[0]->generated_at,
               cur[a->ncurrents - 1]->generated_at);
        return;
    }
    printf("gate: %s (%.12s, %s) against baseline %s (%.12s, %s)\n", a->currents[0],
           cur[0]->env.git_commit[0] ? cur[0]->env.git_commit : "no commit",
           cur[0]->generated_at, a->baselines[0],
           base[0]->env.git_commit[0] ? base[0]->env.git_commit : "no commit",
           base[0]->generated_at);
}

int cmd_gate(int argc, char **argv)
{
    struct gate_args a;
    memset(&a, 0, sizeof a);
    a.baselines = calloc((size_t)argc + 1, sizeof *a.baselines);
    if (!a.baselines)
        return cli_report(IB_EUSAGE, "gate: out of memory");
    int status = parse_args(argc, argv, &a);
    if (status != IB_OK) {
        free(a.baselines);
        return status < 0 ? 0 : 2;
    }

    struct gate_rules rules;
    struct ib_error err = {0};
    struct results_doc **base = calloc(a.nbaselines, sizeof *base);
    struct results_doc **cur = calloc(a.ncurrents, sizeof *cur);
    struct gate_report report = {0};
    gate_rules_default(&rules);
    if (!base || !cur) {
        status = cli_report(IB_EUSAGE, "gate: out of memory");
        goto done;
    }
    if ((a.rules && gate_rules_load(a.rules, &rules, &err)) ||
        load_all(a.baselines, a.nbaselines, base, &err) ||
        load_all(a.currents, a.ncurrents, cur, &err)) {
        status = cli_report(IB_EUSAGE, "%s", err.msg);
        goto done;
    }
    if (a.compare_times)
        status = gate_run_interleaved(base, a.baselines, a.nbaselines, cur, a.currents,
                                      a.ncurrents, &rules, &report, &err);
    else
        status = gate_run(base[0], cur[0], &rules, &report, &err);
    if (status != IB_OK) {
        if (a.compare_times)
            status = cli_report(IB_EUSAGE, "gate: --compare-times: %s", err.msg);
        else
            status = cli_report(IB_EUSAGE, "gate: %s against %s: %s", a.currents[0],
                                a.baselines[0], err.msg);
        goto done;
    }
    print_header(&a, base, cur);
    gate_print(stdout, &report);
    if (a.junit && gate_write_junit(&report, a.junit, &err)) {
        status = cli_report(IB_EUSAGE, "%s", err.msg);
        goto done;
    }
    status = report.by_outcome[GATE_FAIL] ? 1 : 0;
done:
    gate_report_free(&report);
    free_all(base, a.nbaselines);
    free_all(cur, a.ncurrents);
    free(a.baselines);
    fflush(stdout);
    return status;
}
