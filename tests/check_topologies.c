/* check_topologies.c - every chassis shipped in topologies/ loads without a diagnostic, its
 * derived structure (VHs, paths, MR-Links, virtual switches, functions, routing IDs) is
 * consistent, and each file has the shape its header comment describes. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define MAX_FILES 64

/* The files of topologies/, found once in main() so that a new file is covered without
 * editing this suite. */
static char *files[MAX_FILES];
static int nfiles;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_files(void)
{
	DIR *dir = opendir(tu_path("topologies"));
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir)) != NULL && nfiles < MAX_FILES) {
		if (e->d_name[0] == '.')
			continue;
		files[nfiles++] = strdup(e->d_name);
	}
	closedir(dir);
	qsort(files, (size_t)nfiles, sizeof(files[0]), cmp_str);
}

/* Load topologies/<name>; fails the test with the diagnostics when it does not load cleanly. */
static struct topo *load(const char *name, char *const *sets, size_t nsets)
{
	char rel[512], out[8192] = "";
	struct diags d;
	struct topo *t;

	snprintf(rel, sizeof(rel), "topologies/%s", name);
	diags_init(&d);
	t = topo_load_file(tu_path(rel), sets, nsets, &d);
	if (diags_count(&d)) {
		FILE *f = fmemopen(out, sizeof(out), "w");
		if (f) {
			diags_print(&d, f);
			fclose(f);
		}
	}
	ck_assert_msg(t != NULL && diags_count(&d) == 0, "%s does not load cleanly:\n%s", name,
		      out);
	diags_free(&d);
	return t;
}

/* ---- lookups by name; each fails the test when the name is missing ---- */

/* Index of a host, switch or device within its kind's array. */
static int idx_of(const struct topo *t, const char *name, enum topo_node_kind kind)
{
	int n = topo_find_node(t, name);

	ck_assert_msg(n >= 0 && topo_node_kind(t, n) == kind, "no %s named %s",
		      kind == NODE_HOST ? "host" : kind == NODE_SWITCH ? "switch" : "device", name);
	return topo_node_index(t, n);
}

static int host_idx(const struct topo *t, const char *name)
{
	return idx_of(t, name, NODE_HOST);
}

static int switch_idx(const struct topo *t, const char *name)
{
	return idx_of(t, name, NODE_SWITCH);
}

static int device_idx(const struct topo *t, const char *name)
{
	return idx_of(t, name, NODE_DEVICE);
}

static const struct topo_link *link_named(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->nlinks; i++)
		if (strcmp(t->links[i].name, name) == 0)
			return &t->links[i];
	ck_abort_msg("no link %s", name);
	return NULL;
}

static int link_idx(const struct topo *t, const char *name)
{
	return (int)(link_named(t, name) - t->links);
}

static const struct topo_function *function_named(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->nfunctions; i++)
		if (strcmp(t->functions[i].name, name) == 0)
			return &t->functions[i];
	ck_abort_msg("no function %s", name);
	return NULL;
}

static const struct topo_path *path_of(const struct topo *t, const char *host, const char *dev)
{
	const struct topo_vh *vh = &t->vhs[host_idx(t, host)];
	int d = device_idx(t, dev);

	for (int i = 0; i < vh->npaths; i++)
		if (vh->paths[i].device == d)
			return &vh->paths[i];
	ck_abort_msg("%s has no path to %s", host, dev);
	return NULL;
}

static const struct topo_vswitch *vswitch_of(const struct topo *t, const char *host,
					     const char *sw)
{
	const struct topo_vh *vh = &t->vhs[host_idx(t, host)];
	int s = switch_idx(t, sw);

	for (int i = 0; i < vh->nvswitches; i++)
		if (vh->vswitches[i].sw == s)
			return &vh->vswitches[i];
	ck_abort_msg("%s has no virtual switch in %s", host, sw);
	return NULL;
}

static size_t count_mr_links(const struct topo *t)
{
	size_t n = 0;

	for (size_t l = 0; l < t->nlinks; l++)
		n += t->links[l].mr_link;
	return n;
}

