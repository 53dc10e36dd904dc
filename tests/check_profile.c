/* check_profile.c - the calibrated profiles of contract §12 (fabric/profile.c): lookups,
 * a profile sets only what the file left alone whatever the key order, --set wins over
 * both, and a topology without a profile keeps every default. */
#include <string.h>

#include "profile.h"
#include "testutil.h"

#define NS 1e-9

static const char chassis[] =
	"name: p\n"
	"hosts:\n"
	"  - {name: h0%s}\n"
	"devices:\n"
	"  - {name: d0, total_vfs: 1%s}\n"
	"links:\n"
	"  - {a: h0, b: d0, gen: 3, width: 8}\n";

/* Load chassis with extra keys for the host and the device. */
static struct topo *load_with(const char *host_keys, const char *dev_keys, char *const *sets,
			      size_t nsets)
{
	char yaml[1024], diag[2048] = "";
	struct topo *t;

	snprintf(yaml, sizeof(yaml), chassis, host_keys, dev_keys);
	t = tu_load(yaml, sets, nsets, diag, sizeof(diag));
	ck_assert_msg(t != NULL, "does not load:\n%s", diag);
	return t;
}

START_TEST(test_profile_find_knows_the_shipped_names_only)
{
	ck_assert_int_ge(profile_host_find("hsw-e5-2620v3"), 0);
	ck_assert_int_ge(profile_host_find("bdw-e5-2630v4"), 0);
	ck_assert_int_ge(profile_host_find("snb-e5-2630"), 0);
	ck_assert_int_ge(profile_device_find("nfp6000"), 0);
	ck_assert_int_eq(profile_host_find("nfp6000"), -1); /* a device profile is no host's */
	ck_assert_int_eq(profile_device_find("hsw-e5-2620v3"), -1);
	ck_assert_int_eq(profile_host_find("HSW-E5-2620V3"), -1);
	ck_assert_int_eq(profile_host_find(""), -1);
}
END_TEST

START_TEST(test_profile_names_are_unique)
{
	for (size_t i = 0; i < nhost_profiles; i++)
		for (size_t j = i + 1; j < nhost_profiles; j++)
			ck_assert_str_ne(host_profiles[i].name, host_profiles[j].name);
	for (size_t i = 0; i < nhost_profiles; i++)
		ck_assert_ptr_nonnull(host_profiles[i].fitted_on);
	for (size_t i = 0; i < ndevice_profiles; i++)
		ck_assert_ptr_nonnull(device_profiles[i].fitted_on);
}
END_TEST

/* without a profile every §12 key has its default: nothing changes for existing files */
START_TEST(test_no_profile_keeps_the_defaults)
{
	struct topo *t = load_with("", "", NULL, 0);
	const struct topo_device *d = &t->devices[0];

	ck_assert_int_eq(t->hosts[0].profile, 0);
	ck_assert_int_eq(t->hosts[0].numa, NUMA_LOCAL);
	ck_assert_double_eq_tol(t->hosts[0].memory_latency, 100 * NS, 1e-15);
	ck_assert_double_eq(t->hosts[0].line_time, 0);
	ck_assert_uint_eq(t->hosts[0].iommu.iotlb_entries, 64);
	ck_assert_int_eq(d->profile, 0);
	ck_assert_double_eq(d->dma.latency, 0);
	ck_assert_double_eq(d->dma.interval[OP_READ], 0);
	ck_assert_double_eq(d->dma.interval[OP_WRITE], 0);
	ck_assert_double_eq(d->dma.cost, 0);
	ck_assert_double_eq(d->dma.byte_cost, 0);
	/* no block cost: the 64-byte block default changes nothing */
	for (int op = 0; op < 2; op++) {
		ck_assert_uint_eq(d->dma.block[op], 64);
		ck_assert_double_eq(d->dma.block_cost[op], 0);
	}
	ck_assert_uint_eq(d->dma.concurrency, 0);
	topo_destroy(t);
}
END_TEST

