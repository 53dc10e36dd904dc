/* rcal.h - a calendar in front of a port's parking heap (ready.c): dates far enough ahead
 * wait in unsorted buckets and join the heap a bucket at a time, in order, when the heap
 * runs empty. A port of thousands of DMA engines parks each until its next arrival; with
 * the calendar its heap holds the dates of one bucket, not thousands (docs/performance.md,
 * "Flatness by hosts"): a push touches a bucket's tail, a pop a heap that stays in cache.
 *
 * Two levels, as a hierarchical timing wheel: date t is in fine bucket k = floor(t / w)
 * and coarse bucket k / nb. The fine ring holds the rest of the coarse bucket being run,
 * the coarse ring the next nb - 1 coarse buckets, an overflow list what lies beyond. When
 * the fine ring is spent, the next coarse bucket's dates are spread into it. The heap's
 * order of (date, source) is unchanged: every date in the heap comes before every date in
 * the calendar, since k never decreases as t grows (a product by 1 / w, rounded, is
 * monotonic in t). */
#ifndef MRIOV_RCAL_H
#define MRIOV_RCAL_H

#include <stdbool.h>
#include <stdint.h>

struct ready_timer;

struct rcal_bucket {
	struct ready_timer *v;
	int n, cap;
};

struct rcal_ring {
	struct rcal_bucket *b;    /* [k & (nb - 1)] */
	uint64_t *used;           /* bit k & (nb - 1): that bucket holds dates */
	int n;                    /* dates in it */
};

struct rcal {
	double per;               /* 1 / the fine buckets' width (s): date t's is floor(t * per) */
	int nb, shift;            /* buckets per ring (1 << shift) */
	uint64_t cur;             /* the first fine bucket not in the heap: dates of the
				   * buckets before it are in the heap */
	struct rcal_ring fine;    /* fine buckets cur .. the end of coarse bucket cur >> shift */
	struct rcal_ring coarse;  /* coarse buckets after cur's, up to nb - 1 of them */
	struct rcal_bucket ovf;   /* dates of coarse buckets beyond, unsorted */
	struct rcal_bucket out;   /* the last bucket handed out, when the next had to be spread
				   * into the fine ring (rcal_next) */
	uint64_t ovf_min;         /* the least coarse bucket in ovf (UINT64_MAX: none) */
	uint64_t through;         /* dates that went through it (a count for tests) */
	bool err;                 /* an allocation failed: rcal_next gives up */
};

/* A calendar of rings of nb buckets (a power of two, at least 64), the fine ones of width
 * w. 0 or -ENOMEM (then safe to rcal_destroy). */
int rcal_init(struct rcal *c, double w, int nb);
void rcal_destroy(struct rcal *c);
/* Is date t's bucket before cur (so it goes into the heap)? */
static inline bool rcal_near(const struct rcal *c, double t)
{
	return t * c->per < (double)c->cur; /* floor(t / w) < cur: cur is a whole number */
}
/* Keep (t, i), whose bucket is at or after cur. 0 or -ENOMEM. */
int rcal_add(struct rcal *c, double t, int i);
/* Dates waiting in the calendar. */
static inline int rcal_count(const struct rcal *c)
{
	return c->fine.n + c->coarse.n + c->ovf.n;
}
/* The next non-empty fine bucket, taken out: its dates (*n of them, unsorted) are the
 * earliest of the calendar and now belong in the heap; cur moves past it. The array stays
 * the calendar's, valid until its next call. NULL when the calendar is empty, or when
 * spreading a coarse bucket failed for memory (the dates stay in the calendar: ready.c
 * then takes them all, rcal_take_all). */
const struct ready_timer *rcal_next(struct rcal *c, int *n);
/* Everything the calendar holds, a bucket (or the overflow) at a time, unsorted, taken
 * out; NULL when empty. */
const struct ready_timer *rcal_take_all(struct rcal *c, int *n);

#endif
