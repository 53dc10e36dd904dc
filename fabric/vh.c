/* vh.c - virtual hierarchies: each host's paths to its devices, the virtual switch it
 * occupies in every switch on them, PCI bus numbers per VH, and which links are MR-Links. */
#include "topo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* BFS from node src over the link tree; prev[n] = link used to reach n (-1 src, -2 unseen). */
static int bfs(const struct topo *t, int src, int *prev)
{
	int nn = topo_nnodes(t), head = 0, tail = 0;
	int *queue = malloc((size_t)nn * sizeof(int));

	if (!queue)
		return -ENOMEM;
	for (int i = 0; i < nn; i++)
		prev[i] = -2;
	prev[src] = -1;
	queue[tail++] = src;
	while (head < tail) {
		int n = queue[head++];
		/* traffic never passes through a host or a device: only switches forward */
		if (n != src && topo_node_kind(t, n) != NODE_SWITCH)
			continue;
		for (size_t l = 0; l < t->nlinks; l++) {
			const struct topo_link *k = &t->links[l];
			int m;
			if (k->a.idx != n && k->b.idx != n)
				continue;
			m = topo_link_peer(t, (int)l, n);
			if (prev[m] != -2)
				continue;
			prev[m] = (int)l;
			queue[tail++] = m;
		}
	}
	free(queue);
	return 0;
}

static int has_vfs(const struct topo *t, int h, int dv)
{
	const struct topo_device *d = &t->devices[dv];

	for (uint64_t v = 0; v < d->total_vfs; v++)
		if (d->vf_host[v] == h)
			return 1;
	return 0;
}

static int count_vfs(const struct topo *t, int h, int dv)
{
	int n = 0;

	for (uint64_t v = 0; v < t->devices[dv].total_vfs; v++)
		n += t->devices[dv].vf_host[v] == h;
	return n;
}

static int build_paths(struct topo *t, struct topo_vh *vh, int *prev, struct diags *d)
{
	int h = vh->host, err = 0;

	vh->paths = calloc(t->ndevices ? t->ndevices : 1, sizeof(*vh->paths));
	if (!vh->paths)
		return -ENOMEM;
	for (size_t dv = 0; dv < t->ndevices; dv++) {
		int node = topo_node_of_device(t, (int)dv), len = 0;
		struct topo_path *p;
		if (!has_vfs(t, h, (int)dv))
			continue;
		if (prev[node] == -2) {
			struct loc l = t->hosts[h].loc;
			for (size_t a = 0; a < t->nassigns; a++)
				if (t->assigns[a].host.idx == h && t->assigns[a].device.idx == (int)dv) {
					l = t->assigns[a].device.loc;
					break;
				}
			diags_error(d, l, "device: no path from '%s' to '%s' through the links",
				    t->hosts[h].name, t->devices[dv].name);
			err = -EINVAL;
			continue;
		}
		for (int n = node; prev[n] >= 0; n = topo_link_peer(t, prev[n], n))
			len++;
		p = &vh->paths[vh->npaths++];
		p->device = (int)dv;
		p->nhops = len;
		p->nodes = malloc((size_t)(len + 1) * sizeof(int));
		p->links = malloc((size_t)(len ? len : 1) * sizeof(int));
		if (!p->nodes || !p->links)
			return -ENOMEM;
		for (int n = node, i = len; i >= 0; i--) {
			p->nodes[i] = n;
			if (i > 0) {
				p->links[i - 1] = prev[n];
				n = topo_link_peer(t, prev[n], n);
			}
		}
	}
	return err;
}

/* Does VH vh use link l (on any of its paths)? */
static int vh_uses_link(const struct topo_vh *vh, int l)
{
	for (int i = 0; i < vh->npaths; i++)
		for (int k = 0; k < vh->paths[i].nhops; k++)
			if (vh->paths[i].links[k] == l)
				return 1;
	return 0;
}

/*
 * Depth-first bus numbering of one VH, as enumeration software would do it: the root port's
 * secondary bus is 1; a virtual switch takes its upstream link's bus for its vUSP, the next
 * bus for its internal bus and one secondary bus per downstream virtual port; a device's
 * functions sit on its link's bus (ARI: PF at function 0, VF n at function n, i.e. First VF
 * Offset 1 and VF Stride 1) and take further buses when its functions pass 255.
 */
