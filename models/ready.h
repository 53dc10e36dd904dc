/* ready.h - which of a port's sources a decision must look at: a bitmap of sources that
 * may have work, and a min-heap of sources parked until a date (a DMA engine idle until its
 * next arrival, say). A decision visits the set bits in index order, so it sees sources in
 * the order a full scan would; sources it skips are exactly the ones a full scan would skip
 * (empty, or idle until a later date), and their earliest date is the heap's top.
 * Activating a source early is always safe (the decision looks and parks it again); parking
 * one that has work is the caller's error.
 *
 * A source whose TLP lacks credits parks on the credit index it waits for (fc_index()),
 * until a credit return of that index is due: its credits change at no other time (a TLP
 * that others send takes credits, which cannot make it sendable). The index, not each of
 * its waiters, holds the date: fc_return tells it when its next return is due
 * (ready_credit_at, called by fc.c). When a return is due, the index "matures": it is
 * looked at (ready_due) with the port's help (struct ready_credit_ops): in the port's
 * round-robin order for the index's VH, its waiters are looked at until the first that can
 * send, which alone is activated (the candidate); a waiter found anything but short of
 * credits is activated too. The waiters behind the candidate stay parked: a decision
 * grants, in a VH, the first source that can send in that order, so it grants what it
 * would with all of them active. The index is looked at again when that may change: a
 * later return is due, the VH is served (its order moves and credits are taken), the
 * candidate stops being active. When no waiter can send, the index waits for its next
 * return. A source that could send but lost the decision waits the same way
 * (ready_park_behind): a decision then looks at one candidate per credit index, not at
 * every source that could send; a candidate found able to send may be trusted until its
 * next side effect (ready_trust). An index shared by several VHs (one credit set)
 * activates all its waiters, and so does one without ops, unless the port keeps their
 * order (ready_init_order, ready_init_weighed: ready_order.c). Whoever changes credits
 * otherwise (re-initialises them) activates them (ready_credit). A waiter may also have a
 * passive date (lazy work falling due, a DMA engine's next arrival): the first decision at
 * or after it looks at the source again (or, on a port that trusts candidates, makes its
 * side effects: ready_touched), but the port does not wake for it. */
#ifndef MRIOV_READY_H
#define MRIOV_READY_H

#include <stdbool.h>
#include <stdint.h>

struct ready_timer {
	double t;
	int i;
};

/* What a look at a matured credit index asks of its port (ready.h, above). */
enum ready_look { READY_SENDS, READY_LACKS, READY_OTHER };
struct ready_credit_ops {
	/* where the port's round-robin order for idx's VH starts now (the source after the
	 * last one it served), or -1: idx is shared by several VHs */
	int (*start)(void *arg, int idx);
	/* what a decision at now would find at waiter i of idx, without side effects:
	 * READY_SENDS it can send, READY_LACKS it lacks idx's credits, READY_OTHER else */
	enum ready_look (*look)(void *arg, int i, int idx, double now);
	/* when idx's credits next change after now (a return due), or INFINITY */
	double (*next)(void *arg, int idx, double now);
	/* For an index shared by several VHs on a port that keeps their order
	 * (ready_init_order, ready_order.c): the key of the VH the arbiter prefers first now;
	 * the last source served in key's VH; the payload of waiter i's TLP; may a TLP of
	 * `need` bytes use idx's credits at now. */
	int (*key_start)(void *arg);
	int (*key_last)(void *arg, int key);
	uint32_t (*need)(void *arg, int i);
	bool (*can)(void *arg, int idx, uint32_t need, double now);
	/* optional (NULL: none): waiter i's passive date came at a decision at now; make its
	 * side effects at once if they commute with every other look of the decision, and
	 * return true with *lazy its next passive date (or -1), the TLP it waits with
	 * unchanged; false: the decision's scan makes them, in its order (ready_due_decide) */
	bool (*touch)(void *arg, int i, double now, double *lazy);
	/* optional: waiter i is the next to be touched at this decision; its lines may be
	 * asked for ahead (no other effect) */
	void (*prefetch)(void *arg, int i);
};

struct ready_order;
struct rcal;

/* The first set bit of bitmap m in [i, end), or -1 (a word at a time). */
static inline int ready_bits_next(const uint64_t *m, int i, int end)
{
	while (i < end) {
		uint64_t w = m[i >> 6] & (~(uint64_t)0 << (i & 63));
		if (w) {
			int k = (i & ~63) + __builtin_ctzll(w);
			return k < end ? k : -1;
		}
		i = (i & ~63) + 64;
	}
	return -1;
}

