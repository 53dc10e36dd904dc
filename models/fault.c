/* fault.c - runtime events in the engine (contract §10). One management actor (MR-PCIM's
 * place in the model) sleeps until each event and applies it, and until each FLR it started
 * ends. A reset moves the epoch of each of the host's functions: a DMA issued before belongs
 * to an older epoch and has failed; its TLPs still in the fabric are discarded where they
 * arrive (their credits and tags are given back as usual), so that nothing of another host's
 * (TLP, credit, tag or statistic) is touched (domain.md §1.7: a hot reset resets only the
 * VH's virtual switch subtree and its functions, never the shared physical link). Link
 * faults are in fault_link.c. */
#include "fault.h"
#include "fault_priv.h"

#include <errno.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>

#include "alloc.h"
#include "ats.h"
#include "devmodel.h"
#include "mmio.h"
#include "rc.h"

int fault_build(struct eng *e)
{
	const struct topo *t = e->t;
	struct eng_faults *f;

	if (!t->nevents)
		return 0;
	if (!(f = mriov_calloc(1, sizeof(*f))))
		return -ENOMEM;
	e->faults = f;
	f->ev = mriov_calloc(t->nevents, sizeof(*f->ev));
	f->host_failed = mriov_calloc(t->nhosts, sizeof(*f->host_failed));
	f->host_timeouts = mriov_calloc(t->nhosts, sizeof(*f->host_timeouts));
	f->link_ev = mriov_calloc(t->nlinks + 1, sizeof(*f->link_ev));
	f->gone = mriov_calloc(t->ndevices + 1, sizeof(*f->gone));
	f->cut = mriov_calloc(t->nfunctions + 1, sizeof(*f->cut));
	if (!f->ev || !f->host_failed || !f->host_timeouts || !f->link_ev || !f->gone || !f->cut)
		return -ENOMEM;
	for (size_t l = 0; l < t->nlinks; l++)
		f->link_ev[l] = -1;
	e->discard = fault_discard;
	return 0;
}

void fault_destroy(struct eng *e)
{
	if (!e || !e->faults)
		return;
	free(e->faults->ev);
	free(e->faults->host_failed);
	free(e->faults->host_timeouts);
	free(e->faults->link_ev);
	free(e->faults->gone);
	free(e->faults->cut);
	free(e->faults->itq);
	if (e->faults->sem)
		sg_sem_destroy(e->faults->sem);
	free(e->faults);
	e->faults = NULL;
}

void fault_stream_reissue(struct eng *e, struct vf *vf, struct stream *g, uint64_t n,
			  double t)
{
	for (uint64_t i = 0; !g->open && t < e->wls[g->wl].stop && i < n; i++)
		dev_issue(e, vf, g, t);
	eng_signal_at(vf->port, t);
}

bool fault_serves(const struct eng *e, int fn, double t)
{
	const struct topo_function *f = &e->t->functions[fn];

	/* a model's function cut by a link that is down still serves (its arrivals are
	 * dropped until the link is back: fault_model.c) */
	return f->from <= t + 1e-12 && f->until > t && !e->faults->gone[f->device] &&
	       (!isinf(e->vfs[fn].down_until) || e->faults->cut[fn].on);
}

/* Workload w's VFs changed at now (a reassign): its rate is split again over the VFs that
 * serve its host now; those that do not issue nothing more. */
static void resplit(struct eng *e, int w, double now)
{
	const struct topo_workload *wl = &e->t->workloads[w];
	const struct wl_state *ws = &e->wls[w];
	int n = 0, k = 0;

	for (int i = 0; i < ws->nvfs; i++)
		n += fault_serves(e, ws->first_fn + i, now);
	for (int i = 0; i < ws->nvfs; i++) {
		struct vf *vf = &e->vfs[ws->first_fn + i];
		for (struct stream *g = vf->streams[wl->op]; g; g = g->next) {
			if (g->wl != w || !g->open || (g->next_t >= ws->stop && !isinf(g->next_t)))
				continue; /* not its stream, or it has ended (the workload's stop) */
			if (!fault_serves(e, vf->fn, now)) {
				g->next_t = INFINITY;
				continue;
			}
			dev_arrivals(e, vf, wl->op, now); /* those due by now at the old rate */
			double old = g->mean, was = g->next_t;
			g->mean = (double)wl->size * 8.0 / (wl->rate / n);
			if (wl->arrival != ARRIVAL_CONSTANT)
				g->next_t = now + dev_next_interval(e, g); /* Poisson: memoryless */
			else
				g->next_t = isinf(was) ? now + g->mean * k / n
						       : now + (was - now) * g->mean / old;
			k++;
			src_wake_by(&vf->eng[wl->op].src, g->next_t);
			eng_signal_at(vf->port, g->next_t);
		}
	}
}

