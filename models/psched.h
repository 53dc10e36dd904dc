/* psched.h - the dates at which the egress ports next run: items ordered by (date, order
 * of scheduling), so that items due at the same date run first come, first served
 * (engine.c runs every port in one SimGrid actor from it). The ordered array holds each
 * item's key beside its pointer, so that ordering reads only the array, not the items
 * (ports, scattered over memory: docs/performance.md, "Flatness by hosts"). */
#ifndef MRIOV_PSCHED_H
#define MRIOV_PSCHED_H

#include <stddef.h>
#include <stdint.h>

struct sched_item {
	double at;    /* the date it runs next */
	uint64_t seq; /* when it was scheduled at that date (ties: the earlier first) */
	int pos;      /* 0: in the ordered array; <= -2: among those set aside (see
		       * sched_set_horizon); -1: not scheduled */
};

struct sched_entry {
	double at;    /* it->at and it->seq, kept here for the comparisons */
	uint64_t seq;
	struct sched_item *it;
};

struct sched {
	struct sched_entry *h; /* the items scheduled before the horizon, the first last */
	int n, cap;
	uint64_t seq;
	double horizon;        /* items at or after it wait in far[], unordered */
	struct sched_item **far;
	int nfar;
	struct sched_item *far_min; /* the first of far[], NULL: unknown (or none) */
};

/* Room for cap items; 0 or -ENOMEM. sched_free(NULL) and of a zeroed sched are no-ops. */
int sched_init(struct sched *s, int cap);
/* Items scheduled at or after `horizon` (the end of the run: where a port waits that has
 * no date) are set aside, unordered, until no item is scheduled before it; they then come
 * out in the same order as the others would. Most ports of a large chassis wait so
 * (docs/performance.md, "Flatness by hosts"): the ordered array holds only the dated ones.
 * Call it before scheduling any item. */
void sched_set_horizon(struct sched *s, double horizon);
void sched_free(struct sched *s);
/* Schedules it (not scheduled; at most cap items at once) at date at. */
void sched_push(struct sched *s, struct sched_item *it, double at);
/* A scheduled it runs at `at` instead when that is earlier, after the items already due
 * then; an item not scheduled, or scheduled earlier, is left alone. */
void sched_lower(struct sched *s, struct sched_item *it, double at);
struct sched_item *sched_top_far(struct sched *s);
/* The item that runs first, or NULL; sched_pop takes it off. */
static inline struct sched_item *sched_top(struct sched *s)
{
	return s->n ? s->h[s->n - 1].it : sched_top_far(s);
}
struct sched_item *sched_pop(struct sched *s);

#endif
