/* stats.h - what a run measures per function, workload and host over the window:
 * payload delivered (throughput), DMAs completed (counts, exact latency percentiles), batch
 * means for 95 % confidence intervals (contract §4), and per-host throughput over time. */
#ifndef MRIOV_STATS_H
#define MRIOV_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "topo.h"

struct lat_vec {
	double *v;
	size_t n, cap;
};

/* One batch of the window: payload delivered, DMAs completed and their latency sum. */
struct stat_batch {
	double bytes;
	double lat_sum;
	uint64_t dmas;
};

/* What every delivered TLP's payload updates (bytes, batch) first, side by side, and a row
 * a cache line (the rows' arrays at a line, stats_init): a delivery reads one line of each
 * of its three rows (docs/performance.md, "Flatness by memory layout"). */
struct stat_row {
	_Alignas(64) double bytes; /* payload delivered in the window */
	struct stat_batch *batch; /* run.batches entries, allocated with the row's first datum */
	uint64_t dmas;           /* completed in the window */
	double lat_sum;
	struct lat_vec lat;
};

struct stats {
	const struct topo *t;
	double lo, hi;     /* the window [warmup, duration] */
	double bin;        /* time-series bin width */
	size_t nbins;
	size_t nbatches;   /* run.batches */
	struct stat_row *fn, *wl, *host;
	double *ts;        /* [bin * nhosts + host]: payload bytes delivered */
	int err;
};

/* Returns 0 or -ENOMEM (then nothing needs freeing). */
int stats_init(struct stats *s, const struct topo *t);
void stats_free(struct stats *s);
/* The engine's sinks: a DMA completed at t1 (counted when t1 is in the window), and bytes
 * of payload delivered at t. An allocation failure sets s->err. */
void stats_dma_done(void *arg, int fn, int wl, uint32_t size, double t0, double t1);
void stats_delivered(void *arg, int fn, int wl, uint32_t bytes, double t);

/* Summary of one row, or of the batches [b0, b1) of it: throughput in Gb/s (payload,
 * 10^9 bit/s) and latency in ns, each with the half-width of its 95 % confidence interval
 * by batch means (Student's t over the batches that hold data; NAN with fewer than two).
 * The percentiles are exact (nearest rank over every DMA of the window; NAN for a part). */
struct stat_summary {
	double gbps, gbps_ci95;
	uint64_t dmas;
	double mean_ns, mean_ci95;       /* NAN when no DMA completed */
	double p50_ns, p99_ns;           /* NAN when no DMA completed */
	size_t tput_batches, lat_batches; /* batches behind each interval */
};
int stats_summary(const struct stats *s, struct stat_row *r, struct stat_summary *out);
void stats_summary_part(const struct stats *s, const struct stat_row *r, size_t b0, size_t b1,
			struct stat_summary *out);

/* Half-width of the 95 % interval of the mean of n values with sample standard deviation
 * sd: t(0.975, n-1) * sd / sqrt(n); NAN when n < 2. */
double stats_ci95(size_t n, double sd);

/* Offered load of an open-loop workload over the window (its rate while it runs), Gb/s;
 * NAN for a closed-loop workload. */
double stats_offered_gbps(const struct topo *t, const struct topo_workload *w);

#endif
