/* dheap.h - an indexed min-heap of dates: items embedded in their owners, each holding one
 * date that moves; the earliest is read in O(1), a move costs O(log n). The engine keeps
 * in one the next date at which each vswitch worker acts on its own (engine.h, calm runs),
 * so that 255 hosts' switches are not scanned at every date of the ports. */
#ifndef MRIOV_DHEAP_H
#define MRIOV_DHEAP_H

#include <math.h>

struct dheap_item {
	double at;
	int pos; /* its index in the heap, -1: not in it (dheap_add) */
};

struct dheap {
	struct dheap_item **h;
	int n, cap;
};

/* Add it (not in a heap yet) at date at. 0 or -ENOMEM (then it is not added). */
int dheap_add(struct dheap *d, struct dheap_item *it, double at);
/* Move it (added) to date at. No allocation. */
void dheap_move(struct dheap *d, struct dheap_item *it, double at);
/* The earliest date, INFINITY when empty. */
static inline double dheap_min(const struct dheap *d)
{
	return d->n ? d->h[0]->at : INFINITY;
}
/* Frees the heap's array (not the items); a no-op on a zeroed heap. */
void dheap_free(struct dheap *d);

#endif
