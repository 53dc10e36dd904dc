/* dheap.c - an indexed min-heap of dates (dheap.h). */
#include "dheap.h"

#include <errno.h>
#include <stdlib.h>

#include "alloc.h"

static void put(struct dheap *d, int i, struct dheap_item *it)
{
	d->h[i] = it;
	it->pos = i;
}

/* The item at i moves up or down to its place. */
static void fix(struct dheap *d, int i)
{
	struct dheap_item *it = d->h[i];

	while (i && it->at < d->h[(i - 1) / 2]->at) {
		put(d, i, d->h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	for (;;) {
		int l = 2 * i + 1, m = l;
		if (l >= d->n)
			break;
		if (l + 1 < d->n && d->h[l + 1]->at < d->h[l]->at)
			m = l + 1;
		if (!(d->h[m]->at < it->at))
			break;
		put(d, i, d->h[m]);
		i = m;
	}
	put(d, i, it);
}

int dheap_add(struct dheap *d, struct dheap_item *it, double at)
{
	if (d->n == d->cap) {
		int cap = d->cap ? 2 * d->cap : 16;
		struct dheap_item **h = mriov_realloc(d->h, (size_t)cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		d->h = h;
		d->cap = cap;
	}
	it->at = at;
	put(d, d->n++, it);
	fix(d, it->pos);
	return 0;
}

void dheap_move(struct dheap *d, struct dheap_item *it, double at)
{
	it->at = at;
	fix(d, it->pos);
}

void dheap_free(struct dheap *d)
{
	if (!d)
		return;
	free(d->h);
	d->h = NULL;
	d->n = d->cap = 0;
}
