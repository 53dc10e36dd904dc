/* nic_build.c - assembly of the NIC model: per device with `nic` (contract §6) its ports,
 * a queue pair per assigned VF with its sources on the device's port, the device's and the
 * hosts' clocks, and the packet workloads' arrival streams. */
#include "nic.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "fault.h"
#include "pow2.h"
#include "rng.h"

#define FCS 4
#define BUF_MIN 2048 /* a driver's packet buffer (ixgbe: 2 KiB halves of a page) */

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
	q->port = &n->ports[(uint64_t)f->vf_index % n->c->ports];
	q->rx_free = ring; /* the driver posts every RX buffer at start */
	q->rxf = mriov_calloc(ring, sizeof(*q->rxf));
	q->txf = mriov_calloc(ring, sizeof(*q->txf));
	for (int d = 0; d < 2; d++) {
		q->msi[d] = mriov_calloc(ring, sizeof(*q->msi[d]));
		q->msi_wb[d] = mriov_calloc(ring, sizeof(*q->msi_wb[d]));
		if (!q->msi[d] || !q->msi_wb[d])
			return -ENOMEM;
	}
	if (!q->rxf || !q->txf)
		return -ENOMEM;
	src_init_fifo(&q->np, TLP_NP, f->vh);
	src_init_fifo(&q->rxp, TLP_P, f->vh);
	src_init_fifo(&q->txp, TLP_P, f->vh);
	q->np.tags = &q->vf->tags; /* descriptor and data reads hold the VF's tags */
	if (eng_add_src(q->vf->port, &q->np) || eng_add_src(q->vf->port, &q->rxp) ||
	    eng_add_src(q->vf->port, &q->txp))
		return -ENOMEM;
	return 0;
}

/* Workload w's arrivals on VF k of its nvfs: the rate split evenly, as for DMAs. */
static int add_stream(struct nic *n, int w, int k)
{
	struct eng *e = n->e;
	const struct topo_workload *wl = &e->t->workloads[w];
	const struct wl_state *ws = &e->wls[w];
	int fn = ws->first_fn + k;
	struct nic_q *q = e->vfs[fn].model;
	struct nic_stream *g = mriov_calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->next = n->streams;
	n->streams = g;
	g->wl = w;
	g->stop = ws->stop;
	g->mean = (double)wl->size * 8.0 / (wl->rate / ws->nvfs);
	rng_seed48(g->rng, e->seed, (uint64_t)w + 1, (uint64_t)fn + 1);
	g->next_t = wl->start + (wl->arrival == ARRIVAL_CONSTANT
					 ? g->mean * k / ws->nvfs
					 : -log(1.0 - erand48(g->rng)) * g->mean);
	if (!q || g->next_t >= g->stop)
		return 0;
	if (wl->packets == PACKETS_RX)
		nic_at(&n->dclk, g->next_t, nic_rx_arrival, q, (uintptr_t)g);
	else
		nic_at(&n->hclk[q->host], g->next_t, host_tx_arrival, q, (uintptr_t)g);
	return e->err;
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
		n->nq += t->functions[f].device == d && !t->functions[f].is_pf;
	n->qs = mriov_calloc(n->nq ? (size_t)n->nq : 1, sizeof(*n->qs));
	n->wl_packets = mriov_calloc(t->nworkloads ? t->nworkloads : 1, sizeof(uint64_t));
	n->wl_drops = mriov_calloc(t->nworkloads ? t->nworkloads : 1, sizeof(uint64_t));
	if (!n->ports || !n->hclk || !n->qs || !n->wl_packets || !n->wl_drops)
		return -ENOMEM;
	for (size_t w = 0; w < t->nworkloads; w++)
		if (t->workloads[w].device.idx == d && t->workloads[w].size > big)
			big = t->workloads[w].size;
	n->stride = (uint32_t)pow2_at_least(big - FCS > BUF_MIN ? big - FCS : BUF_MIN);
	int i = 0;
	for (size_t f = 0; f < t->nfunctions; f++)
		if (t->functions[f].device == d && !t->functions[f].is_pf &&
		    (err = q_init(n, &n->qs[i++], (int)f)))
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
		for (int k = 0; k < e->wls[w].nvfs; k++)
			if ((err = add_stream(n, (int)w, k)))
				return err;
	}
	return 0;
}

static void nic_free(struct nic *n)
{
	for (int i = 0; n->qs && i < n->nq; i++) {
		struct nic_q *q = &n->qs[i];
		free(q->rxf);
		free(q->txf);
		free(q->wait);
		for (int d = 0; d < 2; d++) {
			free(q->msi[d]);
			free(q->msi_wb[d]);
		}
	}
	for (struct nic_stream *g = n->streams, *x; g; g = x) {
		x = g->next;
		free(g);
	}
	nic_clock_destroy(&n->dclk);
	for (size_t h = 0; n->hclk && h < n->e->t->nhosts; h++)
		nic_clock_destroy(&n->hclk[h]);
	free(n->hclk);
	free(n->qs);
	free(n->ports);
	free(n->wl_packets);
	free(n->wl_drops);
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
	uint64_t ring = q->n->c->ring, failed = q->nwait + (q->rx_req - q->rx_land);

	for (uint32_t i = 0; i < q->nwait; i++)
		q->port->buf_used -= q->wait[(q->wait_head + i) % q->wait_cap].size;
	for (uint64_t s = q->rx_land; s < q->rx_req; s++)
		if (q->rxf[s % ring].left)
			q->port->buf_used -= q->rxf[s % ring].size;
	for (uint64_t s = q->tx_done; s < q->tx_posted; s++)
		failed += s >= q->tx_fetched || q->txf[s % ring].left != 0;
	return failed;
}

void nic_q_reset(struct nic_q *q, double now)
{
	struct eng *e = q->n->e;

	fault_model_failed(e, q->fn, q_in_flight(q), now);
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
		q->msi_head[d] = q->msi_tail[d] = 0;
		q->wb_land_t[d] = 0;
	}
	q->h_rx_ret = q->h_rx_reads = q->h_tx_unposted = q->h_tx_reads = 0;
}

bool nic_arrival_dropped(struct nic_q *q, double t)
{
	if (t >= q->vf->down_until)
		return false;
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
};
