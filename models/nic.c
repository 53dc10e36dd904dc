/* nic.c - the device side of the NIC model (contract §6, domain.md §10.1): frames from the
 * wire into the packet buffer, RX descriptors read on demand, data and write-backs in ring
 * order, TX descriptors fetched in batches on tail writes, data read, frames onto the wire
 * at line rate, TX write-backs, MSI-X per irq_packets or irq_interval; and the build. */
#include "nic.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "ring.h"
#include "mmio.h"
#include "pow2.h"
#include "rng.h"

#define PAGE_4K 4096  /* no TLP crosses a 4 KiB boundary (PCIe Base Spec §2.2.7) */
#define FCS 4         /* stripped on receive, appended on transmit: size - 4 B cross PCIe */
#define WIRE_EXTRA 20 /* preamble/SOF 8 B + inter-frame gap 12 B (domain.md §10.1) */
/* a queue's host memory (addresses for the IOMMU): rings, then packet buffers */
#define RX_RING 0ull
#define TX_RING (1ull << 24)
#define RX_BUF (1ull << 28)
#define TX_BUF (1ull << 33)
#define KEY_K_BITS 17 /* TX descriptor reads: key = first seq << 17 | count */
enum { VEC_RX, VEC_TX };

typedef void (*landed_fn)(struct eng *e, struct tlp *t, double when);

static struct nic_q *q_of(struct eng *e, int fn)
{
	return e->vfs[fn].model;
}

static double wire_time(const struct nic *n, uint32_t bytes)
{
	return n->c->port_rate > 0 ? bytes * 8.0 / n->c->port_rate : 0;
}

void nic_count(struct nic_q *q, int wl, uint32_t size, double t0, double t, bool dropped)
{
	struct eng *e = q->n->e;

	if (!eng_in_window(e, t))
		return;
	if (dropped) {
		q->drops++;
		q->n->wl_drops[wl]++;
		return;
	}
	q->packets++;
	q->n->wl_packets[wl]++;
	/* throughput counts frame bits, as a packet workload's rate does (§6) */
	if (e->sink.delivered)
		e->sink.delivered(e->sink.arg, q->fn, wl, size, t);
	if (e->sink.dma_done)
		e->sink.dma_done(e->sink.arg, q->fn, wl, size, t0, t);
}

/* A TLP of q's VF toward its host, ready at t, filed into s. */
static void push(struct nic_q *q, struct src *s, double t, int type, int purpose, uint64_t addr,
		 uint32_t bytes, uint64_t key, landed_fn landed)
{
	dev_push_up(q->n->e, q->fn, s, t, type, purpose, addr, bytes, key, landed);
}

/* bytes at addr in TLPs of at most max, none across 4 KiB; writes: the last one carries
 * landed; reads: every request does (its last completion calls it). Returns the count. */
static uint32_t chunks(struct nic_q *q, struct src *s, double t, int type, int purpose,
		       uint64_t addr, uint32_t bytes, uint32_t max, uint64_t key, landed_fn landed)
{
	return dev_push_chunks(q->n->e, q->fn, s, t, type, purpose, addr, bytes, max, key,
			       type == PCIE_MRD, landed);
}

/* A read request's completion arrived at tail: the last one frees its tag (devmodel.h). */
static bool read_done(struct eng *e, struct nic_q *q, const struct tlp *t, double tail)
{
	return dev_read_done(e, q->vf, t, tail);
}

/* ---- interrupts ---- */

static void msi_landed(struct eng *e, struct tlp *t, double at)
{
	struct nic_q *q = q_of(e, t->fn);
	int dir = (int)t->key;

	q->msi_head[dir] = (q->msi_head[dir] + 1) % q->msi_cap[dir]; /* the oldest lands first */
	q->msi_n[dir]--;
	if (q->vsw && dir == VEC_RX) /* the vswitch path: the frames go to the CPU (§11) */
		nic_vsw_rx_take(q, at);
	else
		nic_at(&q->n->hclk[q->host], at, dir == VEC_RX ? host_rx_take : host_tx_take, q, 0);
}

