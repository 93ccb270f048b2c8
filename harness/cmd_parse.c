/* cmd_parse.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "commands.h"

int cmd_parse(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("importbench: parse: not implemented yet\n", stderr);
    return 2;
}
