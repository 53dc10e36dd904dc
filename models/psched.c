/* psched.c - a binary min-heap of scheduled items by (date, order of scheduling). */
#include "psched.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "alloc.h"

int sched_init(struct sched *s, int cap)
{
	s->n = 0;
	s->seq = 0;
	s->cap = cap;
	s->h = mriov_calloc(cap > 0 ? (size_t)cap : 1, sizeof(*s->h));
	return s->h ? 0 : -ENOMEM;
}

void sched_free(struct sched *s)
{
	if (!s)
		return;
	free(s->h);
	s->h = NULL;
	s->n = s->cap = 0;
}

static bool before(const struct sched_item *a, const struct sched_item *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void place(struct sched *s, struct sched_item *it, int k)
{
	s->h[k] = it;
	it->pos = k;
}

static void up(struct sched *s, int k)
{
	struct sched_item *it = s->h[k];

	while (k > 0 && before(it, s->h[(k - 1) / 2])) {
		place(s, s->h[(k - 1) / 2], k);
		k = (k - 1) / 2;
	}
	place(s, it, k);
}

static void down(struct sched *s, int k)
{
	struct sched_item *it = s->h[k];

	for (;;) {
		int c = 2 * k + 1;
		if (c >= s->n)
			break;
		if (c + 1 < s->n && before(s->h[c + 1], s->h[c]))
			c++;
		if (!before(s->h[c], it))
			break;
		place(s, s->h[c], k);
		k = c;
	}
	place(s, it, k);
}

void sched_push(struct sched *s, struct sched_item *it, double at)
{
	it->at = at;
	it->seq = ++s->seq;
	place(s, it, s->n++);
	up(s, it->pos);
}

void sched_lower(struct sched *s, struct sched_item *it, double at)
{
	if (it->pos < 0 || !(at < it->at))
		return;
	it->at = at;
	it->seq = ++s->seq;
	up(s, it->pos);
}

struct sched_item *sched_pop(struct sched *s)
{
	struct sched_item *top = s->h[0];

	top->pos = -1;
	if (--s->n > 0) {
		place(s, s->h[s->n], 0);
		down(s, 0);
	}
	return top;
}