/* vf's closed loops start again at t (its FLR is done). */
static void stream_restart(struct eng *e, struct vf *vf, double t)
{
	for (int op = 0; op < 2; op++)
		for (struct stream *g = vf->streams[op]; g; g = g->next)
			for (uint64_t i = 0; !g->open && t < e->wls[g->wl].stop &&
					     i < e->t->workloads[g->wl].outstanding; i++)
				dev_issue(e, vf, g, fmax(t, e->t->workloads[g->wl].start));
	eng_signal_at(vf->port, t);
}

/* One more DMA of function fn failed at t, because of event ev. */
static void count_failed(struct eng *e, int fn, int ev, double t)
{
	e->faults->ev[ev].dmas_failed++;
	if (eng_in_window(e, t))
		e->faults->host_failed[e->t->functions[fn].host]++;
}

void fault_model_failed(struct eng *e, int fn, uint64_t n, double t)
{
	for (uint64_t i = 0; i < n; i++)
		count_failed(e, fn, e->vfs[fn].reset_ev, t);
}

int fault_path_event(const struct eng *e, int fn)
{
	if (!e->faults || !e->faults->links_down)
		return -1;
	for (int up = 0; up < 2; up++) {
		const struct route *r = eng_fn_route(e, fn, up);
		for (int k = 0; k < r->nhops; k++)
			if (r->ports[k]->down)
				return e->faults->link_ev[r->ports[k]->link];
	}
	return -1;
}

void fault_arrival_dropped(struct eng *e, const struct vf *vf, double t)
{
	int ev = fault_path_event(e, vf->fn);

	count_failed(e, vf->fn, t < vf->down_until || ev < 0 ? vf->reset_ev : ev, t);
}

/* The event a failed DMA is charged to. */
static int fail_event(const struct eng *e, const struct dma *d)
{
	return d->failed ? d->fail_ev : e->vfs[d->fn].reset_ev;
}

/* bytes of failed DMA d are accounted for at t (arrived and discarded, or lost): once
 * nothing of it is in flight it is counted, its engine slot given back, and a closed loop
 * replaces a DMA lost on a path (at once when the path is up again, else at link_up). */
void fault_account_failed(struct eng *e, struct dma *d, uint32_t bytes, double t)
{
	struct vf *vf = &e->vfs[d->fn];
	struct stream *g = d->stream;

	d->done += bytes;
	if (d->done < d->sent)
		return; /* more of it is still in flight */
	count_failed(e, d->fn, fail_event(e, d), t);
	dev_dma_release(e, d, t);
	if (d->failed && !g->open && d->epoch == vf->epoch && vf->down_until <= t) {
		if (fault_path_event(e, d->fn) < 0)
			fault_stream_reissue(e, vf, g, 1, t);
		else
			g->lost++;
	}
	slab_free(&e->dmas, d);
}

void fault_stale_arrival(struct eng *e, struct dma *d, uint32_t bytes, double t)
{
	e->faults->ev[fail_event(e, d)].tlps_lost++;
	fault_account_failed(e, d, bytes, t);
}

/* DMA d fails because of event ev: a DMA still queued on its VF leaves the queue (the
 * device sends nothing more of it). */
void fault_fail_dma(struct eng *e, struct dma *d, int ev)
{
	struct dma_engine *de = &e->vfs[d->fn].eng[d->op];

	if (fault_dma_stale(e, d))
		return; /* it failed already */
	d->failed = true;
	d->fail_ev = ev;
	if (d->sent == d->size)
		return; /* all its TLPs are out: it is in no queue */
	for (struct dma **pp = &de->q, *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp != d)
			continue;
		*pp = d->next;
		if (de->q_tail == d)
			de->q_tail = prev;
		d->next = NULL;
		src_count(&de->src, -1);
		dmaq_refill(e, de); /* a record behind it is the head now */
		break;
	}
	if (de->cand && de->cand->dma == d) {
		eng_tlp_free(e, de->cand);
		de->cand = NULL;
		src_activate(&de->src); /* it may be parked on credits (ready.h) */
	}
}

/* The queued DMAs of one of vf's engines fail at now: those with nothing in flight at
 * once, the others when their last TLP arrives (fault_stale_arrival). */
