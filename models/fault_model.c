/* fault_model.c - link faults and surprise removal on the functions of device models
 * (contract §10 on §6). A model's queues are rings of sequence numbers whose every step
 * waits for the TLP before it (a descriptor, its data, the write-back, the interrupt); a
 * driver does not carry on over lost ones either: a link down is a surprise down for every
 * VH on the link (domain.md §1.7), and the driver's error recovery resets the queues it
 * had. So a function with a model whose path uses a link that goes down is cut: what it
 * had under way fails at once, as on a reset (its epoch moves: its TLPs still in the fabric
 * are stale and counted as lost where they land, its clocks' events of the old epoch do
 * nothing), its open-loop arrivals are dropped and counted until the link is back, and
 * then (link_up + retrain) its queues start empty, without an FLR. A lost read request or
 * completion of its, or a register read of its host, ends by completion timeout. */
#include "fault.h"
#include "fault_priv.h"

#include <errno.h>
#include <math.h>

#include "mmio.h"
#include "rc.h"

/* Does function fn's path (either way) use link l? */
static bool uses_link(const struct eng *e, int fn, int l)
{
	for (int up = 0; up < 2; up++) {
		const struct route *r = eng_fn_route(e, fn, up);
		for (int k = 0; k < r->nhops; k++)
			if (r->ports[k]->link == l)
				return true;
	}
	return false;
}

/* Does function fn run a device model for its host at now (a VF that a reassign moves
 * serves each host for a while; a PF runs one for the vswitch path, contract §11)? */
static bool model_serves(const struct eng *e, int fn, double now)
{
	const struct topo_function *f = &e->t->functions[fn];

	return e->vfs[fn].model && f->from <= now + 1e-12 && f->until > now;
}

/* When a lost request ends: pcie.completion_timeout after it left its requester (fifo.c
 * stamps t0; its completions carry it), not before now (PCIe Base §2.8). */
static double timeout_at(const struct eng *e, const struct tlp *t, double now)
{
	return fmax(now, t->t0 + e->t->pcie.completion_timeout);
}

/* A request of function fn (event ev) ends by timeout at `at`: its tag of pool comes back
 * then, and port p, which waits for it, may send. */
static void timeout(struct eng *e, struct tpool *pool, struct port *p, int fn, int ev,
		    double at)
{
	if (tpool_give(pool, 1, at))
		e->err = -ENOMEM;
	eng_signal_at(p, at);
	e->faults->ev[ev].timeouts++;
	if (eng_in_window(e, at))
		e->faults->host_timeouts[e->t->functions[fn].host]++;
}

void fault_model_lost(struct eng *e, const struct tlp *t, int ev, double now)
{
	struct vf *vf;

	/* a doorbell, an MSI-X, a data write or write-back is lost with the work it was for,
	 * which failed when the function was cut */
	if (t->fn < 0 || (t->type != PCIE_MRD && t->type != PCIE_CPLD))
		return;
	vf = &e->vfs[t->fn];
	if (t->purpose == PURPOSE_REGISTER) { /* a register read, or its completion */
		struct eng_host *eh = &e->hosts[e->t->functions[t->fn].host];
		timeout(e, &eh->mmio_tags, eh->port, t->fn, ev, timeout_at(e, t, now));
	} else if (vf->model && (t->type == PCIE_MRD || t->last)) {
		/* a descriptor, entry, PRP-list or data read, or its last completion: the
		 * earlier completions of a request travel ahead of it on the same path */
		timeout(e, &vf->tags, vf->port, t->fn, ev, timeout_at(e, t, now));
	}
}

/* The completions of its host's register reads that function fn's device has not sent
 * yet are lost (event ev): the host's tags come back by timeout. */
static void drop_register_reads(struct eng *e, int fn, int ev, double now)
{
	struct vf *vf = &e->vfs[fn];
	struct eng_host *eh = &e->hosts[e->t->functions[fn].host];

	for (const struct tlp *t = vf->mmio_cpl.head; t; t = t->next) {
		e->faults->ev[ev].tlps_lost++;
		timeout(e, &eh->mmio_tags, eh->port, fn, ev, timeout_at(e, t, now));
	}
	src_fifo_drop(e, &vf->mmio_cpl);
}

/* Function fn is cut at now (event ev): what it had under way fails; it is back at
 * fault_model_link_back, not before the FLR it may be in ends. */
static void cut(struct eng *e, int fn, int ev, double now)
{
	struct fault_cut *c = &e->faults->cut[fn];
	struct vf *vf = &e->vfs[fn];

	c->on = true;
	c->flr_until = vf->down_until > now && !isinf(vf->down_until) ? vf->down_until : now;
	c->flr_ev = vf->reset_ev;
	fault_reset_function(e, fn, ev, now, INFINITY);
	drop_register_reads(e, fn, ev, now);
}

void fault_model_link_down(struct eng *e, int l, int ev, double now)
{
	for (size_t fn = 0; fn < e->t->nfunctions; fn++)
		if (model_serves(e, (int)fn, now) && !e->faults->cut[fn].on &&
		    uses_link(e, (int)fn, l))
			cut(e, (int)fn, ev, now);
}

bool fault_model_enter(struct eng *e, int fn, double now)
{
	int ev = fault_path_event(e, fn);

	if (ev < 0 || !e->vfs[fn].model || e->faults->cut[fn].on)
		return false;
	cut(e, fn, ev, now);
	return true;
}

void fault_model_cut_reset(struct eng *e, int fn, int ev, double until)
{
	struct fault_cut *c = &e->faults->cut[fn];

	if (!c->on || until <= c->flr_until)
		return;
	c->flr_until = until;
	c->flr_ev = ev;
}

void fault_model_link_back(struct eng *e, int l, double now)
{
	struct eng_faults *f = e->faults;

	for (size_t fn = 0; fn < e->t->nfunctions; fn++) {
		struct fault_cut *c = &f->cut[fn];
		struct vf *vf = &e->vfs[fn];
		/* back when every link of its path is up again, unless its device is gone */
		if (!c->on || !uses_link(e, (int)fn, l) || fault_path_event(e, (int)fn) >= 0 ||
		    f->gone[e->t->functions[fn].device])
			continue;
		c->on = false;
		vf->down_until = fmax(now, c->flr_until);
		if (vf->down_until <= now) {
			fault_function_back(e, (int)fn, now);
			continue;
		}
		/* the end of its FLR brings it back (fault.c); what arrives until then is the
		 * reset's */
		vf->reset_ev = c->flr_ev;
	}
}
