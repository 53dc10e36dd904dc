/* nic.h - the NIC model of contract §6 (domain.md §10.1): one queue pair per VF, RX and TX
 * rings in host memory, descriptor fetch on demand (RX) and in batches (TX), write-back
 * batching, tail writes and head reads by the host driver (host_*), interrupt moderation by
 * packets and by time, Ethernet ports full duplex with line rate and framing, the on-chip
 * packet buffer, and drops. Its TLPs go through the device's port as FIFO sources; what
 * their completions do is in their `landed` callback, so the engine names no NIC. */
#ifndef MRIOV_NIC_H
#define MRIOV_NIC_H

#include <errno.h>

#include "clock.h"
#include "dev.h"
#include "engine.h"
#include "rc.h"
#include "ring.h"
#include "vswitch.h"

struct nic_frame {
	double t0;      /* RX: arrival at the port; TX: the host posted it */
	double ready;   /* RX: fully received; TX: its data reached the device */
	uint32_t size;  /* frame bytes with FCS */
	int wl;
	uint32_t left;  /* TX: data read requests still to complete; RX: 1 until its data is
			 * written (it holds packet buffer space) */
};

/* A ring's frame records by descriptor sequence number, in an array (a power of two) that
 * grows with the descriptors in use instead of holding one per descriptor of the ring at
 * once (535 MiB at 255 hosts x 64 VFs: docs/performance.md, "The models' memory"). */
struct nic_frames {
	struct nic_frame *v;
	uint32_t cap;
};

static inline struct nic_frame *nic_frame_at(const struct nic_frames *r, uint64_t s)
{
	return &r->v[s & (r->cap - 1)];
}

/* Room to write the record of descriptor hi while those from lo on are in use (ring.h,
 * seq_room). 0 or -ENOMEM. */
static inline int nic_frames_room(struct nic_frames *r, uint64_t lo, uint64_t hi)
{
	void *v = seq_room(r->v, sizeof(*r->v), &r->cap, lo, hi);

	if (!v)
		return -ENOMEM;
	r->v = v;
	return 0;
}

struct nic_port {
	double rx_free, tx_free; /* each direction's wire is busy until (full duplex) */
	uint64_t buf_used;       /* bytes of RX frames in the packet buffer */
};

/* A packet workload's arrivals on one VF. */
struct nic_stream {
	struct nic_stream *next;
	int wl, fn;     /* its workload, and the function it arrives on */
	/* its next arrival: an arrival event of another date is one a reassign moved
	 * (nic_move.c) and does nothing; INFINITY: none (its VF does not serve its host) */
	double next_t, mean, stop;
	unsigned short rng[3];
	/* a TX stream on the vswitch path (§11): its VM's ring to the switch, the arrival
	 * dates of the frames waiting in it (a ring of `ring` entries, oldest first) */
	double *vq;
	uint32_t vq_head, vq_n;
};

/* A VF's queue pair. Counters are sequence numbers of frames: slot = seq % ring. */
struct nic_q {
	struct nic *n;
	int fn, host;
	struct vf *vf;          /* a VF's, or (vswitch path, §11) its host's PF's */
	struct vswitch *vsw;    /* the PF queue pair of the vswitch path: its host's switch */
	struct nic_port *port;
	struct src np, rxp, txp; /* reads (tags); RX data, write-backs, MSI-X; TX write-backs, MSI-X */
	struct nic_stream *rx, *tx;
	/* RX */
	struct nic_frames rxf;  /* by RX descriptor sequence */
	struct nic_frame *wait; /* frames in the buffer without a descriptor */
	uint32_t nwait, wait_head, wait_cap;
	uint64_t rx_free;       /* descriptors returned by the host and not used */
	uint64_t rx_req, rx_wr, rx_wbd, rx_land, rx_taken;
	uint64_t rx_unirq;      /* written back, not yet announced by an interrupt */
	bool rx_timer;
	/* TX */
	struct nic_frames txf;  /* by TX descriptor sequence */
	uint64_t tx_posted, tx_told, tx_fetched, tx_done, tx_wire, tx_wbd, tx_land, tx_freed;
	uint64_t tx_unirq;
	bool tx_timer;
	/* MSI-X in flight per direction, oldest first, with the write-back each announces:
	 * its latency runs from that write-back reaching the host (§5); a ring that grows
	 * (ring.h) from its first MSI-X on, since few are in flight at once (it had a slot
	 * per descriptor: 256 MiB at 255 hosts x 64 VFs, docs/performance.md) */
	struct nic_msi {
		struct tlp *t;
		uint64_t wb;
	} *msi[2];
	uint32_t msi_head[2], msi_n[2], msi_cap[2];
	double wb_land_t[2];    /* when the last write-back reached the host, per direction */
	/* the host driver (nic_host.c) */
	uint64_t h_rx_ret, h_rx_reads, h_tx_unposted, h_tx_reads;
	bool h_rx_timer, h_tx_timer;
	uint64_t packets, drops; /* frames done and dropped in the window (§7) */
	/* the vswitch path: TX frames the CPU is done with, for the driver, oldest first */
	struct nic_vtx {
		double t0; /* its VM posted it */
		int wl;
	} *vtx;
	uint32_t vtx_head, vtx_n, vtx_cap;
	/* frames on the switch: RX ones submitted and not done, TX ones taken and not done */
	uint64_t vsw_rx, vsw_tx;
};

