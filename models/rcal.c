/* rcal.c - the calendar in front of a parking heap (rcal.h). */
#include "rcal.h"

#include <errno.h>
#include <stdlib.h>

#include "alloc.h"
#include "ready.h"

int rcal_init(struct rcal *c, double w, int nb)
{
	*c = (struct rcal){.w = w, .nb = nb, .ovf_min = UINT64_MAX};
	c->b = mriov_calloc((size_t)nb, sizeof(*c->b));
	c->used = mriov_calloc((size_t)nb / 64 + 1, sizeof(*c->used));
	return c->b && c->used ? 0 : -ENOMEM;
}

void rcal_destroy(struct rcal *c)
{
	for (int k = 0; c->b && k < c->nb; k++)
		free(c->b[k].v);
	free(c->b);
	free(c->used);
	free(c->ovf.v);
	*c = (struct rcal){0};
}

/* Date t's bucket (dates of 2^62 buckets and more share the last). */
static uint64_t bucket(const struct rcal *c, double t)
{
	double k = t / c->w;
	return k < 4611686018427387904.0 ? (uint64_t)k : (uint64_t)1 << 62;
}

static int append(struct rcal_bucket *b, double t, int i)
{
	if (b->n == b->cap) {
		int cap = b->cap ? 2 * b->cap : 8;
		struct ready_timer *v = mriov_realloc(b->v, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (struct ready_timer){t, i};
	return 0;
}

/* Into bucket k of the ring (cur <= k < cur + nb). */
static int ring_add(struct rcal *c, uint64_t k, double t, int i)
{
	int s = (int)(k & (uint64_t)(c->nb - 1));

	if (append(&c->b[s], t, i))
		return -ENOMEM;
	c->used[s >> 6] |= (uint64_t)1 << (s & 63);
	c->nring++;
	return 0;
}

int rcal_add(struct rcal *c, double t, int i)
{
	uint64_t k = bucket(c, t);

	if (k < c->cur) /* (t / w rounded to cur's bucket's edge: the first bucket it may be in) */
		k = c->cur;
	if (k - c->cur < (uint64_t)c->nb)
		return ring_add(c, k, t, i);
	if (append(&c->ovf, t, i))
		return -ENOMEM;
	if (k < c->ovf_min)
		c->ovf_min = k;
	return 0;
}

/* The dates of the overflow whose buckets the ring now covers go into it. 0 or -ENOMEM. */
static int spill(struct rcal *c)
{
	int kept = 0;

	c->ovf_min = UINT64_MAX;
	for (int j = 0; j < c->ovf.n; j++) {
		struct ready_timer x = c->ovf.v[j];
		uint64_t k = bucket(c, x.t);
		if (k < c->cur)
			k = c->cur;
		if (k - c->cur < (uint64_t)c->nb) {
			if (ring_add(c, k, x.t, x.i))
				return -ENOMEM;
			continue;
		}
		c->ovf.v[kept++] = x;
		if (k < c->ovf_min)
			c->ovf_min = k;
	}
	c->ovf.n = kept;
	return 0;
}

/* The slot of the first used bucket at or after cur, cyclically (the ring holds dates). */
static int first_used(const struct rcal *c)
{
	int nw = (c->nb + 63) / 64, s0 = (int)(c->cur & (uint64_t)(c->nb - 1));

	for (int d = 0; d <= nw; d++) {
		int w = (s0 / 64 + d) % nw;
		uint64_t m = c->used[w];
		if (d == 0)
			m &= ~(uint64_t)0 << (s0 & 63);
		else if (d == nw)
			m &= ((uint64_t)1 << (s0 & 63)) - 1;
		if (m)
			return w * 64 + __builtin_ctzll(m);
	}
	return -1;
}

const struct ready_timer *rcal_next(struct rcal *c, int *n)
{
	if (!c->nring && c->ovf.n)
		c->cur = c->ovf_min; /* nothing before the overflow's first */
	if (c->ovf.n && c->ovf_min - c->cur < (uint64_t)c->nb && spill(c))
		return NULL; /* (the heap keeps what it has: ready.c activates the sources) */
	if (!c->nring)
		return NULL;
	int s = first_used(c), s0 = (int)(c->cur & (uint64_t)(c->nb - 1));
	c->cur += (uint64_t)((s - s0 + c->nb) % c->nb) + 1; /* past it */
	struct rcal_bucket *b = &c->b[s];
	*n = b->n;
	c->nring -= b->n;
	b->n = 0;
	c->used[s >> 6] &= ~((uint64_t)1 << (s & 63));
	return b->v;
}

const struct ready_timer *rcal_take_all(struct rcal *c, int *n)
{
	for (int s = 0; s < c->nb && c->nring; s++)
		if (c->b[s].n) {
			struct rcal_bucket *b = &c->b[s];
			*n = b->n;
			c->nring -= b->n;
			b->n = 0;
			c->used[s >> 6] &= ~((uint64_t)1 << (s & 63));
			return b->v;
		}
	if (c->ovf.n) {
		*n = c->ovf.n;
		c->ovf.n = 0;
		c->ovf_min = UINT64_MAX;
		return c->ovf.v;
	}
	return NULL;
}
