/* arb.c - rr, wrr and strict-priority arbitration among VHs. */
#include "arb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int arb_init(struct arb *a, enum arb_kind kind, int nvh, const uint64_t *weight,
	     const int *order)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->n = nvh;
	a->last = nvh; /* the first rr grant goes to VH 1 */
	a->weight = weight;
	if (kind == ARB_KIND_WRR) {
		a->current = calloc((size_t)nvh + 1, sizeof(*a->current));
		if (!a->current)
			return -ENOMEM;
	}
	if (kind == ARB_KIND_STRICT) {
		a->order = malloc(((size_t)nvh + 1) * sizeof(*a->order));
		if (!a->order)
			return -ENOMEM;
		for (int i = 0; i < nvh; i++)
			a->order[i] = order ? order[i] + 1 : i + 1;
	}
	return 0;
}

void arb_free(struct arb *a)
{
	if (!a)
		return;
	free(a->current);
	free(a->order);
}

static uint64_t weight_of(const struct arb *a, int v)
{
	return a->weight ? a->weight[v - 1] : 1;
}

int arb_decide(const struct arb *a, const unsigned char *eligible)
{
	switch (a->kind) {
	case ARB_KIND_RR:
		for (int i = 1; i <= a->n; i++) {
			int v = (a->last + i - 1) % a->n + 1;
			if (eligible[v])
				return v;
		}
		return 0;
	case ARB_KIND_STRICT:
		for (int i = 0; i < a->n; i++)
			if (eligible[a->order[i]])
				return a->order[i];
		return 0;
	case ARB_KIND_WRR: {
		/* smooth WRR: every eligible VH earns its weight; the richest wins and pays the
		 * total, so over a busy period grants follow the weights, interleaved */
		int best = 0;
		int64_t best_c = 0;
		for (int v = 1; v <= a->n; v++) {
			if (!eligible[v])
				continue;
			int64_t c = a->current[v] + (int64_t)weight_of(a, v);
			if (!best || c > best_c) {
				best = v;
				best_c = c;
			}
		}
		return best;
	}
	}
	return 0;
}

void arb_commit(struct arb *a, const unsigned char *eligible, int vh)
{
	switch (a->kind) {
	case ARB_KIND_RR:
		a->last = vh;
		break;
	case ARB_KIND_STRICT:
		break;
	case ARB_KIND_WRR: {
		int64_t total = 0;
		for (int v = 1; v <= a->n; v++) {
			if (!eligible[v])
				continue;
			a->current[v] += (int64_t)weight_of(a, v);
			total += (int64_t)weight_of(a, v);
		}
		a->current[vh] -= total;
		break;
	}
	}
}
