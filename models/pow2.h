/* pow2.h - the power of two a DMA buffer slot is rounded up to, shared by the device model
 * (models/dev.c) and validation (fabric/validate_assign.c), which must agree on it. */
#ifndef MRIOV_POW2_H
#define MRIOV_POW2_H

#include <stdint.h>

/* The smallest power of two >= x (1 for x <= 1); x at most 2^63. */
static inline uint64_t pow2_at_least(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

#endif
