/* arb.c - rr, wrr and strict-priority arbitration among VHs. */
#include "arb.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static uint64_t weight_of(const struct arb *a, int v)
{
	return a->weight ? a->weight[v - 1] : 1;
}

static bool is_set(const uint64_t *bits, int v)
{
	return bits[v >> 6] >> (v & 63) & 1;
}

/* The bits of word w of an eligible set that name VHs (1..n). */
static inline uint64_t valid_bits(const struct arb *a, int w)
{
	uint64_t m = w ? ~(uint64_t)0 : ~(uint64_t)1;
	int top = a->n - (w << 6); /* the highest VH's bit in this word */

	return top >= 63 ? m : top < 0 ? 0 : m & (((uint64_t)2 << top) - 1);
}

/* Smooth WRR over many VHs, lazily (docs/performance.md, "wrr on one credit set"). Every
 * commit adds each eligible VH's weight to its credit: O(eligible) per grant, 255 at a
 * busy port. Here the VHs of the last eligible set (the members) earn through a count of
 * commits g instead: a member's credit is key[v] + w(v) * g, and a VH joins or leaves when
 * the eligible set changes (its credit made whole: current[v] the same integer either way).
 * Within a weight class the order of the members' credits is the order of their keys, so a
 * tournament tree per class gives its richest member (the lowest VH of equal keys); the
 * decision compares the classes' best. The grants are those of wrr_decide and wrr_commit,
 * to the integer (check_arb compares the two over random eligible sets and weights). */
struct arb_lazy {
	int ncls, tsize;       /* weight classes; leaves per tree (a power of two above n) */
	int *cls;              /* [v]: its class */
	int64_t *cw;           /* [class]: its weight */
	int64_t *key;          /* [v], a member: current - weight * g */
	int64_t g;             /* commits since the start */
	int64_t wsum;          /* the members' total weight */
	uint64_t *mem;         /* bit v: a member */
	int *tree;             /* [class][node]: the richest member below it, or 0 */
	bool direct;           /* the last decision went VH by VH (lazy_direct), its commit too */
	int streak;            /* decisions in a row that did */
};

enum { LAZY_MIN_VHS = 32, LAZY_MAX_CLASSES = 8, LAZY_DIRECT_MAX = 8, LAZY_DIRECT_STREAK = 2 };

static void lazy_free(struct arb_lazy *z)
{
	if (!z)
		return;
	free(z->cls);
	free(z->cw);
	free(z->key);
	free(z->mem);
	free(z->tree);
	free(z);
}

/* The lazy form for a's VHs, or NULL (few VHs or many weight classes: the walk is kept;
 * *err = -ENOMEM when memory was short). */
static struct arb_lazy *lazy_new(const struct arb *a, int *err)
{
	struct arb_lazy *z;
	int ts = 1;

	*err = 0;
	if (a->n < LAZY_MIN_VHS)
		return NULL;
	while (ts <= a->n)
		ts *= 2;
	if (!(z = mriov_calloc(1, sizeof(*z))))
		goto oom;
	z->tsize = ts;
	z->cls = mriov_calloc((size_t)a->n + 1, sizeof(*z->cls));
	z->cw = mriov_calloc(LAZY_MAX_CLASSES, sizeof(*z->cw));
	z->key = mriov_calloc((size_t)a->n + 1, sizeof(*z->key));
	z->mem = mriov_calloc((size_t)arb_words(a->n), sizeof(*z->mem));
	if (!z->cls || !z->cw || !z->key || !z->mem)
		goto oom;
	for (int v = 1; v <= a->n; v++) {
		int64_t w = (int64_t)weight_of(a, v);
		int c = 0;
		while (c < z->ncls && z->cw[c] != w)
			c++;
		if (c == z->ncls) {
			if (z->ncls == LAZY_MAX_CLASSES) { /* many weights: walk them */
				lazy_free(z);
				return NULL;
			}
			z->cw[z->ncls++] = w;
		}
		z->cls[v] = c;
	}
	if (!(z->tree = mriov_calloc((size_t)z->ncls * 2 * (size_t)ts, sizeof(*z->tree))))
		goto oom;
	return z;
oom:
	lazy_free(z);
	*err = -ENOMEM;
	return NULL;
}

/* Of members x and y (0: none) of one class, the richer; the lower VH of equal credits. */
static inline int richer(const struct arb_lazy *z, int x, int y)
{
	if (!x || !y)
		return x ? x : y;
	if (z->key[x] != z->key[y])
		return z->key[x] > z->key[y] ? x : y;
	return x < y ? x : y;
}

/* VH v's leaf (a member or not, its key changed) and the path above it, up to the first
 * node whose richest stays another VH (the nodes above it see the same). */
