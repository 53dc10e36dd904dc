/* nvme.c - the drive side of the NVMe model (contract §6, domain.md §10.2): submission
 * entries fetched on SQ tail doorbells, PRP lists, a write command's data read from the host,
 * the media channels, a read command's data written to the host, completion entries, and
 * MSI-X per irq_coalesce entries or irq_interval. */
#include "nvme.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <xbt/asserts.h>

#include "alloc.h"
#include "ring.h"
#include "mmio.h"

#define PAGE_4K 4096  /* memory page of PRPs; no TLP crosses a 4 KiB boundary (PCIe §2.2.7) */
#define SQE 64        /* submission queue entry (NVMe Base §4.2) */
#define CQE 16        /* completion queue entry (NVMe Base §4.6) */
#define PRP_ENTRY 8   /* a PRP list entry: one page address */
/* a queue pair's host memory (addresses for the IOMMU): rings, PRP lists, data buffers */
#define SQ_RING 0ull
#define CQ_RING (1ull << 24)
#define PRP_LISTS (1ull << 28) /* one page per CID */
#define KEY_K_BITS 17          /* entry reads: key = first seq << 17 | count */

typedef void (*landed_fn)(struct eng *e, struct tlp *t, double when);

static struct nvme_q *q_of(struct eng *e, int fn)
{
	return e->vfs[fn].model;
}

/* A TLP of q's function toward its host, of `bytes` at addr, ready at t, filed into s. */
static void push(struct nvme_q *q, struct src *s, double t, int type, int purpose,
		 uint64_t addr, uint32_t bytes, uint64_t key, landed_fn landed)
{
	dev_push_up(q->n->e, q->fn, s, t, type, purpose, addr, bytes, key, landed);
}

/* A command's data in TLPs of at most max bytes, none across 4 KiB, each with landed.
 * Returns how many. */
static uint32_t data_tlps(struct nvme_q *q, struct src *s, double t, int type, uint32_t cid,
			  uint32_t max, landed_fn landed)
{
	const struct nvme_cmd *c = &q->cmd[cid];

	return dev_push_chunks(q->n->e, q->fn, s, t, type, PURPOSE_DATA, c->addr, c->size, max,
			       cid, true, landed);
}

/* A read request's completion arrived at tail: the last one frees its tag (devmodel.h). */
static bool read_done(struct eng *e, struct nvme_q *q, const struct tlp *t, double tail)
{
	return dev_read_done(e, q->vf, t, tail);
}

static void delivered(struct nvme_q *q, const struct tlp *t, double when)
{
	struct eng *e = q->n->e;

	if (e->sink.delivered) /* I/O data counts as it is delivered (contract §4) */
		e->sink.delivered(e->sink.arg, q->fn, q->cmd[t->key].g->wl, t->payload, when);
}

/* ---- interrupts ---- */

static void msi_landed(struct eng *e, struct tlp *t, double at)
{
	struct nvme_q *q = q_of(e, t->fn);

	q->msi_head = (q->msi_head + 1) % q->msi_cap; /* the oldest lands first */
	q->msi_n--;
	mclock_at(&q->n->hclk[q->host], at, nvme_host_take, q, nvme_tag(q, 0));
}

/* An MSI-X behind the completion entries it announces (up to cq_posted), raised at t. */
static void msi(struct nvme_q *q, double t)
{
	struct eng *e = q->n->e;

	/* In flight are at most one MSI-X per entry not yet landed (fewer than queue_depth
	 * commands) and the one behind the last entry that landed: queue_depth in all. */
	xbt_assert(q->msi_n < q->n->c->queue_depth, "%s: more MSI-X in flight than queue entries",
		   q->n->e->t->functions[q->fn].name);
	if (q->msi_n == q->msi_cap) {
		void *v = ring_grow(q->msi, sizeof(*q->msi), &q->msi_head, q->msi_n, &q->msi_cap);
		if (!v) {
			e->err = -ENOMEM;
			return;
		}
		q->msi = v;
	}
	if (mmio_msix(e, q->fn, 0, NAN, t, &q->p, msi_landed)) {
		e->err = -ENOMEM;
		return;
	}
	q->msi[(q->msi_head + q->msi_n++) % q->msi_cap] = (struct nvme_msi){q->p.tail, q->cq_posted};
	if (q->cq_land >= q->cq_posted) /* a timer's: the entries are there already */
		q->p.tail->t0 = q->cq_land_t;
}

