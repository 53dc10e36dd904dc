/* engine.c - the egress ports run from a schedule of dates: serialization, credits taken,
 * cut-through delivery to the next node, waits; their decisions are in decide.c. */
#include "engine.h"
#include "alloc.h"

#include <errno.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/config.h>
#include <xbt/log.h>

#include "fault.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(mriov_port, mriov, "egress ports");

struct tlp *eng_tlp_new(struct eng *e)
{
	struct tlp *t = slab_alloc(&e->tlps);

	if (!t) {
		e->err = -ENOMEM;
		return NULL;
	}
	t->seq = ++e->seq;
	return t;
}

void eng_tlp_free(struct eng *e, struct tlp *t)
{
	slab_free(&e->tlps, t);
}

/* The part of [a, b] inside the window. */
static double in_window(const struct eng *e, double a, double b)
{
	double lo = fmax(a, e->warmup), hi = fmin(b, e->end);
	return hi > lo ? hi - lo : 0;
}

/* What waits in p's sources changes by delta now: the queue integral and maximum over the
 * window follow every change. */
static void queue_change(struct port *p, int64_t delta)
{
	struct eng *e = p->e;
	double now = e->now;

	if (p->qlead) /* its group's first port keeps it (engine_build.c) */
		p = p->qlead;
	double w = in_window(e, p->queue_since, now);

	p->st.queue_area += (double)p->nqueued * w;
	if (w > 0 && (double)p->nqueued > p->st.queue_max) /* held inside the window */
		p->st.queue_max = (double)p->nqueued;
	p->queue_since = now;
	p->nqueued += delta;
	if (now >= e->warmup && now < e->end && (double)p->nqueued > p->st.queue_max)
		p->st.queue_max = (double)p->nqueued;
}

/* A waiting port runs now, after the ports already due now, as a released actor would.
 * From another actor (a vswitch worker, the runtime events), the engine's actor waits
 * meanwhile: it is released when the port runs before its timeout. */
void eng_signal_at(struct port *p, double t)
{
	if (p && p->waiting && t < p->wait_until) {
		struct eng *e = p->e;
		xbt_assert(!e->stepped || e->stepping, "a port signalled by another actor");
		double now = eng_clock(e);
		p->waiting = false;
		sched_lower(&e->sched, &p->si, now);
		if (e->waiting && now < e->wait_until) {
			e->waiting = false;
			sg_sem_release(e->sem);
		}
	}
}

static inline __attribute__((always_inline)) void activate_own(const struct src_owner *o)
{
	struct ready *r = &o->p->ready;

	if (r->s[o->i].candof >= 0) /* a candidate may have changed: look again */
		ready_cand_changed(r, o->i);
	ready_activate(r, o->i);
}

void port_catch_up_bc(struct port *p)
{
	for (int k = 0; k < p->nbc; k++) {
		const struct src *s = p->srcs[p->bc[k]];
		if (s->bc_epoch != p->bc_seen[k]) {
			p->bc_seen[k] = s->bc_epoch;
			p->caught++;
			activate_own(&(struct src_owner){p, p->bc[k]});
		}
	}
}

void src_activate(struct src *s)
{
	for (int k = 0; k < s->nown; k++)
		activate_own(&s->own[k]);
}

void src_activate_at(struct src *s, const struct port *p)
{
	int lo = 0, hi = s->nown - 1;

	while (lo <= hi) { /* own[] is in the order of the ports (build_ready) */
		int m = (lo + hi) / 2;
		if (s->own[m].p == p) {
			activate_own(&s->own[m]);
			return;
		}
		if (s->own[m].p < p)
			lo = m + 1;
		else
			hi = m - 1;
	}
}

void src_count(struct src *s, int delta)
{
	s->n += (uint32_t)delta;
	for (int k = 0; k < s->nqown; k++)
		queue_change(s->qown[k], delta);
}

void src_wake_by(struct src *s, double t)
{
	if (t < s->wake) {
		s->wake = t;
		src_activate(s);
	}
}

/* Bytes a TLP puts on this link: its TLP bytes (with the MR-IOV prefix on MR-Links) plus
 * its share of the link-layer overhead (DLLPs, SKP), charged as a fraction of the raw rate
 * as pcie-bench does (domain.md §4.4). */
