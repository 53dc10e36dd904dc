/* stats.h - what a run measures: DMAs completed in the window per function, workload and
 * host (throughput, exact latency percentiles), and per-host throughput over time. */
#ifndef MRIOV_STATS_H
#define MRIOV_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "topo.h"

struct lat_vec {
	double *v;
	size_t n, cap;
};

struct stat_row {
	uint64_t dmas;
	double bytes;
	double lat_sum;
	struct lat_vec lat;
};

struct stats {
	const struct topo *t;
	double lo, hi;     /* the window [warmup, duration] */
	double bin;        /* time-series bin width */
	size_t nbins;
	struct stat_row *fn, *wl, *host;
	double *ts;        /* [bin * nhosts + host]: payload bytes completed */
	int err;
};

int stats_init(struct stats *s, const struct topo *t);
void stats_free(struct stats *s);
/* The engine's sink: a DMA completed at t1 (counted when t1 is in the window). */
void stats_dma_done(void *arg, int fn, int wl, uint32_t size, double t0, double t1);

/* Summary of one row: throughput in Gb/s (payload, 10^9 bit/s) and latency in ns.
 * The percentiles are exact (nearest rank over every DMA of the window). */
struct stat_summary {
	double gbps;
	uint64_t dmas;
	double mean_ns, p50_ns, p99_ns; /* NAN when no DMA completed */
};
int stats_summary(const struct stats *s, struct stat_row *r, struct stat_summary *out);

/* Offered load of an open-loop workload over the window (its rate while it runs), Gb/s;
 * NAN for a closed-loop workload. */
double stats_offered_gbps(const struct topo *t, const struct topo_workload *w);

#endif
