/* cmd_gate.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "commands.h"

int cmd_gate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("importbench: gate: not implemented yet\n", stderr);
    return 2;
}
