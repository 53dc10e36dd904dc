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

#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stdbool.h>
#include <stdint.h>

#include "alloc.h"
#include "arb.h"
#include "dheap.h"
#include "fc.h"
#include "pcie.h"
#include "purpose.h"
#include "ready.h"
#include "psched.h"
#include "slab.h"
#include "tpool.h"
#include "topo.h"

struct eng;
struct port;
struct src;
struct dma;       /* dev.h */
struct rreq;      /* dev.h */
struct vf;        /* dev.h */
struct eng_device; /* dev.h */
struct dev_dma;   /* dev.h */
struct wl_state;  /* dev.h */
struct eng_host;  /* rc.h */
struct eng_faults; /* fault.h */
struct dev_slot;  /* devmodel.h */

/* How a port's ready set looks at its sources parked on credits (decide.c). */
extern const struct ready_credit_ops eng_credit_ops;

/* A route: the ports a TLP of one VH takes between its host and one device. Short routes
 * keep their ports inline, so that finding a TLP's next port reads one cache line. */
#define ROUTE_INLINE 6
struct route {
	int nhops;
	struct port **ports;  /* inl, or allocated when nhops > ROUTE_INLINE */
	struct port *inl[ROUTE_INLINE];
};

/* The fields every hop reads come first, in the first 64 bytes of the slab's object (a
 * TLP is two cache lines; a switch or a port reads only the first: docs/performance.md,
 * "Flatness by hosts"); what the endpoints read follows. */
struct tlp {
	struct tlp *next;
	const struct route *route;
	uint64_t seq;       /* order of creation, for ordering rules and ties */
	double ready;       /* earliest start at the current node */
	double tail_in;     /* its tail arrives at the current node then (0: it starts here) */
	enum pcie_tlp_type type;
	int vh;             /* 1-based */
	uint32_t payload;   /* data bytes */
	int hop;            /* index in route->ports of the port it takes next */
	uint8_t cls;        /* enum tlp_class */
	uint8_t purpose;    /* enum tlp_purpose (what the model made it for, §7) */
	uint8_t at;         /* address type: enum tlp_at */
	bool last;          /* read completions: the last one of its request */
	int fn;             /* function index in topo->functions */
	uint64_t addr;
	uint32_t len;       /* read requests: bytes requested */
	uint32_t epoch;     /* translation requests and completions: the function's epoch
			     * when it asked (a reset since makes the answer stale, fault.c) */
	struct dma *dma;
	struct rreq *rreq;
	/* what happens when the root complex has taken a write's data in (the model that made
	 * the TLP says; the root complex calls no device code) */
	void (*landed)(struct eng *e, struct tlp *t, double when);
	uint64_t key;       /* ATS: (function, page) translated or invalidated */
	double t0;          /* invalidations: when the host unmapped the page; requests that
			     * hold a tag from a FIFO (fifo.c) and their completions: when the
			     * request left; MSI-X: the event it announces */
};

/* PCIe AT field (domain.md §3.2), and the ATS messages, as the model tells TLPs apart. */
enum tlp_at {
	AT_UNTRANSLATED,    /* the root complex's IOMMU translates it */
	AT_XLAT_REQ,        /* Translation Request (MRd format, 2 DW) / its completion (8 B) */
	AT_TRANSLATED,      /* bypasses the IOMMU */
	AT_INV_REQ,         /* Invalidate Request message, host to function */
	AT_INV_CPL,         /* Invalidate Completion message, function to host */
};

/* What a port can ask of a source, whatever it is (Redis's dictType: behaviour injected
 * through a small table). The engine's own FIFOs are eng_fifo_ops; a model's DMA engines
 * and other work generators bring their own. */
