/* ready_heap.c - the ready set's heaps of dates, and the calendar in front of the parking
 * heap of a large port (rcal.h). */
#include "ready_priv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "rcal.h"

static bool before(const struct ready_timer *a, const struct ready_timer *b)
{
	return a->t < b->t || (a->t == b->t && a->i < b->i);
}

static void sift_up(struct ready_timer *h, int k)
{
	struct ready_timer x = h[k];

	while (k > 0 && before(&x, &h[(k - 1) / 2])) {
		h[k] = h[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	h[k] = x;
}

void ready_heap_pop(struct heap hp)
{
	struct ready_timer *h = *hp.v, x = h[--*hp.n];
	int n = *hp.n, k = 0;

	for (;;) {
		int c = 2 * k + 1;
		if (c >= n)
			break;
		if (c + 1 < n && before(&h[c + 1], &h[c]))
			c++;
		if (!before(&h[c], &x))
			break;
		h[k] = h[c];
		k = c;
	}
	if (n)
		h[k] = x;
	*hp.top = n ? h[0].t : INFINITY;
}

int ready_heap_push(struct heap h, double t, int i)
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
	*h.top = (*h.v)[0].t;
	return 0;
}

void ready_pop_dated(struct heap h, double *in)
{
	const struct ready_timer *top = &(*h.v)[0];

	if (in[top->i] == top->t)
		in[top->i] = -1;
	ready_heap_pop(h);
}

int ready_init_calendar(struct ready *r, double w, int nb)
{
	if (!(r->cal = mriov_calloc(1, sizeof(*r->cal))))
		return -ENOMEM;
	return rcal_init(r->cal, w, nb);
}

/* Date x of the calendar comes due now (it found no room in the heap): its source, or its
 * credit index's waiters, if it is still theirs, are looked at early, which is safe. */
static void due_early(struct ready *r, struct ready_timer x)
{
	if (x.i < r->n && r->s[x.i].parked == x.t) {
		ready_activate(r, x.i);
	} else if (x.i >= r->n && r->wdate[x.i - r->n] == x.t) {
		ready_activate_all(r, x.i - r->n);
		r->wdate[x.i - r->n] = INFINITY;
	}
}

/* Every date the calendar holds comes due at once (an allocation failed), and the
 * calendar is left empty. */
static void cal_flush(struct ready *r)
{
	int n;
	const struct ready_timer *v;

	while ((v = rcal_take_all(r->cal, &n)))
		for (int k = 0; k < n; k++)
			due_early(r, v[k]);
}

/* The heap ran empty: the calendar's next bucket joins it (rcal.h). */
static void cal_refill(struct ready *r)
{
	int n = 0;
	const struct ready_timer *v = rcal_next(r->cal, &n);

	if (!v) {
		if (rcal_count(r->cal))
			cal_flush(r);
		return;
	}
	for (int k = 0; k < n; k++)
		if (ready_heap_push(ready_src_heap(r), v[k].t, v[k].i)) { /* no room: all now */
			for (; k < n; k++)
				due_early(r, v[k]);
			cal_flush(r);
			return;
		}
}

int ready_src_push(struct ready *r, double t, int i)
{
	if (!r->cal || rcal_near(r->cal, t))
		return ready_heap_push(ready_src_heap(r), t, i);
	if (rcal_add(r->cal, t, i))
		return -ENOMEM;
	if (!r->nheap) /* the heap's top is the earliest date */
		cal_refill(r);
	return 0;
}

void ready_src_pop(struct ready *r)
{
	ready_heap_pop(ready_src_heap(r));
	if (!r->nheap && r->cal && rcal_count(r->cal))
		cal_refill(r);
}