static int vh_uses(const struct topo_vh *vh, int l)
{
	for (int p = 0; p < vh->npaths; p++)
		for (int k = 0; k < vh->paths[p].nhops; k++)
			if (vh->paths[p].links[k] == l)
				return 1;
	return 0;
}

/* ---- structural facts that hold for every valid chassis ---- */

static void check_vhs_and_host_links(const struct topo *t, const char *f)
{
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		int l = t->hosts[h].link;
		ck_assert_msg(vh->id == (int)h + 1 && vh->host == (int)h && t->hosts[h].vh == vh->id,
			      "%s: host %zu does not own VH %zu", f, h, h + 1);
		ck_assert_msg(l >= 0 && (size_t)l < t->nlinks, "%s: host %s has no link", f,
			      t->hosts[h].name);
		ck_assert_msg(t->links[l].a.idx == (int)h || t->links[l].b.idx == (int)h,
			      "%s: link %s of host %s does not end at it", f, t->links[l].name,
			      t->hosts[h].name);
		/* a host's own link carries its VH only, so it is never an MR-Link */
		ck_assert_msg(!t->links[l].mr_link && t->links[l].nvhs <= 1,
			      "%s: host link %s carries %d VHs", f, t->links[l].name,
			      t->links[l].nvhs);
	}
}

static void check_paths(const struct topo *t, const char *f)
{
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		for (int p = 0; p < vh->npaths; p++) {
			const struct topo_path *pa = &vh->paths[p];
			ck_assert_msg(pa->nhops >= 1, "%s: empty path", f);
			ck_assert_int_eq(pa->nodes[0], topo_node_of_host(t, (int)h));
			ck_assert_int_eq(pa->nodes[pa->nhops], topo_node_of_device(t, pa->device));
			ck_assert_int_eq(pa->links[0], t->hosts[h].link);
			for (int k = 0; k < pa->nhops; k++) {
				const struct topo_link *l = &t->links[pa->links[k]];
				int a = pa->nodes[k], b = pa->nodes[k + 1];
				ck_assert_msg((l->a.idx == a && l->b.idx == b) ||
					      (l->a.idx == b && l->b.idx == a),
					      "%s: hop %d of VH %d uses %s, which does not join %s "
					      "and %s", f, k, vh->id, l->name, topo_node_name(t, a),
					      topo_node_name(t, b));
				if (k > 0) /* traffic passes only through switches */
					ck_assert_int_eq(topo_node_kind(t, a), NODE_SWITCH);
			}
		}
	}
}

/* Recount from the paths which VHs each link carries; MR-Link exactly when more than one. */
static void check_mr_links(const struct topo *t, const char *f)
{
	for (size_t l = 0; l < t->nlinks; l++) {
		const struct topo_link *k = &t->links[l];
		int n = 0;
		for (size_t h = 0; h < t->nhosts; h++) {
			if (!vh_uses(&t->vhs[h], (int)l))
				continue;
			ck_assert_msg(n < k->nvhs && k->vhs[n] == (int)h + 1,
				      "%s: link %s should list VH %zu", f, k->name, h + 1);
			n++;
		}
		ck_assert_msg(n == k->nvhs, "%s: link %s carries %d VHs, says %d", f, k->name, n,
			      k->nvhs);
		ck_assert_msg(k->mr_link == (n > 1), "%s: link %s with %d VHs has mr_link %d", f,
			      k->name, n, k->mr_link);
	}
}

/* Bus ranges nest and do not overlap, and each device sits on the secondary bus of the
 * downstream port that leads to it. */
