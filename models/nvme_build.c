/* nvme_build.c - assembly of the NVMe model: per device with `nvme` (contract §6) its media
 * channels, a controller and queue pair per assigned VF with its sources on the device's
 * port, the device's and the hosts' clocks, and the io workloads' command streams. */
#include "nvme.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "fault.h"
#include "rc.h"
#include "rng.h"

static int q_init(struct nvme *n, struct nvme_q *q, int fn)
{
	struct eng *e = n->e;
	const struct topo_function *f = &e->t->functions[fn];
	uint64_t qd = n->c->queue_depth;

	q->n = n;
	q->fn = fn;
	q->host = f->host;
	q->vf = &e->vfs[fn];
	q->vf->model = q;
	q->sq = mriov_calloc(qd, sizeof(*q->sq));
	if (!q->sq)
		return -ENOMEM;
	src_init_fifo(&q->np, TLP_NP, f->vh);
	src_init_fifo(&q->p, TLP_P, f->vh);
	q->np.tags = &q->vf->tags; /* entry, PRP-list and data reads hold the VF's tags */
	if (eng_add_src(q->vf->port, &q->np) || eng_add_src(q->vf->port, &q->p))
		return -ENOMEM;
	return 0;
}

/* A closed loop starts: depth commands on the VF at once. */
static void closed_start(void *obj, double t, uint64_t arg)
{
	struct nvme_q *q = obj;
	struct nvme_stream *g = (struct nvme_stream *)(uintptr_t)arg;

	if (t < q->vf->down_until)
		return; /* its controller is resetting: it starts when it is back (nvme_back) */
	for (uint64_t i = 0; i < q->n->e->t->workloads[g->wl].outstanding; i++)
		nvme_host_submit(q, g, t, t);
}

/* Workload w's commands on VF k of its nvfs: an open loop's rate split evenly over the VFs
 * that serve its host from the start, as for DMAs (a VF a reassign moves in starts when it
 * joins: nvme_move.c); a closed loop starts at its start (or when its VF joins, nvme_back). */
static int add_stream(struct nvme_q *q, int w, int k)
{
	struct eng *e = q->n->e;
	const struct topo_workload *wl = &e->t->workloads[w];
	const struct wl_state *ws = &e->wls[w];
	struct nvme_stream *g = mriov_calloc(1, sizeof(*g));
	int nvfs = 0;

	for (int i = 0; i < ws->nvfs; i++) /* moved-in ones are last (func.c) */
		nvfs += e->t->functions[ws->first_fn + i].from == 0;
	if (!nvfs)
		nvfs = 1; /* they all join later: unused */
	if (!g)
		return -ENOMEM;
	g->next = q->streams;
	q->streams = g;
	g->wl = w;
	g->open = wl->has_rate;
	g->stop = ws->stop;
	rng_seed48(g->rng, e->seed, (uint64_t)w + 1, (uint64_t)q->fn + 1);
	if (!g->open) {
		mclock_at(&q->n->hclk[q->host], wl->start, closed_start, q, (uintptr_t)g);
		return e->err;
	}
	g->mean = (double)wl->size * 8.0 / (wl->rate / nvfs);
	g->next_t = wl->start + (wl->arrival == ARRIVAL_CONSTANT
					 ? g->mean * k / nvfs
					 : -log(1.0 - erand48(g->rng)) * g->mean);
	if (e->t->functions[q->fn].from > 0)
		g->next_t = INFINITY; /* it starts when it joins its host (nvme_split) */
	if (g->next_t < g->stop)
		mclock_at(&q->n->hclk[q->host], g->next_t, nvme_host_arrival, q, (uintptr_t)g);
	return e->err;
}

static int add_streams(struct nvme *n)
{
	struct eng *e = n->e;

	for (size_t w = 0; w < e->t->nworkloads; w++) {
		const struct topo_workload *wl = &e->t->workloads[w];
		if (wl->device.idx != n->dev || !topo_is_io(wl))
			continue;
		for (int k = 0; k < e->wls[w].nvfs; k++) {
			struct nvme_q *q = e->vfs[e->wls[w].first_fn + k].model;
			int err = q ? add_stream(q, (int)w, k) : 0;
			if (err)
				return err;
		}
	}
	return 0;
}