static void irq_timer(void *obj, double t, uint64_t arg)
{
	struct nvme_q *q = obj;

	if (nvme_stale(q, arg))
		return;
	q->irq_timer = false;
	if (q->cq_unirq)
		msi(q, t);
	q->cq_unirq = 0;
}

/* One more completion entry posted at t: an interrupt per irq_coalesce entries, or
 * irq_interval after the first unannounced one (NVMe Set Features 08h); none when polled. */
static void announce(struct nvme_q *q, double t)
{
	const struct topo_nvme *c = q->n->c;

	if (!c->irq_coalesce)
		return;
	if (++q->cq_unirq >= c->irq_coalesce) {
		msi(q, t);
		q->cq_unirq = 0;
	} else if (c->irq_interval > 0 && !q->irq_timer) {
		q->irq_timer = true;
		mclock_at(&q->n->dclk, t + c->irq_interval, irq_timer, q, nvme_tag(q, 0));
	}
}

/* ---- completion ---- */

/* Completion entries up to key reached the host at when (posted writes land in order). */
static void cq_landed(struct eng *e, struct tlp *t, double when)
{
	struct nvme_q *q = q_of(e, t->fn);

	q->cq_land = t->key;
	q->cq_land_t = when;
	nvme_cqe_at(q, t->key - 1)->at = when;
	for (uint32_t k = 0; k < q->msi_n; k++) {
		const struct nvme_msi *m = &q->msi[(q->msi_head + k) % q->msi_cap];
		if (m->cq <= t->key && isnan(m->t->t0))
			m->t->t0 = when;
	}
	if (!q->n->c->irq_coalesce) /* polled: the host finds it at once */
		mclock_at(&q->n->hclk[q->host], when, nvme_host_take, q, nvme_tag(q, 0));
}

static void post_completion(struct nvme_q *q, uint32_t cid, double t)
{
	uint64_t qd = q->n->c->queue_depth, slot = q->cq_posted % qd;

	/* the entries in use: from the last one the host took */
	struct nvme_cqe *v = seq_room(q->cqe, sizeof(*q->cqe), &q->cqe_cap, q->cq_taken,
				      q->cq_posted);
	if (!v) {
		q->n->e->err = -ENOMEM;
		return;
	}
	q->cqe = v;
	nvme_cqe_at(q, q->cq_posted)->cid = cid;
	q->cq_posted++;
	push(q, &q->p, t, PCIE_MWR, PURPOSE_WRITEBACK, CQ_RING + slot * CQE, CQE, q->cq_posted,
	     cq_landed);
	announce(q, t);
}

static void rdata_landed(struct eng *e, struct tlp *t, double when)
{
	delivered(q_of(e, t->fn), t, when);
}

/* Command cid's media operation ended at t: a read's data goes to the host, then (behind
 * it: posted writes keep their order) the completion entry. */
static void media_done(void *obj, double t, uint64_t arg)
{
	struct nvme_q *q = obj;
	uint32_t cid = (uint32_t)arg;

	if (nvme_stale(q, arg))
		return; /* its controller was reset: the channel's time is spent, the result lost */
	if (q->cmd[cid].read)
		data_tlps(q, &q->p, t, PCIE_MWR, cid, (uint32_t)q->n->e->t->pcie.mps, rdata_landed);
	post_completion(q, cid, t);
}

/* Command cid is ready for the media at t. The device's channels serve commands in order
 * of arrival, whatever their controller (FIFO): each takes the channel that frees first.
 * Arrivals come in time order (completions reach the drive on its one downstream link, in
 * order), so the start is known at once. */
