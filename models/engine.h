/* engine.h - the TLP-level model run on SimGrid: egress ports (one actor per PCIe link
 * direction), the sources that feed them (switch ingress buffers, root-complex completion
 * queues, device VF DMA engines), and the DMAs and TLPs that flow between them.
 *
 * Time model (docs/architecture.md): a port actor decides at the simulated instant its link
 * becomes free, among TLPs whose `ready` time has passed. It then hands the TLP to the next
 * node at once, with dated arrival times (header and tail), and sleeps for the TLP's
 * serialization. The receiving node files the TLP with those dates, so a switch egress
 * port can start it after header arrival + switch latency (cut-through) and cannot finish
 * before its tail arrived. */
#ifndef MRIOV_ENGINE_H
#define MRIOV_ENGINE_H

#include <simgrid/semaphore.h>
#include <stdbool.h>
#include <stdint.h>

#include "arb.h"
#include "pcie.h"
#include "slab.h"
#include "tpool.h"
#include "topo.h"

enum tlp_class { TLP_P, TLP_NP, TLP_CPL, TLP_NCLASS };

struct eng;
struct port;
struct dma;

/* A route: the ports a TLP of one VH takes between its host and one device. */
struct route {
	int nhops;
	struct port **ports;
};

/* A read request in flight: holds a tag until its last completion byte arrives. */
struct rreq {
	struct dma *dma;
	uint32_t remaining;
};

struct tlp {
	struct tlp *next;
	enum pcie_tlp_type type;
	uint8_t cls;        /* enum tlp_class */
	int vh;             /* 1-based */
	int fn;             /* function index in topo->functions */
	uint32_t payload;   /* data bytes */
	uint32_t len;       /* read requests: bytes requested */
	uint64_t addr;
	uint64_t seq;       /* order of creation, for ordering rules and ties */
	const struct route *route;
	int hop;            /* index in route->ports of the port it takes next */
	double ready;       /* earliest start at the current node */
	double tail_in;     /* its tail arrives at the current node then (0: it starts here) */
	struct dma *dma;
	struct rreq *rreq;
	bool last;          /* last TLP of its DMA (writes) */
};

/* A DMA issued by a function (contract §1 "DMA write" / "DMA read"). */
struct dma {
	struct dma *next;
	int fn, wl;
	int op;             /* enum topo_op */
	struct gen *gen;    /* the stream that issued it */
	uint64_t addr;
	uint32_t size;
	uint32_t sent;      /* bytes for which TLPs were created */
	uint32_t done;      /* bytes completed */
	double issue;
};

/* One workload's DMA stream on one VF: open-loop arrivals, or closed-loop reissue. */
struct gen {
	struct gen *next;
	int wl;
	bool open;
	double next_t;      /* open loop: next arrival */
	double mean;        /* open loop: mean interarrival */
	unsigned short rng[3]; /* erand48 state: one stream per (workload, VF) */
	uint64_t slot;      /* sequential pattern: next slot */
};

enum src_kind { SRC_FIFO, SRC_VF };

/* Something a port can send from: a FIFO of TLPs (switch ingress buffer, root-complex
 * completions) or one VF's DMA engine for one operation (write or read). */
struct src {
	enum src_kind kind;
	int cls;
	int vh;                 /* fixed VH, or 0 when the FIFO mixes VHs (shared buffers) */
	struct tlp *head, *tail;
	uint32_t n;             /* TLPs in the FIFO, or DMAs queued on a VF */
	struct src *posted;     /* NP and Cpl FIFOs: the posted FIFO they may not pass */
	/* credits of this buffer's own receiver side: what a TLP frees when it leaves */
	struct tpool *ret_hdr, *ret_data;
	struct port *feeder;    /* the port that fills this buffer (to wake it on returns) */
	double ret_lat;         /* UpdateFC travel time back to the feeder */
	/* SRC_VF */
	struct vf *vf;
	int op;
	struct dma *q, *q_tail; /* DMAs with TLPs still to create, by issue time */
	struct tlp *cand;       /* the next TLP, built once and kept until sent */
	double wake;            /* nothing to send before this time (a cache: anything that
				 * adds work or frees a tag lowers it) */
};

/* A function's DMA state. */
struct vf {
	int fn;
	struct port *port;      /* the device's egress port */
	struct tpool tags;
	struct gen *gens[2];    /* open-loop generators per op */
	struct src src[2];      /* per op: write (posted), read (non-posted) */
	int device;
};

