/* bottleneck.h - what limits each host: the busiest link direction on its paths, a capped
 * device DMA engine, or nothing in the fabric (its offered load is carried, or its closed
 * loop is bound by latency). */
#ifndef MRIOV_BOTTLENECK_H
#define MRIOV_BOTTLENECK_H

#include <stddef.h>

#include "sim.h"

enum bottleneck_kind { BN_NONE, BN_LINK, BN_DEVICE, BN_LATENCY };

struct bottleneck {
	enum bottleneck_kind kind;
	const struct port *port; /* the busiest port on the host's paths (NULL: no traffic) */
	double busy;             /* its utilization, or the device engine's */
	int device;              /* BN_DEVICE */
	char text[256];          /* "limited by link blade3-mra0 (mra0->blade3), 99% busy" */
};

/* A link direction at least this busy is called the bottleneck. */
#define BOTTLENECK_BUSY 0.9

void bottleneck_find(const struct sim *s, int host, struct bottleneck *b);

#endif
