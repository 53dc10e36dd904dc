/* nvme_host.c - the host driver's side of the NVMe model (contract §6): commands into the
 * submission queue with a tail doorbell per sq_doorbell, open-loop arrivals waiting for a
 * free command identifier, completion entries consumed on the interrupt (at once when
 * polled) with a head doorbell per cq_doorbell, and the closed loop's next command. */
#include "nvme.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "fault.h"
#include "mmio.h"
#include "pow2.h"
#include "ring.h"

#define DATA_BUF (1ull << 33) /* a queue pair's data buffers, above its rings and PRP lists */

static void doorbell(struct nvme_q *q, double t, uint64_t n, mmio_done_fn done)
{
	if (mmio_doorbell(q->n->e, q->fn, t, n, done))
		q->n->e->err = -ENOMEM;
}

/* The data buffer of stream g's next command: slots of the size rounded up to a power of
 * two over the footprint, in order or uniformly at random (contract §1 "Addresses"). */
static uint64_t next_addr(struct nvme_q *q, struct nvme_stream *g)
{
	const struct wl_state *ws = &q->n->e->wls[g->wl];
	uint64_t slot;

	if (q->n->e->t->workloads[g->wl].pattern == PATTERN_RANDOM)
		slot = (uint64_t)(erand48(g->rng) * (double)ws->nslots) % ws->nslots;
	else
		slot = g->slot++ % ws->nslots;
	return DATA_BUF + slot * ws->slot_size;
}

static void issue(struct nvme_q *q, struct nvme_stream *g, double t0, double t)
{
	const struct topo_nvme *c = q->n->c;
	const struct topo_workload *w = &q->n->e->t->workloads[g->wl];
	uint32_t cid = q->nret ? q->ret_cid[--q->nret] : q->fresh;

	if (cid == q->fresh) { /* a CID never used: the commands by CID grow to hold it */
		if (cid >= q->cmd_cap) {
			uint32_t cap = q->cmd_cap ? 2 * q->cmd_cap : 16;
			void *v = mriov_realloc(q->cmd, (size_t)cap * sizeof(*q->cmd));
			if (!v) {
				q->n->e->err = -ENOMEM;
				return;
			}
			q->cmd = v;
			q->cmd_cap = cap;
		}
		q->fresh++;
	}
	q->cmd[cid] = (struct nvme_cmd){.g = g, .t0 = t0, .addr = next_addr(q, g),
					.size = (uint32_t)w->size, .read = w->io == IO_READ};
	q->sq[q->sq_tail++ % c->queue_depth] = cid;
	if (++q->sq_unrung >= c->sq_doorbell) {
		doorbell(q, t, q->sq_unrung, nvme_sq_tail);
		q->sq_unrung = 0;
	}
}

static int backlog_push(struct nvme_q *q, double t0, struct nvme_stream *g)
{
	if (q->nwait == q->wait_cap) {
		void *w = ring_grow(q->wait, sizeof(*q->wait), &q->wait_head, q->nwait, &q->wait_cap);
		if (!w)
			return -ENOMEM;
		q->wait = w;
	}
	q->wait[(q->wait_head + q->nwait++) % q->wait_cap] = (struct nvme_backlog){t0, g};
	return 0;
}

void nvme_host_submit(struct nvme_q *q, struct nvme_stream *g, double t0, double t)
{
	if (nvme_cids_free(q, (uint32_t)q->n->c->queue_depth))
		issue(q, g, t0, t);
	else if (backlog_push(q, t0, g))
		q->n->e->err = -ENOMEM;
}

void nvme_host_arrival(void *obj, double t, uint64_t arg)
{
	struct nvme_q *q = obj;
	struct nvme_stream *g = (struct nvme_stream *)(uintptr_t)arg;
	const struct topo_workload *w = &q->n->e->t->workloads[g->wl];

	if (t != g->next_t)
		return; /* a reassign moved its next arrival or stopped it (nvme_move.c) */
	if (t < q->vf->down_until) { /* resetting or cut: dropped, counted (removed: none) */
		if (!fault_device_gone(q->n->e, q->n->dev))
			fault_model_failed(q->n->e, q->fn, 1, t);
	} else {
		nvme_host_submit(q, g, t, t);
	}
	double gap = w->arrival == ARRIVAL_CONSTANT ? g->mean
						    : -log(1.0 - erand48(g->rng)) * g->mean;
	g->next_t = t + gap;
	if (g->next_t < g->stop)
		mclock_at(&q->n->hclk[q->host], g->next_t, nvme_host_arrival, q, arg);
}

/* Command cid seen done by the host at t: the statistics, its CID free again. */
static void complete(struct nvme_q *q, uint32_t cid, double t)
{
	struct eng *e = q->n->e;
	const struct nvme_cmd *c = &q->cmd[cid];

	if (eng_in_window(e, t)) {
		q->ios++;
		q->n->wl_ios[c->g->wl]++;
	}
	e->c.dmas_completed++;
	e->c.bytes_completed += c->size;
	if (e->sink.dma_done)
		e->sink.dma_done(e->sink.arg, q->fn, c->g->wl, c->size, c->t0, t);
	if (q->nret == q->ret_cap) {
		uint32_t cap = q->ret_cap ? 2 * q->ret_cap : 16;
		void *v = mriov_realloc(q->ret_cid, (size_t)cap * sizeof(*q->ret_cid));
		if (!v) {
			e->err = -ENOMEM;
			return;
		}
		q->ret_cid = v;
		q->ret_cap = cap;
	}
	q->ret_cid[q->nret++] = cid;
}

/* The host reads its completion queue at t: every entry there by t, in order (one that
 * lands later waits for its own interrupt, or for its landing when polled). */
void nvme_host_take(void *obj, double t, uint64_t arg)
{
	struct nvme_q *q = obj;
	const struct topo_nvme *c = q->n->c;

	if (nvme_stale(q, arg))
		return;
	for (; q->cq_taken < q->cq_land && nvme_cqe_at(q, q->cq_taken)->at <= t;
	     q->cq_taken++) {
		uint32_t cid = nvme_cqe_at(q, q->cq_taken)->cid;
		struct nvme_stream *g = q->cmd[cid].g;
		complete(q, cid, t);
		if (++q->cq_unrung >= c->cq_doorbell) { /* the CQ head: entries free for the drive */
			doorbell(q, t, q->cq_unrung, NULL);
			q->cq_unrung = 0;
		}
		if (!g->open && t < g->stop) /* closed loop: the next command at once */
			nvme_host_submit(q, g, t, t);
	}
	for (; q->nwait && nvme_cids_free(q, (uint32_t)c->queue_depth); q->nwait--) {
		struct nvme_backlog b = q->wait[q->wait_head];
		q->wait_head = (q->wait_head + 1) % q->wait_cap;
		issue(q, b.g, b.t0, t);
	}
}
