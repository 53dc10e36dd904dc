/* vh.c - virtual hierarchies: each host's paths to its devices, the virtual switch it
 * occupies in every switch on them, PCI bus numbers per VH, and which links are MR-Links.
 * Everything here is linear in the size of the chassis: a file may describe thousands of
 * hosts, and loading must stay quick (no input may make the program hang). */
#include "topo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct vhctx {
	struct topo *t;
	struct diags *d;
	int *adj_start, *adj; /* links of each node, in link order (CSR) */
	int *used;            /* used[l] == vh id: link l is on that VH's paths */
};

static int build_adjacency(struct vhctx *c)
{
	const struct topo *t = c->t;
	int nn = topo_nnodes(t);

	c->adj_start = calloc((size_t)nn + 1, sizeof(int));
	c->adj = malloc((2 * t->nlinks + 1) * sizeof(int));
	if (!c->adj_start || !c->adj)
		return -ENOMEM;
	for (size_t l = 0; l < t->nlinks; l++) {
		c->adj_start[t->links[l].a.idx + 1]++;
		c->adj_start[t->links[l].b.idx + 1]++;
	}
	for (int n = 0; n < nn; n++)
		c->adj_start[n + 1] += c->adj_start[n];
	int *fill = malloc(((size_t)nn + 1) * sizeof(int));
	if (!fill)
		return -ENOMEM;
	memcpy(fill, c->adj_start, ((size_t)nn + 1) * sizeof(int));
	for (size_t l = 0; l < t->nlinks; l++) {
		c->adj[fill[t->links[l].a.idx]++] = (int)l;
		c->adj[fill[t->links[l].b.idx]++] = (int)l;
	}
	free(fill);
	return 0;
}

/* BFS from a device over the link tree; prev[n] = link toward the device (-1 the device,
 * -2 unreached). Traffic never passes through a host or another device: only switches
 * forward. */
static void bfs(struct vhctx *c, int src, int *prev, int *queue)
{
	const struct topo *t = c->t;
	int nn = topo_nnodes(t), head = 0, tail = 0;

	for (int i = 0; i < nn; i++)
		prev[i] = -2;
	prev[src] = -1;
	queue[tail++] = src;
	while (head < tail) {
		int n = queue[head++];
		if (n != src && topo_node_kind(t, n) != NODE_SWITCH)
			continue;
		for (int k = c->adj_start[n]; k < c->adj_start[n + 1]; k++) {
			int l = c->adj[k], m = topo_link_peer(t, l, n);
			if (prev[m] != -2)
				continue;
			prev[m] = l;
			queue[tail++] = m;
		}
	}
}

static void no_path(struct vhctx *c, int h, int dv)
{
	const struct topo *t = c->t;
	struct loc l = t->hosts[h].loc;
	bool found = false;

	for (size_t a = 0; !found && a < t->nassigns; a++)
		if ((found = t->assigns[a].host.idx == h && t->assigns[a].device.idx == dv))
			l = t->assigns[a].device.loc;
	for (size_t w = 0; !found && w < t->nworkloads; w++) /* a host on the PF alone (§11) */
		if ((found = t->workloads[w].host.idx == h && t->workloads[w].device.idx == dv))
			l = t->workloads[w].device.loc;
	diags_error(c->d, l, "device: no path from '%s' to '%s' through the links", t->hosts[h].name,
		    t->devices[dv].name);
}

/* The path of host h to device dv, read off the BFS rooted at the device. */
static int add_path(struct vhctx *c, int h, int dv, const int *prev)
{
	const struct topo *t = c->t;
	struct topo_vh *vh = &t->vhs[h];
	struct topo_path *p = &vh->paths[vh->npaths++];
	int len = 0, n = h;

	for (; prev[n] >= 0; n = topo_link_peer(t, prev[n], n))
		len++;
	p->device = dv;
	p->nhops = len;
	p->nodes = malloc((size_t)(len + 1) * sizeof(int));
	p->links = malloc((size_t)(len ? len : 1) * sizeof(int));
	if (!p->nodes || !p->links)
		return -ENOMEM;
	n = h;
	for (int i = 0; i < len; i++) {
		p->nodes[i] = n;
		p->links[i] = prev[n];
		n = topo_link_peer(t, prev[n], n);
	}
	p->nodes[len] = n;
	return 0;
}

