/* dev.c - device DMA engines: workloads turned into DMAs per VF (open-loop arrivals made
 * lazily when the device's egress port looks for work, closed-loop reissue on completion),
 * DMAs cut into TLPs (writes at MPS, reads at MRRS with a tag each, never across 4 KiB),
 * and read completions received. With the calibration keys of contract §12 the device's
 * DMA engine (dev_dma.c) also times each DMA. */
#include "dev.h"
#include "pow2.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ats.h"
#include "devmodel.h"
#include "fault.h"
#include "mmio.h"
#include "rng.h"

#define PAGE_4K 4096 /* no TLP crosses a 4 KiB boundary (PCIe Base Spec §2.2.7) */

static void write_landed(struct eng *e, struct tlp *t, double when);

static double next_interval(struct eng *e, struct stream *g)
{
	if (e->t->workloads[g->wl].arrival == ARRIVAL_CONSTANT)
		return g->mean;
	return -log(1.0 - erand48(g->rng)) * g->mean; /* exponential: Poisson arrivals */
}

/* Queue a new DMA of stream g on its VF, issued at t, in issue-time order (dmaq.c). */
static void dma_issue(struct eng *e, struct vf *vf, struct stream *g, double t)
{
	const struct topo_workload *w = &e->t->workloads[g->wl];
	const struct wl_state *ws = &e->wls[g->wl];
	struct dma_engine *de = &vf->eng[w->op];
	struct src *s = &de->src;
	uint64_t slot;

	if (w->pattern == PATTERN_RANDOM)
		slot = (uint64_t)(erand48(g->rng) * (double)ws->nslots) % ws->nslots;
	else
		slot = g->slot++ % ws->nslots;
	struct dma_rec r = {t, t, slot * ws->slot_size, g, vf->epoch};
	if (w->op == OP_WRITE)
		r.ready = dev_dma_book_write(e, vf, t, (uint32_t)w->size);
	e->c.dmas_issued++;
	src_count(s, 1);
	src_wake_by(s, t);
	dmaq_add(e, de, &r);
}

/* Make the open-loop arrivals due by now; return the next arrival time after them. Those
 * that come while the function is resetting are dropped (fault.c). */
double dev_arrivals(struct eng *e, struct vf *vf, int op, double now)
{
	double next = INFINITY;

	for (struct stream *g = vf->streams[op]; g; g = g->next) {
		double stop = e->wls[g->wl].stop;
		if (!g->open)
			continue;
		while (g->next_t <= now && g->next_t < stop) {
			if (g->next_t < vf->down_until || fault_path_event(e, vf->fn) >= 0)
				fault_arrival_dropped(e, vf, g->next_t);
			else
				dma_issue(e, vf, g, g->next_t);
			g->next_t += next_interval(e, g);
		}
		if (g->next_t < stop && g->next_t < next)
			next = g->next_t;
	}
	return next;
}

void dev_dma_release(struct eng *e, const struct dma *d, double t)
{
	/* a write gave its slot back with its last TLP, a read gives it back when done */
	if (d->engine_seen && (d->op == OP_READ || d->sent < d->size))
		dev_dma_free(e, d, t);
}

/* For fault.c: a DMA of stream g issued on vf at t, and the time to g's next arrival. */
void dev_issue(struct eng *e, struct vf *vf, struct stream *g, double t)
{
	dma_issue(e, vf, g, t);
}

double dev_next_interval(struct eng *e, struct stream *g)
{
	return next_interval(e, g);
}

static struct tlp *vf_peek(struct src *s, double now, double *next)
{
	struct dma_engine *de = (struct dma_engine *)s;
	struct vf *vf = de->vf;
	struct eng *e = vf->port->e;
	const struct topo_pcie *c = &e->t->pcie;
	double na = dev_arrivals(e, vf, de->op, now);
	struct dma *d = de->q;
	struct tlp *t;

