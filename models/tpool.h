/* tpool.h - a count of units (flow-control credits, read tags) whose returns are dated:
 * a unit given back "at time t" is available only to decisions taken at t or later. */
#ifndef MRIOV_TPOOL_H
#define MRIOV_TPOOL_H

#include <stdbool.h>
#include <stdint.h>

struct tpool_ret {
	double t;
	int64_t n;
};

/* What taking, giving and asking read every time sits in the first 40 bytes (48 in all),
 * so that it spans one cache line in most places of an array of them. */
struct tpool {
	uint32_t head, count, cap;
	bool infinite;
	bool taken, shared; /* a tag pool: some source takes from it, more than one does
			     * (tpool_add_taker); else only its own sends lower it */
	int64_t avail;  /* units available, returns due so far applied */
	struct tpool_ret *ret; /* pending returns, sorted by time */
	int64_t pending; /* units given back but not yet due */
	int64_t limit;  /* units advertised */
};

/* limit < 0 makes the pool infinite. Returns 0 or -ENOMEM. */
int tpool_init(struct tpool *p, int64_t limit);
void tpool_destroy(struct tpool *p);

/* Units available at time now (applies every return due by then). */
int64_t tpool_avail(struct tpool *p, double now);
/* Is no unit available at now? Only then can a taker wait for a return: whoever gives units
 * back wakes the takers when this held before the give (a finite pool). */
static inline bool tpool_exhausted(struct tpool *p, double now)
{
	return tpool_avail(p, now) < 1;
}
/* A source that takes units from p (a requester of read tags), counted at build. */
static inline void tpool_add_taker(struct tpool *p)
{
	p->shared = p->taken;
	p->taken = true;
}
/* Time of the earliest pending return, or INFINITY. */
double tpool_next_return(const struct tpool *p);
/* Take n units (the caller checked tpool_avail). */
void tpool_take(struct tpool *p, int64_t n);
/* Give n units back at time t. Returns 0 or -ENOMEM. */
int tpool_give(struct tpool *p, int64_t n, double t);
/* Units in use: neither available nor pending return. */
int64_t tpool_in_use(const struct tpool *p);

#endif
