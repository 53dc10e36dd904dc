/* engine.c - egress ports as SimGrid actors: arbitration, credits, serialization,
 * cut-through delivery to the next node. */
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
		double now = e->stepping ? e->step_now : simgrid_get_clock();
		p->waiting = false;
		sched_lower(&e->sched, &p->si, now);
		if (e->waiting && now < e->wait_until) {
			e->waiting = false;
			sg_sem_release(e->sem);
		}
	}
}

void src_activate(struct src *s)
{
	for (int k = 0; k < s->nown; k++) {
		struct ready *r = &s->own[k].p->ready;
		int i = s->own[k].i;
		if (r->s[i].candof >= 0) /* a candidate may have changed: look again */
			ready_cand_changed(r, i);
		ready_activate(r, i);
	}
}

void src_count(struct src *s, int delta)
{
	s->n += (uint32_t)delta;
	for (int k = 0; k < s->nown; k++)
		queue_change(s->own[k].p, delta);
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


/* The first source at or after i a decision looks at, or -1: every source with full_scan,
 * else the active ones (ready.h). */
static int next_src(const struct port *p, int i)
{
	if (p->e->full_scan)
		return i < p->nsrcs ? i : -1;
	return ready_next_active(&p->ready, i);
}

/* After a decision looked at source i: skip it until `until` (> now) if it has nothing
 * before, or until it is activated if its head is bound for another port. */
static void maybe_park(struct port *p, const struct src *s, int i, double now, double until)
{
	const struct tlp *h = s->ops->offered(s);

	if (p->e->full_scan)
		return;
	if (h && h->route->ports[h->hop] != p) /* bound elsewhere: its departure activates s */
		ready_clear(&p->ready, i);
	else if (until > now && ready_park(&p->ready, i, until))
		p->e->err = -ENOMEM;
}

/* Source i's TLP lacks the credits of index idx until c at the earliest: decisions skip it
 * until c, or until the return fc_return announces is due (ready_credit_at). Its peek has no side effect
 * before `lazy` (the date it lowered *next to with a TLP: a DMA engine's next arrival),
 * so the first decision from then on looks at it. A source that waits for tags too stays
 * active (tags change without its credits), as does one whose credits date is past. */
static void park_on_credits(struct port *p, const struct src *s, int i, int idx, double now,
			    double c, double lazy)
{
	if (p->e->full_scan || s->tags || c <= now)
		return;
	if (ready_park_credit(&p->ready, i, idx, c, isfinite(lazy) ? lazy : -1))
		p->e->err = -ENOMEM;
}

/* The TLP source i of p could send now, or NULL: not ready (*wake lowered to when it may
 * be; the source parked or set aside), bound for another port, behind an older posted
 * write, waiting for a tag, or lacking credits (*credit_blocked set). Inlined in both
 * decision paths: it runs once per source looked at. */
static inline __attribute__((always_inline)) const struct tlp *
offer(struct port *p, struct src *s, int i, double now, double *wake, bool *credit_blocked,
      double *lazy)
{
	struct tlp *t;
	double nt = INFINITY;

	if (s->wake > now) { /* known idle until then: skip it */
		*wake = fmin(*wake, s->wake);
		maybe_park(p, s, i, now, s->wake);
		return NULL;
	}
	t = s->ops->peek(s, now, &nt);
	if (!t) {
		*wake = fmin(*wake, nt);
		maybe_park(p, s, i, now, nt);
		return NULL;
	}
	if (t->route->ports[t->hop] != p) { /* head-of-line: it waits for another port */
		maybe_park(p, s, i, now, now);
		return NULL;
	}
	if (s->posted && s->posted->head && s->posted->head->seq < t->seq)
		return NULL; /* requests and completions do not pass posted writes */
	if (s->tags && tpool_avail(s->tags, now) < 1) { /* a request waits for a tag */
		*wake = fmin(*wake, tpool_next_return(s->tags));
		return NULL;
	}
	int idx = fc_index(&p->fc, t->vh, t->cls);
	double c = INFINITY;
	if (!fc_can_send(&p->fc, idx, t->payload, now, &c)) {
		*wake = fmin(*wake, c);
		*credit_blocked = true;
		park_on_credits(p, s, i, idx, now, c, nt);
		return NULL;
	}
	*lazy = nt;
	return t;
}

/* A look at the sources parked on a credit index whose return is due (ready.h): the
 * round-robin order of a decision, and what offer() would find, without its side effects. */
static int credit_start(void *arg, int idx)
{
	const struct port *p = arg;

	if (!p->fc.vh_of_set)
		return -1; /* one set for every VH: all its waiters are looked at */
	int i = p->rr[p->fc.vh_of_set[idx / TLP_NCLASS]] + 1;
	return i < p->nsrcs ? i : 0;
}

static enum ready_look credit_look(void *arg, int i, int idx, double now)
{
	struct port *p = arg;
	const struct src *s = p->srcs[i];
	const struct tlp *t = s->ops->offered(s);
	double c = INFINITY;

	if (s->wake > now || !t || t->ready > now || t->route->ports[t->hop] != p || s->tags ||
	    (s->posted && s->posted->head && s->posted->head->seq < t->seq) ||
	    fc_index(&p->fc, t->vh, t->cls) != idx)
		return READY_OTHER; /* not only idx's credits: the decision looks at it (a FIFO of
				     * several VHs may hold a TLP of another credit set now) */
	return fc_can_send(&p->fc, idx, t->payload, now, &c) ? READY_SENDS : READY_LACKS;
}

static double credit_next(void *arg, int idx, double now)
{
	struct port *p = arg;

	return fc_next_change(&p->fc, idx, now);
}

const struct ready_credit_ops eng_credit_ops = {credit_start, credit_look, credit_next};

/* The source of VH v that can send now and comes first in round-robin order after the last
 * one served (p->rr[v]), its TLP in *out; or -1. Looks only at the active ones. */
static int vh_pick(struct port *p, int v, double now, double *wake, bool *blocked,
		   const struct tlp **out)
{
	const int *s = p->vh_srcs + p->vh_first[v];
	int n = p->vh_first[v + 1] - p->vh_first[v], k0 = 0;

	while (k0 < n && s[k0] <= p->rr[v])
		k0++;
	for (int k = 0; k < n; k++) {
		int i = s[(k0 + k) % n];
		if (!ready_is_active(&p->ready, i))
			continue;
		double lazy;
		const struct tlp *t = offer(p, p->srcs[i], i, now, wake, blocked, &lazy);
		if (t) {
			*out = t;
			return i;
		}
	}
	return -1;
}

/* port_decide on a port of one-VH FIFOs under rr or strict (build_vh_groups): the VHs in
 * the arbiter's order, the first that has a source that can send wins. A FIFO's look has
 * no side effect and a source not looked at stays active, so this grants what the scan of
 * every source grants; when nothing can send, every active source was looked at. */
static int decide_by_vh(struct port *p, double now, double *next, struct tlp **out, int *vh,
			bool *credit_blocked)
{
	int nvh = (int)p->e->t->nhosts;
	double wake = INFINITY;

	ready_due(&p->ready, now);
	if (p->arb.kind == ARB_KIND_RR) { /* from the VH after the last granted, cyclically: */
		int first = p->arb.last % nvh + 1; /* the VHs with an active source only */
		for (int pass = 0; pass < 2; pass++) {
			int end = pass ? first : nvh + 1;
			for (int v = ready_next_group(&p->ready, pass ? 1 : first, end); v >= 0;
			     v = ready_next_group(&p->ready, v + 1, end)) {
				const struct tlp *t;
				int i = vh_pick(p, v, now, &wake, credit_blocked, &t);
				if (i >= 0) {
					*out = (struct tlp *)t;
					*vh = v;
					return i;
				}
			}
		}
	} else {
		for (int k = 0; k < nvh; k++) {
			int v = arb_nth(&p->arb, k);
			const struct tlp *t;
			if (!ready_group_active(&p->ready, v))
				continue; /* vh_pick would look at none of its sources */
			int i = vh_pick(p, v, now, &wake, credit_blocked, &t);
			if (i >= 0) {
				*out = (struct tlp *)t;
				*vh = v;
				return i;
			}
		}
	}
	if (p->ready.nwaiting)
		*credit_blocked = true;
	*next = fmin(wake, ready_next(&p->ready));
	return -1;
}

/* Waiter i's passive date came (ready.h, touch): its look makes its side effects (a DMA
 * engine's arrivals) in the scan's order, as when it was activated. When it still offers
 * the TLP it waits with, it waits on (behind its index's candidate, or for credits, which
 * its side effects do not change): true. Else it is active again: false. */
static bool touch_waiter(struct port *p, int i, double now)
{
	struct src *s = p->srcs[i];
	const struct tlp *h = s->ops->offered(s);
	double nt = INFINITY;

	if (s->wake <= now && h && s->ops->peek(s, now, &nt) == h) {
		ready_touched(&p->ready, i, isfinite(nt) ? nt : -1);
		return true;
	}
	ready_activate(&p->ready, i);
	return false;
}

/* How far source i comes after the last one VH v was served from, in round-robin order. */
static inline int rr_dist(const struct port *p, int v, int i)
{
	return (i - p->rr[v] - 1 + 2 * p->nsrcs) % p->nsrcs;
}

/* VH v's source to grant: the first in round-robin order of the scan's best (i, or -1) and
 * its trusted candidates (one per credit index of its set at most). */
static int pick_trusted(const struct port *p, int v, int i)
{
	const struct ready *r = &p->ready;

	if (!r->tcount[v])
		return i;
	for (int c = 0; c < TLP_NCLASS; c++) {
		int q = fc_index(&p->fc, v, c), x = q < r->nidx ? r->cand[q] : -1;
		if (x >= 0 && ready_trusted(r, x) && (i < 0 || rr_dist(p, v, x) < rr_dist(p, v, i)))
			i = x;
	}
	xbt_assert(i >= 0, "an eligible VH without a source");
	return i;
}

/* Decide: the index of the source to serve now and its TLP (*out) and VH (*vh), or -1
 * with *next set to when to look again. Neither the arbiter nor the round-robin pointers
 * move here: port_commit() does that when the grant is used. */
static int port_decide(struct port *p, double now, double *next, struct tlp **out, int *vh,
		       bool *credit_blocked)
{
	int nvh = (int)p->e->t->nhosts;
	double wake = INFINITY;

	*credit_blocked = false;
	/* what paces the port (a device's DMA engine at max_rate) is busy until then */
	if (p->pacer && p->pacer->free_at(p->pacer_arg) > now) {
		*next = p->pacer->free_at(p->pacer_arg);
		return -1;
	}

	if (p->vh_srcs && !p->e->full_scan)
		return decide_by_vh(p, now, next, out, vh, credit_blocked);
	if (!p->e->full_scan)
		ready_due(&p->ready, now);
	memset(p->elig, 0, (size_t)arb_words(nvh) * sizeof(*p->elig));
	p->ncould = 0;
	bool keep = p->could && !p->e->full_scan;
	for (int i = next_src(p, 0); i >= 0; i = next_src(p, i + 1)) {
		double lazy;
		if (keep && p->ready.s[i].touch && touch_waiter(p, i, now))
			continue;
		const struct tlp *t = offer(p, p->srcs[i], i, now, &wake, credit_blocked, &lazy);
		if (!t)
			continue;
		if (keep) {
			if (p->ready.s[i].candof >= 0 && !p->srcs[i]->posted && lazy > now &&
			    ready_trust(&p->ready, i, t->vh, lazy)) /* until its next side effect */
				p->e->err = -ENOMEM;
			p->could[p->ncould] = i;
			p->could_lazy[p->ncould++] = isfinite(lazy) ? lazy : -1;
		}
		int v = t->vh;
		if (!(p->elig[v >> 6] >> (v & 63) & 1)) {
			p->elig[v >> 6] |= (uint64_t)1 << (v & 63);
			p->best[v] = i;
		} else if (rr_dist(p, v, i) < rr_dist(p, v, p->best[v])) {
			p->best[v] = i; /* the VH's next source in round-robin order */
		}
	}
	if (!p->e->full_scan) {
		wake = fmin(wake, ready_next(&p->ready)); /* the parked sources */
		if (p->ready.nwaiting) /* sources parked on credits would lack them now */
			*credit_blocked = true;
	}
	bool trusted = keep && p->ready.ntrust;
	if (trusted) /* the VHs of trusted candidates can send too (ready.h) */
		for (int w = 0; w < arb_words(nvh); w++) {
			p->selig[w] = p->elig[w];
			p->elig[w] |= p->ready.telig[w];
		}
	int v = arb_decide(&p->arb, p->elig);
	if (!v) {
		*next = wake;
		return -1;
	}
	int i = trusted ? pick_trusted(p, v, p->selig[v >> 6] >> (v & 63) & 1 ? p->best[v] : -1)
			: p->best[v];
	*out = p->srcs[i]->ops->offered(p->srcs[i]);
	*vh = v;
	return i;
}

/* The sources a scan found able to send besides the one granted wait behind their credit
 * index's candidate (ready_park_behind): the next decisions look at the candidate only. */
static void park_losers(struct port *p, int won)
{
	struct ready *r = &p->ready;

	for (int k = 0; k < p->ncould; k++) {
		int i = p->could[k];
		if (i == won || r->s[i].candof >= 0 || p->srcs[i]->tags)
			continue; /* one waiting for tags too stays active (park_on_credits) */
		const struct tlp *t = p->srcs[i]->ops->offered(p->srcs[i]);
		if (ready_park_behind(r, i, fc_index(&p->fc, t->vh, t->cls), p->could_lazy[k]))
			p->e->err = -ENOMEM;
	}
	p->ncould = 0;
}

/* The grant of source i (VH v), decided from p->elig, is used. */
static void port_commit(struct port *p, int i, int v)
{
	if (p->ncould > 1)
		park_losers(p, i);
	if (p->ready.s[i].candof >= 0) /* its TLP goes: its index looks again */
		ready_cand_changed(&p->ready, i);
	arb_commit(&p->arb, p->elig, v);
	p->rr[v] = i;
	if (p->ready.nmat) /* its waiters' order moved, credits go */
		for (int c = 0, q = fc_index(&p->fc, v, 0); c < TLP_NCLASS; c++)
			ready_credit_look(&p->ready, q + c);
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

	if (s->posted && s->posted->head && s->posted->head->seq < t->seq)
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
		ready_due(&p->ready, now);
		t = ready_next(&p->ready);
		if (p->ready.nwaiting) /* heads ready by now that lack credits */
			*stall = fmin(*stall, now);
		if (p->ready.ntrust) /* candidates known to send now (ready.h) */
			t = now;
	}
	for (int i = next_src(p, 0); i >= 0 && t > now; i = next_src(p, i + 1)) {
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

static void engine_actor(int argc, char **argv)
{
	struct eng *e = sg_actor_self_get_data();

	(void)argc;
	(void)argv;
	for (;;) {
		double now = simgrid_get_clock();
		struct sched_item *it = run_due(e, now);
		if (!it)
			break;
		e->waiting = true;
		e->wait_until = it->at;
		sg_sem_acquire_timeout(e->sem, it->at - now);
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
	for (size_t h = 0; h < e->t->nhosts; h++)
		e->stepped &= !e->t->hosts[h].uses_vswitch;
	if (e->stepped)
		return;
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
}