START_TEST(test_profile_sets_its_values)
{
	struct topo *t = load_with(", profile: hsw-e5-2620v3", ", profile: nfp6000", NULL, 0);
	const struct host_profile *hp = &host_profiles[profile_host_find("hsw-e5-2620v3")];
	const struct device_profile *dp = &device_profiles[profile_device_find("nfp6000")];
	const struct topo_device *d = &t->devices[0];

	ck_assert_int_eq(t->hosts[0].profile, profile_host_find("hsw-e5-2620v3") + 1);
	ck_assert_double_eq(t->hosts[0].memory_latency, hp->memory_latency);
	ck_assert_double_eq(t->hosts[0].line_time, hp->line_time);
	ck_assert_uint_eq(t->hosts[0].iommu.iotlb_entries, hp->iotlb_entries);
	ck_assert_double_eq(t->hosts[0].iommu.walk_latency, hp->walk_latency);
	ck_assert_double_eq(d->dma.latency, dp->dma.latency);
	ck_assert_double_eq(d->dma.interval[OP_WRITE], dp->dma.interval[OP_WRITE]);
	ck_assert_double_eq(d->dma.byte_cost, dp->dma.byte_cost);
	for (int op = 0; op < 2; op++) {
		ck_assert_uint_eq(d->dma.block[op], dp->dma.block[op]);
		ck_assert_double_eq(d->dma.block_cost[op], dp->dma.block_cost[op]);
	}
	/* the NFP-6000 fetches writes in 128-byte blocks and stores reads in 64-byte lines */
	ck_assert_uint_eq(d->dma.block[OP_WRITE], 128);
	ck_assert_uint_eq(d->dma.block[OP_READ], 64);
	ck_assert_uint_eq(d->dma.concurrency, dp->dma.concurrency);
	topo_destroy(t);
}
END_TEST

/* a key of the file beats the profile whether it comes before or after profile: */
START_TEST(test_file_key_beats_profile_in_either_order)
{
	static const char *const orders[][2] = {
		{", line_time: 3ns, profile: bdw-e5-2630v4, iommu: {walkers: 7}",
		 ", dma_concurrency: 5, write_block: 256B, profile: nfp6000, dma_latency: 10ns"},
		{", profile: bdw-e5-2630v4, iommu: {walkers: 7}, line_time: 3ns",
		 ", profile: nfp6000, dma_latency: 10ns, dma_concurrency: 5, write_block: 256B"},
	};
	const struct host_profile *hp = &host_profiles[profile_host_find("bdw-e5-2630v4")];

	for (int i = 0; i < 2; i++) {
		struct topo *t = load_with(orders[i][0], orders[i][1], NULL, 0);
		ck_assert_double_eq_tol(t->hosts[0].line_time, 3 * NS, 1e-15);
		ck_assert_uint_eq(t->hosts[0].iommu.walkers, 7);
		/* the keys the file does not name still come from the profile */
		ck_assert_double_eq(t->hosts[0].iommu.walk_latency, hp->walk_latency);
		ck_assert_double_eq(t->hosts[0].remote_latency, hp->remote_latency);
		ck_assert_double_eq_tol(t->devices[0].dma.latency, 10 * NS, 1e-15);
		ck_assert_uint_eq(t->devices[0].dma.concurrency, 5);
		ck_assert_uint_eq(t->devices[0].dma.block[OP_WRITE], 256);
		ck_assert_uint_eq(t->devices[0].dma.block[OP_READ],
				  device_profiles[0].dma.block[OP_READ]);
		ck_assert_double_eq(t->devices[0].dma.block_cost[OP_WRITE],
				    device_profiles[0].dma.block_cost[OP_WRITE]);
		ck_assert_double_eq(t->devices[0].dma.interval[OP_READ],
				    device_profiles[0].dma.interval[OP_READ]);
		topo_destroy(t);
	}
}
END_TEST

START_TEST(test_set_beats_file_and_profile)
{
	char *sets[] = {"hosts.h0.line_time=4ns", "devices.d0.dma_byte_cost=0.5ns",
			"hosts.h0.numa=remote"};
	struct topo *t = load_with(", profile: hsw-e5-2620v3, line_time: 3ns", ", profile: nfp6000",
				   sets, 3);

	ck_assert_double_eq_tol(t->hosts[0].line_time, 4 * NS, 1e-15);
	ck_assert_str_eq(t->hosts[0].line_time_loc.file, "command line");
	ck_assert_int_eq(t->hosts[0].numa, NUMA_REMOTE);
	ck_assert_double_eq_tol(t->devices[0].dma.byte_cost, 0.5 * NS, 1e-15);
	topo_destroy(t);
}
END_TEST

/* --set can also choose the profile: the file's own keys still win over it */
START_TEST(test_set_profile_keeps_the_file_keys)
{
	char *sets[] = {"hosts.h0.profile=snb-e5-2630"};
	struct topo *t = load_with(", profile: hsw-e5-2620v3, memory_latency: 90ns", "", sets, 1);

	ck_assert_int_eq(t->hosts[0].profile, profile_host_find("snb-e5-2630") + 1);
	ck_assert_double_eq_tol(t->hosts[0].memory_latency, 90 * NS, 1e-15);
	topo_destroy(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");

	tcase_add_test(tc, test_profile_find_knows_the_shipped_names_only);
	tcase_add_test(tc, test_profile_names_are_unique);
	tcase_add_test(tc, test_no_profile_keeps_the_defaults);
	tcase_add_test(tc, test_profile_sets_its_values);
	tcase_add_test(tc, test_file_key_beats_profile_in_either_order);
	tcase_add_test(tc, test_set_beats_file_and_profile);
	tcase_add_test(tc, test_set_profile_keeps_the_file_keys);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
