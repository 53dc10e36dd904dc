/* nic_vswitch.c - the vswitch path of contract §11 on the NIC model: a host's PF queue pair
 * carries the frames of its vswitch workloads with the same descriptor, doorbell and
 * interrupt traffic as a VF's (nic.c, nic_host.c), and every frame also takes
 * cycles_per_packet + cycles_per_byte x data bytes of CPU work on the host's switch
 * (vswitch.c) between the PCIe side and the VM: RX after the driver takes it (its
 * interrupt, or its write-back when polling), TX before the driver posts it. */
#include "nic.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "fault.h"
#include "ring.h"
#include "rng.h"

#define FCS 4 /* the data of a frame: size - 4 B cross PCIe (contract §6) */

static double frame_cycles(const struct nic_q *q, uint32_t size)
{
	const struct topo_soft_switch *c = &q->n->e->t->hosts[q->host].vswitch;

	return (double)c->cycles_per_packet + c->cycles_per_byte * (double)(size - FCS);
}

void nic_vsw_start(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
	(void)t;
	(void)arg;
	vswitch_start(q->vsw);
}

/* ---- RX: PCIe side, then the CPU ---- */

/* Host driver events run on the host port's clock (nic_host.c): the switch's workers are
 * other actors, and a SimGrid call inside the driver's code may let one of them run. */
static void rx_return_ev(void *obj, double t, uint64_t n)
{
	struct nic_q *q = obj;
	host_rx_return(q, t, n);
}

/* An RX frame reached its VM at t: its latency ends there; the driver is done with its
 * PF buffer (returned, with the head reads, as a VF's driver returns its own). */
static void rx_done(const struct vswitch_job *j, double t)
{
	struct nic_q *q = j->obj;

	q->vsw_rx--;
	nic_count(q, (int)(j->arg >> 32), (uint32_t)j->arg, j->t0, t, false);
	nic_at(&q->n->hclk[q->host], t, rx_return_ev, q, 1);
}

void nic_vsw_rx_take(struct nic_q *q, double t)
{
	uint64_t from = q->rx_taken, to = q->rx_land;

	q->rx_taken = to; /* first: a submission may let another actor run */
	q->vsw_rx += to - from;
	for (uint64_t k = from; k < to; k++) {
		const struct nic_frame *f = nic_frame_at(&q->rxf, k);
		struct vswitch_job j = {.ready = t, .cycles = frame_cycles(q, f->size), .t0 = f->t0,
					.done = rx_done, .obj = q,
					.arg = (uint64_t)f->wl << 32 | f->size};
		vswitch_submit(q->vsw, &j);
	}
}

/* ---- TX: the CPU, then the PCIe side ---- */

static void tx_taken(const struct vswitch_job *j, double t);

/* The driver posts the oldest frame the CPU is done with (a full ring drops it). */
static void tx_post_ev(void *obj, double t, uint64_t arg)
{
	struct nic_q *q = obj;
	const struct nic_vtx x = q->vtx[q->vtx_head];

	(void)arg;
	q->vtx_head = (q->vtx_head + 1) % q->vtx_cap;
	q->vtx_n--;
	host_tx_post(q, t, x.wl, (uint32_t)q->n->e->t->workloads[x.wl].size, x.t0);
}

static int vtx_push(struct nic_q *q, double t0, int wl)
{
	if (q->vtx_n == q->vtx_cap) {
		void *w = ring_grow(q->vtx, sizeof(*q->vtx), &q->vtx_head, q->vtx_n, &q->vtx_cap);
		if (!w)
			return -ENOMEM;
		q->vtx = w;
	}
	q->vtx[(q->vtx_head + q->vtx_n++) % q->vtx_cap] = (struct nic_vtx){t0, wl};
	return 0;
}

/* The CPU is done with a TX frame at t: the PF's driver posts it then. */
static void tx_done(const struct vswitch_job *j, double t)
{
	struct nic_q *q = j->obj;
	const struct nic_stream *g = (const struct nic_stream *)(uintptr_t)j->arg;

	q->vsw_tx--;
	if (vtx_push(q, j->ready, g->wl)) {
		q->n->e->err = -ENOMEM;
		return;
	}
	nic_at(&q->n->hclk[q->host], t, tx_post_ev, q, 0);
}

