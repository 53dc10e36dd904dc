/* ready.h - which of a port's sources a decision must look at: a bitmap of sources that
 * may have work, and a min-heap of sources parked until a date (a DMA engine idle until its
 * next arrival, say). A decision visits the set bits in index order, so it sees sources in
 * the order a full scan would; sources it skips are exactly the ones a full scan would skip
 * (empty, or idle until a later date), and their earliest date is the heap's top.
 * Activating a source early is always safe (the decision looks and parks it again); parking
 * one that has work is the caller's error.
 *
 * A source whose TLP lacks credits parks on the credit index it waits for (fc_index()),
 * until the next credit return of that index is due: its credits change at no other time
 * (a TLP that others send takes credits, which cannot make it sendable). fc_return tells
 * the index's waiters when that date moves (ready_credit_at, called by fc.c); whoever
 * changes credits otherwise (re-initialises them) activates them (ready_credit). It may
 * also have a passive
 * date (lazy work falling due, a DMA engine's next arrival): the first decision at or after
 * it looks at the source again, but the port does not wake for it. */
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
	/* sources parked on credits */
	int nidx;              /* credit indices (0 until ready_init_credits) */
	struct ready_list {
		int *v;
		int n, cap;
	} *wait;               /* [credit index]: sources parked on it; stale entries skipped */
	int *on;               /* [i]: the credit index source i waits on, or -1 */
	int *listed;           /* [i]: the credit index whose list holds i, or -1 */
	int nwaiting;          /* sources parked on credits */
	double *wdate;         /* [credit index]: its waiters are parked until then or before */
	double *lazy;          /* [i]: its passive date, or -1 */
	struct ready_timer *lheap; /* passive dates; stale entries dropped when met */
	int nlheap, caplheap;
	/* groups (ready_init_groups; NULL: none): group[i] of source i, nactive[g] of its
	 * sources active, so that a decision skips a group with none at once */
	const int *group;
	int *nactive;
};

/* n sources, all active. Returns 0 or -ENOMEM (r is then safe to ready_destroy). */
int ready_init(struct ready *r, int n);
/* Credit indices 0..nidx-1 a source may park on. 0 or -ENOMEM. */
int ready_init_credits(struct ready *r, int nidx);
/* Sources in ngroups groups, group[i] (kept by the caller, group < ngroups) for source i,
 * counted as they are activated and cleared. 0 or -ENOMEM. */
int ready_init_groups(struct ready *r, const int *group, int ngroups);
/* How many sources of group g are active. */
static inline int ready_group_active(const struct ready *r, int g)
{
	return r->nactive[g];
}
/* No-op on a zeroed or half-initialised struct ready. */
void ready_destroy(struct ready *r);

/* Source i may have work: decisions look at it again. */
static inline void ready_activate(struct ready *r, int i)
{
	uint64_t b = (uint64_t)1 << (i & 63);

	if (r->group && !(r->bits[i >> 6] & b))
		r->nactive[r->group[i]]++;
	r->bits[i >> 6] |= b;
	r->parked[i] = -1;
	if (r->nidx) {
		if (r->on[i] >= 0) {
			r->on[i] = -1;
			r->nwaiting--;
		}
		r->lazy[i] = -1;
	}
}

/* Source i has no work: decisions skip it until it is activated. */
static inline void ready_clear(struct ready *r, int i)
{
	uint64_t b = (uint64_t)1 << (i & 63);

	if (r->group && (r->bits[i >> 6] & b))
		r->nactive[r->group[i]]--;
	r->bits[i >> 6] &= ~b;
}

static inline bool ready_is_active(const struct ready *r, int i)
{
	return r->bits[i >> 6] >> (i & 63) & 1;
}

/* Source i has nothing before t (> now): skip it until t or until activated. 0 or -ENOMEM
 * (the source then stays active, which is safe). */
int ready_park(struct ready *r, int i, double t);

/* Source i's TLP lacks the credits of index idx: skip it until they change (ready_credit),
 * until t (> now: the next return already known; INFINITY: none), or until activated; the
 * first decision at or after lazy (> now, or -1: none) looks at it without the port waking
 * for it. 0 or -ENOMEM (the source then stays active, which is safe). */
int ready_park_credit(struct ready *r, int i, int idx, double t, double lazy);

/* The credits of index idx changed: the sources parked on them are active again. */
void ready_credit(struct ready *r, int idx);
/* The next credit return of index idx is due at c now: its waiters parked until later are
 * parked until c (a no-op on NULL). */
void ready_credit_at(struct ready *r, int idx, double c);

/* Activate the sources parked until now or earlier, and those whose passive date is due. */
void ready_due(struct ready *r, double now);

/* The earliest date a parked source becomes active, or INFINITY. */
double ready_next(struct ready *r);

/* The first active source at or after i, or -1. */
int ready_next_active(const struct ready *r, int i);

#endif
