/* rcal.c - the calendar in front of a parking heap (rcal.h). */
#include "rcal.h"

#include <errno.h>
#include <stdlib.h>

#include "alloc.h"
#include "ready.h"

static int ring_init(struct rcal_ring *g, int nb)
{
	g->b = mriov_calloc((size_t)nb, sizeof(*g->b));
	g->used = mriov_calloc((size_t)nb / 64 + 1, sizeof(*g->used));
	return g->b && g->used ? 0 : -ENOMEM;
}

int rcal_init(struct rcal *c, double w, int nb)
{
	*c = (struct rcal){.per = 1 / w, .nb = nb, .ovf_min = UINT64_MAX};
	while ((1 << c->shift) < nb)
		c->shift++;
	return ring_init(&c->fine, nb) || ring_init(&c->coarse, nb) ? -ENOMEM : 0;
}

static void ring_destroy(struct rcal_ring *g, int nb)
{
	for (int k = 0; g->b && k < nb; k++)
		free(g->b[k].v);
	free(g->b);
	free(g->used);
}

void rcal_destroy(struct rcal *c)
{
	ring_destroy(&c->fine, c->nb);
	ring_destroy(&c->coarse, c->nb);
	free(c->ovf.v);
	free(c->out.v);
	*c = (struct rcal){0};
}

/* Date t's fine bucket (dates of 2^62 buckets and more share the last). */
static uint64_t bucket(const struct rcal *c, double t)
{
	double k = t * c->per; /* (a product, not a quotient: both are monotonic in t) */
	return k < 4611686018427387904.0 ? (uint64_t)k : (uint64_t)1 << 62;
}

