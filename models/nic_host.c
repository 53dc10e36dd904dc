/* nic_host.c - the NIC's clocks (sources that run dated events) and the host driver's side
 * of contract §6: TX frames posted in the ring and announced by tail writes, packets taken
 * on their interrupt (or at once when polling), RX buffers returned by tail writes, head
 * registers read, and pending tails written after doorbell_timeout. */
#include "nic.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "mmio.h"

/* ---- clocks ---- */

static bool ev_before(const struct nic_ev *a, const struct nic_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void heap_pop(struct nic_clock *c)
{
	uint32_t i = 0;

	c->h[0] = c->h[--c->n];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < c->n && ev_before(&c->h[l], &c->h[m]))
			m = l;
		if (r < c->n && ev_before(&c->h[r], &c->h[m]))
			m = r;
		if (m == i)
			return;
		struct nic_ev x = c->h[i];
		c->h[i] = c->h[m];
		c->h[m] = x;
		i = m;
	}
}

void nic_at(struct nic_clock *c, double t, nic_ev_fn fn, struct nic_q *q, uint64_t arg)
{
	struct eng *e = c->port->e;

	if (c->n == c->cap) {
		uint32_t cap = c->cap ? 2 * c->cap : 64;
		struct nic_ev *h = mriov_realloc(c->h, cap * sizeof(*h));
		if (!h) {
			e->err = -ENOMEM;
			return;
		}
		c->h = h;
		c->cap = cap;
	}
	uint32_t i = c->n++;
	c->h[i] = (struct nic_ev){t, ++c->seq, fn, q, arg, q->vf->epoch};
	while (i && ev_before(&c->h[i], &c->h[(i - 1) / 2])) {
		struct nic_ev x = c->h[i];
		c->h[i] = c->h[(i - 1) / 2];
		c->h[(i - 1) / 2] = x;
		i = (i - 1) / 2;
	}
	src_wake_by(&c->src, t);
	eng_signal_at(c->port, t);
}

static struct tlp *clock_peek(struct src *s, double now, double *next)
{
	struct nic_clock *c = (struct nic_clock *)s;

	while (c->n && c->h[0].t <= now && !c->port->e->err) {
		struct nic_ev ev = c->h[0];
		heap_pop(c);
		/* a reset since cancels its timers and driver work; arrivals go on */
		if (ev.epoch == ev.q->vf->epoch || ev.fn == nic_rx_arrival ||
		    ev.fn == host_tx_arrival)
			ev.fn(ev.q, ev.t, ev.arg);
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

static const struct src_ops nic_clock_ops = {clock_peek, NULL, clock_offered, clock_pending,
					     true};

int nic_clock_init(struct nic_clock *c, struct port *p, int vh)
{
	c->src.ops = &nic_clock_ops;
	c->src.vh = vh;
	c->src.wake = INFINITY;
	c->port = p;
	return eng_add_src(p, &c->src);
}

void nic_clock_destroy(struct nic_clock *c)
{
	free(c->h);
	c->h = NULL;
}

/* ---- the host driver ---- */

static struct nic_clock *hclk(struct nic_q *q)
{
	return &q->n->hclk[q->host];
}

static void doorbell(struct nic_q *q, double t, uint64_t n, mmio_done_fn landed)
{
	if (mmio_doorbell(q->n->e, q->fn, t, n, landed))
		q->n->e->err = -ENOMEM;
}

/* Read a head register every `every` packets (0: never). */
static void head_reads(struct nic_q *q, double t, uint64_t *count, uint64_t every)
{
	if (!every) {
		*count = 0;
		return;
	}
	for (; *count >= every; *count -= every)
		if (mmio_read(q->n->e, q->fn, t, 0, NULL))
			q->n->e->err = -ENOMEM;
}

static void rx_tail_timeout(struct nic_q *q, double t, uint64_t arg)
{
	(void)arg;
	q->h_rx_timer = false;
	if (q->h_rx_ret) {
		doorbell(q, t, q->h_rx_ret, nic_rx_tail);
		q->h_rx_ret = 0;
	}
}

static void tx_tail_timeout(struct nic_q *q, double t, uint64_t arg)
{
	(void)arg;
	q->h_tx_timer = false;
	if (q->h_tx_unposted) {
		doorbell(q, t, q->h_tx_unposted, nic_tx_tail);
		q->h_tx_unposted = 0;
	}
}

/* The driver takes the RX packets in host memory: returns their buffers (one tail write per
 * rx_doorbell, the rest after doorbell_timeout) and reads the head every rx_head_read. */
void host_rx_take(struct nic_q *q, double t, uint64_t arg)
{
	uint64_t n = q->rx_land - q->rx_taken;

	(void)arg;
	q->rx_taken += n;
	host_rx_return(q, t, n);
}

void host_rx_return(struct nic_q *q, double t, uint64_t n)
{
	const struct topo_nic *c = q->n->c;

	q->h_rx_ret += n;
	q->h_rx_reads += n;
	for (; q->h_rx_ret >= c->rx_doorbell; q->h_rx_ret -= c->rx_doorbell)
		doorbell(q, t, c->rx_doorbell, nic_rx_tail);
	if (q->h_rx_ret && !q->h_rx_timer) {
		q->h_rx_timer = true;
		nic_at(hclk(q), t + c->doorbell_timeout, rx_tail_timeout, q, 0);
	}
	head_reads(q, t, &q->h_rx_reads, c->rx_head_read);
}

/* The driver sees TX frames written back: their ring slots are free again. */
void host_tx_take(struct nic_q *q, double t, uint64_t arg)
{
	uint64_t n = q->tx_land - q->tx_freed;

	(void)arg;
	q->tx_freed += n;
	q->h_tx_reads += n;
	head_reads(q, t, &q->h_tx_reads, q->n->c->tx_head_read);
}

void host_tx_post(struct nic_q *q, double t, int wl, uint32_t size, double t0)
{
	const struct topo_nic *c = q->n->c;

	if (nic_arrival_dropped(q, t))
		return; /* counted as failed */
	if (q->tx_posted - q->tx_freed >= c->ring) {
		nic_count(q, wl, size, t0, t, true);
		return;
	}
	struct nic_frame *f = &q->txf[q->tx_posted++ % c->ring];
	*f = (struct nic_frame){.t0 = t0, .size = size, .wl = wl};
	if (++q->h_tx_unposted >= c->tx_doorbell) {
		doorbell(q, t, q->h_tx_unposted, nic_tx_tail);
		q->h_tx_unposted = 0;
	} else if (!q->h_tx_timer) {
		q->h_tx_timer = true;
		nic_at(hclk(q), t + c->doorbell_timeout, tx_tail_timeout, q, 0);
	}
}

/* A TX frame from the stack: into the ring (a full ring drops it), then a tail write per
 * tx_doorbell frames, or after doorbell_timeout. */
void host_tx_arrival(struct nic_q *q, double t, uint64_t arg)
{
	struct nic_stream *g = (struct nic_stream *)(uintptr_t)arg;
	const struct topo_workload *w = &q->n->e->t->workloads[g->wl];

	if (t != g->next_t)
		return; /* a reassign moved its next arrival or stopped it (nic_move.c) */
	host_tx_post(q, t, g->wl, (uint32_t)w->size, t);
	double gap = w->arrival == ARRIVAL_CONSTANT ? g->mean
						    : -log(1.0 - erand48(g->rng)) * g->mean;
	g->next_t = t + gap;
	if (g->next_t < g->stop)
		nic_at(hclk(q), g->next_t, host_tx_arrival, q, arg);
}