	dev_dma_look(e, de);
	if (de->cand) {
		*next = na; /* its next arrival: nothing else changes before (ready.h, lazy) */
		return de->cand;
	}
	if (now < vf->down_until) { /* resetting (fault.c): nothing before its FLR is done */
		dev_dma_waits(e, de);
		dev_dma_idle(e, de, now);
		*next = vf->down_until;
		return NULL;
	}
	if (!d || d->issue > now) {
		dev_dma_idle(e, de, now);
		*next = d ? fmin(d->issue, na) : na;
		return NULL;
	}
	if (!ats_dma_ready(e, vf, d, now)) {
		dev_dma_waits(e, de);
		dev_dma_idle(e, de, now);
		*next = na; /* its translation completions will wake the port */
		return NULL;
	}
	if (!d->engine_seen && !dev_dma_start(e, de, d, now, &na)) {
		*next = na;
		return NULL;
	}
	if (d->ready > now) {
		*next = fmin(d->ready, na);
		return NULL;
	}
	if (de->op == OP_READ && tpool_avail(&vf->tags, now) < 1) {
		dev_dma_waits(e, de);
		*next = tpool_next_return(&vf->tags);
		return NULL;
	}
	t = eng_tlp_new(e);
	if (!t)
		return NULL;
	uint64_t addr = d->addr + d->sent;
	uint32_t left = d->size - d->sent;
	uint32_t room = PAGE_4K - (uint32_t)(addr % PAGE_4K);
	uint32_t max = (uint32_t)(de->op == OP_WRITE ? c->mps : c->mrrs);
	uint32_t chunk = left < max ? left : max;
	if (room < chunk)
		chunk = room;
	t->type = de->op == OP_WRITE ? PCIE_MWR : PCIE_MRD;
	t->cls = de->op == OP_WRITE ? TLP_P : TLP_NP;
	t->purpose = PURPOSE_DATA;
	t->vh = e->t->functions[vf->fn].vh;
	t->fn = vf->fn;
	t->payload = de->op == OP_WRITE ? chunk : 0;
	t->len = chunk;
	t->addr = addr;
	t->route = eng_fn_route(e, vf->fn, true);
	t->ready = d->ready;
	t->at = vf->atc ? AT_TRANSLATED : AT_UNTRANSLATED;
	t->dma = d;
	if (de->op == OP_WRITE)
		t->landed = write_landed;
	de->cand = t;
	*next = na;
	return t;
}

/* The earliest s could have a TLP again, after one was taken at e->now (a lower bound:
 * arrivals up to now were made when it was looked at; closed-loop reissues, tags and
 * translations lower it when they come). */
static double vf_next_work(struct eng *e, const struct src *s)
{
	const struct dma_engine *de = (const struct dma_engine *)s;
	double w = INFINITY;

	if (de->q)
		return de->q->issue > e->now ? de->q->issue : e->now;
	for (const struct stream *g = de->vf->streams[de->op]; g; g = g->next)
		if (g->open && g->next_t < e->wls[g->wl].stop && g->next_t < w)
			w = g->next_t;
	return w;
}

static void vf_pop(struct src *s, struct tlp *t, struct port *p, double end)
{
	struct dma_engine *de = (struct dma_engine *)s;
	struct vf *vf = de->vf;
	struct eng *e = vf->port->e;
	struct dma *d = t->dma;

	if (t->type == PCIE_MRD) {
		struct rreq *r = slab_alloc(&e->rreqs);
		if (!r) {
			e->err = -ENOMEM;
			return;
		}
		r->dma = d;
		r->remaining = t->len;
		r->sent_at = e->now;
		r->timed_out = false;
		t->rreq = r;
		tpool_take(&vf->tags, 1);
	}
	d->sent += t->len;
	if (d->sent == d->size && d->op == OP_WRITE)
		dev_dma_free(e, d, end);
	if (d->sent == d->size) {
		src_count(s, -1);
		de->q = d->next;
		if (!de->q)
			de->q_tail = NULL;
		d->next = NULL;
		dmaq_refill(e, de); /* the next one, whole */
	}
	de->cand = NULL;
	s->wake = vf_next_work(e, s); /* the source is active: the next decision parks it */
	(void)p;
}

