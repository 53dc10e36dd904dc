/* check_schema.c - the key tables of schema.c: every default they hold parses, the defaults
 * a file gets are the contract's (§1 "Defaults", §4), and the custom keys' defaults, set in
 * C, are the ones the tables (and so `mriovsim schema`) announce. */
#include <check.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "loadfield.h"
#include "testutil.h"

static const struct field *find(const struct field *tab, const char *key)
{
	for (; tab->key; tab++)
		if (strcmp(tab->key, key) == 0)
			return tab;
	return NULL;
}

/* The table of list `list` (NULL: the top level). */
static const struct field *table(const char *list)
{
	return list ? find(schema_top_fields, list)->sub : schema_top_fields;
}

static int walk_defaults(const struct field *tab)
{
	static alignas(max_align_t) char obj[8192];
	int bad = 0;

	memset(obj, 0, sizeof(obj));
	bad += fields_defaults(tab, obj) != 0;
	for (const struct field *f = tab; f->key; f++)
		if (f->sub && (f->flags & FL_LIST))
			bad += walk_defaults(f->sub);
	return bad;
}

START_TEST(test_every_default_of_the_tables_parses)
{
	ck_assert_int_eq(walk_defaults(schema_top_fields), 0);
}
END_TEST

static const char minimal[] =
	"name: m\n"
	"hosts: [{name: h0}]\n"
	"switches: [{name: s}]\n"
	"devices: [{name: d}]\n"
	"links: [{a: h0, b: s, gen: 4, width: 8}, {a: s, b: d, gen: 4, width: 8}]\n"
	"assign: [{host: h0, device: d, vfs: 2}]\n"
	"workloads: [{host: h0, device: d, op: write, size: 64B, rate: 1Gbps}]\n";

/* Contract §1 "Defaults" and the values it shows, §4 run.batches: numbers from the text,
 * not from the tables, so a wrong def fails here. Times compared exactly: each is one
 * decimal literal times a power of ten, as units.c computes it. */
START_TEST(test_a_file_gets_the_contract_defaults)
{
	char diag[2048];
	struct topo *t = tu_load(minimal, NULL, 0, diag, sizeof(diag));

	ck_assert_msg(t != NULL, "%s", diag);
	ck_assert(t->run.duration == 1e-3 && t->run.warmup == 0 && t->run.seed == 1 &&
		  t->run.bin == 0 && t->run.batches == 20);
	ck_assert(t->pcie.mps == 256 && t->pcie.mrrs == 512 && t->pcie.rcb == 64 &&
		  t->pcie.tags == 256 && t->pcie.address_bits == 64 && !t->pcie.ecrc &&
		  t->pcie.completions == CPL_MPS && t->pcie.overhead_spec);
	ck_assert(t->hosts[0].memory_latency == 100 * 1e-9);
	ck_assert(t->hosts[0].iommu.page_size == 4096 && t->hosts[0].iommu.iotlb_entries == 64 &&
		  t->hosts[0].iommu.walk_latency == 250 * 1e-9 && t->hosts[0].iommu.walkers == 4);
	ck_assert(t->switches[0].latency == 150 * 1e-9 && t->switches[0].buffer == 16384 &&
		  t->switches[0].flow_control == FC_PER_VH && t->switches[0].arb.policy == ARB_RR);
	ck_assert(t->devices[0].max_vhs == 8 && t->devices[0].total_vfs == 64 &&
		  t->devices[0].kind == DEV_GENERIC && t->devices[0].arb.policy == ARB_RR &&
		  !t->devices[0].atc.present && t->devices[0].max_rate == 0);
	ck_assert(t->links[0].latency == 20 * 1e-9);
	ck_assert(t->workloads[0].arrival == ARRIVAL_POISSON &&
		  t->workloads[0].pattern == PATTERN_SEQUENTIAL &&
		  t->workloads[0].footprint == 1048576 && t->workloads[0].vfs_all &&
		  t->workloads[0].start == 0 && t->workloads[0].stop == 0 &&
		  t->workloads[0].unmap_rate == 0);
	topo_destroy(t);
}
END_TEST

/* Custom keys are loaded by handlers and defaulted in C: writing the def string the tables
 * announce must give what leaving the key out gives. */
START_TEST(test_custom_defaults_are_what_the_tables_say)
{
	const struct field *vfs = find(table("workloads"), "vfs");
	const struct field *arr = find(table("workloads"), "arrival");
	const struct field *unmap = find(table("workloads"), "unmap_rate");
	const struct field *ovh = find(find(schema_top_fields, "pcie")->sub, "link_overhead");
	char yaml[2048], diag[2048];

	ck_assert(vfs && arr && unmap && ovh && vfs->def && arr->def && unmap->def && ovh->def);
	snprintf(yaml, sizeof(yaml),
		 "name: m\npcie: {link_overhead: %s}\nhosts: [{name: h0}]\nswitches: [{name: s}]\n"
		 "devices: [{name: d}]\nlinks: [{a: h0, b: s, gen: 4, width: 8}, "
		 "{a: s, b: d, gen: 4, width: 8}]\nassign: [{host: h0, device: d, vfs: 2}]\n"
		 "workloads: [{host: h0, device: d, op: write, size: 64B, rate: 1Gbps, vfs: %s, "
		 "arrival: %s, unmap_rate: %s}]\n", ovh->def, vfs->def, arr->def, unmap->def);
	struct topo *given = tu_load(yaml, NULL, 0, diag, sizeof(diag));
	ck_assert_msg(given != NULL, "%s", diag);
	struct topo *left = tu_load(minimal, NULL, 0, diag, sizeof(diag));
	ck_assert_msg(left != NULL, "%s", diag);
	ck_assert_int_eq(given->workloads[0].vfs_all, left->workloads[0].vfs_all);
	ck_assert_int_eq(given->workloads[0].arrival, left->workloads[0].arrival);
	ck_assert(given->workloads[0].unmap_rate == left->workloads[0].unmap_rate);
	ck_assert_int_eq(given->pcie.overhead_spec, left->pcie.overhead_spec);
	topo_destroy(given);
	topo_destroy(left);
}
END_TEST

/* The keys fleets expand (contract §8) are exactly the names and references it lists. */
START_TEST(test_ranges_are_taken_by_the_contracts_keys)
{
	static const char *const want[] = {"hosts.name", "switches.name", "devices.name",
					   "links.a", "links.b", "links.name", "assign.host",
					   "assign.device", "workloads.name", "workloads.host",
					   "workloads.device", NULL};
	int n = 0;

	for (const struct field *l = schema_top_fields; l->key; l++) {
		for (const struct field *f = l->sub; l->flags & FL_LIST && f->key; f++) {
			char path[64];
			int found = 0;
			snprintf(path, sizeof(path), "%s.%s", l->key, f->key);
			for (int i = 0; want[i]; i++)
				found |= strcmp(want[i], path) == 0;
			ck_assert_msg(found == !!(f->flags & FL_RANGE), "%s", path);
			n += found;
		}
	}
	ck_assert_int_eq(n, 11);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("tables");
	tcase_add_test(tc, test_every_default_of_the_tables_parses);
	tcase_add_test(tc, test_a_file_gets_the_contract_defaults);
	tcase_add_test(tc, test_custom_defaults_are_what_the_tables_say);
	tcase_add_test(tc, test_ranges_are_taken_by_the_contracts_keys);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
