/* check_vh.c - virtual hierarchies, virtual switches, bus numbers, MR-Links and routing IDs
 * on a cascaded chassis whose answers are worked out by hand in the comments. */
#include <string.h>

#include "casc.h"
#include "describe.h"
#include "testutil.h"

static struct topo *t;

static void setup(void)
{
	char err[2048] = "";
	t = tu_load(casc_yaml, NULL, 0, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
}

static void teardown(void)
{
	topo_destroy(t);
}

static const struct topo_function *fn_named(const char *name)
{
	for (size_t i = 0; i < t->nfunctions; i++)
		if (strcmp(t->functions[i].name, name) == 0)
			return &t->functions[i];
	return NULL;
}

/* VH n is the n-th host of the file: seen in what is derived from the paths (the VH list
 * of each host's own link) and in the names of its PFs ("<device>.pf<n>"). */
START_TEST(test_vh_numbers_follow_file_order)
{
	static const char *const pf_of[] = {"nic.pf1", "ssd.pf2", "nic.pf3"};

	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_link *own = &t->links[t->hosts[h].link];
		const struct topo_function *pf = fn_named(pf_of[h]);
		ck_assert_int_eq(own->nvhs, 1);
		ck_assert_int_eq(own->vhs[0], (int)h + 1);
		ck_assert_ptr_nonnull(pf);
		ck_assert_int_eq(pf->host, (int)h);
		ck_assert_int_eq(pf->vh, (int)h + 1);
	}
}
END_TEST

START_TEST(test_paths_cross_the_cascade)
{
	/* h0 reaches nic in 2 hops and ssd in 3 (h0-top, trunk, low-ssd) */
	const struct topo_vh *v = &t->vhs[0];
	ck_assert_int_eq(v->npaths, 2);
	ck_assert_int_eq(v->paths[0].device, 0);
	ck_assert_int_eq(v->paths[0].nhops, 2);
	ck_assert_int_eq(v->paths[1].nhops, 3);
	ck_assert_int_eq(v->paths[1].links[1], tu_link_idx(t, "trunk"));
	ck_assert_str_eq(topo_node_name(t, v->paths[1].nodes[2]), "low");
	/* h2 sits below the low switch and reaches nic back up through the trunk */
	v = &t->vhs[2];
	ck_assert_int_eq(v->npaths, 1);
	ck_assert_int_eq(v->paths[0].nhops, 3);
	ck_assert_str_eq(topo_node_name(t, v->paths[0].nodes[1]), "low");
	ck_assert_str_eq(topo_node_name(t, v->paths[0].nodes[2]), "top");
}
END_TEST

START_TEST(test_mr_links_carry_more_than_one_vh)
{
	/* trunk: VH1 and VH2 (to ssd), VH3 (to nic); top-nic: VH1, VH3; low-ssd: VH1, VH2 */
	int trunk = tu_link_idx(t, "trunk"), nic = tu_link_idx(t, "top-nic");
	int ssd = tu_link_idx(t, "low-ssd");
	ck_assert(t->links[trunk].mr_link);
	ck_assert_int_eq(t->links[trunk].nvhs, 3);
	ck_assert_int_eq(t->links[trunk].vhs[0], 1);
	ck_assert_int_eq(t->links[trunk].vhs[2], 3);
	ck_assert_int_eq(t->links[nic].nvhs, 2);
	ck_assert(t->links[nic].mr_link);
	ck_assert(t->links[ssd].mr_link);
	ck_assert_int_eq(t->links[ssd].vhs[1], 2);
}
END_TEST

START_TEST(test_host_links_are_not_mr_links)
{
	const char *names[] = {"h0-top", "h1-top", "h2-low"};
	for (int i = 0; i < 3; i++) {
		int l = tu_link_idx(t, names[i]);
		ck_assert_int_ge(l, 0);
		ck_assert(!t->links[l].mr_link);
		ck_assert_int_eq(t->links[l].nvhs, 1);
	}
}
END_TEST

