/* commands.h: the subcommands of importbench, one cmd_<name>.c each. Each takes
 * the arguments after its name (argv[0] is the subcommand) and returns the exit
 * code: 0 success, 1 failure (or a regression, for gate), 2 bad usage or input. */
#ifndef IB_COMMANDS_H
#define IB_COMMANDS_H

int cmd_parse(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
