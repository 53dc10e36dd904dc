/* isolation.c - prove from the routing tables that each VH stays inside itself (contract
 * §1 "Isolation"): every lookup keyed by VH k yields only VH k's virtual switches, functions,
 * credit pools and completion paths; only physical MR-Links (and, with flow_control: shared,
 * their one ingress pool) are common to several VHs. */
#include "topo.h"

#include <errno.h>
#include <stdlib.h>

/* Per switch port (link) and VH: the virtual switch that owns the virtual port, as the MR-IOV
 * ingress table T_in[port][VH] would hold it (domain.md §1.4). */
struct rtable {
	const struct topo *t;
	const struct topo_vswitch **tin; /* [link * nvh + vh-1] for the switch end of the link */
	size_t nvh;
};

static const struct topo_vswitch **tin_slot(struct rtable *r, int link, int sw_node, int vh)
{
	/* each link has at most one switch end per direction that matters; key by which end */
	int side = r->t->links[link].a.idx == sw_node ? 0 : 1;
	return &r->tin[((size_t)link * 2 + (size_t)side) * r->nvh + (size_t)(vh - 1)];
}

static int fill_tables(struct rtable *r, struct diags *d)
{
	const struct topo *t = r->t;

	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		for (int i = 0; i < vh->nvswitches; i++) {
			const struct topo_vswitch *vs = &vh->vswitches[i];
			int node = topo_node_of_switch(t, vs->sw);
			for (int k = -1; k < vs->ndown; k++) {
				int l = k < 0 ? vs->up_link : vs->down_links[k];
				const struct topo_vswitch **slot = tin_slot(r, l, node, vs->vh);
				if (*slot && *slot != vs) {
					diags_error(d, t->links[l].loc, "isolation: port '%s' of '%s' maps VH "
						    "%d to two virtual switches", t->links[l].name,
						    t->switches[vs->sw].name, vs->vh);
					return -EINVAL;
				}
				*slot = vs;
			}
		}
	}
	return 0;
}

/* Route a request of VH vh for bus `bus` down from the host. Returns the device node it
 * reaches (and the bus it sits on in *dev_bus), or -1 when routing ends nowhere. Fails the
 * proof (returns -2) when a lookup keyed by vh yields another VH's virtual switch. */
static int route_down(struct rtable *r, int vh, int bus, int *dev_bus)
{
	const struct topo *t = r->t;
	int h = vh - 1, link = t->hosts[h].link, node = topo_link_peer(t, link, h), cur_bus = 1;

	for (int hops = 0; hops <= (int)t->nlinks; hops++) {
		if (topo_node_kind(t, node) == NODE_DEVICE) {
			*dev_bus = cur_bus;
			return node;
		}
		if (topo_node_kind(t, node) != NODE_SWITCH)
			return -1;
		const struct topo_vswitch *vs = *tin_slot(r, link, node, vh);
		if (!vs)
			return -1; /* T_in miss: the switch discards the TLP (domain.md §1.4 step 2) */
		if (vs->vh != vh)
			return -2;
		int next = -1;
		for (int k = 0; k < vs->ndown; k++)
			if (bus >= vs->down_secondary[k] && bus <= vs->down_subordinate[k]) {
				next = k;
				break;
			}
		if (next < 0)
			return -1;
		link = vs->down_links[next];
		cur_bus = vs->down_secondary[next];
		node = topo_link_peer(t, link, node);
	}
	return -1;
}

/* Route a completion from a function of VH vh up to the requester on bus 0 (the RC). */
static int route_up(struct rtable *r, int vh, int dev_node, int dev_link)
{
	const struct topo *t = r->t;
	int link = dev_link, node = topo_link_peer(t, link, dev_node);

	for (int hops = 0; hops <= (int)t->nlinks; hops++) {
		if (topo_node_kind(t, node) == NODE_HOST)
			return node;
		if (topo_node_kind(t, node) != NODE_SWITCH)
			return -1;
		const struct topo_vswitch *vs = *tin_slot(r, link, node, vh);
		if (!vs)
			return -1;
		if (vs->vh != vh)
			return -2;
		/* the requester's bus 0 lies in no downstream window: forward upstream */
		link = vs->up_link;
		node = topo_link_peer(t, link, node);
	}
	return -1;
}

