/* psched.c - the items scheduled before a horizon in an array sorted by (date, order of
 * scheduling), the first to run last, and those at or after the horizon set aside
 * unordered. Every (date, order) is distinct, so the order items come out in depends
 * neither on the structure nor on when the items set aside join the array: the binary heap
 * of every item it replaces gave the same. The array holds each item's key beside its
 * pointer, so ordering reads only the array, not the items (ports, scattered over memory).
 * About ten items are scheduled before the horizon at once in a chassis of 128 hosts
 * (docs/performance.md, "Flatness by hosts"): a pop takes the last entry without a
 * comparison and a push moves the entries that run before it, where a heap's comparisons
 * are as many and their branches unpredictable. */
#include "psched.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "alloc.h"

int sched_init(struct sched *s, int cap)
{
	size_t n = cap > 0 ? (size_t)cap : 1;

	s->n = s->nfar = 0;
	s->far_min = NULL;
	s->seq = 0;
	s->cap = cap;
	s->horizon = INFINITY;
	s->h = mriov_calloc(n, sizeof(*s->h));
	s->far = mriov_calloc(n, sizeof(*s->far));
	return s->h && s->far ? 0 : -ENOMEM;
}

void sched_set_horizon(struct sched *s, double horizon)
{
	s->horizon = horizon;
}

void sched_free(struct sched *s)
{
	if (!s)
		return;
	free(s->h);
	free(s->far);
	s->h = NULL;
	s->far = NULL;
	s->n = s->cap = s->nfar = 0;
	s->far_min = NULL;
}

static bool item_before(const struct sched_item *a, const struct sched_item *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

/* Into the array, after the entries that run later (it->pos 0: in the array; its place
 * is found by its key). */
static void near_add(struct sched *s, struct sched_item *it)
{
	int k = s->n;

	while (k > 0 && (s->h[k - 1].at < it->at ||
			 (s->h[k - 1].at == it->at && s->h[k - 1].seq < it->seq))) {
		s->h[k] = s->h[k - 1];
		k--;
	}
	s->h[k] = (struct sched_entry){it->at, it->seq, it};
	s->n++;
	it->pos = 0;
}

/* Out of the array, where it is under its key. */
static void near_remove(struct sched *s, const struct sched_item *it)
{
	int k = s->n - 1;
	struct sched_entry next = s->h[k];

	while (next.it != it) { /* the entries after it move down by one */
		struct sched_entry x = s->h[k - 1];
		s->h[k - 1] = next;
		next = x;
		k--;
	}
	s->n--;
}

/* Set aside: its place in far[] is -2 - pos. far_min, when known, is the first of them. */
static void far_add(struct sched *s, struct sched_item *it)
{
	it->pos = -2 - s->nfar;
	s->far[s->nfar++] = it;
	if (s->nfar == 1 || (s->far_min && item_before(it, s->far_min)))
		s->far_min = it;
}

static void far_remove(struct sched *s, struct sched_item *it)
{
	int k = -2 - it->pos;
	struct sched_item *last = s->far[--s->nfar];

	s->far[k] = last;
	last->pos = -2 - k;
	it->pos = -1;
	if (s->far_min == it)
		s->far_min = NULL; /* unknown until asked */
}

void sched_push(struct sched *s, struct sched_item *it, double at)
{
	it->at = at;
	it->seq = ++s->seq;
	if (at >= s->horizon)
		far_add(s, it);
	else
		near_add(s, it);
}

void sched_lower(struct sched *s, struct sched_item *it, double at)
{
	if (it->pos == -1 || !(at < it->at))
		return;
	if (it->pos >= 0) {
		near_remove(s, it);
	} else if (at < s->horizon) {
		far_remove(s, it);
	} else { /* it stays aside */
		it->at = at;
		it->seq = ++s->seq;
		if (s->far_min && item_before(it, s->far_min))
			s->far_min = it;
		return;
	}
	it->at = at;
	it->seq = ++s->seq;
	near_add(s, it);
}

/* Nothing is scheduled before the horizon: the first of the items set aside (they are
 * few to scan, since only taking off the first makes it unknown). */
struct sched_item *sched_top_far(struct sched *s)
{
	if (!s->nfar)
		return NULL;
	if (!s->far_min) {
		s->far_min = s->far[0];
		for (int k = 1; k < s->nfar; k++)
			if (item_before(s->far[k], s->far_min))
				s->far_min = s->far[k];
	}
	return s->far_min;
}

struct sched_item *sched_pop(struct sched *s)
{
	struct sched_item *top;

	if (!s->n) { /* an item set aside is due: from now on every item goes into the array */
		s->horizon = INFINITY;
		for (int k = 0; k < s->nfar; k++)
			near_add(s, s->far[k]);
		s->nfar = 0;
		s->far_min = NULL;
	}
	top = s->h[--s->n].it;
	top->pos = -1;
	return top;
}
