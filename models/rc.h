/* rc.h - the root complex: it absorbs posted writes in order per requester, answers reads
 * after memory_latency with MPS/RCB-sized completions, and translates untranslated requests
 * in its translation agent (IOTLB and page walkers). */
#ifndef MRIOV_RC_H
#define MRIOV_RC_H

#include <stdint.h>

#include "engine.h"
#include "tcache.h"

struct eng_host {
	struct eng *e;
	int index;
	double memory_latency;
	double line_time;              /* per 64-byte line of read data (contract §12) */
	double line_free;              /* the root complex reads lines until then */
	struct src cpl_q[TLP_NCLASS]; /* what the root complex sends: completions (Cpl) and
				       * invalidate requests (posted) */
	struct port *port;             /* its egress port */
	/* the translation agent (domain.md §3.6) */
	bool iommu;                    /* DMA remapping on (hosts[].iommu.enabled, §5) */
	struct tcache iotlb;
	double *walker_free;           /* per page walker: busy until */
	int nwalkers;
	double walk_latency;
	uint64_t page_size;
	uint64_t iotlb_hits, iotlb_misses;
	/* MMIO and MSI-X (mmio.c, contract §5) */
	struct tpool mmio_tags;        /* register reads outstanding (cpl_q[TLP_NP] takes one) */
	struct tcache irte;            /* interrupt entry cache, keyed by (function, vector) */
	bool irq_remap;
	double irq_miss_latency, irq_delivery_latency;
	uint64_t interrupts, irq_remap_misses;
	/* unmaps (workload unmap_rate) and the invalidations they cause */
	struct src unmap;              /* lazily made unmap events (never yields a TLP) */
	uint64_t inv_done;
	double inv_lat_sum, inv_lat_max;
};

extern const struct eng_endpoint_ops rc_endpoint;

/* The root complexes: their queues (added to the host ports) and write order. 0 or -ENOMEM. */
int rc_build(struct eng *e);
/* No-op on a never built or half-built engine. */
void rc_destroy(struct eng *e);
/* The root complex's translation of (function, page) arriving at t: when it is done. */
double rc_translate(struct eng *e, int host, uint64_t key, double t);

#endif
