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

struct cli_sets {
	char **v;   /* "PATH=VALUE" strings, not owned */
	size_t n;
};
int cli_sets_add(struct cli_sets *s, char *arg);

/* Load TOPOLOGY (NULL: the built-in default chassis) with the overrides; prints the
 * diagnostics on stderr and returns NULL when it is not valid. */
struct topo *cli_load(const char *path, const struct cli_sets *sets);

/* mkdir -p. Returns 0 or a negative errno. */
int cli_make_dirs(const char *dir);

/* The study commands (cli_study.c). */
int cli_sweep(int argc, char **argv, int sg_argc, char **sg_argv);
int cli_capacity(int argc, char **argv, int sg_argc, char **sg_argv);
int cli_interference(int argc, char **argv, int sg_argc, char **sg_argv);

#endif
