/* rcal.h - a calendar in front of a port's parking heap (ready.c): dates far enough ahead
 * wait in a ring of unsorted buckets of width w, and join the heap a bucket at a time, in
 * order, when the heap runs empty. A port of thousands of DMA engines parks each until its
 * next arrival; with the calendar its heap holds the dates of one bucket, not thousands
 * (docs/performance.md, "Flatness by hosts"): a push touches a bucket's tail, a pop a
 * heap that stays in cache. The heap's order of (date, source) is unchanged: every date in
 * the heap comes before every date in the calendar, since a date's bucket is the floor of
 * date / w, which never decreases as the date grows. */
#ifndef MRIOV_RCAL_H
#define MRIOV_RCAL_H

#include <stdbool.h>
#include <stdint.h>

struct ready_timer;

struct rcal_bucket {
	struct ready_timer *v;
	int n, cap;
};

struct rcal {
	double w;                 /* bucket width, seconds */
	int nb;                   /* buckets in the ring (a power of two) */
	uint64_t cur;             /* the first bucket not in the heap: dates in buckets before
				   * it are in the heap */
	struct rcal_bucket *b;    /* [k & (nb - 1)]: bucket k, for cur <= k < cur + nb */
	int nring;                /* dates in the ring */
	uint64_t *used;           /* bit k & (nb - 1): that bucket holds dates */
	struct rcal_bucket ovf;   /* dates of buckets from cur + nb on, unsorted */
	uint64_t ovf_min;         /* the least bucket in ovf (UINT64_MAX: none) */
};

/* A calendar of nb buckets (a power of two) of width w. 0 or -ENOMEM (then safe to
 * rcal_destroy). */
int rcal_init(struct rcal *c, double w, int nb);
void rcal_destroy(struct rcal *c);
/* Is date t's bucket before cur (so it goes into the heap)? */
static inline bool rcal_near(const struct rcal *c, double t)
{
	return t / c->w < (double)c->cur; /* floor(t / w) < cur: cur is a whole number */
}
/* Keep (t, i), whose bucket is at or after cur. 0 or -ENOMEM. */
int rcal_add(struct rcal *c, double t, int i);
/* Dates waiting in the calendar. */
static inline int rcal_count(const struct rcal *c)
{
	return c->nring + c->ovf.n;
}
/* The next non-empty bucket, taken out: its dates (*n of them, unsorted) are the earliest
 * of the calendar and now belong in the heap; cur moves past it. The array stays the
 * calendar's, valid until its next call. NULL when the calendar is empty. */
const struct ready_timer *rcal_next(struct rcal *c, int *n);

/* Everything the calendar holds, a bucket (or the overflow) at a time, unsorted, taken
 * out (for a flush); NULL when empty. */
const struct ready_timer *rcal_take_all(struct rcal *c, int *n);

#endif
