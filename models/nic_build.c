/* nic_build.c - assembly of the NIC model: per device with `nic` (contract §6) its ports,
 * a queue pair per assigned VF with its sources on the device's port, the device's and the
 * hosts' clocks, and the packet workloads' arrival streams. */
#include "nic.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "devmodel.h"
#include "fault.h"
#include "mmio.h"
#include "pow2.h"
#include "rng.h"

#define FCS 4
#define BUF_MIN 2048 /* a driver's packet buffer (ixgbe: 2 KiB halves of a page) */

/* Does host h send or receive frames of device d through its vswitch (§11)? */
static bool vsw_on(const struct topo *t, int h, int d)
{
	for (size_t w = 0; w < t->nworkloads; w++)
		if (t->workloads[w].vswitch && t->workloads[w].host.idx == h &&
		    t->workloads[w].device.idx == d)
			return true;
	return false;
}

/* The NIC whose state holds host h's vswitch: the first device with vswitch work of h's
 * (all NICs of a host share its cores); -1: none. */
static int vsw_owner(const struct topo *t, int h)
{
	for (size_t d = 0; d < t->ndevices; d++)
		if (t->devices[d].nic.present && vsw_on(t, h, (int)d))
			return (int)d;
	return -1;
}

static int q_init(struct nic *n, struct nic_q *q, int fn)
{
	struct eng *e = n->e;
	const struct topo_function *f = &e->t->functions[fn];
	uint64_t ring = n->c->ring;

	q->n = n;
	q->fn = fn;
	q->host = f->host;
	q->vf = &e->vfs[fn];
	q->vf->model = q;
	/* a PF queue pair (the vswitch path, §11) uses port 0 */
	q->port = &n->ports[f->is_pf ? 0 : (uint64_t)f->vf_index % n->c->ports];
	q->vsw = f->is_pf ? n->vsw_of[f->host] : NULL;
	q->rx_free = ring; /* the driver posts every RX buffer at start */
	src_init_fifo(&q->np, TLP_NP, f->vh);
	src_init_fifo(&q->rxp, TLP_P, f->vh);
	src_init_fifo(&q->txp, TLP_P, f->vh);
	q->np.tags = &q->vf->tags; /* descriptor and data reads hold the VF's tags */
	if (eng_add_src(q->vf->port, &q->np) || eng_add_src(q->vf->port, &q->rxp) ||
	    eng_add_src(q->vf->port, &q->txp))
		return -ENOMEM;
	/* a PF has no MMIO FIFOs of its own until a queue pair uses it */
	return f->is_pf ? mmio_fn_init(e, fn) : 0;
}

/* Workload w's arrivals on VF k of its nvfs: the rate split evenly over the VFs that serve
 * its host from the start, as for DMAs (a VF a reassign moves in starts when it joins:
 * nic_move.c); on the vswitch path (§11), all of them on its host's PF queue pair (k 0 of
 * 1). */
static int add_stream(struct nic *n, int w, int k)
{
	struct eng *e = n->e;
	const struct topo *t = e->t;
	const struct topo_workload *wl = &t->workloads[w];
	const struct wl_state *ws = &e->wls[w];
	int fn = wl->vswitch ? t->dev_pf[(size_t)wl->device.idx * t->nhosts + (size_t)wl->host.idx]
			     : ws->first_fn + k;
	int nvfs = 0;
	struct nic_q *q = e->vfs[fn].model;

	for (int i = 0; !wl->vswitch && i < ws->nvfs; i++) /* moved-in ones are last (func.c) */
		nvfs += t->functions[ws->first_fn + i].from == 0;
	if (!nvfs)
		nvfs = 1; /* the vswitch's PF, or VFs that all join later (nvfs is unused then) */
	struct nic_stream *g = mriov_calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->next = n->streams;
	n->streams = g;
	g->wl = w;
	g->fn = fn;
	g->stop = ws->stop;
	g->mean = (double)wl->size * 8.0 / (wl->rate / nvfs);
	rng_seed48(g->rng, e->seed, (uint64_t)w + 1, (uint64_t)fn + 1);
	g->next_t = wl->start + (wl->arrival == ARRIVAL_CONSTANT
					 ? g->mean * k / nvfs
					 : -log(1.0 - erand48(g->rng)) * g->mean);
	if (t->functions[fn].from > 0)
		g->next_t = INFINITY; /* it starts when it joins its host (nic_split) */
	if (!q || g->next_t >= g->stop)
		return 0;
	if (wl->packets == PACKETS_RX)
		nic_at(&n->dclk, g->next_t, nic_rx_arrival, q, (uintptr_t)g);
	else if (wl->vswitch)
		return nic_vsw_tx_stream(q, g);
	else
		nic_at(&n->hclk[q->host], g->next_t, host_tx_arrival, q, (uintptr_t)g);
	return e->err;
}

/* The switches of the hosts whose first NIC with vswitch work this is, and where every
 * host's is (§11): an earlier NIC's state holds it otherwise. */