/* vf_peek, and the wake date it implies: nothing before next, or now with a TLP. */
static struct tlp *vf_peek_wake(struct src *s, double now, double *next)
{
	double nt = INFINITY;
	struct tlp *t = vf_peek(s, now, &nt);

	s->wake = t ? now : nt;
	if (nt < *next)
		*next = nt;
	return t;
}

static struct tlp *vf_offered(const struct src *s)
{
	const struct dma_engine *de = (const struct dma_engine *)s;
	return de->cand;
}

static uint64_t vf_pending(const struct src *s, double by)
{
	const struct dma_engine *de = (const struct dma_engine *)s;
	return (de->q && de->q->ready <= by) || de->cand;
}

/* A decision at now came at or after the next arrival of de, which waits with its TLP
 * (ready.h): its arrivals are made as its peek would make them (vf_peek_wake), without the
 * scan's look, when nothing they do depends on the order of the decision's looks: on a
 * device without a calibrated DMA engine (a write's issue books the engine's data mover in
 * the order the DMAs are made: dev_dma.c). Each arrival's count is then +1 at now into the
 * same queue integrals, its random draws are its stream's own, and its drop (a reset, a
 * path down) depends on the state at now only. */
static bool vf_touch(struct src *s, double now, double *next)
{
	struct dma_engine *de = (struct dma_engine *)s;
	struct vf *vf = de->vf;
	struct eng *e = vf->port->e;

	if (!de->cand || s->wake > now || e->dev_dma[vf->device].engine)
		return false;
	if (de->rq_cap) /* where its arrival's record goes, while its draws are made */
		__builtin_prefetch(&de->rq[(de->rq_head + de->rq_n) & (de->rq_cap - 1)], 1);
	double na = dev_arrivals(e, vf, de->op, now);
	s->wake = now;
	if (na < *next)
		*next = na;
	return true;
}

/* A VF's DMA engine for one operation, as a source of the device's egress port. */
const struct src_ops dev_dma_ops = {vf_peek_wake, vf_pop, vf_offered, vf_pending, false,
				    vf_touch};

void dma_complete(struct eng *e, struct dma *d, double t)
{
	struct stream *g = d->stream;

	e->c.dmas_completed++;
	e->c.bytes_completed += d->size;
	if (e->vfs[d->fn].atc && eng_in_window(e, t)) {
		e->vfs[d->fn].xlat_wait_sum += d->xlat_wait;
		e->vfs[d->fn].xlat_dmas++;
	}
	if (e->sink.dma_done)
		e->sink.dma_done(e->sink.arg, d->fn, d->wl, d->size, d->issue, t);
	if (!g->open && t < e->wls[g->wl].stop && t >= e->vfs[d->fn].down_until) {
		/* (not a VF that has left its host, fault.c) */
		struct vf *vf = &e->vfs[d->fn];
		dma_issue(e, vf, g, t); /* closed loop: the slot is reused at once */
		eng_signal_at(vf->port, t);
	}
	slab_free(&e->dmas, d);
}

/* A write TLP's data was taken in by the root complex at `when`. */
static void write_landed(struct eng *e, struct tlp *t, double when)
{
	struct dma *d = t->dma;

	if (fault_dma_stale(e, d)) { /* its function was reset since: it failed */
		fault_stale_arrival(e, d, t->payload, when);
		return;
	}
	d->done += t->payload;
	if (e->sink.delivered)
		e->sink.delivered(e->sink.arg, d->fn, d->wl, t->payload, when);
	if (d->done == d->size)
		dma_complete(e, d, when);
}

