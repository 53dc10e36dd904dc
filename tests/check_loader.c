/* check_loader.c - every key of contract §1 is read with its units, and every default the
 * contract lists is applied. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char full[] =
	"name: full.chassis-1\n"
	"description: every key\n"
	"run: {duration: 5ms, warmup: 500us, seed: 42, bin: 50us}\n"
	"pcie: {mps: 512, mrrs: 1024, rcb: 128, tags: 64, address_bits: 32, ecrc: true,\n"
	"       completions: rcb, link_overhead: 0.05}\n"
	"hosts:\n"
	"  - name: b0\n"
	"    memory_latency: 90ns\n"
	"    iommu: {page_size: 2MiB, iotlb_entries: 128, walk_latency: 300ns, walkers: 2}\n"
	"  - {name: b1}\n"
	"switches:\n"
	"  - name: sw\n"
	"    latency: 105ns\n"
	"    buffer: 32KiB\n"
	"    flow_control: shared\n"
	"    arbitration: {policy: wrr, weights: {b0: 3}, priority: [b1]}\n"
	"devices:\n"
	"  - name: nic\n"
	"    kind: nic\n"
	"    total_vfs: 16\n"
	"    max_vhs: 4\n"
	"    atc: {entries: 64, policy: fifo, scope: shared}\n"
	"    arbitration: {policy: strict, priority: [b1, b0]}\n"
	"    max_rate: 100Gbps\n"
	"links:\n"
	"  - {a: b0, b: sw, gen: 5, width: 32, latency: 35ns, name: up0}\n"
	"  - {a: b1, b: sw, gen: 1, width: 1}\n"
	"  - {a: sw, b: nic, gen: 6, width: 12}\n"
	"assign:\n"
	"  - {host: b0, device: nic, vfs: 3}\n"
	"  - {host: b1, device: nic, vfs: [0, 9]}\n"
	"workloads:\n"
	"  - name: rx\n"
	"    host: b0\n"
	"    device: nic\n"
	"    vfs: 2\n"
	"    op: write\n"
	"    size: 1500B\n"
	"    rate: 3GBps\n"
	"    arrival: constant\n"
	"    pattern: random\n"
	"    footprint: 4MiB\n"
	"    start: 10us\n"
	"    stop: 4ms\n"
	"  - {host: b1, device: nic, op: read, size: 4KiB, outstanding: 8}\n";

START_TEST(test_every_key_is_read)
{
	char err[4096] = "";
	struct topo *t = tu_load(full, NULL, 0, err, sizeof(err));

	ck_assert_msg(t != NULL, "load failed: %s", err);
	ck_assert_str_eq(t->name, "full.chassis-1");
	ck_assert_str_eq(t->description, "every key");
	ck_assert_double_eq_tol(t->run.duration, 5e-3, 1e-15);
	ck_assert_double_eq_tol(t->run.warmup, 500e-6, 1e-15);
	ck_assert_uint_eq(t->run.seed, 42);
	ck_assert_double_eq_tol(t->run.bin, 50e-6, 1e-15);
	ck_assert_uint_eq(t->pcie.mps, 512);
	ck_assert_uint_eq(t->pcie.mrrs, 1024);
	ck_assert_uint_eq(t->pcie.rcb, 128);
	ck_assert_uint_eq(t->pcie.tags, 64);
	ck_assert_uint_eq(t->pcie.address_bits, 32);
	ck_assert(t->pcie.ecrc);
	ck_assert_int_eq(t->pcie.completions, CPL_RCB);
	ck_assert(!t->pcie.overhead_spec);
	ck_assert_double_eq_tol(t->pcie.overhead_fraction, 0.05, 1e-12);

	ck_assert_double_eq_tol(t->hosts[0].memory_latency, 90e-9, 1e-18);
	ck_assert_uint_eq(t->hosts[0].iommu.page_size, 2u << 20);
	ck_assert_uint_eq(t->hosts[0].iommu.iotlb_entries, 128);
	ck_assert_double_eq_tol(t->hosts[0].iommu.walk_latency, 300e-9, 1e-18);
	ck_assert_uint_eq(t->hosts[0].iommu.walkers, 2);

	const struct topo_switch *sw = &t->switches[0];
	ck_assert_double_eq_tol(sw->latency, 105e-9, 1e-18);
	ck_assert_uint_eq(sw->buffer, 32768);
	ck_assert_int_eq(sw->flow_control, FC_SHARED);
	ck_assert_int_eq(sw->arb.policy, ARB_WRR);
	ck_assert_uint_eq(sw->arb.host_weight[0], 3);
	ck_assert_uint_eq(sw->arb.host_weight[1], 1); /* unnamed hosts weigh 1 */
	ck_assert_int_eq(sw->arb.host_order[0], 1);   /* listed first, the rest in file order */
	ck_assert_int_eq(sw->arb.host_order[1], 0);

	const struct topo_device *d = &t->devices[0];
	ck_assert_int_eq(d->kind, DEV_NIC);
	ck_assert_uint_eq(d->total_vfs, 16);
	ck_assert_uint_eq(d->max_vhs, 4);
	ck_assert(d->atc.present);
	ck_assert_uint_eq(d->atc.entries, 64);
	ck_assert_int_eq(d->atc.policy, ATC_FIFO);
	ck_assert_int_eq(d->atc.scope, ATC_SHARED);
	ck_assert_int_eq(d->arb.policy, ARB_STRICT);
	ck_assert_int_eq(d->arb.host_order[0], 1);
	ck_assert_double_eq(d->max_rate, 100e9);

	ck_assert_str_eq(t->links[0].name, "up0");
	ck_assert_uint_eq(t->links[0].gen, 5);
	ck_assert_uint_eq(t->links[0].width, 32);
	ck_assert_double_eq_tol(t->links[0].latency, 35e-9, 1e-18);
	ck_assert_str_eq(t->links[1].name, "b1-sw"); /* default "<a>-<b>" */
	ck_assert_double_eq_tol(t->links[1].latency, 20e-9, 1e-18);
	ck_assert_uint_eq(t->links[2].width, 12);

	/* explicit lists first, then the lowest free indices: b0 gets 1, 2, 3 */
	ck_assert_uint_eq(t->assigns[0].nvfs, 3);
	ck_assert_uint_eq(t->assigns[0].vfs[0], 1);
	ck_assert_uint_eq(t->assigns[0].vfs[2], 3);
	ck_assert_int_eq(d->vf_host[0], 1);
	ck_assert_int_eq(d->vf_host[9], 1);
	ck_assert_int_eq(d->vf_host[4], -1);

	const struct topo_workload *w = &t->workloads[0];
	ck_assert_str_eq(w->name, "rx");
	ck_assert(!w->vfs_all);
	ck_assert_uint_eq(w->vfs_n, 2);
	ck_assert_int_eq(w->op, OP_WRITE);
	ck_assert_uint_eq(w->size, 1500);
	ck_assert(w->has_rate);
	ck_assert_double_eq(w->rate, 24e9);
	ck_assert_int_eq(w->arrival, ARRIVAL_CONSTANT);
	ck_assert_int_eq(w->pattern, PATTERN_RANDOM);
	ck_assert_uint_eq(w->footprint, 4u << 20);
	ck_assert_double_eq_tol(w->start, 10e-6, 1e-18);
	ck_assert_double_eq_tol(w->stop, 4e-3, 1e-15);
	ck_assert_str_eq(t->workloads[1].name, "w1"); /* default "w<index>" */
	ck_assert(t->workloads[1].has_outstanding);
	ck_assert_uint_eq(t->workloads[1].outstanding, 8);
	topo_destroy(t);
}
END_TEST