/* An MSI-X for direction dir through s (behind the write-back `wb` it announces). */
static void msi(struct nic_q *q, int dir, struct src *s, double t, uint64_t wb)
{
	struct eng *e = q->n->e;

	if (q->msi_n[dir] == q->msi_cap[dir]) {
		void *v = ring_grow(q->msi[dir], sizeof(*q->msi[dir]), &q->msi_head[dir],
				    q->msi_n[dir], &q->msi_cap[dir]);
		if (!v) {
			e->err = -ENOMEM;
			return;
		}
		q->msi[dir] = v;
	}
	if (mmio_msix(e, q->fn, dir, NAN, t, s, msi_landed)) {
		e->err = -ENOMEM;
		return;
	}
	q->msi[dir][(q->msi_head[dir] + q->msi_n[dir]++) % q->msi_cap[dir]] =
		(struct nic_msi){s->tail, wb};
	if ((dir == VEC_RX ? q->rx_land : q->tx_land) >= wb) /* a timer's: it is there already */
		s->tail->t0 = q->wb_land_t[dir];
}

/* Write-back `wb` reached the host at when: the interrupts that announce it date from then. */
static void msi_event(struct nic_q *q, int dir, uint64_t wb, double when)
{
	for (uint32_t k = 0; k < q->msi_n[dir]; k++) {
		const struct nic_msi *m = &q->msi[dir][(q->msi_head[dir] + k) % q->msi_cap[dir]];
		if (m->wb <= wb && isnan(m->t->t0))
			m->t->t0 = when;
	}
}

static bool polling(const struct topo_nic *c)
{
	return c->irq_packets == 0 && c->irq_interval <= 0;
}

static void rx_irq_timer(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
	(void)arg;
	q->rx_timer = false;
	if (q->rx_unirq)
		msi(q, VEC_RX, &q->rxp, t, q->rx_wbd);
	q->rx_unirq = 0;
}

static void tx_irq_timer(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
	(void)arg;
	q->tx_timer = false;
	if (q->tx_unirq)
		msi(q, VEC_TX, &q->txp, t, q->tx_wbd);
	q->tx_unirq = 0;
}

/* n more packets written back at t: an interrupt per irq_packets, or irq_interval after the
 * first unannounced one. */
static void announce(struct nic_q *q, int dir, uint64_t n, double t)
{
	const struct topo_nic *c = q->n->c;
	uint64_t *un = dir == VEC_RX ? &q->rx_unirq : &q->tx_unirq;
	bool *timer = dir == VEC_RX ? &q->rx_timer : &q->tx_timer;

	*un += n;
	if (c->irq_packets && *un >= c->irq_packets) {
		msi(q, dir, dir == VEC_RX ? &q->rxp : &q->txp, t,
		    dir == VEC_RX ? q->rx_wbd : q->tx_wbd);
		*un = 0;
	} else if (c->irq_interval > 0 && !*timer) {
		*timer = true;
		nic_at(&q->n->dclk, t + c->irq_interval, dir == VEC_RX ? rx_irq_timer : tx_irq_timer,
		       q, 0);
	}
}

/* ---- RX ---- */

static void rx_data_landed(struct eng *e, struct tlp *t, double when)
{
	struct nic_q *q = q_of(e, t->fn);

	(void)when;
	struct nic_frame *f = nic_frame_at(&q->rxf, t->key);

	q->port->buf_used -= f->size; /* its buffer space is free */
	f->left = 0;
}

static void rx_wb_landed(struct eng *e, struct tlp *t, double when)
{
	struct nic_q *q = q_of(e, t->fn);
	const struct topo_nic *c = q->n->c;

	for (; q->rx_land < t->key; q->rx_land++) {
		const struct nic_frame *f = nic_frame_at(&q->rxf, q->rx_land);
		if (!q->vsw) /* the vswitch path counts it once switched to its VM */
			nic_count(q, f->wl, f->size, f->t0, when, false);
	}
	msi_event(q, VEC_RX, t->key, when);
	q->wb_land_t[VEC_RX] = when;
	if (polling(c) && q->vsw)
		nic_vsw_rx_take(q, when);
	else if (polling(c))
		nic_at(&q->n->hclk[q->host], when, host_rx_take, q, 0);
}