static int vsw_build(struct nic *n)
{
	struct eng *e = n->e;
	const struct topo *t = e->t;

	n->vsw_of = mriov_calloc(t->nhosts, sizeof(*n->vsw_of));
	n->vsw = mriov_calloc(t->nhosts, sizeof(*n->vsw));
	if (!n->vsw_of || !n->vsw)
		return -ENOMEM;
	for (size_t h = 0; h < t->nhosts; h++) {
		int d = vsw_owner(t, (int)h);
		if (d < 0 || !vsw_on(t, (int)h, n->dev))
			continue;
		if (d != n->dev) { /* built before this one (devices build in index order) */
			n->vsw_of[h] = &((struct nic *)e->dev_slots[d].state)->vsw[h];
			continue;
		}
		n->vsw_of[h] = &n->vsw[h];
		if (vswitch_init(&n->vsw[h], e, (int)h, t->hosts[h].name,
				 (int)t->hosts[h].vswitch.cores))
			return -ENOMEM;
	}
	return 0;
}

const struct vswitch *nic_vswitch_of(const struct eng *e, int h)
{
	int d = vsw_owner(e->t, h);
	const struct nic *n = d >= 0 && e->dev_slots ? e->dev_slots[d].state : NULL;

	return n && n->vsw ? &n->vsw[h] : NULL;
}

/* The PF queue pairs of the hosts that use d through their vswitch, after the VFs'. */
static int add_pf_queues(struct nic *n, int *i)
{
	const struct topo *t = n->e->t;
	int err;

	for (size_t h = 0; h < t->nhosts; h++) {
		if (!vsw_on(t, (int)h, n->dev))
			continue;
		struct nic_q *q = &n->qs[(*i)++];
		if ((err = q_init(n, q, t->dev_pf[(size_t)n->dev * t->nhosts + h])))
			return err;
	}
	return 0;
}

static int nic_init(struct eng *e, struct nic *n, int d)
{
	const struct topo *t = e->t;
	uint64_t big = 0;
	int err;

	n->e = e;
	n->dev = d;
	n->c = &t->devices[d].nic;
	n->ports = mriov_calloc(n->c->ports, sizeof(*n->ports));
	n->hclk = mriov_calloc(t->nhosts, sizeof(*n->hclk));
	for (size_t f = 0; f < t->nfunctions; f++)
		n->nq += t->functions[f].device == d &&
			 (!t->functions[f].is_pf || vsw_on(t, t->functions[f].host, d));
	n->qs = mriov_calloc(n->nq ? (size_t)n->nq : 1, sizeof(*n->qs));
	n->wl_packets = mriov_calloc(t->nworkloads ? t->nworkloads : 1, sizeof(uint64_t));
	n->wl_drops = mriov_calloc(t->nworkloads ? t->nworkloads : 1, sizeof(uint64_t));
	if (!n->ports || !n->hclk || !n->qs || !n->wl_packets || !n->wl_drops)
		return -ENOMEM;
	if ((err = vsw_build(n)))
		return err;
	for (size_t w = 0; w < t->nworkloads; w++)
		if (t->workloads[w].device.idx == d && t->workloads[w].size > big)
			big = t->workloads[w].size;
	/* (a NIC without packet workloads, big 0, has buffers of BUF_MIN) */
	n->stride = (uint32_t)pow2_at_least(big > BUF_MIN + FCS ? big - FCS : BUF_MIN);
	int i = 0;
	for (size_t f = 0; f < t->nfunctions; f++)
		if (t->functions[f].device == d && !t->functions[f].is_pf &&
		    (err = q_init(n, &n->qs[i++], (int)f)))
			return err;
	if ((err = add_pf_queues(n, &i)))
		return err;
	if (!n->nq)
		return 0;
	if ((err = nic_clock_init(&n->dclk, n->qs[0].vf->port, 0)))
		return err;
	for (size_t h = 0; h < t->nhosts; h++)
		if ((err = nic_clock_init(&n->hclk[h], e->hosts[h].port, (int)h + 1)))
			return err;
	for (size_t w = 0; w < t->nworkloads; w++) {
		const struct topo_workload *wl = &t->workloads[w];
		if (wl->device.idx != d || wl->packets_loc.line == 0)
			continue;
		for (int k = 0; k < (wl->vswitch ? 1 : e->wls[w].nvfs); k++)
			if ((err = add_stream(n, (int)w, k)))
				return err;
	}
	for (int k = 0; k < n->nq; k++) /* the switches start with the run */
		if (n->qs[k].vsw)
			nic_at(&n->hclk[n->qs[k].host], 0, nic_vsw_start, &n->qs[k], 0);
	return e->err;
}

