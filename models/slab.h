/* slab.h - fixed-size object allocator for the objects made per TLP and per DMA: blocks of
 * many objects, a free list for reuse, everything released at once by slab_destroy. Objects
 * are aligned so that none straddles more cache lines than its size needs. */
#ifndef MRIOV_SLAB_H
#define MRIOV_SLAB_H

#include <stddef.h>

struct slab {
	size_t size;      /* object size: a power of two from 16 to 64, or whole 64-byte lines */
	void *free;       /* free objects, linked through their first word */
	void **blocks;    /* as allocated (their first object is at the next line) */
	size_t nblocks, capblocks;
	size_t live;      /* objects handed out and not yet freed */
};

void slab_init(struct slab *s, size_t size);
/* A zeroed object, or NULL when out of memory. */
void *slab_alloc(struct slab *s);
void slab_free(struct slab *s, void *obj);
void slab_destroy(struct slab *s);

#endif