static void check_buses(const struct topo *t, const char *f)
{
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		for (int s = 0; s < vh->nvswitches; s++) {
			const struct topo_vswitch *vs = &vh->vswitches[s];
			int prev = vs->internal_bus;
			ck_assert_int_eq(vs->vh, vh->id);
			ck_assert_int_lt(vs->up_bus, vs->internal_bus);
			for (int d = 0; d < vs->ndown; d++) {
				ck_assert_msg(vs->down_secondary[d] == prev + 1 &&
					      vs->down_subordinate[d] >= vs->down_secondary[d],
					      "%s: VH %d %s: port %d buses %d-%d after %d", f, vh->id,
					      t->switches[vs->sw].name, d, vs->down_secondary[d],
					      vs->down_subordinate[d], prev);
				prev = vs->down_subordinate[d];
			}
			ck_assert_int_eq(vs->subordinate, prev);
			ck_assert_int_le(vs->subordinate, 255);
		}
		for (int p = 0; p < vh->npaths; p++) {
			const struct topo_path *pa = &vh->paths[p];
			int last = pa->links[pa->nhops - 1];
			int bus = pa->nhops == 1 ? 1 : -1;
			for (int s = 0; s < vh->nvswitches && bus < 0; s++)
				for (int d = 0; d < vh->vswitches[s].ndown; d++)
					if (vh->vswitches[s].down_links[d] == last)
						bus = vh->vswitches[s].down_secondary[d];
			ck_assert_msg(pa->bus == bus, "%s: VH %d: %s on bus %d, its port gives %d", f,
				      vh->id, t->devices[pa->device].name, pa->bus, bus);
		}
	}
}

/* Names "<device>.pf<vh>" / "<device>.vf<index>"; PF at bus:00.0, VF n at PF RID + n;
 * RIDs unique within a VH; one PF per path and one VF per assigned VF index. */
static void check_functions(const struct topo *t, const char *f)
{
	size_t pfs = 0, vfs = 0, paths = 0, assigned = 0;

	for (size_t i = 0; i < t->nfunctions; i++) {
		const struct topo_function *fn = &t->functions[i];
		const struct topo_device *dev = &t->devices[fn->device];
		size_t dl = strlen(dev->name);
		char want[300];
		ck_assert_msg(strncmp(fn->name, dev->name, dl) == 0, "%s: function %s is not named "
			      "after its device %s", f, fn->name, dev->name);
		ck_assert_int_eq(fn->vh, fn->host + 1);
		if (fn->is_pf) {
			const struct topo_vh *vh = &t->vhs[fn->host];
			int bus = -1;
			snprintf(want, sizeof(want), "%s.pf%d", dev->name, fn->vh);
			for (int p = 0; p < vh->npaths; p++)
				if (vh->paths[p].device == fn->device)
					bus = vh->paths[p].bus;
			ck_assert_int_eq(fn->rid, bus << 8);
			ck_assert_int_eq(t->dev_pf[(size_t)fn->device * t->nhosts + (size_t)fn->host],
					 (int)i);
			pfs++;
		} else {
			const struct topo_function *pf =
				&t->functions[t->dev_pf[(size_t)fn->device * t->nhosts +
							(size_t)fn->host]];
			snprintf(want, sizeof(want), "%s.vf%d", dev->name, fn->vf_index);
			ck_assert_int_eq(dev->vf_host[fn->vf_index], fn->host);
			ck_assert_int_eq(fn->rid, (pf->rid + fn->vf_num) & 0xffff);
			vfs++;
		}
		ck_assert_str_eq(fn->name, want);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(t->functions[j].vh != fn->vh || t->functions[j].rid != fn->rid,
				      "%s: %s and %s share RID %04x in VH %d", f,
				      t->functions[j].name, fn->name, fn->rid, fn->vh);
	}
	for (size_t h = 0; h < t->nhosts; h++)
		paths += (size_t)t->vhs[h].npaths;
	for (size_t d = 0; d < t->ndevices; d++)
		for (uint64_t v = 0; v < t->devices[d].total_vfs; v++)
			assigned += t->devices[d].vf_host[v] >= 0;
	ck_assert_uint_eq(pfs, paths);
	ck_assert_uint_eq(vfs, assigned);
}

START_TEST(test_every_topology_loads_and_is_consistent)
{
	const char *f = files[_i];
	struct topo *t = load(f, NULL, 0);

	check_vhs_and_host_links(t, f);
	check_paths(t, f);
	check_mr_links(t, f);
	check_buses(t, f);
	check_functions(t, f);
	topo_destroy(t);
}
END_TEST

START_TEST(test_directory_holds_the_shipped_chassis)
{
	static const char *const shipped[] = {"blade8-mriov.yaml", "blade16-oversub.yaml",
					      "cascade-2switch.yaml", "nvme-box.yaml",
					      "ats-thrash.yaml"};
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		int found = 0;
		for (int k = 0; k < nfiles; k++)
			found |= strcmp(files[k], shipped[i]) == 0;
		ck_assert_msg(found, "topologies/%s is missing", shipped[i]);
	}
}
END_TEST