struct src_ops {
	/* The TLP s offers at now (the same until it is taken), or NULL with *next lowered to
	 * when it may offer one; may make the work that is due by now (lazy arrivals). A
	 * source of one port may also set s->wake: the port skips it until then. With a TLP,
	 * *next may be lowered to when the source next has lazy work due: until then its
	 * peek has no side effect and offers the same TLP (a port may skip a source whose
	 * TLP lacks credits until then, ready.h; without a date it must have none). */
	struct tlp *(*peek)(struct src *s, double now, double *next);
	/* t, the TLP peek offered, leaves through port p now; its tail is gone at end. */
	void (*pop)(struct src *s, struct tlp *t, struct port *p, double end);
	/* The TLP offered, if one is built (no side effect), else NULL. */
	struct tlp *(*offered)(const struct src *s);
	/* TLPs or DMAs waiting that were ready by `by` (deadlock detection). */
	uint64_t (*pending)(const struct src *s, double by);
	/* it files work into the port's other sources: it goes before them */
	bool first;
	/* optional (NULL: none): s offers a TLP and waits for credits or behind a candidate
	 * (ready.h), and a decision at now comes at or after the date its peek gave for its
	 * next lazy work: make that work (what its peek would make) if it commutes with every
	 * other source's look, and return true with *next lowered to when it next has lazy
	 * work; false: nothing done, the decision's scan peeks it in its order */
	bool (*touch)(struct src *s, double now, double *next);
};
extern const struct src_ops eng_fifo_ops;

/* What receives the TLPs a port sends: a switch's ingress buffers (the engine's own), a
 * root complex (rc.c) or the model that drives a device (devmodel.h: a device model is one
 * file pair that provides one of these, its build, destroy and counts, and its sources). */
struct eng_endpoint_ops {
	const char *name;
	/* t's header reaches the node at hdr, its tail at tail; it came through port in
	 * (whose credits the node gives back when it frees the buffer: eng_rx_free). The
	 * receiver owns t from now on. */
	void (*receive)(void *ep, struct port *in, struct tlp *t, double hdr, double tail);
};
extern const struct eng_endpoint_ops eng_switch_endpoint;
/* An empty FIFO source of class cls, for VH vh (0: it mixes VHs). */
void src_init_fifo(struct src *s, int cls, int vh);

/* What paces a port beyond its link, when something does (a device's DMA engine moving
 * data at max_rate: dev.c). The port starts no TLP before free_at(arg), a date that only
 * sent() moves; sent(arg, t, now) follows every TLP the port starts. */
struct eng_pacer {
	double (*free_at)(const void *arg);
	void (*sent)(void *arg, const struct tlp *t, double now);
};

/* A port that sends from a source, and the source's index among the port's sources. */
struct src_owner {
	struct port *p;
	int i;
};

/* Something a port can send from, behind its ops: a FIFO of TLPs (switch ingress buffer,
 * root-complex and ATS queues: eng_fifo_ops), or a model's own source that embeds it (a
 * VF's DMA engine, dev.h; a host's unmaps). The fields below the FIFO's are generic. */
struct src {
	/* what a decision reads, in the first 64 bytes */
	const struct src_ops *ops;
	struct tlp *head, *tail;
	double wake;            /* nothing to send before this time; a FIFO: 0 with a head,
				 * INFINITY empty; a model's source: a cache that whatever adds
				 * work or frees a tag lowers (src_wake_by) */
	uint32_t n;             /* TLPs in the FIFO, or DMAs queued on a VF */
	int nown;
	/* the ports that send from it (a switch ingress FIFO may feed several) */
	struct src_owner *own;
	struct src *posted;     /* NP and Cpl FIFOs: the posted FIFO they may not pass */
	struct tpool *tags;     /* requests that each need a tag from it (translation requests,
				 * a model's reads) */
	/* what a push or a pop reads */
	int cls;
	int vh;                 /* fixed VH, or 0 when the FIFO mixes VHs (shared buffers) */
	struct src *behind[2];  /* P FIFOs: the NP and Cpl FIFOs that may not pass its head */
	/* credits of this buffer's own receiver side: what a TLP frees when it leaves */
	struct fc *ret;         /* NULL: the buffer is not flow-controlled */
	int ret_idx;            /* fc_index() of the buffer in ret */
	int nqown;              /* (below) */
	struct port *feeder;    /* the port that fills this buffer (to wake it on returns) */
	/* the ports whose queue integrals count it: one per queue group of its owners */
	struct port **qown;
	/* a FIFO of many ports (SRC_BCAST_OWNERS or more): activations of all of them not yet
	 * made, counted; each port makes its own at its next decision (port_catch_up) */
	uint32_t bc_epoch;
};
/* Owners from which a FIFO's activations of every port are made by each port (above). */
#define SRC_BCAST_OWNERS 8

