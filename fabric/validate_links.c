/* validate_links.c - the link rules of contract §1: each link joins two known, different
 * nodes that may be joined, a host has exactly one link and a device at most one, and the
 * links form a tree (a cycle is reported with the links on it). */
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Union-find over nodes, to find the link that closes a cycle. */
static int uf_find(int *p, int x)
{
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

/* The links from a to b in the forest of accepted links (BFS), written to out from b's end.
 * Returns their number, or -ENOMEM. */
static int forest_path(const struct topo *t, const char *accepted, int a, int b, int *out)
{
	int nn = topo_nnodes(t), head = 0, tail = 0, len = 0;
	int *prev_link = malloc((size_t)nn * sizeof(int)), *queue = malloc((size_t)nn * sizeof(int));

	if (!prev_link || !queue) {
		free(prev_link);
		free(queue);
		return -ENOMEM;
	}
	for (int i = 0; i < nn; i++)
		prev_link[i] = -2;
	prev_link[a] = -1;
	queue[tail++] = a;
	while (head < tail) {
		int n = queue[head++];
		for (size_t l = 0; l < t->nlinks; l++) {
			int m;
			if (!accepted[l] || (t->links[l].a.idx != n && t->links[l].b.idx != n))
				continue;
			m = topo_link_peer(t, (int)l, n);
			if (prev_link[m] != -2)
				continue;
			prev_link[m] = (int)l;
			queue[tail++] = m;
		}
	}
	for (int n = b; prev_link[n] >= 0; n = topo_link_peer(t, prev_link[n], n))
		out[len++] = prev_link[n];
	free(prev_link);
	free(queue);
	return len;
}

/* Both ends name known nodes, different ones, that a link may join: a switch, or a host
 * with a device. Returns 0 or -EINVAL after reporting. */
static int check_ends(struct topo *t, struct topo_link *l, struct diags *d)
{
	int ea = validate_resolve(t, &l->a, -1, "a", d), eb = validate_resolve(t, &l->b, -1, "b", d);
	enum topo_node_kind ka, kb;

	if (ea || eb)
		return -EINVAL;
	if (l->a.idx == l->b.idx) {
		diags_error(d, l->b.loc, "b: link '%s' joins '%s' to itself", l->name, l->b.name);
		return -EINVAL;
	}
	ka = topo_node_kind(t, l->a.idx);
	kb = topo_node_kind(t, l->b.idx);
	if (ka != NODE_SWITCH && kb != NODE_SWITCH && ka == kb) {
		diags_error(d, l->loc, "link '%s' joins two %ss; %ss connect to switches or to the "
			    "other kind", l->name, validate_kind_word(ka), validate_kind_word(ka));
		return -EINVAL;
	}
	return 0;
}

/* Record link i as the one link of the host or device at node n. -EINVAL after reporting
 * a second one. */
static int attach_end(struct topo *t, size_t i, int n, struct diags *d)
{
	const struct topo_link *l = &t->links[i];
	int k = topo_node_index(t, n);
	int *own;
	const char *name, *rule;

	switch (topo_node_kind(t, n)) {
	case NODE_HOST:
		own = &t->hosts[k].link;
		name = t->hosts[k].name;
		rule = "a host has exactly one link into the fabric";
		break;
	case NODE_DEVICE:
		own = &t->devices[k].link;
		name = t->devices[k].name;
		rule = "a device has one link toward the hosts";
		break;
	default:
		return 0; /* a switch has as many ports as it has links */
	}
	if (*own >= 0) {
		diags_error(d, l->loc, "%s '%s' has a second link ('%s' after '%s'); %s",
			    validate_kind_word(topo_node_kind(t, n)), name, l->name,
			    t->links[*own].name, rule);
		return -EINVAL;
	}
	*own = (int)i;
	return 0;
}

/* Link i closes a cycle: name the links on it, from a's side to l itself. 0 or -ENOMEM. */
static int report_cycle(struct topo *t, size_t i, const char *accepted, int *path,
			struct diags *d)
{
	const struct topo_link *l = &t->links[i];
	int n = forest_path(t, accepted, l->a.idx, l->b.idx, path);
	char buf[512];
	size_t used = 0;

	if (n < 0)
		return n;
	for (int j = n - 1; j >= 0 && used < sizeof(buf) - 64; j--)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s, ",
					 t->links[path[j]].name);
	snprintf(buf + used, sizeof(buf) - used, "%s", l->name);
	diags_error(d, l->loc, "links form a cycle: %s", buf);
	return 0;
}

/* Every host has its link, unless a link was rejected (it may be the one meant for it). */
static int check_hosts_linked(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t h = 0; h < t->nhosts; h++)
		if (t->hosts[h].link < 0) {
			diags_error(d, t->hosts[h].loc, "host '%s' has no link into the fabric",
				    t->hosts[h].name);
			err = -EINVAL;
		}
	return err;
}

int validate_links(struct topo *t, struct diags *d)
{
	int nn = topo_nnodes(t), err = 0, skipped = 0;
	int *parent = malloc((size_t)(nn ? nn : 1) * sizeof(int));
	int *path = malloc((t->nlinks + 1) * sizeof(int));
	char *accepted = calloc(t->nlinks + 1, 1);

	if (!parent || !path || !accepted) {
		err = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < nn; i++)
		parent[i] = i;
	for (size_t i = 0; i < t->nlinks; i++) {
		struct topo_link *l = &t->links[i];
		if (check_ends(t, l, d)) {
			err = -EINVAL;
			skipped = 1;
			continue;
		}
		if (attach_end(t, i, l->a.idx, d) | attach_end(t, i, l->b.idx, d))
			err = -EINVAL;
		int ra = uf_find(parent, l->a.idx), rb = uf_find(parent, l->b.idx);
		if (ra == rb) {
			if (report_cycle(t, i, accepted, path, d)) {
				err = -ENOMEM;
				goto out;
			}
			err = -EINVAL;
			continue;
		}
		parent[ra] = rb;
		accepted[i] = 1;
	}
	if (!skipped && check_hosts_linked(t, d))
		err = -EINVAL;
out:
	free(parent);
	free(path);
	free(accepted);
	return err;
}
