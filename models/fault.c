/* fault.c - runtime events in the engine (contract §10). One management actor (MR-PCIM's
 * place in the model) sleeps until each event and applies it, and until each FLR it started
 * ends. A reset moves the epoch of each of the host's functions: a DMA issued before belongs
 * to an older epoch and has failed; its TLPs still in the fabric are discarded where they
 * arrive (their credits and tags are given back as usual), so that nothing of another host's
 * (TLP, credit, tag or statistic) is touched (domain.md §1.7: a hot reset resets only the
 * VH's virtual switch subtree and its functions, never the shared physical link). */
#include "fault.h"

#include <errno.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>

#include "alloc.h"
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
	if (!f->ev || !f->host_failed || !f->host_timeouts)
		return -ENOMEM;
	return 0;
}

void fault_destroy(struct eng *e)
{
	if (!e || !e->faults)
		return;
	free(e->faults->ev);
	free(e->faults->host_failed);
	free(e->faults->host_timeouts);
	free(e->faults);
	e->faults = NULL;
}

/* One more DMA of function fn failed at t, because of event ev. */
static void count_failed(struct eng *e, int fn, int ev, double t)
{
	e->faults->ev[ev].dmas_failed++;
	if (eng_in_window(e, t))
		e->faults->host_failed[e->t->functions[fn].host]++;
}

void fault_arrival_dropped(struct eng *e, const struct vf *vf, double t)
{
	count_failed(e, vf->fn, vf->reset_ev, t);
}

void fault_stale_arrival(struct eng *e, struct dma *d, uint32_t bytes, double t)
{
	const struct vf *vf = &e->vfs[d->fn];

	e->faults->ev[vf->reset_ev].tlps_lost++;
	d->done += bytes;
	if (d->done < d->sent)
		return; /* more of it is still in flight */
	count_failed(e, d->fn, vf->reset_ev, t);
	dev_dma_release(e, d, t);
	slab_free(&e->dmas, d);
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
	}
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

/* Function fn is reset at now (event ev): its DMAs fail, its ATC entries go, it is back at
 * now + flr. */
static void reset_function(struct eng *e, int fn, int ev, double now)
{
	struct vf *vf = &e->vfs[fn];

	vf->reset_ev = ev;
	for (int op = 0; op < 2; op++) /* arrivals due by now are made in the old epoch */
		if (vf->eng[op].vf)
			dev_arrivals(e, vf, op, now);
	vf->epoch++;
	vf->down_until = now + e->t->pcie.flr;
	for (int op = 0; op < 2; op++)
		fail_queue(e, vf, op, now);
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

	for (size_t f = 0; f < e->t->nfunctions; f++)
		if (e->t->functions[f].host == h && !e->t->functions[f].is_pf)
			reset_function(e, (int)f, ev, now);
	if (eh->iommu)
		tcache_drop_range(&eh->iotlb, 0, UINT64_MAX);
	if (eh->irq_remap)
		tcache_drop_range(&eh->irte, 0, UINT64_MAX);
}

/* Host h's functions are back at now (their FLR is done): the closed loops start again. */
static void host_back(struct eng *e, int h, int ev, double now)
{
	for (size_t f = 0; f < e->t->nfunctions; f++)
		if (e->t->functions[f].host == h && !e->t->functions[f].is_pf &&
		    e->vfs[f].down_until <= now) /* not reset again meanwhile */
			dev_stream_restart(e, &e->vfs[f], now);
	e->faults->ev[ev].back_at = now;
}

/* The actor's agenda: the events in time order, and the FLRs under way. */
struct agenda {
	size_t next;      /* next event */
	double *flr_end;  /* per event: its FLR ends then (INFINITY: none pending) */
};

/* The next thing to do: an FLR ending (*ev, *flr set) or the next event; INFINITY: none. */
static double agenda_next(const struct eng *e, const struct agenda *a, int *ev, bool *flr)
{
	double when = INFINITY;

	for (size_t i = 0; i < a->next; i++) /* FLRs first at equal times */
		if (a->flr_end[i] < when) {
			when = a->flr_end[i];
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
	if (te->kind == EV_RESET) {
		reset_host(e, te->reset.idx, ev, now);
		a->flr_end[ev] = now + e->t->pcie.flr;
	}
}

static void fault_actor(int argc, char **argv)
{
	struct eng *e = sg_actor_self_get_data();
	struct agenda a = {0, mriov_calloc(e->t->nevents, sizeof(double))};

	(void)argc;
	(void)argv;
	if (!a.flr_end) {
		e->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < e->t->nevents; i++)
		a.flr_end[i] = INFINITY;
	for (;;) {
		int ev = 0;
		bool flr = false;
		double when = agenda_next(e, &a, &ev, &flr);
		if (when >= e->end || e->err)
			break;
		sg_actor_sleep_until(when);
		e->now = simgrid_get_clock();
		if (flr) {
			a.flr_end[ev] = INFINITY;
			host_back(e, e->t->events[ev].reset.idx, ev, e->now);
		} else {
			apply(e, &a, ev, e->now);
		}
	}
	free(a.flr_end);
}

void fault_start(struct eng *e)
{
	sg_actor_t a;

	if (!e->faults)
		return;
	a = sg_actor_init("mr-pcim", sg_host_by_name(e->nodes.name[0]));
	sg_actor_set_data(a, e);
	sg_actor_start(a, fault_actor, 0, NULL);
}