/* Per-direction link statistics over the window. */
struct link_stats {
	double busy;            /* seconds the transmitter was sending */
	double payload;         /* DMA data bytes */
	double wire;            /* bytes on the wire, link overhead included */
	uint64_t tlps;
	double stall;           /* seconds a TLP was ready but the receiver had no credits */
	double queue_area;      /* integral of the waiting TLPs (or DMAs) over time */
	double queue_max;
	uint64_t purpose_tlps[PURPOSE_N]; /* tlps, per purpose */
	double purpose_wire[PURPOSE_N];   /* wire, per purpose */
};

/* What a decision, its commit, the send and the port's run read of every port comes first,
 * in as few cache lines as it fits (7 of 64 bytes, then the ready set's first two): at 128
 * hosts most ports are cold when a TLP reaches them (docs/performance.md, "Flatness by memory
 * layout"). What building, statistics and runtime events read, and what only some ports use
 * (wrr, sources of many ports), follows. */
/* A port's round-robin pointer and decision scratch of one VH (struct port). */
struct port_vh {
	int rr;
	int best;
};

/* Words of an eligible set kept in the port (arb_words(255): every chassis, contract §1). */
#define PORT_ELIG_INLINE 4
struct port {
	struct eng *e;
	/* what it sends from */
	struct src **srcs;
	int nsrcs;
	int nbc;                /* (bc, below) */
	/* what paces it beyond its link, NULL: nothing (a device's DMA engine: dev.c) */
	const struct eng_pacer *pacer;
	void *pacer_arg;
	/* ports whose sources are all FIFOs of one VH each, under rr or strict: the sources of
	 * VH v are vh_srcs[vh_first[v] .. vh_first[v + 1]), ascending (NULL: not such a port) */
	int *vh_first, *vh_srcs;
	/* per VH: index of the last source granted (rr), and a decision's scratch (best: the
	 * source it grants the VH), side by side: a scan reads both of a VH */
	struct port_vh *vh;
	uint64_t *elig;         /* VHs that can send (arb.h bitmap): elig_inl up to 255 VHs */
	uint64_t elig_inl[PORT_ELIG_INLINE]; /* (a decision clears it: in a line it reads) */
	uint64_t *selig;        /* those the scan found (the others: trusted candidates) */
	int *could, ncould;     /* [nsrcs]: the sources a decision found able to send, */
	double *could_lazy;     /* and their passive dates (ready.h); NULL: none kept */
	/* runtime events (fault.c): its link is down; a port of a switch or root complex
	 * then discards what is ready for it (e->discard), a device's waits */
	bool down, discard;
	bool waiting;           /* until wait_until, unless signalled (eng_signal_at) */
	bool mr;                /* MR-Link: MR-IOV prefix on every TLP */
	int gen;
	double wait_until;
	double busy_until;      /* the link sends its last TLP until then */
	double stall_since;     /* < 0: not stalled on credits */
	double stall_from;      /* a stall begins then unless a decision comes first */
	/* when it runs (every port runs in the engine's one actor: engine.c) */
	struct sched_item si;
	struct arb arb;
	double raw_bps;         /* raw rate after line encoding, bit/s */
	double ovh;             /* link overhead (DLLPs, SKP) as a fraction of the raw rate */
	double lat;
	/* the receiver at `to`: its credits, and (switch receivers) its ingress FIFOs, both
	 * indexed by fc_index(): one credit set per VH on the link with per_vh, else one */
	const struct eng_endpoint_ops *rx; /* the node at `to` */
	void *rx_arg;
	struct fc fc;
	struct src **rx_q;
	double sw_latency;      /* switch receiver: cut-through latency */
	int64_t nqueued;        /* TLPs and DMAs waiting in its sources */
	double queue_since;     /* nqueued has held since then (for the queue integral) */
	struct port *qlead;     /* a port of the same sources, whose queue integral and
				 * maximum it shares (copied at the end: eng_run), or NULL */
	struct link_stats st;
	_Alignas(MRIOV_LINE) struct ready ready; /* which sources a decision looks at (ready.h), its
						  * first line on one (e->ports: by line) */
	/* what building, results and runtime events read */
	int link, dir;          /* dir 0: a->b, 1: b->a */
	int from, to;           /* node ids */
	enum topo_node_kind to_kind;
	bool per_vh;
	int capsrcs;
	int *vh_of;             /* [i]: the VH of source i (the ready set's groups), or NULL */
	int *bc;                /* its sources that are FIFOs of many ports (nbc of them, */
	uint32_t *bc_seen;      /* SRC_BCAST_OWNERS), and the bc_epoch each last caught up with */
	/* such a port under wrr (decide.c, decide_wrr): per VH whose pick is known
	 * (ready.gknown), the source a decision grants it, that TLP's credit index and
	 * payload; per credit index, the largest payload of the picks on it since it was last
	 * walked; the credit index of the last grant, or -1 (NULL: not such a port) */
	int *wpick, *wq;
	uint32_t *wpay, *wneed;
	int wtaken;
	/* counts for tests and benchmarks: picks known at the start of a decision (the looks
	 * they saved), picks forgotten for credits another grant took, catch-ups made; on a
	 * scanning port under wrr with one credit set (ready_init_weighed), grants to a waiter
	 * and decisions looked at again for a waiter waiting for something else */
	uint64_t wreused, wforgot, caught, wpicked, wother;
};