/* Per-direction link statistics over the window. */
struct link_stats {
	double busy;            /* seconds the transmitter was sending */
	double payload;         /* DMA data bytes */
	double wire;            /* bytes on the wire, link overhead included */
	uint64_t tlps;
	double stall;           /* seconds a TLP was ready but the receiver had no credits */
	double queue_area;      /* integral of the waiting TLPs (or DMAs) over time */
	double queue_max;
};

/* Receive-buffer credits a port advertises, per class (domain.md §5.4, §7.1): header
 * credits, and data credits in 16-byte units; < 0 means infinite. */
struct fc_limits {
	int64_t hdr[TLP_NCLASS];
	int64_t data[TLP_NCLASS];
};

struct port {
	struct eng *e;
	int link, dir;          /* dir 0: a->b, 1: b->a */
	int from, to;           /* node ids */
	enum topo_node_kind to_kind;
	double raw_bps;         /* raw rate after line encoding, bit/s */
	double ovh;             /* link overhead (DLLPs, SKP) as a fraction of the raw rate */
	double lat;
	bool mr;                /* MR-Link: MR-IOV prefix on every TLP */
	int gen;
	/* the receiver at `to`: buffers and credits, [key * TLP_NCLASS + cls] */
	int nkeys;
	struct src **rx_q;      /* switch receivers: ingress FIFOs */
	struct tpool *rx_hdr, *rx_data;
	double sw_latency;      /* switch receiver: cut-through latency */
	bool per_vh;
	/* what it sends from */
	struct src **srcs;
	int nsrcs, capsrcs;
	struct arb arb;
	int *rr;                /* per VH: index of the last source granted */
	/* scratch for decisions */
	unsigned char *elig;
	int *best;
	/* actor */
	sg_sem_t sem;
	bool waiting;
	double stall_since;     /* < 0: not stalled on credits */
	double last_decision;   /* for the queue integral */
	double queued;          /* waiting TLPs/DMAs at the last decision */
	double engine_free;     /* device ports with max_rate: the DMA engine is busy until */
	double cap_bps;         /* device ports: max_rate, 0 = none */
	struct link_stats st;
};

struct eng_host {
	double memory_latency;
	struct src cpl_q[TLP_NCLASS]; /* what the root complex sends: completions (Cpl) */
	struct port *port;             /* its egress port */
};

struct wl_state {
	double stop;
	uint64_t slot_size, nslots;
};

struct eng_counters {
	uint64_t tlp_hops, dmas_issued, dmas_completed, bytes_completed, events;
};

/* Statistics sink, provided by the caller (fabric/stats.c). */
struct eng_sink {
	void *arg;
	/* a DMA of function fn, workload wl, size bytes, issued at t0, completed at t1 */
	void (*dma_done)(void *arg, int fn, int wl, uint32_t size, double t0, double t1);
};

struct eng {
	const struct topo *t;
	double end, warmup;
	uint64_t seed;
	struct port *ports; /* 2 per link: [2 * link + dir] */
	size_t nports;
	struct vf *vfs;     /* per function (PF entries unused) */
	struct eng_host *hosts;
	struct wl_state *wls;
	struct route *routes; /* [2 * (h * ndevices + d) + up] */
	struct eng_sink sink;
	struct eng_counters c;
	double last_progress;
	uint64_t seq;
	int err;            /* first error (-ENOMEM) met inside actors */
	struct slab tlps, dmas, rreqs, gens;
};

/* Build the engine for a validated topology (no SimGrid calls). Returns 0 or -ENOMEM. */
int eng_build(struct eng *e, const struct topo *t, const struct eng_sink *sink);
/* Create the SimGrid actors; call after the platform is loaded. */
void eng_start(struct eng *e);
void eng_destroy(struct eng *e);

/* TLPs and DMAs still queued that were ready to go by time `by` (deadlock detection). */
uint64_t eng_pending(const struct eng *e, double by);

/* Internal API between engine.c, dev.c and rc.c. */
struct tlp *eng_tlp_new(struct eng *e);
void eng_tlp_free(struct eng *e, struct tlp *t);
void eng_signal(struct port *p);
void src_push(struct src *s, struct tlp *t);
void dev_receive(struct eng *e, struct tlp *t, double tail);
void rc_receive(struct eng *e, int host, struct tlp *t, double tail, struct port *in);
int dev_build(struct eng *e);
void dev_destroy(struct eng *e);
struct tlp *vf_peek(struct src *s, double now, double *next);
void vf_pop(struct src *s, struct tlp *t);
void dma_complete(struct eng *e, struct dma *d, double t);
double eng_wire_bytes(const struct port *p, const struct tlp *t);

#endif