static void fail_queue(struct eng *e, struct vf *vf, int op, double now)
{
	struct dma_engine *de = &vf->eng[op];

	if (!de->vf)
		return;
	if (de->cand) {
		eng_tlp_free(e, de->cand);
		de->cand = NULL;
		src_activate(&de->src); /* it may be parked on credits (ready.h) */
	}
	dmaq_unpack(e, de); /* every queued DMA whole, in the queue's order */
	for (struct dma *d = de->q, *next; d; d = next) {
		next = d->next;
		d->next = NULL;
		src_count(&de->src, -1);
		if (d->sent > d->done)
			continue; /* freed by its last arrival */
		count_failed(e, vf->fn, vf->reset_ev, now);
		dev_dma_release(e, d, now);
		slab_free(&e->dmas, d);
	}
	de->q = de->q_tail = NULL;
	de->src.wake = vf->down_until; /* nothing to send before the FLR is done */
	src_activate(&de->src);
	dev_dma_idle(e, de, now); /* a slot it waited for goes to the next (dev_dma.c) */
}

/* Translations of function fn that were under way are forgotten: their DMAs failed, and a
 * completion that comes back belongs to an old epoch (ats.c drops it). */
static void forget_translations(struct vf *vf)
{
	for (struct xpend **pp = vf->pend; pp && *pp;) {
		struct xpend *p = *pp;
		if ((int)(p->key >> 40) != vf->fn) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		free(p->waiting);
		free(p);
	}
}

void fault_reset_function(struct eng *e, int fn, int ev, double now, double until)
{
	struct vf *vf = &e->vfs[fn];

	vf->reset_ev = ev;
	for (int op = 0; op < 2; op++) /* arrivals due by now are made in the old epoch */
		if (vf->eng[op].vf)
			dev_arrivals(e, vf, op, now);
	vf->epoch++;
	vf->down_until = until;
	for (int op = 0; op < 2; op++)
		fail_queue(e, vf, op, now);
	dev_model_reset(e, fn, now);
	mmio_fn_reset(e, fn, now);
	if (vf->atc) {
		uint64_t lo = (uint64_t)fn << 40;
		tcache_drop_range(vf->atc, lo, lo + ((uint64_t)1 << 40));
		forget_translations(vf);
	}
	eng_signal_at(vf->port, now);
}

/* Hot reset of host h's VH (event ev): every function of it, its IOTLB and its interrupt
 * entry cache (contract §10). */
static void reset_host(struct eng *e, int h, int ev, double now)
{
	struct eng_host *eh = &e->hosts[h];

	for (size_t f = 0; f < e->t->nfunctions; f++) {
		const struct topo_function *fn = &e->t->functions[f];
		/* not a VF that has left the host, is not there yet, or whose device is gone;
		 * a PF only when it runs a queue pair (the vswitch path, contract §11) */
		if (fn->host != h || (fn->is_pf && !e->vfs[f].model) || fn->until <= now ||
		    fn->from > now)
			continue;
		if (isinf(e->vfs[f].down_until)) /* gone, or cut by a link: back after this FLR */
			fault_model_cut_reset(e, (int)f, ev, now + e->t->pcie.flr);
		else
			fault_reset_function(e, (int)f, ev, now, now + e->t->pcie.flr);
	}
	if (eh->iommu)
		tcache_drop_range(&eh->iotlb, 0, UINT64_MAX);
	if (eh->irq_remap)
		tcache_drop_range(&eh->irte, 0, UINT64_MAX);
}

void fault_function_back(struct eng *e, int fn, double now)
{
	stream_restart(e, &e->vfs[fn], now);
	dev_model_back(e, fn, now);
}

/* Host h's functions are back at now (their FLR is done): the closed loops start again. */
static void host_back(struct eng *e, int h, double now)
{
	for (size_t f = 0; f < e->t->nfunctions; f++)
		if (e->t->functions[f].host == h &&
		    (!e->t->functions[f].is_pf || e->vfs[f].model) &&
		    e->vfs[f].down_until <= now) /* not reset again meanwhile, nor cut by a link */
			fault_function_back(e, (int)f, now);
}

/* Function fn stops at now for good (event ev: it moves to another host, or its device is
 * removed): it issues nothing more, what it has queued fails (what is in flight finishes),
 * its ATC entries are invalidated. */