static void lazy_fix(struct arb_lazy *z, int v)
{
	int *t = z->tree + (size_t)z->cls[v] * 2 * (size_t)z->tsize;
	int k = z->tsize + v;

	t[k] = z->mem[v >> 6] >> (v & 63) & 1 ? v : 0;
	for (k >>= 1; k; k >>= 1) {
		int was = t[k];
		t[k] = richer(z, t[2 * k], t[2 * k + 1]);
		if (t[k] == was && was != v)
			break;
	}
}

/* The members become the VHs of eligible; every VH's credit stays the same integer. */
static void lazy_sync(const struct arb *a, const uint64_t *eligible)
{
	struct arb_lazy *z = a->lazy;

	for (int w = 0; w < arb_words(a->n); w++)
		for (uint64_t m = (eligible[w] & valid_bits(a, w)) ^ z->mem[w]; m; m &= m - 1) {
			int v = (w << 6) + __builtin_ctzll(m);
			int64_t wv = z->cw[z->cls[v]];
			if (z->mem[w] >> (v & 63) & 1) { /* leaves: its credit made whole */
				a->current[v] = z->key[v] + wv * z->g;
				z->wsum -= wv;
			} else {
				z->key[v] = a->current[v] - wv * z->g;
				z->wsum += wv;
			}
			z->mem[w] ^= (uint64_t)1 << (v & 63);
			lazy_fix(z, v);
		}
}

/* Is eligible a few VHs (at most LAZY_DIRECT_MAX), under a quarter of its difference from
 * the members? Then a decision and its commit go VH by VH without changing the members (a
 * set of one VH between two of 178 at a NIC model's port: 2 x 177 joins and leaves saved). */
static bool lazy_direct(const struct arb *a, const uint64_t *eligible)
{
	const struct arb_lazy *z = a->lazy;
	int ne = 0, d = 0, nw = arb_words(a->n);

	for (int w = 0; w < nw; w++) /* (bit 0 and those above n are never set) */
		ne += __builtin_popcountll(eligible[w]);
	if (ne > LAZY_DIRECT_MAX)
		return false;
	for (int w = 0; w < nw; w++)
		d += __builtin_popcountll((eligible[w] & valid_bits(a, w)) ^ z->mem[w]);
	return 4 * ne < d;
}

/* VH v's credit now, a member or not. */
static inline int64_t lazy_credit(const struct arb *a, int v)
{
	const struct arb_lazy *z = a->lazy;

	return z->mem[v >> 6] >> (v & 63) & 1 ? z->key[v] + z->cw[z->cls[v]] * z->g
					       : a->current[v];
}

static int direct_decide(const struct arb *a, const uint64_t *eligible)
{
	int best = 0;
	int64_t best_c = 0;

	for (int w = 0; w < arb_words(a->n); w++) /* ascending: the first richest wins */
		for (uint64_t m = eligible[w] & valid_bits(a, w); m; m &= m - 1) {
			int v = (w << 6) + __builtin_ctzll(m);
			int64_t c = lazy_credit(a, v) + (int64_t)weight_of(a, v);
			if (!best || c > best_c) {
				best = v;
				best_c = c;
			}
		}
	return best;
}

/* Each eligible VH earns its weight and vh pays their total, the members' keys (and
 * trees) and the others' credits moved one by one. */
static void direct_commit(struct arb *a, const uint64_t *eligible, int vh)
{
	struct arb_lazy *z = a->lazy;
	int64_t total = 0;

	for (int w = 0; w < arb_words(a->n); w++)
		for (uint64_t m = eligible[w] & valid_bits(a, w); m; m &= m - 1)
			total += (int64_t)weight_of(a, (w << 6) + __builtin_ctzll(m));
	for (int w = 0; w < arb_words(a->n); w++)
		for (uint64_t m = eligible[w] & valid_bits(a, w); m; m &= m - 1) {
			int v = (w << 6) + __builtin_ctzll(m);
			int64_t d = (int64_t)weight_of(a, v) - (v == vh ? total : 0);
			if (z->mem[w] >> (v & 63) & 1) {
				z->key[v] += d;
				lazy_fix(z, v);
			} else {
				a->current[v] += d;
			}
		}
}

static int lazy_decide(const struct arb *a, const uint64_t *eligible)
{
	struct arb_lazy *z = a->lazy;
	int best = 0;
	int64_t best_c = 0;

	uint64_t any = 0;
	for (int w = 0; w < arb_words(a->n); w++)
		any |= eligible[w] & valid_bits(a, w);
	if (!any) /* (the members stay: a port with none able to send keeps them for later) */
		return 0;
	/* a few decisions VH by VH in a row at most: a small set that stays is cheaper as the
	 * members (the direct commits move their keys, whole paths of the trees) */
	z->direct = z->streak < LAZY_DIRECT_STREAK && lazy_direct(a, eligible);
	z->streak = z->direct ? z->streak + 1 : 0;
	if (z->direct)
		return direct_decide(a, eligible);
	lazy_sync(a, eligible);
	for (int c = 0; c < z->ncls; c++) {
		int v = z->tree[(size_t)c * 2 * (size_t)z->tsize + 1];
		if (!v)
			continue;
		int64_t cv = z->key[v] + z->cw[c] * (z->g + 1); /* its credit after this grant's earning */
		if (!best || cv > best_c || (cv == best_c && v < best)) {
			best = v;
			best_c = cv;
		}
	}
	return best;
}

