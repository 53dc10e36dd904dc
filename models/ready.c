/* ready.c - active-source bitmap and parking heap of one egress port. */
#include "ready.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "rcal.h"
#include "ready_priv.h"

int ready_init(struct ready *r, int n)
{
	int nw = (n + 63) / 64;

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->htop = r->ttop = r->ltop = INFINITY;
	/* the summary right after the bits, in one block: a port of few sources reads one line
	 * for both (docs/performance.md, "Flatness by memory layout") */
	size_t nb = nw ? (size_t)nw : 1;
	r->bits = mriov_calloc(nb + (size_t)(nw + 63) / 64 + 1, sizeof(*r->bits));
	r->sum = r->bits ? r->bits + nb : NULL;
	r->s = mriov_calloc_lines(n ? (size_t)n : 1, sizeof(*r->s));
	if (!r->bits || !r->s)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		r->s[i] = (struct ready_src){.parked = -1, .lazy = -1, .on = -1, .candof = -1,
					     .tvh = -1};
		ready_activate(r, i);
	}
	return 0;
}

int ready_init_groups(struct ready *r, const int *group, int ngroups)
{
	r->nactive = mriov_calloc(ngroups > 0 ? (size_t)ngroups : 1, sizeof(*r->nactive));
	r->gbits = mriov_calloc((size_t)ngroups / 64 + 1, sizeof(*r->gbits));
	if (!r->nactive || !r->gbits)
		return -ENOMEM;
	for (int i = 0; i < r->n; i++)
		if (ready_is_active(r, i) && !r->nactive[group[i]]++)
			r->gbits[group[i] >> 6] |= (uint64_t)1 << (group[i] & 63);
	r->group = group;
	return 0;
}

int ready_init_known(struct ready *r, int ngroups)
{
	r->gknown = mriov_calloc((size_t)ngroups / 64 + 1, sizeof(*r->gknown));
	return r->gknown ? 0 : -ENOMEM;
}

int ready_init_credits(struct ready *r, int nidx, const struct ready_credit_ops *ops,
		       void *arg)
{
	size_t n = r->n ? (size_t)r->n : 1, q = nidx ? (size_t)nidx : 1;

	r->wbits = mriov_calloc(q, sizeof(*r->wbits));
	r->nw = mriov_calloc(q, sizeof(*r->nw));
	r->wlo = mriov_malloc(q * sizeof(*r->wlo));
	r->whi = mriov_malloc(q * sizeof(*r->whi));
	r->mat = mriov_calloc(q, sizeof(*r->mat));
	r->inlook = mriov_calloc(q, sizeof(*r->inlook));
	r->cand = mriov_malloc(q * sizeof(*r->cand));
	r->look = mriov_malloc(q * sizeof(*r->look));
	r->wdate = mriov_malloc(q * sizeof(*r->wdate));
	r->lin = mriov_malloc(n * sizeof(*r->lin));
	if (!r->wbits || !r->nw || !r->wlo || !r->whi || !r->mat || !r->inlook || !r->cand ||
	    !r->look || !r->wdate || !r->lin)
		return -ENOMEM;
	for (int k = 0; k < nidx; k++) {
		r->wdate[k] = INFINITY;
		r->cand[k] = -1;
		r->wlo[k] = r->n;
		r->whi[k] = -1;
	}
	for (int i = 0; i < r->n; i++)
		r->lin[i] = -1;
	r->ops = ops;
	r->ops_arg = arg;
	r->nidx = nidx;
	return 0;
}

void ready_destroy(struct ready *r)
{
	if (!r)
		return;
	for (int q = 0; r->wbits && q < r->nidx; q++)
		free(r->wbits[q]);
	free(r->wbits);
	free(r->nw);
	free(r->wlo);
	free(r->whi);
	free(r->mat);
	free(r->inlook);
	free(r->cand);
	free(r->look);
	free(r->wdate);

	free(r->trust);
	free(r->tin);

	free(r->lin);
	free(r->tcount);
	free(r->telig);
	free(r->theap);

	free(r->lheap);
	free(r->bits); /* and the summary */
	free(r->nactive);
	free(r->gbits);
	free(r->gknown);
	ready_order_destroy(r);
	free(r->s);
	free(r->heap);
	if (r->cal)
		rcal_destroy(r->cal);
	free(r->cal);
	memset(r, 0, sizeof(*r));
}

void ready_unwait(struct ready *r, int i)
{
	int q = r->s[i].on;

	r->wbits[q][i >> 6] &= ~((uint64_t)1 << (i & 63));
	if (r->ord)
		ready_order_del(r, i, q);
	r->nw[q]--;
	r->s[i].on = -1;
	r->nwaiting--;
	r->s[i].touch = false;
}

