/* decide.c - a port's decision: which source sends now, looking only at those the ready
 * set says may (ready.h), and granting what a look at every source would grant; then its
 * commit. The arbiter (arb.c) chooses among the VHs that can send; the ready set's waiters
 * behind their credit sets' candidates, and trusted candidates, keep the looks per
 * decision independent of the sources a port has (docs/architecture.md). */
#include "engine.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <xbt/asserts.h>


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
 * so the first decision from then on looks at it. A source whose tags others take too
 * stays active (they change without its credits: src_tags_shared), as does one whose
 * credits date is past. */
static void park_on_credits(struct port *p, const struct src *s, int i, int idx, double now,
			    double c, double lazy)
{
	if (p->e->full_scan || src_tags_shared(s) || c <= now)
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
		const struct tlp *h = s->ops->offered(s);
		if (!h || h->route->ports[h->hop] == p) /* (a head not ready yet, bound */
			*wake = fmin(*wake, nt);        /* elsewhere, signals p as it leaves) */
		maybe_park(p, s, i, now, nt);
		return NULL;
	}
	if (t->route->ports[t->hop] != p) { /* head-of-line: it waits for another port */
		maybe_park(p, s, i, now, now);
		return NULL;
	}
	if (src_behind_posted(s, t))
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
	int i = p->vh[p->fc.vh_of_set[idx / TLP_NCLASS]].rr + 1;
	return i < p->nsrcs ? i : 0;
}

static enum ready_look credit_look(void *arg, int i, int idx, double now)
{
	struct port *p = arg;
	const struct src *s = p->srcs[i];
	const struct tlp *t = s->ops->offered(s);
	double c = INFINITY;

	if (s->wake > now || !t || t->ready > now || t->route->ports[t->hop] != p ||
	    src_tags_shared(s) || (s->tags && tpool_avail(s->tags, now) < 1) ||
	    src_behind_posted(s, t) || fc_index(&p->fc, t->vh, t->cls) != idx)
		return READY_OTHER; /* not only idx's credits: the decision looks at it (a FIFO of
				     * several VHs may hold a TLP of another credit set now) */
	return fc_can_send(&p->fc, idx, t->payload, now, &c) ? READY_SENDS : READY_LACKS;
}

static double credit_next(void *arg, int idx, double now)
{
	struct port *p = arg;

	return fc_next_change(&p->fc, idx, now);
}

/* Waiter i's passive date came: its own ops make its lazy work when that commutes with the
 * other looks (a DMA engine's arrivals on a device without a calibrated engine: dev.c). */
static bool credit_touch(void *arg, int i, double now, double *lazy)
{
	struct port *p = arg;
	struct src *s = p->srcs[i];
	double nt = INFINITY;

	if (!s->ops->touch || !s->ops->touch(s, now, &nt))
		return false;
	*lazy = isfinite(nt) ? nt : -1;
	return true;
}

/* A shared credit set's waiters in the decision's order (ready_order.c): a VH's key is its
 * number less one under rr (from the one after the last granted), its rank under strict
 * (engine_build.c, build_order). */
static int credit_key_start(void *arg)
{
	const struct port *p = arg;

	return p->arb.kind == ARB_KIND_RR ? p->arb.last % p->arb.n : 0;
}

static int credit_key_last(void *arg, int key)
{
	const struct port *p = arg;

	return p->vh[p->arb.kind == ARB_KIND_RR	    ? key + 1
		     : p->arb.kind == ARB_KIND_STRICT ? p->arb.order[key]
						      : key].rr; /* wrr: the VH itself */
}

/* In whole FC units (as bytes): the payloads that take the same credits are one need (so
 * a wrr port's waiters have at most 257 needs: ready_order.c). */
static uint32_t credit_need(void *arg, int i)
{
	const struct port *p = arg;
	const struct src *s = p->srcs[i];

	return (uint32_t)fc_data_units(s->ops->offered(s)->payload) * FC_UNIT;
}

static bool credit_can(void *arg, int idx, uint32_t need, double now)
{
	struct port *p = arg;
	double c = INFINITY;

	return fc_can_send(&p->fc, idx, need, now, &c);
}

