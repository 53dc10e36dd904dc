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

int ready_init_groups(struct ready *r, const int *group, int ngroups)
{
	r->nactive = mriov_calloc(ngroups > 0 ? (size_t)ngroups : 1, sizeof(*r->nactive));
	if (!r->nactive)
		return -ENOMEM;
	for (int i = 0; i < r->n; i++)
		if (ready_is_active(r, i))
			r->nactive[group[i]]++;
	r->group = group;
	return 0;
}

int ready_init_credits(struct ready *r, int nidx)
{
	size_t n = r->n ? (size_t)r->n : 1;

	r->wait = mriov_calloc(nidx ? (size_t)nidx : 1, sizeof(*r->wait));
	r->on = mriov_malloc(n * sizeof(*r->on));
	r->listed = mriov_malloc(n * sizeof(*r->listed));
	r->lazy = mriov_malloc(n * sizeof(*r->lazy));
	r->wdate = mriov_malloc((nidx ? (size_t)nidx : 1) * sizeof(*r->wdate));
	if (!r->wait || !r->on || !r->listed || !r->lazy || !r->wdate)
		return -ENOMEM;
	for (int q = 0; q < nidx; q++)
		r->wdate[q] = INFINITY;
	for (int i = 0; i < r->n; i++) {
		r->on[i] = r->listed[i] = -1;
		r->lazy[i] = -1;
	}
	r->nidx = nidx;
	return 0;
}

void ready_destroy(struct ready *r)
{
	if (!r)
		return;
	for (int q = 0; r->wait && q < r->nidx; q++)
		free(r->wait[q].v);
	free(r->wait);
	free(r->on);
	free(r->listed);
	free(r->lazy);
	free(r->wdate);
	free(r->lheap);
	free(r->bits);
	free(r->nactive);
	free(r->parked);
	free(r->heap);
	memset(r, 0, sizeof(*r));
}

static bool before(const struct ready_timer *a, const struct ready_timer *b)
{
	return a->t < b->t || (a->t == b->t && a->i < b->i);
}

/* A binary min-heap of (date, source): the parking dates, and the passive ones. */
struct heap {
	struct ready_timer **v;
	int *n, *cap;
};

static void sift_up(struct ready_timer *h, int k)
{
	struct ready_timer x = h[k];

	while (k > 0 && before(&x, &h[(k - 1) / 2])) {
		h[k] = h[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	h[k] = x;
}

static void pop_top(struct ready_timer *h, int *n)
{
	struct ready_timer x = h[--*n];
	int k = 0;

	for (;;) {
		int c = 2 * k + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && before(&h[c + 1], &h[c]))
			c++;
		if (!before(&h[c], &x))
			break;
		h[k] = h[c];
		k = c;
	}
	if (*n)
		h[k] = x;
}

static int heap_push(struct heap h, double t, int i)
{
	if (*h.n == *h.cap) {
		int cap = *h.cap ? 2 * *h.cap : 16;
		struct ready_timer *v = mriov_realloc(*h.v, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		*h.v = v;
		*h.cap = cap;
	}
	(*h.v)[*h.n] = (struct ready_timer){t, i};
	sift_up(*h.v, (*h.n)++);
	return 0;
}

int ready_park(struct ready *r, int i, double t)
{
	if (isfinite(t) && heap_push((struct heap){&r->heap, &r->nheap, &r->capheap}, t, i))
		return -ENOMEM;
	ready_clear(r, i);
	r->parked[i] = t;
	return 0;
}

int ready_park_credit(struct ready *r, int i, int idx, double t, double lazy)
{
	struct ready_list *w = &r->wait[idx];

	if (r->listed[i] != idx) {
		if (w->n == w->cap) {
			int cap = w->cap ? 2 * w->cap : 8;
			int *v = mriov_realloc(w->v, (size_t)cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			w->v = v;
			w->cap = cap;
		}
		w->v[w->n++] = i;
		r->listed[i] = idx;
	}
	if (lazy >= 0 && lazy < t &&
	    heap_push((struct heap){&r->lheap, &r->nlheap, &r->caplheap}, lazy, i))
		return -ENOMEM;
	if (ready_park(r, i, t))
		return -ENOMEM;
	r->on[i] = idx;
	r->wdate[idx] = fmax(r->wdate[idx], t); /* an upper bound of its waiters' dates */
	r->nwaiting++;
	r->lazy[i] = lazy >= 0 && lazy < t ? lazy : -1;
	return 0;
}

void ready_credit(struct ready *r, int idx)
{
	struct ready_list *w;

	if (!r || idx >= r->nidx)
		return;
	w = &r->wait[idx];
	for (int k = 0; k < w->n; k++) {
		int i = w->v[k];
		if (r->listed[i] != idx)
			continue; /* listed again elsewhere since */
		r->listed[i] = -1;
		if (r->on[i] == idx)
			ready_activate(r, i);
	}
	w->n = 0;
}

void ready_credit_at(struct ready *r, int idx, double c)
{
	struct ready_list *w;

	if (!r || idx >= r->nidx || !(c < r->wdate[idx]))
		return;
	r->wdate[idx] = c;
	w = &r->wait[idx];
	for (int k = 0; k < w->n; k++) {
		int i = w->v[k];
		if (r->listed[i] != idx || r->on[i] != idx || !(c < r->parked[i]))
			continue;
		if (heap_push((struct heap){&r->heap, &r->nheap, &r->capheap}, c, i))
			ready_activate(r, i); /* no room for its date: looked at now, which is safe */
		else
			r->parked[i] = c;
	}
}

/* Drop heap tops whose source was activated (or parked again to another date) since. */
static inline void drop_stale(struct ready *r)
{
	while (r->nheap && r->parked[r->heap[0].i] != r->heap[0].t)
		pop_top(r->heap, &r->nheap);
}

/* The same for the passive dates (their source's date moved, or it was activated). */
static void drop_stale_lazy(struct ready *r)
{
	while (r->nlheap && r->lazy[r->lheap[0].i] != r->lheap[0].t)
		pop_top(r->lheap, &r->nlheap);
}

void ready_due(struct ready *r, double now)
{
	for (drop_stale(r); r->nheap && r->heap[0].t <= now; drop_stale(r)) {
		int i = r->heap[0].i;
		pop_top(r->heap, &r->nheap);
		ready_activate(r, i);
	}
	if (!r->nlheap)
		return;
	for (drop_stale_lazy(r); r->nlheap && r->lheap[0].t <= now; drop_stale_lazy(r)) {
		int i = r->lheap[0].i;
		pop_top(r->lheap, &r->nlheap);
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
