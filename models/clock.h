/* clock.h - a source that runs dated events on a port: a device model files "at time t, do
 * fn(obj, t, arg)" and the port's actor runs it when its simulated time reaches t, so that
 * what the event files (TLPs, doorbells) is filed in time order. It offers no TLP itself.
 * The NIC's (nic.c, nic_host.c) and the NVMe drive's (nvme.c) device and host clocks are
 * these. */
#ifndef MRIOV_CLOCK_H
#define MRIOV_CLOCK_H

#include <stdint.h>

#include "engine.h"

typedef void (*mclock_fn)(void *obj, double t, uint64_t arg);

struct mclock_ev {
	double t;
	uint64_t seq; /* ties run in the order they were filed */
	mclock_fn fn;
	void *obj;
	uint64_t arg;
	uint32_t stamp; /* mclock_at_stamped: what the clock's stale() checks when it is due */
	bool stamped;
};

struct mclock {
	struct src src; /* first: what the port sees */
	struct port *port;
	struct mclock_ev *h; /* binary heap by (t, seq) */
	uint32_t n, cap;
	uint64_t seq;
	/* Is a stamped event of obj stale (obj was reset since it was filed, contract §10)?
	 * Then it does nothing when it is due. NULL: none is (mclock_init). */
	bool (*stale)(const void *obj, uint32_t stamp);
};

/* Make c a source of port p for VH vh (0: it mixes VHs). 0 or -ENOMEM. */
int mclock_init(struct mclock *c, struct port *p, int vh);
/* Frees the events; a no-op on a zeroed clock. */
void mclock_destroy(struct mclock *c);
/* Run fn(obj, t, arg) at t (not before the current simulated time); c's port wakes for it.
 * On allocation failure sets the engine's err to -ENOMEM. */
void mclock_at(struct mclock *c, double t, mclock_fn fn, void *obj, uint64_t arg);
/* mclock_at, for an event that c->stale(obj, stamp) may cancel before it is due. */
void mclock_at_stamped(struct mclock *c, double t, mclock_fn fn, void *obj, uint64_t arg,
		       uint32_t stamp);

#endif
