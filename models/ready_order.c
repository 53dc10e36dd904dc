/* ready_order.c - the waiters of a credit index that several VHs share (one credit set for
 * every VH: an endpoint's or a root complex's receiver, a switch's under shared flow
 * control), kept in the order of the port's decision, so that a look finds the candidate
 * without activating them all (ready.h).
 *
 * A decision under rr or strict grants the first VH in the arbiter's order that has a
 * source able to send, and in that VH the first such source in round-robin order after the
 * one it served last (decide.c). Its VHs' order is a key per VH (rr: the VH's number, from
 * the one after the last granted, cyclically; strict: its rank), so the waiters of a shared
 * index are grouped by key, each group ascending by source: a look walks the keys from the
 * one the arbiter prefers now, and in each the sources from the one after the VH's last.
 * The first waiter able to send in that order is the candidate: any source before it that
 * could send is active (not a waiter), so the decision grants what it would grant with
 * every waiter active.
 *
 * Credits a waiter needs grow with its payload, and every waiter of an index has the same
 * class, so when the credits cannot carry the least payload of its waiters none can send:
 * the look is skipped. That least payload is a lower bound (a waiter that leaves does not
 * raise it), made exact again by every look that walks all the waiters.
 *
 * Under wrr the decision weighs every VH that can send (smooth WRR credits each: arb.c), so
 * no one candidate stands for the others: the port asks which keys (VHs) have a waiter
 * able to send (ready_order_eligible) and, for the VH it grants, the first such waiter in
 * round-robin order (ready_order_pick). Nothing is activated but the waiter granted. A
 * waiter waits for credits only (anything else activates it, and a look that finds it
 * waiting for something else activates it: the decision looks again), and can-send grows
 * with the credits and shrinks with the payload, so a key has a waiter able to send
 * exactly when some payload it waits with can be carried: each index keeps, per payload
 * its waiters wait with, the keys that have such a waiter, in ascending payloads, and the
 * eligible keys are the union of those the credits carry, with no waiter read. */
#include "ready_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

struct ready_order {
	int nkeys;
	int *key;            /* [i]: the key of source i's VH */
	int *pos;            /* [i]: its position: the sources by key, then ascending */
	int *src;            /* [position]: the source there */
	int *first;          /* [key]: the first position of its sources; [nkeys]: n */
	uint64_t **pbits;    /* [index]: bit position: that source waits on it (NULL: none yet) */
	uint64_t **kbits;    /* [index]: bit key: some source of that key waits on it */
	int **nk;            /* [index][key]: its waiters of that key */
	uint32_t *need;      /* [index]: at most the least payload of its waiters */
	/* wrr (ready_init_weighed; else NULL) */
	uint32_t *wneed;     /* [i]: the payload waiter i waits with */
	struct wslots *ws;   /* [index]: its waiters' payloads */
	int nkw;             /* words of a bitmap of keys */
};

/* The keys that have a waiter of a payload, per payload (ascending) of an index's waiters. */
struct wslot {
	uint32_t need;
	int nwait;           /* its waiters */
	int *cnt;            /* [key]: its waiters of that key */
	uint64_t *kb;        /* bit key: cnt[key] > 0 */
};

struct wslots {
	int n, cap;
	struct wslot *s;
};