START_TEST(test_contract_defaults)
{
	char err[4096] = "";
	struct topo *t = tu_load(tu_two_hosts, NULL, 0, err, sizeof(err));

	ck_assert_msg(t != NULL, "load failed: %s", err);
	ck_assert_double_eq_tol(t->run.duration, 1e-3, 1e-15);
	ck_assert_double_eq(t->run.warmup, 0);
	ck_assert_uint_eq(t->run.seed, 1);
	ck_assert_double_eq(t->run.bin, 0);
	ck_assert_uint_eq(t->pcie.mps, 256);
	ck_assert_uint_eq(t->pcie.mrrs, 512);
	ck_assert_uint_eq(t->pcie.rcb, 64);
	ck_assert_uint_eq(t->pcie.tags, 256);
	ck_assert_uint_eq(t->pcie.address_bits, 64);
	ck_assert(!t->pcie.ecrc);
	ck_assert_int_eq(t->pcie.completions, CPL_MPS);
	ck_assert(t->pcie.overhead_spec);
	ck_assert_double_eq_tol(t->hosts[0].memory_latency, 100e-9, 1e-18);
	ck_assert_uint_eq(t->hosts[0].iommu.page_size, 4096);
	ck_assert_uint_eq(t->hosts[0].iommu.iotlb_entries, 64);
	ck_assert_double_eq_tol(t->hosts[0].iommu.walk_latency, 250e-9, 1e-18);
	ck_assert_uint_eq(t->hosts[0].iommu.walkers, 4);
	ck_assert_double_eq_tol(t->switches[0].latency, 150e-9, 1e-18);
	ck_assert_uint_eq(t->switches[0].buffer, 16384);
	ck_assert_int_eq(t->switches[0].flow_control, FC_PER_VH);
	ck_assert_int_eq(t->switches[0].arb.policy, ARB_RR);
	ck_assert_uint_eq(t->devices[0].max_vhs, 8);
	ck_assert(!t->devices[0].atc.present);
	ck_assert_int_eq(t->devices[0].arb.policy, ARB_RR);
	ck_assert_double_eq(t->devices[0].max_rate, 0);
	ck_assert_double_eq_tol(t->links[0].latency, 20e-9, 1e-18);
	const struct topo_workload *w = &t->workloads[0];
	ck_assert_int_eq(w->arrival, ARRIVAL_POISSON);
	ck_assert_int_eq(w->pattern, PATTERN_SEQUENTIAL);
	ck_assert_uint_eq(w->footprint, 1u << 20);
	ck_assert(w->vfs_all);
	ck_assert_double_eq(w->start, 0);
	ck_assert_double_eq(w->stop, 0);
	topo_destroy(t);
}
END_TEST

