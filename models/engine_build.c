/* engine_build.c - assemble the engine from a validated topology: ports per link direction,
 * routes per VH and device, receive buffers and credits, and what feeds each port. */
#include "engine.h"

#include <errno.h>
#include <math.h>
#include <simgrid/semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

#include "alloc.h"
#include "ats.h"
#include "dev.h"
#include "devmodel.h"
#include "fault.h"
#include "mmio.h"
#include "rc.h"

XBT_LOG_NEW_CATEGORY(mriov, "mriovsim");

struct port *eng_port_of(struct eng *e, int link, int from)
{
	return &e->ports[2 * link + (e->t->links[link].a.idx == from ? 0 : 1)];
}

int eng_add_src(struct port *p, struct src *s)
{
	xbt_assert(!p->could, "a source added after eng_build_ready");
	if (p->nsrcs == p->capsrcs) {
		int cap = p->capsrcs ? 2 * p->capsrcs : 8;
		struct src **v = mriov_realloc(p->srcs, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->srcs = v;
		p->capsrcs = cap;
	}
	/* an unmap source goes first, so that the requests it files are seen at once */
	if (s->ops->first) {
		memmove(p->srcs + 1, p->srcs, (size_t)p->nsrcs * sizeof(*p->srcs));
		p->srcs[0] = s;
	} else {
		p->srcs[p->nsrcs] = s;
	}
	p->nsrcs++;
	return 0;
}

/* The buffer the receiver at the far end of p has per credit set. */
static int64_t rx_buffer(const struct eng *e, const struct port *p)
{
	const struct topo *t = e->t;

	if (p->to_kind == NODE_SWITCH)
		return (int64_t)t->switches[e->nodes.index[p->to]].buffer;
	if (p->to_kind == NODE_HOST)
		return (int64_t)t->hosts[e->nodes.index[p->to]].buffer;
	return FC_EP_BUFFER;
}

/* The link side of port p, link l in direction dir (0: a->b): rates, latency, its node. */
static void port_init_link(struct eng *e, struct port *p, size_t l, int dir)
{
	const struct topo *t = e->t;
	const struct topo_link *k = &t->links[l];

	p->e = e;
	p->link = (int)l;
	p->dir = dir;
	p->from = dir ? k->b.idx : k->a.idx;
	p->to = dir ? k->a.idx : k->b.idx;
	p->to_kind = e->nodes.kind[p->to];
	p->gen = (int)k->gen;
	p->ovh = t->pcie.overhead_spec
			 ? pcie_spec_overhead((int)k->gen, (int)k->width, (int)t->pcie.mps)
			 : t->pcie.overhead_fraction;
	p->raw_bps = pcie_raw_bps((int)k->gen, (int)k->width);
	p->lat = k->latency;
	p->mr = k->mr_link;
	p->stall_since = -1;
	p->stall_from = INFINITY;
}

/* A switch receiver's ingress FIFOs, one per credit set and class; requests and
 * completions may not pass the posted FIFO of their set. 0 or -ENOMEM. */
static int port_init_fifos(struct port *p, const struct topo_link *k)
{
	size_t nq = (size_t)p->fc.nsets * TLP_NCLASS;

	p->rx_q = mriov_calloc(nq, sizeof(*p->rx_q));
	if (!p->rx_q)
		return -ENOMEM;
	for (size_t q = 0; q < nq; q++) {
		struct src *s = mriov_calloc_lines(1, sizeof(*s)); /* its hot half in a line */
		if (!s)
			return -ENOMEM;
		/* a link of one VH fills its FIFOs with that VH's TLPs alone, shared buffers
		 * or not (build_vh_groups then groups them by VH) */
		src_init_fifo(s, (int)(q % TLP_NCLASS),
			      k->nvhs == 1 ? k->vhs[0]
			      : p->per_vh && k->nvhs ? k->vhs[q / TLP_NCLASS] : 0);
		s->ret = &p->fc;
		s->ret_idx = (int)q;
		s->feeder = p;
		p->rx_q[q] = s;
	}
	for (size_t q = 0; q < nq; q++) {
		struct src *pq = p->rx_q[q - q % TLP_NCLASS + TLP_P];
		if (q % TLP_NCLASS == TLP_P)
			continue;
		p->rx_q[q]->posted = pq;
		pq->behind[q % TLP_NCLASS == TLP_NP ? 0 : 1] = p->rx_q[q];
	}
	return 0;
}

/* The receiver side of p: its credits (a set per VH with per_vh flow control, else one)
 * and, at a switch, its ingress FIFOs. 0 or -ENOMEM. */
static int port_init_receiver(struct eng *e, struct port *p, const struct topo_link *k)
{
	const struct topo *t = e->t;
	int nvh = (int)t->nhosts;
	struct fc_limits lim;

	if (p->to_kind == NODE_SWITCH) {
		const struct topo_switch *sw = &t->switches[e->nodes.index[p->to]];
		p->per_vh = sw->flow_control == FC_PER_VH;
		p->sw_latency = sw->latency;
	}
	fc_limits_of_buffer(rx_buffer(e, p), p->to_kind != NODE_SWITCH, &lim);
	bool sets = p->per_vh && k->nvhs;
	if (fc_init(&p->fc, nvh, sets ? k->nvhs : 1, sets ? k->vhs : NULL, &lim, p->lat))
		return -ENOMEM;
	return p->to_kind == NODE_SWITCH ? port_init_fifos(p, k) : 0;
}

static int build_ports(struct eng *e)
{
	const struct topo *t = e->t;
	int nvh = (int)t->nhosts;

	e->nports = 2 * t->nlinks;
	e->ports = mriov_calloc_lines(e->nports ? e->nports : 1, sizeof(*e->ports));
	if (!e->ports)
		return -ENOMEM;
	for (size_t l = 0; l < t->nlinks; l++) {
		for (int dir = 0; dir < 2; dir++) {
			struct port *p = &e->ports[2 * l + (size_t)dir];
			port_init_link(e, p, l, dir);
			p->vh = mriov_calloc((size_t)nvh + 1, sizeof(*p->vh));
			p->elig = arb_words(nvh) <= PORT_ELIG_INLINE
					  ? p->elig_inl
					  : mriov_calloc((size_t)arb_words(nvh), sizeof(*p->elig));
			if (!p->vh || !p->elig ||
			    port_init_receiver(e, p, &t->links[l]))
				return -ENOMEM;
		}
	}
	return 0;
}

/* Where route r keeps its ports: inline when they fit. NULL when out of memory. */
static struct port **route_ports(struct route *r)
{
	if (r->nhops <= ROUTE_INLINE)
		return r->inl;
	return mriov_malloc((size_t)r->nhops * sizeof(*r->ports));
}

static int build_routes(struct eng *e)
{
	const struct topo *t = e->t;

	e->routes = mriov_calloc(2 * t->nhosts * t->ndevices + 1, sizeof(*e->routes));
	if (!e->routes)
		return -ENOMEM;
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		for (int i = 0; i < vh->npaths; i++) {
			const struct topo_path *pa = &vh->paths[i];
			struct route *down = eng_route(e, (int)h, pa->device, false);
			struct route *up = down + 1;
			down->nhops = up->nhops = pa->nhops;
			down->ports = route_ports(down);
			up->ports = route_ports(up);
			if (!down->ports || !up->ports)
				return -ENOMEM;
			for (int k = 0; k < pa->nhops; k++) {
				down->ports[k] = eng_port_of(e, pa->links[k], pa->nodes[k]);
				up->ports[pa->nhops - 1 - k] = eng_port_of(e, pa->links[k], pa->nodes[k + 1]);
			}
		}
	}
	return 0;
}