/* What a port's ready set keeps of each source, in one place (a cache line holds two). */
struct ready_src {
	double parked;         /* parked until then (INFINITY: until activated or, waiting on
				* a credit index, its date), or -1 */
	double lazy;           /* its passive date, or -1 */
	int on;                /* the credit index it waits on, or -1 */
	int candof;            /* the credit index it is the candidate of, or -1 */
	int tvh;               /* trusted candidate: its VH (ready_trust), or -1 */
	bool touch;            /* a waiter whose passive date came, in the bits for the port's
				* scan to make its side effects, still waiting (ready_touched) */
};

struct ready {
	/* what a decision and ready_due read of every port first, in one cache line (at 128
	 * hosts each port's lines are cold: docs/performance.md, "wrr on one credit set") */
	double htop;           /* heap[0].t, or INFINITY: empty (ready.c) */
	double ttop;           /* theap[0].t, or INFINITY */
	double ltop;           /* lheap[0].t, or INFINITY */
	int n;                 /* sources 0..n-1 */
	int nwaiting;          /* sources parked on credits */
	int nmat;              /* matured indices */
	int ntrust;
	int nlook;
	bool weighs;           /* ready_init_weighed was called (ready_order.c) */
	uint64_t *bits;        /* bit i: source i may have work */
	uint64_t *sum;         /* bit w: word w of bits is not 0 (a decision skips empty words
				* 64 at a time) */
	/* the second line: what activations, commits and waits read */
	struct ready_src *s;   /* [i] */
	/* groups (ready_init_groups; NULL: none): group[i] of source i, nactive[g] of its
	 * sources active, so that a decision skips a group with none at once */
	const int *group;
	int *nactive;
	uint64_t *gbits;       /* bit g: nactive[g] > 0 */
	uint64_t *gknown;      /* bit g: the decision's pick of group g is known (decide.c,
				* decide_wrr); any activation of a source of g clears it (NULL:
				* not kept) */
	struct ready_order *ord; /* the waiters of shared indices in the decision's order
				  * (ready_order.c), or NULL: a look at one activates them all */
	struct ready_timer *heap; /* parked sources with a finite date; stale entries (the
				   * source was activated since) are dropped when met */
	int nheap, capheap;
	struct rcal *cal;      /* the dates far ahead, before they join the heap (rcal.h), or
				* NULL: all in the heap */
	/* sources parked on credits */
	int nidx;              /* credit indices (0 until ready_init_credits) */
	uint64_t **wbits;      /* [credit index]: bit i: source i waits on it (NULL: none yet) */
	int *nw;               /* [credit index]: its waiters */
	int *wlo, *whi;        /* [credit index]: every waiter it had is in [wlo, whi] */
	double *wdate;         /* [credit index]: the date of its heap entry, or INFINITY */
	bool *mat;             /* [credit index]: matured: a return came due, some waiter may
				* send (looked at again when that may change) */
	int *cand;             /* [credit index]: the waiter its last look activated, or -1 */
	/* trusted candidates (ready_trust): out of the bits, counted per VH */
	double *trust;         /* [i]: until then */
	double *tin;           /* [i]: the date of its latest entry in theap, or -1 */
	int *tcount;           /* [vh]: its trusted candidates */
	uint64_t *telig;       /* bit vh: tcount[vh] > 0 */
	bool touching;         /* a waiter whose passive date comes is put in the bits for the
				* port's scan to make its side effects, still waiting (ready_init_trust);
				* else it is activated */
	struct ready_timer *theap; /* their dates; stale entries dropped when met */
	int ntheap, captheap;
	int *look;             /* credit indices to look at in the next ready_due */
	bool *inlook;          /* [credit index]: in look */
	const struct ready_credit_ops *ops;
	void *ops_arg;
	uint64_t behind;       /* waiters a look left parked behind its candidate (a count for
				* tests and benchmarks: the looks this structure saves) */
	double *lin;           /* [i]: the date of its latest entry in lheap, or -1 */
	struct ready_timer *lheap; /* passive dates; stale entries dropped when met */
	int nlheap, caplheap;
};

/* n sources, all active. Returns 0 or -ENOMEM (r is then safe to ready_destroy). */
int ready_init(struct ready *r, int n);
/* Credit indices 0..nidx-1 a source may park on, looked at with ops (kept by the caller)
 * and arg; ops NULL: every waiter of a matured index is activated. 0 or -ENOMEM. */
