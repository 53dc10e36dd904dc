/* fault_priv.h - what fault.c and fault_link.c share, private to them. */
#ifndef MRIOV_FAULT_PRIV_H
#define MRIOV_FAULT_PRIV_H

#include "fault.h"

/* fault.c: DMA d fails because of event ev (a DMA still queued leaves its queue); bytes of
 * a failed DMA are accounted for at t, and once nothing of it is in flight it is counted,
 * freed, and a closed loop replaces it (at once when its path is up, else at link_up). */
void fault_fail_dma(struct eng *e, struct dma *d, int ev);
void fault_account_failed(struct eng *e, struct dma *d, uint32_t bytes, double t);
/* fault.c: n more DMAs of closed-loop stream g on vf at t (failed ones replaced). */
void fault_stream_reissue(struct eng *e, struct vf *vf, struct stream *g, uint64_t n,
			  double t);

/* fault_link.c: link l goes down at now (event ev), or carries TLPs again at now; the
 * discard hook of the engine's ports whose link is down (e->discard). */
void fault_link_down(struct eng *e, int l, int ev, double now);
void fault_link_back(struct eng *e, int l, double now);
void fault_discard(struct eng *e, struct port *p, struct tlp *t, double now);

#endif