/* Waiter i made its side effects: it waits on until its next passive date lazy (or -1). */
static void wait_lazy(struct ready *r, int i, double lazy)
{
	r->s[i].lazy = lazy;
	if (lazy >= 0 && r->lin[i] != lazy) {
		if (ready_heap_push(ready_lazy_heap(r), lazy, i))
			ready_activate(r, i); /* no room for its date: looked at, which is safe */
		else
			r->lin[i] = lazy;
	}
}

void ready_touched(struct ready *r, int i, double lazy)
{
	r->s[i].touch = false;
	ready_bit_clear(r, i);
	wait_lazy(r, i, lazy);
}

int ready_init_trust(struct ready *r, int nvh)
{
	size_t n = r->n ? (size_t)r->n : 1;

	r->trust = mriov_malloc(n * sizeof(*r->trust));
	r->tin = mriov_malloc(n * sizeof(*r->tin));
	r->tcount = mriov_calloc((size_t)nvh + 1, sizeof(*r->tcount));
	r->telig = mriov_calloc((size_t)nvh / 64 + 1, sizeof(*r->telig));
	if (!r->trust || !r->tin || !r->tcount || !r->telig)
		return -ENOMEM;
	for (int i = 0; i < r->n; i++)
		r->tin[i] = -1;
	r->touching = true;
	return 0;
}

int ready_trust(struct ready *r, int i, int vh, double until)
{
	if (isfinite(until) && r->tin[i] != until) {
		if (ready_heap_push(ready_trust_heap(r), until, i))
			return -ENOMEM;
		r->tin[i] = until;
	}
	ready_bit_clear(r, i);
	r->s[i].tvh = vh;
	r->trust[i] = until;
	if (!r->tcount[vh]++)
		r->telig[vh >> 6] |= (uint64_t)1 << (vh & 63);
	r->ntrust++;
	return 0;
}

void ready_untrust(struct ready *r, int i)
{
	int vh = r->s[i].tvh;

	r->s[i].tvh = -1;
	if (!--r->tcount[vh])
		r->telig[vh >> 6] &= ~((uint64_t)1 << (vh & 63));
	r->ntrust--;
	ready_bit_set(r, i);
}

void ready_cand_lost(struct ready *r, int i)
{
	int q = r->s[i].candof;

	if (ready_trusted(r, i))
		ready_untrust(r, i);
	r->s[i].candof = -1;
	r->cand[q] = -1;
	ready_credit_look(r, q);
}

void ready_cand_changed(struct ready *r, int i)
{
	if (ready_trusted(r, i))
		ready_untrust(r, i);
	ready_credit_look(r, r->s[i].candof);
}

static inline void set_mat(struct ready *r, int q, bool m)
{
	r->nmat += (int)m - (int)r->mat[q];
	r->mat[q] = m;
}

/* Index q's entry in the heap (after the sources'): its next look at t. 0 or -ENOMEM. */
static int credit_date(struct ready *r, int q, double t)
{
	if (!(t < r->wdate[q]) || !isfinite(t))
		return 0;
	if (ready_src_push(r, t, r->n + q))
		return -ENOMEM;
	r->wdate[q] = t;
	return 0;
}

int ready_park(struct ready *r, int i, double t)
{
	if (isfinite(t) && ready_src_push(r, t, i))
		return -ENOMEM;
	ready_clear(r, i);
	r->s[i].parked = t;
	return 0;
}

/* Source i waits on idx, looked at again at its passive date lazy (or -1: none). */
static int wait_on(struct ready *r, int i, int idx, double lazy)
{
	uint64_t **row = &r->wbits[idx];

	if (r->ord && ready_order_unkeyed(r, i))
		return 1; /* it stays active (ready_init_order) */

	if (!*row && !(*row = mriov_calloc((size_t)(r->n + 63) / 64, sizeof(**row))))
		return -ENOMEM;
	/* its passive date counts even after its index's next look: that may activate others */
	if (lazy >= 0 && r->lin[i] != lazy) { /* an entry of that date may be there already */
		if (ready_heap_push(ready_lazy_heap(r), lazy, i))
			return -ENOMEM;
		r->lin[i] = lazy;
	}
	if (r->s[i].on >= 0)
		ready_unwait(r, i);
	if (r->ord && ready_order_add(r, i, idx))
		return -ENOMEM;
	ready_clear(r, i);
	r->s[i].parked = INFINITY; /* its index holds the date */
	(*row)[i >> 6] |= (uint64_t)1 << (i & 63);
	if (i < r->wlo[idx])
		r->wlo[idx] = i;
	if (i > r->whi[idx])
		r->whi[idx] = i;
	r->nw[idx]++;
	r->s[i].on = idx;
	r->nwaiting++;
	r->s[i].lazy = lazy;
	return 0;
}

