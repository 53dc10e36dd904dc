/* ats.h - address translation services: device ATCs with translation requests through the
 * fabric, and the host's unmaps with ATS invalidations and their ITags (domain.md §3). */
#ifndef MRIOV_ATS_H
#define MRIOV_ATS_H

#include <stdbool.h>

#include "dev.h"
#include "rc.h"

/* ATCs, translation queues and unmap generators. 0 or -ENOMEM. */
int ats_build(struct eng *e);
/* No-op on a never built or half-built engine; frees what ats_build allocated, even half. */
void ats_destroy(struct eng *e);
/* DMA d is at the head of its VF's queue at now: may its TLPs go (translations present)? */
bool ats_dma_ready(struct eng *e, struct vf *vf, struct dma *d, double now);
/* A translation completion or an invalidate request reached the device at tail. */
void ats_dev_receive(struct eng *e, struct tlp *t, double tail);
/* An Invalidate Completion reached host h at tail: its ITag is free again. */
void ats_inv_done(struct eng *e, int host, struct tlp *t, double tail);
/* An invalidation to function fn of host's ended by timeout at t (its device is gone,
 * fault.c): its ITag is free again. */
void ats_inv_timeout(struct eng *e, int host, int fn, double t);

#endif
