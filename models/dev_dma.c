/* dev_dma.c - a device's DMA engine (contract §12, fabric/topo.h struct topo_dma_engine),
 * as a profile such as nfp6000 calibrates it: descriptor latency, a transaction rate per
 * operation, a data mover shared by reads and writes, a bounded number of DMAs in flight
 * per operation (dma_concurrency slots) and max_rate pacing the device's port. dev.c's DMA
 * engines of the VFs call it; a device without these keys has none of it. */
#include "dev.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"

static bool has_engine(const struct topo_dma_engine *g)
{
	return g->latency > 0 || g->interval[0] > 0 || g->interval[1] > 0 || g->cost > 0 ||
	       g->byte_cost > 0 || g->block_cost[0] > 0 || g->block_cost[1] > 0 ||
	       g->concurrency > 0;
}

/* How long the data mover holds DMA d: its fixed and per-byte cost, and a cost per block
 * of its operation begun (a partial block costs a whole one). */
static double mover_time_of(const struct topo_dma_engine *g, int op, uint32_t size)
{
	uint64_t b = g->block[op] ? g->block[op] : 1;
	uint64_t blocks = ((uint64_t)size + b - 1) / b;

	return g->cost + g->byte_cost * size + g->block_cost[op] * (double)blocks;
}

static double mover_time(const struct topo_dma_engine *g, const struct dma *d)
{
	return mover_time_of(g, d->op, d->size);
}

/* A write was issued (contract §12): once its descriptor is processed, and no sooner than
 * write_interval after the previous write, the data mover fetches its data, in the order
 * the writes came; its TLPs may start when that is done (the date returned). */
double dev_dma_book_write(struct eng *e, const struct vf *vf, double issue, uint32_t size)
{
	const struct topo_dma_engine *g = &e->t->devices[vf->device].dma;
	double *busy = &e->dev_dma[vf->device].free;
	double *next = &e->dev_dma[vf->device].next[OP_WRITE];
	double start;

	if (!e->dev_dma[vf->device].engine)
		return issue; /* its TLPs may start at once */
	start = fmax(fmax(issue + g->latency, *next), *busy);
	*next = start + g->interval[OP_WRITE];
	*busy = start + mover_time_of(g, OP_WRITE, size);
	return *busy;
}

/* The DMA engines of op that lack a slot, by their index in the device's port: that is
 * the order of a decision's looks, and so the order in which they take the slots that come
 * back. Only the lowest waits for the next return; when it takes a slot (or stops waiting)
 * and a slot is left, the next one is woken at once, so that a decision grants the slots
 * to the same engines as when every one of them woke at each return (a look of one that
 * lacks a slot has no other effect: its arrivals are made by its own wake date). */
static uint64_t *slot_bits(struct eng *e, struct dev_dma *g, const struct port *p, int op)
{
	if (!g->slotw[op]) {
		g->slotw_words = (p->nsrcs + 63) / 64;
		g->slotw[op] = mriov_calloc((size_t)g->slotw_words, sizeof(uint64_t));
		g->slotw_lo[op] = g->slotw_words;
		if (!g->slotw[op])
			e->err = -ENOMEM;
	}
	return g->slotw[op];
}

static int slot_first(struct dev_dma *g, int op)
{
	int *lo = &g->slotw_lo[op];

	if (!g->slotw[op])
		return -1;
	while (*lo < g->slotw_words && !g->slotw[op][*lo])
		(*lo)++;
	return *lo < g->slotw_words ? *lo * 64 + __builtin_ctzll(g->slotw[op][*lo]) : -1;
}

/* The lowest waiter is woken when it can take a slot: now if one is free, else at the next
 * return (an earlier wake is only an extra look). */
static void slot_wake_first(struct dev_dma *g, const struct port *p, int op, double now)
{
	int h = slot_first(g, op);
	struct tpool *slots = &g->slots[op];

	if (h >= 0)
		src_wake_by(p->srcs[h], tpool_avail(slots, now) >= 1 ? now
								 : tpool_next_return(slots));
}

static void slot_leave(struct dev_dma *g, const struct port *p, int op, int i, double now)
{
	uint64_t *w = g->slotw[op];

	if (!w || !(w[i >> 6] >> (i & 63) & 1))
		return;
	bool first = slot_first(g, op) == i;
	w[i >> 6] &= ~((uint64_t)1 << (i & 63));
	if (first)
		slot_wake_first(g, p, op, now);
}

