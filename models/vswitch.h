/* vswitch.h - a host's software switch on its CPU (contract §11, the "classic path" of seed
 * 002): jobs of CPU work, each run as one SimGrid execution on the host's SimGrid host by
 * one of `vswitch.cores` worker actors, oldest ready first. The platform gives the host
 * cpu.cores cores of cpu.frequency flop/s (fabric/platform.c), so a cycle is a flop and,
 * with at most vswitch.cores <= cpu.cores executions at once, each runs at one core's speed.
 * What a job is for (a NIC frame) is its owner's business, told through its callbacks. */
#ifndef MRIOV_VSWITCH_H
#define MRIOV_VSWITCH_H

#include <simgrid/semaphore.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

struct vswitch_job;
/* Called with the job (its obj and arg are the owner's) at simulated time t. */
typedef void (*vswitch_fn)(const struct vswitch_job *j, double t);

struct vswitch_job {
	double ready;    /* it may start then (its frame reached the switch) */
	uint64_t seq;    /* ties: submission order */
	double cycles;   /* CPU work */
	double t0;       /* what the owner counts its latency from */
	vswitch_fn taken; /* optional: a worker takes it (before its execution) */
	vswitch_fn done;  /* its execution ended */
	void *obj;
	uint64_t arg;
};

/* What a worker does: it will look at the heap now (between two waits or jobs), it waits
 * until `until` (or a release), or it executes a job until `free_at`. */
enum vswitch_state { VSW_LOOKING, VSW_WAITING, VSW_BUSY };

struct vswitch_worker {
	struct vswitch *v;
	enum vswitch_state state;
	double until;      /* waiting: its timeout */
	double free_at;    /* busy: its execution ends then (cycles / a core's speed) */
	double busy_since; /* < 0: not executing */
	const void *obj;   /* the owner of the job it executes */
	bool dropped;      /* its owner dropped that job (vswitch_drop): no done, not counted */
	struct dheap_item wake; /* in e->calm_acts: when it next runs unreleased (engine.h) */
};

struct vswitch {
	struct eng *e;
	int host;
	int ncores;              /* vswitch.cores: workers, executions at once */
	double speed;            /* a core's flop/s (cycles per second) */
	const char *host_name;   /* the SimGrid host the workers run on */
	struct vswitch_job *h;   /* binary heap by (ready, seq) */
	uint32_t n, cap;
	uint64_t seq;
	bool started;
	sg_sem_t sem;
	int nidle, nwoken;       /* workers waiting; releases they have not taken yet */
	struct vswitch_worker *w;
	/* over the window [warmup, duration] */
	double busy;             /* core-seconds of finished executions inside it */
	uint64_t jobs;           /* executions that ended inside it */
};

/* Set up v for host (index) h of e, named host_name, with ncores workers; no SimGrid call.
 * 0 or -ENOMEM; vswitch_destroy either way. */
int vswitch_init(struct vswitch *v, struct eng *e, int h, const char *host_name, int ncores);
/* Frees v's jobs and semaphore (after the run); no-op on a zeroed or half-built v. */
void vswitch_destroy(struct vswitch *v);
/* Queue job j (copied). Before vswitch_start it only waits; after, a worker is woken when j
 * is the earliest and no worker will look at the heap by j's ready date without it (one
 * waits until then at the latest, or ends its execution before). Sets e->err to -ENOMEM
 * when the queue cannot grow. */
void vswitch_submit(struct vswitch *v, const struct vswitch_job *j);
/* Create the workers (daemon actors on the host); call from inside the simulation, once. */
void vswitch_start(struct vswitch *v);
/* The jobs of owner obj leave v (its function was reset, contract §10): the waiting ones
 * are forgotten; one a worker is executing runs to its end (the core did that work: its
 * busy time counts) but is not counted as switched and its done is not called. No SimGrid
 * call; what the jobs were for is the owner's to count. */
void vswitch_drop(struct vswitch *v, const void *obj);
/* Busy core-seconds inside the window, executions cut off by the end included. */
double vswitch_busy(const struct vswitch *v);

#endif
