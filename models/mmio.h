/* mmio.h - host-initiated MMIO and MSI-X (contract §5): a host's driver writes doorbells
 * (4-byte posted writes) and reads registers (4-byte non-posted reads holding one of the
 * host's `mmio_tags`, answered after the device's `mmio_latency`) of its own functions,
 * downstream through its VH; a function raises MSI-X interrupts (4-byte posted writes) that
 * the root complex looks up in its interrupt entry cache (a miss adds `miss_latency`) and
 * delivers after `delivery_latency`. Device models call these; the engine names no model. */
#ifndef MRIOV_MMIO_H
#define MRIOV_MMIO_H

#include "dev.h"
#include "engine.h"
#include "rc.h"

/* What happens when an MMIO TLP has done its work: a doorbell reached its function, a
 * register read's completion reached the host, an interrupt was delivered. t->fn is the
 * function, t->key what the caller passed; the callee does not own t. */
typedef void (*mmio_done_fn)(struct eng *e, struct tlp *t, double when);

/* The host of function fn writes one of fn's registers at t (not before the current
 * simulated time; per host, in non-decreasing t). 0 or -ENOMEM. */
int mmio_doorbell(struct eng *e, int fn, double t, uint64_t key, mmio_done_fn done);
/* The host of function fn reads one of fn's registers at t (same rules). */
int mmio_read(struct eng *e, int fn, double t, uint64_t key, mmio_done_fn done);
/* Function fn raises MSI-X `vector` at t for an event of time t_event (the interrupt
 * latency runs from it), through the posted FIFO q of its device's port, behind the data
 * it announces (NULL: fn's own MSI-X FIFO). done (may be NULL) runs at delivery. */
int mmio_msix(struct eng *e, int fn, int vector, double t_event, double t, struct src *q,
	      mmio_done_fn done);

/* A function received a doorbell or a register read (purpose DOORBELL or REGISTER) at
 * tail: the doorbell's action runs, the read is answered after mmio_latency. Owns t. */
void mmio_dev_receive(struct eng *e, struct tlp *t, double tail);
/* Host h took in a register-read completion or an MSI-X write at `done` (after posted
 * ordering): its tag is returned, or the interrupt is remapped and delivered. Does not
 * own t. */
void mmio_rc_receive(struct eng *e, int h, struct tlp *t, double done);

/* The hosts' MMIO tags and interrupt entry caches, the functions' MMIO FIFOs (added to the
 * device ports). 0 or -ENOMEM; mmio_destroy is a no-op on a half-built engine. */
/* Function fn is reset or cut at now (fault.c): the interrupts it raised that reach their
 * host after now interrupt nobody (its driver's queues are reset: what they announced
 * failed), so they are not counted. */
void mmio_fn_reset(struct eng *e, int fn, double now);
int mmio_build(struct eng *e);
void mmio_destroy(struct eng *e);
/* Function fn's MMIO FIFOs (register-read completions, MSI-X), added to its device's port:
 * every VF's by mmio_build, a PF's by the model that uses it (contract §11). 0 or -ENOMEM. */
int mmio_fn_init(struct eng *e, int fn);

static inline bool mmio_purpose(const struct tlp *t)
{
	return t->purpose == PURPOSE_DOORBELL || t->purpose == PURPOSE_REGISTER ||
	       t->purpose == PURPOSE_INTERRUPT;
}

#endif