static void quiesce(struct eng *e, int fn, int ev, double now)
{
	struct vf *vf = &e->vfs[fn];

	for (int op = 0; op < 2; op++) /* what arrived by now was issued */
		if (vf->eng[op].vf)
			dev_arrivals(e, vf, op, now);
	vf->down_until = INFINITY;
	for (int op = 0; op < 2; op++)
		for (struct stream *g = vf->streams[op]; g; g = g->next)
			g->next_t = INFINITY; /* it issues nothing more */
	for (int op = 0; op < 2; op++)
		dmaq_unpack(e, &vf->eng[op]); /* every queued DMA whole, in the queue's order */
	for (int op = 0; op < 2; op++)
		for (struct dma *d = vf->eng[op].q, *next; d; d = next) {
			next = d->next;
			fault_fail_dma(e, d, ev);
			if (d->done >= d->sent)
				fault_account_failed(e, d, 0, now);
		}
	if (vf->atc) {
		uint64_t lo = (uint64_t)fn << 40;
		tcache_drop_range(vf->atc, lo, lo + ((uint64_t)1 << 40));
		forget_translations(vf);
	}
	eng_signal_at(vf->port, now);
}

/* The incarnation of VF v of device dv that serves host h and begins after t0 (moved in,
 * later = true) or ends at t0 (moved out); -1 if none. */
static int incarnation(const struct eng *e, int dv, uint64_t v, int h, double t0, bool later)
{
	for (size_t f = 0; f < e->t->nfunctions; f++) {
		const struct topo_function *fn = &e->t->functions[f];
		if (fn->device == dv && fn->vf_index == (int)v && fn->host == h &&
		    (later ? fn->from > t0 : fn->until == t0))
			return (int)f;
	}
	return -1;
}

/* The open-loop workloads on the device of reassign te, of the hosts it moves VFs from or
 * to, split their rates again over the VFs they have now. */
static void resplit_moved(struct eng *e, const struct topo_event *te, double now)
{
	for (size_t w = 0; w < e->t->nworkloads; w++) {
		const struct topo_workload *wl = &e->t->workloads[w];
		bool moved = wl->host.idx == te->reassign.to.idx;
		for (size_t k = 0; k < te->reassign.a.nvfs; k++)
			moved |= te->from_host[k] == wl->host.idx;
		if (!moved || wl->device.idx != te->reassign.a.device.idx)
			continue;
		if (wl->has_rate)
			resplit(e, (int)w, now);
		dev_model_split(e, (int)w, now); /* packets, io: the device's model */
	}
}

/* The VFs of reassign event ev leave their hosts at now (contract §10): they issue nothing
 * more; what they have queued fails (what is in flight finishes); their ATC entries are
 * invalidated; their FLR runs until the hosts they join have them. */
static void reassign_out(struct eng *e, int ev, double now)
{
	const struct topo_event *te = &e->t->events[ev];

	for (size_t k = 0; k < te->reassign.a.nvfs; k++) {
		int fn = incarnation(e, te->reassign.a.device.idx, te->reassign.a.vfs[k],
				     te->from_host[k], te->at, false);
		if (fn >= 0)
			quiesce(e, fn, ev, now);
		if (fn >= 0 && e->vfs[fn].model)
			fault_model_leave(e, fn, ev, now);
	}
	resplit_moved(e, te, now);
}

/* Device dv is removed at now (event ev): its functions stop for good and its link is down
 * for good; what was on its way to it is discarded at the other end of the link. */
static void remove_device(struct eng *e, int dv, int ev, double now)
{
	int l = e->t->devices[dv].link;

	for (size_t f = 0; f < e->t->nfunctions; f++)
		if (e->t->functions[f].device == dv && !e->t->functions[f].is_pf)
			quiesce(e, (int)f, ev, now);
	e->faults->gone[dv] = true;
	if (l < 0)
		return; /* a device no host uses may have no link */
	if (e->faults->link_ev[l] < 0)
		fault_link_down(e, l, ev, now);
	else
		e->faults->link_ev[l] = ev; /* down already: what is lost now is the removal's */
}

/* The VFs of reassign event ev serve their new host from now (their FLR is done). */
static void reassign_in(struct eng *e, int ev, double now)
{
	const struct topo_event *te = &e->t->events[ev];

	for (size_t k = 0; k < te->reassign.a.nvfs; k++) {
		int fn = incarnation(e, te->reassign.a.device.idx, te->reassign.a.vfs[k],
				     te->reassign.to.idx, te->at, true);
		if (fn >= 0 && !fault_model_enter(e, fn, now)) { /* else: at link_up */
			stream_restart(e, &e->vfs[fn], now);
			dev_model_back(e, fn, now); /* an NVMe controller's closed loops */
		}
	}
	resplit_moved(e, te, now);
}

