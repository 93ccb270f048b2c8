/* junitgen_main.c: the junitgen command: options in, a job directory out. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junitgen.h"

static const char usage[] =
    "usage: junitgen --results N --out DIR [options]\n"
    "\n"
    "Writes a synthetic Jenkins job directory of JUnit XML: per topology a main run\n"
    "<timestamp>_<module>_<topology>.xml and, where tests were rerun,\n"
    "re_run_<module>_<topology>.xml. The same arguments give byte-identical files.\n"
    "\n"
    "  --results N        distinct result keys in the job (1000, 1k, 5k, 10k, 1M)\n"
    "  --out DIR          where to write; created if missing (its parent must exist)\n"
    "  --files F          topologies, one main run each (default 6)\n"
    "  --seed S           seed of every random choice (default 1)\n"
    "  --fail-rate P      share of failed tests (default 0.07)\n"
    "  --error-rate P     share of errored tests (default 0.01)\n"
    "  --skip-rate P      share of skipped tests (default 0.02)\n"
    "  --rerun-rate P     share of keys rerun, failed ones first (default 0.01)\n"
    "  --dup-rate P       share of keys written again on another topology (default 0)\n"
    "  --message-bytes B  size of a failure's traceback (default 1000)\n"
    "  --dialect D        pytest, surefire or gotest (default pytest)\n"
    "  --module NAME      module in file and test names (default high_availability)\n"
    "  --quiet            print no summary\n"
    "  --help             show this help\n"
    "\n"
    "Rates are fractions from 0 to 1; fail + error + skip rates must not exceed 1.\n"
    "Exit status: 0 written, 1 the directory could not be written, 2 bad usage.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("junitgen: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

static int parse_count(const char *flag, const char *text, uint64_t min, uint64_t max,
                       uint64_t *out)
{
    uint64_t v;
    if (junitgen_parse_count(text, &v) != 0 || v < min || v > max) {
        return usage_error("%s: expected a count from %llu to %llu (1k = 1000, 1M = 1000000), "
                           "got '%s'", flag, (unsigned long long)min, (unsigned long long)max,
                           text);
    }
    *out = v;
    return 0;
}

static int parse_whole(const char *flag, const char *text, uint64_t min, uint64_t max,
                       uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || errno || *end != '\0' || v < min || v > max) {
        return usage_error("%s: expected a whole number from %llu to %llu, got '%s'", flag,
                           (unsigned long long)min, (unsigned long long)max, text);
    }
    *out = v;
    return 0;
}

static int parse_rate(const char *flag, const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno || *end != '\0' || isnan(v) || v < 0.0 || v > 1.0)
        return usage_error("%s: expected a number from 0 to 1, got '%s'", flag, text);
    *out = v;
    return 0;
}

enum {
    OPT_RESULTS = 256, OPT_OUT, OPT_FILES, OPT_SEED, OPT_FAIL, OPT_ERROR, OPT_SKIP,
    OPT_RERUN, OPT_DUP, OPT_MESSAGE, OPT_DIALECT, OPT_MODULE, OPT_QUIET, OPT_HELP
};

static const struct option longopts[] = {
    {"results", required_argument, NULL, OPT_RESULTS},
    {"out", required_argument, NULL, OPT_OUT},
    {"files", required_argument, NULL, OPT_FILES},
    {"seed", required_argument, NULL, OPT_SEED},
    {"fail-rate", required_argument, NULL, OPT_FAIL},
    {"error-rate", required_argument, NULL, OPT_ERROR},
    {"skip-rate", required_argument, NULL, OPT_SKIP},
    {"rerun-rate", required_argument, NULL, OPT_RERUN},
    {"dup-rate", required_argument, NULL, OPT_DUP},
    {"message-bytes", required_argument, NULL, OPT_MESSAGE},
    {"dialect", required_argument, NULL, OPT_DIALECT},
    {"module", required_argument, NULL, OPT_MODULE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct cli {
    struct junitgen_options opt;
    const char *out;
    int quiet, help;
};

static int parse_one(struct cli *cli, int code, const char *arg)
{
    struct junitgen_options *o = &cli->opt;
    uint64_t v;
    switch (code) {
    case OPT_RESULTS:
        return parse_count("--results", arg, 1, JUNITGEN_MAX_RESULTS, &o->results);
    case OPT_OUT: cli->out = arg; return 0;
    case OPT_FILES:
        if (parse_whole("--files", arg, 1, JUNITGEN_MAX_FILES, &v) != 0)
            return 2;
        o->files = (unsigned)v;
        return 0;
    case OPT_SEED: return parse_whole("--seed", arg, 0, UINT64_MAX, &o->seed);
    case OPT_FAIL: return parse_rate("--fail-rate", arg, &o->fail_rate);
    case OPT_ERROR: return parse_rate("--error-rate", arg, &o->error_rate);
    case OPT_SKIP: return parse_rate("--skip-rate", arg, &o->skip_rate);
    case OPT_RERUN: return parse_rate("--rerun-rate", arg, &o->rerun_rate);
    case OPT_DUP: return parse_rate("--dup-rate", arg, &o->dup_rate);
    case OPT_MESSAGE:
        if (parse_whole("--message-bytes", arg, 0, JUNITGEN_MAX_MESSAGE_BYTES, &v) != 0)
            return 2;
        o->message_bytes = (size_t)v;
        return 0;
    case OPT_DIALECT:
        if (junitgen_dialect_parse(arg, &o->dialect) != 0)
            return usage_error("--dialect: expected pytest, surefire or gotest, got '%s'", arg);
        return 0;
    case OPT_MODULE:
        if (!junitgen_module_valid(arg))
            return usage_error("--module: expected a letter, then letters, digits or '_' "
                               "(at most 64), got '%s'", arg);
        o->module = arg;
        return 0;
    case OPT_QUIET: cli->quiet = 1; return 0;
    case OPT_HELP: cli->help = 1; return 0;
    }
    return 2;
}

/* The option getopt refused, as the user typed it. */
static int bad_option(char **argv, int index)
{
    const char *arg = argv[index - 1];
    for (const struct option *o = longopts; o->name; o++) {
        size_t n = strlen(o->name);
        if (strncmp(arg, "--", 2) == 0 && strncmp(arg + 2, o->name, n) == 0
            && arg[2 + n] == '\0' && o->has_arg == required_argument)
            return usage_error("%s: missing value", arg);
    }
    return usage_error("unknown option '%s' (see junitgen --help)", arg);
}