double eng_wire_bytes(const struct port *p, const struct tlp *t)
{
	const struct topo_pcie *c = &p->e->t->pcie;
	unsigned b = pcie_tlp_wire_bytes(t->type, t->payload, p->gen, (int)c->address_bits, c->ecrc,
					 p->mr);
	return b / (1.0 - p->ovh);
}

static void account(struct port *p, double start, double ser, const struct tlp *t, double wire)
{
	struct eng *e = p->e;
	double lo = fmax(start, e->warmup), hi = fmin(start + ser, e->end);

	/* links.csv `tlps`: the TLPs whose transmission starts in the window (§7) */
	if (start >= e->warmup && start <= e->end) {
		p->st.tlps++;
		p->st.purpose_tlps[t->purpose]++;
	}
	if (hi <= lo || ser <= 0)
		return;
	double f = (hi - lo) / ser;
	p->st.busy += hi - lo;
	p->st.wire += wire * f;
	p->st.purpose_wire[t->purpose] += wire * f;
	if (t->type == PCIE_MWR || t->type == PCIE_CPLD)
		p->st.payload += t->payload * f;
}

/* Hand the TLP to the node at the far end, with its header and tail arrival dates. */
static void deliver(struct port *p, struct tlp *t, double hdr, double tail)
{
	p->rx->receive(p->rx_arg, p, t, hdr, tail);
}

void eng_rx_free(struct eng *e, struct port *in, const struct tlp *t, double t_free)
{
	if (fc_return(&in->fc, fc_index(&in->fc, t->vh, t->cls), t->payload, t_free))
		e->err = -ENOMEM;
	eng_signal_at(in, t_free + in->lat);
}

static void port_send(struct port *p, struct src *s, struct tlp *t, double now)
{
	struct eng *e = p->e;
	double wire = eng_wire_bytes(p, t);
	/* wire bytes include the TLP's share of DLLPs and SKPs, so they go at the raw rate */
	double ser = wire * 8.0 / p->raw_bps;
	double hdr = (wire - t->payload / (1.0 - p->ovh)) * 8.0 / p->raw_bps;
	double end = fmax(now + ser, t->tail_in); /* cut-through: not before its tail arrived */

	s->ops->pop(s, t, p, end);
	fc_take(&p->fc, fc_index(&p->fc, t->vh, t->cls), t->payload, now);
	if (p->pacer)
		p->pacer->sent(p->pacer_arg, t, now);
	account(p, now, ser, t, wire);
	if (e->sink.tlp_sent) {
		struct eng_tlp_event ev = {p->link, p->dir, now, ser, t->type, t->vh, t->fn,
					   t->payload, wire, t->purpose};
		e->sink.tlp_sent(e->sink.arg, &ev);
	}
	e->c.tlp_hops++;
	e->last_progress = now;
	deliver(p, t, now + hdr + p->lat, end + p->lat);
	p->busy_until = end; /* the actor waits for it (port_actor) */
}

/* The earliest a source's head TLP t (ready at r) could go, as known now: credits and tags
 * it lacks count from their next known return (later returns signal the port). When it
 * would wait for credits, lowers *stall to when it is ready but for them. */
static double head_ready(struct port *p, const struct src *s, const struct tlp *t, double r,
			 double now, double *stall)
{
	double c = INFINITY;

	if (src_behind_posted(s, t))
		return INFINITY; /* the posted write's departure signals p */
	if (s->tags && tpool_avail(s->tags, now) < 1)
		r = fmax(r, tpool_next_return(s->tags));
	if (!fc_can_send(&p->fc, fc_index(&p->fc, t->vh, t->cls), t->payload, now, &c) && c > r) {
		*stall = fmin(*stall, r);
		r = c;
	}
	return r;
}

/* The earliest time something of p's could be sent (a lower bound: DMA engines whose next
 * TLP is not built yet count from their wake date). */
