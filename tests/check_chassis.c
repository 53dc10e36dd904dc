/* check_chassis.c - each chassis shipped in topologies/ has the shape its header comment
 * describes: hosts, MR-Links, paths, virtual switches, VF assignment, arbitration. The rules
 * every file obeys are check_topologies.c's. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"

/* The default chassis and its raw-DMA twin have the same shape. */
static const char *const blade8[] = {"blade8-mriov.yaml", "blade8-rawdma.yaml"};

START_TEST(test_default_chassis_has_8_hosts_and_3_mr_links)
{
	struct topo *t = tu_load_shipped(blade8[_i], NULL, 0);
	static const char *const devs[] = {"nic0", "nvme0", "hba0"};

	ck_assert_uint_eq(t->nhosts, 8);
	ck_assert_uint_eq(tu_count_mr_links(t), 3);
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof(name), "mra0-%s", devs[i]);
		ck_assert_int_eq(tu_link_named(t, name)->nvhs, 8);
		ck_assert(tu_link_named(t, name)->mr_link);
	}
	/* domain.md §7.2 example 1: each VH sees 1 PF + 8 VFs of the NIC, 72 in all */
	size_t nic = 0;
	for (size_t i = 0; i < t->nfunctions; i++)
		nic += t->functions[i].device == tu_device_idx(t, "nic0");
	ck_assert_uint_eq(nic, 72);
	ck_assert_uint_eq(t->nfunctions, 8 * (1 + 8) + 8 * (1 + 4) + 8 * (1 + 1));
	ck_assert_int_eq(tu_function_named(t, "nic0.pf1")->rid, 0x0300);
	ck_assert_int_eq(tu_function_named(t, "hba0.vf7")->rid, 0x0501);
	topo_destroy(t);
}
END_TEST

/* The default chassis runs device models (contract §6): the NIC's packets, the drive's
 * commands, the HBA's raw DMA; the raw-DMA twin runs DMA streams only. */
START_TEST(test_default_chassis_uses_device_models)
{
	struct topo *t = tu_load_shipped("blade8-mriov.yaml", NULL, 0);
	struct topo *raw = tu_load_shipped("blade8-rawdma.yaml", NULL, 0);
	int kinds[3] = {0};

	ck_assert(t->devices[tu_device_idx(t, "nic0")].nic.present);
	ck_assert(t->devices[tu_device_idx(t, "nvme0")].nvme.present);
	ck_assert(!t->devices[tu_device_idx(t, "hba0")].nic.present);
	ck_assert(!t->devices[tu_device_idx(t, "hba0")].nvme.present);
	for (size_t w = 0; w < t->nworkloads; w++)
		kinds[topo_is_packets(&t->workloads[w]) ? 0 : topo_is_io(&t->workloads[w]) ? 1 : 2]++;
	ck_assert_int_eq(kinds[0], 16); /* rx and tx per blade */
	ck_assert_int_eq(kinds[1], 16); /* NVMe reads and writes per blade */
	ck_assert_int_eq(kinds[2], 8);  /* backups */
	for (size_t w = 0; w < raw->nworkloads; w++)
		ck_assert(!topo_is_packets(&raw->workloads[w]) && !topo_is_io(&raw->workloads[w]));
	topo_destroy(t);
	topo_destroy(raw);
}
END_TEST

START_TEST(test_blade16_shares_one_nic_link_among_16_vhs_at_4_to_1)
{
	struct topo *t = tu_load_shipped("blade16-oversub.yaml", NULL, 0);
	const struct topo_link *nic = tu_link_named(t, "mra0-nic0");
	const struct topo_switch *sw = &t->switches[tu_switch_idx(t, "mra0")];
	const struct topo_device *dev = &t->devices[tu_device_idx(t, "nic0")];
	uint64_t blade_lanes = 0;

	ck_assert_uint_eq(t->nhosts, 16);
	ck_assert_int_eq(nic->nvhs, 16);
	ck_assert(nic->mr_link);
	ck_assert_uint_eq(tu_count_mr_links(t), 1);
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
	struct topo *t = tu_load_shipped("cascade-2switch.yaml", NULL, 0);
	const struct topo_link *isl = tu_link_named(t, "isl0");

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
	ck_assert_int_eq(tu_link_named(t, "top0-nic0")->nvhs, 6);
	ck_assert_int_eq(tu_link_named(t, "leaf0-nvme0")->nvhs, 2);
	ck_assert_int_eq(tu_link_named(t, "leaf0-nvme1")->nvhs, 3);
	ck_assert_uint_eq(tu_count_mr_links(t), 4);
	ck_assert_uint_eq(t->nfunctions, 111);
	topo_destroy(t);
}
END_TEST