static int number_buses(struct topo *t, struct topo_vh *vh, int node, int in_link, int bus,
			int *next, struct diags *d)
{
	if (*next > 255 || bus > 255) {
		diags_error(d, t->hosts[vh->host].loc, "VH %d of '%s' needs more than 256 PCI buses",
			    vh->id, t->hosts[vh->host].name);
		return -EINVAL;
	}
	if (topo_node_kind(t, node) == NODE_DEVICE) {
		int dv = topo_node_index(t, node);
		int funcs = 1 + count_vfs(t, vh->host, dv);
		for (int i = 0; i < vh->npaths; i++)
			if (vh->paths[i].device == dv)
				vh->paths[i].bus = bus;
		*next += (funcs - 1) / 256; /* VFs past function 255 spill onto the next buses */
		if (*next > 256) {
			diags_error(d, t->devices[dv].loc, "VH %d: the functions of '%s' need more "
				    "PCI buses than remain", vh->id, t->devices[dv].name);
			return -EINVAL;
		}
		return 0;
	}
	/* a switch: create its virtual switch for this VH */
	struct topo_vswitch *vs = &vh->vswitches[vh->nvswitches++];
	int sw = topo_node_index(t, node), err;
	vs->sw = sw;
	vs->vh = vh->id;
	vs->up_link = in_link;
	vs->up_bus = bus;
	vs->internal_bus = (*next)++;
	vs->down_links = malloc(t->nlinks * sizeof(int));
	vs->down_secondary = malloc(t->nlinks * sizeof(int));
	vs->down_subordinate = malloc(t->nlinks * sizeof(int));
	if (!vs->down_links || !vs->down_secondary || !vs->down_subordinate)
		return -ENOMEM;
	for (size_t l = 0; l < t->nlinks; l++) {
		if ((int)l == in_link || (t->links[l].a.idx != node && t->links[l].b.idx != node) ||
		    !vh_uses_link(vh, (int)l))
			continue;
		int k = vs->ndown++;
		vs->down_links[k] = (int)l;
		vs->down_secondary[k] = (*next)++;
		err = number_buses(t, vh, topo_link_peer(t, (int)l, node), (int)l,
				   vs->down_secondary[k], next, d);
		if (err)
			return err;
		vs->down_subordinate[k] = *next - 1;
	}
	vs->subordinate = *next - 1;
	return 0;
}

int vh_build(struct topo *t, struct diags *d)
{
	int nn = topo_nnodes(t), err = 0;
	int *prev = malloc((size_t)(nn ? nn : 1) * sizeof(int));

	t->vhs = calloc(t->nhosts ? t->nhosts : 1, sizeof(*t->vhs));
	if (!prev || !t->vhs) {
		free(prev);
		return -ENOMEM;
	}
	for (size_t h = 0; h < t->nhosts; h++) {
		struct topo_vh *vh = &t->vhs[h];
		vh->id = (int)h + 1;
		vh->host = (int)h;
		t->hosts[h].vh = vh->id;
		if (bfs(t, (int)h, prev)) {
			free(prev);
			return -ENOMEM;
		}
		int e = build_paths(t, vh, prev, d);
		if (e == -ENOMEM) {
			free(prev);
			return e;
		}
		if (e)
			err = e;
	}
	free(prev);
	if (err)
		return err;
	for (size_t l = 0; l < t->nlinks; l++) {
		struct topo_link *k = &t->links[l];
		k->vhs = malloc((t->nhosts ? t->nhosts : 1) * sizeof(int));
		if (!k->vhs)
			return -ENOMEM;
		for (size_t h = 0; h < t->nhosts; h++)
			if (vh_uses_link(&t->vhs[h], (int)l))
				k->vhs[k->nvhs++] = (int)h + 1;
		k->mr_link = k->nvhs > 1;
	}
	for (size_t h = 0; h < t->nhosts; h++) {
		struct topo_vh *vh = &t->vhs[h];
		int next = 2, link = t->hosts[h].link;
		if (!vh->npaths)
			continue;
		vh->vswitches = calloc(t->nswitches ? t->nswitches : 1, sizeof(*vh->vswitches));
		if (!vh->vswitches)
			return -ENOMEM;
		err = number_buses(t, vh, topo_link_peer(t, link, (int)h), link, 1, &next, d);
		if (err)
			return err;
	}
	return 0;
}