static void nic_free(struct nic *n)
{
	for (int i = 0; n->qs && i < n->nq; i++) {
		struct nic_q *q = &n->qs[i];
		free(q->rxf.v);
		free(q->txf.v);
		free(q->wait);
		free(q->vtx);
		for (int d = 0; d < 2; d++)
			free(q->msi[d]);
	}
	for (struct nic_stream *g = n->streams, *x; g; g = x) {
		x = g->next;
		free(g->vq);
		free(g);
	}
	mclock_destroy(&n->dclk);
	for (size_t h = 0; n->hclk && h < n->e->t->nhosts; h++)
		mclock_destroy(&n->hclk[h]);
	free(n->hclk);
	free(n->qs);
	free(n->ports);
	free(n->wl_packets);
	free(n->wl_drops);
	for (size_t h = 0; n->vsw && h < n->e->t->nhosts; h++)
		vswitch_destroy(&n->vsw[h]);
	free(n->vsw);
	free(n->vsw_of);
}

static void nic_destroy(struct eng *e, void *state)
{
	struct nic *n = state;

	(void)e;
	if (!n)
		return;
	if (n->e)
		nic_free(n);
	free(n);
}

/* The NIC of device dev (contract §6). 0 or -ENOMEM. */
static int nic_build(struct eng *e, int dev, void **state)
{
	struct nic *n = mriov_calloc(1, sizeof(*n));

	*state = n;
	if (!n)
		return -ENOMEM;
	return nic_init(e, n, dev);
}

static bool nic_drives(const struct topo_device *d)
{
	return d->nic.present;
}

/* Frames done and dropped per function (its queue pair) and per packet workload. */
static void nic_stats(const struct eng *e, const void *state, int fn, int wl,
		      struct dev_counts *c)
{
	const struct nic *n = state;

	if (fn >= 0) {
		const struct nic_q *q = e->vfs[fn].model;
		c->packets = q ? (int64_t)q->packets : -1;
		c->drops = q ? (int64_t)q->drops : -1;
	} else if (topo_is_packets(&e->t->workloads[wl])) {
		c->packets = (int64_t)n->wl_packets[wl];
		c->drops = (int64_t)n->wl_drops[wl];
	}
}

/* Frames of q under way: RX ones in the packet buffer or fetched and not yet written back,
 * TX ones posted and not yet read in; the RX ones' packet buffer space is freed. */
static uint64_t q_in_flight(struct nic_q *q)
{
	uint64_t failed = q->nwait + (q->rx_req - q->rx_land);

	for (uint32_t i = 0; i < q->nwait; i++)
		q->port->buf_used -= q->wait[(q->wait_head + i) % q->wait_cap].size;
	for (uint64_t s = q->rx_land; s < q->rx_req; s++)
		if (nic_frame_at(&q->rxf, s)->left)
			q->port->buf_used -= nic_frame_at(&q->rxf, s)->size;
	for (uint64_t s = q->tx_done; s < q->tx_posted; s++)
		failed += s >= q->tx_fetched || nic_frame_at(&q->txf, s)->left != 0;
	return failed;
}

void nic_q_reset(struct nic_q *q, double now)
{
	struct eng *e = q->n->e;
	uint64_t failed = q->vsw ? nic_vsw_reset(q, now) : 0; /* before its counters go */

	fault_model_failed(e, q->fn, failed + q_in_flight(q), now);
	src_fifo_drop(e, &q->np); /* not sent yet: no tag or credit is held */
	src_fifo_drop(e, &q->rxp);
	src_fifo_drop(e, &q->txp);
	q->nwait = q->wait_head = 0;
	q->rx_free = q->n->c->ring; /* the driver posts every RX buffer again after the FLR */
	q->rx_req = q->rx_wr = q->rx_wbd = q->rx_land = q->rx_taken = q->rx_unirq = 0;
	q->tx_posted = q->tx_told = q->tx_fetched = q->tx_done = q->tx_wire = 0;
	q->tx_wbd = q->tx_land = q->tx_freed = q->tx_unirq = 0;
	q->rx_timer = q->tx_timer = q->h_rx_timer = q->h_tx_timer = false;
	for (int d = 0; d < 2; d++) {
		q->msi_head[d] = q->msi_n[d] = 0;
		q->wb_land_t[d] = 0;
	}
	q->h_rx_ret = q->h_rx_reads = q->h_tx_unposted = q->h_tx_reads = 0;
	if (q->vsw)
		nic_vsw_restart(q); /* last: it may let another actor run */
}

bool nic_arrival_dropped(struct nic_q *q, double t)
{
	if (t >= q->vf->down_until)
		return false;
	/* a removed NIC carries no frames: its host's driver stopped using it */
	if (!fault_device_gone(q->n->e, q->n->dev))
		fault_model_failed(q->n->e, q->fn, 1, t);
	return true;
}

static void nic_reset(struct eng *e, void *state, int fn, double now)
{
	struct nic_q *q = e->vfs[fn].model;

	(void)state;
	if (q)
		nic_q_reset(q, now);
}

const struct dev_model nic_model = {
	.ep = {"NIC", dev_slot_receive},
	.drives = nic_drives,
	.build = nic_build,
	.destroy = nic_destroy,
	.stats = nic_stats,
	.reset = nic_reset,
	.leave = nic_leave,
	.split = nic_split,
};
