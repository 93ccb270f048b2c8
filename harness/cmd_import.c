/* cmd_import.c: placeholder until the subcommand lands. */
#include <stdio.h>

#include "commands.h"

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("importbench: import: not implemented yet\n", stderr);
    return 2;
}
