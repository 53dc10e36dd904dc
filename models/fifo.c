/* fifo.c - the engine's FIFO source (switch ingress buffers, root-complex, ATS and device
 * models' queues): push, pop, what it offers; and the switch receiver that files TLPs into
 * its ingress FIFOs. */
#include "engine.h"

#include <errno.h>
#include <math.h>

static struct tlp *src_pop(struct src *s);

/* FIFO s's head, or what it may send, changed: its ports look at it again. A FIFO that
 * feeds several ports (a switch's shared ingress buffers feed every egress port) matters
 * only to the port its head is for, and to `old` (that of the head before, or NULL), the
 * only one where it could have waited, been a candidate or a known pick (ready.h,
 * decide.c), once its head is ready: a decision of another port then finds nothing at it
 * that counts (it clears it, bound elsewhere). A head not ready yet gives every port that
 * looks at it its date (offer(), decide.c), so they all look, as a full scan would: a FIFO
 * of many ports has each of them look at its next decision (port_catch_up). */
static void fifo_activate(struct src *s, const struct port *old)
{
	if (s->nown <= 1) {
		src_activate(s);
		return;
	}
	const struct tlp *h = s->head;
	bool ready = h && h->ready <= s->own[0].p->e->now;
	if (!ready && s->nown < SRC_BCAST_OWNERS) {
		src_activate(s);
		return;
	}
	const struct port *p = h ? h->route->ports[h->hop] : NULL;
	if (!ready)
		s->bc_epoch++; /* every port: each at its next decision */
	if (p)
		src_activate_at(s, p);
	if (old && old != p)
		src_activate_at(s, old);
}

/* A posted FIFO's head changed: the requests and completions it may hold back are looked
 * at again (one parked on credits may be behind an older posted write now). */
static void activate_behind(struct src *s)
{
	for (int k = 0; k < 2; k++)
		if (s->behind[k])
			fifo_activate(s->behind[k], NULL);
}

/* ---- the FIFO source: switch ingress buffers, root-complex and ATS queues ---- */

static struct tlp *fifo_peek(struct src *s, double now, double *next)
{
	struct tlp *t = s->head;

	if (t && t->ready > now) {
		*next = t->ready;
		return NULL;
	}
	return t;
}

static struct tlp *fifo_offered(const struct src *s)
{
	return s->head;
}

/* The head left through p, its tail gone at end: the buffer's credits go back upstream,
 * and the ports the new head and the heads it held back are for may send. */
static void fifo_pop(struct src *s, struct tlp *t, struct port *p, double end)
{
	src_pop(s);
	if (s->tags) { /* a request leaves its requester: its completion timeout runs from now */
		tpool_take(s->tags, 1);
		t->t0 = p->e->now;
	}
	/* the buffer it held is free when its tail has left; UpdateFC travels back */
	if (s->ret) {
		if (fc_return(s->ret, s->ret_idx, t->payload, end))
			p->e->err = -ENOMEM;
		eng_signal_at(s->feeder, end + s->ret->lat);
	}
	if (s->head && s->head->route->ports[s->head->hop] != p)
		eng_signal_at(s->head->route->ports[s->head->hop], s->head->ready);
	for (int k = 0; k < 2; k++) { /* requests and completions it held back */
		const struct tlp *h = s->behind[k] ? s->behind[k]->head : NULL;
		if (h)
			eng_signal_at(h->route->ports[h->hop], h->ready);
	}
}

static uint64_t fifo_pending(const struct src *s, double by)
{
	uint64_t n = 0;

	for (const struct tlp *t = s->head; t; t = t->next)
		n += t->ready <= by;
	return n;
}

const struct src_ops eng_fifo_ops = {fifo_peek, fifo_pop, fifo_offered, fifo_pending, false,
				     NULL};

void src_init_fifo(struct src *s, int cls, int vh)
{
	s->ops = &eng_fifo_ops;
	s->cls = cls;
	s->vh = vh;
	s->wake = INFINITY;
}

void src_push(struct src *s, struct tlp *t)
{
	t->next = NULL;
	if (s->tail)
		s->tail->next = t;
	else
		s->head = t;
	s->tail = t;
	src_count(s, 1);
	if (s->head == t) { /* a new head: what the FIFO offers changed */
		s->wake = 0;
		fifo_activate(s, NULL);
		activate_behind(s);
	}
}

static struct tlp *src_pop(struct src *s)
{
	struct tlp *t = s->head;

	s->head = t->next;
	if (!s->head) {
		s->tail = NULL;
		s->wake = INFINITY; /* an empty FIFO offers nothing until a push */
	} else { /* the new head may be for another port */
		fifo_activate(s, t->route->ports[t->hop]);
	}
	activate_behind(s);
	src_count(s, -1);
	t->next = NULL;
	return t;
}


void src_fifo_drop(struct eng *e, struct src *s)
{
	if (!s->head)
		return;
	while (s->head)
		eng_tlp_free(e, src_pop(s));
	/* emptied outside its ports' decisions: a port that trusted its head (a candidate
	 * known to send, ready.h) or kept it as its credit set's candidate looks again */
	src_activate(s);
}

/* A switch files a TLP in the ingress buffer of its VH and class: its egress port may
 * start it at header arrival + switch latency (cut-through), not end before its tail. */
static void switch_receive(void *ep, struct port *in, struct tlp *t, double hdr, double tail)
{
	struct src *q = in->rx_q[fc_index(&in->fc, t->vh, t->cls)];

	(void)ep;
	t->hop++;
	t->ready = hdr + in->sw_latency;
	t->tail_in = tail;
	src_push(q, t);
	if (q->head == t)
		eng_signal_at(t->route->ports[t->hop], t->ready);
}

const struct eng_endpoint_ops eng_switch_endpoint = {"switch", switch_receive};
