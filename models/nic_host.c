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

/* A reset of q's function since the event was filed (its epoch moved) cancels it. */
static bool q_stale(const void *obj, uint32_t epoch)
{
	const struct nic_q *q = obj;

	return q->vf->epoch != epoch;
}

int nic_clock_init(struct mclock *c, struct port *p, int vh)
{
	int err = mclock_init(c, p, vh);

	c->stale = q_stale;
	return err;
}

void nic_at(struct mclock *c, double t, mclock_fn fn, struct nic_q *q, uint64_t arg)
{
	/* a reset cancels its timers and driver work; arrivals go on */
	if (fn == nic_rx_arrival || fn == host_tx_arrival)
		mclock_at(c, t, fn, q, arg);
	else
		mclock_at_stamped(c, t, fn, q, arg, q->vf->epoch);
}

/* ---- the host driver ---- */

static struct mclock *hclk(struct nic_q *q)
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

static void rx_tail_timeout(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
	(void)arg;
	q->h_rx_timer = false;
	if (q->h_rx_ret) {
		doorbell(q, t, q->h_rx_ret, nic_rx_tail);
		q->h_rx_ret = 0;
	}
}

static void tx_tail_timeout(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
	(void)arg;
	q->h_tx_timer = false;
	if (q->h_tx_unposted) {
		doorbell(q, t, q->h_tx_unposted, nic_tx_tail);
		q->h_tx_unposted = 0;
	}
}

/* The driver takes the RX packets in host memory: returns their buffers (one tail write per
 * rx_doorbell, the rest after doorbell_timeout) and reads the head every rx_head_read. */
void host_rx_take(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
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
void host_tx_take(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
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
	/* in use: the descriptors from tx_freed on (the host frees them after write-back) */
	if (nic_frames_room(&q->txf, q->tx_freed, q->tx_posted)) {
		q->n->e->err = -ENOMEM;
		return;
	}
	struct nic_frame *f = nic_frame_at(&q->txf, q->tx_posted++);
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
void host_tx_arrival(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
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