static double next_ready(struct port *p, double now, double *stall)
{
	double t = INFINITY;

	if (!p->e->full_scan) { /* the parked sources: their dates (due ones are looked at) */
		port_catch_up(p);
		ready_due(&p->ready, now);
		t = ready_next(&p->ready);
		if (p->ready.nwaiting) /* heads ready by now that lack credits */
			*stall = fmin(*stall, now);
		if (p->ready.ntrust) /* candidates known to send now (ready.h) */
			t = now;
		if (p->ready.nwaiting && ready_order_weighs(&p->ready) &&
		    ready_order_any(&p->ready, now)) /* waiters a wrr decision weighs, that can */
			t = now;
	}
	for (int i = port_next_src(p, 0); i >= 0 && t > now; i = port_next_src(p, i + 1)) {
		const struct src *s = p->srcs[i];
		const struct tlp *h = s->ops->offered(s);
		double r = s->wake;
		if (h && h->route->ports[h->hop] != p)
			r = INFINITY; /* a head bound elsewhere signals p when it leaves */
		else if (h && h->ready > now)
			r = h->ready; /* not ready yet: its date, as a parked FIFO gives it */
		else if (h)
			r = head_ready(p, s, h, h->ready, now, stall);
		if (r < t)
			t = r;
	}
	return t < now ? now : t;
}

/* p runs next at `until` (> now), whatever is filed for it meanwhile: the date SimGrid
 * would wake a sleeping actor, which waits at least its precision. */
static void port_sleep(struct port *p, double now, double until)
{
	double d = until - now;

	sched_push(&p->e->sched, &p->si, d > 0 ? now + fmax(d, p->e->precision) : now);
}

/* p runs next at `until`, or earlier if someone files work for it (eng_signal_at). */
static void port_wait(struct port *p, double now, double until)
{
	p->waiting = true;
	p->wait_until = until;
	port_sleep(p, now, until);
}

/* A decision at now found (stalled) a TLP ready but no credits for it, or not. */
static void note_decision(struct port *p, double now, bool stalled)
{
	struct eng *e = p->e;

	/* a stall that began while the port waited past the end of its last TLP */
	if (p->stall_from <= now && p->stall_since < 0)
		p->stall_since = p->stall_from;
	p->stall_from = INFINITY;
	if (stalled && p->stall_since < 0)
		p->stall_since = now;
	if (!stalled && p->stall_since >= 0) {
		p->st.stall += in_window(e, p->stall_since, now);
		p->stall_since = -1;
	}
}

/* p's link is down (fault.c): a discarding port takes every TLP ready for it off its sources
 * and hands it to e->discard; returns when it has to look again (a waiting port: when it is
 * signalled). */
static double port_drain(struct port *p, double now)
{
	double next = INFINITY;
	bool more = p->discard;

	while (more) {
		more = false;
		next = INFINITY;
		for (int i = 0; i < p->nsrcs; i++) {
			struct src *s = p->srcs[i];
			struct tlp *t = s->ops->peek(s, now, &next);
			if (!t || t->route->ports[t->hop] != p)
				continue;
			s->ops->pop(s, t, p, now);
			p->e->discard(p->e, p, t, now);
			more = true;
		}
	}
	return next;
}

/* Run port p at now until it waits (it is scheduled again) or ends (it is not). */
static void port_run(struct port *p, double now)
{
	struct eng *e = p->e;

	p->waiting = false;
	for (;;) {
		double next = INFINITY;
		e->now = now;
		struct tlp *t = NULL;
		int i;

		if (now >= e->end || e->err)
			break;
		if (p->down) {
			if (p->ready.gknown) /* its drain empties FIFOs unseen (decide.c) */
				memset(p->ready.gknown, 0, (size_t)arb_words((int)e->t->nhosts) *
								 sizeof(*p->ready.gknown));
			port_wait(p, now, fmin(port_drain(p, now), e->end));
			return;
		}
		if (now < p->busy_until) {
			/* the link is still sending: if nothing can be ready before it is free,
			 * wait for work instead of waking when it frees (one wake less per TLP on
			 * lightly loaded links) */
			double stall = INFINITY, nr = next_ready(p, now, &stall);
			if (nr < p->busy_until) {
				port_sleep(p, now, p->busy_until);
				return;
			}
			/* a TLP ready by then but lacking credits stalls the link from then on */
			if (stall < nr)
				p->stall_from = fmax(stall, p->busy_until);
			port_wait(p, now, fmin(nr, e->end));
			return;
		}
		bool blocked;
		int v;
		i = port_decide(p, now, &next, &t, &v, &blocked);
		note_decision(p, now, i < 0 && blocked);
		if (i >= 0) {
			port_commit(p, i, v);
			port_send(p, p->srcs[i], t, now);
			port_park_sent(p, i, now);
			continue;
		}
		port_wait(p, now, fmin(next, e->end));
		return;
	}
	e->now = fmin(now, e->end);
	if (p->down && !p->discard && e->faults && !e->err)
		fault_link_end(e, p, e->end); /* a device's link still down at the end */
	note_decision(p, e->now, false);
	queue_change(p, 0); /* close the queue integral */
}