/* The actor's agenda: the events in time order, and what they started that ends later. */
struct agenda {
	size_t next;      /* next event */
	double *end;      /* per event: its FLR (reset) or its retraining (link_up) ends then
			   * (INFINITY: nothing pending) */
};

/* The next thing to do: an FLR or a retraining ending (*ev, *flr set) or the next event;
 * INFINITY: none. */
static double agenda_next(const struct eng *e, const struct agenda *a, int *ev, bool *flr)
{
	double when = INFINITY;

	for (size_t i = 0; i < a->next; i++) /* what ends goes first at equal times */
		if (a->end[i] < when) {
			when = a->end[i];
			*ev = (int)i;
			*flr = true;
		}
	if (a->next < e->t->nevents && e->t->events[a->next].at < when) {
		when = e->t->events[a->next].at;
		*ev = (int)a->next;
		*flr = false;
	}
	return when;
}

static void apply(struct eng *e, struct agenda *a, int ev, double now)
{
	const struct topo_event *te = &e->t->events[ev];

	a->next++;
	switch (te->kind) {
	case EV_RESET:
		reset_host(e, te->reset.idx, ev, now);
		a->end[ev] = now + e->t->pcie.flr;
		break;
	case EV_LINK_DOWN:
		fault_link_down(e, te->link_down.idx, ev, now);
		break;
	case EV_LINK_UP: /* it trains first (LTSSM), then carries TLPs */
		a->end[ev] = now + e->t->pcie.retrain;
		break;
	case EV_REASSIGN: /* FLR after Migrate-Out, then Migrate-In (domain.md §1.6) */
		reassign_out(e, ev, now);
		a->end[ev] = now + e->t->pcie.flr;
		break;
	case EV_REMOVE:
		remove_device(e, te->remove.idx, ev, now);
		break;
	default:
		break;
	}
}

/* What event ev started ends at now. */
static void ended(struct eng *e, int ev, double now)
{
	const struct topo_event *te = &e->t->events[ev];

	if (te->kind == EV_RESET)
		host_back(e, te->reset.idx, now);
	else if (te->kind == EV_REASSIGN)
		reassign_in(e, ev, now);
	else
		fault_link_back(e, te->link_up.idx, now);
	e->faults->ev[ev].back_at = now;
}

/* Do what is due now, or wait until something is; false when nothing more can happen. */
static bool fault_step(struct eng *e, struct agenda *a)
{
	struct eng_faults *f = e->faults;
	double now = simgrid_get_clock(), when, itag;
	int ev = 0;
	bool flr = false, gone = false;

	if (now >= e->end)
		return false;
	e->now = now;
	when = agenda_next(e, a, &ev, &flr);
	itag = f->itq_n ? f->itq[f->itq_head].at : INFINITY;
	if (itag <= now) {
		struct fault_itag it = f->itq[f->itq_head];
		f->itq_head = (f->itq_head + 1) % f->itq_cap;
		f->itq_n--;
		ats_inv_timeout(e, it.host, it.fn, it.at);
		return true;
	}
	if (when <= now) {
		if (flr) {
			a->end[ev] = INFINITY;
			ended(e, ev, now);
		} else {
			apply(e, a, ev, now);
		}
		return true;
	}
	for (size_t d = 0; d < e->t->ndevices; d++)
		gone |= f->gone[d]; /* invalidations to it may still be lost, and time out */
	if (fmin(when, itag) >= e->end && !gone) {
		e->calm_until = INFINITY; /* nothing more to do: the ports run alone */
		return false;
	}
	f->waiting = true;
	f->wait_until = fmin(fmin(when, itag), e->end);
	e->calm_until = f->wait_until;
	sg_sem_acquire_timeout(f->sem, f->wait_until - now);
	e->calm_until = -INFINITY;
	f->waiting = false;
	return true;
}

static void fault_actor(int argc, char **argv)
{
	struct eng *e = sg_actor_self_get_data();
	struct agenda a = {0, mriov_calloc(e->t->nevents, sizeof(double))};

	(void)argc;
	(void)argv;
	if (!a.end) {
		e->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < e->t->nevents; i++)
		a.end[i] = INFINITY;
	while (!e->err && fault_step(e, &a))
		;
	free(a.end);
}

void fault_start(struct eng *e)
{
	sg_actor_t a;

	if (!e->faults)
		return;
	e->faults->sem = sg_sem_init(0);
	a = sg_actor_init("mr-pcim", sg_host_by_name(e->nodes.name[0]));
	sg_actor_set_data(a, e);
	sg_actor_start(a, fault_actor, 0, NULL);
}