/* results go to results/<name>: two chassis with one name would overwrite each other */
START_TEST(test_topology_names_are_unique)
{
	char *names[MAX_FILES];

	for (int i = 0; i < nfiles; i++) {
		struct topo *t = load(files[i], NULL, 0);
		names[i] = strdup(t->name);
		for (int j = 0; j < i; j++)
			ck_assert_msg(strcmp(names[i], names[j]) != 0, "%s and %s are both named %s",
				      files[j], files[i], names[i]);
		topo_destroy(t);
	}
	for (int i = 0; i < nfiles; i++)
		free(names[i]);
}
END_TEST

/* ---- per-file facts, from each file's header comment ---- */

START_TEST(test_default_chassis_has_8_hosts_and_3_mr_links)
{
	struct topo *t = load("blade8-mriov.yaml", NULL, 0);
	static const char *const devs[] = {"nic0", "nvme0", "hba0"};

	ck_assert_uint_eq(t->nhosts, 8);
	ck_assert_uint_eq(count_mr_links(t), 3);
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof(name), "mra0-%s", devs[i]);
		ck_assert_int_eq(link_named(t, name)->nvhs, 8);
		ck_assert(link_named(t, name)->mr_link);
	}
	/* domain.md §7.2 example 1: each VH sees 1 PF + 8 VFs of the NIC, 72 in all */
	size_t nic = 0;
	for (size_t i = 0; i < t->nfunctions; i++)
		nic += t->functions[i].device == device_idx(t, "nic0");
	ck_assert_uint_eq(nic, 72);
	ck_assert_uint_eq(t->nfunctions, 8 * (1 + 8) + 8 * (1 + 4) + 8 * (1 + 1));
	ck_assert_int_eq(function_named(t, "nic0.pf1")->rid, 0x0300);
	ck_assert_int_eq(function_named(t, "hba0.vf7")->rid, 0x0501);
	topo_destroy(t);
}
END_TEST

START_TEST(test_blade16_shares_one_nic_link_among_16_vhs_at_4_to_1)
{
	struct topo *t = load("blade16-oversub.yaml", NULL, 0);
	const struct topo_link *nic = link_named(t, "mra0-nic0");
	const struct topo_switch *sw = &t->switches[switch_idx(t, "mra0")];
	const struct topo_device *dev = &t->devices[device_idx(t, "nic0")];
	uint64_t blade_lanes = 0;

	ck_assert_uint_eq(t->nhosts, 16);
	ck_assert_int_eq(nic->nvhs, 16);
	ck_assert(nic->mr_link);
	ck_assert_uint_eq(count_mr_links(t), 1);
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_link *l = &t->links[t->hosts[h].link];
		ck_assert_uint_eq(l->gen, 3);
		blade_lanes += l->width;
	}
	ck_assert_uint_eq(nic->gen, 3);
	ck_assert_uint_eq(blade_lanes, 4 * nic->width);
	/* every one of the 128 VFs is in use, 8 per blade */
	for (uint64_t v = 0; v < dev->total_vfs; v++)
		ck_assert_int_eq(dev->vf_host[v], (int)(v / 8));
	ck_assert_uint_eq(t->nfunctions, 16 + 128);
	/* WRR: gold 4, silver 2, unnamed blades 1, at the switch and the NIC alike */
	ck_assert_int_eq(sw->arb.policy, ARB_WRR);
	ck_assert_int_eq(dev->arb.policy, ARB_WRR);
	for (size_t h = 0; h < 16; h++) {
		uint64_t w = h < 4 ? 4 : h < 8 ? 2 : 1;
		ck_assert_uint_eq(sw->arb.host_weight[h], w);
		ck_assert_uint_eq(dev->arb.host_weight[h], w);
	}
	topo_destroy(t);
}
END_TEST