int ready_init_credits(struct ready *r, int nidx, const struct ready_credit_ops *ops,
		       void *arg);
/* Dates of the parked sources from w * (nb - 1) ahead on wait in a calendar of nb buckets of
 * width w (a power of two, at least 64) before they join the heap (rcal.h); the order is
 * the same. 0 or -ENOMEM. */
int ready_init_calendar(struct ready *r, double w, int nb);
/* Sources in ngroups groups, group[i] (kept by the caller, group < ngroups) for source i,
 * counted as they are activated and cleared. 0 or -ENOMEM. */
int ready_init_groups(struct ready *r, const int *group, int ngroups);
/* Keep which groups' picks are known (gknown), for groups 0..ngroups-1. 0 or -ENOMEM. */
int ready_init_known(struct ready *r, int ngroups);
/* How many sources of group g are active. */
static inline int ready_group_active(const struct ready *r, int g)
{
	return r->nactive[g];
}
/* The first group in [g, end) with an active source, or -1. */
int ready_next_group(const struct ready *r, int g, int end);
/* The credit indices (ready_init_credits, before) are each shared by several VHs, and a
 * decision grants the first VH able to send in an order of keys, key[i] (0..nkeys-1) for
 * source i's VH, then in it the first in round-robin order (ops key_start, key_last): a
 * look at such an index activates only its candidate (ready_order.c). A source of key -1
 * (of no one VH) never waits: it stays active. 0 or -ENOMEM. */
int ready_init_order(struct ready *r, const int *key, int nkeys);
/* The same for a port under wrr, whose decision weighs every VH that can send: key[i] is
 * source i's VH (nkeys: the VHs + 1), and a look at a shared index activates none of its
 * waiters; the decision asks ready_order_eligible and ready_order_pick. 0 or -ENOMEM. */
int ready_init_weighed(struct ready *r, const int *key, int nkeys);
/* Was ready_init_weighed called? */
static inline bool ready_order_weighs(const struct ready *r)
{
	return r->weighs;
}
/* The keys that have a waiter able to send at now (on any index), ORed into keys (a bitmap
 * of nkeys bits); no waiter is read. */
void ready_order_eligible(struct ready *r, double now, uint64_t *keys);
/* Is there one (ready_order_eligible not empty)? */
bool ready_order_any(struct ready *r, double now);
/* Of key's waiters able to send at now, the first in round-robin order after the last one
 * its VH served (ops key_last), over every index; or -1. It is not activated; a waiter
 * found waiting for something else is, and *other is set (the decision looks again). */
int ready_order_pick(struct ready *r, int key, double now, bool *other);
/* ready_order.c's side of wait_on and ready_unwait, and of a look (ready.c). */
bool ready_order_unkeyed(const struct ready *r, int i);
int ready_order_add(struct ready *r, int i, int q);
void ready_order_del(struct ready *r, int i, int q);
/* The first waiter of q able to send in the decision's order, activated (those found
 * waiting for something else than credits are activated on the way), or -1; c >= 0: only
 * the waiters before c, which stays the candidate. */
int ready_order_first(struct ready *r, int q, int c, double now);
void ready_order_destroy(struct ready *r);
/* No-op on a zeroed or half-initialised struct ready. */
void ready_destroy(struct ready *r);

/* Waiter i leaves its credit index (it is activated). */
void ready_unwait(struct ready *r, int i);
/* Candidate i stops being active: its index is looked at again. */
void ready_cand_lost(struct ready *r, int i);
/* Candidate i may have changed (activated by whoever changed it): its index is looked at
 * again, and it is not trusted until a decision looked at it. */
void ready_cand_changed(struct ready *r, int i);

/* The bit of source i, set or cleared, with its group's count and the summary. */
static inline void ready_bit_set(struct ready *r, int i)
{
	uint64_t b = (uint64_t)1 << (i & 63);

	if (r->group && (!(r->bits[i >> 6] & b) || r->gknown)) {
		int g = r->group[i];
		if (!(r->bits[i >> 6] & b) && !r->nactive[g]++)
			r->gbits[g >> 6] |= (uint64_t)1 << (g & 63);
		if (r->gknown) /* what its group's decision would find may have changed */
			r->gknown[g >> 6] &= ~((uint64_t)1 << (g & 63));
	}
	r->bits[i >> 6] |= b;
	r->sum[i >> 12] |= (uint64_t)1 << (i >> 6 & 63);
}