void dev_receive(struct eng *e, struct port *in, struct tlp *t, double hdr, double tail)
{
	struct rreq *r = t->rreq;

	(void)hdr;
	eng_rx_free(e, in, t, tail); /* the device takes every TLP in as it arrives */
	if (t->at == AT_XLAT_REQ || t->at == AT_INV_REQ) {
		ats_dev_receive(e, t, tail);
		return;
	}
	if (mmio_purpose(t)) { /* its host's doorbells and register reads */
		mmio_dev_receive(e, t, tail);
		return;
	}
	if (!r && t->landed) { /* a device model's completion says what it does */
		if (!fault_model_stale(e, t))
			t->landed(e, t, tail);
		else if (t->type == PCIE_CPLD) /* its request failed; its tag is free */
			dev_read_done(e, &e->vfs[t->fn], t, tail);
		eng_tlp_free(e, t);
		return;
	}
	if (t->type == PCIE_CPLD && r) {
		struct dma *d = r->dma;
		struct vf *vf = &e->vfs[d->fn];
		r->remaining -= t->payload;
		if (r->remaining == 0) { /* its tag is free, whatever became of the DMA */
			if (!r->timed_out) /* else it came back by timeout (fault.c) */
				dev_tag_give(e, vf, tail);
			slab_free(&e->rreqs, r);
		}
		if (fault_dma_stale(e, d)) {
			fault_stale_arrival(e, d, t->payload, tail);
			eng_tlp_free(e, t);
			return;
		}
		d->done += t->payload;
		if (e->sink.delivered)
			e->sink.delivered(e->sink.arg, d->fn, d->wl, t->payload, tail);
		if (d->done == d->size)
			dma_complete(e, d, dev_dma_stored(e, d, tail));
	}
	eng_tlp_free(e, t);
}

static bool dma_drives(const struct topo_device *d)
{
	(void)d;
	return true;
}

/* The plain DMA device: a set of SR-IOV functions with DMA engines (contract §1), the
 * model of every device that no other model drives; raw DMA has no packets or commands. */
const struct dev_model dev_dma_model = {
	.ep = {"DMA device", dev_slot_receive},
	.drives = dma_drives,
};

static int add_stream(struct eng *e, int w, int fn, int k, int nvfs)
{
	const struct topo_workload *wl = &e->t->workloads[w];
	struct vf *vf = &e->vfs[fn];
	struct stream *g = slab_alloc(&e->streams);
	struct dma_engine *de = &vf->eng[wl->op];
	struct src *s = &de->src;

	if (!g)
		return -ENOMEM;
	g->wl = w;
	g->open = wl->has_rate;
	rng_seed48(g->rng, e->seed, (uint64_t)w + 1, (uint64_t)fn + 1);
	g->next = vf->streams[wl->op];
	vf->streams[wl->op] = g;
	if (!de->vf) {
		s->ops = &dev_dma_ops;
		de->vf = vf;
		de->op = wl->op;
		s->cls = wl->op == OP_WRITE ? TLP_P : TLP_NP;
		s->vh = e->t->functions[fn].vh;
		if (wl->op == OP_READ)
			tpool_add_taker(&vf->tags); /* its reads take the VF's tags (vf_pop) */
		e->dev_dma[vf->device].lazy = true;
		if (eng_add_src(vf->port, s))
			return -ENOMEM;
	}
	if (g->open && e->t->functions[fn].from > 0) {
		g->next_t = INFINITY; /* a VF moved in: from its FLR's end on (fault.c) */
	} else if (g->open) {
		/* the workload's rate is split evenly over its VFs */
		g->mean = (double)wl->size * 8.0 / (wl->rate / nvfs);
		g->next_t = wl->start + (wl->arrival == ARRIVAL_CONSTANT ? g->mean * k / nvfs
									  : next_interval(e, g));
	} else if (e->t->functions[fn].from == 0) { /* a VF moved in starts later (fault.c) */
		for (uint64_t i = 0; i < wl->outstanding; i++)
			dma_issue(e, vf, g, wl->start);
	}
	return e->err;
}