/* Does VH v route between links li and lo at switch sw (one of them its upstream port)? */
static int vh_crosses(const struct topo *t, int v, int sw, int li, int lo)
{
	const struct topo_vh *vh = &t->vhs[v - 1];

	for (int i = 0; i < vh->nvswitches; i++) {
		const struct topo_vswitch *vs = &vh->vswitches[i];
		if (vs->sw != sw)
			continue;
		for (int k = 0; k < vs->ndown; k++)
			if ((li == vs->up_link && lo == vs->down_links[k]) ||
			    (lo == vs->up_link && li == vs->down_links[k]))
				return 1;
	}
	return 0;
}

/* Each switch egress port is fed by the ingress buffers of the traffic that crosses to it:
 * for every pair of the switch's links, the VHs that route between them. */
static int wire_switch_sources(struct eng *e)
{
	const struct topo *t = e->t;

	for (size_t sw = 0; sw < t->nswitches; sw++) {
		int node = e->nodes.of_switch[sw];
		for (size_t lo = 0; lo < t->nlinks; lo++) {
			if (t->links[lo].a.idx != node && t->links[lo].b.idx != node)
				continue;
			struct port *out = eng_port_of(e, (int)lo, node);
			for (size_t li = 0; li < t->nlinks; li++) {
				if (li == lo || (t->links[li].a.idx != node && t->links[li].b.idx != node))
					continue;
				struct port *in = eng_port_of(e, (int)li, t->links[li].a.idx == node ? t->links[li].b.idx : t->links[li].a.idx);
				const struct topo_link *k = &t->links[li];
				int any = 0;
				for (int i = 0; i < k->nvhs; i++) {
					if (!vh_crosses(t, k->vhs[i], (int)sw, (int)li, (int)lo))
						continue;
					any = 1;
					if (!in->per_vh)
						break;
					for (int c = 0; c < TLP_NCLASS; c++)
						if (eng_add_src(out, in->rx_q[i * TLP_NCLASS + c]))
							return -ENOMEM;
				}
				for (int c = 0; any && !in->per_vh && c < TLP_NCLASS; c++)
					if (eng_add_src(out, in->rx_q[c]))
						return -ENOMEM;
			}
		}
	}
	return 0;
}

