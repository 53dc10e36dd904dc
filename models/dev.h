/* dev.h - the DMA device model: each VF's DMA engines (one per operation) turn workloads
 * into DMAs and DMAs into TLPs (writes at MPS, reads at MRRS with a tag each), and take
 * the read completions in. Every device has them; a device model (devmodel.h) adds what its
 * kind does, and the plain DMA device (dev_dma_model) is the model of all others. */
#ifndef MRIOV_DEV_H
#define MRIOV_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "alloc.h"
#include "devmodel.h"
#include "engine.h"
#include "tcache.h"

/* A read request in flight: holds a tag until its last completion byte arrives. */
struct rreq {
	struct dma *dma;
	uint32_t remaining;
	double sent_at;     /* its completion timeout runs from then (fault.c) */
	bool timed_out;     /* a completion of it was lost: its tag comes back by timeout */
};

/* A translation request in flight, and the DMAs waiting for it (ATC miss under miss). */
struct xpend {
	struct xpend *next;
	uint64_t key;
	struct dma **waiting;
	uint32_t n, cap;
};

/* A DMA issued by a function (contract §1 "DMA write" / "DMA read"). What its TLPs'
 * arrivals and its completion read is in the first 64 bytes (the slab's object is two cache
 * lines). */
struct dma {
	struct dma *next;
	int fn, wl;
	int op;             /* enum topo_op */
	uint32_t epoch;     /* its function's epoch at issue: an older one means it failed
			     * (a reset came since, fault.h) */
	uint32_t size;
	uint32_t sent;      /* bytes for which TLPs were created */
	uint32_t done;      /* bytes completed */
	bool failed;        /* a TLP of it was lost (a link went down, fault.c) */
	bool engine_seen;   /* it took its engine slot (contract §12) */
	bool looked_up;     /* ATS: its pages were looked up in the ATC */
	struct stream *stream; /* the stream that issued it */
	double issue;
	double ready;       /* its TLPs may start: issue, or when its translations arrived */
	uint64_t addr;
	int xwait;          /* ATS: translations still awaited */
	int fail_ev;        /* the event that made it fail */
	double xlat_wait;   /* ATS: time spent waiting for translations */
};

/* One workload's DMA stream on one VF: open-loop arrivals, or closed-loop reissue. */
struct stream {
	struct stream *next;
	int wl;
	bool open;
	double next_t;      /* open loop: next arrival */
	double mean;        /* open loop: mean interarrival */
	unsigned short rng[3]; /* erand48 state: one stream per (workload, VF) */
	uint64_t slot;      /* sequential pattern: next slot */
	uint64_t lost;      /* closed loop: DMAs failed on a path that is down, reissued when
			     * it is back (fault.c) */
};

/* A DMA issued and queued behind whole ones (dmaq.c): what its issue drew. */
struct dma_rec {
	double issue, ready;
	uint64_t addr;
	struct stream *g;
	uint32_t epoch;
};
/* An engine's first ring of records, from the engine's slab (e->recs) */
#define DMAQ_SMALL 4

/* A VF's DMA engine for one operation: a source of the device's egress port. */
struct dma_engine {
	/* first: what the port sees (dev_dma_ops); at a cache line, so that what a decision
	 * reads of it spans one (struct vf is allocated by lines) */
	_Alignas(MRIOV_LINE) struct src src;
	struct tlp *cand;       /* the next TLP, built once and kept until sent */
	struct dma *q, *q_tail; /* DMAs with TLPs still to create, by issue time: whole ones */
	struct vf *vf;
	int op;                 /* enum topo_op */
	int wk;                 /* its place in its device's waiters[op], or -1 (engine_free) */
	/* and behind them, issued later, records (dmaq.c): a ring of rq_cap (a power of two,
	 * or 0), rq_n of them from rq_head */
	struct dma_rec *rq;
	uint32_t rq_head, rq_n, rq_cap;
};

/* The queue of a DMA engine (dmaq.c): a DMA issued (r, made by dev.c) joins it in issue
 * order (ties: after those issued before), whole at the head, else as a record; the head
 * left (q empty): the first record is made whole; every record made whole (before a walk
 * of q that may drop DMAs: fault.c); the records freed. Out of memory: e->err. */
void dmaq_add(struct eng *e, struct dma_engine *de, const struct dma_rec *r);
void dmaq_refill(struct eng *e, struct dma_engine *de);
void dmaq_unpack(struct eng *e, struct dma_engine *de);
void dmaq_destroy(struct dma_engine *de);  /* (before slab_destroy of e->recs, or after) */