/* The function a device decodes for (VH, RID), as its per-VH function table would: the
 * VH's PF, then its VFs in RID order (func.c appends them so), checked entry by entry. */
static int device_decode(const struct topo *t, int dev, int vh, uint16_t rid)
{
	int pf = t->dev_pf[(size_t)dev * t->nhosts + (size_t)(vh - 1)];
	size_t idx;

	if (pf < 0)
		return -1;
	idx = (size_t)pf + (uint16_t)(rid - t->functions[pf].rid);
	if (idx >= t->nfunctions)
		return -1;
	const struct topo_function *f = &t->functions[idx];
	return f->device == dev && f->vh == vh && f->rid == rid ? (int)idx : -1;
}

static int check_functions(struct rtable *r, struct diags *d)
{
	const struct topo *t = r->t;
	int err = 0;

	for (size_t f = 0; f < t->nfunctions; f++) {
		const struct topo_function *fn = &t->functions[f];
		int dev_bus = -1, dev_node;
		/* the owner's requests reach exactly this function ... */
		dev_node = route_down(r, fn->vh, fn->rid >> 8, &dev_bus);
		if (dev_node != topo_node_of_device(t, fn->device) ||
		    device_decode(t, fn->device, fn->vh, fn->rid) != (int)f) {
			diags_error(d, t->devices[fn->device].loc, "isolation: VH %d cannot reach its "
				    "function %s", fn->vh, fn->name);
			err = -EINVAL;
			continue;
		}
		/* ... its completions return to the owner only ... */
		if (route_up(r, fn->vh, dev_node, t->devices[fn->device].link) != fn->host) {
			diags_error(d, t->devices[fn->device].loc, "isolation: completions of %s do "
				    "not return to '%s'", fn->name, t->hosts[fn->host].name);
			err = -EINVAL;
		}
	}
	/* ... and no other VH's lookup yields it: every device's function table keyed by VH j
	 * holds only VH j's functions (its PF and the VFs after it), so a RID looked up in VH j
	 * can never decode to another VH's function. */
	for (size_t dv = 0; dv < t->ndevices; dv++)
		for (size_t h = 0; h < t->nhosts; h++) {
			int pf = t->dev_pf[dv * t->nhosts + h];
			for (size_t f = pf < 0 ? t->nfunctions : (size_t)pf;
			     f < t->nfunctions && t->functions[f].device == (int)dv &&
			     (f == (size_t)pf || !t->functions[f].is_pf);
			     f++) {
				if (t->functions[f].vh == (int)h + 1)
					continue;
				diags_error(d, t->devices[dv].loc, "isolation: VH %zu reaches %s of VH %d",
					    h + 1, t->functions[f].name, t->functions[f].vh);
				err = -EINVAL;
				break;
			}
		}
	return err;
}

/* A credit pool is (switch ingress port, VH) with per_vh flow control and (port) with
 * shared; a pool used by several VHs must sit on a physical MR-Link. */
static int check_pools(const struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t l = 0; l < t->nlinks; l++) {
		const struct topo_link *k = &t->links[l];
		if (k->nvhs > 1 && !k->mr_link) {
			diags_error(d, k->loc, "isolation: link '%s' carries %d VHs but is not an "
				    "MR-Link", k->name, k->nvhs);
			err = -EINVAL;
		}
		for (int side = 0; side < 2; side++) {
			int node = side ? k->b.idx : k->a.idx;
			if (topo_node_kind(t, node) != NODE_SWITCH)
				continue;
			int fc = t->switches[topo_node_index(t, node)].flow_control;
			int users = fc == FC_SHARED ? k->nvhs : (k->nvhs ? 1 : 0);
			if (users > 1 && !k->mr_link) {
				diags_error(d, k->loc, "isolation: a credit pool of '%s' is shared "
					    "off an MR-Link", k->name);
				err = -EINVAL;
			}
		}
	}
	return err;
}

int isolation_check(const struct topo *t, struct diags *d)
{
	struct rtable r = {t, NULL, t->nhosts ? t->nhosts : 1};
	int err;

	r.tin = calloc((t->nlinks ? t->nlinks : 1) * 2 * r.nvh, sizeof(*r.tin));
	if (!r.tin)
		return -ENOMEM;
	err = fill_tables(&r, d);
	if (!err)
		err = check_functions(&r, d);
	if (!err)
		err = check_pools(t, d);
	free(r.tin);
	return err;
}
