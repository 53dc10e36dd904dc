/* fault_link.c - link faults in the engine (contract §10): a link that goes down, what is
 * lost on it (DMAs fail, reads and invalidations end by completion timeout), and the link
 * coming back after its retraining. fault.c applies the events. */
#include "fault.h"
#include "fault_priv.h"

#include <errno.h>
#include <math.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>

#include "clock.h"
#include "ring.h"

/* Read request r will never get its completion (all of them): its tag comes back by
 * completion timeout, from when it was sent (PCIe Base §2.8). */
static void request_timeout(struct eng *e, struct rreq *r, int ev)
{
	struct vf *vf = &e->vfs[r->dma->fn];
	double at = r->sent_at + e->t->pcie.completion_timeout;

	r->timed_out = true;
	if (tpool_give(&vf->tags, 1, at))
		e->err = -ENOMEM;
	src_wake_by(&vf->eng[OP_READ].src, at);
	e->faults->ev[ev].timeouts++;
	if (eng_in_window(e, at))
		e->faults->host_timeouts[e->t->functions[vf->fn].host]++;
}

/* An Invalidate Request to a device that is gone (domain.md §1.7: the host waits for the
 * Invalidate Completion Timeout, it is no silent success): its ITag comes back, and the
 * next invalidation of the function goes, pcie.completion_timeout after it was lost. */
static void invalidation_timeout(struct eng *e, const struct tlp *t, int ev, double now)
{
	struct eng_faults *f = e->faults;
	double at = now + e->t->pcie.completion_timeout;
	int h = e->t->functions[t->fn].host;

	if (f->itq_n == f->itq_cap) {
		void *v = ring_grow(f->itq, sizeof(*f->itq), &f->itq_head, f->itq_n, &f->itq_cap);
		if (!v) {
			e->err = -ENOMEM;
			return;
		}
		f->itq = v;
	}
	f->itq[(f->itq_head + f->itq_n++) % f->itq_cap] = (struct fault_itag){at, h, t->fn};
	f->ev[ev].timeouts++;
	if (eng_in_window(e, at))
		f->host_timeouts[h]++;
	if (f->waiting && at < f->wait_until) {
		f->waiting = false;
		e->calm_until = -INFINITY;
		eng_release(e, f->sem); /* during a calm run, at this date */
	}
}

/* Remove DMA d from every translation it waits for in pend (a list of its VF's ATC). */
static void unwait(struct xpend *pend, const struct dma *d)
{
	for (struct xpend *p = pend; p; p = p->next)
		for (uint32_t i = 0; i < p->n;)
			if (p->waiting[i] == d)
				p->waiting[i] = p->waiting[--p->n];
			else
				i++;
}

/* A Translation Request, or its completion, was lost (event ev): the request ends by
 * completion timeout, which frees its tag, and the DMAs that waited for the translation
 * fail (their closed loops replace them when the path is back). */
static void translation_lost(struct eng *e, const struct tlp *t, int ev, double now)
{
	struct vf *vf = &e->vfs[t->fn];
	double at = now + e->t->pcie.completion_timeout;
	struct xpend **pp = vf->pend, *p;

	if (tpool_give(&vf->tags, 1, at))
		e->err = -ENOMEM;
	src_wake_by(&vf->eng[OP_READ].src, at);
	e->faults->ev[ev].timeouts++;
	if (eng_in_window(e, at))
		e->faults->host_timeouts[e->t->functions[t->fn].host]++;
	if (t->epoch != vf->epoch)
		return; /* asked before a reset: forgotten already */
	while (pp && *pp && (*pp)->key != t->key)
		pp = &(*pp)->next;
	if (!pp || !(p = *pp))
		return;
	*pp = p->next;
	for (uint32_t i = 0; i < p->n; i++) {
		struct dma *d = p->waiting[i];
		unwait(*vf->pend, d);
		fault_fail_dma(e, d, ev);
		fault_account_failed(e, d, 0, now);
	}
	free(p->waiting);
	free(p);
}

/* TLP t was ready for port p while its link was down: it is lost. A DMA it belonged to
 * fails; a read request, or a completion, that will not arrive ends by timeout; so does an
 * invalidation. */
void fault_discard(struct eng *e, struct port *p, struct tlp *t, double now)
{
	int ev = e->faults->link_ev[p->link];
	struct rreq *r = t->rreq;
	struct dma *d = r ? r->dma : t->dma;

	e->faults->ev[ev].tlps_lost++;
	if (t->at == AT_INV_REQ || t->at == AT_INV_CPL) /* either way its ITag is not back */
		invalidation_timeout(e, t, ev, now);
	else if (t->purpose == PURPOSE_TRANSLATION)
		translation_lost(e, t, ev, now);
	else if (!d) /* a device model's, or its host's MMIO */
		fault_model_lost(e, t, ev, now);
	if (d && t->purpose == PURPOSE_DATA) {
		fault_fail_dma(e, d, ev);
		if (r && !r->timed_out)
			request_timeout(e, r, ev);
		if (t->type == PCIE_MRD) { /* none of its completions will come */
			fault_account_failed(e, d, t->len, now);
			slab_free(&e->rreqs, r);
		} else if (r) {
			r->remaining -= t->payload;
			fault_account_failed(e, d, t->payload, now);
			if (!r->remaining)
				slab_free(&e->rreqs, r);
		} else {
			fault_account_failed(e, d, t->payload, now);
		}
	}
	eng_tlp_free(e, t);
}