/* What each port hands its TLPs to: the node at its far end. */
static void wire_receivers(struct eng *e)
{
	for (size_t i = 0; i < e->nports; i++) {
		struct port *p = &e->ports[i];
		int idx = e->nodes.index[p->to];
		if (p->to_kind == NODE_SWITCH) {
			p->rx = &eng_switch_endpoint;
			p->rx_arg = p;
		} else if (p->to_kind == NODE_HOST) {
			p->rx = &rc_endpoint;
			p->rx_arg = &e->hosts[idx];
		} else {
			p->rx = &e->dev_slots[idx].m->ep;
			p->rx_arg = &e->dev_slots[idx];
		}
	}
}

static enum arb_kind arb_kind_of(int policy)
{
	return policy == ARB_WRR ? ARB_KIND_WRR : policy == ARB_STRICT ? ARB_KIND_STRICT
								    : ARB_KIND_RR;
}

/* Port i's arbitration: the one the fabric hands over per port (contract §13: a switch
 * port's own, else its switch's or device's), or without that its node's; NULL for a root
 * complex, which sends in FIFO order. */
static const struct topo_arb *port_arb_of(const struct eng *e, size_t i)
{
	const struct port *p = &e->ports[i];

	if (e->nodes.port_arb)
		return e->nodes.port_arb[i];
	if (e->nodes.kind[p->from] == NODE_SWITCH)
		return &e->t->switches[e->nodes.index[p->from]].arb;
	if (e->nodes.kind[p->from] == NODE_DEVICE)
		return &e->t->devices[e->nodes.index[p->from]].arb;
	return NULL;
}

static int build_arbiters(struct eng *e)
{
	const struct topo *t = e->t;

	for (size_t i = 0; i < e->nports; i++) {
		struct port *p = &e->ports[i];
		const struct topo_arb *cfg = port_arb_of(e, i);
		if (arb_init(&p->arb, cfg ? arb_kind_of(cfg->policy) : ARB_KIND_RR, (int)t->nhosts,
			     cfg ? cfg->host_weight : NULL, cfg ? cfg->host_order : NULL))
			return -ENOMEM;
	}
	return 0;
}

