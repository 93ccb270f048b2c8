/* cmd_bench.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "commands.h"

int cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("importbench: bench: not implemented yet\n", stderr);
    return 2;
}
