/* validate_assign.c - VF assignment (contract §1 assign: indices exist, are free and named
 * once; counts take the lowest free indices; max_vhs) and the workload rules that span keys
 * (the host owns VFs on the device, open or closed loop, footprint, start and stop). */
#include "validate.h"

#include <errno.h>
#include <stdlib.h>

#include "pow2.h"

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

/* t->vf_count: VFs per (device, host), [device * nhosts + host], counted once when the VFs
 * are given out, for the workload rules and for vh_build. 0 or -ENOMEM. */
static int count_vfs(struct topo *t)
{
	uint64_t *c = calloc(t->ndevices * t->nhosts + 1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	for (size_t dv = 0; dv < t->ndevices; dv++)
		for (uint64_t v = 0; t->devices[dv].vf_host && v < t->devices[dv].total_vfs; v++)
			if (t->devices[dv].vf_host[v] >= 0)
				c[dv * t->nhosts + (size_t)t->devices[dv].vf_host[v]]++;
	free(t->vf_count);
	t->vf_count = c;
	return 0;
}

int validate_assign(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t i = 0; i < t->nassigns; i++) {
		struct topo_assign *a = &t->assigns[i];
		if (validate_resolve(t, &a->host, NODE_HOST, "host", d))
			err = -EINVAL;
		if (validate_resolve(t, &a->device, NODE_DEVICE, "device", d))
			err = -EINVAL;
	}
	int ev = assign_vfs(t, d);
	if (ev == -ENOMEM || count_vfs(t))
		return -ENOMEM;
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

/* Does w take the vswitch path (§11: path: vswitch, or its host's ACLs) on a NIC? */
static bool takes_vswitch(const struct topo *t, const struct topo_workload *w)
{
	return topo_is_packets(w) && t->devices[w->device.idx].nic.present &&
	       (w->path == PATH_VSWITCH || t->hosts[w->host.idx].vswitch.acl);
}

/* Hosts device dv serves so far: those with VFs on it and those on its PF alone. */
static uint64_t hosts_of(const struct topo *t, size_t dv)
{
	uint64_t n = 0;

	for (size_t h = 0; h < t->nhosts; h++)
		n += t->vf_count[dv * t->nhosts + h] || t->pf_only[dv * t->nhosts + h];
	return n;
}

/* A host without VFs of w's NIC that runs w on the vswitch path: its VH takes the NIC for
 * the PF alone (§11), within max_vhs. A path: sriov workload there needs VFs. */
static int check_pf_only(struct topo *t, struct topo_workload *w, struct diags *d)
{
	size_t key = (size_t)w->device.idx * t->nhosts + (size_t)w->host.idx;
	const struct topo_device *dev = &t->devices[w->device.idx];

	if (!takes_vswitch(t, w)) {
		if (topo_is_packets(w) && dev->nic.present)
			diags_error(d, w->device.loc, "device: '%s' owns no VFs of '%s', which path: "
				    "sriov needs; assign VFs to it (see assign) or use path: vswitch",
				    w->host.name, w->device.name);
		else
			diags_error(d, w->device.loc, "device: '%s' has no VFs on '%s'; a workload "
				    "runs only where its host owns VFs (see assign)", w->host.name,
				    w->device.name);
		return -EINVAL;
	}
	if (t->pf_only[key])
		return 0;
	if (hosts_of(t, (size_t)w->device.idx) >= dev->max_vhs) {
		diags_error(d, w->host.loc, "host: '%s' would be host %llu of '%s', which serves "
			    "at most %llu hosts (max_vhs)", w->host.name,
			    (unsigned long long)hosts_of(t, (size_t)w->device.idx) + 1, dev->name,
			    (unsigned long long)dev->max_vhs);
		return -EINVAL;
	}
	t->pf_only[key] = 1;
	return 0;
}

/* The host of w owns VFs on its device, as many as w uses, or reaches it through its PF
 * (check_pf_only). resolved: all assign entries name known nodes (else "no VFs" may be a
 * follow-on error). */
static int check_workload_vfs(struct topo *t, struct topo_workload *w, int resolved,
			      struct diags *d)
{
	int eh = validate_resolve(t, &w->host, NODE_HOST, "host", d);
	int ed = validate_resolve(t, &w->device, NODE_DEVICE, "device", d);
	uint64_t owned;

	if (eh || ed)
		return -EINVAL;
	if (!t->devices[w->device.idx].vf_host || !resolved)
		return 0;
	owned = t->vf_count[(size_t)w->device.idx * t->nhosts + (size_t)w->host.idx];
	if (!owned && check_pf_only(t, w, d))
		return -EINVAL;
	if (!w->vfs_all && w->vfs_n > owned) {
		diags_error(d, w->vfs_loc, "vfs: '%s' owns %llu VFs on '%s', not %llu", w->host.name,
			    (unsigned long long)owned, w->device.name, (unsigned long long)w->vfs_n);
		return -EINVAL;
	}
	return 0;
}

/* Open or closed loop, footprint, start and stop. */
static int check_workload_shape(struct topo *t, struct topo_workload *w, struct diags *d)
{
	uint64_t slot = pow2_at_least(w->size);
	/* io workloads call their closed loop depth (contract §6) */
	const char *closed = topo_is_io(w) ? "depth" : "outstanding";
	struct loc ol = w->depth_loc.line ? w->depth_loc : w->outstanding_loc;
	int err = 0;

	if (w->has_rate && w->has_outstanding) {
		struct loc l = loc_later(t, w->rate_loc, ol);
		diags_error(d, l, "workload '%s' gives both rate (open loop) and %s "
			    "(closed loop); give one", w->name, closed);
		err = -EINVAL;
	} else if (!w->has_rate && !w->has_outstanding) {
		diags_error(d, w->loc, "workload '%s' needs rate (open loop) or %s "
			    "(closed loop)", w->name, closed);
		err = -EINVAL;
	}
	if (w->arrival_given && w->has_outstanding && !w->has_rate) {
		diags_error(d, w->arrival_loc, "arrival: applies to open-loop workloads (rate) only");
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
	return err;
}

int validate_workloads(struct topo *t, struct diags *d)
{
	int resolved = all_assigns_resolved(t), err = 0;

	free(t->pf_only);
	t->pf_only = calloc(t->ndevices * t->nhosts + 1, 1);
	if (!t->pf_only)
		return -ENOMEM;
	for (size_t i = 0; i < t->nworkloads; i++) {
		struct topo_workload *w = &t->workloads[i];
		if (check_workload_vfs(t, w, resolved, d)) {
			err = -EINVAL;
			continue;
		}
		if (validate_workload_kind(t, w, d) | check_workload_shape(t, w, d))
			err = -EINVAL;
	}
	return err;
}
