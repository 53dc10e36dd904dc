/* validate.c - the rules of contract §1 that span several keys: names, references, the link
 * tree, VF assignment and workloads. Value ranges are checked while loading (loader.c). */
#include "topo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_word(enum topo_node_kind k)
{
	return k == NODE_HOST ? "host" : k == NODE_SWITCH ? "switch" : "device";
}

static struct loc node_loc(const struct topo *t, int n)
{
	int i = topo_node_index(t, n);

	switch (topo_node_kind(t, n)) {
	case NODE_HOST: return t->hosts[i].loc;
	case NODE_SWITCH: return t->switches[i].loc;
	default: return t->devices[i].loc;
	}
}

static int check_unique_names(struct topo *t, struct diags *d)
{
	int err = 0;

	for (int n = 0; n < topo_nnodes(t); n++) {
		const char *s = topo_node_name(t, n);
		for (int m = 0; s && m < n; m++) {
			if (strcmp(s, topo_node_name(t, m)) == 0) {
				diags_error(d, node_loc(t, n), "name '%s' is already used by the %s at "
					    "line %d", s, kind_word(topo_node_kind(t, m)),
					    node_loc(t, m).line);
				err = -EINVAL;
				break;
			}
		}
	}
	for (size_t i = 0; i < t->nlinks; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->links[i].name, t->links[j].name) == 0) {
				diags_error(d, t->links[i].name_loc, "link name '%s' is already used "
					    "by the link at line %d", t->links[i].name,
					    t->links[j].loc.line);
				err = -EINVAL;
				break;
			}
	for (size_t i = 0; i < t->nworkloads; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->workloads[i].name, t->workloads[j].name) == 0) {
				diags_error(d, t->workloads[i].loc, "workload name '%s' is already used "
					    "by the workload at line %d", t->workloads[i].name,
					    t->workloads[j].loc.line);
				err = -EINVAL;
				break;
			}
	return err;
}

/* Resolve r against the nodes of one kind (or any kind when kind < 0). */
static int resolve(const struct topo *t, struct topo_ref *r, int kind, const char *key,
		   struct diags *d)
{
	int n = topo_find_node(t, r->name);

	if (n < 0) {
		diags_error(d, r->loc, "%s: no %s named '%s'", key,
			    kind < 0 ? "host, switch or device" : kind_word(kind), r->name);
		return -EINVAL;
	}
	if (kind >= 0 && (int)topo_node_kind(t, n) != kind) {
		diags_error(d, r->loc, "%s: '%s' is a %s, not a %s", key, r->name,
			    kind_word(topo_node_kind(t, n)), kind_word(kind));
		return -EINVAL;
	}
	r->idx = kind >= 0 ? topo_node_index(t, n) : n;
	return 0;
}

