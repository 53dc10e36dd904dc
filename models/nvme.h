/* nvme.h - the NVMe model of contract §6 (domain.md §10.2): each VF is a controller with one
 * I/O queue pair in host memory. The host (nvme_host.c) puts commands in the submission
 * queue and rings the SQ tail doorbell per sq_doorbell commands; the drive (nvme.c) fetches
 * 64-byte entries (up to sq_fetch adjacent ones per read), reads the PRP list of a transfer
 * over more than two pages, reads a write command's data, runs each command on one of the
 * device's `channels` media channels (shared by all its controllers, in order of arrival),
 * writes a read command's data, writes a 16-byte completion entry and raises an MSI-X per
 * irq_coalesce entries (or irq_interval after the first unannounced one); the host consumes
 * entries on the interrupt (at once when polled), rings the CQ head doorbell per cq_doorbell
 * entries and, in a closed loop, issues the next command. Its TLPs go through the device's
 * port as FIFO sources; what their completions do is in their `landed` callbacks. */
#ifndef MRIOV_NVME_H
#define MRIOV_NVME_H

#include "clock.h"
#include "dev.h"
#include "devmodel.h"
#include "engine.h"

/* An io workload's commands on one VF: open-loop arrivals or a closed loop of depth. */
struct nvme_stream {
	struct nvme_stream *next;
	int wl;
	bool open;
	/* an open loop's next arrival: an arrival event of another date is one a reassign
	 * moved (nvme_move.c) and does nothing; INFINITY: none (its VF does not serve) */
	double next_t;
	double mean, stop;
	uint64_t slot;         /* sequential pattern: the next data slot */
	unsigned short rng[3];
};

/* A command, by its command identifier (CID). */
struct nvme_cmd {
	struct nvme_stream *g;
	double t0;        /* issued: its latency runs from here */
	uint64_t addr;    /* its data buffer in host memory */
	uint32_t size;
	bool read;        /* an NVMe read: the drive writes host memory */
	uint32_t left;    /* write commands: data read requests still to complete */
};

/* A VF's controller and queue pair. Counters are sequence numbers: slot = seq % depth. */
struct nvme_q {
	struct nvme *n;
	int fn, host;
	struct vf *vf;
	struct src np, p;       /* reads (entries, PRP lists, data; tags); posted (data, CQ
				 * entries, MSI-X, in that order per command) */
	struct nvme_stream *streams;
	/* commands by CID, lowest CIDs taken first: the CIDs given back (taken again last given
	 * first), then those never used from `fresh` up; cmd grows with the highest CID used
	 * (the commands in flight at most), not to queue_depth at once (1 GiB at 255 hosts x
	 * 64 VFs: docs/performance.md) */
	struct nvme_cmd *cmd;
	uint32_t cmd_cap;
	uint32_t *ret_cid, nret, ret_cap, fresh;
	uint32_t *sq;           /* [queue_depth]: the CID in each SQ slot */
	/* the CQ's entries by sequence, from cq_taken to cq_posted: the CID of each and when it
	 * reached the host, in an array (a power of two) that grows with the entries in use */
	struct nvme_cqe {
		double at;
		uint32_t cid;
	} *cqe;
	uint32_t cqe_cap;
	/* the backlog of an open loop: arrivals waiting for a free CID (host software queue) */
	struct nvme_backlog { double t0; struct nvme_stream *g; } *wait;
	uint32_t nwait, wait_head, wait_cap;
	/* device side */
	uint64_t sq_told, sq_fetched, cq_posted, cq_land, cq_unirq;
	bool irq_timer;
	/* MSI-X in flight, oldest first, and the CQ entry count each announces: its latency
	 * runs from that entry reaching the host (§5) */
	struct nvme_msi {
		struct tlp *t;
		uint64_t cq;
	} *msi;                 /* a ring that grows from its first MSI-X (ring.h) */
	uint32_t msi_head, msi_n, msi_cap;
	double cq_land_t;
	/* host side */
	uint64_t sq_tail, sq_unrung, cq_taken, cq_unrung;
	uint64_t ios;           /* commands the host saw done in the window (§7) */
};

struct nvme {
	struct eng *e;
	int dev;
	const struct topo_nvme *c;
	double *chan_free;     /* [channels]: each media channel is busy until */
	double chan_busy;      /* channel-seconds of media work inside the window */
	struct nvme_q *qs;
	int nq;
	struct mclock dclk;    /* the device's events: media done, interrupt timers */
	struct mclock *hclk;   /* per host: its driver's events */
	uint64_t *wl_ios;      /* per workload: commands done in the window (§7) */
};

static inline struct nvme_cqe *nvme_cqe_at(const struct nvme_q *q, uint64_t seq)
{
	return &q->cqe[seq & (q->cqe_cap - 1)];
}

/* CIDs free (a queue of queue_depth entries holds queue_depth - 1 commands). */
static inline uint32_t nvme_cids_free(const struct nvme_q *q, uint32_t queue_depth)
{
	return q->nret + (queue_depth - 1 - q->fresh);
}

/* A clock event's arg for q: x with the function's epoch above it; one of an older epoch (a
 * reset since, contract §10) is stale and does nothing. */
static inline uint64_t nvme_tag(const struct nvme_q *q, uint64_t x)
{
	return (uint64_t)q->vf->epoch << 32 | x;
}
static inline bool nvme_stale(const struct nvme_q *q, uint64_t arg)
{
	return (uint32_t)(arg >> 32) != q->vf->epoch;
}

/* The model of every device with `nvme` (nvme_build.c, devmodel.h). */
extern const struct dev_model nvme_model;

/* reassign (nvme_move.c, contract §10): fn's controller leaves its host at now (its epoch
 * moved): its commands under way fail, its arrivals stop; workload w's open-loop commands
 * are split again over the VFs that serve its host now. The dev_model ops leave and split;
 * nvme_reset and nvme_back are its reset and back (nvme_build.c). */
void nvme_leave(struct eng *e, void *state, int fn, double now);
void nvme_split(struct eng *e, void *state, int w, double now);
void nvme_reset(struct eng *e, void *state, int fn, double now);

/* the host (nvme_host.c) */
/* An arrival of stream arg (struct nvme_stream *) on q at t (open loop): a command, and the
 * next arrival. */
void nvme_host_arrival(void *q, double t, uint64_t arg);
/* A command of stream g, issued at t0, submitted at t: a free CID, its SQ entry and (per
 * sq_doorbell) the tail doorbell; with every CID taken (a full queue) it waits in the
 * host's backlog until one frees. Its latency counts from t0 either way. */
void nvme_host_submit(struct nvme_q *q, struct nvme_stream *g, double t0, double t);
/* The host looks at q's completion queue at t: it consumes, in order, every entry that
 * reached host memory by t. */
void nvme_host_take(void *q, double t, uint64_t arg);
/* the device (nvme.c), on the host's SQ tail doorbell of key commands */
void nvme_sq_tail(struct eng *e, struct tlp *t, double when);

#endif
