/* tcache.h - a fully associative translation cache (device ATC, host IOTLB) with LRU, FIFO
 * or random replacement. Keys identify (function, page); an entry may be filled "at a
 * time", before which it is in flight (a walk or a translation request is under way). */
#ifndef MRIOV_TCACHE_H
#define MRIOV_TCACHE_H

#include <stdint.h>

enum tcache_policy { TCACHE_LRU, TCACHE_FIFO, TCACHE_RANDOM };

struct tcache {
	enum tcache_policy policy;
	uint32_t cap, n;
	uint64_t *key;
	uint64_t *stamp;   /* LRU: last use; FIFO: insertion */
	double *ready;     /* translation usable from this time */
	uint64_t clock;
	unsigned short rng[3];
};

/* Returns 0 or -ENOMEM. seed feeds the random policy's erand48 stream. */
int tcache_init(struct tcache *c, uint32_t entries, enum tcache_policy policy, uint64_t seed);
void tcache_destroy(struct tcache *c);

/* Look key up. Returns the index of the entry, or -1; *ready is when the entry's
 * translation is usable. LRU marks it most recently used. (Callers count hits and misses:
 * per function or host, over the window.) */
int tcache_lookup(struct tcache *c, uint64_t key, double *ready);

/* Insert key, usable from time ready, evicting per the policy when full. */
void tcache_insert(struct tcache *c, uint64_t key, double ready);

/* Remove key; returns 1 when it was cached. */
int tcache_invalidate(struct tcache *c, uint64_t key);
/* Remove every key in [lo, hi) (a function's pages, or everything: a reset). */
void tcache_drop_range(struct tcache *c, uint64_t lo, uint64_t hi);

#endif