struct eng_counters {
	uint64_t tlp_hops, dmas_issued, dmas_completed, bytes_completed;
	uint64_t slot_waits; /* looks that found a DMA lacking its engine's slot (dev_dma.c) */
	uint64_t calm_dates; /* dates the ports' actor ran without a SimGrid wait (engine.c) */
	/* DMAs queued as records, and those of them a reset or a move dropped (dmaq.c) */
	uint64_t dma_recs, recs_dropped;
};

/* A TLP that a port starts to send (the sink's tlp_sent): on link `link`, direction dir
 * (0: a->b, 1: b->a), from `start` for `dur` seconds of serialization (wire bytes * 8 / raw
 * rate), of type (enum pcie_tlp_type), VH and function fn, with payload data bytes and wire
 * bytes on the link; purpose: enum tlp_purpose (purpose.h, contract §7). */
struct eng_tlp_event {
	int link;
	int dir;
	double start, dur;
	int type;
	int vh;
	int fn;
	uint32_t payload;
	double wire;
	int purpose;
};

/* Statistics sink, provided by the caller (fabric/stats.c). */
struct eng_sink {
	void *arg;
	/* a DMA of function fn, workload wl, size bytes, issued at t0, completed at t1 */
	void (*dma_done)(void *arg, int fn, int wl, uint32_t size, double t0, double t1);
	/* payload of function fn, workload wl, delivered at t: a write TLP's data taken in by
	 * the root complex, a read completion's data when its last byte reaches the device */
	void (*delivered)(void *arg, int fn, int wl, uint32_t bytes, double t);
	/* optional (NULL: none): every TLP a port starts, for traces (fabric/trace.c) */
	void (*tlp_sent)(void *arg, const struct eng_tlp_event *ev);
};

/* What the run assembly (fabric/sim.c) tells the engine about the chassis's nodes, so that
 * the models need none of fabric/'s code: per node id (as links name them) its kind, its
 * index among the nodes of its kind and its name (the SimGrid host it runs on); and the
 * node ids of switches and devices. The arrays must outlive the engine. */
struct eng_nodes {
	const enum topo_node_kind *kind;
	const int *index;
	const char *const *name;
	const int *of_switch, *of_device;
	/* per port [2 * link + dir]: its arbitration (contract §13), NULL for a root complex;
	 * NULL as a whole: each switch's or device's own */
	const struct topo_arb *const *port_arb;
};