START_TEST(test_total_vfs_default_is_64)
{
	static const char y[] = "name: x\nhosts: [{name: h}]\ndevices: [{name: d}]\n"
				"links: [{a: h, b: d, gen: 3, width: 4}]\n"
				"assign: [{host: h, device: d, vfs: 64}]\n";
	struct topo *t = tu_load(y, NULL, 0, NULL, 0);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->devices[0].total_vfs, 64);
	topo_destroy(t);
}
END_TEST

START_TEST(test_several_errors_are_all_reported_in_order)
{
	static const char y[] = "name: x\n"
				"pcie: {mps: 300, rcb: 32}\n"
				"hosts: [{name: h, memory_latency: fast}]\n"
				"devices: [{name: d}]\n"
				"links: [{a: h, b: d, gen: 9, width: 4}]\n";
	char err[4096] = "";
	ck_assert_ptr_null(tu_load(y, NULL, 0, err, sizeof(err)));
	ck_assert_str_eq(err,
		"t.yaml:2:13: error: mps: expected 128, 256, 512, 1024, 2048 or 4096, got '300'\n"
		"t.yaml:2:23: error: rcb: expected 64 or 128, got '32'\n"
		"t.yaml:3:35: error: memory_latency: expected a time such as 150ns, 2.5us or 1ms, "
		"got 'fast'\n"
		"t.yaml:5:27: error: gen: expected 1 to 6, got '9'\n");
}
END_TEST

START_TEST(test_unknown_key_suggests_the_near_miss)
{
	char err[1024] = "";
	static const char y[] = "name: x\nhosts: [{name: h, memroy_latency: 1ns}]\n"
				"devices: [{name: d}]\nlinks: [{a: h, b: d, gen: 3, width: 4}]\n";
	ck_assert_ptr_null(tu_load(y, NULL, 0, err, sizeof(err)));
	ck_assert_str_eq(err, "t.yaml:2:19: error: unknown key 'memroy_latency' in hosts; "
			      "did you mean 'memory_latency'?\n");
}
END_TEST

START_TEST(test_syntax_error_has_one_based_position)
{
	char err[1024] = "";
	ck_assert_ptr_null(tu_load("name: x\nhosts: [a, b\n", NULL, 0, err, sizeof(err)));
	/* an unclosed bracket is reported at the bracket, with where libyaml gave up */
	ck_assert_str_eq(err, "t.yaml:2:8: error: YAML syntax: '[' is not closed: did not find "
			      "expected ',' or ']' before line 3, column 1\n");
	ck_assert_ptr_null(tu_load("name: x\nhosts: a: b\n", NULL, 0, err, sizeof(err)));
	ck_assert_msg(strncmp(err, "t.yaml:2:9: error: YAML syntax:", 31) == 0, "%s", err);
}
END_TEST