int ready_park_credit(struct ready *r, int i, int idx, double t, double lazy)
{
	if (credit_date(r, idx, t))
		return -ENOMEM;
	return wait_on(r, i, idx, lazy) < 0 ? -ENOMEM : 0;
}

int ready_park_behind(struct ready *r, int i, int idx, double lazy)
{
	int err = wait_on(r, i, idx, lazy);

	if (err)
		return err < 0 ? -ENOMEM : 0;
	set_mat(r, idx, true);
	ready_credit_look(r, idx);
	return 0;
}

/* The first waiter of idx in [i, end), or -1. */
static int next_waiter(const struct ready *r, int idx, int i, int end)
{
	const uint64_t *row = r->wbits[idx];

	if (i < r->wlo[idx])
		i = r->wlo[idx];
	if (end > r->whi[idx] + 1)
		end = r->whi[idx] + 1;
	return ready_bits_next(row, i, end);
}

void ready_activate_all(struct ready *r, int idx)
{
	int c = r->cand[idx];

	if (c >= 0) { /* no candidate: every waiter is looked at */
		if (ready_trusted(r, c))
			ready_untrust(r, c);
		r->s[c].candof = r->cand[idx] = -1;
	}
	for (int i = next_waiter(r, idx, 0, r->n); i >= 0; i = next_waiter(r, idx, i + 1, r->n))
		ready_activate(r, i);
	set_mat(r, idx, false);
}

void ready_credit(struct ready *r, int idx)
{
	if (!r || idx >= r->nidx)
		return;
	if (r->nw[idx])
		ready_activate_all(r, idx);
	set_mat(r, idx, false);
}

void ready_credit_at(struct ready *r, int idx, double c)
{
	if (!r || idx >= r->nidx || !r->nw[idx])
		return;
	if (credit_date(r, idx, c))
		ready_activate_all(r, idx); /* no room for its date: looked at now, which is safe */
}

/* The first waiter of q that a decision at now would find able to send, looked at in
 * [from, end) in order; those found waiting for something else than credits are
 * activated on the way. Returns it, activated, or -1. */
static int first_sender(struct ready *r, int q, int from, int end, double now)
{
	for (int i = next_waiter(r, q, from, end); i >= 0; i = next_waiter(r, q, i + 1, end))
		if (ready_look_waiter(r, i, q, now) == READY_SENDS)
			return i;
	return -1;
}

/* Look at the waiters of matured index q in the port's round-robin order from its start,
 * wrapping, until the first that can send: it is the candidate. A candidate still able to
 * send stays, unless a waiter before it in that order can send. None: q waits for its
 * next return. */
static void credit_look(struct ready *r, int q, double now)
{
	int start = r->ops && r->nw[q] ? r->ops->start(r->ops_arg, q) : -1, c = r->cand[q];
	bool ord = start < 0 && r->ord && r->nw[q]; /* shared: the decision's order */
	int x;

	if (c >= 0 && ready_trusted(r, c))
		ready_untrust(r, c); /* looked at again: a decision looks at it before it is trusted */
	bool keep = c >= 0 && (start >= 0 || ord) && ready_is_active(r, c) &&
		    r->ops->look(r->ops_arg, c, q, now) == READY_SENDS;
	if (!keep && c >= 0) {
		r->s[c].candof = -1;
		r->cand[q] = c = -1;
	}
	if (start < 0 && !ord) {
		ready_activate_all(r, q);
		return;
	}
	if (ord && ready_order_weighs(r)) { /* the decision weighs its waiters (ready_order.c) */
		set_mat(r, q, false);
		if (credit_date(r, q, r->ops->next(r->ops_arg, q, now)))
			ready_activate_all(r, q); /* no room for its date: looked at now, which is safe */
		return;
	}
	if (ord)
		x = ready_order_first(r, q, c, now);
	else if (!keep) /* the whole circle */
		x = first_sender(r, q, start, r->n, now), x = x >= 0 ? x : first_sender(r, q, 0, start, now);
	else if (start <= c) /* only the waiters before the candidate */
		x = first_sender(r, q, start, c, now);
	else
		x = first_sender(r, q, start, r->n, now), x = x >= 0 ? x : first_sender(r, q, 0, c, now);
	if (x >= 0) {
		if (c >= 0)
			r->s[c].candof = -1;
		r->cand[q] = x;
		r->s[x].candof = q;
		r->behind += (uint64_t)r->nw[q];
	} else if (c < 0) {
		set_mat(r, q, false);
	}
	if (r->nw[q] && credit_date(r, q, r->ops->next(r->ops_arg, q, now)))
		ready_activate_all(r, q); /* no room for its date: looked at now, which is safe */
}

/* Is heap entry h stale: its source was activated (or parked again to another date) since,
 * or its credit index's date moved or it has no waiters left? */
