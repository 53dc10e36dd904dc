/* capacity.h - how much more load fits (contract §9): the largest factor F in (0, max] by
 * which the rate of every open-loop workload (or of the named ones) can be multiplied while
 * every SLO holds on every host for every seed. Bisection in log space on the runner:
 * probe F is `seeds` runs DIR/runs/f<F>-s<seed>/; runs are reused when the same chassis is
 * studied again (other SLOs, bounds or precision included). */
#ifndef MRIOV_CAPACITY_H
#define MRIOV_CAPACITY_H

#include <stdbool.h>
#include <stddef.h>

#include "runner.h"
#include "slo.h"
#include "topo.h"

/* The lowest factor tried (contract §9): failing there, nothing fits. */
#define CAPACITY_MIN 0.001

struct capacity_opts {
	const struct topo *t;   /* the chassis, loaded with the user's --set */
	const struct slo *slos;
	size_t nslos;
	char **scale;           /* workloads to scale; NULL: every open-loop workload */
	size_t nscale;
	char **sets;            /* the user's --set, for every run */
	size_t nsets;
	double max, precision;
	unsigned seeds;
	bool plot;
};

struct capacity_probe {
	double factor;
	bool ok;                /* every SLO on every host for every seed */
	size_t first_run;       /* its runs are runner runs [first_run, first_run + seeds) */
	int bind;               /* the first SLO that failed (-1: none) */
	char host[64];          /* on this host */
	double value;           /* its worst value over the seeds, in the SLO's units */
};

struct capacity {
	const struct capacity_opts *o;
	struct runner *r;       /* exe, topology, jobs, out, stop and callbacks set by the caller */
	struct capacity_probe *probes;
	size_t nprobes;
	double answer;          /* the largest factor found to hold; 0 when none did */
	const struct capacity_probe *binding; /* the failing probe just above the answer */
	int plot_slo;           /* the SLO and host capacity.svg shows: the binding ones, or */
	char plot_host[64];     /* the first SLO on its first host when nothing failed */
	size_t thin;            /* the most open-loop workloads too thin to judge in one run */
	bool plotted;
};

/* Check the options against the chassis: scaled workloads exist and are open loop, there
 * is at least one, SLO hosts exist. Returns 0 or -EINVAL with why filled. */
int capacity_check(const struct capacity_opts *o, char *why, size_t len);
/* Search, then write capacity.csv and capacity.svg. Returns 0 (c->answer, 0 when the SLOs
 * fail even at CAPACITY_MIN), -EINTR when stopped, -EEXIST when DIR holds another study,
 * -EIO when a run failed, or a negative errno. */
int capacity_execute(struct capacity *c);
void capacity_free(struct capacity *c);

#endif