/* g's next frame for the CPU: the oldest in its VM's ring, else its next arrival. */
static void tx_submit(struct nic_q *q, struct nic_stream *g)
{
	const struct topo_workload *w = &q->n->e->t->workloads[g->wl];
	double ready = g->vq_n ? g->vq[g->vq_head] : g->next_t;
	struct vswitch_job j = {.ready = ready, .cycles = frame_cycles(q, (uint32_t)w->size),
				.taken = tx_taken, .done = tx_done, .obj = q, .arg = (uintptr_t)g};

	if (g->vq_n || g->next_t < g->stop)
		vswitch_submit(q->vsw, &j);
}

/* The time from one of g's VM's frames to the next. */
static double arrival_gap(const struct topo_workload *w, struct nic_stream *g)
{
	return w->arrival == ARRIVAL_CONSTANT ? g->mean : -log(1.0 - erand48(g->rng)) * g->mean;
}

/* The frames g's VM posted by t enter its ring, in order; one that finds the ring full is
 * dropped, as a VF's full ring drops it (§6). Exact, since only this stream's takes (here)
 * empty the ring. */
static void tx_admit(struct nic_q *q, struct nic_stream *g, double t)
{
	const struct topo_workload *w = &q->n->e->t->workloads[g->wl];
	uint32_t ring = (uint32_t)q->n->c->ring;

	while (g->next_t <= t && g->next_t < g->stop) {
		if (g->vq_n < ring)
			g->vq[(g->vq_head + g->vq_n++) % ring] = g->next_t;
		else
			nic_count(q, g->wl, (uint32_t)w->size, g->next_t, g->next_t, true);
		g->next_t += arrival_gap(w, g);
	}
}

/* A core takes g's oldest frame at t: its CPU work starts, its latency counts from its
 * VM's post; the stream's next frame waits for a core in its turn. */
static void tx_taken(const struct vswitch_job *j, double t)
{
	struct nic_q *q = j->obj;
	struct nic_stream *g = (struct nic_stream *)(uintptr_t)j->arg;

	tx_admit(q, g, t);
	/* the job's frame: j->ready was the ring's head, or the arrival now admitted first */
	g->vq_head = (g->vq_head + 1) % (uint32_t)q->n->c->ring;
	g->vq_n--;
	q->vsw_tx++;
	tx_submit(q, g);
}

int nic_vsw_tx_stream(struct nic_q *q, struct nic_stream *g)
{
	g->vq = mriov_calloc(q->n->c->ring, sizeof(*g->vq));
	if (!g->vq)
		return -ENOMEM;
	tx_submit(q, g);
	return 0;
}

/* ---- a reset of the host (contract §10) ---- */

/* Is g a TX stream of q's switch (its VM's ring to it)? */
static bool tx_stream_of(const struct nic_q *q, const struct nic_stream *g)
{
	return g->vq && g->fn == q->fn;
}

/* The frames g's VM posts from the reset until the end of the FLR are dropped, each
 * counted as failed at its date (as a VF's are, host_tx_post); the rest go on from there. */
static void tx_drop_until(struct nic_q *q, struct nic_stream *g, double until)
{
	const struct topo_workload *w = &q->n->e->t->workloads[g->wl];

	while (g->next_t < until && g->next_t < g->stop) {
		fault_model_failed(q->n->e, q->fn, 1, g->next_t);
		g->next_t += arrival_gap(w, g);
	}
}

uint64_t nic_vsw_reset(struct nic_q *q, double now)
{
	uint64_t failed = (q->rx_land - q->rx_taken) + q->vsw_rx + q->vsw_tx + q->vtx_n;

	for (struct nic_stream *g = q->n->streams; g; g = g->next)
		if (tx_stream_of(q, g)) {
			tx_admit(q, g, now); /* what its VM posted by now is in its ring */
			failed += g->vq_n;
			g->vq_head = g->vq_n = 0;
			/* a reset drops what its VMs post during the FLR; a link fault's cut
			 * (fault_model.c: no end known) lets them through the switch, to be
			 * dropped at the PF's ring while the link is down (host_tx_post) */
			tx_drop_until(q, g, isinf(q->vf->down_until) ? now : q->vf->down_until);
		}
	q->vsw_rx = q->vsw_tx = 0;
	q->vtx_head = q->vtx_n = 0;
	vswitch_drop(q->vsw, q);
	return failed;
}

void nic_vsw_restart(struct nic_q *q)
{
	for (struct nic_stream *g = q->n->streams; g; g = g->next)
		if (tx_stream_of(q, g))
			tx_submit(q, g);
}
