/* dmaq.c - a VF's DMA engine's queue of DMAs issued and not yet sent (dev.h): the DMAs at
 * its head are whole (struct dma, from the engine's slab), those behind them are compact
 * records of what their issue drew (date, address, ready date, epoch, stream), made whole
 * only when they reach the head. An open-loop engine short of credits or of its device's
 * slots queues hundreds of arrivals (255 hosts x 16 VFs offered ten times their device
 * link: 212 000 in 1 ms), and a record is a third of a DMA's two cache lines, written in a
 * per-engine array instead of a line taken from the slab and linked to the last one.
 *
 * The order is the queue's issue order (ties: first issued first), records after every
 * whole DMA; nothing but the head is read where DMAs are sent (dev.c), so what is sent,
 * when, and every count are those of a queue of whole DMAs. */
#include "dev.h"

#include <errno.h>
#include <stdlib.h>

#include "alloc.h"

static struct dma_rec *rec_at(const struct dma_engine *de, uint32_t k)
{
	return &de->rq[(de->rq_head + k) & (de->rq_cap - 1)];
}

/* Room for one more record, the ring unrolled into a larger array: the first of
 * DMAQ_SMALL records from the engine's slab (e->recs: most engines of a chassis with
 * thousands of them queue few records, and a malloc each cost more than the records
 * saved), larger ones allocated. 0 or -ENOMEM. */
static int rec_room(struct eng *e, struct dma_engine *de)
{
	if (de->rq_n < de->rq_cap)
		return 0;
	uint32_t cap = de->rq_cap ? 2 * de->rq_cap : DMAQ_SMALL;
	struct dma_rec *v = cap == DMAQ_SMALL ? slab_alloc(&e->recs)
					      : mriov_malloc((size_t)cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t k = 0; k < de->rq_n; k++)
		v[k] = *rec_at(de, k);
	if (de->rq_cap == DMAQ_SMALL)
		slab_free(&e->recs, de->rq);
	else
		free(de->rq);
	de->rq = v;
	de->rq_cap = cap;
	de->rq_head = 0;
	return 0;
}

/* The record r made a whole DMA, as dev.c's issue made it. */
static struct dma *rec_dma(struct eng *e, const struct dma_engine *de, const struct dma_rec *r)
{
	struct dma *d = slab_alloc(&e->dmas);

	if (!d) {
		e->err = -ENOMEM;
		return NULL;
	}
	d->fn = de->vf->fn;
	d->wl = r->g->wl;
	d->op = de->op;
	d->stream = r->g;
	d->addr = r->addr;
	d->size = (uint32_t)e->t->workloads[r->g->wl].size;
	d->issue = r->issue;
	d->ready = r->ready;
	d->epoch = r->epoch;
	return d;
}

/* d among the whole DMAs, after those issued at or before it. */
static void insert_whole(struct dma_engine *de, struct dma *d)
{
	double t = d->issue;

	if (!de->q || de->q_tail->issue <= t) {
		if (de->q_tail)
			de->q_tail->next = d;
		else
			de->q = d;
		de->q_tail = d;
	} else if (t < de->q->issue) {
		d->next = de->q;
		de->q = d;
	} else {
		struct dma *x = de->q;
		while (x->next && x->next->issue <= t)
			x = x->next;
		d->next = x->next;
		x->next = d;
	}
}

/* Record r at its place among the records, after those issued at or before it. */
static int insert_rec(struct eng *e, struct dma_engine *de, const struct dma_rec *r)
{
	uint32_t k;

	if (rec_room(e, de))
		return -ENOMEM;
	k = de->rq_n++;
	while (k > 0 && rec_at(de, k - 1)->issue > r->issue) {
		*rec_at(de, k) = *rec_at(de, k - 1);
		k--;
	}
	*rec_at(de, k) = *r;
	return 0;
}

/* Does r go among the records (behind every whole DMA)? The last record is read first: its
 * line is the one r is written to when it comes last, as it does but for ties of dates. */
static bool goes_behind(const struct dma_engine *de, const struct dma_rec *r)
{
	if (!de->rq_n)
		return r->issue >= de->q_tail->issue;
	return r->issue >= rec_at(de, de->rq_n - 1)->issue || r->issue >= rec_at(de, 0)->issue;
}

void dmaq_add(struct eng *e, struct dma_engine *de, const struct dma_rec *r)
{
	if (de->q && !e->dmaq_whole && goes_behind(de, r)) {
		if (insert_rec(e, de, r))
			e->err = -ENOMEM;
		e->c.dma_recs++;
		return;
	}
	struct dma *d = rec_dma(e, de, r); /* the head, or before every record */
	if (d)
		insert_whole(de, d);
}

void dmaq_refill(struct eng *e, struct dma_engine *de)
{
	if (de->q || !de->rq_n)
		return;
	struct dma *d = rec_dma(e, de, rec_at(de, 0));
	if (!d)
		return;
	de->rq_head = (de->rq_head + 1) & (de->rq_cap - 1);
	de->rq_n--;
	de->q = de->q_tail = d;
}

static void unpack(struct eng *e, struct dma_engine *de)
{
	while (de->rq_n) {
		struct dma *d = rec_dma(e, de, rec_at(de, 0));
		if (!d)
			return;
		de->rq_head = (de->rq_head + 1) & (de->rq_cap - 1);
		de->rq_n--;
		insert_whole(de, d); /* after every whole one: records are issued after them */
	}
}

void dmaq_unpack(struct eng *e, struct dma_engine *de)
{
	e->c.recs_dropped += de->rq_n;
	unpack(e, de);
}

void eng_dmaq_whole(struct eng *e)
{
	e->dmaq_whole = true;
	for (size_t f = 0; e->vfs && f < e->t->nfunctions; f++)
		for (int op = 0; op < 2; op++)
			unpack(e, &e->vfs[f].eng[op]);
	e->c.dma_recs = 0; /* as if none had been made */
}

void dmaq_destroy(struct dma_engine *de)
{
	if (de->rq_cap > DMAQ_SMALL) /* (a small one is the slab's) */
		free(de->rq);
	de->rq = NULL;
	de->rq_n = de->rq_cap = de->rq_head = 0;
}

uint64_t eng_dmas_live(const struct eng *e)
{
	uint64_t n = e->dmas.live;

	for (size_t f = 0; e->vfs && f < e->t->nfunctions; f++)
		n += e->vfs[f].eng[0].rq_n + e->vfs[f].eng[1].rq_n;
	return n;
}
