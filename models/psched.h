/* psched.h - the dates at which the egress ports next run: a binary min-heap of items by
 * (date, order of scheduling), so that items due at the same date run first come, first
 * served (engine.c runs every port in one SimGrid actor from it). */
#ifndef MRIOV_PSCHED_H
#define MRIOV_PSCHED_H

#include <stddef.h>
#include <stdint.h>

struct sched_item {
	double at;    /* the date it runs next */
	uint64_t seq; /* when it was scheduled at that date (ties: the earlier first) */
	int pos;      /* its place in the heap, -1: not scheduled */
};

struct sched {
	struct sched_item **h;
	int n, cap;
	uint64_t seq;
};

/* Room for cap items; 0 or -ENOMEM. sched_free(NULL) and of a zeroed sched are no-ops. */
int sched_init(struct sched *s, int cap);
void sched_free(struct sched *s);
/* Schedules it (not scheduled; at most cap items at once) at date at. */
void sched_push(struct sched *s, struct sched_item *it, double at);
/* A scheduled it runs at `at` instead when that is earlier, after the items already due
 * then; an item not scheduled, or scheduled earlier, is left alone. */
void sched_lower(struct sched *s, struct sched_item *it, double at);
/* The item that runs first, or NULL; sched_pop takes it off. */
static inline struct sched_item *sched_top(const struct sched *s)
{
	return s->n ? s->h[0] : NULL;
}
struct sched_item *sched_pop(struct sched *s);

#endif