int dev_build(struct eng *e)
{
	const struct topo *t = e->t;

	e->vfs = mriov_calloc_lines(t->nfunctions ? t->nfunctions : 1, sizeof(*e->vfs));
	e->wls = mriov_calloc(t->nworkloads ? t->nworkloads : 1, sizeof(*e->wls));
	e->dev_dma = mriov_calloc(t->ndevices ? t->ndevices : 1, sizeof(*e->dev_dma));
	if (!e->vfs || !e->wls || !e->dev_dma)
		return -ENOMEM;
	for (size_t d = 0; d < t->ndevices; d++)
		if (dev_dma_init(e, (int)d))
			return -ENOMEM;
	for (size_t f = 0; f < t->nfunctions; f++) {
		struct vf *vf = &e->vfs[f];
		vf->fn = (int)f;
		vf->device = t->functions[f].device;
		vf->port = eng_port_of(e, t->devices[vf->device].link,
				       e->nodes.of_device[vf->device]);
		vf->down_until = t->functions[f].from; /* 0 but for a VF moved in (§10) */
		tpool_init(&vf->tags, (int64_t)t->pcie.tags);
	}
	for (size_t w = 0; w < t->nworkloads; w++) {
		const struct topo_workload *wl = &t->workloads[w];
		struct wl_state *ws = &e->wls[w];
		int pf = t->dev_pf[(size_t)wl->device.idx * t->nhosts + (size_t)wl->host.idx];
		int owned = 0, nvfs;
		ws->stop = wl->stop > 0 && wl->stop < e->end ? wl->stop : e->end;
		ws->slot_size = pow2_at_least(wl->size);
		ws->nslots = wl->footprint / ws->slot_size;
		if (!ws->nslots)
			ws->nslots = 1;
		/* func.c lays out a VH's VFs right after its PF, ascending */
		while (pf + 1 + owned < (int)t->nfunctions && !t->functions[pf + 1 + owned].is_pf &&
		       t->functions[pf + 1 + owned].device == wl->device.idx &&
		       t->functions[pf + 1 + owned].host == wl->host.idx)
			owned++;
		nvfs = wl->vfs_all ? owned : (int)wl->vfs_n;
		ws->first_fn = pf + 1;
		ws->nvfs = nvfs;
		if (wl->unmap_rate > 0 && nvfs > 0) {
			rng_seed48(ws->unmap_rng, e->seed, (uint64_t)w + 1, 0);
			ws->unmap_mean = 1.0 / wl->unmap_rate;
			ws->unmap_next = wl->start - log(1.0 - erand48(ws->unmap_rng)) * ws->unmap_mean;
		}
		/* the rate is split over the VFs it runs on from the start (a reassign moves
		 * more in later: fault.c); packets: nic.c; io: nvme.c */
		int n0 = 0;
		for (int k = 0; k < nvfs; k++)
			n0 += t->functions[pf + 1 + k].from == 0;
		for (int k = 0; k < nvfs && !topo_is_packets(wl) && !topo_is_io(wl); k++) {
			int err = add_stream(e, (int)w, pf + 1 + k, k, n0 ? n0 : 1);
			if (err)
				return err;
		}
	}
	return dev_dma_index(e);
}

void dev_destroy(struct eng *e)
{
	if (e->vfs)
		for (size_t f = 0; f < e->t->nfunctions; f++) {
			tpool_destroy(&e->vfs[f].tags);
			dmaq_destroy(&e->vfs[f].eng[0]);
			dmaq_destroy(&e->vfs[f].eng[1]);
		}
	free(e->vfs);
	free(e->wls);
	for (size_t d = 0; e->dev_dma && d < e->t->ndevices; d++)
		for (int op = 0; op < 2; op++) {
			tpool_destroy(&e->dev_dma[d].slots[op]);
			free(e->dev_dma[d].waiters[op]);
			free(e->dev_dma[d].early[op]);
			free(e->dev_dma[d].slotw[op]);
		}
	free(e->dev_dma);
}