static inline void ready_bit_clear(struct ready *r, int i)
{
	uint64_t b = (uint64_t)1 << (i & 63);

	if (r->group && (r->bits[i >> 6] & b)) {
		int g = r->group[i];
		if (!--r->nactive[g])
			r->gbits[g >> 6] &= ~((uint64_t)1 << (g & 63));
	}
	r->bits[i >> 6] &= ~b;
	if (!r->bits[i >> 6])
		r->sum[i >> 12] &= ~((uint64_t)1 << (i >> 6 & 63));
}

/* Is source i a trusted candidate (ready_trust)? */
static inline bool ready_trusted(const struct ready *r, int i)
{
	return r->s[i].tvh >= 0;
}

/* Trusted candidate i is an active source like the others again. */
void ready_untrust(struct ready *r, int i);

/* Source i may have work: decisions look at it again. */
static inline void ready_activate(struct ready *r, int i)
{
	if (r->s[i].on >= 0)
		ready_unwait(r, i);
	else if (r->s[i].tvh >= 0)
		ready_untrust(r, i);
	r->s[i].lazy = -1;
	ready_bit_set(r, i);
	r->s[i].parked = -1;
}

/* Source i has no work: decisions skip it until it is activated. */
static inline void ready_clear(struct ready *r, int i)
{
	if (r->s[i].candof >= 0)
		ready_cand_lost(r, i);
	ready_bit_clear(r, i);
}

static inline bool ready_is_active(const struct ready *r, int i)
{
	return r->bits[i >> 6] >> (i & 63) & 1;
}

/* Source i has nothing before t (> now): skip it until t or until activated. 0 or -ENOMEM
 * (the source then stays active, which is safe). */
int ready_park(struct ready *r, int i, double t);

/* Source i's TLP lacks the credits of index idx: skip it until they change (ready_credit),
 * until t (> now: the next return already known; INFINITY: none), or until activated; the
 * first decision at or after lazy (> now, or -1: none) looks at it without the port waking
 * for it. 0 or -ENOMEM (the source then stays active, which is safe). */
int ready_park_credit(struct ready *r, int i, int idx, double t, double lazy);

/* Trusted candidates: a port whose decisions scan its active sources (engine.c) may take a
 * candidate that it found able to send as able to send, without looking at it, until
 * `until` (its next side effect) or until its index is looked at again or it is activated
 * from outside. Trusted, it leaves the bits (a scan skips it) and counts for its VH vh.
 * For up to nvh VHs (1-based). 0 or -ENOMEM. */
int ready_init_trust(struct ready *r, int nvh);
/* Waiter i, in the bits for its passive date (touch[i]), made its side effects and still
 * waits, until its next passive date lazy (or -1). */
void ready_touched(struct ready *r, int i, double lazy);
/* Trust candidate i (active) of VH vh until `until` (> now). 0 or -ENOMEM (then it is not
 * trusted, which is safe). */
int ready_trust(struct ready *r, int i, int vh, double until);

/* Source i could send a TLP of credit index idx now, but another was granted: it waits on
 * idx as if it lacked its credits, behind the candidate of idx's next look (ready_due), if
 * it is not that one; lazy as for ready_park_credit. 0 or -ENOMEM (the source then stays
 * active, which is safe). */
int ready_park_behind(struct ready *r, int i, int idx, double lazy);

/* The credits of index idx changed: the sources parked on them are active again. */
void ready_credit(struct ready *r, int idx);
/* The next credit return of index idx is due at c now: its waiters parked until later are
 * looked at then (a no-op on NULL). */
void ready_credit_at(struct ready *r, int idx, double c);
/* The port served idx's VH (its round-robin order moved, credits were taken): a matured
 * idx is looked at again in the next ready_due. */
static inline void ready_credit_look(struct ready *r, int idx)
{
	if (idx < r->nidx && r->mat[idx] && !r->inlook[idx]) {
		r->inlook[idx] = true;
		r->look[r->nlook++] = idx;
	}
}

/* Activate the sources parked until now or earlier, and those whose passive date is due;
 * look at the credit indices whose returns came due, or that changed (above). */
void ready_due(struct ready *r, double now);
/* The same at the start of a decision's scan: a waiter whose passive date is due makes
 * its side effects through ops->touch when it can, without the scan (ready_credit_ops). */
void ready_due_decide(struct ready *r, double now);

/* The earliest date a parked source becomes active, or INFINITY. */
double ready_next(struct ready *r);

/* The first active source at or after i, or -1. */
int ready_next_active(const struct ready *r, int i);

#endif