START_TEST(test_cascade_paths_cross_levels)
{
	struct topo *t = tu_load_shipped("cascade-2switch.yaml", NULL, 0);
	const struct topo_path *p;

	/* lower-level host to lower-level device: its own switch only */
	p = tu_path_of(t, "blade4", "nvme0");
	ck_assert_int_eq(p->nhops, 2);
	ck_assert_int_eq(p->links[1], tu_link_idx(t, "leaf0-nvme0"));
	/* lower-level host to top-level device: up through isl0 */
	p = tu_path_of(t, "blade4", "nic0");
	ck_assert_int_eq(p->nhops, 3);
	ck_assert_int_eq(p->links[0], tu_link_idx(t, "blade4-leaf0"));
	ck_assert_int_eq(p->links[1], tu_link_idx(t, "isl0"));
	ck_assert_int_eq(p->links[2], tu_link_idx(t, "top0-nic0"));
	/* top-level host to lower-level device: down through isl0 */
	p = tu_path_of(t, "blade0", "nvme1");
	ck_assert_int_eq(p->nhops, 3);
	ck_assert_int_eq(p->links[1], tu_link_idx(t, "isl0"));
	ck_assert_int_eq(tu_path_of(t, "blade2", "nic0")->nhops, 2);
	ck_assert_int_eq(t->vhs[tu_host_idx(t, "blade2")].npaths, 1);
	topo_destroy(t);
}
END_TEST

/* isl0 is a downstream port of top0 in blade0's VH and the upstream port of top0 in blade4's */
START_TEST(test_cascade_virtual_switches_and_buses_follow_each_vh)
{
	struct topo *t = tu_load_shipped("cascade-2switch.yaml", NULL, 0);
	const struct topo_vswitch *vs;
	int isl = tu_link_idx(t, "isl0");

	vs = tu_vswitch_of(t, "blade0", "top0");
	ck_assert_int_eq(vs->up_link, t->hosts[tu_host_idx(t, "blade0")].link);
	ck_assert_int_eq(vs->ndown, 2);
	ck_assert_int_eq(vs->down_links[0], isl);
	ck_assert_int_eq(vs->down_secondary[0], 3);
	ck_assert_int_eq(vs->down_subordinate[0], 6);
	vs = tu_vswitch_of(t, "blade0", "leaf0");
	ck_assert_int_eq(vs->up_link, isl);
	ck_assert_int_eq(vs->up_bus, 3);
	ck_assert_int_eq(tu_function_named(t, "nvme0.pf1")->rid, 0x0500);
	ck_assert_int_eq(tu_function_named(t, "nvme1.pf1")->rid, 0x0600);
	ck_assert_int_eq(tu_function_named(t, "nic0.pf1")->rid, 0x0700);
	ck_assert_int_eq(tu_function_named(t, "nic0.vf15")->rid, 0x0710); /* VF 16: 07:02.0 */

	vs = tu_vswitch_of(t, "blade4", "top0");
	ck_assert_int_eq(vs->up_link, isl);
	ck_assert_int_eq(vs->up_bus, 3);
	vs = tu_vswitch_of(t, "blade4", "leaf0");
	ck_assert_int_eq(vs->up_link, tu_link_idx(t, "blade4-leaf0"));
	ck_assert_int_eq(vs->down_links[0], isl);
	ck_assert_int_eq(tu_function_named(t, "nic0.pf5")->rid, 0x0500);
	ck_assert_int_eq(tu_function_named(t, "nvme0.pf5")->rid, 0x0600);
	topo_destroy(t);
}
END_TEST

