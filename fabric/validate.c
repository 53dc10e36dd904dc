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

/* "at line N" for a place in the file, "in --set N" for one on the command line (whose
 * LINE is the index of the --set argument). */
static const char *where(const struct topo *t, struct loc l, char *buf, size_t len)
{
	snprintf(buf, len, l.file == t->file ? "at line %d" : "in --set %d", l.line);
	return buf;
}

struct named {
	const char *name;
	size_t idx;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sort (name, index) pairs so that each repeated name follows its first use: O(n log n),
 * as a file may hold tens of thousands of names. Returns NULL when out of memory. */
static struct named *sorted_names(size_t n, const char *(*name)(const struct topo *, size_t),
				  const struct topo *t)
{
	struct named *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct named){name(t, i), i};
	qsort(v, n, sizeof(*v), cmp_named);
	return v;
}

static const char *node_name_at(const struct topo *t, size_t i)
{
	return topo_node_name(t, (int)i);
}

static const char *link_name_at(const struct topo *t, size_t i)
{
	return t->links[i].name;
}

static const char *workload_name_at(const struct topo *t, size_t i)
{
	return t->workloads[i].name;
}

/* Report every name used again: report(t, d, i, first) for item i repeating item first. */
static int find_repeats(struct topo *t, struct diags *d, size_t n,
			const char *(*name)(const struct topo *, size_t),
			void (*report)(struct topo *, struct diags *, size_t, size_t))
{
	struct named *v = sorted_names(n, name, t);
	int err = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcmp(v[i].name, v[first].name) != 0) {
			first = i;
			continue;
		}
		report(t, d, v[i].idx, v[first].idx);
		err = -EINVAL;
	}
	free(v);
	return err;
}

static void node_repeated(struct topo *t, struct diags *d, size_t n, size_t m)
{
	char buf[32];

	diags_error(d, node_loc(t, (int)n), "name '%s' is already used by the %s %s",
		    topo_node_name(t, (int)n), kind_word(topo_node_kind(t, (int)m)),
		    where(t, node_loc(t, (int)m), buf, sizeof(buf)));
}

static void link_repeated(struct topo *t, struct diags *d, size_t i, size_t first)
{
	char buf[32];

	diags_error(d, t->links[i].name_loc, "link name '%s' is already used by the link %s",
		    t->links[i].name, where(t, t->links[first].loc, buf, sizeof(buf)));
}

static void workload_repeated(struct topo *t, struct diags *d, size_t i, size_t first)
{
	char buf[32];

	diags_error(d, t->workloads[i].loc, "workload name '%s' is already used by the "
		    "workload %s", t->workloads[i].name,
		    where(t, t->workloads[first].loc, buf, sizeof(buf)));
}

static int check_unique_names(struct topo *t, struct diags *d)
{
	int e1 = find_repeats(t, d, (size_t)topo_nnodes(t), node_name_at, node_repeated);
	int e2 = find_repeats(t, d, t->nlinks, link_name_at, link_repeated);
	int e3 = find_repeats(t, d, t->nworkloads, workload_name_at, workload_repeated);

	if (e1 == -ENOMEM || e2 == -ENOMEM || e3 == -ENOMEM)
		return -ENOMEM;
	if (e1 || e2 || e3)
		return -EINVAL;
	return topo_index_names(t);
}

/* The node name closest to name, when it is a likely typo of it; else NULL. */
static const char *nearest_node(const struct topo *t, const char *name)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, name);
	for (int n = 0; n < topo_nnodes(t); n++)
		diag_suggest_offer(&sg, topo_node_name(t, n));
	return sg.best;
}

/* Resolve r against the nodes of one kind (or any kind when kind < 0: link ends, the one
 * place where a typo gets a suggestion, since any node may be meant). */
static int resolve(const struct topo *t, struct topo_ref *r, int kind, const char *key,
		   struct diags *d)
{
	int n = topo_find_node(t, r->name);

