/* cli_study.h - what the study commands of the command line share (cli_study.c): signal
 * handling, progress and failure lines, absolute paths, the runner's outcome as an exit
 * status, job lists. */
#ifndef MRIOV_CLI_STUDY_H
#define MRIOV_CLI_STUDY_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "runner.h"

/* Set by SIGINT/SIGTERM once study_catch_signals() ran: the runner stops. */
extern volatile sig_atomic_t study_stop;
void study_catch_signals(void);

struct study_ui {
	const char *what;   /* "sweep" */
	bool progress;      /* stderr is a terminal */
};

/* The runner's callbacks for a struct study_ui. */
void study_on_progress(void *arg, size_t done, size_t total, size_t reused, size_t failed,
		       double eta);
void study_on_failed(void *arg, const struct runner_run *r, const char *why);

/* Absolute paths for the program, the topology and DIR, so that emitted commands run
 * from anywhere. */
struct study_paths {
	char exe[4096], topology[4096], out[4096];
};

/* Fill p and r's exe, topology and out (DIR created; default results/<name>-<suffix>).
 * Returns 0 or EXIT_SIM_FAILED with a message. */
int study_resolve(struct study_paths *p, struct runner *r, const char *topology,
		  const char *out, const char *name, const char *suffix);
/* The runner's outcome err as an exit status, with a message for the user. */
int study_status(int err, const struct runner *r, const char *what);
/* Prepare DIR with the params file and print the runs' command lines. */
int study_emit(struct runner *r, const char *params, int (*fill)(void *, FILE *));
/* A params file: every run's command line (runner_describe on arg, a struct runner). */
int study_params(void *arg, FILE *f);

#endif