/* de's head DMA lacks a slot at now: it waits among the slot's waiters; the first waits for
 * the next return (*next lowered to it), the others for their own next arrival. */
static void slot_wait(struct eng *e, struct dev_dma *g, const struct dma_engine *de,
		      double *next)
{
	const struct port *p = de->vf->port;
	int i = de->src.own[0].i;
	uint64_t *w;

	e->c.slot_waits++;
	if (e->slot_wake_all) { /* the reference: every waiter dated at the next return */
		*next = fmin(*next, tpool_next_return(&g->slots[de->op]));
		dev_dma_waits(e, de);
		return;
	}
	if (!(w = slot_bits(e, g, p, de->op)))
		return;
	w[i >> 6] |= (uint64_t)1 << (i & 63);
	if (i >> 6 < g->slotw_lo[de->op])
		g->slotw_lo[de->op] = i >> 6;
	if (slot_first(g, de->op) == i)
		*next = fmin(*next, tpool_next_return(&g->slots[de->op]));
}

/* A DMA reached the head of its queue: it takes one of its operation's dma_concurrency
 * slots, or waits for one; a read's request goes no sooner than read_interval after the
 * previous read's. */
bool dev_dma_start(struct eng *e, struct dma_engine *de, struct dma *d, double now,
		   double *next)
{
	const struct vf *vf = de->vf;
	const struct topo_dma_engine *g = &e->t->devices[vf->device].dma;
	struct dev_dma *dd = &e->dev_dma[vf->device];
	struct tpool *slots = &dd->slots[d->op];

	if (!dd->engine) {
		d->engine_seen = true;
		return true;
	}
	if (dd->slotted) {
		if (tpool_avail(slots, now) < 1) {
			slot_wait(e, dd, de, next);
			return false;
		}
		tpool_take(slots, 1); /* the next waiter's turn: now if a slot is left */
		if (!e->slot_wake_all) {
			slot_leave(dd, vf->port, d->op, de->src.own[0].i, now);
			slot_wake_first(dd, vf->port, d->op, now);
		}
	}
	d->engine_seen = true;
	if (d->op == OP_READ) {
		double start = fmax(fmax(d->ready, now), dd->next[OP_READ]);
		dd->next[OP_READ] = start + g->interval[OP_READ];
		d->ready = start;
	}
	return true;
}

/* The look of de found no DMA that could take a slot (none, a reset, a translation): if it
 * was waiting for one, its turn passes on. */
void dev_dma_idle(struct eng *e, const struct dma_engine *de, double now)
{
	if (de->wk >= 0 && !e->slot_wake_all)
		slot_leave(&e->dev_dma[de->vf->device], de->vf->port, de->op, de->src.own[0].i,
			   now);
}

/* The look of de found it waiting for what an earlier look would act on sooner (a tag, a
 * translation, a reset: its wake date is not its next arrival): dev_dma_free() wakes it at
 * each return, until a look finds it waiting no more. */
void dev_dma_waits(struct eng *e, const struct dma_engine *de)
{
	if (de->wk >= 0) {
		uint64_t *w = e->dev_dma[de->vf->device].early[de->op];
		w[de->wk >> 6] |= (uint64_t)1 << (de->wk & 63);
	}
}

/* A look of de begins: what it waits for is what this look finds (a wake does not end a
 * wait: a later return may come sooner than the date it was woken by). */
void dev_dma_look(struct eng *e, const struct dma_engine *de)
{
	if (de->wk >= 0) {
		uint64_t *w = e->dev_dma[de->vf->device].early[de->op];
		w[de->wk >> 6] &= ~((uint64_t)1 << (de->wk & 63));
	}
}

/* A slot of op comes back at t: the first of its waiters is woken when it can take it,
 * and the DMA engines of op dev_dma_waits() noted by t, in function order. No other one
 * is: its wake date is the date of its next side effect (an arrival, its DMA's issue or
 * ready date). (Every DMA engine of the device was woken at every return before: the
 * same slots went to the same engines, a port sometimes looked at a different date.) */
static void wake_early(struct eng *e, struct dev_dma *g, const struct port *p, int op,
		       double t)
{
	if (e->slot_wake_all) { /* the reference (tests/check_sim_dma_engine.c) */
		for (int k = 0; k < g->nwaiters[op]; k++)
			src_wake_by(g->waiters[op][k], t);
		return;
	}
	slot_wake_first(g, p, op, e->now);
	for (int w = 0; w < (g->nwaiters[op] + 63) / 64; w++)
		for (uint64_t b = g->early[op][w]; b; b &= b - 1)
			src_wake_by(g->waiters[op][w * 64 + __builtin_ctzll(b)], t);
}