/* The one actor of the ports: it runs the ports in rounds, as SimGrid runs actors. A round
 * takes every port due by now (closer to now than SimGrid's precision, which SimGrid wakes
 * together) in the order they were scheduled, then runs them; the ports they signal run in
 * the next round at the same date. When none is due, it waits for the next date on its
 * semaphore, which another actor releases when it signals a port before then. So one
 * SimGrid wait per date at which some port runs, where an actor per port cost one per port
 * and a release per signal. */
/* Does port item `it` run at now? When it was scheduled for now or before; or, scheduled
 * before the actor last waited, for a date that SimGrid's precision does not tell from now
 * (SimGrid wakes such actors together; a wait begun at now always ends later). */
static bool due(const struct eng *e, const struct sched_item *it, double now)
{
	return it->at <= now || (it->seq <= e->woke_seq && it->at - now < e->precision);
}

/* Run the ports due at now, round after round; the first port scheduled later, or NULL. */
static struct sched_item *run_due(struct eng *e, double now)
{
	struct sched_item *it;
	int n;

	do {
		n = 0;
		while ((it = sched_top(&e->sched)) && due(e, it, now))
			e->round[n++] = sched_pop(&e->sched);
		for (int k = 0; k < n; k++)
			port_run((struct port *)((char *)e->round[k] - offsetof(struct port, si)), now);
	} while (n);
	return it;
}

void eng_release(struct eng *e, sg_sem_t sem)
{
	if (!e->stepping) {
		sg_sem_release(sem);
		return;
	}
	if (e->ncalm_defer == e->capcalm_defer) {
		int cap = e->capcalm_defer ? 2 * e->capcalm_defer : 16;
		sg_sem_t *d = mriov_realloc(e->calm_defer, (size_t)cap * sizeof(*d));
		if (!d) {
			e->err = -ENOMEM;
			return;
		}
		e->calm_defer = d;
		e->capcalm_defer = cap;
	}
	e->calm_defer[e->ncalm_defer++] = sem;
}

/* The earliest date at which another actor can run without being released by a port
 * (engine.h): the events' actor's wake, a worker's, the end; -INFINITY when one is
 * released already. O(1): the workers' dates are a heap. */
static double calm_bound(const struct eng *e)
{
	if (e->calm_now)
		return -INFINITY;
	return fmin(fmin(e->calm_until, dheap_min(&e->calm_acts)), e->end);
}

/* A calm run that ran up to now from SimGrid's clock at `clock` ends: SimGrid's clock is
 * brought to now when a release was made then (the released actor runs at now, after
 * this round), when the run ends, or when the next date of any actor lies beyond
 * 2 * clock (a wait from clock would not land on it to the bit, one from now does as
 * the waits at every date did); then the releases, in order. */
static void calm_end(struct eng *e, double clock, double now, const struct sched_item *it)
{
	double next = fmin(it ? it->at : INFINITY, calm_bound(e));

	if (now > clock && (e->ncalm_defer || !it || next > 2 * clock))
		sg_actor_sleep_for(now - clock);
	for (int k = 0; k < e->ncalm_defer; k++)
		sg_sem_release(e->calm_defer[k]);
	e->ncalm_defer = 0;
}

static void engine_actor(int argc, char **argv)
{
	struct eng *e = sg_actor_self_get_data();

	(void)argc;
	(void)argv;
	for (;;) {
		double clock = simgrid_get_clock(), now = clock;
		struct sched_item *it = run_due(e, now);
		/* Dates before any other actor's next run here, with nothing else to run meanwhile
		 * (engine.h, calm runs), as after a wait until each: SimGrid's clock would be
		 * now + (it->at - now), exactly it->at while it->at <= 2 * now (Sterbenz: the
		 * difference is exact), and up to 2 * clock so is a wait from clock: the dates
		 * are those of a wait at every date, to the bit (calm_end). The other actors'
		 * dates are theirs, SimGrid merges those within its precision of a wake: a calm
		 * date stays 2 precisions before them. */
		while (it && e->calm_ok && !e->ncalm_defer && it->at <= 2 * clock &&
		       it->at < calm_bound(e) - 2 * e->precision) {
			now = it->at;
			e->woke_seq = e->sched.seq;
			e->stepping = true;
			e->step_now = now;
			e->calm_last = now;
			e->c.calm_dates++;
			it = run_due(e, now);
			e->stepping = false;
		}
		calm_end(e, clock, now, it);
		if (!it)
			break;
		e->waiting = true;
		e->wait_until = it->at;
		sg_sem_acquire_timeout(e->sem, it->at - simgrid_get_clock()); /* (not now: a burst) */
		e->waiting = false;
		e->woke_seq = e->sched.seq;
	}
}