START_TEST(test_virtual_switches_and_bus_numbers)
{
	/* VH1, depth first: root port secondary 1; top vUSP on 1, internal 2; its downstream
	 * ports in link order: trunk (bus 3) -> low vUSP on 3, internal 4, low-ssd bus 5;
	 * then top-nic bus 6, and nic's 261 functions spill onto bus 7. */
	const struct topo_vh *v = &t->vhs[0];
	ck_assert_int_eq(v->nvswitches, 2);
	const struct topo_vswitch *top = &v->vswitches[0], *low = &v->vswitches[1];
	ck_assert_str_eq(t->switches[top->sw].name, "top");
	ck_assert_int_eq(top->up_link, tu_link_idx(t, "h0-top"));
	ck_assert_int_eq(top->up_bus, 1);
	ck_assert_int_eq(top->internal_bus, 2);
	ck_assert_int_eq(top->ndown, 2);
	ck_assert_int_eq(top->down_links[0], tu_link_idx(t, "trunk"));
	ck_assert_int_eq(top->down_secondary[0], 3);
	ck_assert_int_eq(top->down_subordinate[0], 5);
	ck_assert_int_eq(top->down_links[1], tu_link_idx(t, "top-nic"));
	ck_assert_int_eq(top->down_secondary[1], 6);
	ck_assert_int_eq(top->down_subordinate[1], 7);
	ck_assert_int_eq(top->subordinate, 7);
	ck_assert_int_eq(low->up_link, tu_link_idx(t, "trunk"));
	ck_assert_int_eq(low->up_bus, 3);
	ck_assert_int_eq(low->internal_bus, 4);
	ck_assert_int_eq(low->down_secondary[0], 5);
	/* VH3 enters at the low switch: its trunk port is low's downstream port there */
	v = &t->vhs[2];
	ck_assert_str_eq(t->switches[v->vswitches[0].sw].name, "low");
	ck_assert_int_eq(v->vswitches[0].down_links[0], tu_link_idx(t, "trunk"));
	ck_assert_int_eq(v->vswitches[1].up_link, tu_link_idx(t, "trunk"));
	ck_assert_int_eq(v->paths[0].bus, 5);
}
END_TEST

START_TEST(test_routing_ids_follow_sr_iov_offset_and_stride)
{
	char buf[8];
	/* VF n = PF + First VF Offset (1) + (n-1) * VF Stride (1), 16-bit: spec §9.2.1.2 */
	ck_assert_uint_eq(func_vf_rid(0x0600, 1), 0x0601);
	ck_assert_uint_eq(func_vf_rid(0x0600, 260), 0x0704);
	ck_assert_uint_eq(func_vf_rid(0xffff, 1), 0x0000); /* carries are discarded */
	ck_assert_uint_eq(fn_named("nic.pf1")->rid, 0x0600);
	ck_assert_uint_eq(fn_named("nic.vf0")->rid, 0x0601);
	ck_assert_uint_eq(fn_named("nic.vf259")->rid, 0x0704);
	ck_assert_int_eq(fn_named("nic.vf259")->vf_num, 260);
	ck_assert_str_eq(describe_rid(0x0704, buf), "07:00.4");
	ck_assert_str_eq(describe_rid(0x06ff, buf), "06:1f.7");
	/* VH3's nic functions: PF on bus 5, its one VF is device-wide index 260 */
	ck_assert_uint_eq(fn_named("nic.pf3")->rid, 0x0500);
	ck_assert_uint_eq(fn_named("nic.vf260")->rid, 0x0501);
	ck_assert_int_eq(fn_named("nic.vf260")->vh, 3);
	/* ssd: h1 has the explicit VF 7 as its VF 1 */
	ck_assert_int_eq(fn_named("ssd.vf7")->vf_num, 1);
	ck_assert_int_eq(fn_named("ssd.vf7")->host, 1);
	ck_assert_ptr_null(fn_named("nic.pf2")); /* h1 has nothing on nic */
}
END_TEST

START_TEST(test_one_pf_per_host_served)
{
	int pfs = 0, vfs = 0;
	for (size_t i = 0; i < t->nfunctions; i++) {
		pfs += t->functions[i].is_pf;
		vfs += !t->functions[i].is_pf;
	}
	ck_assert_int_eq(pfs, 4);           /* nic: h0, h2; ssd: h0, h1 */
	ck_assert_int_eq(vfs, 260 + 1 + 2 + 1);
	ck_assert_int_eq(t->dev_pf[0 * t->nhosts + 1], -1);
	ck_assert_int_ge(t->dev_pf[1 * t->nhosts + 1], 0);
}
END_TEST

START_TEST(test_too_many_functions_for_the_bus_space)
{
	/* 65535 VFs under one PF need 257 buses: more than a VH has */
	static const char y[] = "name: x\nhosts: [{name: h}]\n"
				"devices: [{name: d, total_vfs: 65535}]\n"
				"links: [{a: h, b: d, gen: 3, width: 4}]\n"
				"assign: [{host: h, device: d, vfs: 65535}]\n";
	char err[1024] = "";
	ck_assert_ptr_null(tu_load(y, NULL, 0, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "need more PCI buses than remain"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vh");
	TCase *tc = tcase_create("cascade");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_vh_numbers_follow_file_order);
	tcase_add_test(tc, test_paths_cross_the_cascade);
	tcase_add_test(tc, test_mr_links_carry_more_than_one_vh);
	tcase_add_test(tc, test_host_links_are_not_mr_links);
	tcase_add_test(tc, test_virtual_switches_and_bus_numbers);
	tcase_add_test(tc, test_routing_ids_follow_sr_iov_offset_and_stride);
	tcase_add_test(tc, test_one_pf_per_host_served);
	suite_add_tcase(s, tc);
	TCase *tl = tcase_create("limits");
	tcase_add_test(tl, test_too_many_functions_for_the_bus_space);
	suite_add_tcase(s, tl);
	return tu_run(s);
}
