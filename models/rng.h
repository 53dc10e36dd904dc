/* rng.h - the run's random streams. Every stream is seeded from the run's seed and its own
 * identity (a, b), so that adding a stream never shifts another, and the generator is
 * POSIX erand48 (its recurrence is fixed by the standard: results match on any machine).
 *
 * Identities in use (a, b):
 *   (workload + 1, function + 1)  DMA arrivals, sizes and addresses of a workload on a VF
 *   (workload + 1, 0)             the workload's unmaps
 *   (0, 3 h + 1)                  host h's IOTLB (random replacement)
 *   (0, 3 d + 2)                  device d's shared ATC
 *   (0, 3 f + 3)                  function f's own ATC */
#ifndef MRIOV_RNG_H
#define MRIOV_RNG_H

#include <stdint.h>

/* SplitMix64's output function (Steele, Lea, Flood: "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): one well-mixed 64-bit value per stream identity. */
static inline uint64_t rng_mix(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t z = (seed ^ (a * 0x100000001b3ull) ^ (b << 32)) + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The erand48 state of stream (a, b). */
static inline void rng_seed48(unsigned short st[3], uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t r = rng_mix(seed, a, b);

	st[0] = (unsigned short)r;
	st[1] = (unsigned short)(r >> 16);
	st[2] = (unsigned short)(r >> 32);
}

#endif
