/* ring.c - growing a FIFO ring of fixed-size entries. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void *ring_grow(void *buf, size_t size, uint32_t *head, uint32_t n, uint32_t *cap)
{
	uint32_t ncap = *cap ? 2 * *cap : 64;
	char *w = mriov_calloc(ncap, size);
	const char *old = buf;

	if (!w)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		memcpy(w + (size_t)i * size, old + (size_t)((*head + i) % *cap) * size, size);
	free(buf);
	*head = 0;
	*cap = ncap;
	return w;
}

void *seq_room(void *buf, size_t size, uint32_t *cap, uint64_t lo, uint64_t hi)
{
	while (hi - lo >= *cap) {
		uint32_t ncap = *cap ? 2 * *cap : 16;
		char *w = mriov_malloc((size_t)ncap * size);
		const char *old = buf;
		if (!w)
			return NULL;
		for (uint64_t s = lo; *cap && s < hi; s++)
			memcpy(w + (size_t)(s & (ncap - 1)) * size,
			       old + (size_t)(s & (*cap - 1)) * size, size);
		free(buf);
		buf = w;
		*cap = ncap;
	}
	return buf;
}