/* The lines a touch of source i reads first, asked for ahead of it (ready_credit_ops): the
 * source's, and the one after it, where a model's source that embeds it keeps what its
 * look reads next (a DMA engine's candidate, VF and queue: dev.h). A touch's lines are
 * cold (4 080 engines, each touched 19 us apart at cb255x16): 0.320 -> 0.340 TLP-hops per
 * bare sleep there (docs/performance.md, "Open-loop arrivals"). */
static void credit_prefetch(void *arg, int i)
{
	const struct port *p = arg;
	const char *s = (const char *)p->srcs[i];

	__builtin_prefetch(s);
	__builtin_prefetch(s + sizeof(struct src));
}

const struct ready_credit_ops eng_credit_ops = {
	.start = credit_start, .look = credit_look, .next = credit_next,
	.key_start = credit_key_start, .key_last = credit_key_last, .need = credit_need,
	.can = credit_can, .touch = credit_touch, .prefetch = credit_prefetch};

/* The source of VH v that can send now and comes first in round-robin order after the last
 * one served (p->vh[v].rr), its TLP in *out; or -1. Looks only at the active ones. */
static int vh_pick(struct port *p, int v, double now, double *wake, bool *blocked,
		   const struct tlp **out)
{
	const int *s = p->vh_srcs + p->vh_first[v];
	int n = p->vh_first[v + 1] - p->vh_first[v], k0 = 0;

	while (k0 < n && s[k0] <= p->vh[v].rr)
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

/* wrr on a port of one-VH FIFOs without tags (build_vh_groups, decide_wrr): smooth WRR
 * weighs every VH that can send, so each decision needs the whole eligible set. A VH keeps
 * the source vh_pick found (its pick, the one a scan would grant it) while nothing that
 * could change that happened: a source of the VH activated (a new head, an older posted
 * write gone, credits or a date come: ready.h, gknown), the VH served, the link down
 * (engine.c), or the credits its pick needs taken by another VH's grant. Credits go down
 * only by this port's grants and a FIFO's head stays ready once ready, so nothing else
 * can. */

/* The last grant took credits of index q: the picks on q that lack them now are
 * forgotten (looked at again). Can-send grows with the credits available, so when q has
 * what the largest pick on it needs, every pick on it still can. */
static void wrr_recheck(struct port *p, int q, double now)
{
	uint64_t *known = p->ready.gknown;
	uint32_t need = 0;
	double c = INFINITY;

	if (fc_can_send(&p->fc, q, p->wneed[q], now, &c))
		return;
	for (int w = 0; w < arb_words((int)p->e->t->nhosts); w++)
		for (uint64_t m = known[w]; m; m &= m - 1) {
			int v = w * 64 + __builtin_ctzll(m);
			if (p->wq[v] != q)
				continue;
			if (fc_can_send(&p->fc, q, p->wpay[v], now, &c)) {
				need = p->wpay[v] > need ? p->wpay[v] : need;
			} else {
				known[w] &= ~((uint64_t)1 << (v & 63));
				p->wforgot++;
			}
		}
	p->wneed[q] = need;
}

/* decide_by_vh under wrr: the VHs with an active source and no known pick are looked at,
 * the arbiter weighs the VHs with a pick. */
static int decide_wrr(struct port *p, double now, double *next, struct tlp **out, int *vh,
		      bool *credit_blocked)
{
	struct ready *r = &p->ready;
	int nw = arb_words((int)p->e->t->nhosts);
	double wake = INFINITY;

	if (p->wtaken >= 0)
		wrr_recheck(p, p->wtaken, now);
	p->wtaken = -1;
	for (int w = 0; w < nw; w++)
		p->wreused += (uint64_t)__builtin_popcountll(r->gknown[w]);
	for (int w = 0; w < nw; w++)
		for (uint64_t m = r->gbits[w] & ~r->gknown[w]; m; m &= m - 1) {
			int v = w * 64 + __builtin_ctzll(m);
			const struct tlp *t;
			int i = vh_pick(p, v, now, &wake, credit_blocked, &t);
			if (i < 0)
				continue;
			int q = fc_index(&p->fc, t->vh, t->cls);
			p->wpick[v] = i;
			p->wq[v] = q;
			p->wpay[v] = t->payload;
			p->wneed[q] = t->payload > p->wneed[q] ? t->payload : p->wneed[q];
			r->gknown[w] |= (uint64_t)1 << (v & 63);
		}
	int v = arb_decide(&p->arb, r->gknown);
	if (!v) {
		if (r->nwaiting)
			*credit_blocked = true;
		*next = fmin(wake, ready_next(r));
		return -1;
	}
	int i = p->wpick[v];
	const struct src *s = p->srcs[i];
	xbt_assert(ready_is_active(r, i) && s->head && s->head->route->ports[s->head->hop] == p,
		   "a known pick that cannot send");
	memcpy(p->elig, r->gknown, (size_t)nw * sizeof(*p->elig)); /* for port_commit */
	*out = s->head;
	*vh = v;
	return i;
}

/* port_decide on a port of one-VH FIFOs under rr or strict (build_vh_groups): the VHs in
 * the arbiter's order, the first that has a source that can send wins. A FIFO's look has
 * no side effect and a source not looked at stays active, so this grants what the scan of
 * every source grants; when nothing can send, every active source was looked at. */
static int decide_by_vh(struct port *p, double now, double *next, struct tlp **out, int *vh,
			bool *credit_blocked)
{
	int nvh = (int)p->e->t->nhosts, i = -1, v = 0;
	double wake = INFINITY;
	const struct tlp *t;

	ready_due(&p->ready, now);
	if (p->ready.gknown)
		return decide_wrr(p, now, next, out, vh, credit_blocked);
	if (p->arb.kind == ARB_KIND_RR) { /* from the VH after the last granted, cyclically: */
		int first = p->arb.last % nvh + 1; /* the VHs with an active source only */
		for (int pass = 0; pass < 2 && i < 0; pass++) {
			int end = pass ? first : nvh + 1;
			for (v = ready_next_group(&p->ready, pass ? 1 : first, end); v >= 0 && i < 0;
			     v = i < 0 ? ready_next_group(&p->ready, v + 1, end) : v)
				i = vh_pick(p, v, now, &wake, credit_blocked, &t);
		}
	} else {
		for (int k = 0; k < nvh && i < 0; k++) {
			v = arb_nth(&p->arb, k);
			if (ready_group_active(&p->ready, v)) /* else vh_pick would look at none */
				i = vh_pick(p, v, now, &wake, credit_blocked, &t);
		}
	}
	if (i >= 0) {
		*out = (struct tlp *)t;
		*vh = v;
		return i;
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
	return (i - p->vh[v].rr - 1 + 2 * p->nsrcs) % p->nsrcs;
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
		if (x >= 0 && r->s[x].tvh == v && /* (a shared set's may be another VH's) */
		    (i < 0 || rr_dist(p, v, x) < rr_dist(p, v, i)))
			i = x;
	}
	xbt_assert(i >= 0, "an eligible VH without a source");
	return i;
}

/* Decide: the index of the source to serve now and its TLP (*out) and VH (*vh), or -1
 * with *next set to when to look again. Neither the arbiter nor the round-robin pointers
 * move here: port_commit() does that when the grant is used. */
int port_decide(struct port *p, double now, double *next, struct tlp **out, int *vh,
		bool *credit_blocked)
{
	int nvh = (int)p->e->t->nhosts;
	double wake = INFINITY;

	*credit_blocked = false;
	if (!p->e->full_scan)
		port_catch_up(p);
	/* what paces the port (a device's DMA engine at max_rate) is busy until then */
	if (p->pacer && p->pacer->free_at(p->pacer_arg) > now) {
		*next = p->pacer->free_at(p->pacer_arg);
		return -1;
	}

	if (p->vh_srcs && !p->e->full_scan)
		return decide_by_vh(p, now, next, out, vh, credit_blocked);
	if (!p->e->full_scan)
		ready_due_decide(&p->ready, now);
	bool keep = p->could && !p->e->full_scan;
	bool weighs = keep && ready_order_weighs(&p->ready);
again:
	memset(p->elig, 0, (size_t)arb_words(nvh) * sizeof(*p->elig));
	p->ncould = 0;
	for (int i = port_next_src(p, 0); i >= 0; i = port_next_src(p, i + 1)) {
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
			p->vh[v].best = i;
		} else if (rr_dist(p, v, i) < rr_dist(p, v, p->vh[v].best)) {
			p->vh[v].best = i; /* the VH's next source in round-robin order */
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
	if (weighs) { /* and those of the waiters able to send (ready_order.c) */
		if (!trusted)
			memcpy(p->selig, p->elig, (size_t)arb_words(nvh) * sizeof(*p->elig));
		ready_order_eligible(&p->ready, now, p->elig);
	}
	int v = arb_decide(&p->arb, p->elig);
	if (!v) {
		*next = wake;
		return -1;
	}
	int i = p->vh[v].best;
	if (trusted || weighs)
		i = p->selig[v >> 6] >> (v & 63) & 1 ? i : -1;
	if (trusted)
		i = pick_trusted(p, v, i);
	if (weighs) {
		bool other;
		int x = ready_order_pick(&p->ready, v, now, &other);
		if (other) { /* a waiter was found waiting for something else: activated */
			p->wother++;
			goto again;
		}
		if (x >= 0 && (i < 0 || rr_dist(p, v, x) < rr_dist(p, v, i))) {
			/* its passive date is later (ready_due_decide made those due): its peek
			 * would have no side effect, and its TLP is the one it waits with */
			xbt_assert(!(p->ready.s[x].lazy >= 0 && p->ready.s[x].lazy <= now),
				   "a weighed waiter with its passive date due");
			ready_activate(&p->ready, x); /* it sends; the others wait on */
			i = x;
			p->wpicked++;
		}
		xbt_assert(i >= 0, "an eligible VH without a source");
	}
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
		if (i == won || r->s[i].candof >= 0 || src_tags_shared(p->srcs[i]))
			continue; /* one whose tags others take stays active (park_on_credits) */
		const struct tlp *t = p->srcs[i]->ops->offered(p->srcs[i]);
		if (ready_park_behind(r, i, fc_index(&p->fc, t->vh, t->cls), p->could_lazy[k]))
			p->e->err = -ENOMEM;
	}
	p->ncould = 0;
}

/* Source i has just sent (its pop done) at now: if it has nothing to send before its wake
 * date, it is parked until then at once, as the next decision that looked at it would do
 * (offer: "known idle until then"), so that no decision has to read it meanwhile (a DMA
 * engine's next arrival: docs/performance.md, "Flatness by hosts"). Not a waiter, a
 * candidate, a trusted or a touched source: their decisions' looks have other effects. */
void port_park_sent(struct port *p, int i, double now)
{
	const struct src *s = p->srcs[i];
	const struct ready_src *rs = &p->ready.s[i];

	if (!p->e->full_scan && s->wake > now && rs->on < 0 && rs->candof < 0 && rs->tvh < 0 &&
	    !rs->touch && ready_is_active(&p->ready, i))
		maybe_park(p, s, i, now, s->wake);
}

/* The grant of source i (VH v), decided from p->elig, is used. */
void port_commit(struct port *p, int i, int v)
{
	if (p->ncould > 1 || (p->ncould == 1 && p->could[0] != i)) /* (i: maybe a waiter) */
		park_losers(p, i);
	if (p->ready.s[i].candof >= 0) /* its TLP goes: its index looks again */
		ready_cand_changed(&p->ready, i);
	arb_commit(&p->arb, p->elig, v);
	p->vh[v].rr = i;
	if (p->ready.gknown) { /* its order moved; the credits it takes may be others' */
		p->ready.gknown[v >> 6] &= ~((uint64_t)1 << (v & 63));
		p->wtaken = p->wq[v];
	}
	if (p->ready.nmat) /* its waiters' order moved, credits go */
		for (int c = 0, q = fc_index(&p->fc, v, 0); c < TLP_NCLASS; c++)
			ready_credit_look(&p->ready, q + c);
}