struct eng {
	const struct topo *t;
	struct eng_nodes nodes;
	struct dev_dma *dev_dma; /* [device]: its DMA engine (dev.h) */
	double end, warmup;
	uint64_t seed;
	struct port *ports; /* 2 per link: [2 * link + dir] */
	size_t nports;
	struct vf *vfs;     /* per function (PF entries unused) */
	struct eng_device *devs;
	struct eng_host *hosts;
	struct wl_state *wls;
	struct route *routes; /* [2 * (h * ndevices + d) + up] */
	double *posted_done;  /* per function: its posted writes are written in order until */
	struct eng_sink sink;
	struct eng_counters c;
	double last_progress;
	uint64_t seq;
	double now;         /* simulated time of the actor running now (0 while building) */
	int err;            /* first error (-ENOMEM) met inside actors */
	bool full_scan;     /* decisions look at every source (the reference for ready.h) */
	bool slot_wake_all; /* every DMA engine wakes at each slot return (dev_dma.c's reference) */
	bool dmaq_whole;    /* every queued DMA whole, no records (dmaq.c's reference) */
	struct src_owner *owners; /* storage of every source's `own`, each followed by its `qown` */
	struct dev_slot *dev_slots; /* [device]: its model and the model's state (devmodel.h) */
	struct eng_faults *faults; /* runtime events (fault.h); NULL without events */
	/* what becomes of TLP t that port p (its link down) discarded at now (fault.c) */
	void (*discard)(struct eng *e, struct port *p, struct tlp *t, double now);
	struct slab tlps, dmas, rreqs, streams;
	struct slab recs;   /* DMA engines' first rings of records (dev.h, DMAQ_SMALL) */
	/* the actor that runs every port (engine.c): the ports by the date they run next; it
	 * waits on sem until the first, or until another actor signals a port */
	struct sched sched;
	struct sched_item **round; /* [nports]: the ports of the round being run */
	sg_sem_t sem;
	bool waiting;
	double wait_until;
	double precision;   /* SimGrid's surf/precision: dates closer than it are one date */
	double step_now;    /* stepped: the date the ports run at (SimGrid's clock follows it
			     * 1 024 times a run, for its own actors: engine.c, eng_run) */
	uint64_t woke_seq;  /* sched.seq when the actor last came back from a wait */
	bool one_actor;     /* run the ports in one actor even where they could be stepped */
	bool stepped;       /* no actor: eng_run steps the ports between SimGrid dates */
	bool stepping;      /* eng_run, or the ports' actor in a calm run (below), is running
			     * ports at step_now */
	/* Calm runs (engine.c, engine_actor): the ports' one actor runs the dates before the
	 * next at which another actor can run without a SimGrid wait each, as stepped ports do.
	 * The others (no progress report: calm_ok) are the runtime events' actor, which waits
	 * until calm_until (-INFINITY: it may run now, INFINITY: it has ended or there is none:
	 * fault.c), and the vswitches' workers, whose next dates of their own (a timeout, an
	 * execution's end less a margin, -INFINITY: about to run) are calm_acts (vswitch.c);
	 * calm_now counts the releases of workers not taken yet (they run at SimGrid's clock).
	 * A port that releases another actor during a calm date leaves it to eng_release,
	 * which releases when the ports' actor has brought SimGrid's clock to that date. */
	bool calm_ok;
	double calm_until;
	struct dheap calm_acts;
	int calm_now;
	sg_sem_t *calm_defer; /* the releases of the calm date being run, in order */
	int ncalm_defer, capcalm_defer;
	double calm_last;     /* the last date a calm run ran (no other actor runs before it) */
	int calm_host;        /* the host the ports' actor runs on, -1: another node */
};

/* Build the engine for a validated topology (no SimGrid calls). Returns 0 or -ENOMEM. */
int eng_build(struct eng *e, const struct topo *t, const struct eng_nodes *nodes,
	      const struct eng_sink *sink);
/* From now on every DMA a VF's engine queues is whole, and those queued so far are made
 * whole (models/dmaq.c: the reference its records are checked against; after eng_build,
 * before eng_start). */
void eng_dmaq_whole(struct eng *e);
/* The DMAs issued and not yet done: whole ones (e->dmas.live) and the records queued
 * behind them (dmaq.c). */
uint64_t eng_dmas_live(const struct eng *e);
/* Create the SimGrid actors; call after the platform is loaded. */
void eng_start(struct eng *e);
/* Run the simulation to its end, after eng_start and the other actors' starts (in place of
 * simgrid_run()). */
void eng_run(struct eng *e);
void eng_destroy(struct eng *e);

/* TLPs and DMAs still queued that were ready to go by time `by` (deadlock detection). */
uint64_t eng_pending(const struct eng *e, double by);
/* The earliest dated event at or after `from` that work may be waiting for: a TLP still in
 * flight or in a switch's latency, a link still sending, credits or tags on their way back,
 * a page walk; INFINITY when there is none (then waiting work waits forever). */
double eng_next_dated(const struct eng *e, double from);
/* Each port's ready set and decision structures, once its sources are known (engine_ready.c,
 * from eng_build). 0 or -ENOMEM. */
int eng_build_ready(struct eng *e);

/* What the models use of the engine. */
struct tlp *eng_tlp_new(struct eng *e);
void eng_tlp_free(struct eng *e, struct tlp *t);
/* Something of p's may be sendable from t on: wake p when it waits past t. Every change
 * that can make a source of p's sendable signals it (a port's wait is only as long as the
 * earliest date it knows of). */
