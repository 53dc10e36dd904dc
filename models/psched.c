/* psched.c - a 4-ary min-heap of scheduled items by (date, order of scheduling), and the
 * items at or after a horizon set aside unordered. Every (date, order) is distinct, so the
 * order items come out in depends neither on the heap's shape nor on when the items set
 * aside join it: a binary heap of every item gave the same. The keys sit in the heap's
 * array, so a comparison does not read the item (a port, scattered over memory). */
#include "psched.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "alloc.h"

#define ARITY 4

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

static bool before(const struct sched_entry *a, const struct sched_entry *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void place(struct sched *s, struct sched_entry x, int k)
{
	s->h[k] = x;
	x.it->pos = k;
}

static void up(struct sched *s, int k)
{
	struct sched_entry x = s->h[k];

	while (k > 0 && before(&x, &s->h[(k - 1) / ARITY])) {
		place(s, s->h[(k - 1) / ARITY], k);
		k = (k - 1) / ARITY;
	}
	place(s, x, k);
}

static void down(struct sched *s, int k)
{
	struct sched_entry x = s->h[k];

	for (;;) {
		int c = ARITY * k + 1, last = c + ARITY < s->n ? c + ARITY : s->n;
		if (c >= s->n)
			break;
		for (int j = c + 1; j < last; j++)
			if (before(&s->h[j], &s->h[c]))
				c = j;
		if (!before(&s->h[c], &x))
			break;
		place(s, s->h[c], k);
		k = c;
	}
	place(s, x, k);
}

static void heap_add(struct sched *s, struct sched_item *it)
{
	place(s, (struct sched_entry){it->at, it->seq, it}, s->n++);
	up(s, it->pos);
}

static bool item_before(const struct sched_item *a, const struct sched_item *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
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
		heap_add(s, it);
}

void sched_lower(struct sched *s, struct sched_item *it, double at)
{
	if (it->pos == -1 || !(at < it->at))
		return;
	it->at = at;
	it->seq = ++s->seq;
	if (it->pos >= 0) {
		s->h[it->pos].at = at;
		s->h[it->pos].seq = it->seq;
		up(s, it->pos);
	} else if (at < s->horizon) {
		far_remove(s, it);
		heap_add(s, it);
	} else if (s->far_min && item_before(it, s->far_min)) {
		s->far_min = it;
	}
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

	if (!s->n) { /* an item set aside is due: from now on every item goes into the heap */
		s->horizon = INFINITY;
		for (int k = 0; k < s->nfar; k++)
			heap_add(s, s->far[k]);
		s->nfar = 0;
		s->far_min = NULL;
	}
	top = s->h[0].it;
	top->pos = -1;
	if (--s->n > 0) {
		place(s, s->h[s->n], 0);
		down(s, 0);
	}
	return top;
}
