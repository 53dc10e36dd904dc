/* sweep.h - what-if studies: the cartesian product of varied values times seeds (contract
 * §2), each run a `mriovsim run` of the runner (runner.h), collected into sweep.csv,
 * sweep_workloads.csv, sweep_summary.csv (several seeds) and plotted in sweep.svg. Without
 * any varied value it is a replication study: the chassis as it is, over seeds. */
#ifndef MRIOV_SWEEP_H
#define MRIOV_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "runner.h"

struct sweep_vary {
	char *path;     /* PATH of --set */
	char **values;  /* V1, V2, ... */
	size_t nvalues;
};

struct sweep_opts {
	const char *name;        /* the topology's name */
	unsigned long long seed; /* the topology's run.seed */
	struct sweep_vary *vary;
	size_t nvary;
	unsigned seeds;
	bool plot;               /* draw sweep.svg (gnuplot) */
};

struct sweep {
	const struct sweep_opts *o;
	struct runner *r;        /* exe, topology, jobs, out, stop and callbacks set by the caller */
	size_t *vi;              /* [run * nvary + k]: value index of PATH k in run */
	bool plotted;            /* sweep.svg was drawn */
};

/* Enumerate the runs into s->r (the first PATH varies slowest, seeds fastest; run i writes
 * DIR/runs/<i>/). Returns 0 or -ENOMEM. */
int sweep_plan(struct sweep *s);
void sweep_free(struct sweep *s);
/* Prepare DIR (-EEXIST: it holds another sweep), run what is not complete (-EINTR when
 * stopped), and write the tables and the plot. Returns 0 (s->r->failed counts failed runs)
 * or a negative errno. */
int sweep_execute(struct sweep *s);
/* Write sweep.csv, sweep_workloads.csv, sweep_summary.csv and sweep.svg from the runs. */
int sweep_collect(struct sweep *s);

#endif