static int append(struct rcal_bucket *b, struct ready_timer x)
{
	if (b->n == b->cap) {
		int cap = b->cap ? 2 * b->cap : 8;
		struct ready_timer *v = mriov_realloc(b->v, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = x;
	return 0;
}

static int ring_add(struct rcal_ring *g, int slot, struct ready_timer x)
{
	if (append(&g->b[slot], x))
		return -ENOMEM;
	g->used[slot >> 6] |= (uint64_t)1 << (slot & 63);
	g->n++;
	return 0;
}

/* Bucket slot of g emptied (its dates taken or moved). */
static void ring_clear(struct rcal_ring *g, int slot)
{
	g->n -= g->b[slot].n;
	g->b[slot].n = 0;
	g->used[slot >> 6] &= ~((uint64_t)1 << (slot & 63));
}

/* x into the fine ring, the coarse ring or the overflow, by its bucket. 0 or -ENOMEM. */
static int place(struct rcal *c, struct ready_timer x)
{
	uint64_t k = bucket(c, x.t), m = (uint64_t)c->nb - 1;

	if (k < c->cur) /* (not asked by rcal_near's caller: the first bucket it may be in) */
		k = c->cur;
	uint64_t kc = c->cur >> c->shift, K = k >> c->shift;
	if (K == kc)
		return ring_add(&c->fine, (int)(k & m), x);
	if (K - kc < (uint64_t)c->nb)
		return ring_add(&c->coarse, (int)(K & m), x);
	if (append(&c->ovf, x))
		return -ENOMEM;
	if (K < c->ovf_min)
		c->ovf_min = K;
	return 0;
}

int rcal_add(struct rcal *c, double t, int i)
{
	return place(c, (struct ready_timer){t, i});
}

/* The overflow's dates that the rings now cover go into them. 0 or -ENOMEM. */
static int spill(struct rcal *c)
{
	uint64_t kc = c->cur >> c->shift;
	int kept = 0;

	if (!c->ovf.n || c->ovf_min - kc >= (uint64_t)c->nb)
		return 0;
	c->ovf_min = UINT64_MAX;
	for (int j = 0; j < c->ovf.n; j++) {
		struct ready_timer x = c->ovf.v[j];
		uint64_t K = bucket(c, x.t) >> c->shift;
		if (K - kc < (uint64_t)c->nb) {
			if (place(c, x))
				return -ENOMEM;
			continue;
		}
		c->ovf.v[kept++] = x;
		if (K < c->ovf_min)
			c->ovf_min = K;
	}
	c->ovf.n = kept;
	return 0;
}

/* The run enters coarse bucket K (every date of the calendar is in it or later): the
 * coarse ring's dates of K are spread into the fine ring, and the overflow's that the
 * rings now cover join them. 0, or -ENOMEM (the dates are then in the calendar still,
 * some twice). */
static int enter(struct rcal *c, uint64_t K)
{
	uint64_t m = (uint64_t)c->nb - 1;
	int s = (int)(K & m);

	c->cur = K << c->shift;
	if (c->coarse.used[s >> 6] >> (s & 63) & 1) {
		struct rcal_bucket *b = &c->coarse.b[s];
		for (int j = 0; j < b->n; j++) {
			uint64_t k = bucket(c, b->v[j].t);
			if (ring_add(&c->fine, (int)((k < c->cur ? c->cur : k) & m), b->v[j]))
				return -ENOMEM;
		}
		ring_clear(&c->coarse, s);
	}
	return spill(c);
}

/* The first coarse bucket after the one being run that holds dates: the coarse ring's or
 * the overflow's first. */
static uint64_t next_block(const struct rcal *c)
{
	uint64_t kc = c->cur >> c->shift, m = (uint64_t)c->nb - 1, K = c->ovf_min;

	if (c->coarse.n) {
		int s0 = (int)((kc + 1) & m), s = ready_bits_next(c->coarse.used, s0, c->nb);
		if (s < 0)
			s = ready_bits_next(c->coarse.used, 0, s0);
		uint64_t k = kc + 1 + (uint64_t)((s - s0 + c->nb) % c->nb);
		K = k < K ? k : K;
	}
	return K;
}

const struct ready_timer *rcal_next(struct rcal *c, int *n)
{
	uint64_t m = (uint64_t)c->nb - 1;

	if (c->err)
		return NULL;
	while (!c->fine.n) {
		if (!c->coarse.n && !c->ovf.n)
			return NULL;
		if (enter(c, next_block(c))) {
			c->err = true;
			return NULL;
		}
	}
	int s = ready_bits_next(c->fine.used, (int)(c->cur & m), c->nb);
	struct rcal_bucket *b = &c->fine.b[s];
	*n = b->n;
	c->through += (uint64_t)b->n;
	c->cur = (c->cur & ~m) + (uint64_t)s + 1; /* past it, maybe into the next coarse one */
	if (!(c->cur & m)) {
		/* into the next coarse bucket: its dates join the fine ring now, before a date
		 * of it is added there (a bucket's dates must not be split between the rings),
		 * and may land in this slot: b's dates are handed out of another array */
		struct rcal_bucket t = *b;
		*b = c->out;
		c->out = t;
		c->fine.n -= c->out.n;
		c->fine.used[s >> 6] &= ~((uint64_t)1 << (s & 63));
		b->n = 0;
		if (enter(c, c->cur >> c->shift))
			c->err = true; /* b's dates are right; the next call gives up */
		return c->out.v;
	}
	ring_clear(&c->fine, s);
	return b->v;
}

const struct ready_timer *rcal_take_all(struct rcal *c, int *n)
{
	struct rcal_ring *rings[] = {&c->fine, &c->coarse};

	for (int g = 0; g < 2; g++)
		for (int s = 0; s < c->nb && rings[g]->n; s++)
			if (rings[g]->b[s].n) {
				*n = rings[g]->b[s].n;
				ring_clear(rings[g], s);
				return rings[g]->b[s].v;
			}
	if (c->ovf.n) {
		*n = c->ovf.n;
		c->ovf.n = 0;
		c->ovf_min = UINT64_MAX;
		return c->ovf.v;
	}
	c->err = false; /* empty, so whole again */
	return NULL;
}

