/* ready_priv.h - what the ready set's files share (ready.c, ready_heap.c): its heaps of
 * dates, and the waiters' activation. Not for the ports: they use ready.h. */
#ifndef MRIOV_READY_PRIV_H
#define MRIOV_READY_PRIV_H

#include "ready.h"

/* A binary min-heap of (date, source): the parking dates, the trusts' ends and the passive
 * dates. *top caches the first entry's date (INFINITY: empty), so that a decision with
 * nothing due reads no line of the array (docs/performance.md, "Flatness by hosts"). */
struct heap {
	struct ready_timer **v;
	int *n, *cap;
	double *top;
};

/* The three heaps of r. */
static inline struct heap ready_src_heap(struct ready *r)
{
	return (struct heap){&r->heap, &r->nheap, &r->capheap, &r->htop};
}

static inline struct heap ready_trust_heap(struct ready *r)
{
	return (struct heap){&r->theap, &r->ntheap, &r->captheap, &r->ttop};
}

static inline struct heap ready_lazy_heap(struct ready *r)
{
	return (struct heap){&r->lheap, &r->nlheap, &r->caplheap, &r->ltop};
}

/* (t, i) into h. 0 or -ENOMEM. */
int ready_heap_push(struct heap h, double t, int i);
/* h's top taken off. */
void ready_heap_pop(struct heap h);
/* The same for a heap of source dates whose latest entry per source is in[] (-1: none). */
void ready_pop_dated(struct heap h, double *in);
/* A parked source's (or, past r->n, a credit index's) date t, into the heap or, far
 * ahead, the calendar (rcal.h). 0 or -ENOMEM. */
int ready_src_push(struct ready *r, double t, int i);
/* The parking heap's top taken off; an empty heap takes the calendar's next bucket. */
void ready_src_pop(struct ready *r);
/* A look at waiter i of credit index q (ready.h): one lacking q's credits waits on, any
 * other is activated. */
static inline enum ready_look ready_look_waiter(struct ready *r, int i, int q, double now)
{
	enum ready_look l = r->ops->look(r->ops_arg, i, q, now);

	if (l != READY_LACKS)
		ready_activate(r, i);
	return l;
}

/* Every waiter of credit index idx is activated (ready.c). */
void ready_activate_all(struct ready *r, int idx);

#endif