int ready_init_order(struct ready *r, const int *key, int nkeys)
{
	size_t n = r->n ? (size_t)r->n : 1, q = r->nidx ? (size_t)r->nidx : 1;
	struct ready_order *o = mriov_calloc(1, sizeof(*o));

	if (!o)
		return -ENOMEM;
	r->ord = o;
	o->nkeys = nkeys;
	o->key = mriov_malloc(n * sizeof(*o->key));
	o->pos = mriov_malloc(n * sizeof(*o->pos));
	o->src = mriov_malloc(n * sizeof(*o->src));
	o->first = mriov_calloc((size_t)nkeys + 1, sizeof(*o->first));
	o->pbits = mriov_calloc(q, sizeof(*o->pbits));
	o->kbits = mriov_calloc(q, sizeof(*o->kbits));
	o->nk = mriov_calloc(q, sizeof(*o->nk));
	o->need = mriov_malloc(q * sizeof(*o->need));
	if (!o->key || !o->pos || !o->src || !o->first || !o->pbits || !o->kbits || !o->nk ||
	    !o->need)
		return -ENOMEM;
	for (int i = 0; i < r->n; i++) {
		o->key[i] = key[i];
		if (key[i] >= 0)
			o->first[key[i]]++;
	}
	for (int k = 0, at = 0; k <= nkeys; k++) { /* counts to starts */
		int c = k < nkeys ? o->first[k] : 0;
		o->first[k] = at;
		at += c;
	}
	for (int i = 0; i < r->n; i++) { /* stable: ascending within a key */
		o->pos[i] = key[i] >= 0 ? o->first[key[i]]++ : -1;
		if (key[i] >= 0)
			o->src[o->pos[i]] = i;
	}
	for (int k = nkeys; k > 0; k--) /* each cursor ended at the next key's start */
		o->first[k] = o->first[k - 1];
	o->first[0] = 0;
	for (int k = 0; k < r->nidx; k++)
		o->need[k] = UINT32_MAX;
	return 0;
}

int ready_init_weighed(struct ready *r, const int *key, int nkeys)
{
	int err = ready_init_order(r, key, nkeys);
	struct ready_order *o = r->ord;
	size_t n = r->n ? (size_t)r->n : 1, q = r->nidx ? (size_t)r->nidx : 1;

	if (err)
		return err;
	o->nkw = nkeys / 64 + 1;
	o->wneed = mriov_malloc(n * sizeof(*o->wneed));
	o->ws = mriov_calloc(q, sizeof(*o->ws));
	if (!o->wneed || !o->ws)
		return -ENOMEM;
	r->weighs = true;
	return 0;
}



void ready_order_destroy(struct ready *r)
{
	struct ready_order *o = r->ord;

	if (!o)
		return;
	for (int q = 0; o->ws && q < r->nidx; q++) {
		for (int k = 0; k < o->ws[q].n; k++) {
			free(o->ws[q].s[k].cnt);
			free(o->ws[q].s[k].kb);
		}
		free(o->ws[q].s);
	}
	free(o->ws);
	free(o->wneed);
	for (int q = 0; q < r->nidx; q++) {
		if (o->pbits)
			free(o->pbits[q]);
		if (o->kbits)
			free(o->kbits[q]);
		if (o->nk)
			free(o->nk[q]);
	}
	free(o->pbits);
	free(o->kbits);
	free(o->nk);
	free(o->need);
	free(o->key);
	free(o->pos);
	free(o->src);
	free(o->first);
	free(o);
	r->ord = NULL;
}

bool ready_order_unkeyed(const struct ready *r, int i)
{
	return r->ord->key[i] < 0;
}

/* Index q's slot of payload need, made (in ascending order) if it has none; NULL: no
 * memory. */
static struct wslot *slot_of(struct ready_order *o, int q, uint32_t need)
{
	struct wslots *w = &o->ws[q];
	int at = 0;

	while (at < w->n && w->s[at].need < need)
		at++;
	if (at < w->n && w->s[at].need == need)
		return &w->s[at];
	if (w->n == w->cap) {
		int cap = w->cap ? 2 * w->cap : 4;
		struct wslot *ns = mriov_realloc(w->s, (size_t)cap * sizeof(*ns));
		if (!ns)
			return NULL;
		w->s = ns;
		w->cap = cap;
	}
	struct wslot x = {need, 0, mriov_calloc((size_t)o->nkeys, sizeof(int)),
			  mriov_calloc((size_t)o->nkw, sizeof(uint64_t))};
	if (!x.cnt || !x.kb) {
		free(x.cnt);
		free(x.kb);
		return NULL;
	}
	memmove(w->s + at + 1, w->s + at, (size_t)(w->n - at) * sizeof(*w->s));
	w->s[at] = x;
	w->n++;
	return &w->s[at];
}