struct nic {
	struct eng *e;
	int dev;
	const struct topo_nic *c;
	struct nic_port *ports;
	struct nic_q *qs;
	int nq;
	struct mclock dclk;      /* the device's events: RX arrivals, interrupt timers */
	struct mclock *hclk;     /* per host: its driver's events */
	uint32_t stride;         /* bytes between packet buffers in host memory */
	struct nic_stream *streams;
	uint64_t *wl_packets, *wl_drops; /* per workload: frames done and dropped (§7) */
	/* per host (§11): the software switch this NIC's PF queue pairs use, NULL for hosts
	 * without one; vsw holds the switches this NIC owns (of the hosts whose first NIC with
	 * vswitch work it is), which the others point to */
	struct vswitch **vsw_of;
	struct vswitch *vsw;
};

/* The NIC model of every device with `nic` (nic_build.c). */
extern const struct dev_model nic_model;

/* clocks (nic_host.c): clock.h's, whose events of a queue pair a reset of its function
 * cancels (its RX and TX arrivals go on) */
/* c, a source of port p for VH vh (0: it mixes VHs). 0 or -ENOMEM. */
int nic_clock_init(struct mclock *c, struct port *p, int vh);
/* Run fn(q, t, arg) at t on clock c; c's port wakes for it. */
void nic_at(struct mclock *c, double t, mclock_fn fn, struct nic_q *q, uint64_t arg);

/* the host driver (nic_host.c) */
void host_tx_arrival(void *q, double t, uint64_t arg);
/* A TX frame of workload wl (size bytes, posted by its VM at t0) into q's ring at t. */
void host_tx_post(struct nic_q *q, double t, int wl, uint32_t size, double t0);
/* The driver is done with n RX frames at t: their buffers go back, head reads follow. */
void host_rx_return(struct nic_q *q, double t, uint64_t n);
void host_rx_take(void *q, double t, uint64_t arg);
void host_tx_take(void *q, double t, uint64_t arg);
/* the device (nic.c), on the host's doorbells */
void nic_rx_tail(struct eng *e, struct tlp *t, double when);
void nic_tx_tail(struct eng *e, struct tlp *t, double when);
/* A frame of stream arg (struct nic_stream *) reaches q's port from the wire at t. */
void nic_rx_arrival(void *q, double t, uint64_t arg);
/* q's function was reset at now (devmodel.h's reset). */
void nic_q_reset(struct nic_q *q, double now);
/* reassign (nic_move.c, contract §10): q's function leaves its host at now (its epoch
 * moved): what it had under way fails, its arrivals stop; workload w's frames are split
 * again over the VFs that serve its host now. The dev_model ops leave and split. */
void nic_leave(struct eng *e, void *state, int fn, double now);
void nic_split(struct eng *e, void *state, int w, double now);
/* Does an arrival at t fall while q's function resets? Then it is dropped and counted. */
bool nic_arrival_dropped(struct nic_q *q, double t);
/* A frame of workload wl done at t (RX: written back in host memory; TX: its data at the
 * device) or dropped: the statistics. */
void nic_count(struct nic_q *q, int wl, uint32_t size, double t0, double t, bool dropped);

/* the vswitch path (nic_vswitch.c, contract §11): PF queue pairs whose frames also take CPU
 * work on their host's switch */
/* Event: start q's switch (its workers) at the run's start, inside the simulation. */
void nic_vsw_start(void *q, double t, uint64_t arg);
/* The RX frames written back by t (an interrupt or, polling, a write-back) go to the CPU. */
void nic_vsw_rx_take(struct nic_q *q, double t);
/* A vswitch TX stream g on PF queue q: its VM's ring, and its first frame for the CPU at
 * its arrival. 0 or -ENOMEM. */
int nic_vsw_tx_stream(struct nic_q *q, struct nic_stream *g);
/* q's function (its host's PF) was reset at now (contract §10), its FLR set: the frames on
 * the CPU side fail (RX ones written back and not yet switched to their VM; TX ones in
 * their VM's ring to the switch, being switched, or switched and not yet posted), the
 * switch forgets q's jobs, and the VMs' TX frames posted during the FLR are dropped (counted
 * at their dates). Returns how many failed by now. No SimGrid call: nic_vsw_restart, once
 * q's state is reset, gives the switch the TX streams' next frames (after the FLR). */
uint64_t nic_vsw_reset(struct nic_q *q, double now);
void nic_vsw_restart(struct nic_q *q);
/* What host h's switch did in the window (nic_build.c; NULL: it has none). */
const struct vswitch *nic_vswitch_of(const struct eng *e, int h);

#endif