START_TEST(test_cascade_inter_switch_link_is_an_mr_link)
{
	struct topo *t = load("cascade-2switch.yaml", NULL, 0);
	const struct topo_link *isl = link_named(t, "isl0");

	ck_assert_uint_eq(t->nswitches, 2);
	ck_assert_int_eq(topo_node_kind(t, isl->a.idx), NODE_SWITCH);
	ck_assert_int_eq(topo_node_kind(t, isl->b.idx), NODE_SWITCH);
	ck_assert(isl->mr_link);
	/* blade0 and blade1 reach the drives, blade4 and blade5 the NIC; blade2/3 stay on top */
	ck_assert_int_eq(isl->nvhs, 4);
	ck_assert_int_eq(isl->vhs[0], 1);
	ck_assert_int_eq(isl->vhs[1], 2);
	ck_assert_int_eq(isl->vhs[2], 5);
	ck_assert_int_eq(isl->vhs[3], 6);
	ck_assert_int_eq(link_named(t, "top0-nic0")->nvhs, 6);
	ck_assert_int_eq(link_named(t, "leaf0-nvme0")->nvhs, 2);
	ck_assert_int_eq(link_named(t, "leaf0-nvme1")->nvhs, 3);
	ck_assert_uint_eq(count_mr_links(t), 4);
	ck_assert_uint_eq(t->nfunctions, 111);
	topo_destroy(t);
}
END_TEST

START_TEST(test_cascade_paths_cross_levels)
{
	struct topo *t = load("cascade-2switch.yaml", NULL, 0);
	const struct topo_path *p;

	/* lower-level host to lower-level device: its own switch only */
	p = path_of(t, "blade4", "nvme0");
	ck_assert_int_eq(p->nhops, 2);
	ck_assert_int_eq(p->links[1], link_idx(t, "leaf0-nvme0"));
	/* lower-level host to top-level device: up through isl0 */
	p = path_of(t, "blade4", "nic0");
	ck_assert_int_eq(p->nhops, 3);
	ck_assert_int_eq(p->links[0], link_idx(t, "blade4-leaf0"));
	ck_assert_int_eq(p->links[1], link_idx(t, "isl0"));
	ck_assert_int_eq(p->links[2], link_idx(t, "top0-nic0"));
	/* top-level host to lower-level device: down through isl0 */
	p = path_of(t, "blade0", "nvme1");
	ck_assert_int_eq(p->nhops, 3);
	ck_assert_int_eq(p->links[1], link_idx(t, "isl0"));
	ck_assert_int_eq(path_of(t, "blade2", "nic0")->nhops, 2);
	ck_assert_int_eq(t->vhs[host_idx(t, "blade2")].npaths, 1);
	topo_destroy(t);
}
END_TEST

/* isl0 is a downstream port of top0 in blade0's VH and the upstream port of top0 in blade4's */
START_TEST(test_cascade_virtual_switches_and_buses_follow_each_vh)
{
	struct topo *t = load("cascade-2switch.yaml", NULL, 0);
	const struct topo_vswitch *vs;
	int isl = link_idx(t, "isl0");

	vs = vswitch_of(t, "blade0", "top0");
	ck_assert_int_eq(vs->up_link, t->hosts[host_idx(t, "blade0")].link);
	ck_assert_int_eq(vs->ndown, 2);
	ck_assert_int_eq(vs->down_links[0], isl);
	ck_assert_int_eq(vs->down_secondary[0], 3);
	ck_assert_int_eq(vs->down_subordinate[0], 6);
	vs = vswitch_of(t, "blade0", "leaf0");
	ck_assert_int_eq(vs->up_link, isl);
	ck_assert_int_eq(vs->up_bus, 3);
	ck_assert_int_eq(function_named(t, "nvme0.pf1")->rid, 0x0500);
	ck_assert_int_eq(function_named(t, "nvme1.pf1")->rid, 0x0600);
	ck_assert_int_eq(function_named(t, "nic0.pf1")->rid, 0x0700);
	ck_assert_int_eq(function_named(t, "nic0.vf15")->rid, 0x0710); /* VF 16: 07:02.0 */

	vs = vswitch_of(t, "blade4", "top0");
	ck_assert_int_eq(vs->up_link, isl);
	ck_assert_int_eq(vs->up_bus, 3);
	vs = vswitch_of(t, "blade4", "leaf0");
	ck_assert_int_eq(vs->up_link, link_idx(t, "blade4-leaf0"));
	ck_assert_int_eq(vs->down_links[0], isl);
	ck_assert_int_eq(function_named(t, "nic0.pf5")->rid, 0x0500);
	ck_assert_int_eq(function_named(t, "nvme0.pf5")->rid, 0x0600);
	topo_destroy(t);
}
END_TEST