static struct wslot *slot_find(struct ready_order *o, int q, uint32_t need)
{
	struct wslots *w = &o->ws[q];

	for (int at = 0; at < w->n; at++)
		if (w->s[at].need == need)
			return &w->s[at];
	return NULL;
}

int ready_order_add(struct ready *r, int i, int q)
{
	struct ready_order *o = r->ord;
	int p = o->pos[i], k = o->key[i];

	if (!o->pbits[q] &&
	    !(o->pbits[q] = mriov_calloc((size_t)r->n / 64 + 1, sizeof(**o->pbits))))
		return -ENOMEM;
	if (!o->kbits[q] &&
	    !(o->kbits[q] = mriov_calloc((size_t)o->nkeys / 64 + 1, sizeof(**o->kbits))))
		return -ENOMEM;
	if (!o->nk[q] && !(o->nk[q] = mriov_calloc((size_t)o->nkeys, sizeof(**o->nk))))
		return -ENOMEM;
	uint32_t need = r->ops->need(r->ops_arg, i);
	if (r->weighs) {
		struct wslot *w = slot_of(o, q, need);
		if (!w)
			return -ENOMEM;
		o->wneed[i] = need;
		w->nwait++;
		if (!w->cnt[k]++)
			w->kb[k >> 6] |= (uint64_t)1 << (k & 63);
	}
	if (need < o->need[q])
		o->need[q] = need;
	o->pbits[q][p >> 6] |= (uint64_t)1 << (p & 63);
	if (!o->nk[q][k]++)
		o->kbits[q][k >> 6] |= (uint64_t)1 << (k & 63);
	return 0;
}

void ready_order_del(struct ready *r, int i, int q)
{
	struct ready_order *o = r->ord;
	int p = o->pos[i], k = o->key[i];

	o->pbits[q][p >> 6] &= ~((uint64_t)1 << (p & 63));
	if (!--o->nk[q][k])
		o->kbits[q][k >> 6] &= ~((uint64_t)1 << (k & 63));
	if (r->weighs) {
		struct wslot *w = slot_find(o, q, o->wneed[i]);
		w->nwait--;
		if (!--w->cnt[k])
			w->kb[k >> 6] &= ~((uint64_t)1 << (k & 63));
	}
}

struct walk {
	struct ready *r;
	int q;
	double now;
	uint32_t least;      /* the least payload of the waiters found lacking credits */
	bool weigh;          /* wrr: the one able to send is not activated; *other set when a
			      * waiter waiting for something else was */
	bool *other;
};

/* The waiters of w->q at positions [a, b), in order: those lacking its credits are
 * skipped, those waiting for something else activated, the first able to send activated
 * and returned; or -1. */
static int span(struct walk *w, int a, int b)
{
	struct ready *r = w->r;
	struct ready_order *o = r->ord;

	for (int p = ready_bits_next(o->pbits[w->q], a, b); p >= 0;
	     p = ready_bits_next(o->pbits[w->q], p + 1, b)) {
		int i = o->src[p];
		if (w->weigh) {
			enum ready_look l = r->ops->look(r->ops_arg, i, w->q, w->now);
			if (l == READY_SENDS)
				return i;
			if (l == READY_OTHER) {
				ready_activate(r, i);
				*w->other = true;
			}
			continue;
		}
		enum ready_look l = ready_look_waiter(r, i, w->q, w->now);
		if (l == READY_SENDS)
			return i;
		if (l == READY_LACKS) {
			uint32_t need = r->ops->need(r->ops_arg, i);
			w->least = need < w->least ? need : w->least;
		}
	}
	return -1;
}

/* Key k's waiters in round-robin order from the one after its VH's last served, up to
 * position stop (exclusive, a source of k) or all of them (stop < 0). */