static int nvme_init(struct eng *e, struct nvme *n, int d)
{
	const struct topo *t = e->t;
	int err;

	n->e = e;
	n->dev = d;
	n->c = &t->devices[d].nvme;
	n->chan_free = mriov_calloc(n->c->channels, sizeof(*n->chan_free));
	n->hclk = mriov_calloc(t->nhosts, sizeof(*n->hclk));
	n->wl_ios = mriov_calloc(t->nworkloads ? t->nworkloads : 1, sizeof(*n->wl_ios));
	for (size_t f = 0; f < t->nfunctions; f++)
		n->nq += t->functions[f].device == d && !t->functions[f].is_pf;
	n->qs = mriov_calloc(n->nq ? (size_t)n->nq : 1, sizeof(*n->qs));
	if (!n->chan_free || !n->hclk || !n->qs || !n->wl_ios)
		return -ENOMEM;
	int i = 0;
	for (size_t f = 0; f < t->nfunctions; f++)
		if (t->functions[f].device == d && !t->functions[f].is_pf &&
		    (err = q_init(n, &n->qs[i++], (int)f)))
			return err;
	if (!n->nq)
		return 0;
	if ((err = mclock_init(&n->dclk, n->qs[0].vf->port, 0)))
		return err;
	for (size_t h = 0; h < t->nhosts; h++)
		if ((err = mclock_init(&n->hclk[h], e->hosts[h].port, (int)h + 1)))
			return err;
	return add_streams(n);
}

static void nvme_free(struct nvme *n)
{
	for (int i = 0; n->qs && i < n->nq; i++) {
		struct nvme_q *q = &n->qs[i];
		free(q->cmd);
		free(q->ret_cid);
		free(q->sq);
		free(q->cqe);
		free(q->msi);
		free(q->wait);
		for (struct nvme_stream *g = q->streams, *x; g; g = x) {
			x = g->next;
			free(g);
		}
	}
	mclock_destroy(&n->dclk);
	for (size_t h = 0; n->hclk && h < n->e->t->nhosts; h++)
		mclock_destroy(&n->hclk[h]);
	free(n->hclk);
	free(n->qs);
	free(n->chan_free);
	free(n->wl_ios);
}

static void nvme_destroy(struct eng *e, void *state)
{
	struct nvme *n = state;

	(void)e;
	if (!n)
		return;
	if (n->e)
		nvme_free(n);
	free(n);
}

/* The drive of device dev (contract §6). 0 or -ENOMEM. */
static int nvme_build(struct eng *e, int dev, void **state)
{
	struct nvme *n = mriov_calloc(1, sizeof(*n));

	*state = n;
	if (!n)
		return -ENOMEM;
	return nvme_init(e, n, dev);
}

static bool nvme_drives(const struct topo_device *d)
{
	return d->nvme.present;
}

/* Commands done per function (its controller) and per io workload. */
static void nvme_stats(const struct eng *e, const void *state, int fn, int wl,
		       struct dev_counts *c)
{
	const struct nvme *n = state;

	/* the media channels, busy over the window (every function and workload of the drive) */
	c->busy = n->chan_busy / ((double)n->c->channels * (e->end - e->warmup));
	c->busy_what = "media channels";
	if (fn >= 0) {
		const struct nvme_q *q = e->vfs[fn].model;
		c->ios = q ? (int64_t)q->ios : -1;
	} else if (topo_is_io(&e->t->workloads[wl])) {
		c->ios = (int64_t)n->wl_ios[wl];
	}
}

/* The commands of q under way fail at now (issued and not yet seen done by the host, or
 * waiting for a CID in the host's backlog) and its controller starts empty: every CID free,
 * the queues, doorbells and interrupt state as built; its media operations run on (the
 * channels stay busy for them) but complete nothing (nvme_stale). */
void nvme_reset(struct eng *e, void *state, int fn, double now)
{
	struct nvme_q *q = e->vfs[fn].model;
	uint64_t qd;

	(void)state;
	if (!q)
		return;
	qd = q->n->c->queue_depth;
	fault_model_failed(e, fn, (qd - 1 - nvme_cids_free(q, (uint32_t)qd)) + q->nwait, now);
	src_fifo_drop(e, &q->np); /* not sent yet: no tag or credit is held */
	src_fifo_drop(e, &q->p);
	q->nret = q->fresh = q->nwait = q->wait_head = 0; /* every CID free */
	q->sq_told = q->sq_fetched = q->cq_posted = q->cq_land = q->cq_unirq = 0;
	q->irq_timer = false;
	q->msi_head = q->msi_n = 0;
	q->cq_land_t = 0;
	q->sq_tail = q->sq_unrung = q->cq_taken = q->cq_unrung = 0;
}

/* q's controller is back at now: the closed loops that had started start again (one that
 * starts now or later starts by its own event, closed_start). */
static void nvme_back(struct eng *e, void *state, int fn, double now)
{
	struct nvme_q *q = e->vfs[fn].model;

	(void)state;
	for (struct nvme_stream *g = q ? q->streams : NULL; g; g = g->next)
		if (!g->open && now > e->t->workloads[g->wl].start && now < g->stop)
			closed_start(q, now, (uintptr_t)g);
}

const struct dev_model nvme_model = {
	.ep = {"NVMe drive", dev_slot_receive},
	.drives = nvme_drives,
	.build = nvme_build,
	.destroy = nvme_destroy,
	.stats = nvme_stats,
	.reset = nvme_reset,
	.back = nvme_back,
	.leave = nvme_leave,
	.split = nvme_split,
};
