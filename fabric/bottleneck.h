/* bottleneck.h - what limits each workload and each host: the busiest link direction on
 * its paths, a capped device DMA engine, its host's vswitch cores (contract §11), or nothing in the fabric (its offered load is
 * carried, or its closed loop is bound by latency). */
#ifndef MRIOV_BOTTLENECK_H
#define MRIOV_BOTTLENECK_H

#include <stdbool.h>
#include <stddef.h>

#include "sim.h"
#include "warnings.h"

enum bottleneck_kind { BN_NONE, BN_LINK, BN_DEVICE, BN_LATENCY, BN_CPU };

struct bottleneck {
	enum bottleneck_kind kind;
	bool carried;            /* open loop: its offered load was carried in full */
	int workload;            /* the workload the verdict speaks of (-1: none) */
	const struct port *port; /* the busiest port on its paths (NULL: no traffic) */
	double busy;             /* its utilization, or the device engine's */
	int device;              /* BN_DEVICE */
	char demand[64];         /* "open loop, 25 Gb/s offered" or "closed loop, 16 in flight" */
	char text[320];          /* "limited by link blade3-mra0 (mra0->blade3), 99% busy" */
};

/* A link direction at least this busy is called the bottleneck. */
#define BOTTLENECK_BUSY 0.9
/* An open-loop workload is carried in full when it gets this share of its offered load, or
 * falls short by no more than its confidence interval (contract §4, `overload`). */
#define BOTTLENECK_CARRIED 0.98

/* Fewer DMAs than this in the window tell too little to call a shortfall a limit. */
#define BOTTLENECK_MIN_DMAS WARN_MIN_SAMPLES

/* The verdict on workload w. */
void bottleneck_workload(const struct sim *s, int w, struct bottleneck *b);
/* The verdict on host h: the first of its workloads not carried in full (its text names
 * the workload), else that all of them were. */
void bottleneck_find(const struct sim *s, int host, struct bottleneck *b);
/* VFs a workload runs on. */
int bottleneck_workload_vfs(const struct topo *t, const struct topo_workload *w);

#endif