START_TEST(test_null_and_empty_inputs)
{
	char err[1024] = "";
	ck_assert_ptr_null(tu_load("", NULL, 0, err, sizeof(err)));
	ck_assert_str_eq(err, "t.yaml:1:1: error: the file holds no topology\n");
	ck_assert_ptr_null(tu_load("name: x\nhosts: ~\n", NULL, 0, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "hosts: expected a list"));
	topo_destroy(NULL); /* a no-op */
}
END_TEST

START_TEST(test_alias_bomb_is_bounded)
{
	/* one assign entry holding a 1000-index list, then 2500 aliases of it: 2.5 million
	 * nodes to visit once expanded, past the loader's bound of 2 million, in a place the
	 * schema does read (an unknown key would stop it before any expansion) */
	size_t cap = 64 * 1024, n = 0;
	char *y = malloc(cap), err[4096] = "";
	ck_assert_ptr_nonnull(y);
	n += (size_t)snprintf(y + n, cap - n,
			      "name: x\nhosts: [{name: h}]\ndevices: [{name: d, total_vfs: 1000}]\n"
			      "links: [{a: h, b: d, gen: 3, width: 4}]\n"
			      "assign: [&e {host: h, device: d, vfs: [0");
	for (int i = 1; i < 1000; i++)
		n += (size_t)snprintf(y + n, cap - n, ", %d", i);
	n += (size_t)snprintf(y + n, cap - n, "]}");
	for (int i = 0; i < 2500; i++)
		n += (size_t)snprintf(y + n, cap - n, ", *e");
	snprintf(y + n, cap - n, "]\n");
	ck_assert_ptr_null(tu_load(y, NULL, 0, err, sizeof(err)));
	ck_assert_msg(strstr(err, "the document is too large"), "%.300s", err);
	free(y);
}
END_TEST

/* "[[[...]]]" n deep after prefix, as one NUL-terminated string (the caller frees it). */
static char *deep_brackets(const char *prefix, size_t n)
{
	size_t lp = strlen(prefix);
	char *y = malloc(lp + 2 * n + 2);

	ck_assert_ptr_nonnull(y);
	memcpy(y, prefix, lp);
	memset(y + lp, '[', n);
	memset(y + lp + n, ']', n);
	strcpy(y + lp + 2 * n, "\n");
	return y;
}

START_TEST(test_deep_nesting_is_refused_quickly)
{
	/* libyaml 0.2.5 loads this in time quadratic in the depth (half a minute for 100000
	 * levels): the loader must stop at level 65, well within Check's timeout */
	char err[1024] = "";
	char *y = deep_brackets("name: x\nhosts: ", 100000);
	char *v = deep_brackets("run.x=", 60000);
	char *sets[] = {v};

	v[strlen(v) - 1] = '\0';
	ck_assert_ptr_null(tu_load(y, NULL, 0, err, sizeof(err)));
	ck_assert_str_eq(err, "t.yaml:2:71: error: nesting deeper than 64 levels\n");
	ck_assert_ptr_null(tu_load(tu_two_hosts, sets, 1, err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:71: error: --set run.x: nesting deeper than 64 "
			      "levels\n");
	free(y);
	free(v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("keys");
	tcase_add_test(tc, test_every_key_is_read);
	tcase_add_test(tc, test_contract_defaults);
	tcase_add_test(tc, test_total_vfs_default_is_64);
	tcase_add_test(tc, test_several_errors_are_all_reported_in_order);
	tcase_add_test(tc, test_unknown_key_suggests_the_near_miss);
	tcase_add_test(tc, test_syntax_error_has_one_based_position);
	tcase_add_test(tc, test_null_and_empty_inputs);
	tcase_add_test(tc, test_alias_bomb_is_bounded);
	suite_add_tcase(s, tc);
	/* without the depth guard this takes half a minute: a short timeout makes that a failure */
	TCase *limits = tcase_create("limits");
	tcase_set_timeout(limits, 10);
	tcase_add_test(limits, test_deep_nesting_is_refused_quickly);
	suite_add_tcase(s, limits);
	return tu_run(s);
}
