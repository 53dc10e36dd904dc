/* ats.c - address translation: the host's translation agent (IOTLB, page walkers), device
 * ATCs with translation requests through the fabric, and unmaps with ATS invalidations
 * (domain.md §3). */
#include "ats.h"

#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

#include "alloc.h"
#include "rng.h"

#define ITAGS 32 /* outstanding invalidations per function: 5-bit ITag (domain.md §3.3) */
#define XLAT_REQ_BYTES 8 /* a Translation Request asks 2 DW; its completion returns 8 B */

static uint64_t host_page(const struct eng *e, int fn, uint64_t addr)
{
	return addr / e->hosts[e->t->functions[fn].host].page_size;
}

/* ---- device: ATC ---- */

static struct xpend *pend_find(struct xpend *p, uint64_t key)
{
	for (; p; p = p->next)
		if (p->key == key)
			return p;
	return NULL;
}

static int pend_wait(struct xpend *p, struct dma *d)
{
	if (p->n == p->cap) {
		uint32_t cap = p->cap ? 2 * p->cap : 4;
		struct dma **v = mriov_realloc(p->waiting, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->waiting = v;
		p->cap = cap;
	}
	p->waiting[p->n++] = d;
	d->xwait++;
	return 0;
}

static int send_xlat_req(struct eng *e, struct vf *vf, uint64_t key, double now)
{
	const struct topo_function *f = &e->t->functions[vf->fn];
	struct tlp *t = eng_tlp_new(e);

	if (!t)
		return -ENOMEM;
	t->type = PCIE_MRD;
	t->cls = TLP_NP;
	t->at = AT_XLAT_REQ;
	t->purpose = PURPOSE_TRANSLATION;
	t->vh = f->vh;
	t->fn = vf->fn;
	t->len = XLAT_REQ_BYTES;
	t->key = key;
	t->epoch = vf->epoch;
	t->route = eng_fn_route(e, t->fn, true);
	t->ready = now;
	src_push(&vf->xq, t);
	return 0;
}

/*
 * Called when DMA d is at the head of its VF's queue at time now: look up every page it
 * touches (once), send a Translation Request for each miss not already requested, and say
 * whether it can go. When it cannot, the translation completions will wake the port.
 */
bool ats_dma_ready(struct eng *e, struct vf *vf, struct dma *d, double now)
{
	if (!vf->atc)
		return true;
	if (!d->looked_up) {
		uint64_t first = host_page(e, vf->fn, d->addr);
		uint64_t last = host_page(e, vf->fn, d->addr + d->size - 1);
		d->looked_up = true;
		for (uint64_t pg = first; pg <= last; pg++) {
			uint64_t key = eng_page_key(vf->fn, pg);
			double ready;
			int hit = tcache_lookup(vf->atc, key, &ready) >= 0 && ready <= now;
			if (eng_in_window(e, now)) {
				vf->atc_hits += (uint64_t)hit;
				vf->atc_misses += (uint64_t)!hit;
			}
			if (hit)
				continue;
			struct xpend *p = pend_find(*vf->pend, key);
			if (!p) { /* concurrent misses on one page share a single request */
				p = mriov_calloc(1, sizeof(*p));
				if (!p || send_xlat_req(e, vf, key, now)) {
					free(p);
					e->err = -ENOMEM;
					return false;
				}
				p->key = key;
				p->next = *vf->pend;
				*vf->pend = p;
			}
			if (pend_wait(p, d)) {
				e->err = -ENOMEM;
				return false;
			}
		}
		if (d->xwait)
			eng_signal_at(vf->port, now); /* the translation requests want the link */
	}
	return d->xwait == 0;
}

/* A Translation Completion arrived (at tail): fill the ATC, release the waiting DMAs. */
static void xlat_done(struct eng *e, struct tlp *t, double tail)
{
	struct vf *vf = &e->vfs[t->fn];
	struct xpend **pp = vf->pend, *p;

	dev_tag_give(e, vf, tail); /* its tag is back: the next request may go */
	if (t->epoch != vf->epoch)
		return; /* asked before a reset of the function: forgotten (fault.c) */
	tcache_insert(vf->atc, t->key, tail);
	while (*pp && (*pp)->key != t->key)
		pp = &(*pp)->next;
	if (!(p = *pp))
		return;
	*pp = p->next;
	for (uint32_t i = 0; i < p->n; i++) {
		struct dma *d = p->waiting[i];
		struct vf *owner = &e->vfs[d->fn];
		if (tail > d->ready)
			d->ready = tail;
		if (--d->xwait == 0) {
			d->xlat_wait = d->ready - d->issue;
			struct src *s = &owner->eng[d->op].src;
			src_wake_by(s, d->ready);
			eng_signal_at(owner->port, d->ready);
		}
	}
	free(p->waiting);
	free(p);
}

/* An Invalidate Request reached the function: drop the page, answer with a completion. */
static void inv_request(struct eng *e, struct tlp *t, double tail)
{
	struct vf *vf = &e->vfs[t->fn];

	if (vf->atc)
		tcache_invalidate(vf->atc, t->key);
	t->type = PCIE_MSG;
	t->cls = TLP_P;
	t->at = AT_INV_CPL;
	t->payload = 0;
	t->route = eng_fn_route(e, t->fn, true);
	t->hop = 0;
	t->ready = tail;
	t->tail_in = 0;
	src_push(&vf->icq, t);
	eng_signal_at(vf->port, tail);
}

void ats_dev_receive(struct eng *e, struct tlp *t, double tail)
{
	if (t->at == AT_XLAT_REQ) {
		xlat_done(e, t, tail);
		eng_tlp_free(e, t);
	} else if (t->at == AT_INV_REQ) {
		inv_request(e, t, tail); /* the TLP becomes the completion */
	} else {
		eng_tlp_free(e, t);
	}
}

/* ---- host: unmaps and invalidations ---- */

static void inv_send(struct eng *e, int h, struct tlp *t)
{
	struct vf *vf = &e->vfs[t->fn];
	struct src *q = &e->hosts[h].cpl_q[TLP_P];

	if (vf->inv_out >= ITAGS) { /* no free ITag: wait for a completion */
		t->next = NULL;
		if (vf->inv_q_tail)
			vf->inv_q_tail->next = t;
		else
			vf->inv_q = t;
		vf->inv_q_tail = t;
		return;
	}
	vf->inv_out++;
	xbt_assert(vf->inv_out <= ITAGS, "more than %d invalidations outstanding", ITAGS);
	src_push(q, t);
	eng_signal_at(e->hosts[h].port, t->ready);
}

/* Function fn's oldest ITag is free again at t: the next invalidation waiting for one goes. */
static void inv_itag_free(struct eng *e, int h, struct vf *vf, double t)
{
	vf->inv_out--;
	if (vf->inv_q) {
		struct tlp *n = vf->inv_q;
		vf->inv_q = n->next;
		if (!vf->inv_q)
			vf->inv_q_tail = NULL;
		n->ready = t;
		inv_send(e, h, n);
	}
}

void ats_inv_timeout(struct eng *e, int h, int fn, double t)
{
	inv_itag_free(e, h, &e->vfs[fn], t);
}

void ats_inv_done(struct eng *e, int h, struct tlp *t, double tail)
{
	struct eng_host *eh = &e->hosts[h];
	struct vf *vf = &e->vfs[t->fn];

	if (eng_in_window(e, tail)) {
		double lat = tail - t->t0;
		eh->inv_done++;
		eh->inv_lat_sum += lat;
		if (lat > eh->inv_lat_max)
			eh->inv_lat_max = lat;
	}
	inv_itag_free(e, h, vf, tail);
}

/* One unmap at time t: a random page of a random VF of workload w. */
static void unmap_one(struct eng *e, int h, int w, double t)
{
	struct wl_state *ws = &e->wls[w];
	const struct topo_function *f;
	int fn = ws->first_fn + (int)(erand48(ws->unmap_rng) * ws->nvfs) % ws->nvfs;
	uint64_t bytes = ws->nslots * ws->slot_size;
	uint64_t pg = (uint64_t)(erand48(ws->unmap_rng) * (double)bytes) / e->hosts[h].page_size;
	uint64_t key = eng_page_key(fn, pg);

	f = &e->t->functions[fn];
	tcache_invalidate(&e->hosts[h].iotlb, key);
	if (!e->vfs[fn].atc)
		return;
	/* the function's ATC may hold the page: it must be told (PCIe ATS invalidation) */
	struct tlp *r = eng_tlp_new(e);
	if (!r)
		return;
	r->type = PCIE_MSG;
	r->cls = TLP_P;
	r->at = AT_INV_REQ;
	r->purpose = PURPOSE_INVALIDATION; /* and the completion it becomes (inv_request) */
	r->payload = 8; /* the untranslated address */
	r->vh = f->vh;
	r->fn = fn;
	r->key = key;
	r->t0 = t;
	r->route = eng_fn_route(e, fn, false);
	r->ready = t;
	inv_send(e, h, r);
}

static void unmap_run(struct eng *e, struct src *s, double now, double *next)
{
	int host = ((const struct eng_host *)((const char *)s - offsetof(struct eng_host, unmap)))->index;
	const struct topo *t = e->t;
	double nx = INFINITY;

	for (size_t w = 0; w < t->nworkloads; w++) {
		struct wl_state *ws = &e->wls[w];
		if (t->workloads[w].host.idx != host || ws->unmap_mean <= 0)
			continue;
		while (ws->unmap_next <= now && ws->unmap_next < e->end) {
			unmap_one(e, host, (int)w, ws->unmap_next);
			ws->unmap_next += -log(1.0 - erand48(ws->unmap_rng)) * ws->unmap_mean;
		}
		if (ws->unmap_next < e->end && ws->unmap_next < nx)
			nx = ws->unmap_next;
	}
	*next = nx;
}

/* The unmap source of a host offers no TLP: looking at it makes the unmaps due by now,
 * which file invalidations into the root complex's queue (a source after it). */
static struct tlp *unmap_peek(struct src *s, double now, double *next)
{
	double nt = INFINITY;

	unmap_run(s->own[0].p->e, s, now, &nt);
	s->wake = nt;
	if (nt < *next)
		*next = nt;
	return NULL;
}

static struct tlp *unmap_offered(const struct src *s)
{
	(void)s;
	return NULL;
}

static uint64_t unmap_pending(const struct src *s, double by)
{
	(void)s;
	(void)by;
	return 0;
}

static const struct src_ops ats_unmap_ops = {unmap_peek, NULL, unmap_offered, unmap_pending,
					     true, NULL};

/* ---- assembly ---- */

static enum tcache_policy policy_of(int p)
{
	return p == ATC_FIFO ? TCACHE_FIFO : p == ATC_RANDOM ? TCACHE_RANDOM : TCACHE_LRU;
}

int ats_build(struct eng *e)
{
	const struct topo *t = e->t;

	e->devs = mriov_calloc(t->ndevices + 1, sizeof(*e->devs));
	if (!e->devs)
		return -ENOMEM;
	for (size_t h = 0; h < t->nhosts; h++) {
		struct eng_host *eh = &e->hosts[h];
		const struct topo_iommu *io = &t->hosts[h].iommu;
		eh->iommu = io->enabled;
		eh->page_size = io->page_size;
		eh->walk_latency = io->walk_latency;
		eh->nwalkers = (int)io->walkers;
		eh->walker_free = mriov_calloc(io->walkers, sizeof(double));
		if (!eh->walker_free || tcache_init(&eh->iotlb, (uint32_t)io->iotlb_entries,
						    TCACHE_LRU, rng_mix(e->seed, 0, 3 * h + 1)))
			return -ENOMEM;
		eh->unmap.ops = &ats_unmap_ops;
		eh->unmap.vh = (int)h + 1;
		for (size_t w = 0; w < t->nworkloads; w++)
			if (t->workloads[w].host.idx == (int)h && t->workloads[w].unmap_rate > 0) {
				if (eng_add_src(eh->port, &eh->unmap))
					return -ENOMEM;
				break;
			}
	}
	for (size_t d = 0; d < t->ndevices; d++) {
		const struct topo_atc *a = &t->devices[d].atc;
		e->devs[d].ats = a->present;
		if (a->present && a->scope == ATC_SHARED &&
		    tcache_init(&e->devs[d].atc, (uint32_t)a->entries, policy_of(a->policy),
				rng_mix(e->seed, 0, 3 * d + 2)))
			return -ENOMEM;
	}
	for (size_t f = 0; f < t->nfunctions; f++) {
		struct vf *vf = &e->vfs[f];
		const struct topo_atc *a = &t->devices[vf->device].atc;
		/* without DMA remapping at its host, a function's ATC stays unused (§5) */
		if (!a->present || t->functions[f].is_pf ||
		    !t->hosts[t->functions[f].host].iommu.enabled)
			continue;
		if (a->scope == ATC_SHARED) {
			vf->atc = &e->devs[vf->device].atc;
			vf->pend = &e->devs[vf->device].pend;
		} else {
			vf->own_atc = true; /* from here on ats_destroy frees what there is */
			vf->atc = mriov_calloc(1, sizeof(*vf->atc));
			vf->pend = mriov_calloc(1, sizeof(*vf->pend));
			if (!vf->atc || !vf->pend ||
			    tcache_init(vf->atc, (uint32_t)a->entries, policy_of(a->policy),
					rng_mix(e->seed, 0, 3 * f + 3)))
				return -ENOMEM;
		}
		src_init_fifo(&vf->xq, TLP_NP, t->functions[f].vh);
		src_init_fifo(&vf->icq, TLP_P, t->functions[f].vh);
		vf->xq.tags = &vf->tags;
		vf->xq.posted = &vf->icq;
		vf->icq.behind[0] = &vf->xq;
		if (eng_add_src(vf->port, &vf->xq) || eng_add_src(vf->port, &vf->icq))
			return -ENOMEM;
	}
	return 0;
}

static void pend_free(struct xpend *p)
{
	for (struct xpend *n; p; p = n) {
		n = p->next;
		free(p->waiting);
		free(p);
	}
}

void ats_destroy(struct eng *e)
{
	const struct topo *t = e->t;

	for (size_t h = 0; e->hosts && h < t->nhosts; h++) {
		free(e->hosts[h].walker_free);
		tcache_destroy(&e->hosts[h].iotlb);
	}
	for (size_t f = 0; e->vfs && f < t->nfunctions; f++) {
		struct vf *vf = &e->vfs[f];
		if (vf->own_atc) {
			pend_free(vf->pend ? *vf->pend : NULL);
			tcache_destroy(vf->atc);
			free(vf->atc);
			free(vf->pend);
		}
	}
	for (size_t d = 0; e->devs && d < t->ndevices; d++) {
		pend_free(e->devs[d].pend);
		tcache_destroy(&e->devs[d].atc);
	}
	free(e->devs);
}