/* Frame `seq`'s descriptor arrived: its data, then (per rx_writeback) its write-back. */
static void rx_desc_landed(struct eng *e, struct tlp *t, double tail)
{
	struct nic_q *q = q_of(e, t->fn);
	const struct topo_nic *c = q->n->c;
	uint64_t slot = t->key % c->ring;

	read_done(e, q, t, tail);
	chunks(q, &q->rxp, tail, PCIE_MWR, PURPOSE_DATA, RX_BUF + slot * q->n->stride,
	       nic_frame_at(&q->rxf, t->key)->size - FCS, (uint32_t)e->t->pcie.mps, t->key,
	       rx_data_landed);
	if (++q->rx_wr - q->rx_wbd < c->rx_writeback)
		return;
	uint64_t n = q->rx_wr - q->rx_wbd;
	push(q, &q->rxp, tail, PCIE_MWR, PURPOSE_WRITEBACK,
	     RX_RING + q->rx_wbd % c->ring * c->desc_size, (uint32_t)(n * c->desc_size), q->rx_wr,
	     rx_wb_landed);
	q->rx_wbd = q->rx_wr;
	announce(q, VEC_RX, n, tail);
}

/* Frames in the buffer take the free descriptors the host returned, one read each. */
static void rx_fetch(struct nic_q *q, double t)
{
	const struct topo_nic *c = q->n->c;

	while (q->nwait && q->rx_free) {
		struct nic_frame *f = &q->wait[q->wait_head];
		uint64_t slot = q->rx_req % c->ring;
		/* in use: the descriptors the host has not returned, those from rx_req on */
		if (nic_frames_room(&q->rxf, q->rx_req - (c->ring - q->rx_free), q->rx_req)) {
			q->n->e->err = -ENOMEM;
			return;
		}
		struct nic_frame *r = nic_frame_at(&q->rxf, q->rx_req);
		*r = *f;
		r->left = 1; /* in the packet buffer until its data is written */
		q->wait_head = (q->wait_head + 1) % q->wait_cap;
		q->nwait--;
		q->rx_free--;
		push(q, &q->np, fmax(t, f->ready), PCIE_MRD, PURPOSE_DESCRIPTOR,
		     RX_RING + slot * c->desc_size, (uint32_t)c->desc_size, q->rx_req++,
		     rx_desc_landed);
	}
}

static int wait_push(struct nic_q *q, const struct nic_frame *f)
{
	if (q->nwait == q->wait_cap) {
		void *w = ring_grow(q->wait, sizeof(*q->wait), &q->wait_head, q->nwait, &q->wait_cap);
		if (!w)
			return -ENOMEM;
		q->wait = w;
	}
	q->wait[(q->wait_head + q->nwait++) % q->wait_cap] = *f;
	return 0;
}

/* A frame of stream g is offered to the port at t: the wire carries frames back to back at
 * line rate, the link partner holding at most `buffer` bytes of them waiting (more is
 * beyond line rate: dropped); the packet buffer holds it until its data is written (full:
 * dropped). */
void nic_rx_arrival(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
	struct nic *n = q->n;
	struct nic_stream *g = (struct nic_stream *)(uintptr_t)arg;
	const struct topo_workload *w = &n->e->t->workloads[g->wl];
	uint32_t size = (uint32_t)w->size;
	double start = fmax(t, q->port->rx_free), slot = wire_time(n, size + WIRE_EXTRA);

	if (t != g->next_t)
		return; /* a reassign moved its next arrival or stopped it (nic_move.c) */
	if (nic_arrival_dropped(q, t)) {
		/* counted as failed */
	} else if (start > t + wire_time(n, (uint32_t)n->c->buffer) ||
	    q->port->buf_used + size > n->c->buffer) {
		nic_count(q, g->wl, size, t, t, true);
	} else {
		struct nic_frame f = {.t0 = start, .ready = start + wire_time(n, size), .size = size,
				      .wl = g->wl};
		q->port->rx_free = start + slot;
		q->port->buf_used += size;
		if (wait_push(q, &f))
			n->e->err = -ENOMEM;
		rx_fetch(q, t);
	}
	double gap = w->arrival == ARRIVAL_CONSTANT ? g->mean
						    : -log(1.0 - erand48(g->rng)) * g->mean;
	g->next_t = t + gap;
	if (g->next_t < g->stop)
		nic_at(&n->dclk, g->next_t, nic_rx_arrival, q, arg);
}

/* The host returned `key` buffers (an RX tail write reached the device). */
void nic_rx_tail(struct eng *e, struct tlp *t, double when)
{
	struct nic_q *q = q_of(e, t->fn);

	q->rx_free += t->key;
	rx_fetch(q, when);
}

/* ---- TX ---- */

