/* arb.c - rr, wrr and strict-priority arbitration among VHs. */
#include "arb.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

int arb_init(struct arb *a, enum arb_kind kind, int nvh, const uint64_t *weight,
	     const int *order)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->n = nvh;
	a->last = nvh; /* the first rr grant goes to VH 1 */
	a->weight = weight;
	if (kind == ARB_KIND_WRR) {
		a->current = mriov_calloc((size_t)nvh + 1, sizeof(*a->current));
		if (!a->current)
			return -ENOMEM;
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
	a->current = NULL;
	a->order = NULL;
}

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
		return wrr_decide(a, eligible);
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
		wrr_commit(a, eligible, vh);
		break;
	}
}
