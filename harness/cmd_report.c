/* cmd_report.c: `importbench report`: a results file (and optionally a
 * baseline and hyperfine's exports) into an HTML or Markdown report. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "gate.h"
#include "options.h"
#include "report.h"
#include "report_compare.h"
#include "report_hyperfine.h"

static const char usage[] =
    "usage: importbench report [options] -o FILE CURRENT.json\n"
    "\n"
    "Writes a report of a results file: the documented against the measured speedups\n"
    "with their verdict; per profile and scenario, plots of median time and speedup\n"
    "over N and of the phases at the largest N, and tables of times, speedups, growth\n"
    "with N, statements by kind and lookup plans; cells not run; the environment.\n"
    "HTML is one self-contained file; Markdown links its plots, SVG files written to\n"
    "<FILE's stem>-plots/ beside it.\n"
    "\n"
    "  -o, --output FILE   the report to write (required)\n"
    "  --format FMT        html or md (default: from FILE's extension, .html or .md)\n"
    "  --baseline FILE     compare each cell's median with this earlier results file,\n"
    "                      and show the gate's verdicts on the two\n"
    "  --threshold PCT     the comparison's noise threshold in percent (default 5)\n"
    "  --rules FILE        the gate's thresholds (as 'importbench gate --rules')\n"
    "  --hyperfine DIR     add whole-process timings from hyperfine's JSON exports in\n"
    "                      DIR (scripts/hyperfine-import writes results/hyperfine)\n"
    "  --help              show this help\n"
    "\n"
    "Comparison verdicts: no change where a Mann-Whitney U test of the two cells' runs\n"
    "gives p >= 0.05; otherwise regressed (improved) where the change's whole interval,\n"
    "from the two medians' confidence intervals, lies above (below) the threshold;\n"
    "else within noise. They are advisory: the gate decides, and the report shows\n"
    "its verdicts (a failing gate still gives exit status 0 here).\n"
    "\n"
    "Plots are drawn by gnuplot (IB_GNUPLOT names another program); without it the\n"
    "report keeps its tables and says which plots are missing and why.\n"
    "Exit status: 0 written, 1 the report could not be written, 2 bad usage or an\n"
    "unreadable input.\n";

struct report_args {
    const char *output, *current, *baseline, *hyperfine, *rules;
    int format;                  /* -1 until known */
    double threshold_pct;
};

static int parse_args(int argc, char **argv, struct report_args *a)
{
    enum { O_FORMAT = 256, O_BASELINE, O_THRESHOLD, O_HYPERFINE, O_RULES, O_HELP };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, O_FORMAT},
        {"baseline", required_argument, NULL, O_BASELINE},
        {"threshold", required_argument, NULL, O_THRESHOLD},
        {"hyperfine", required_argument, NULL, O_HYPERFINE},
        {"rules", required_argument, NULL, O_RULES},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    a->format = -1;
    a->threshold_pct = COMPARE_THRESHOLD * 100;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': a->output = optarg; break;
        case O_FORMAT:
            if (!strcmp(optarg, "html"))
                a->format = REPORT_HTML;
            else if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown"))
                a->format = REPORT_MARKDOWN;
            else
                return cli_report(IB_EUSAGE, "--format: expected html or md, got '%s'", optarg);
            break;
        case O_BASELINE: a->baseline = optarg; break;
        case O_THRESHOLD:
            if (opt_double("--threshold", optarg, 0.1, 100, &a->threshold_pct) != IB_OK)
                return IB_EUSAGE;
            break;
        case O_HYPERFINE: a->hyperfine = optarg; break;
        case O_RULES: a->rules = optarg; break;
        case O_HELP: fputs(usage, stdout); return -1;
        default:
            return cli_report(IB_EUSAGE, "report: unknown or incomplete option '%s' "
                              "(see 'importbench report --help')", argv[optind - 1]);
        }
    }
    if (!a->output)
        return cli_report(IB_EUSAGE, "report: -o FILE is required "
                          "(see 'importbench report --help')");
    if (optind != argc - 1)
        return cli_report(IB_EUSAGE, "report: expected one results file, got %d",
                          argc - optind);
    a->current = argv[optind];
    if (a->rules && !a->baseline)
        return cli_report(IB_EUSAGE, "report: --rules needs --baseline (the gate compares "
                          "two runs)");
    if (a->format < 0 && (a->format = report_format_from_path(a->output)) < 0)
        return cli_report(IB_EUSAGE, "report: %s: cannot tell the format from the extension "
                          "(.html or .md); give --format", a->output);
    return IB_OK;
}

