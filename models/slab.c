/* slab.c - fixed-size object allocator. */
#include "slab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define SLAB_BLOCK 1024 /* objects per block */
#define SLAB_LINE 64    /* a cache line */

void slab_init(struct slab *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	/* no object straddles more cache lines than its size needs: up to a line, a power of
	 * two (at least 16, at least a pointer); beyond, whole lines */
	s->size = 16;
	while (s->size < size && s->size < SLAB_LINE)
		s->size *= 2;
	if (size > SLAB_LINE)
		s->size = (size + SLAB_LINE - 1) & ~(size_t)(SLAB_LINE - 1);
}

/* A new block of objects, its first one at a cache line; 0 or -1 (out of memory). */
static int slab_grow(struct slab *s)
{
	char *raw, *b;

	if (s->nblocks == s->capblocks) {
		size_t cap = s->capblocks ? 2 * s->capblocks : 16;
		void **v = mriov_realloc(s->blocks, cap * sizeof(*v));
		if (!v)
			return -1;
		s->blocks = v;
		s->capblocks = cap;
	}
	raw = mriov_malloc(s->size * SLAB_BLOCK + SLAB_LINE);
	if (!raw)
		return -1;
	s->blocks[s->nblocks++] = raw;
	b = raw + (SLAB_LINE - (uintptr_t)raw % SLAB_LINE) % SLAB_LINE;
	for (size_t i = SLAB_BLOCK; i-- > 0;) {
		*(void **)(b + i * s->size) = s->free;
		s->free = b + i * s->size;
	}
	return 0;
}

void *slab_alloc(struct slab *s)
{
	void *o;

	if (!s->free && slab_grow(s))
		return NULL;
	o = s->free;
	s->free = *(void **)o;
	memset(o, 0, s->size);
	s->live++;
	return o;
}

void slab_free(struct slab *s, void *obj)
{
	*(void **)obj = s->free;
	s->free = obj;
	s->live--;
}

void slab_destroy(struct slab *s)
{
	for (size_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	memset(s, 0, sizeof(*s));
}
