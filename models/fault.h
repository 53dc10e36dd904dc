/* fault.h - what the engine does on the runtime events of contract §10: a management actor
 * applies each event at its time; a per-VH reset fails the host's DMAs in flight, clears its
 * IOTLB, its functions' ATC entries and its interrupt entry cache, and brings its functions
 * back after pcie.flr. What was lost is counted per event and per host. */
#ifndef MRIOV_FAULT_H
#define MRIOV_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include <simgrid/semaphore.h>

#include "dev.h"

/* What one event cost (events.csv). */
struct fault_event_stats {
	uint64_t dmas_failed;  /* DMAs it made fail, and open-loop arrivals it dropped */
	uint64_t tlps_lost;    /* TLPs discarded on arrival because their DMA had failed */
	uint64_t timeouts;     /* requests ended by completion timeout */
	double back_at;        /* reset: when the functions were back (FLR done); 0: not yet */
};

struct eng_faults {
	struct fault_event_stats *ev; /* per topo event */
	uint64_t *host_failed;        /* per host: DMAs failed in the window (hosts.csv) */
	uint64_t *host_timeouts;      /* per host: completion timeouts in the window */
	int *link_ev;                 /* per link: the link_down that holds it down, -1: up */
	int links_down;               /* links down now (or retraining) */
	bool *gone;                   /* per device: removed */
	/* per function with a device model: its path is cut by a link that is down
	 * (fault_model.c); an FLR it was in when cut ends at flr_until (event flr_ev) */
	struct fault_cut {
		bool on;
		int flr_ev;
		double flr_until;
	} *cut;
	/* invalidations to removed devices, ending by timeout, in time order (a FIFO: each
	 * ends a fixed time after it was lost) */
	struct fault_itag { double at; int host, fn; } *itq;
	uint32_t itq_head, itq_n, itq_cap;
	/* the management actor waits on sem until wait_until (a lost invalidation may need it
	 * sooner) */
	sg_sem_t sem;
	bool waiting;
	double wait_until;
};

/* The per-event and per-host counters. 0 or -ENOMEM; a topology without events needs none
 * (e->faults stays NULL). */
int fault_build(struct eng *e);
void fault_destroy(struct eng *e);
/* Host h's DMAs failed and completion timeouts in the window: 0 without events. */
static inline uint64_t fault_host_failed(const struct eng *e, int h)
{
	return e->faults ? e->faults->host_failed[h] : 0;
}
static inline uint64_t fault_host_timeouts(const struct eng *e, int h)
{
	return e->faults ? e->faults->host_timeouts[h] : 0;
}
/* The management actor, when the topology has events (after eng_start's port actors). */
void fault_start(struct eng *e);

/* Has DMA d failed (its function was reset after it was issued, or a TLP of it was lost)? */
static inline bool fault_dma_stale(const struct eng *e, const struct dma *d)
{
	return d->failed || d->epoch != e->vfs[d->fn].epoch;
}
/* Does function fn serve its host at t (a VF that a reassign moves serves each host for a
 * while; one whose device is gone serves nobody)? */
bool fault_serves(const struct eng *e, int fn, double t);
/* The next arrival, from now, of a device model's open-loop stream of workload wl whose mean
 * gap goes from old to mean (the VFs that serve its host changed): what fault.c's DMA streams
 * do. One due by now (was <= now: its port has not run it yet) stays, at the old rate;
 * Poisson arrivals are memoryless (a gap drawn again from rng), constant ones keep their
 * phase; a stream with none (was INFINITY: its VF joins) starts k/n of a gap from now, the
 * k-th of n; a workload that has not started yet starts as it would have with them. */
double fault_respaced(const struct topo_workload *wl, double was, double old, double mean,
		      int k, int n, double now, unsigned short rng[3]);
/* The link_down event that cuts function fn's paths now, or -1 (they are up). */
int fault_path_event(const struct eng *e, int fn);
/* bytes of a failed DMA's TLP arrived at t and are discarded; the DMA is freed (and
 * counted as failed) when nothing of it is in flight any more. */
void fault_stale_arrival(struct eng *e, struct dma *d, uint32_t bytes, double t);
/* Is t a device model's TLP (or its completion) of an epoch its function has left? Its
 * `landed` is not run: what it was for failed with the reset (counted as a lost TLP). */
static inline bool fault_model_stale(struct eng *e, const struct tlp *t)
{
	struct vf *vf;

	if (!e->faults || t->fn < 0)
		return false;
	vf = &e->vfs[t->fn];
	if (!vf->model || t->epoch == vf->epoch)
		return false;
	e->faults->ev[vf->reset_ev].tlps_lost++;
	return true;
}
/* Is device dv removed (its hosts' drivers stopped using it)? */
static inline bool fault_device_gone(const struct eng *e, int dv)
{
	return e->faults && e->faults->gone[dv];
}
/* n frames or commands of a device model's function fn failed at t, because of the reset
 * that last moved its epoch (in flight, or arrived while it was resetting). */
void fault_model_failed(struct eng *e, int fn, uint64_t n, double t);
/* An open-loop arrival of vf at t fell while its function was resetting: dropped, counted. */
void fault_arrival_dropped(struct eng *e, const struct vf *vf, double t);

#endif