START_TEST(test_cascade_explicit_vf_lists_are_applied_before_counts)
{
	struct topo *t = load("cascade-2switch.yaml", NULL, 0);
	const struct topo_device *nvme0 = &t->devices[device_idx(t, "nvme0")];
	const struct topo_device *nvme1 = &t->devices[device_idx(t, "nvme1")];
	const struct topo_device *nic = &t->devices[device_idx(t, "nic0")];
	int b0 = host_idx(t, "blade0"), b1 = host_idx(t, "blade1"), b4 = host_idx(t, "blade4"),
	    b5 = host_idx(t, "blade5");

	/* blade0's count comes first in the file but takes what blade4's list leaves */
	for (int v = 0; v < 8; v++)
		ck_assert_int_eq(nvme0->vf_host[v], b4);
	for (int v = 8; v < 12; v++)
		ck_assert_int_eq(nvme0->vf_host[v], b0);
	ck_assert_int_eq(nvme0->vf_host[12], -1);
	for (int v = 0; v < 8; v++)
		ck_assert_int_eq(nvme1->vf_host[v], b5);
	for (int v = 8; v < 12; v++)
		ck_assert_int_eq(nvme1->vf_host[v], b0);
	for (int v = 16; v < 20; v++)
		ck_assert_int_eq(nvme1->vf_host[v], b1);
	for (int v = 96; v < 100; v++)
		ck_assert_int_eq(nic->vf_host[v], b4);
	for (int v = 64; v < 68; v++) /* blade5's 4 VFs: the lowest after blade0-3's 64 */
		ck_assert_int_eq(nic->vf_host[v], b5);
	topo_destroy(t);
}
END_TEST

START_TEST(test_cascade_arbitration_flow_control_and_backup_window)
{
	struct topo *t = load("cascade-2switch.yaml", NULL, 0);
	const struct topo_switch *top = &t->switches[switch_idx(t, "top0")];
	const struct topo_switch *leaf = &t->switches[switch_idx(t, "leaf0")];

	ck_assert_int_eq(top->arb.policy, ARB_STRICT);
	for (size_t h = 0; h < t->nhosts; h++) /* blade0 first, then file order */
		ck_assert_int_eq(top->arb.host_order[h], (int)h);
	ck_assert_int_eq(top->flow_control, FC_PER_VH);
	ck_assert_int_eq(leaf->flow_control, FC_SHARED);
	for (size_t i = 0; i < t->nworkloads; i++) {
		const struct topo_workload *w = &t->workloads[i];
		if (strcmp(w->name, "backup0") != 0)
			continue;
		ck_assert_double_eq_tol(w->start, 300e-6, 1e-15);
		ck_assert_double_eq_tol(w->stop, 800e-6, 1e-15);
		ck_assert_int_eq(w->op, OP_READ);
		topo_destroy(t);
		return;
	}
	ck_abort_msg("no workload backup0");
}
END_TEST