int eng_build(struct eng *e, const struct topo *t, const struct eng_nodes *nodes,
	      const struct eng_sink *sink)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->t = t;
	e->nodes = *nodes;
	e->end = t->run.duration;
	e->warmup = t->run.warmup;
	e->seed = t->run.seed;
	e->sink = *sink;
	slab_init(&e->tlps, sizeof(struct tlp));
	slab_init(&e->dmas, sizeof(struct dma));
	slab_init(&e->rreqs, sizeof(struct rreq));
	slab_init(&e->streams, sizeof(struct stream));
	slab_init(&e->recs, DMAQ_SMALL * sizeof(struct dma_rec));
	if ((err = build_ports(e)) || (err = build_routes(e)) || (err = rc_build(e)) ||
	    (err = wire_switch_sources(e)) || (err = build_arbiters(e)) || (err = dev_build(e)) ||
	    (err = ats_build(e)) || (err = mmio_build(e)) || (err = dev_models_build(e)) ||
	    (err = fault_build(e)) || (err = eng_build_ready(e)))
		return err;
	wire_receivers(e);
	return 0;
}

uint64_t eng_pending(const struct eng *e, double by)
{
	uint64_t n = 0;

	for (size_t i = 0; i < e->nports; i++)
		for (int k = 0; k < e->ports[i].nsrcs && !e->ports[i].down; k++) {
			const struct src *s = e->ports[i].srcs[k];
			n += s->ops->pending(s, by);
		}
	return n;
}

/* The earliest of d and date x when x >= from. */
static double dated(double d, double x, double from)
{
	return x >= from && x < d ? x : d;
}

double eng_next_dated(const struct eng *e, double from)
{
	double d = INFINITY;

	for (size_t i = 0; i < e->nports; i++) {
		const struct port *p = &e->ports[i];
		d = dated(d, p->busy_until, from);
		if (p->pacer)
			d = dated(d, p->pacer->free_at(p->pacer_arg), from);
		for (int k = 0; k < p->nsrcs; k++)
			for (const struct tlp *t = p->srcs[k]->head; t; t = t->next)
				d = dated(dated(d, t->ready, from), t->tail_in, from);
		for (int q = 0; p->fc.pool && q < p->fc.nsets * TLP_NCLASS; q++)
			d = dated(d, fc_return_from(&p->fc, q, from), from);
	}
	for (size_t f = 0; e->vfs && f < e->t->nfunctions; f++)
		d = dated(d, tpool_next_return(&e->vfs[f].tags), from);
	for (size_t h = 0; e->hosts && h < e->t->nhosts; h++)
		for (int w = 0; w < e->hosts[h].nwalkers; w++)
			d = dated(d, e->hosts[h].walker_free[w], from);
	return d;
}

void eng_destroy(struct eng *e)
{
	const struct topo *t = e ? e->t : NULL;

	if (!t)
		return; /* NULL, never built, or destroyed already */
	dev_models_destroy(e);
	mmio_destroy(e);
	ats_destroy(e); /* uses the hosts and VFs */
	dev_destroy(e);
	fault_destroy(e);
	for (size_t i = 0; e->ports && i < e->nports; i++) {
		struct port *p = &e->ports[i];
		for (int q = 0; p->rx_q && q < p->fc.nsets * TLP_NCLASS; q++)
			free(p->rx_q[q]);
		free(p->rx_q);
		fc_destroy(&p->fc);
		ready_destroy(&p->ready);
		free(p->srcs); /* and could, could_lazy (engine_ready.c) */
		free(p->vh);
		free(p->selig);
		if (p->elig != p->elig_inl)
			free(p->elig);
		free(p->vh_first);
		free(p->vh_srcs);
		free(p->vh_of);
		free(p->wpick);
		free(p->wq);
		free(p->wpay);
		free(p->wneed);
		free(p->bc);
		free(p->bc_seen);
		arb_destroy(&p->arb);
	}
	sched_free(&e->sched);
	free(e->round);
	dheap_free(&e->calm_acts);
	free(e->calm_defer);
	if (e->sem)
		sg_sem_destroy(e->sem);
	free(e->ports);
	free(e->owners);
	rc_destroy(e);
	for (size_t i = 0; e->routes && i < 2 * t->nhosts * t->ndevices; i++)
		if (e->routes[i].ports != e->routes[i].inl)
			free(e->routes[i].ports);
	free(e->routes);
	slab_destroy(&e->tlps);
	slab_destroy(&e->dmas);
	slab_destroy(&e->rreqs);
	slab_destroy(&e->streams);
	slab_destroy(&e->recs);
	memset(e, 0, sizeof(*e));
}
