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

#endif
