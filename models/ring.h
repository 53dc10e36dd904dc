/* ring.h - growing a FIFO ring of fixed-size entries (a backlog kept as head + count in an
 * array of cap entries, the models' waiting frames, commands and invalidations). */
#ifndef MRIOV_RING_H
#define MRIOV_RING_H

#include <stddef.h>
#include <stdint.h>

/* Room for one more entry in the full ring buf of *cap entries of `size` bytes, n of them
 * from *head on: a ring of twice the room (64 at first) with the entries moved in order to
 * 0, which it returns (buf is freed, *head and *cap updated); NULL when out of memory, with
 * the ring as it was. */
void *ring_grow(void *buf, size_t size, uint32_t *head, uint32_t n, uint32_t *cap);

/* Room in buf, an array of *cap entries of `size` bytes (a power of two, or 0) indexed by
 * sequence number & (*cap - 1), to write entry hi while those from lo on are in use
 * (lo <= hi): it doubles (from 16) until hi - lo < *cap, the entries in use moved to their
 * new places. Returns the array (buf when it had room); NULL when out of memory, with buf
 * as it was. (The models' frame records and completion entries, docs/performance.md.) */
void *seq_room(void *buf, size_t size, uint32_t *cap, uint64_t lo, uint64_t hi);

#endif
