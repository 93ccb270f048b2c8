/* main.c: importbench's entry point: pick the subcommand, hand it the rest. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"parse", cmd_parse, "read JUnit XML files and count their tests"},
    {"import", cmd_import, "import a job directory into a database with one strategy"},
    {"verify", cmd_verify, "check that every strategy leaves the same database"},
    {"bench", cmd_bench, "time the strategies across sizes, profiles and scenarios"},
    {"gate", cmd_gate, "compare a results file with a baseline; exit 1 on a regression"},
    {"report", cmd_report, "write an HTML or Markdown report of a results file"},
};

static void usage(FILE *out)
{
    fputs("usage: importbench COMMAND [OPTIONS] [ARGS]\n\n"
          "A benchmark and regression harness for JUnit XML -> SQLite imports.\n\n"
          "commands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'importbench COMMAND --help' describes one command.\n"
          "exit codes: 0 success, 1 failure or regression, 2 bad usage or input\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "importbench: unknown command '%s' (see 'importbench --help')\n", argv[1]);
    return 2;
}