START_TEST(test_cascade_explicit_vf_lists_are_applied_before_counts)
{
	struct topo *t = tu_load_shipped("cascade-2switch.yaml", NULL, 0);
	const struct topo_device *nvme0 = &t->devices[tu_device_idx(t, "nvme0")];
	const struct topo_device *nvme1 = &t->devices[tu_device_idx(t, "nvme1")];
	const struct topo_device *nic = &t->devices[tu_device_idx(t, "nic0")];
	int b0 = tu_host_idx(t, "blade0"), b1 = tu_host_idx(t, "blade1"), b4 = tu_host_idx(t, "blade4"),
	    b5 = tu_host_idx(t, "blade5");

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
	struct topo *t = tu_load_shipped("cascade-2switch.yaml", NULL, 0);
	const struct topo_switch *top = &t->switches[tu_switch_idx(t, "top0")];
	const struct topo_switch *leaf = &t->switches[tu_switch_idx(t, "leaf0")];

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
	struct topo *t = tu_load_shipped("nvme-box.yaml", NULL, 0);

	ck_assert_uint_eq(t->nhosts, 4);
	ck_assert_uint_eq(t->ndevices, 8);
	ck_assert_uint_eq(tu_count_mr_links(t), 8);
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
	struct topo *t = tu_load_shipped("ats-thrash.yaml", NULL, 0);
	const struct topo_device *nic = &t->devices[tu_device_idx(t, "nic0")];
	uint64_t pages = 0;

	ck_assert(nic->atc.present);
	ck_assert_int_eq(nic->atc.scope, ATC_SHARED);
	ck_assert_uint_eq(nic->atc.entries, 256);
	ck_assert_double_eq(nic->max_rate, 100e9);
	ck_assert_int_eq(tu_link_named(t, "mra0-nic0")->nvhs, 8);
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
	struct topo *t = tu_load_shipped("ats-thrash.yaml", sets, 2);

	ck_assert_int_eq(t->devices[0].atc.scope, ATC_PER_VF);
	ck_assert_uint_eq(t->devices[0].atc.entries, 16);
	topo_destroy(t);
}
END_TEST

/* vswitch-acl (contract §11): blade0's CPU and switch as its header says; on SR-IOV as
 * written, and the header's --set puts all three of its workloads, and only those, on the
 * vswitch path */
START_TEST(test_vswitch_acl_moves_blade0_to_the_vswitch)
{
	char *sets[] = {"hosts.blade0.vswitch.acl=true"};
	struct topo *t = tu_load_shipped("vswitch-acl.yaml", NULL, 0);
	int b0 = tu_host_idx(t, "blade0");
	const struct topo_host *h = &t->hosts[b0];

	ck_assert(h->cpu.present && h->cpu.cores == 16 && h->cpu.frequency == 2.5e9);
	ck_assert(h->vswitch.cores == 4 && h->vswitch.cycles_per_packet == 2000 &&
		  h->vswitch.cycles_per_byte == 0.5 && !h->vswitch.acl);
	for (size_t w = 0; w < t->nworkloads; w++)
		ck_assert(!t->workloads[w].vswitch);
	topo_destroy(t);
	t = tu_load_shipped("vswitch-acl.yaml", sets, 1);
	for (size_t w = 0; w < t->nworkloads; w++)
		ck_assert_int_eq(t->workloads[w].vswitch, t->workloads[w].host.idx == b0);
	ck_assert(t->hosts[b0].uses_vswitch);
	topo_destroy(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chassis");
	TCase *each = tcase_create("per file");
	int rc;

	tcase_add_loop_test(each, test_default_chassis_has_8_hosts_and_3_mr_links, 0, 2);
	tcase_add_test(each, test_default_chassis_uses_device_models);
	tcase_add_test(each, test_blade16_shares_one_nic_link_among_16_vhs_at_4_to_1);
	tcase_add_test(each, test_cascade_inter_switch_link_is_an_mr_link);
	tcase_add_test(each, test_cascade_paths_cross_levels);
	tcase_add_test(each, test_cascade_virtual_switches_and_buses_follow_each_vh);
	tcase_add_test(each, test_cascade_explicit_vf_lists_are_applied_before_counts);
	tcase_add_test(each, test_cascade_arbitration_flow_control_and_backup_window);
	tcase_add_test(each, test_nvme_box_gives_every_host_8_vfs_of_every_drive);
	tcase_add_test(each, test_ats_thrash_working_set_overflows_the_shared_atc);
	tcase_add_test(each, test_ats_thrash_per_vf_variant_from_the_header);
	tcase_add_test(each, test_vswitch_acl_moves_blade0_to_the_vswitch);
	suite_add_tcase(s, each);
	rc = tu_run(s);
	return rc;
}