static int parse_args(struct cli *cli, int argc, char **argv)
{
    int code;
    opterr = 0;
    while ((code = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (code == '?' || code == ':')
            return bad_option(argv, optind);
        if (parse_one(cli, code, optarg) != 0)
            return 2;
    }
    if (cli->help)
        return 0;
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (cli->opt.results == 0)
        return usage_error("--results is required (see junitgen --help)");
    if (!cli->out)
        return usage_error("--out is required (see junitgen --help)");
    if (!junitgen_outcome_rates_fit(&cli->opt))
        return usage_error("--fail-rate, --error-rate, --skip-rate: together they must not "
                           "exceed 1");
    return 0;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    junitgen_defaults(&cli.opt);
    if (parse_args(&cli, argc, argv) != 0)
        return 2;
    if (cli.help) {
        fputs(usage, stdout);
        return 0;
    }
    /* A file over the size limit is then a write error we report, not a kill. */
    signal(SIGXFSZ, SIG_IGN);

    struct junitgen_summary s;
    char err[4200];
    int rc = junitgen_write_job(&cli.opt, cli.out, &s, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "junitgen: %s\n", err);
        return rc;
    }
    if (!cli.quiet)
        printf("%s: %u files, %llu testcases, %llu bytes (%llu keys, %llu reruns, "
               "%llu duplicates)\n",
               cli.out, s.files, (unsigned long long)s.testcases, (unsigned long long)s.bytes,
               (unsigned long long)s.keys, (unsigned long long)s.reruns,
               (unsigned long long)s.dups);
    return 0;
}
