/* fault_move.c - what a reassign (contract §10) does to a device model's functions, beside
 * fault.c's moves of raw DMA: the function a VF leaves stops for good (its model's leave op),
 * and the next arrival of a model's open-loop stream when the VFs its workload runs on
 * change (its model's split op: nic_move.c, nvme_move.c). */
#include "fault.h"
#include "fault_priv.h"

#include <math.h>
#include <stdlib.h>

#include "devmodel.h"

double fault_respaced(const struct topo_workload *wl, double was, double old, double mean,
		      int k, int n, double now, unsigned short rng[3])
{
	double at = fmax(now, wl->start);

	if (was <= now)
		return was;
	if (wl->arrival != ARRIVAL_CONSTANT)
		return at - log(1.0 - erand48(rng)) * mean;
	if (isinf(was) || now < wl->start)
		return at + mean * k / n;
	return now + (was - now) * mean / old;
}

void fault_model_leave(struct eng *e, int fn, int ev, double now)
{
	struct vf *vf = &e->vfs[fn];

	vf->reset_ev = ev;
	vf->epoch++;
	e->faults->cut[fn].on = false; /* a link that comes back does not bring it back */
	dev_model_leave(e, fn, now);
	eng_signal_at(vf->port, now);
}

