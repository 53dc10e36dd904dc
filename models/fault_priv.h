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

/* fault.c: function fn is reset at now (event ev): its DMAs fail, its device model's work
 * fails and its queues empty, its ATC entries go; it issues nothing before until (the end
 * of its FLR; INFINITY: until fault_function_back). */
void fault_reset_function(struct eng *e, int fn, int ev, double now, double until);
/* fault.c: function fn is back at now: its closed loops, and its model's, start again. */
void fault_function_back(struct eng *e, int fn, double now);

/* fault_move.c: a device model's function fn leaves its host at now (event ev), after
 * fault.c's quiesce: its epoch moves, so that its TLPs still in the fabric are stale where
 * they land (their credits and tags come back); it is no longer cut by a link (a link_up
 * does not bring it back); its model fails what the queue pair or controller had under way
 * (charged to ev) and stops its arrivals for good. */
void fault_model_leave(struct eng *e, int fn, int ev, double now);

/* fault_link.c: link l goes down at now (event ev), or carries TLPs again at now; the
 * discard hook of the engine's ports whose link is down (e->discard). */
void fault_link_down(struct eng *e, int l, int ev, double now);
void fault_link_back(struct eng *e, int l, double now);
void fault_discard(struct eng *e, struct port *p, struct tlp *t, double now);

/* fault_model.c: the functions with a device model whose path uses link l, which goes down
 * at now (event ev), are cut: their drivers see a surprise down (domain.md §1.7) and what
 * they had under way fails as on a reset; at link_up + retrain (fault_model_link_back) the
 * ones whose paths are whole again start afresh. A TLP of a model or of its host's MMIO
 * lost on a link that is down: a read request or its last completion ends by completion
 * timeout and frees its tag. */
void fault_model_link_down(struct eng *e, int l, int ev, double now);
void fault_model_link_back(struct eng *e, int l, double now);
void fault_model_lost(struct eng *e, const struct tlp *t, int ev, double now);
/* fault_model.c: function fn begins to serve its host at now (a VF a reassign moved in):
 * with a device model and a path a link down cuts, it is cut too, and true: it starts at
 * link_up + retrain; false: it starts now. */
bool fault_model_enter(struct eng *e, int fn, double now);
/* fault_model.c: function fn, cut, is reset (event ev) with an FLR until `until`: it has
 * nothing under way; it is back when the link is and this FLR is done. A no-op on a
 * function that is not cut. */
void fault_model_cut_reset(struct eng *e, int fn, int ev, double until);

#endif