static inline bool stale(struct ready *r, const struct ready_timer *h)
{
	if (h->i < r->n)
		return r->s[h->i].parked != h->t;
	int q = h->i - r->n;
	if (r->wdate[q] != h->t)
		return true;
	if (r->nw[q])
		return false;
	r->wdate[q] = INFINITY;
	return true;
}

static inline void drop_stale(struct ready *r)
{
	while (r->nheap && stale(r, &r->heap[0]))
		ready_src_pop(r);
}

/* The same for the passive dates (their source's date moved, or it was activated). */
static void drop_stale_lazy(struct ready *r)
{
	while (r->nlheap && r->s[r->lheap[0].i].lazy != r->lheap[0].t)
		ready_pop_dated(ready_lazy_heap(r), r->lin);
}

/* ready_due's parts beyond its first test: kept out of line, so that the common case (nothing
 * due) stays a few instructions. */
static __attribute__((noinline)) void due_heap(struct ready *r, double now)
{
	for (drop_stale(r); r->nheap && r->heap[0].t <= now; drop_stale(r)) {
		int i = r->heap[0].i;
		ready_src_pop(r);
		if (i < r->n) {
			ready_activate(r, i);
			continue;
		}
		i -= r->n; /* a credit index whose return is due: it matures */
		r->wdate[i] = INFINITY;
		set_mat(r, i, true);
		ready_credit_look(r, i);
	}
}

static __attribute__((noinline)) void due_trust(struct ready *r, double now)
{
	while (r->ntheap && r->theap[0].t <= now) { /* trusts that end */
		int i = r->theap[0].i;
		double t = r->theap[0].t;
		ready_pop_dated(ready_trust_heap(r), r->tin);
		if (ready_trusted(r, i) && r->trust[i] == t)
			ready_untrust(r, i);
	}
}

static __attribute__((noinline)) void due_lazy(struct ready *r, double now, bool decide)
{
	for (drop_stale_lazy(r); r->nlheap && r->lheap[0].t <= now; drop_stale_lazy(r)) {
		int i = r->lheap[0].i;
		double lazy;
		ready_pop_dated(ready_lazy_heap(r), r->lin);
		if (decide && r->ops && r->ops->prefetch && r->nlheap && r->lheap[0].t <= now)
			r->ops->prefetch(r->ops_arg, r->lheap[0].i); /* (the next, ahead of it) */
		if (!r->touching || r->s[i].on < 0) {
			ready_activate(r, i);
		} else if (decide && r->ops && r->ops->touch &&
			   r->ops->touch(r->ops_arg, i, now, &lazy)) {
			if (r->s[i].on >= 0) /* (unless its side effects activated it) */
				wait_lazy(r, i, lazy); /* as after ready_touched, never in the bits */
		} else { /* its scan makes its side effects (ready.h) */
			r->s[i].touch = true;
			ready_bit_set(r, i);
		}
	}
}

static __attribute__((noinline)) void due_looks(struct ready *r, double now)
{
	for (int k = 0; k < r->nlook; k++) {
		int q = r->look[k];
		r->inlook[q] = false;
		if (r->mat[q])
			credit_look(r, q, now);
	}
	r->nlook = 0;
}

static inline void due(struct ready *r, double now, bool decide)
{
	if (r->htop <= now)
		due_heap(r, now);
	if (r->ttop <= now)
		due_trust(r, now);
	if (r->ltop <= now)
		due_lazy(r, now, decide);
	if (r->nlook)
		due_looks(r, now);
}

void ready_due(struct ready *r, double now)
{
	due(r, now, false);
}

void ready_due_decide(struct ready *r, double now)
{
	due(r, now, true);
}

double ready_next(struct ready *r)
{
	drop_stale(r);
	return r->nheap ? r->heap[0].t : INFINITY;
}

int ready_next_group(const struct ready *r, int g, int end)
{
	return ready_bits_next(r->gbits, g, end);
}

int ready_next_active(const struct ready *r, int i)
{
	int nw = (r->n + 63) / 64;

	if (i >= r->n)
		return -1;
	int w = i >> 6;
	uint64_t m = r->bits[w] & (~(uint64_t)0 << (i & 63));
	if (m)
		return w * 64 + __builtin_ctzll(m);
	/* the next non-empty word, from the summary */
	if (++w >= nw)
		return -1;
	int sw = w >> 6;
	uint64_t sm = r->sum[sw] & (~(uint64_t)0 << (w & 63));
	while (!sm) {
		if (++sw > (nw - 1) >> 6)
			return -1;
		sm = r->sum[sw];
	}
	w = sw * 64 + __builtin_ctzll(sm);
	return w * 64 + __builtin_ctzll(r->bits[w]);
}
