/* alloc.c - allocation with a failure hook for tests. */
#include "alloc.h"

#include <stdlib.h>

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
