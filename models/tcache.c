/* tcache.c - fully associative translation caches. */
#include "tcache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

int tcache_init(struct tcache *c, uint32_t entries, enum tcache_policy policy, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	c->policy = policy;
	c->cap = entries ? entries : 1;
	c->key = mriov_malloc(c->cap * sizeof(*c->key));
	c->stamp = mriov_malloc(c->cap * sizeof(*c->stamp));
	c->ready = mriov_malloc(c->cap * sizeof(*c->ready));
	if (!c->key || !c->stamp || !c->ready) {
		tcache_destroy(c);
		return -ENOMEM;
	}
	c->rng[0] = (unsigned short)seed;
	c->rng[1] = (unsigned short)(seed >> 16);
	c->rng[2] = (unsigned short)(seed >> 32);
	return 0;
}

void tcache_destroy(struct tcache *c)
{
	if (!c)
		return;
	free(c->key);
	free(c->stamp);
	free(c->ready);
	c->key = c->stamp = NULL;
	c->ready = NULL;
}

int tcache_lookup(struct tcache *c, uint64_t key, double *ready)
{
	for (uint32_t i = 0; i < c->n; i++) {
		if (c->key[i] != key)
			continue;
		if (c->policy == TCACHE_LRU)
			c->stamp[i] = ++c->clock;
		*ready = c->ready[i];
		return (int)i;
	}
	return -1;
}

static uint32_t victim(struct tcache *c)
{
	uint32_t v = 0;

	if (c->policy == TCACHE_RANDOM)
		return (uint32_t)(erand48(c->rng) * c->n) % c->n;
	/* LRU: least recently used; FIFO: first inserted (stamps are not refreshed on hits) */
	for (uint32_t i = 1; i < c->n; i++)
		if (c->stamp[i] < c->stamp[v])
			v = i;
	return v;
}

void tcache_insert(struct tcache *c, uint64_t key, double ready)
{
	uint32_t i = c->n < c->cap ? c->n++ : victim(c);

	c->key[i] = key;
	c->stamp[i] = ++c->clock;
	c->ready[i] = ready;
}

int tcache_invalidate(struct tcache *c, uint64_t key)
{
	for (uint32_t i = 0; i < c->n; i++) {
		if (c->key[i] != key)
			continue;
		c->n--;
		c->key[i] = c->key[c->n];
		c->stamp[i] = c->stamp[c->n];
		c->ready[i] = c->ready[c->n];
		return 1;
	}
	return 0;
}

void tcache_drop_range(struct tcache *c, uint64_t lo, uint64_t hi)
{
	for (uint32_t i = 0; i < c->n;) {
		if (c->key[i] < lo || c->key[i] >= hi) {
			i++;
			continue;
		}
		c->n--; /* the last entry takes its place, as tcache_invalidate does */
		c->key[i] = c->key[c->n];
		c->stamp[i] = c->stamp[c->n];
		c->ready[i] = c->ready[c->n];
	}
}