/* Loads what the report reads; IB_EUSAGE (exit 2) when an input is unreadable. */
static int load_inputs(const struct report_args *a, struct results_doc **current,
                       struct results_doc **baseline, struct hyperfine_set *hf)
{
    struct ib_error err;
    if (results_load(a->current, current, &err) != IB_OK)
        return cli_report(IB_EUSAGE, "%s", err.msg);
    if (a->baseline && results_load(a->baseline, baseline, &err) != IB_OK)
        return cli_report(IB_EUSAGE, "%s", err.msg);
    if (a->hyperfine && hyperfine_load_dir(a->hyperfine, hf, &err) != IB_OK)
        return cli_report(IB_EUSAGE, "%s", err.msg);
    return IB_OK;
}

/* Runs the gate when there is a baseline. IB_EUSAGE for a bad rules file; a
 * gate that cannot judge the pair leaves its reason in note instead. */
static int run_gate(const struct report_args *a, struct results_doc *baseline,
                    struct results_doc *current, struct gate_report *report, int *ran,
                    char *note, size_t len)
{
    struct gate_rules rules;
    struct ib_error err;
    *ran = 0;
    if (!baseline)
        return IB_OK;
    gate_rules_default(&rules);
    if (a->rules && gate_rules_load(a->rules, &rules, &err) != IB_OK)
        return cli_report(IB_EUSAGE, "%s", err.msg);
    if (gate_run(baseline, current, &rules, report, &err) == IB_OK)
        *ran = 1;
    else
        snprintf(note, len, "%s", err.msg);
    return IB_OK;
}

static void tell(const struct report_args *a, const struct report_summary *s)
{
    if (a->format == REPORT_MARKDOWN && s->plots)
        printf("wrote %s and %d plot%s in %s\n", a->output, s->plots, s->plots == 1 ? "" : "s",
               s->plots_dir);
    else
        printf("wrote %s\n", a->output);
    if (s->plots_missing)
        cli_report(0, "report: %d plot%s not drawn: %s", s->plots_missing,
                   s->plots_missing == 1 ? "" : "s", s->missing_why);
}

int cmd_report(int argc, char **argv)
{
    struct report_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != IB_OK)
        return rc < 0 ? 0 : rc;
    struct results_doc *current = NULL, *baseline = NULL;
    struct hyperfine_set hf = {0};
    struct gate_report gate = {0};
    char gate_note[1024] = "";
    int gate_ran = 0;
    rc = load_inputs(&a, &current, &baseline, &hf);
    if (rc == IB_OK)
        rc = run_gate(&a, baseline, current, &gate, &gate_ran, gate_note, sizeof gate_note);
    if (rc == IB_OK) {
        struct report_inputs in = {.current = current, .baseline = baseline,
                                   .hyperfine = a.hyperfine ? &hf : NULL,
                                   .gate = gate_ran ? &gate : NULL,
                                   .gate_note = gate_note[0] ? gate_note : NULL};
        struct report_options opt = {.format = (enum report_format)a.format,
                                     .threshold = a.threshold_pct / 100};
        struct report_summary sum;
        struct ib_error err;
        rc = report_write(&in, &opt, a.output, &sum, &err);
        if (rc == IB_OK)
            tell(&a, &sum);
        else
            rc = cli_report(IB_ERR, "%s", err.msg);
    }
    gate_report_free(&gate);
    hyperfine_set_free(&hf);
    results_doc_free(current);
    results_doc_free(baseline);
    return rc;
}
