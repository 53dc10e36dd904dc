/* nvme_move.c - an NVMe drive's VFs (controllers) moved between hosts (contract §10
 * `reassign`). The controller in the VH the VF leaves stops for good: the move's FLR fails
 * its commands under way (issued and not seen done, or waiting for a CID: nvme_reset,
 * counted against the reassign), its media operations run on but complete nothing, and its
 * arrivals stop. Its controller in the VH it joins is another one (a function per VH it
 * serves, fabric/func.c), idle until the FLR is done: then its SQ and CQ are empty, every
 * CID is free, its doorbells and MSI-X are its new host's, and the host's io workloads take
 * it: closed loops start their depth on it (nvme_back), open loops' rates are split again
 * over the VFs that serve the host at each moment, as the raw DMA's are (fault.c). */
#include "nvme.h"

#include <math.h>
#include <stdlib.h>

#include "fault.h"

void nvme_leave(struct eng *e, void *state, int fn, double now)
{
	struct nvme_q *q = e->vfs[fn].model;

	if (!q)
		return;
	nvme_reset(e, state, fn, now);
	for (struct nvme_stream *g = q->streams; g; g = g->next) {
		if (g->next_t > now)
			g->next_t = INFINITY; /* its arrival events still filed do nothing */
		/* one due by now that its port has not run yet arrived before the move: it
		 * runs, is counted failed (the controller is down for good), and is its last */
		g->stop = fmin(g->stop, now);
	}
}

/* Stream g of q is the k-th of `serving` VFs of its open-loop workload from now: its mean
 * gap is the workload's over them, its next arrival moves as a DMA stream's does
 * (fault_respaced), filed on its host's clock. */
static void retime(struct nvme_q *q, struct nvme_stream *g, int k, int serving, double now)
{
	const struct topo_workload *wl = &q->n->e->t->workloads[g->wl];
	double old = g->mean, was = g->next_t;

	if (was >= g->stop && !isinf(was))
		return; /* it has ended (its workload's stop) */
	g->mean = (double)wl->size * 8.0 / (wl->rate / serving);
	g->next_t = fault_respaced(wl, was, old, g->mean, k, serving, now, g->rng);
	if (g->next_t != was && g->next_t < g->stop)
		mclock_at(&q->n->hclk[q->host], g->next_t, nvme_host_arrival, q, (uintptr_t)g);
}

void nvme_split(struct eng *e, void *state, int w, double now)
{
	const struct topo_workload *wl = &e->t->workloads[w];
	const struct wl_state *ws = &e->wls[w];
	int serving = 0, k = 0;

	(void)state;
	if (!topo_is_io(wl) || !wl->has_rate)
		return; /* a closed loop keeps its depth per VF */
	for (int i = 0; i < ws->nvfs; i++)
		serving += fault_serves(e, ws->first_fn + i, now);
	for (int i = 0; i < ws->nvfs; i++) {
		int fn = ws->first_fn + i;
		struct nvme_q *q = e->vfs[fn].model;
		for (struct nvme_stream *g = q ? q->streams : NULL; g; g = g->next) {
			if (g->wl != w)
				continue;
			if (!fault_serves(e, fn, now)) /* left, or not joined yet */
				g->next_t = g->next_t > now ? INFINITY : g->next_t; /* one due runs */
			else
				retime(q, g, k, serving, now);
		}
		k += q && fault_serves(e, fn, now);
	}
}