static void media(struct nvme_q *q, uint32_t cid, double t)
{
	struct nvme *n = q->n;
	uint64_t best = 0;

	for (uint64_t k = 1; k < n->c->channels; k++)
		if (n->chan_free[k] < n->chan_free[best])
			best = k;
	double start = fmax(t, n->chan_free[best]);
	double done = start + (q->cmd[cid].read ? n->c->read_latency : n->c->write_latency);
	n->chan_free[best] = done;
	n->chan_busy += fmax(0, fmin(done, n->e->end) - fmax(start, n->e->warmup));
	mclock_at(&n->dclk, done, media_done, q, nvme_tag(q, cid));
}

/* ---- data and PRP lists ---- */

static void wdata_landed(struct eng *e, struct tlp *t, double tail)
{
	struct nvme_q *q = q_of(e, t->fn);
	uint32_t cid = (uint32_t)t->key;

	delivered(q, t, tail);
	if (read_done(e, q, t, tail) && --q->cmd[cid].left == 0)
		media(q, cid, tail);
}

/* Command cid knows where its data is at t: a write reads it from the host first. */
static void data_phase(struct nvme_q *q, uint32_t cid, double t)
{
	if (q->cmd[cid].read) {
		media(q, cid, t);
		return;
	}
	q->cmd[cid].left = data_tlps(q, &q->np, t, PCIE_MRD, cid,
				     (uint32_t)q->n->e->t->pcie.mrrs, wdata_landed);
}

static void prp_landed(struct eng *e, struct tlp *t, double tail)
{
	struct nvme_q *q = q_of(e, t->fn);

	if (read_done(e, q, t, tail))
		data_phase(q, (uint32_t)t->key, tail);
}

/* Pages of host memory a command's data touches. */
static uint64_t pages(const struct nvme_cmd *c)
{
	return (c->addr + c->size - 1) / PAGE_4K - c->addr / PAGE_4K + 1;
}

/* Command cid's entry arrived at t: PRP1 and PRP2 name two pages; more need the PRP list
 * (8 B per page after the first), read at once. */
static void cmd_fetched(struct nvme_q *q, uint32_t cid, double t)
{
	uint64_t np = pages(&q->cmd[cid]);

	if (np <= 2) {
		data_phase(q, cid, t);
		return;
	}
	push(q, &q->np, t, PCIE_MRD, PURPOSE_DESCRIPTOR, PRP_LISTS + (uint64_t)cid * PAGE_4K,
	     (uint32_t)((np - 1) * PRP_ENTRY), cid, prp_landed);
}

/* ---- submission ---- */

static void sq_landed(struct eng *e, struct tlp *t, double tail)
{
	struct nvme_q *q = q_of(e, t->fn);
	uint64_t seq = t->key >> KEY_K_BITS, k = t->key & ((1u << KEY_K_BITS) - 1);

	if (!read_done(e, q, t, tail))
		return;
	for (uint64_t s = seq; s < seq + k; s++)
		cmd_fetched(q, q->sq[s % q->n->c->queue_depth], tail);
}

/* Entries the host rang for are fetched at once, up to sq_fetch adjacent ones per read (and
 * MRRS, the ring's end and a 4 KiB page). */
static void sq_fetch(struct nvme_q *q, double t)
{
	const struct topo_nvme *c = q->n->c;
	uint64_t per_read = q->n->e->t->pcie.mrrs / SQE;

	while (q->sq_fetched < q->sq_told) {
		uint64_t slot = q->sq_fetched % c->queue_depth, addr = SQ_RING + slot * SQE;
		uint64_t k = q->sq_told - q->sq_fetched;
		k = k < c->sq_fetch ? k : c->sq_fetch;
		k = k < per_read ? k : per_read;
		k = k < c->queue_depth - slot ? k : c->queue_depth - slot;
		uint64_t page = (PAGE_4K - addr % PAGE_4K) / SQE;
		k = k < page ? k : page;
		if (!k)
			k = 1;
		push(q, &q->np, t, PCIE_MRD, PURPOSE_DESCRIPTOR, addr, (uint32_t)(k * SQE),
		     q->sq_fetched << KEY_K_BITS | k, sq_landed);
		q->sq_fetched += k;
	}
}

void nvme_sq_tail(struct eng *e, struct tlp *t, double when)
{
	struct nvme_q *q = q_of(e, t->fn);

	q->sq_told += t->key;
	sq_fetch(q, when);
}
