/* arb.h - egress arbiters among VHs (rr, wrr, strict). An arbiter decides from the set of
 * VHs that can send now, and its state moves only when the grant is used (arb_commit),
 * as BookSim2's arbiters separate the two. All are work-conserving except strict, which
 * still never idles the link while some VH can send. The eligible set is a bitmap (bit v
 * of word v / 64 for VH v, 1..n), so rr decides in O(n / 64). */
#ifndef MRIOV_ARB_H
#define MRIOV_ARB_H

#include <stdbool.h>
#include <stdint.h>

enum arb_kind { ARB_KIND_RR, ARB_KIND_WRR, ARB_KIND_STRICT };

struct arb {
	enum arb_kind kind;
	int n;             /* VHs 1..n */
	int last;          /* rr: last VH granted */
	const uint64_t *weight; /* wrr: weight of VH v at [v-1]; not owned */
	int64_t *current;  /* wrr: smooth weighted round-robin credit per VH */
	int *order;        /* strict: VHs, highest priority first (owned copy) */
	struct arb_lazy *lazy; /* wrr over many VHs: the same credits kept lazily (arb.c), or
				* NULL: current[] is walked */
};

/* rr and strict choose the first eligible VH in an order of their own (wrr weighs them
 * all): is a one of those? */
static inline bool arb_ordered(const struct arb *a)
{
	return a->kind == ARB_KIND_RR || a->kind == ARB_KIND_STRICT;
}

/* For an ordered arbiter: the k-th VH (k = 0..n-1) in the order it prefers them now;
 * arb_decide() grants the first eligible one in that order. */
static inline int arb_nth(const struct arb *a, int k)
{
	return a->kind == ARB_KIND_RR ? (a->last + k) % a->n + 1 : a->order[k];
}

/* Words of an eligible-set bitmap for n VHs (bits 0..n; bit 0 unused). */
static inline int arb_words(int n)
{
	return n / 64 + 1;
}

/* weight (wrr) and order (strict, host indices 0-based, highest first) may be NULL for the
 * other kinds. Returns 0 or -ENOMEM; a failed arb is safe to arb_destroy. */
int arb_init(struct arb *a, enum arb_kind kind, int nvh, const uint64_t *weight,
	     const int *order);
/* No-op on NULL and on a zeroed or half-initialised arb. */
void arb_destroy(struct arb *a);

/* Pick among the VHs set in eligible. Returns the VH, or 0 when none is eligible. Does not
 * change the arbiter. */
int arb_decide(const struct arb *a, const uint64_t *eligible);

/* The grant to vh, decided from eligible, is used: move the arbiter's state. */
void arb_commit(struct arb *a, const uint64_t *eligible, int vh);

#endif
