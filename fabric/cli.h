/* cli.h - what the command line's files share: exit statuses, usage errors, --set lists,
 * loading a topology with its diagnostics printed, directories. Only the command line
 * (main.c, cli*.c) prints and chooses exit statuses. */
#ifndef MRIOV_CLI_H
#define MRIOV_CLI_H

#include <stddef.h>

#include "topo.h"

enum { EXIT_SIM_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

/* Print "mriovsim: <fmt with arg>" and the --help hint; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);

/* An option getopt_long did not take (argv[optind - 1]) for command cmd: unknown (with the
 * nearest of opts suggested) or missing its value. Prints the usage error, returns
 * EXIT_USAGE. */
struct option;
int cli_bad_option(const char *cmd, const char *arg, const struct option *opts);

struct cli_sets {
	char **v;   /* "PATH=VALUE" strings, not owned */
	size_t n;
};
int cli_sets_add(struct cli_sets *s, char *arg);

/* Load TOPOLOGY (NULL: the built-in default chassis) with the overrides; prints the
 * diagnostics on stderr (with source lines when stderr is a terminal): its errors and NULL
 * when it is not valid, else its warnings (also kept in t->lint). */
struct topo *cli_load(const char *path, const struct cli_sets *sets);

/* mkdir -p. Returns 0 or a negative errno. */
int cli_make_dirs(const char *dir);

/* The study commands (cli_study.c). */
int cli_sweep(int argc, char **argv, int sg_argc, char **sg_argv);
int cli_capacity(int argc, char **argv, int sg_argc, char **sg_argv);
int cli_interference(int argc, char **argv, int sg_argc, char **sg_argv);

#endif