static int build_paths(struct vhctx *c)
{
	struct topo *t = c->t;
	int nn = topo_nnodes(t), err = 0;
	int *prev = malloc((size_t)nn * sizeof(int)), *queue = malloc((size_t)nn * sizeof(int));

	if (!prev || !queue) {
		free(prev);
		free(queue);
		return -ENOMEM;
	}
	for (size_t h = 0; h < t->nhosts; h++) {
		t->vhs[h].paths = calloc(t->ndevices ? t->ndevices : 1, sizeof(struct topo_path));
		if (!t->vhs[h].paths) {
			err = -ENOMEM;
			goto out;
		}
	}
	/* one BFS per device, in device order, so each VH's paths come in device order */
	for (size_t dv = 0; dv < t->ndevices; dv++) {
		int searched = 0;
		for (size_t h = 0; h < t->nhosts; h++) {
			if (!t->vf_count[dv * t->nhosts + h] &&
			    !(t->pf_only && t->pf_only[dv * t->nhosts + h]))
				continue; /* h's VH holds neither VFs nor the PF of dv */
			if (!searched) {
				bfs(c, topo_node_of_device(t, (int)dv), prev, queue);
				searched = 1;
			}
			if (prev[h] == -2) {
				no_path(c, (int)h, (int)dv);
				err = -EINVAL;
			} else if (add_path(c, (int)h, (int)dv, prev)) {
				err = -ENOMEM;
				goto out;
			}
		}
	}
out:
	free(prev);
	free(queue);
	return err;
}

/* Which VHs each link carries (ascending), and so which links are MR-Links. */
static int mark_links(struct vhctx *c)
{
	struct topo *t = c->t;

	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t l = 0; l < t->nlinks; l++)
			c->used[l] = 0;
		for (size_t h = 0; h < t->nhosts; h++) {
			const struct topo_vh *vh = &t->vhs[h];
			for (int i = 0; i < vh->npaths; i++)
				for (int k = 0; k < vh->paths[i].nhops; k++) {
					int l = vh->paths[i].links[k];
					struct topo_link *lk = &t->links[l];
					if (c->used[l] == vh->id)
						continue;
					c->used[l] = vh->id;
					if (pass == 0)
						lk->nvhs++;
					else
						lk->vhs[lk->nvhs++] = vh->id;
				}
		}
		for (size_t l = 0; pass == 0 && l < t->nlinks; l++) {
			t->links[l].vhs = malloc(((size_t)t->links[l].nvhs + 1) * sizeof(int));
			if (!t->links[l].vhs)
				return -ENOMEM;
			t->links[l].nvhs = 0;
		}
	}
	for (size_t l = 0; l < t->nlinks; l++)
		t->links[l].mr_link = t->links[l].nvhs > 1;
	return 0;
}

/*
 * Depth-first bus numbering of one VH, as enumeration software would do it: the root port's
 * secondary bus is 1; a virtual switch takes its upstream link's bus for its vUSP, the next
 * bus for its internal bus and one secondary bus per downstream virtual port; a device's
 * functions sit on its link's bus (ARI: PF at function 0, VF n at function n, i.e. First VF
 * Offset 1 and VF Stride 1) and take further buses when its functions pass 255.
 * c->used marks this VH's links.
 */