START_TEST(test_nvme_box_gives_every_host_8_vfs_of_every_drive)
{
	struct topo *t = load("nvme-box.yaml", NULL, 0);

	ck_assert_uint_eq(t->nhosts, 4);
	ck_assert_uint_eq(t->ndevices, 8);
	ck_assert_uint_eq(count_mr_links(t), 8);
	ck_assert_uint_eq(t->nfunctions, 8 * (4 + 32));
	/* 4 x16 host ports + 8 x4 drive ports: a 96-lane switch (domain.md §7.2 example 2) */
	uint64_t lanes = 0;
	for (size_t l = 0; l < t->nlinks; l++)
		lanes += t->links[l].width;
	ck_assert_uint_eq(lanes, 96);
	for (size_t d = 0; d < t->ndevices; d++) {
		const struct topo_device *dev = &t->devices[d];
		ck_assert_int_eq(t->links[dev->link].nvhs, 4);
		ck_assert_uint_eq(dev->total_vfs, 32);
		for (uint64_t v = 0; v < 32; v++)
			ck_assert_int_eq(dev->vf_host[v], (int)(v / 8));
	}
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		ck_assert_int_eq(vh->npaths, 8);
		for (int p = 0; p < vh->npaths; p++)
			ck_assert_int_eq(vh->paths[p].bus, 3 + vh->paths[p].device);
		ck_assert_uint_eq(t->hosts[h].iommu.page_size, 2u << 20);
	}
	ck_assert_uint_eq(t->nworkloads, 64);
	topo_destroy(t);
}
END_TEST

START_TEST(test_ats_thrash_working_set_overflows_the_shared_atc)
{
	struct topo *t = load("ats-thrash.yaml", NULL, 0);
	const struct topo_device *nic = &t->devices[device_idx(t, "nic0")];
	uint64_t pages = 0;

	ck_assert(nic->atc.present);
	ck_assert_int_eq(nic->atc.scope, ATC_SHARED);
	ck_assert_uint_eq(nic->atc.entries, 256);
	ck_assert_double_eq(nic->max_rate, 100e9);
	ck_assert_int_eq(link_named(t, "mra0-nic0")->nvhs, 8);
	for (size_t i = 0; i < t->nworkloads; i++) {
		const struct topo_workload *w = &t->workloads[i];
		char name[32];
		snprintf(name, sizeof(name), "w%zu", i); /* unnamed workloads */
		ck_assert_str_eq(w->name, name);
		ck_assert_int_eq(w->pattern, PATTERN_RANDOM);
		ck_assert(w->vfs_all);
		ck_assert_uint_eq(w->footprint / t->hosts[w->host.idx].iommu.page_size, 16);
		for (uint64_t v = 0; v < nic->total_vfs; v++)
			pages += nic->vf_host[v] == w->host.idx ? 16 : 0;
	}
	ck_assert_uint_eq(pages, 2048);
	ck_assert_uint_gt(pages, nic->atc.entries);
	topo_destroy(t);
}
END_TEST

/* the header comment's command line for the per-VF variant is valid */
START_TEST(test_ats_thrash_per_vf_variant_from_the_header)
{
	char *sets[] = {"devices.nic0.atc.scope=per_vf", "devices.nic0.atc.entries=16"};
	struct topo *t = load("ats-thrash.yaml", sets, 2);

	ck_assert_int_eq(t->devices[0].atc.scope, ATC_PER_VF);
	ck_assert_uint_eq(t->devices[0].atc.entries, 16);
	topo_destroy(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("topologies");
	TCase *all = tcase_create("every file");
	TCase *each = tcase_create("per file");
	int rc;

	find_files();
	tcase_add_loop_test(all, test_every_topology_loads_and_is_consistent, 0, nfiles);
	tcase_add_test(all, test_directory_holds_the_shipped_chassis);
	tcase_add_test(all, test_topology_names_are_unique);
	tcase_add_test(each, test_default_chassis_has_8_hosts_and_3_mr_links);
	tcase_add_test(each, test_blade16_shares_one_nic_link_among_16_vhs_at_4_to_1);
	tcase_add_test(each, test_cascade_inter_switch_link_is_an_mr_link);
	tcase_add_test(each, test_cascade_paths_cross_levels);
	tcase_add_test(each, test_cascade_virtual_switches_and_buses_follow_each_vh);
	tcase_add_test(each, test_cascade_explicit_vf_lists_are_applied_before_counts);
	tcase_add_test(each, test_cascade_arbitration_flow_control_and_backup_window);
	tcase_add_test(each, test_nvme_box_gives_every_host_8_vfs_of_every_drive);
	tcase_add_test(each, test_ats_thrash_working_set_overflows_the_shared_atc);
	tcase_add_test(each, test_ats_thrash_per_vf_variant_from_the_header);
	suite_add_tcase(s, all);
	suite_add_tcase(s, each);
	rc = tu_run(s);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	return rc;
}
