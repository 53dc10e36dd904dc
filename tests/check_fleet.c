/* check_fleet.c - fleets (contract §8): what a range expands to (widths, suffixes, single
 * values, lockstep with different starts), that items keep file order, that a --set into one
 * expanded item leaves its siblings alone (nested mappings are copied, not shared), that an
 * item reached through an alias expands, and where diagnostics about expanded items point. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* One device behind a switch, and the lists given. */
static struct topo *load(const char *hosts, const char *rest, char *const *sets, size_t n,
			 char *diag, size_t len)
{
	char yaml[4096];

	snprintf(yaml, sizeof(yaml),
		 "name: f\nhosts:\n%sswitches: [{name: s}]\ndevices: [{name: d, total_vfs: 64}]\n%s",
		 hosts, rest);
	return tu_load(yaml, sets, n, diag, len);
}

START_TEST(test_zero_padded_bounds_keep_their_width)
{
	char diag[1024];
	struct topo *t = load("  - name: b[08-11]\n",
			      "links:\n  - {a: 'b[08-11]', b: s, gen: 4, width: 8}\n"
			      "  - {a: s, b: d, gen: 4, width: 8}\n", NULL, 0, diag, sizeof(diag));
	static const char *const want[] = {"b08", "b09", "b10", "b11"};

	ck_assert_msg(t != NULL, "%s", diag);
	ck_assert_int_eq(t->nhosts, 4);
	for (int i = 0; i < 4; i++) {
		ck_assert_str_eq(t->hosts[i].name, want[i]);
		ck_assert_int_eq(t->hosts[i].vh, i + 1); /* file order: host i owns VH i */
	}
	ck_assert_str_eq(t->links[2].name, "b10-s"); /* default names after expansion */
	topo_destroy(t);
}
END_TEST

START_TEST(test_unpadded_ranges_grow_digits_and_keep_suffixes)
{
	char diag[1024];
	struct topo *t = load("  - name: r[9-11]x\n  - name: solo[5-5]\n",
			      "links:\n  - {a: 'r[9-11]x', b: s, gen: 4, width: 8}\n"
			      "  - {a: 'solo[5-5]', b: s, gen: 4, width: 8}\n"
			      "  - {a: s, b: d, gen: 4, width: 8}\n", NULL, 0, diag, sizeof(diag));

	ck_assert_msg(t != NULL, "%s", diag);
	ck_assert_int_eq(t->nhosts, 4);
	ck_assert_str_eq(t->hosts[0].name, "r9x");
	ck_assert_str_eq(t->hosts[2].name, "r11x");
	ck_assert_str_eq(t->hosts[3].name, "solo5");
	topo_destroy(t);
}
END_TEST

/* Several ranges of one item advance together, whatever their first values. */
START_TEST(test_lockstep_ranges_may_start_anywhere)
{
	char diag[2048];
	struct topo *t = load("  - name: b[0-3]\n",
			      "links:\n  - {a: 'b[0-3]', b: s, gen: 4, width: 8, name: 'up[10-13]'}\n"
			      "  - {a: s, b: d, gen: 4, width: 8}\n"
			      "assign: [{host: 'b[0-3]', device: d, vfs: 2}]\n"
			      "workloads:\n  - {name: 'w[4-7]', host: 'b[0-3]', device: d, op: write, "
			      "size: 64B, rate: 1Gbps}\n", NULL, 0, diag, sizeof(diag));

	ck_assert_msg(t != NULL, "%s", diag);
	ck_assert_str_eq(t->links[1].name, "up11");
	ck_assert_str_eq(t->links[1].a.name, "b1");
	ck_assert_int_eq(t->nworkloads, 4);
	ck_assert_str_eq(t->workloads[3].name, "w7");
	ck_assert_str_eq(t->workloads[3].host.name, "b3");
	/* assign takes the lowest free VFs in expanded order: b2 gets VFs 4 and 5 */
	ck_assert_uint_eq(t->assigns[2].vfs[0], 4);
	topo_destroy(t);
}
END_TEST

/* Expanded items share no mapping: --set into one nested mapping changes that item only. */
START_TEST(test_set_into_one_item_leaves_its_siblings)
{
	char *sets[] = {"hosts.b2.iommu.walkers=9", "switches.s.latency=1ns"};
	char diag[1024];
	struct topo *t = load("  - {name: 'b[0-3]', iommu: {walkers: 2}}\n",
			      "links:\n  - {a: 'b[0-3]', b: s, gen: 4, width: 8}\n"
			      "  - {a: s, b: d, gen: 4, width: 8}\n", sets, 2, diag, sizeof(diag));

	ck_assert_msg(t != NULL, "%s", diag);
	ck_assert_uint_eq(t->hosts[1].iommu.walkers, 2);
	ck_assert_uint_eq(t->hosts[2].iommu.walkers, 9);
	ck_assert_uint_eq(t->hosts[3].iommu.walkers, 2);
	topo_destroy(t);
}
END_TEST

START_TEST(test_an_item_reached_through_an_alias_expands)
{
	char diag[1024];
	struct topo *t = load("  - &h {name: 'b[0-1]', memory_latency: 80ns}\n"
			      "  - {name: c}\n",
			      "links:\n  - {a: 'b[0-1]', b: s, gen: 4, width: 8}\n"
			      "  - {a: c, b: s, gen: 4, width: 8}\n"
			      "  - {a: s, b: d, gen: 4, width: 8}\n", NULL, 0, diag, sizeof(diag));

	ck_assert_msg(t != NULL, "%s", diag);
	ck_assert_int_eq(t->nhosts, 3);
	ck_assert_str_eq(t->hosts[1].name, "b1");
	ck_assert(t->hosts[1].memory_latency == 80e-9);
	ck_assert_str_eq(t->hosts[2].name, "c");
	topo_destroy(t);
}
END_TEST

/* A problem of one expanded item points at the item's text, and names the expanded value;
 * one that all its items share is said once. */
START_TEST(test_diagnostics_point_at_the_item_in_the_file)
{
	char diag[2048];
	struct topo *t = load("  - name: b[0-3]\n",
			      "links:\n  - {a: 'b[0-3]', b: s, gen: 4, width: 8, latncy: 1ns}\n"
			      "  - {a: s, b: d, gen: 4, width: 8}\n", NULL, 0, diag, sizeof(diag));

	ck_assert(t == NULL);
	ck_assert_str_eq(diag, "t.yaml:7:43: error: unknown key 'latncy' in links; did you mean "
			 "'latency'?\n");
	t = load("  - name: b[0-3]\n",
		 "links:\n  - {a: 'b[0-3]', b: s, gen: 4, width: 8}\n"
		 "  - {a: s, b: d, gen: 4, width: 8}\n"
		 "assign: [{host: 'b[0-3]', device: d, vfs: 20}]\n", NULL, 0, diag, sizeof(diag));
	ck_assert(t == NULL);
	ck_assert_msg(strstr(diag, "t.yaml:9:43: error: vfs: 'd' has only 4 free VFs left for 'b3'"),
		      "%s", diag);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fleet");
	TCase *tc = tcase_create("expansion");
	tcase_add_test(tc, test_zero_padded_bounds_keep_their_width);
	tcase_add_test(tc, test_unpadded_ranges_grow_digits_and_keep_suffixes);
	tcase_add_test(tc, test_lockstep_ranges_may_start_anywhere);
	tcase_add_test(tc, test_set_into_one_item_leaves_its_siblings);
	tcase_add_test(tc, test_an_item_reached_through_an_alias_expands);
	tcase_add_test(tc, test_diagnostics_point_at_the_item_in_the_file);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