static int key_walk(struct walk *w, int k, int stop)
{
	const struct ready_order *o = w->r->ord;
	int a = o->first[k], b = o->first[k + 1], last = w->r->ops->key_last(w->r->ops_arg, k);
	int lo = a, hi = b, x;

	while (lo < hi) { /* the first position whose source comes after last */
		int mid = lo + (hi - lo) / 2;
		if (o->src[mid] <= last)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (stop >= lo)
		return span(w, lo, stop);
	if ((x = span(w, lo, b)) >= 0)
		return x;
	return span(w, a, stop >= 0 ? stop : lo);
}

int ready_order_first(struct ready *r, int q, int c, double now)
{
	struct ready_order *o = r->ord;
	struct walk w = {r, q, now, UINT32_MAX, false, NULL};
	int nk = o->nkeys, k0 = r->ops->key_start(r->ops_arg), ck = c >= 0 ? o->key[c] : -1;

	if (!r->ops->can(r->ops_arg, q, o->need[q], now))
		return -1; /* none of its waiters can send */
	/* the keys from k0 cyclically, up to c's (included) when c stays the candidate */
	int lim = ck >= 0 ? (ck - k0 + nk) % nk : nk - 1;
	for (int pass = 0; pass < 2; pass++) {
		int from = pass ? 0 : k0, end = pass ? k0 : nk;
		for (int k = ready_bits_next(o->kbits[q], from, end); k >= 0;
		     k = ready_bits_next(o->kbits[q], k + 1, end)) {
			if ((k - k0 + nk) % nk > lim)
				return -1;
			int x = key_walk(&w, k, k == ck ? o->pos[c] : -1);
			if (x >= 0 || k == ck)
				return x;
		}
	}
	if (c < 0) /* every waiter was looked at: the bound is exact again */
		o->need[q] = w.least;
	return -1;
}

/* How many of index q's slots, in ascending payloads, the credits carry at now: up to the
 * first with waiters that they do not carry (an empty slot has no keys either way). */
static int carried(struct ready *r, int q, double now)
{
	const struct wslots *w = &r->ord->ws[q];
	int at = 0;

	while (at < w->n && (!w->s[at].nwait || r->ops->can(r->ops_arg, q, w->s[at].need, now)))
		at++;
	return at;
}

/* Index q's keys that have a waiter able to send at now, ORed into keys. */
static void eligible_of(struct ready *r, int q, double now, uint64_t *keys)
{
	struct ready_order *o = r->ord;

	for (int at = 0, lim = carried(r, q, now); at < lim; at++)
		for (int k = 0; k < o->nkw; k++)
			keys[k] |= o->ws[q].s[at].kb[k];
}

void ready_order_eligible(struct ready *r, double now, uint64_t *keys)
{
	for (int q = 0; q < r->nidx; q++)
		if (r->nw[q])
			eligible_of(r, q, now, keys);
}

bool ready_order_any(struct ready *r, double now)
{
	for (int q = 0; q < r->nidx; q++) {
		const struct wslots *w = &r->ord->ws[q];
		if (!r->nw[q])
			continue;
		for (int at = 0; at < w->n; at++) /* the least payload waited with */
			if (w->s[at].nwait) {
				if (r->ops->can(r->ops_arg, q, w->s[at].need, now))
					return true;
				break;
			}
	}
	return false;
}

int ready_order_pick(struct ready *r, int key, double now, bool *other)
{
	struct ready_order *o = r->ord;
	int best = -1, bd = 0, last = r->ops->key_last(r->ops_arg, key);

	*other = false;
	for (int q = 0; q < r->nidx; q++) {
		if (!r->nw[q] || !o->nk[q] || !o->nk[q][key])
			continue;
		bool can = false; /* a slot the credits carry has a waiter of key */
		for (int at = 0, lim = carried(r, q, now); at < lim && !can; at++)
			can = o->ws[q].s[at].kb[key >> 6] >> (key & 63) & 1;
		if (!can)
			continue;
		struct walk w = {r, q, now, UINT32_MAX, true, other};
		int x = key_walk(&w, key, -1);
		if (x < 0)
			continue;
		int d = (x - last - 1 + 2 * r->n) % r->n;
		if (best < 0 || d < bd) {
			best = x;
			bd = d;
		}
	}
	return best;
}
