/* check_topologies.c - every chassis shipped in topologies/ loads without a diagnostic and its
 * derived structure (VHs, paths, MR-Links, virtual switches, functions, routing IDs) is
 * consistent. What each file holds is check_chassis.c's. */
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

/* ---- structural facts that hold for every valid chassis ---- */

static void check_vhs_and_host_links(const struct topo *t, const char *f)
{
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		int l = t->hosts[h].link;
		ck_assert_msg(l >= 0 && (size_t)l < t->nlinks, "%s: host %s has no link", f,
			      t->hosts[h].name);
		/* VH n is the n-th host, as recorded on its own link from the paths */
		ck_assert_msg(vh->npaths == 0 || (t->links[l].nvhs == 1 &&
						  t->links[l].vhs[0] == (int)h + 1),
			      "%s: the link of host %zu does not carry VH %zu", f, h, h + 1);
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
			if (!tu_vh_uses(&t->vhs[h], (int)l))
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
		/* the device's link carries the function's VH (recorded from the paths) */
		ck_assert_msg(tu_vh_uses(&t->vhs[fn->host], dev->link) &&
			      t->vhs[fn->host].id == fn->vh, "%s: %s is in VH %d, which does not "
			      "reach %s", f, fn->name, fn->vh, dev->name);
		if (fn->is_pf) {
			const struct topo_vh *vh = &t->vhs[fn->host];
			int bus = -1;
			snprintf(want, sizeof(want), "%s.pf%d", dev->name, fn->vh);
			for (int p = 0; p < vh->npaths; p++)
				if (vh->paths[p].device == fn->device)
					bus = vh->paths[p].bus;
			ck_assert_int_eq(fn->rid, bus << 8);
			pfs++;
		} else {
			const struct topo_function *pf =
				&t->functions[t->dev_pf[(size_t)fn->device * t->nhosts +
							(size_t)fn->host]];
			/* its PF: of the same device, in the same VH */
			ck_assert(pf->is_pf && pf->device == fn->device && pf->host == fn->host);
			snprintf(want, sizeof(want), "%s.vf%d", dev->name, fn->vf_index);
			ck_assert_int_eq(fn->rid, (pf->rid + fn->vf_num) & 0xffff);
			/* a VF a reassign moves in (contract §10) is a second function of it, in
			 * the VH it joins; the first is in its assigned host's VH */
			if (fn->from == 0) {
				ck_assert_int_eq(dev->vf_host[fn->vf_index], fn->host);
				vfs++;
			}
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
	struct topo *t = tu_load_shipped(f, NULL, 0);

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
	static const char *const shipped[] = {"blade8-mriov.yaml", "blade8-rawdma.yaml",
					      "blade16-oversub.yaml", "nic-qos.yaml",
					      "cascade-2switch.yaml", "nvme-box.yaml",
					      "ats-thrash.yaml", "nic-smallpkt.yaml",
					      "nic-smallpkt-dma.yaml", "vswitch-acl.yaml"};
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
		struct topo *t = tu_load_shipped(files[i], NULL, 0);
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

int main(void)
{
	Suite *s = suite_create("topologies");
	TCase *all = tcase_create("every file");
	int rc;

	find_files();
	tcase_add_loop_test(all, test_every_topology_loads_and_is_consistent, 0, nfiles);
	tcase_add_test(all, test_directory_holds_the_shipped_chassis);
	tcase_add_test(all, test_topology_names_are_unique);
	suite_add_tcase(s, all);
	rc = tu_run(s);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	return rc;
}