	if (n < 0 && kind < 0) {
		const char *near = nearest_node(t, r->name);
		if (near)
			diags_error(d, r->loc, "%s: no host, switch or device named '%s'; did you mean "
				    "'%s'?", key, r->name, near);
		else
			diags_error(d, r->loc, "%s: no host, switch or device named '%s'", key,
				    r->name);
		return -EINVAL;
	}
	if (n < 0) {
		diags_error(d, r->loc, "%s: no %s named '%s'", key, kind_word(kind), r->name);
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
	/* 0 marks "not named yet" (weights are at least 1); unnamed hosts weigh 1 */
	for (size_t i = 0; i < a->nweights; i++) {
		struct topo_weight *w = &a->weights[i];
		if (resolve(t, &w->host, NODE_HOST, "weights", d)) {
			err = -EINVAL;
			continue;
		}
		if (a->host_weight[w->host.idx]) {
			diags_error(d, w->host.loc, "weights: '%s' is given twice", w->host.name);
			err = -EINVAL;
		}
		a->host_weight[w->host.idx] = w->weight;
	}
	for (size_t h = 0; h < t->nhosts; h++)
		if (!a->host_weight[h])
			a->host_weight[h] = 1;
	/* strict: listed hosts first, in list order; unnamed hosts follow in file order */
	unsigned char *listed = calloc(t->nhosts + 1, 1);
	size_t k = 0;
	if (!listed)
		return -ENOMEM;
	for (size_t i = 0; i < a->npriority; i++) {
		struct topo_ref *r = &a->priority[i];
		if (resolve(t, r, NODE_HOST, "priority", d)) {
			err = -EINVAL;
			continue;
		}
		if (listed[r->idx]) {
			diags_error(d, r->loc, "priority: '%s' is listed twice", r->name);
			err = -EINVAL;
			continue;
		}
		listed[r->idx] = 1;
		a->host_order[k++] = r->idx;
	}
	for (size_t h = 0; h < t->nhosts && !err; h++)
		if (!listed[h])
			a->host_order[k++] = (int)h;
	free(listed);
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
	int nn = topo_nnodes(t), err = 0, skipped = 0;
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
			skipped = 1;
			continue;
		}
		if (l->a.idx == l->b.idx) {
			diags_error(d, l->b.loc, "b: link '%s' joins '%s' to itself", l->name, l->b.name);
			err = -EINVAL;
			skipped = 1;
			continue;
		}
		if (topo_node_kind(t, l->a.idx) != NODE_SWITCH &&
		    topo_node_kind(t, l->b.idx) != NODE_SWITCH &&
		    topo_node_kind(t, l->a.idx) == topo_node_kind(t, l->b.idx)) {
			diags_error(d, l->loc, "link '%s' joins two %ss; %ss connect to switches or "
				    "to the other kind", l->name, kind_word(topo_node_kind(t, l->a.idx)),
				    kind_word(topo_node_kind(t, l->a.idx)));
			err = -EINVAL;
			skipped = 1;
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
	/* A link rejected above may be the one meant for a host: no follow-on errors then. */
	for (size_t h = 0; h < t->nhosts && !skipped; h++)
		if (t->hosts[h].link < 0) {
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
	/* bin 0 means duration/100; with a bad warmup there is no window to compare with */
	if (t->run.bin > 0 && !err && t->run.bin > t->run.duration - t->run.warmup) {
		diags_error(d, t->run.bin_loc, "run.bin: longer than the measured window");
		err = -EINVAL;
	}
	return err;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* An explicit list of VF indices: each must exist, be free, and be named once. */
static int assign_listed(struct topo *t, struct topo_assign *a, struct diags *d)
{
	struct topo_device *dev = &t->devices[a->device.idx];
	int err = 0;

	for (size_t k = 0; k < a->nvfs; k++) {
		uint64_t v = a->vfs[k];
		size_t j = 0;
		while (j < k && a->vfs[j] != v)
			j++;
		if (v >= dev->total_vfs) {
			diags_error(d, a->vf_locs[k], "vfs: VF %llu does not exist: '%s' has total_vfs "
				    "%llu (indices 0 to %llu)", (unsigned long long)v, dev->name,
				    (unsigned long long)dev->total_vfs,
				    (unsigned long long)dev->total_vfs - 1);
			err = -EINVAL;
		} else if (j < k) {
			diags_error(d, a->vf_locs[k], "vfs: VF %llu of '%s' is listed twice",
				    (unsigned long long)v, dev->name);
			err = -EINVAL;
		} else if (dev->vf_host[v] >= 0) {
			diags_error(d, a->vf_locs[k], "vfs: VF %llu of '%s' is already assigned to '%s'",
				    (unsigned long long)v, dev->name, t->hosts[dev->vf_host[v]].name);
			err = -EINVAL;
		} else {
			dev->vf_host[v] = a->host.idx;
		}
	}
	qsort(a->vfs, a->nvfs, sizeof(*a->vfs), cmp_u64);
	return err;
}

/* A count: the lowest free indices. */
static int assign_count(struct topo *t, struct topo_assign *a, struct diags *d)
{
	struct topo_device *dev = &t->devices[a->device.idx];

	a->vfs = calloc(a->count, sizeof(*a->vfs));
	if (!a->vfs)
		return -ENOMEM;
	for (uint64_t v = 0; v < dev->total_vfs && a->nvfs < a->count; v++)
		if (dev->vf_host[v] < 0) {
			dev->vf_host[v] = a->host.idx;
			a->vfs[a->nvfs++] = v;
		}
	if (a->nvfs < a->count) {
		diags_error(d, a->count_loc, "vfs: '%s' has only %zu free VFs left for '%s' "
			    "(total_vfs %llu)", dev->name, a->nvfs, a->host.name,
			    (unsigned long long)dev->total_vfs);
		return -EINVAL;
	}
	return 0;
}

static int assign_resolved(const struct topo_assign *a)
{
	return a->host.idx >= 0 && a->device.idx >= 0;
}

/* Explicit lists first, so that "the lowest free indices" of a count never steal an index
 * that a later entry names explicitly. Entries whose host or device is unknown are skipped:
 * the others are still checked. */
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
			int e;
			if (!assign_resolved(a) || a->explicit_list != (pass == 0))
				continue;
			e = pass == 0 ? assign_listed(t, a, d) : assign_count(t, a, d);
			if (e == -ENOMEM)
				return e;
			if (e)
				err = e;
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
	int ev = assign_vfs(t, d);
	if (ev == -ENOMEM)
		return ev;
	/* max_vhs: reported at the first entry of each host beyond the limit, counting the
	 * distinct hosts of each device in file order of their first entry (one pass) */
	unsigned char *seen = calloc(t->ndevices * t->nhosts + 1, 1);
	size_t *nhosts_of = calloc(t->ndevices + 1, sizeof(*nhosts_of));
	if (!seen || !nhosts_of) {
		free(seen);
		free(nhosts_of);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->nassigns; i++) {
		struct topo_assign *a = &t->assigns[i];
		size_t key;
		if (!assign_resolved(a))
			continue;
		key = (size_t)a->device.idx * t->nhosts + (size_t)a->host.idx;
		if (seen[key])
			continue; /* not the first entry of this host on this device */
		seen[key] = 1;
		size_t hosts = ++nhosts_of[a->device.idx];
		struct topo_device *dev = &t->devices[a->device.idx];
		if (hosts > dev->max_vhs) {
			diags_error(d, a->host.loc, "host: '%s' would be host %zu of '%s', which serves "
				    "at most %llu hosts (max_vhs)", a->host.name, hosts, dev->name,
				    (unsigned long long)dev->max_vhs);
			err = -EINVAL;
		}
	}
	free(seen);
	free(nhosts_of);
	return err || ev ? -EINVAL : 0;
}

/* VFs per (device, host), counted once: [dv * nhosts + h]. NULL when out of memory. */
static uint64_t *count_owned(const struct topo *t)
{
	uint64_t *c = calloc(t->ndevices * t->nhosts + 1, sizeof(*c));

	for (size_t dv = 0; c && dv < t->ndevices; dv++)
		for (uint64_t v = 0; t->devices[dv].vf_host && v < t->devices[dv].total_vfs; v++)
			if (t->devices[dv].vf_host[v] >= 0)
				c[dv * t->nhosts + (size_t)t->devices[dv].vf_host[v]]++;
	return c;
}

static uint64_t pow2_at_least(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/* An assign entry that names an unknown host or device may be the one a workload relies on:
 * "has no VFs" would then be a follow-on error. */
static int all_assigns_resolved(const struct topo *t)
{
	for (size_t i = 0; i < t->nassigns; i++)
		if (!assign_resolved(&t->assigns[i]))
			return 0;
	return 1;
}

/* The later of two places, where "later" means given second: the command line (--set) comes
 * after the file, whatever the line numbers say. */
static struct loc loc_later(const struct topo *t, struct loc a, struct loc b)
{
	int a_file = a.file == t->file, b_file = b.file == t->file;

	if (a_file != b_file)
		return a_file ? b : a;
	if (a.line != b.line)
		return a.line > b.line ? a : b;
	return a.col > b.col ? a : b;
}

static int check_workloads(struct topo *t, struct diags *d)
{
	uint64_t *owned_n = count_owned(t);
	int err = 0;

	if (!owned_n)
		return -ENOMEM;
	for (size_t i = 0; i < t->nworkloads; i++) {
		struct topo_workload *w = &t->workloads[i];
		int eh = resolve(t, &w->host, NODE_HOST, "host", d);
		int ed = resolve(t, &w->device, NODE_DEVICE, "device", d);
		uint64_t slot = pow2_at_least(w->size);

		if (!eh && !ed && t->devices[w->device.idx].vf_host && all_assigns_resolved(t)) {
			uint64_t owned = owned_n[(size_t)w->device.idx * t->nhosts + (size_t)w->host.idx];
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
			struct loc l = loc_later(t, w->rate_loc, w->outstanding_loc);
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
			diags_error(d, w->start_loc.line ? w->start_loc : w->loc,
				    "workload '%s' starts after the run ends", w->name);
			err = -EINVAL;
		}
	}
	free(owned_n);
	return err;
}

/* The MR-IOV TLP prefix carries the VH in 8 bits and VH 0 is the manager's (domain.md
 * §1.3, §1.5): a chassis has at most 255 hosts. */
#define TOPO_MAX_HOSTS 255

int topo_validate(struct topo *t, struct diags *d)
{
	if (t->nhosts > TOPO_MAX_HOSTS) {
		diags_error(d, t->hosts[TOPO_MAX_HOSTS].loc, "hosts: at most %d hosts (VH 1 to %d: the "
			    "MR-IOV prefix carries the VH in 8 bits, VH 0 is management)",
			    TOPO_MAX_HOSTS, TOPO_MAX_HOSTS);
		return -EINVAL;
	}
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
