/* sweep.h - what-if studies: the cartesian product of varied values times seeds, each run a
 * separate `mriovsim run` process writing DIR/runs/<index>/, collected into sweep.csv and
 * plotted in sweep.svg (contract §2). */
#ifndef MRIOV_SWEEP_H
#define MRIOV_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

struct sweep_vary {
	char *path;     /* PATH of --set */
	char **values;  /* V1, V2, ... */
	size_t nvalues;
};

struct sweep_opts {
	const char *exe;        /* this program, to run the runs */
	const char *topology;   /* NULL: the built-in default chassis */
	const char *name;       /* the topology's name */
	unsigned long long seed; /* the topology's run.seed */
	struct sweep_vary *vary;
	size_t nvary;
	unsigned seeds;
	unsigned jobs;
	const char *out;
	bool emit;              /* print the run commands, run nothing */
	bool progress;          /* a progress line on stderr */
	char **passthrough;     /* SimGrid --cfg/--log options for every run */
	int npassthrough;
};

/* Returns 0 when every run succeeded (or with emit), 1 when some failed, 2 on bad usage
 * (an existing DIR holding another sweep), 130 when interrupted. Prints to stdout/stderr:
 * this is the command line's own module. */
int sweep_main(const struct sweep_opts *o);

#endif
