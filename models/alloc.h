/* alloc.h - the models' allocation calls, with a hook that tests use to make any one of
 * them fail (tests/check_alloc_fail.c). Without a hook they are malloc, calloc, realloc. */
#ifndef MRIOV_ALLOC_H
#define MRIOV_ALLOC_H

#include <stddef.h>

/* When set, called before every allocation; a nonzero return makes it fail (NULL). */
extern int (*mriov_alloc_fail_hook)(void);

void *mriov_malloc(size_t n);
void *mriov_calloc(size_t n, size_t size);
void *mriov_realloc(void *p, size_t n);
/* calloc at a cache line (64 bytes): for arrays of structs laid out by cache line, whose
 * hot fields then span as few lines as they can (free() frees it). */
#define MRIOV_LINE 64
void *mriov_calloc_lines(size_t n, size_t size);

#endif