void eng_signal_at(struct port *p, double t);
/* The date of the code running now: the ports' date during a calm run or a step, else
 * SimGrid's clock. */
static inline double eng_clock(const struct eng *e)
{
	return e->stepping ? e->step_now : simgrid_get_clock();
}
/* Release sem (another actor's) now, or, during a calm date, once the ports' actor has
 * brought SimGrid's clock to it (in the order of the calls). Sets e->err to -ENOMEM when
 * that cannot be queued. */
void eng_release(struct eng *e, sg_sem_t sem);
void src_push(struct src *s, struct tlp *t);
/* Is t, the head of s, held back by an older posted write of s's ingress set (PCIe
 * ordering: requests and completions do not pass posted writes)? */
static inline bool src_behind_posted(const struct src *s, const struct tlp *t)
{
	return s->posted && s->posted->head && s->posted->head->seq < t->seq;
}
/* Can s's tags run out while s does not send? Only when another source takes from its pool
 * (a VF's translation requests and its DMA reads): then s stays active while it has a TLP
 * (decide.c). With a pool of its own, its tags only come back while it waits, so it waits
 * for credits, or behind a candidate, as a source without tags does. */
static inline bool src_tags_shared(const struct src *s)
{
	return s->tags && s->tags->shared;
}
/* s gained work: the ports that send from it look at it again. */
void src_activate(struct src *s);
/* The same at port p alone, if it sends from s. */
void src_activate_at(struct src *s, const struct port *p);
/* The activations of p's sources that are FIFOs of many ports (SRC_BCAST_OWNERS) since p
 * last looked are made now; before anything reads p's ready set in a decision. */
void port_catch_up_bc(struct port *p);
static inline void port_catch_up(struct port *p)
{
	if (p->nbc)
		port_catch_up_bc(p);
}
/* The TLPs waiting in FIFO s are dropped (its function was reset: fault.c). */
void src_fifo_drop(struct eng *e, struct src *s);
/* s holds delta more (or fewer) TLPs or DMAs. */
void src_count(struct src *s, int delta);
/* s (a DMA engine) may have something to send from t on. */
void src_wake_by(struct src *s, double t);
/* A receiver took a TLP in at time t: give its credits back to the port `in` that sent it. */
void eng_rx_free(struct eng *e, struct port *in, const struct tlp *t, double t_free);
/* The port of link `link` that leaves node `from`. */
struct port *eng_port_of(struct eng *e, int link, int from);
/* Make s one of the sources port p sends from (before eng_build_ready). 0 or -ENOMEM. */
int eng_add_src(struct port *p, struct src *s);
/* The key of (function, page) in translation caches. */
static inline uint64_t eng_page_key(int fn, uint64_t page)
{
	return (uint64_t)fn << 40 | page;
}
/* The one route index: the ports between host h and device d, towards the host when up. */
static inline struct route *eng_route(const struct eng *e, int h, int d, bool up)
{
	return &e->routes[2 * ((size_t)h * e->t->ndevices + (size_t)d) + up];
}
/* The route of function fn's traffic: up (device to host) or down. */
static inline struct route *eng_fn_route(const struct eng *e, int fn, bool up)
{
	const struct topo_function *f = &e->t->functions[fn];
	return eng_route(e, f->host, f->device, up);
}
static inline bool eng_in_window(const struct eng *e, double t)
{
	return t >= e->warmup && t <= e->end;
}
double eng_wire_bytes(const struct port *p, const struct tlp *t);

/* The first source at or after i a decision looks at, or -1: every source with full_scan,
 * else the active ones (ready.h). */
static inline int port_next_src(const struct port *p, int i)
{
	if (p->e->full_scan)
		return i < p->nsrcs ? i : -1;
	return ready_next_active(&p->ready, i);
}

/* decide.c: the index of the source p serves now, its TLP (*out) and VH (*vh), or -1 with
 * *next set to when to look again (*credit_blocked: a source that could go lacked
 * credits). Neither the arbiter nor the round-robin pointers move: port_commit does that
 * when the grant of source i (VH v) is used. */
int port_decide(struct port *p, double now, double *next, struct tlp **out, int *vh,
		bool *credit_blocked);
void port_commit(struct port *p, int i, int v);
/* Source i of p sent at now: skip it until its wake date if it has nothing before. */
void port_park_sent(struct port *p, int i, double now);

#endif
