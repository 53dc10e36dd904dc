/* interference.h - who disturbs whom (contract §9): each subject (a host, or with --by
 * workload a workload) runs alone, with each other subject, and all together, on the
 * runner (runs DIR/runs/alone-<i>/, pair-<i>-<j>/, all/). Throughput slowdown = alone ÷
 * with the others; latency slowdown = p99 with the others ÷ p99 alone. */
#ifndef MRIOV_INTERFERENCE_H
#define MRIOV_INTERFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "runner.h"
#include "topo.h"

struct interference_opts {
	const struct topo *t;   /* the chassis, loaded with the user's --set */
	bool by_workload;
	char **sets;            /* the user's --set, for every run */
	size_t nsets;
	bool plot;
};

/* What one subject got in one run. */
struct interference_cell {
	double gbps, gbps_ci95, p50_ns, p99_ns;
};

#define INTERFERENCE_NONE ((size_t)-1)

struct interference {
	const struct interference_opts *o;
	struct runner *r;       /* exe, topology, jobs, out, stop and callbacks set by the caller */
	size_t n;               /* subjects: hosts with workloads, or workloads */
	int *subject;           /* host or workload index of each */
	struct interference_cell *alone, *all;
	struct interference_cell *pair; /* [i * n + j]: subject i when only j runs too */
	/* the pair with the largest throughput slowdown that exceeds the two runs' intervals
	 * (INTERFERENCE_NONE: no pair changes a throughput beyond its noise), the pair with the
	 * largest p99 slowdown, and with all together the subjects slowed down most */
	size_t worst_i, worst_j;
	size_t lat_i, lat_j;
	size_t all_i, all_lat_i;
	bool plotted;
};

/* Plan the runs (at least two subjects: -EINVAL otherwise). Returns 0 or a negative errno. */
int interference_plan(struct interference *s);
/* Run, then write interference.csv, interference_matrix.csv and interference.svg. Returns 0,
 * -EINTR when stopped, -EEXIST when DIR holds another study, -EIO when a run failed. */
int interference_execute(struct interference *s);
void interference_free(struct interference *s);
/* Name of subject i. */
const char *interference_name(const struct interference *s, size_t i);
/* Slowdowns of subject i with j (j == i: with all). */
double interference_slowdown(const struct interference *s, size_t i, size_t j);
double interference_lat_slowdown(const struct interference *s, size_t i, size_t j);

#endif