void eng_start(struct eng *e)
{
	sg_actor_t a;
	int first = -1;

	for (size_t i = 0; i < e->nports && first < 0; i++)
		if (e->ports[i].nsrcs)
			first = (int)i;
	if (first < 0)
		return; /* no port can ever send: nothing to run, nothing allocated */
	free(e->round);
	sched_free(&e->sched);
	e->round = mriov_calloc(e->nports, sizeof(*e->round));
	if (!e->round || sched_init(&e->sched, (int)e->nports)) {
		e->err = -ENOMEM;
		return;
	}
	e->precision = sg_cfg_get_double("surf/precision");
	/* the ports waiting with no date wait until the end (now + (end - now) may round just
	 * below it): the schedule's heap holds only the others */
	sched_set_horizon(&e->sched, e->end - e->precision);
	for (size_t i = 0; i < e->nports; i++) {
		struct port *p = &e->ports[i];
		p->si.pos = -1;
		if (!p->nsrcs)
			continue; /* nothing can ever be sent this way */
		sched_push(&e->sched, &p->si, 0);
	}
	/* no other actor can signal a port: eng_run steps the ports itself */
	e->stepped = !e->faults && !e->one_actor;
	e->calm_ok = !e->one_actor; /* another actor: calm runs (engine.h), sim.c may turn
				      * them off */
	for (size_t h = 0; h < e->t->nhosts; h++)
		e->stepped &= !e->t->hosts[h].uses_vswitch;
	e->calm_until = e->faults ? -INFINITY : INFINITY; /* fault.c publishes its wakes */
	if (e->stepped)
		return;
	int node = e->ports[first].from;
	e->calm_host = e->nodes.kind[node] == NODE_HOST ? e->nodes.index[node] : -1;
	e->sem = sg_sem_init(0);
	a = sg_actor_init("ports", sg_host_by_name(e->nodes.name[e->ports[first].from]));
	sg_actor_set_data(a, e);
	sg_actor_start(a, engine_actor, 0, NULL);
}

/* Stepped: the ports run from here, date after date, with no actor of theirs (a SimGrid wait
 * of an actor costs three times as much; bench_prims). Only when no other actor can signal
 * a port (eng_start: no runtime events, no vswitch), since such an actor would run inside
 * simgrid_run_until() and its signal could not end a step early. The only other actor then
 * (the progress report) reads the clock and nothing of the ports', so SimGrid's clock is
 * brought to the ports' date 1 024 times a run and at the end, not at each date: a
 * simgrid_run_until() with nothing to do cost as much as a port's decision (about 1 700
 * instructions, one per TLP-hop), and leaves the clock exactly at the date it was given,
 * so the ports see the same dates. */
void eng_run(struct eng *e)
{
	if (e->stepped) {
		struct sched_item *it;
		double now = simgrid_get_clock(), sync = now, step = (e->end - now) / 1024;
		e->stepping = true;
		while ((e->step_now = now, it = run_due(e, now))) {
			e->woke_seq = e->sched.seq;
			now = it->at; /* where simgrid_run_until(it->at) leaves SimGrid's clock */
			if (now >= sync) { /* SimGrid's own actors (a progress daemon) run meanwhile */
				simgrid_run_until(now);
				sync = now + step;
			}
		}
		if (simgrid_get_clock() < now)
			simgrid_run_until(now);
		e->stepping = false;
	}
	simgrid_run();
	for (size_t i = 0; i < e->nports; i++) { /* the queue groups' figures (engine_build.c) */
		struct port *p = &e->ports[i];
		if (p->qlead) {
			p->st.queue_area = p->qlead->st.queue_area;
			p->st.queue_max = p->qlead->st.queue_max;
		}
	}
}