/* A DMA gives its engine slot back at t: the device's sources may go on then. */
void dev_dma_free(struct eng *e, const struct dma *d, double t)
{
	int dev = e->vfs[d->fn].device;

	if (!e->dev_dma[dev].slotted)
		return;
	if (tpool_give(&e->dev_dma[dev].slots[d->op], 1, t))
		e->err = -ENOMEM;
	wake_early(e, &e->dev_dma[dev], e->vfs[d->fn].port, d->op, t);
	eng_signal_at(e->vfs[d->fn].port, t);
}

/* A read's last byte arrived at `tail`: the data mover stores it into device memory, one
 * DMA after another, and the DMA is done dma_latency later. */
double dev_dma_stored(struct eng *e, const struct dma *d, double tail)
{
	int dev = e->vfs[d->fn].device;
	const struct topo_dma_engine *g = &e->t->devices[dev].dma;
	double *busy = &e->dev_dma[dev].free;

	if (!e->dev_dma[dev].engine)
		return tail;
	*busy = fmax(tail, *busy) + mover_time(g, d);
	dev_dma_free(e, d, *busy + g->latency);
	return *busy + g->latency;
}

/* max_rate (contract §1): the device's DMA engine moves each TLP's t->len bytes at that
 * rate, and its port starts no TLP while it does. */
static double pace_free_at(const void *arg)
{
	const struct dev_dma *g = arg;
	return g->cap_free;
}

static void pace_sent(void *arg, const struct tlp *t, double now)
{
	struct dev_dma *g = arg;
	g->cap_free = now + t->len * 8.0 / g->cap_bps;
}

static const struct eng_pacer dev_pacer = {pace_free_at, pace_sent};

/* Device d's DMA engine: its dma_concurrency slots per operation, and max_rate pacing its
 * port. 0 or -ENOMEM. */
int dev_dma_init(struct eng *e, int d)
{
	const struct topo_device *dev = &e->t->devices[d];
	struct dev_dma *g = &e->dev_dma[d];
	uint64_t n = dev->dma.concurrency;

	for (int op = 0; op < 2; op++)
		if (tpool_init(&g->slots[op], n ? (int64_t)n : -1))
			return -ENOMEM;
	g->engine = has_engine(&dev->dma);
	g->slotted = g->engine && n;
	g->cap_bps = dev->max_rate;
	if (g->cap_bps > 0 && dev->link >= 0) {
		struct port *p = eng_port_of(e, dev->link, e->nodes.of_device[d]);
		p->pacer = &dev_pacer;
		p->pacer_arg = g;
	}
	return 0;
}

/* With dma_concurrency, the DMA engines dev_dma_free() wakes, per device and op, in function
 * order: built once, so that a DMA's end does not scan every function of the chassis. */
int dev_dma_index(struct eng *e)
{
	const struct topo *t = e->t;

	for (size_t f = 0; f < t->nfunctions; f++)
		for (int op = 0; op < 2; op++) {
			e->vfs[f].eng[op].wk = -1;
			if (e->vfs[f].eng[op].vf)
				e->dev_dma[e->vfs[f].device].nwaiters[op]++;
		}
	for (size_t d = 0; d < t->ndevices; d++)
		for (int op = 0; op < 2; op++) {
			struct dev_dma *g = &e->dev_dma[d];
			int n = g->nwaiters[op];
			g->nwaiters[op] = 0;
			if (!n || !g->slotted)
				continue;
			g->waiters[op] = mriov_calloc((size_t)n, sizeof(*g->waiters[op]));
			g->early[op] = mriov_calloc((size_t)(n + 63) / 64, sizeof(uint64_t));
			if (!g->waiters[op] || !g->early[op])
				return -ENOMEM;
		}
	for (size_t f = 0; f < t->nfunctions; f++)
		for (int op = 0; op < 2; op++) {
			struct dev_dma *g = &e->dev_dma[e->vfs[f].device];
			if (e->vfs[f].eng[op].vf && g->waiters[op]) {
				e->vfs[f].eng[op].wk = g->nwaiters[op];
				g->waiters[op][g->nwaiters[op]++] = &e->vfs[f].eng[op].src;
			}
		}
	return 0;
}