static void lazy_commit(struct arb *a, const uint64_t *eligible, int vh)
{
	struct arb_lazy *z = a->lazy;

	if (z->direct) { /* (either way gives the same credits: only the cost differs) */
		direct_commit(a, eligible, vh);
		return;
	}
	lazy_sync(a, eligible);
	z->g++; /* every member earns its weight */
	z->key[vh] -= z->wsum;
	lazy_fix(z, vh);
}

int arb_init(struct arb *a, enum arb_kind kind, int nvh, const uint64_t *weight,
	     const int *order)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->n = nvh;
	a->last = nvh; /* the first rr grant goes to VH 1 */
	a->weight = weight;
	if (kind == ARB_KIND_WRR) {
		int err;
		a->current = mriov_calloc((size_t)nvh + 1, sizeof(*a->current));
		if (!a->current)
			return -ENOMEM;
		a->lazy = lazy_new(a, &err);
		if (err)
			return err;
	}
	if (kind == ARB_KIND_STRICT) {
		a->order = mriov_malloc(((size_t)nvh + 1) * sizeof(*a->order));
		if (!a->order)
			return -ENOMEM;
		for (int i = 0; i < nvh; i++)
			a->order[i] = order ? order[i] + 1 : i + 1;
	}
	return 0;
}

void arb_destroy(struct arb *a)
{
	if (!a)
		return;
	free(a->current);
	free(a->order);
	lazy_free(a->lazy);
	a->current = NULL;
	a->order = NULL;
	a->lazy = NULL;
}

/* The first set bit in [from, to], or 0. */
static int first_set(const uint64_t *bits, int from, int to)
{
	for (int w = from >> 6; from <= to; w++, from = w << 6) {
		uint64_t m = bits[w] & (~(uint64_t)0 << (from & 63));
		if (m) {
			int v = (w << 6) + __builtin_ctzll(m);
			return v <= to ? v : 0;
		}
	}
	return 0;
}

/* Smooth WRR: every eligible VH earns its weight; the richest wins and pays the total, so
 * over a busy period grants follow the weights, interleaved. Out of line: rr and strict
 * decide in a few instructions. */
static __attribute__((noinline)) int wrr_decide(const struct arb *a, const uint64_t *eligible)
{
	int best = 0;
	int64_t best_c = 0;
	for (int w = 0; w < arb_words(a->n); w++) /* ascending: the first richest wins */
		for (uint64_t m = eligible[w] & valid_bits(a, w); m; m &= m - 1) {
			int v = (w << 6) + __builtin_ctzll(m);
			int64_t c = a->current[v] + (int64_t)weight_of(a, v);
			if (!best || c > best_c) {
				best = v;
				best_c = c;
			}
		}
	return best;
}

static __attribute__((noinline)) void wrr_commit(struct arb *a, const uint64_t *eligible, int vh)
{
	int64_t total = 0;

	for (int w = 0; w < arb_words(a->n); w++)
		for (uint64_t m = eligible[w] & valid_bits(a, w); m; m &= m - 1) {
			int v = (w << 6) + __builtin_ctzll(m);
			a->current[v] += (int64_t)weight_of(a, v);
			total += (int64_t)weight_of(a, v);
		}
	a->current[vh] -= total;
}

int arb_decide(const struct arb *a, const uint64_t *eligible)
{
	switch (a->kind) {
	case ARB_KIND_RR: { /* the first eligible VH after the last one granted, cyclically */
		int v = a->last < a->n ? first_set(eligible, a->last + 1, a->n) : 0;
		return v ? v : first_set(eligible, 1, a->last < a->n ? a->last : a->n);
	}
	case ARB_KIND_STRICT:
		for (int i = 0; i < a->n; i++)
			if (is_set(eligible, a->order[i]))
				return a->order[i];
		return 0;
	case ARB_KIND_WRR:
		return a->lazy ? lazy_decide(a, eligible) : wrr_decide(a, eligible);
	}
	return 0;
}

void arb_commit(struct arb *a, const uint64_t *eligible, int vh)
{
	switch (a->kind) {
	case ARB_KIND_RR:
		a->last = vh;
		break;
	case ARB_KIND_STRICT:
		break;
	case ARB_KIND_WRR:
		if (a->lazy)
			lazy_commit(a, eligible, vh);
		else
			wrr_commit(a, eligible, vh);
		break;
	}
}
