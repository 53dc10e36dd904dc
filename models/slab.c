/* slab.c - fixed-size object allocator. */
#include "slab.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define SLAB_BLOCK 1024 /* objects per block */

void slab_init(struct slab *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->size = size < sizeof(void *) ? sizeof(void *) : (size + 15) & ~(size_t)15;
}

void *slab_alloc(struct slab *s)
{
	void *o;

	if (!s->free) {
		char *b;
		if (s->nblocks == s->capblocks) {
			size_t cap = s->capblocks ? 2 * s->capblocks : 16;
			void **v = mriov_realloc(s->blocks, cap * sizeof(*v));
			if (!v)
				return NULL;
			s->blocks = v;
			s->capblocks = cap;
		}
		b = mriov_malloc(s->size * SLAB_BLOCK);
		if (!b)
			return NULL;
		s->blocks[s->nblocks++] = b;
		for (size_t i = SLAB_BLOCK; i-- > 0;) {
			*(void **)(b + i * s->size) = s->free;
			s->free = b + i * s->size;
		}
	}
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
