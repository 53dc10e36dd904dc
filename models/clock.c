/* clock.c - dated events run by a port's actor (clock.h). */
#include "clock.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"

static int before(const struct mclock_ev *a, const struct mclock_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void swap(struct mclock_ev *a, struct mclock_ev *b)
{
	struct mclock_ev x = *a;

	*a = *b;
	*b = x;
}

static void sift_down(struct mclock *c)
{
	for (uint32_t i = 0;;) {
		uint32_t l = 2 * i + 1, m = i;
		if (l < c->n && before(&c->h[l], &c->h[m]))
			m = l;
		if (l + 1 < c->n && before(&c->h[l + 1], &c->h[m]))
			m = l + 1;
		if (m == i)
			return;
		swap(&c->h[i], &c->h[m]);
		i = m;
	}
}

static void file(struct mclock *c, const struct mclock_ev *ev)
{
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? 2 * c->cap : 64;
		struct mclock_ev *h = mriov_realloc(c->h, cap * sizeof(*h));
		if (!h) {
			c->port->e->err = -ENOMEM;
			return;
		}
		c->h = h;
		c->cap = cap;
	}
	uint32_t i = c->n++;
	c->h[i] = *ev;
	c->h[i].seq = ++c->seq;
	for (; i && before(&c->h[i], &c->h[(i - 1) / 2]); i = (i - 1) / 2)
		swap(&c->h[i], &c->h[(i - 1) / 2]);
	src_wake_by(&c->src, ev->t);
	eng_signal_at(c->port, ev->t);
}

void mclock_at(struct mclock *c, double t, mclock_fn fn, void *obj, uint64_t arg)
{
	file(c, &(struct mclock_ev){.t = t, .fn = fn, .obj = obj, .arg = arg});
}

void mclock_at_stamped(struct mclock *c, double t, mclock_fn fn, void *obj, uint64_t arg,
		       uint32_t stamp)
{
	file(c, &(struct mclock_ev){.t = t, .fn = fn, .obj = obj, .arg = arg, .stamp = stamp,
				    .stamped = true});
}

/* Looking at the clock runs the events due by now, in (t, seq) order. */
static struct tlp *clock_peek(struct src *s, double now, double *next)
{
	struct mclock *c = (struct mclock *)s;

	while (c->n && c->h[0].t <= now && !c->port->e->err) {
		struct mclock_ev ev = c->h[0];
		c->h[0] = c->h[--c->n];
		sift_down(c);
		if (!ev.stamped || !c->stale || !c->stale(ev.obj, ev.stamp))
			ev.fn(ev.obj, ev.t, ev.arg);
	}
	/* after an error the due events stay unrun: a past date would make the port wait
	 * with a negative timeout, which SimGrid takes as none */
	s->wake = c->n && !c->port->e->err ? c->h[0].t : INFINITY;
	if (s->wake < *next)
		*next = s->wake;
	return NULL;
}

static struct tlp *clock_offered(const struct src *s)
{
	(void)s;
	return NULL;
}

static uint64_t clock_pending(const struct src *s, double by)
{
	(void)s;
	(void)by;
	return 0;
}

/* first: its events file TLPs into the port's other sources before they are looked at */
static const struct src_ops mclock_ops = {clock_peek, NULL, clock_offered, clock_pending, true,
					  NULL};

int mclock_init(struct mclock *c, struct port *p, int vh)
{
	c->src.ops = &mclock_ops;
	c->src.vh = vh;
	c->src.wake = INFINITY;
	c->port = p;
	c->stale = NULL;
	return eng_add_src(p, &c->src);
}

void mclock_run_due(struct port *p, double by)
{
	double t = nextafter(by, -INFINITY), next = INFINITY;

	for (int i = 0; i < p->nsrcs; i++)
		if (p->srcs[i]->ops == &mclock_ops)
			clock_peek(p->srcs[i], t, &next);
}

void mclock_destroy(struct mclock *c)
{
	free(c->h);
	c->h = NULL;
	c->n = c->cap = 0;
}