/* A function's DMA state; what its DMA engines read at every TLP comes first. */
struct vf {
	int fn;
	int device;
	uint32_t epoch;         /* moves at each reset: DMAs of older epochs have failed
				 * (runtime events, fault.c) */
	int inv_out;            /* invalidations sent to this function by its host and
				 * outstanding (at most 32 ITags, domain.md §3.3) */
	struct port *port;      /* the device's egress port */
	double down_until;      /* resetting: it issues nothing before (its FLR is done) */
	struct stream *streams[2]; /* its DMA streams per op (workloads on it) */
	/* ATS */
	struct tcache *atc;     /* its ATC (own, or the device's shared one), NULL without ATS */
	void *model;            /* a device model's state for this function (NULL: DMA only) */
	struct tpool tags;
	struct dma_engine eng[2]; /* per op: write (posted), read (non-posted) */
	bool own_atc;           /* atc and pend are its own (per_vf scope) */
	struct xpend **pend;    /* translations in flight for that ATC */
	struct src xq;          /* translation requests to send (non-posted) */
	struct src icq;         /* invalidate completions to send (posted) */
	uint64_t atc_hits, atc_misses;
	double xlat_wait_sum;   /* over DMAs completed in the window */
	uint64_t xlat_dmas;
	/* MMIO (mmio.c): completions of its host's register reads, and MSI-X of models that
	 * have no posted FIFO of their own */
	struct src mmio_cpl, msix_q;
	uint64_t interrupts;    /* delivered in the window */
	double irq_lat_sum;     /* their interrupt latency (event to delivery), summed */
	/* with events: those counted and not yet delivered (mmio_fn_reset), a ring */
	struct mmio_irq { double at, lat; } *irq_fly;
	uint32_t irq_fly_head, irq_fly_n, irq_fly_cap;
	struct tlp *inv_q, *inv_q_tail; /* invalidations waiting for an ITag */
	int reset_ev;           /* the event that last reset it (fault.c) */
};

/* A device's DMA engine (contract §12, and max_rate of §1). */
struct dev_dma {
	double free;            /* its data mover is busy until */
	double next[2];         /* per op: the engine's next DMA of op may start then */
	struct tpool slots[2];  /* per op: its dma_concurrency slots */
	double cap_bps;         /* max_rate, 0: none */
	double cap_free;        /* with max_rate: it moves the last TLP's data until then */
	bool engine;            /* it has one of the keys of contract §12 (has_engine) */
	bool slotted;           /* and dma_concurrency: its DMAs take slots */
	bool lazy;              /* a VF has a DMA engine (raw DMA workloads): decisions of the
				 * device's port make its arrivals */
	struct src **waiters[2]; /* with dma_concurrency, per op: its VFs' DMA engines of op in
				  * function order (engine_free) */
	int nwaiters[2];
	uint64_t *early[2];     /* per op, bits over waiters[op]: those whose last look found
				 * them waiting for a tag, a translation or a reset */
	uint64_t *slotw[2];     /* per op, bits over the port's sources: the DMA engines whose
				 * last look lacked a slot; the lowest waits for the next return */
	int slotw_words, slotw_lo[2];
};

/* The device side of ATS shared by its VFs. */
struct eng_device {
	struct tcache atc;      /* scope: shared */
	struct xpend *pend;
	bool ats;
};

struct wl_state {
	double stop;
	uint64_t slot_size, nslots;
	/* unmaps */
	double unmap_next, unmap_mean;
	unsigned short unmap_rng[3];
	int first_fn, nvfs;
};

extern const struct src_ops dev_dma_ops;

/* The VFs, their streams and DMA engines (added to the device ports). 0 or -ENOMEM. */
int dev_build(struct eng *e);
/* No-op on a never built or half-built engine. */
void dev_destroy(struct eng *e);
/* The plain DMA device (devmodel.h). */
extern const struct dev_model dev_dma_model;
/* What every device does with a TLP its port hands it at hdr (header) and tail: its
 * credits back, ATS and MMIO requests, a model's completions (their `landed`), DMA read
 * completions. */
void dev_receive(struct eng *e, struct port *in, struct tlp *t, double hdr, double tail);
/* For fault.c: make vf's open-loop arrivals of op due by now (returns the next one's date);
 * give back the engine slot a DMA that failed at t held (contract §12). */
double dev_arrivals(struct eng *e, struct vf *vf, int op, double now);
void dev_dma_release(struct eng *e, const struct dma *d, double t);
/* For fault.c: issue a DMA of stream g on vf at t; draw the time to g's next arrival. */
void dev_issue(struct eng *e, struct vf *vf, struct stream *g, double t);
double dev_next_interval(struct eng *e, struct stream *g);
/* DMA d completed at t: statistics, and the closed loop's next DMA. */
void dma_complete(struct eng *e, struct dma *d, double t);

/* The device's DMA engine (dev_dma.c), for dev.c: device d's slots and pacer at build, and
 * the index of the VFs' engines it wakes (after the streams); a write's booking of the data
 * mover when issued; a DMA at the head of its queue takes its slot (false: none before
 * *next); a slot given back at t; a read's data stored by the mover (its completion date);
 * a look of de begun; a look that found it waiting (dev_dma_free wakes it then), or with
 * no DMA that could take a slot (its turn for one passes on). */
int dev_dma_init(struct eng *e, int d);
int dev_dma_index(struct eng *e);
double dev_dma_book_write(struct eng *e, const struct vf *vf, double issue, uint32_t size);
bool dev_dma_start(struct eng *e, struct dma_engine *de, struct dma *d, double now,
		   double *next);
void dev_dma_free(struct eng *e, const struct dma *d, double t);
double dev_dma_stored(struct eng *e, const struct dma *d, double tail);
void dev_dma_look(struct eng *e, const struct dma_engine *de);
void dev_dma_waits(struct eng *e, const struct dma_engine *de);
void dev_dma_idle(struct eng *e, const struct dma_engine *de, double now);

/* Does function fn issue DMAs (a VF some workload runs on)? */
static inline bool eng_fn_has_streams(const struct eng *e, int fn)
{
	return !e->t->functions[fn].is_pf &&
	       (e->vfs[fn].streams[0] || e->vfs[fn].streams[1] || e->vfs[fn].model);
}

#endif