static int resolve_arb(const struct topo *t, struct topo_arb *a, struct diags *d)
{
	int err = 0;

	a->host_weight = calloc(t->nhosts ? t->nhosts : 1, sizeof(*a->host_weight));
	a->host_order = calloc(t->nhosts ? t->nhosts : 1, sizeof(*a->host_order));
	if (!a->host_weight || !a->host_order)
		return -ENOMEM;
	for (size_t h = 0; h < t->nhosts; h++)
		a->host_weight[h] = 1;
	for (size_t i = 0; i < a->nweights; i++) {
		struct topo_weight *w = &a->weights[i];
		if (resolve(t, &w->host, NODE_HOST, "weights", d)) {
			err = -EINVAL;
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (a->weights[j].host.idx == w->host.idx) {
				diags_error(d, w->host.loc, "weights: '%s' is given twice", w->host.name);
				err = -EINVAL;
			}
		a->host_weight[w->host.idx] = w->weight;
	}
	/* strict: listed hosts first, in list order; unnamed hosts follow in file order */
	size_t k = 0;
	for (size_t i = 0; i < a->npriority; i++) {
		struct topo_ref *r = &a->priority[i];
		int dup = 0;
		if (resolve(t, r, NODE_HOST, "priority", d)) {
			err = -EINVAL;
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (a->priority[j].idx == r->idx)
				dup = 1;
		if (dup) {
			diags_error(d, r->loc, "priority: '%s' is listed twice", r->name);
			err = -EINVAL;
			continue;
		}
		a->host_order[k++] = r->idx;
	}
	for (size_t h = 0; h < t->nhosts && !err; h++) {
		int listed = 0;
		for (size_t j = 0; j < k; j++)
			if (a->host_order[j] == (int)h)
				listed = 1;
		if (!listed)
			a->host_order[k++] = (int)h;
	}
	return err;
}

/* Union-find over nodes, to find the link that closes a cycle. */
static int uf_find(int *p, int x)
{
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

/* Path of links from a to b in the forest built so far (BFS over accepted links). */
static int forest_path(const struct topo *t, const char *accepted, int a, int b, int *out)
{
	int nn = topo_nnodes(t), head = 0, tail = 0, len = 0;
	int *prev_link = malloc((size_t)nn * sizeof(int)), *queue = malloc((size_t)nn * sizeof(int));

	if (!prev_link || !queue) {
		free(prev_link);
		free(queue);
		return -1;
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

static int check_links(struct topo *t, struct diags *d)
{
	int nn = topo_nnodes(t), err = 0;
	int *parent = malloc((size_t)(nn ? nn : 1) * sizeof(int));
	int *cyc = malloc((t->nlinks + 1) * sizeof(int));
	char *accepted = calloc(t->nlinks + 1, 1);

	if (!parent || !cyc || !accepted) {
		free(parent);
		free(cyc);
		free(accepted);
		return -ENOMEM;
	}
	for (int i = 0; i < nn; i++)
		parent[i] = i;
	for (size_t i = 0; i < t->nlinks; i++) {
		struct topo_link *l = &t->links[i];
		int ea = resolve(t, &l->a, -1, "a", d), eb = resolve(t, &l->b, -1, "b", d);
		if (ea || eb) {
			err = -EINVAL;
			continue;
		}
		if (l->a.idx == l->b.idx) {
			diags_error(d, l->b.loc, "b: link '%s' joins '%s' to itself", l->name, l->b.name);
			err = -EINVAL;
			continue;
		}
		if (topo_node_kind(t, l->a.idx) != NODE_SWITCH &&
		    topo_node_kind(t, l->b.idx) != NODE_SWITCH &&
		    topo_node_kind(t, l->a.idx) == topo_node_kind(t, l->b.idx)) {
			diags_error(d, l->loc, "link '%s' joins two %ss; %ss connect to switches or "
				    "to the other kind", l->name, kind_word(topo_node_kind(t, l->a.idx)),
				    kind_word(topo_node_kind(t, l->a.idx)));
			err = -EINVAL;
			continue;
		}
		for (int side = 0; side < 2; side++) {
			int n = side ? l->b.idx : l->a.idx;
			int k = topo_node_index(t, n);
			if (topo_node_kind(t, n) == NODE_HOST) {
				if (t->hosts[k].link >= 0) {
					diags_error(d, l->loc, "host '%s' has a second link ('%s' after "
						    "'%s'); a host has exactly one link into the fabric",
						    t->hosts[k].name, l->name,
						    t->links[t->hosts[k].link].name);
					err = -EINVAL;
				} else {
					t->hosts[k].link = (int)i;
				}
			} else if (topo_node_kind(t, n) == NODE_DEVICE) {
				if (t->devices[k].link >= 0) {
					diags_error(d, l->loc, "device '%s' has a second link ('%s' after "
						    "'%s'); a device has one link toward the hosts",
						    t->devices[k].name, l->name,
						    t->links[t->devices[k].link].name);
					err = -EINVAL;
				} else {
					t->devices[k].link = (int)i;
				}
			}
		}
		int ra = uf_find(parent, l->a.idx), rb = uf_find(parent, l->b.idx);
		if (ra == rb) {
			int n = forest_path(t, accepted, l->a.idx, l->b.idx, cyc);
			char buf[512];
			size_t used = 0;
			for (int j = n - 1; j >= 0 && used < sizeof(buf) - 64; j--)
				used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s, ",
							 t->links[cyc[j]].name);
			snprintf(buf + used, sizeof(buf) - used, "%s", l->name);
			diags_error(d, l->loc, "links form a cycle: %s", buf);
			err = -EINVAL;
			continue;
		}
		parent[ra] = rb;
		accepted[i] = 1;
	}
	for (size_t h = 0; h < t->nhosts; h++)
		if (t->hosts[h].link < 0 && !err) {
			diags_error(d, t->hosts[h].loc, "host '%s' has no link into the fabric",
				    t->hosts[h].name);
			err = -EINVAL;
		}
	free(parent);
	free(cyc);
	free(accepted);
	return err;
}

static int check_run(struct topo *t, struct diags *d)
{
	int err = 0;

	if (t->run.warmup >= t->run.duration) {
		diags_error(d, t->run.warmup_loc.line ? t->run.warmup_loc : (struct loc){t->file, 1, 1},
			    "warmup: must be shorter than the duration (%g s)", t->run.duration);
		err = -EINVAL;
	}
	if (t->run.bin > t->run.duration - t->run.warmup) {
		diags_error(d, (struct loc){t->file, 1, 1}, "run.bin: longer than the measured window");
		err = -EINVAL;
	}
	return err;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Explicit lists first, so that "the lowest free indices" of a count never steal an index
 * that a later entry names explicitly. */
static int assign_vfs(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t i = 0; i < t->ndevices; i++) {
		struct topo_device *dev = &t->devices[i];
		dev->vf_host = malloc(dev->total_vfs * sizeof(int));
		if (!dev->vf_host)
			return -ENOMEM;
		for (uint64_t v = 0; v < dev->total_vfs; v++)
			dev->vf_host[v] = -1;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < t->nassigns; i++) {
			struct topo_assign *a = &t->assigns[i];
			struct topo_device *dev;
			if (a->host.idx < 0 || a->device.idx < 0 || a->explicit_list != (pass == 0))
				continue;
			dev = &t->devices[a->device.idx];
			if (pass == 0) {
				for (size_t k = 0; k < a->nvfs; k++) {
					uint64_t v = a->vfs[k];
					if (v >= dev->total_vfs) {
						diags_error(d, a->vf_locs[k], "vfs: VF %llu does not exist: "
							    "'%s' has total_vfs %llu (indices 0 to %llu)",
							    (unsigned long long)v, dev->name,
							    (unsigned long long)dev->total_vfs,
							    (unsigned long long)dev->total_vfs - 1);
						err = -EINVAL;
					} else if (dev->vf_host[v] >= 0) {
						diags_error(d, a->vf_locs[k], "vfs: VF %llu of '%s' is already "
							    "assigned to '%s'", (unsigned long long)v,
							    dev->name, t->hosts[dev->vf_host[v]].name);
						err = -EINVAL;
					} else {
						dev->vf_host[v] = a->host.idx;
					}
				}
				qsort(a->vfs, a->nvfs, sizeof(*a->vfs), cmp_u64);
				continue;
			}
			a->vfs = calloc(a->count, sizeof(*a->vfs));
			if (!a->vfs)
				return -ENOMEM;
			for (uint64_t v = 0; v < dev->total_vfs && a->nvfs < a->count; v++)
				if (dev->vf_host[v] < 0) {
					dev->vf_host[v] = a->host.idx;
					a->vfs[a->nvfs++] = v;
				}
			if (a->nvfs < a->count) {
				diags_error(d, a->count_loc, "vfs: '%s' has only %zu free VFs left for "
					    "'%s' (total_vfs %llu)", dev->name, a->nvfs, a->host.name,
					    (unsigned long long)dev->total_vfs);
				err = -EINVAL;
			}
		}
	}
	return err;
}

static int check_assign(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t i = 0; i < t->nassigns; i++) {
		struct topo_assign *a = &t->assigns[i];
		if (resolve(t, &a->host, NODE_HOST, "host", d))
			err = -EINVAL;
		if (resolve(t, &a->device, NODE_DEVICE, "device", d))
			err = -EINVAL;
	}
	if (err)
		return err;
	err = assign_vfs(t, d);
	if (err == -ENOMEM)
		return err;
	/* max_vhs: count distinct hosts per device, in file order of their first assign */
	for (size_t i = 0; i < t->nassigns; i++) {
		struct topo_assign *a = &t->assigns[i];
		struct topo_device *dev = &t->devices[a->device.idx];
		size_t hosts = 0;
		int first = 1;
		for (size_t j = 0; j < i; j++)
			if (t->assigns[j].device.idx == a->device.idx &&
			    t->assigns[j].host.idx == a->host.idx)
				first = 0;
		if (!first)
			continue;
		for (size_t j = 0; j <= i; j++) {
			int newhost = t->assigns[j].device.idx == a->device.idx;
			for (size_t k = 0; k < j && newhost; k++)
				if (t->assigns[k].device.idx == a->device.idx &&
				    t->assigns[k].host.idx == t->assigns[j].host.idx)
					newhost = 0;
			hosts += (size_t)newhost;
		}
		if (hosts > dev->max_vhs) {
			diags_error(d, a->host.loc, "host: '%s' would be host %zu of '%s', which serves "
				    "at most %llu hosts (max_vhs)", a->host.name, hosts, dev->name,
				    (unsigned long long)dev->max_vhs);
			err = -EINVAL;
		}
	}
	return err;
}

/* Number of VFs host h owns on device dv. */
static uint64_t owned_vfs(const struct topo *t, int h, int dv)
{
	uint64_t n = 0;

	for (uint64_t v = 0; v < t->devices[dv].total_vfs; v++)
		n += t->devices[dv].vf_host[v] == h;
	return n;
}

static uint64_t pow2_at_least(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

static int check_workloads(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t i = 0; i < t->nworkloads; i++) {
		struct topo_workload *w = &t->workloads[i];
		int eh = resolve(t, &w->host, NODE_HOST, "host", d);
		int ed = resolve(t, &w->device, NODE_DEVICE, "device", d);
		uint64_t slot = pow2_at_least(w->size);

		if (!eh && !ed && t->devices[w->device.idx].vf_host) {
			uint64_t owned = owned_vfs(t, w->host.idx, w->device.idx);
			if (!owned) {
				diags_error(d, w->device.loc, "device: '%s' has no VFs on '%s'; a "
					    "workload runs only where its host owns VFs (see assign)",
					    w->host.name, w->device.name);
				err = -EINVAL;
			} else if (!w->vfs_all && w->vfs_n > owned) {
				diags_error(d, w->vfs_loc, "vfs: '%s' owns %llu VFs on '%s', not %llu",
					    w->host.name, (unsigned long long)owned, w->device.name,
					    (unsigned long long)w->vfs_n);
				err = -EINVAL;
			}
		} else if (eh || ed) {
			err = -EINVAL;
		}
		if (w->has_rate && w->has_outstanding) {
			struct loc l = w->rate_loc.line > w->outstanding_loc.line ? w->rate_loc
										  : w->outstanding_loc;
			diags_error(d, l, "workload '%s' gives both rate (open loop) and outstanding "
				    "(closed loop); give one", w->name);
			err = -EINVAL;
		} else if (!w->has_rate && !w->has_outstanding) {
			diags_error(d, w->loc, "workload '%s' needs rate (open loop) or outstanding "
				    "(closed loop)", w->name);
			err = -EINVAL;
		}
		if (w->arrival_given && w->has_outstanding && !w->has_rate) {
			diags_error(d, w->arrival_loc, "arrival: applies to open-loop workloads (rate) "
				    "only");
			err = -EINVAL;
		}
		if (w->footprint < slot) {
			diags_error(d, w->footprint_loc.line ? w->footprint_loc : w->loc,
				    "footprint: %llu B is smaller than one DMA slot of %llu B",
				    (unsigned long long)w->footprint, (unsigned long long)slot);
			err = -EINVAL;
		}
		if (w->stop != 0 && w->stop <= w->start) {
			diags_error(d, w->stop_loc, "stop: must be later than start");
			err = -EINVAL;
		}
		if (w->start >= t->run.duration) {
			diags_error(d, w->loc, "workload '%s' starts after the run ends", w->name);
			err = -EINVAL;
		}
	}
	return err;
}

int topo_validate(struct topo *t, struct diags *d)
{
	int err = check_unique_names(t, d);

	if (!err)
		err = check_links(t, d);
	if (check_run(t, d))
		err = -EINVAL;
	for (size_t i = 0; i < t->nswitches + t->ndevices; i++) {
		struct topo_arb *a = i < t->nswitches ? &t->switches[i].arb
						      : &t->devices[i - t->nswitches].arb;
		int e = resolve_arb(t, a, d);
		if (e == -ENOMEM)
			return e;
		if (e)
			err = e;
	}
	int ea = check_assign(t, d);
	if (ea == -ENOMEM)
		return ea;
	int ew = check_workloads(t, d);
	return err || ea || ew ? -EINVAL : 0;
}
