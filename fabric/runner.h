/* runner.h - many runs of one chassis: each a `mriovsim run` child process writing its own
 * results directory DIR/runs/<name>/, several at once, complete runs reused, an interrupted
 * study leaving complete runs only. The studies (sweep, capacity, interference) sit on it;
 * it never prints: progress and failures reach the command line through callbacks. */
#ifndef MRIOV_RUNNER_H
#define MRIOV_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct runner_run {
	char **sets;            /* "PATH=VALUE" for --set, owned by the run (runner_run_set) */
	size_t nsets;
	char **args;            /* further run options, owned by the run (runner_run_arg) */
	size_t nargs;
	unsigned long long seed;
	char name[64];          /* DIR/runs/<name>/ */
	char dir[4200];
	pid_t pid;
	int status;             /* 0 ok, > 0 exit status of a failed run, -1 not run yet */
	bool reused;            /* complete before this study started it */
};

struct runner_ops {
	void *arg;
	/* after each finished run */
	void (*progress)(void *arg, size_t done, size_t total, size_t reused, size_t failed,
			 double eta_s);
	/* a run failed: why is the last line of its log */
	void (*failed)(void *arg, const struct runner_run *r, const char *why);
};

struct runner {
	const char *exe;        /* this program */
	const char *topology;   /* NULL: the built-in default chassis */
	char **passthrough;     /* SimGrid --cfg/--log options and other run options */
	int npassthrough;
	unsigned jobs;          /* runs at once */
	const char *out;        /* the study's directory */
	volatile sig_atomic_t *stop; /* set by a signal handler: stop, keep complete runs */
	struct runner_ops ops;
	struct runner_run *runs;
	size_t nruns, cap;
	size_t failed;          /* after runner_execute */
};

/* Append a run named name with seed; returns it, or NULL on allocation failure. */
struct runner_run *runner_add(struct runner *r, const char *name, unsigned long long seed);
/* Add one --set PATH=VALUE (copied) to a run. Returns 0 or -ENOMEM. */
int runner_run_set(struct runner_run *run, const char *path, const char *value);
/* Add a run option and its value (copied), e.g. "--only-workloads", "rx0,tx0". */
int runner_run_arg(struct runner_run *run, const char *opt, const char *value);
/* The run named name, or NULL. */
struct runner_run *runner_find(struct runner *r, const char *name);
/* Free the runs (the runner itself is the caller's). */
void runner_clear(struct runner *r);

/* Create DIR and DIR/runs, and record the study's identity in DIR/<params> (written by
 * fill); an existing different one is -EEXIST (the directory holds another study: reusing
 * its runs would be wrong). Returns 0 or a negative errno. */
int runner_prepare(struct runner *r, const char *params, int (*fill)(void *, FILE *), void *arg);
/* Print each run's complete command line, one per line (for batch systems). */
int runner_emit(const struct runner *r, FILE *f);
/* The identity of every run: its command line without the program (for params files). */
int runner_describe(const struct runner *r, FILE *f);

/* Run every run that is not complete yet, `jobs` at a time. Returns 0 when all finished
 * (r->failed counts those that failed), -EINTR when *stop was set (runs under way are
 * stopped and incomplete directories removed), or a negative errno. */
int runner_execute(struct runner *r);

/* A run's directory is complete when summary.json, written last, is there. */
bool runner_complete(const struct runner_run *run);

#endif
