/* slo.h - service-level objectives of `mriovsim capacity` (contract §9):
 * `[HOST:]METRIC OP VALUE` with METRIC throughput (a percentage of the offered load, or a
 * rate), mean, p50, p99 (latency), or drops (a percentage), and OP <, <=, >, >=. Parsed
 * from the command line, evaluated on a run's hosts.csv and workloads.csv. */
#ifndef MRIOV_SLO_H
#define MRIOV_SLO_H

#include <stdbool.h>
#include <stddef.h>

#include "csvread.h"

enum slo_metric { SLO_THROUGHPUT, SLO_MEAN, SLO_P50, SLO_P99, SLO_DROPS };
enum slo_op { SLO_LT, SLO_LE, SLO_GT, SLO_GE };

struct slo {
	char text[128];     /* as given */
	char host[64];      /* empty: every host with open-loop traffic */
	enum slo_metric metric;
	enum slo_op op;
	double value;       /* ns for latencies, Gb/s for a throughput rate, a fraction for % */
	bool percent;       /* throughput or drops given as a percentage */
};

/* Parse text into s. On error returns -EINVAL and sets *col (1-based column of the
 * problem in text) and why (a message without position). */
int slo_parse(const char *text, struct slo *s, int *col, char *why, size_t len);

/* The metric of s for host on a run (its hosts.csv and workloads.csv), in the SLO's units
 * (a fraction for percentages): NAN when the host has nothing it could be measured on.
 * *ci gets the half-width of its 95 % interval where the run has one (throughput, mean
 * latency; the sum of the open-loop workloads' for a share of the offered load), else 0. */
double slo_measure(const struct slo *s, const char *host, const struct csv *hosts,
		   const struct csv *wls, double *ci);
/* Does value v (with interval half-width ci) satisfy s? It fails only when it is violated
 * by more than its interval, so that a noisy estimate of a load that is carried is not
 * called a violation. NAN (nothing measured): a latency holds (no DMA completed, none was
 * late), a throughput fails. */
bool slo_holds(const struct slo *s, double v, double ci);
/* An open-loop workload with fewer DMAs than this in the window cannot show a shortfall
 * (as for the `overload` warning, contract §4). */
#define SLO_MIN_DMAS 30
/* How many open-loop workloads of a run's workloads.csv are that thin. */
size_t slo_thin_workloads(const struct csv *wls);

/* Short name of the metric ("p99", "throughput") and its unit for plots ("ns", "%"). */
const char *slo_metric_name(enum slo_metric m);
const char *slo_unit(const struct slo *s);

#endif
