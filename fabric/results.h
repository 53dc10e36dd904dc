/* results.h - the results directory of a run (contract §3) and the summary on stdout. */
#ifndef MRIOV_RESULTS_H
#define MRIOV_RESULTS_H

#include <stdio.h>

#include "sim.h"

/* Write hosts.csv, functions.csv, workloads.csv, links.csv, timeseries.csv and summary.json
 * into dir (which must exist), each through a temporary name and rename. Returns 0 or a
 * negative errno; *failed names the file that could not be written. */
int results_write(struct sim *sim, const char *dir, const char **failed);

/* What host h's processors did (contract §11): cpu_utilization = busy core-seconds /
 * (cpu.cores x window), NAN when the host has no cpu and no vswitch work; the cores busy on
 * average (utilization x cpu.cores); frames its vswitch switched in the window, -1 when it
 * has neither a vswitch key nor vswitch work. */
struct results_cpu {
	double utilization, cores_busy;
	long long vswitch_packets;
};
void results_host_cpu(const struct sim *s, int h, struct results_cpu *out);

/* What a function or workload of a device model counted in the window (contract §7): frames
 * (a NIC's: packets, drops) or commands (an NVMe drive's: ios), and their rates per second.
 * kind: 0 raw DMA (none of these apply), 'p' packets, 'i' I/O commands. */
struct results_counts {
	int kind;
	uint64_t packets, drops, ios;
	double per_s; /* packets/s or IOPS */
};
void results_fn_counts(const struct sim *sim, int fn, struct results_counts *c);
void results_wl_counts(const struct sim *sim, int w, struct results_counts *c);

/* The human summary: one row per host. */
void results_print_summary(struct sim *sim, FILE *f);

#endif