/* The open-loop arrivals due by now of every function whose path uses link l are made:
 * before a link_down they were issued, after it (at its end) they are dropped. */
static void arrivals_through(struct eng *e, int l, double now)
{
	for (size_t f = 0; f < e->t->nfunctions; f++) {
		struct vf *vf = &e->vfs[f];
		bool uses = false;
		for (int up = 0; up < 2 && !e->t->functions[f].is_pf; up++) {
			const struct route *r = eng_fn_route(e, (int)f, up);
			for (int k = 0; k < r->nhops; k++)
				uses |= r->ports[k]->link == l;
		}
		for (int op = 0; op < 2 && uses; op++)
			if (vf->eng[op].vf)
				dev_arrivals(e, vf, op, now);
	}
}

/* Link l goes down at now (event ev): both its ports stop; a switch's or root complex's
 * discards what is ready for it from now on, a device's waits (its DMA engines keep their
 * DMAs: closed loops wait); a TLP a device had made ready to go is made again later. TLPs
 * whose transmission began before now still arrive: the link drops between two TLPs. */
void fault_link_down(struct eng *e, int l, int ev, double now)
{
	arrivals_through(e, l, now);
	e->faults->link_ev[l] = ev;
	e->faults->links_down++;
	/* before a port of the link runs again (a SimGrid call lets other actors run) */
	fault_model_link_down(e, l, ev, now);
	for (int dir = 0; dir < 2; dir++) {
		struct port *p = &e->ports[2 * (size_t)l + (size_t)dir];
		p->down = true;
		p->discard = e->nodes.kind[p->from] != NODE_DEVICE;
		for (int i = 0; !p->discard && i < p->nsrcs; i++) {
			struct dma_engine *de = (struct dma_engine *)p->srcs[i];
			if (p->srcs[i]->ops == &dev_dma_ops && de->cand) {
				eng_tlp_free(e, de->cand);
				de->cand = NULL;
				src_activate(&de->src); /* it may be parked on credits (ready.h) */
			}
		}
		eng_signal_at(p, now);
	}
}

/* Link l carries TLPs again at now (link_up + retrain): its credits are whole again (every
 * TLP that held them has left the far end's buffers or been discarded there), and the
 * closed loops whose DMAs were lost on it issue their replacements. */
void fault_link_back(struct eng *e, int l, double now)
{
	const struct topo_link *k = &e->t->links[l];

	for (int end = 0; end < 2; end++) { /* a removed device's link stays down */
		int n = end ? k->b.idx : k->a.idx;
		if (e->nodes.kind[n] == NODE_DEVICE && e->faults->gone[e->nodes.index[n]])
			return;
	}
	arrivals_through(e, l, now); /* those of the outage: dropped */
	e->faults->link_ev[l] = -1;
	e->faults->links_down--;
	for (int dir = 0; dir < 2; dir++)
		e->ports[2 * (size_t)l + (size_t)dir].down = false;
	/* the models' functions are back before a port of the link runs again: a device's
	 * clock then runs the arrivals of the outage (dropped) */
	fault_model_link_back(e, l, now);
	for (int dir = 0; dir < 2; dir++) {
		struct port *p = &e->ports[2 * (size_t)l + (size_t)dir];
		p->down = p->discard = false;
		eng_signal_at(p, now);
	}
	for (size_t f = 0; f < e->t->nfunctions; f++) {
		struct vf *vf = &e->vfs[f];
		if (e->t->functions[f].is_pf || fault_path_event(e, (int)f) >= 0 ||
		    vf->down_until > now)
			continue;
		for (int op = 0; op < 2; op++)
			for (struct stream *g = vf->streams[op]; g; g = g->next) {
				fault_stream_reissue(e, vf, g, g->lost, now);
				g->lost = 0;
			}
	}
}


void fault_link_end(struct eng *e, struct port *p, double end)
{
	double last = nextafter(end, -INFINITY); /* the port actors stop at the end */
	const struct topo_link *k = &e->t->links[p->link];
	int n = e->nodes.kind[k->a.idx] == NODE_DEVICE ? k->a.idx : k->b.idx;

	if (e->nodes.kind[n] == NODE_DEVICE && e->faults->gone[e->nodes.index[n]])
		return; /* a removed device's functions offer nothing */
	arrivals_through(e, p->link, last);
	mclock_run_due(p, end);
}
