/* devmodel.h - device models behind one ops table. Every device has the DMA engines of
 * dev.c (its VFs, tags, ATS, MMIO); a device model is what a device of some kind does
 * beyond them (the NIC's queues, an NVMe drive's). A model is one file pair that provides a
 * `struct dev_model`, plus its entry in devmodel.c's table; the engine and its assembly
 * (engine.c, engine_build.c) name no model (docs/architecture.md, "Adding a device model"). */
#ifndef MRIOV_DEVMODEL_H
#define MRIOV_DEVMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

struct vf; /* dev.h */

/* What a model counted over the window (contract §7) for one function or one workload. A
 * count the model does not keep is -1: the results leave its column empty. */
struct dev_counts {
	int64_t packets, drops; /* frames done and dropped */
	int64_t ios;            /* commands done */
	/* a limit of the device's own, as a fraction of the window it was busy (an NVMe drive's
	 * media channels), and its name; busy < 0: the model has none */
	double busy;
	const char *busy_what;
};

/* Device dev of an engine, and the model that drives it. */
struct dev_slot {
	struct eng *e;
	int dev;
	const struct dev_model *m;
	void *state;            /* what m->build made (NULL: none) */
};

struct dev_model {
	/* What the device's port hands its TLPs to; receive's ep is the device's struct
	 * dev_slot. It must give the credits back (eng_rx_free); dev_receive() does what every
	 * device does (credits, ATS, MMIO, `landed` callbacks, DMA read completions). */
	struct eng_endpoint_ops ep;
	/* Does the model drive device d? (its block in the topology: `nic`, `nvme`) */
	bool (*drives)(const struct topo_device *d);
	/* Build the model's state for device dev, once the ports, routes, root complexes, VFs,
	 * ATS and MMIO are built; store it in *state before anything can fail, so that destroy
	 * frees a half-built one. 0 or -ENOMEM. NULL: the model keeps no state. */
	int (*build)(struct eng *e, int dev, void **state);
	/* Free what build made: a no-op on NULL and on half-built state. NULL: nothing. */
	void (*destroy)(struct eng *e, void *state);
	/* The counts of function fn (wl < 0) or of workload wl (fn < 0), a function or workload
	 * of the device. NULL: it counts none of them. */
	void (*stats)(const struct eng *e, const void *state, int fn, int wl, struct dev_counts *c);
	/* Function fn of the device is reset at now (its epoch moved, contract §10): what it
	 * had under way fails (fault_model_failed), its queues, rings and interrupt state are
	 * emptied, nothing of another function is touched; its TLPs still in the fabric are
	 * stale (fault_model_stale). NULL: it keeps nothing per function beyond dev.c's. */
	void (*reset)(struct eng *e, void *state, int fn, double now);
	/* Function fn is back at now (its FLR is done): its closed loops start again. NULL:
	 * it has none of its own (dev.c's restart). */
	void (*back)(struct eng *e, void *state, int fn, double now);
	/* Function fn of the device leaves its host at now for good (a reassign moves the VF
	 * to another host, contract §10; its epoch has moved): what it had under way fails
	 * as in a reset, and its arrivals stop. NULL: nothing beyond dev.c's. */
	void (*leave)(struct eng *e, void *state, int fn, double now);
	/* The VFs that serve workload wl of the device changed at now (a reassign): its
	 * open-loop rate is split again over those that serve its host now (fault_serves),
	 * a VF that joins starts its arrivals. NULL: no workload of its own (raw DMA: fault.c). */
	void (*split)(struct eng *e, void *state, int wl, double now);
};

/* The model of every device (e->dev_slots). 0 or -ENOMEM; dev_models_destroy is a no-op on
 * a never built or half-built engine. */
int dev_models_build(struct eng *e);
void dev_models_destroy(struct eng *e);
/* The model that drives device d: the first entry of the table that does. */
const struct dev_model *dev_model_of(const struct topo_device *d);
/* Function fn is reset at now: its device's model forgets what the function had under way. */
void dev_model_reset(struct eng *e, int fn, double now);
/* Function fn is back at now: its device's model starts its closed loops again. */
void dev_model_back(struct eng *e, int fn, double now);
/* Function fn leaves its host at now: its device's model stops it for good. */
void dev_model_leave(struct eng *e, int fn, double now);
/* Workload wl's VFs changed at now: its device's model splits its rate again. */
void dev_model_split(struct eng *e, int wl, double now);
/* The counts of function fn (wl < 0) or of workload wl (fn < 0), from its device's model. */
void dev_counts_of(const struct eng *e, int fn, int wl, struct dev_counts *c);

/* ---- what the models share (devmodel.c) ---- */

/* dev_receive as a model's ep.receive (ep: the device's struct dev_slot), for models whose
 * TLPs all say what they do in their `landed` (the DMA device, the NIC, the NVMe drive). */
void dev_slot_receive(void *ep, struct port *in, struct tlp *t, double hdr, double tail);
/* A device model's TLP of function fn toward its host, ready at t: a write (type PCIE_MWR,
 * posted, `bytes` of payload) or a read request (non-posted, `bytes` asked) at host memory
 * addr, untranslated (the host's IOMMU translates it, contract §6), with its purpose, key
 * and landed callback. NULL when out of memory; the caller files it (src_push). */
struct tlp *dev_tlp_up(struct eng *e, int fn, double t, int type, int purpose, uint64_t addr,
		       uint32_t bytes, uint64_t key,
		       void (*landed)(struct eng *e, struct tlp *t, double when));
/* dev_tlp_up's TLP filed into s, and the function's port told it is ready at t (nothing
 * when out of memory: the TLP is not made, as a lost one). */
void dev_push_up(struct eng *e, int fn, struct src *s, double t, int type, int purpose,
		 uint64_t addr, uint32_t bytes, uint64_t key,
		 void (*landed)(struct eng *e, struct tlp *t, double when));
/* bytes at addr as dev_push_up TLPs of at most max bytes, none across a 4 KiB boundary
 * (PCIe: a request does not cross one), each with key; landed on every one when `every`,
 * else on the last one only. Returns how many. */
uint32_t dev_push_chunks(struct eng *e, int fn, struct src *s, double t, int type, int purpose,
			 uint64_t addr, uint32_t bytes, uint32_t max, uint64_t key, bool every,
			 void (*landed)(struct eng *e, struct tlp *t, double when));
/* One of vf's read tags is back at tail (a read request's last completion arrived): the
 * VF's sources that wait for a tag (its DMA engine's reads, the model's read FIFOs) may
 * send from then on, and its port is told when one may wait (none was free). */
void dev_tag_give(struct eng *e, struct vf *vf, double tail);
/* A completion t of a model's read request of function vf reached the device at tail: when
 * it is its request's last, the VF's tag is free again (from tail) and its port may send.
 * Returns whether it was the last. */
bool dev_read_done(struct eng *e, struct vf *vf, const struct tlp *t, double tail);

#endif