static int number_buses(struct vhctx *c, struct topo_vh *vh, int node, int in_link, int bus,
			int *next)
{
	struct topo *t = c->t;

	if (*next > 255 || bus > 255) {
		diags_error(c->d, t->hosts[vh->host].loc, "VH %d of '%s' needs more than 256 PCI "
			    "buses", vh->id, t->hosts[vh->host].name);
		return -EINVAL;
	}
	if (topo_node_kind(t, node) == NODE_DEVICE) {
		int dv = topo_node_index(t, node);
		uint64_t funcs = 1 + t->vf_count[(size_t)dv * t->nhosts + (size_t)vh->host];
		for (int i = 0; i < vh->npaths; i++)
			if (vh->paths[i].device == dv)
				vh->paths[i].bus = bus;
		*next += (int)((funcs - 1) / 256); /* VFs past function 255 spill onto next buses */
		if (*next > 256) {
			diags_error(c->d, t->devices[dv].loc, "VH %d: the functions of '%s' need more "
				    "PCI buses than remain", vh->id, t->devices[dv].name);
			return -EINVAL;
		}
		return 0;
	}
	/* a switch: its virtual switch for this VH */
	struct topo_vswitch *vs = &vh->vswitches[vh->nvswitches++];
	int ports = c->adj_start[node + 1] - c->adj_start[node], err;
	vs->sw = topo_node_index(t, node);
	vs->vh = vh->id;
	vs->up_link = in_link;
	vs->up_bus = bus;
	vs->internal_bus = (*next)++;
	vs->down_links = malloc((size_t)ports * sizeof(int));
	vs->down_secondary = malloc((size_t)ports * sizeof(int));
	vs->down_subordinate = malloc((size_t)ports * sizeof(int));
	if (!vs->down_links || !vs->down_secondary || !vs->down_subordinate)
		return -ENOMEM;
	for (int k = c->adj_start[node]; k < c->adj_start[node + 1]; k++) {
		int l = c->adj[k];
		if (l == in_link || c->used[l] != vh->id)
			continue;
		int i = vs->ndown++;
		vs->down_links[i] = l;
		vs->down_secondary[i] = (*next)++;
		err = number_buses(c, vh, topo_link_peer(t, l, node), l, vs->down_secondary[i], next);
		if (err)
			return err;
		vs->down_subordinate[i] = *next - 1;
	}
	vs->subordinate = *next - 1;
	return 0;
}

static int number_all(struct vhctx *c)
{
	struct topo *t = c->t;

	for (size_t l = 0; l < t->nlinks; l++)
		c->used[l] = 0;
	for (size_t h = 0; h < t->nhosts; h++) {
		struct topo_vh *vh = &t->vhs[h];
		int next = 2, link = t->hosts[h].link, err, nsw = 0;
		if (!vh->npaths)
			continue;
		for (int i = 0; i < vh->npaths; i++)
			for (int k = 0; k < vh->paths[i].nhops; k++) {
				c->used[vh->paths[i].links[k]] = vh->id;
				nsw += topo_node_kind(t, vh->paths[i].nodes[k + 1]) == NODE_SWITCH;
			}
		vh->vswitches = calloc((size_t)nsw + 1, sizeof(*vh->vswitches));
		if (!vh->vswitches)
			return -ENOMEM;
		err = number_buses(c, vh, topo_link_peer(t, link, (int)h), link, 1, &next);
		if (err)
			return err;
	}
	return 0;
}

int vh_build(struct topo *t, struct diags *d)
{
	struct vhctx c = {t, d, NULL, NULL, NULL};
	int err;

	t->vhs = calloc(t->nhosts ? t->nhosts : 1, sizeof(*t->vhs));
	c.used = calloc(t->nlinks + 1, sizeof(int));
	if (!t->vhs || !c.used) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t h = 0; h < t->nhosts; h++) {
		t->vhs[h].id = (int)h + 1;
		t->vhs[h].host = (int)h;
		t->hosts[h].vh = (int)h + 1;
	}
	if ((err = build_adjacency(&c)) || (err = build_paths(&c)) ||
	    (err = mark_links(&c)))
		goto out;
	err = number_all(&c);
out:
	free(c.adj_start);
	free(c.adj);
	free(c.used);
	return err;
}
