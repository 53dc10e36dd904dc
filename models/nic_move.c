/* nic_move.c - a NIC's VFs moved between hosts (contract §10 `reassign`). The VF's queue pair
 * in the VH it leaves stops for good: the move's FLR fails what it had under way (frames in
 * the packet buffer, fetched and not written back, posted and not read in: nic_q_reset,
 * counted against the reassign) and its arrival streams stop. Its queue pair in the VH it
 * joins is another one (a function per VH it serves, fabric/func.c), built with the others
 * and idle until the FLR is done: then its rings are empty, the driver posts every RX
 * buffer, its doorbells, MSI-X and register reads are its new host's (routing IDs in that VH,
 * the host's IOMMU and interrupt entry cache keyed by the new function), and the host's
 * packet workloads take it: their rates are split again over the VFs that serve the host
 * at each moment, as the raw DMA's are (fault.c). */
#include "nic.h"

#include <math.h>
#include <stdlib.h>

#include "fault.h"

void nic_leave(struct eng *e, void *state, int fn, double now)
{
	struct nic *n = state;
	struct nic_q *q = e->vfs[fn].model;

	if (!q)
		return;
	nic_q_reset(q, now);
	for (struct nic_stream *g = n->streams; g; g = g->next) {
		if (g->fn != fn)
			continue;
		if (g->next_t > now)
			g->next_t = INFINITY; /* its events still filed do nothing */
		/* one due by now that its port has not run yet arrived before the move: it
		 * runs, is counted failed (the VF is down for good), and is its last */
		g->stop = fmin(g->stop, now);
	}
}

/* Workload w's stream on function fn, NULL if none. */
static struct nic_stream *stream_of(const struct nic *n, int w, int fn)
{
	for (struct nic_stream *g = n->streams; g; g = g->next)
		if (g->wl == w && g->fn == fn)
			return g;
	return NULL;
}

/* Stream g is the k-th of `serving` VFs of its workload from now: its mean gap is the
 * workload's over them, its next arrival moves as a DMA stream's does (fault_respaced) and
 * is filed on the clock of its direction. */
static void retime(struct nic *n, struct nic_stream *g, int k, int serving, double now)
{
	const struct topo_workload *wl = &n->e->t->workloads[g->wl];
	struct nic_q *q = n->e->vfs[g->fn].model;
	double old = g->mean, was = g->next_t;

	if (was >= g->stop && !isinf(was))
		return; /* it has ended (its workload's stop) */
	g->mean = (double)wl->size * 8.0 / (wl->rate / serving);
	g->next_t = fault_respaced(wl, was, old, g->mean, k, serving, now, g->rng);
	if (g->next_t == was || g->next_t >= g->stop || !q)
		return;
	if (wl->packets == PACKETS_RX)
		nic_at(&n->dclk, g->next_t, nic_rx_arrival, q, (uintptr_t)g);
	else
		nic_at(&n->hclk[q->host], g->next_t, host_tx_arrival, q, (uintptr_t)g);
}

void nic_split(struct eng *e, void *state, int w, double now)
{
	struct nic *n = state;
	const struct topo_workload *wl = &e->t->workloads[w];
	const struct wl_state *ws = &e->wls[w];
	int serving = 0, k = 0;

	if (!topo_is_packets(wl) || wl->vswitch)
		return; /* the vswitch path runs on the host's PF, which no reassign moves */
	for (int i = 0; i < ws->nvfs; i++)
		serving += fault_serves(e, ws->first_fn + i, now);
	for (int i = 0; i < ws->nvfs; i++) {
		int fn = ws->first_fn + i;
		struct nic_stream *g = stream_of(n, w, fn);
		if (!g)
			continue;
		if (!fault_serves(e, fn, now)) /* it left the host, or has not joined it yet */
			g->next_t = g->next_t > now ? INFINITY : g->next_t; /* one due runs (leave) */
		else
			retime(n, g, k++, serving, now);
	}
}