static void tx_wb_landed(struct eng *e, struct tlp *t, double when)
{
	struct nic_q *q = q_of(e, t->fn);

	q->tx_land = t->key;
	msi_event(q, VEC_TX, t->key, when);
	q->wb_land_t[VEC_TX] = when;
	if (polling(q->n->c))
		nic_at(&q->n->hclk[q->host], when, host_tx_take, q, 0);
}

/* Frames whose data is in leave the port in ring order at line rate; then write-backs. */
static void tx_wire_out(struct nic_q *q)
{
	const struct topo_nic *c = q->n->c;

	while (q->tx_wire < q->tx_done) {
		const struct nic_frame *f = nic_frame_at(&q->txf, q->tx_wire);
		double left = fmax(f->ready, q->port->tx_free) + wire_time(q->n, f->size + WIRE_EXTRA);
		q->port->tx_free = left;
		if (++q->tx_wire - q->tx_wbd < c->tx_writeback)
			continue;
		uint64_t n = q->tx_wire - q->tx_wbd;
		push(q, &q->txp, left, PCIE_MWR, PURPOSE_WRITEBACK,
		     TX_RING + q->tx_wbd % c->ring * c->desc_size, (uint32_t)(n * c->desc_size),
		     q->tx_wire, tx_wb_landed);
		q->tx_wbd = q->tx_wire;
		announce(q, VEC_TX, n, left);
	}
}

static void tx_data_landed(struct eng *e, struct tlp *t, double tail)
{
	struct nic_q *q = q_of(e, t->fn);
	struct nic_frame *f = nic_frame_at(&q->txf, t->key);

	if (!read_done(e, q, t, tail) || --f->left)
		return;
	f->ready = tail;
	nic_count(q, f->wl, f->size, f->t0, tail, false); /* TX latency ends here (§6) */
	while (q->tx_done < q->tx_fetched && !nic_frame_at(&q->txf, q->tx_done)->left)
		q->tx_done++; /* in ring order */
	tx_wire_out(q);
}

/* A TX descriptor read came back: read each frame's data (requests of at most MRRS). */
static void tx_desc_landed(struct eng *e, struct tlp *t, double tail)
{
	struct nic_q *q = q_of(e, t->fn);
	uint64_t seq = t->key >> KEY_K_BITS, k = t->key & ((1u << KEY_K_BITS) - 1);

	if (!read_done(e, q, t, tail))
		return;
	for (uint64_t s = seq; s < seq + k; s++) {
		uint64_t slot = s % q->n->c->ring;
		struct nic_frame *f = nic_frame_at(&q->txf, s);
		f->left = chunks(q, &q->np, tail, PCIE_MRD, PURPOSE_DATA, TX_BUF + slot * q->n->stride,
				 f->size - FCS, (uint32_t)e->t->pcie.mrrs, s, tx_data_landed);
	}
}

/* Posted descriptors are fetched at once, up to tx_fetch (and MRRS, and 4 KiB) per read. */
static void tx_fetch(struct nic_q *q, double t)
{
	const struct topo_nic *c = q->n->c;
	uint64_t per_read = q->n->e->t->pcie.mrrs / c->desc_size;

	while (q->tx_fetched < q->tx_told) {
		uint64_t slot = q->tx_fetched % c->ring, addr = TX_RING + slot * c->desc_size;
		uint64_t k = q->tx_told - q->tx_fetched;
		k = k < c->tx_fetch ? k : c->tx_fetch;
		k = k < per_read ? k : per_read;
		k = k < c->ring - slot ? k : c->ring - slot;
		uint64_t page = (PAGE_4K - addr % PAGE_4K) / c->desc_size;
		k = k < page ? k : page;
		if (!k)
			k = 1;
		for (uint64_t s = q->tx_fetched; s < q->tx_fetched + k; s++) {
			nic_frame_at(&q->txf, s)->left = UINT32_MAX; /* its data is not asked for yet */
			nic_frame_at(&q->txf, s)->ready = 0;
		}
		push(q, &q->np, t, PCIE_MRD, PURPOSE_DESCRIPTOR, addr, (uint32_t)(k * c->desc_size),
		     q->tx_fetched << KEY_K_BITS | k, tx_desc_landed);
		q->tx_fetched += k;
	}
}

/* The host posted `key` more frames (a TX tail write reached the device). */
void nic_tx_tail(struct eng *e, struct tlp *t, double when)
{
	struct nic_q *q = q_of(e, t->fn);

	q->tx_told += t->key;
	tx_fetch(q, when);
}
