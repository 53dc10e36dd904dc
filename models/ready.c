/* ready.c - active-source bitmap and parking heap of one egress port. */
#include "ready.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

int ready_init(struct ready *r, int n)
{
	int nw = (n + 63) / 64;

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->bits = mriov_calloc(nw ? (size_t)nw : 1, sizeof(*r->bits));
	r->parked = mriov_malloc((n ? (size_t)n : 1) * sizeof(*r->parked));
	if (!r->bits || !r->parked)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		ready_activate(r, i);
	return 0;
}

void ready_destroy(struct ready *r)
{
	if (!r)
		return;
	free(r->bits);
	free(r->parked);
	free(r->heap);
	r->bits = NULL;
	r->parked = NULL;
	r->heap = NULL;
	r->n = r->nheap = r->capheap = 0;
}

static bool before(const struct ready_timer *a, const struct ready_timer *b)
{
	return a->t < b->t || (a->t == b->t && a->i < b->i);
}

static void sift_up(struct ready *r, int k)
{
	struct ready_timer x = r->heap[k];

	while (k > 0 && before(&x, &r->heap[(k - 1) / 2])) {
		r->heap[k] = r->heap[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	r->heap[k] = x;
}

static void pop_top(struct ready *r)
{
	struct ready_timer x = r->heap[--r->nheap];
	int k = 0;

	for (;;) {
		int c = 2 * k + 1;
		if (c >= r->nheap)
			break;
		if (c + 1 < r->nheap && before(&r->heap[c + 1], &r->heap[c]))
			c++;
		if (!before(&r->heap[c], &x))
			break;
		r->heap[k] = r->heap[c];
		k = c;
	}
	if (r->nheap)
		r->heap[k] = x;
}

int ready_park(struct ready *r, int i, double t)
{
	if (isfinite(t)) {
		if (r->nheap == r->capheap) {
			int cap = r->capheap ? 2 * r->capheap : 16;
			struct ready_timer *h = mriov_realloc(r->heap, (size_t)cap * sizeof(*h));
			if (!h)
				return -ENOMEM;
			r->heap = h;
			r->capheap = cap;
		}
		r->heap[r->nheap] = (struct ready_timer){t, i};
		sift_up(r, r->nheap++);
	}
	ready_clear(r, i);
	r->parked[i] = t;
	return 0;
}

/* Drop heap tops whose source was activated (or parked again to another date) since. */
static void drop_stale(struct ready *r)
{
	while (r->nheap && r->parked[r->heap[0].i] != r->heap[0].t)
		pop_top(r);
}

void ready_due(struct ready *r, double now)
{
	for (drop_stale(r); r->nheap && r->heap[0].t <= now; drop_stale(r)) {
		int i = r->heap[0].i;
		pop_top(r);
		ready_activate(r, i);
	}
}

double ready_next(struct ready *r)
{
	drop_stale(r);
	return r->nheap ? r->heap[0].t : INFINITY;
}

int ready_next_active(const struct ready *r, int i)
{
	int nw = (r->n + 63) / 64;

	if (i >= r->n)
		return -1;
	int w = i >> 6;
	uint64_t m = r->bits[w] & (~(uint64_t)0 << (i & 63));
	while (!m) {
		if (++w >= nw)
			return -1;
		m = r->bits[w];
	}
	return w * 64 + __builtin_ctzll(m);
}
