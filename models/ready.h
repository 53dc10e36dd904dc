/* ready.h - which of a port's sources a decision must look at: a bitmap of sources that
 * may have work, and a min-heap of sources parked until a date (a DMA engine idle until its
 * next arrival, say). A decision visits the set bits in index order, so it sees sources in
 * the order a full scan would; sources it skips are exactly the ones a full scan would skip
 * (empty, or idle until a later date), and their earliest date is the heap's top.
 * Activating a source early is always safe (the decision looks and parks it again); parking
 * one that has work is the caller's error. */
#ifndef MRIOV_READY_H
#define MRIOV_READY_H

#include <stdbool.h>
#include <stdint.h>

struct ready_timer {
	double t;
	int i;
};

struct ready {
	int n;                 /* sources 0..n-1 */
	uint64_t *bits;        /* bit i: source i may have work */
	double *parked;        /* [i]: parked until then (INFINITY: until activated), or -1 */
	struct ready_timer *heap; /* parked sources with a finite date; stale entries (the
				   * source was activated since) are dropped when met */
	int nheap, capheap;
};

/* n sources, all active. Returns 0 or -ENOMEM (r is then safe to ready_destroy). */
int ready_init(struct ready *r, int n);
/* No-op on a zeroed or half-initialised struct ready. */
void ready_destroy(struct ready *r);

/* Source i may have work: decisions look at it again. */
static inline void ready_activate(struct ready *r, int i)
{
	r->bits[i >> 6] |= (uint64_t)1 << (i & 63);
	r->parked[i] = -1;
}

/* Source i has no work: decisions skip it until it is activated. */
static inline void ready_clear(struct ready *r, int i)
{
	r->bits[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

static inline bool ready_is_active(const struct ready *r, int i)
{
	return r->bits[i >> 6] >> (i & 63) & 1;
}

/* Source i has nothing before t (> now): skip it until t or until activated. 0 or -ENOMEM
 * (the source then stays active, which is safe). */
int ready_park(struct ready *r, int i, double t);

/* Activate the sources parked until now or earlier. */
void ready_due(struct ready *r, double now);

/* The earliest date a parked source becomes active, or INFINITY. */
double ready_next(struct ready *r);

/* The first active source at or after i, or -1. */
int ready_next_active(const struct ready *r, int i);

#endif
