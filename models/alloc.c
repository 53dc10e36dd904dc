/* alloc.c - allocation with a failure hook for tests. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int (*mriov_alloc_fail_hook)(void);

void *mriov_malloc(size_t n)
{
	return mriov_alloc_fail_hook && mriov_alloc_fail_hook() ? NULL : malloc(n);
}

void *mriov_calloc(size_t n, size_t size)
{
	return mriov_alloc_fail_hook && mriov_alloc_fail_hook() ? NULL : calloc(n, size);
}

void *mriov_realloc(void *p, size_t n)
{
	return mriov_alloc_fail_hook && mriov_alloc_fail_hook() ? NULL : realloc(p, n);
}

void *mriov_calloc_lines(size_t n, size_t size)
{
	void *p;
	size_t bytes;

	if (mriov_alloc_fail_hook && mriov_alloc_fail_hook())
		return NULL;
	if (size && n > SIZE_MAX / size)
		return NULL;
	bytes = n * size;
	if (posix_memalign(&p, MRIOV_LINE, bytes > 0 ? bytes : 1))
		return NULL;
	return memset(p, 0, bytes);
}
