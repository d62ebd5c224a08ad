/* cli_int.h — entry points of the `aib` subcommands (argc/argv start at the subcommand name).
 * Each returns the process exit code: 0 success, 1 negative result (deny, invalid, failures),
 * 2 usage or input error. */
#ifndef AIB_CLI_INT_H
#define AIB_CLI_INT_H

int aib_cli_cedar(int argc, char **argv);

#endif
