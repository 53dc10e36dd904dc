/* check_sim_arbitration.c - bandwidth arbitration and credit-based flow control against
 * their analytic shares: WRR weights, weighted max-min with a host held back by its own
 * link, head-of-line blocking with shared buffers, strict priority, max_rate, no deadlock
 * under bidirectional saturation, and deadlock detection. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bottleneck.h"
#include "pcie.h"
#include "simtest.h"

#define SHARE_TOL 0.03

/* payload rate of saturated 256-B writes (or 4 KiB reads) on a link, pcie-bench model */
static double write_cap(int gen, int width)
{
	return pcie_raw_bps(gen, width) * (1 - pcie_spec_overhead(gen, width, 256)) * 256 / 280 / 1e9;
}

static void assert_share(double got, double want, const char *what)
{
	ck_assert_msg(fabs(got - want) <= SHARE_TOL * want, "%s: %.3f Gb/s, expected %.3f", what, got,
		      want);
}

/* 2 VFs per host, each host's DMA engine writing with 32 DMAs outstanding: enough to
 * saturate any of the links below */
#define THREE_SATURATING_WRITERS                                                           \
	"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2},\n"         \
	"         {host: h2, device: d, vfs: 2}]\n"                                       \
	"workloads:\n"                                                                      \
	"  - {host: h0, device: d, op: write, size: 256B, outstanding: 32}\n"               \
	"  - {host: h1, device: d, op: write, size: 256B, outstanding: 32}\n"               \
	"  - {host: h2, device: d, op: write, size: 256B, outstanding: 32}\n"

/* three hosts saturate one device link with writes; the device arbitrates with WRR 1:2:4 */
static const char wrr_dev[] =
	"name: wrr\nrun: {duration: 300us, warmup: 30us}\n"
	"hosts: [{name: h0}, {name: h1}, {name: h2}]\nswitches: [{name: s}]\n"
	"devices: [{name: d, total_vfs: 6, arbitration: {policy: wrr, weights: {h1: 2, h2: 4}}}]\n"
	"links: [{a: h0, b: s, gen: 4, width: 16}, {a: h1, b: s, gen: 4, width: 16},\n"
	"        {a: h2, b: s, gen: 4, width: 16}, {a: s, b: d, gen: 3, width: 8}]\n"
	THREE_SATURATING_WRITERS;

START_TEST(test_wrr_shares_follow_weights_at_the_device)
{
	struct sim *s = st_run(wrr_dev, NULL, 0);
	double c = write_cap(3, 8);
	const int w[3] = {1, 2, 4};

	for (int h = 0; h < 3; h++)
		assert_share(st_host(s, h).gbps, c * w[h] / 7, s->t->hosts[h].name);
}
END_TEST

/* the device reads 4 KiB from three hosts; their completions converge on the switch port
 * toward the device, which arbitrates with WRR 3:1:1 */
START_TEST(test_wrr_shares_follow_weights_at_a_switch_port)
{
	static const char yaml[] =
		"name: wrr2\nrun: {duration: 300us, warmup: 30us}\n"
		"hosts: [{name: h0}, {name: h1}, {name: h2}]\n"
		"switches: [{name: s, arbitration: {policy: wrr, weights: {h0: 3}}}]\n"
		"devices: [{name: d, total_vfs: 6}]\n"
		"links: [{a: h0, b: s, gen: 4, width: 16}, {a: h1, b: s, gen: 4, width: 16},\n"
		"        {a: h2, b: s, gen: 4, width: 16}, {a: s, b: d, gen: 3, width: 8}]\n"
		"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2},\n"
		"         {host: h2, device: d, vfs: 2}]\n"
		"workloads:\n"
		"  - {host: h0, device: d, op: read, size: 4KiB, outstanding: 16}\n"
		"  - {host: h1, device: d, op: read, size: 4KiB, outstanding: 16}\n"
		"  - {host: h2, device: d, op: read, size: 4KiB, outstanding: 16}\n";
	struct sim *s = st_run(yaml, NULL, 0);
	/* 4 KiB reads on Gen3 x8: completion-bound, 16 CplD of 256 B per DMA */
	double c = pcie_raw_bps(3, 8) * (1 - pcie_spec_overhead(3, 8, 256)) * 4096 /
		   (16 * 276) / 1e9;
	assert_share(st_host(s, 0).gbps, c * 3 / 5, "h0");
	assert_share(st_host(s, 1).gbps, c / 5, "h1");
	assert_share(st_host(s, 2).gbps, c / 5, "h2");
}
END_TEST

/* h0 sits behind a Gen1 x1 link: it gets that link's capacity; h1 and h2 share the rest of
 * the device link 1:2 (weighted max-min), and the device link stays busy */
static const char maxmin[] =
	"name: maxmin\nrun: {duration: 400us, warmup: 50us}\n"
	"hosts: [{name: h0}, {name: h1}, {name: h2}]\nswitches: [{name: s}]\n"
	"devices: [{name: d, total_vfs: 6,\n"
	"           arbitration: {policy: wrr, weights: {h0: 4, h1: 1, h2: 2}}}]\n"
	"links: [{a: h0, b: s, gen: 1, width: 1}, {a: h1, b: s, gen: 4, width: 16},\n"
	"        {a: h2, b: s, gen: 4, width: 16}, {a: s, b: d, gen: 3, width: 8}]\n"
	THREE_SATURATING_WRITERS;

START_TEST(test_weighted_max_min_with_a_narrow_host_link)
{
	struct sim *s = st_run(maxmin, NULL, 0);
	double c0 = write_cap(1, 1), c = write_cap(3, 8);
	struct bottleneck b;

	assert_share(st_host(s, 0).gbps, c0, "h0 (own link)");
	assert_share(st_host(s, 1).gbps, (c - c0) / 3, "h1");
	assert_share(st_host(s, 2).gbps, (c - c0) * 2 / 3, "h2");
	assert_share(st_total_gbps(s), c, "total (work-conserving)");
	bottleneck_find(s, 0, &b);
	ck_assert_msg(strstr(b.text, "limited by link h0-s (s->h0)"), "%s", b.text);
	bottleneck_find(s, 2, &b);
	ck_assert_msg(strstr(b.text, "limited by link s-d (d->s)"), "%s", b.text);
}
END_TEST

/* The same chassis with one shared buffer per ingress port: h0's TLPs at the head of the
 * FIFO block everyone behind them (head-of-line). The device's WRR 4:1:2 puts 3 TLPs of h1
 * and h2 behind every 4 of h0 in the switch's FIFO, and the FIFO drains at h0's link rate
 * c0, so h1 and h2 together get 3/4 of c0 instead of c - c0. */
START_TEST(test_shared_buffers_block_other_hosts)
{
	char *shared[] = {"switches.s.flow_control=shared"};
	struct sim *s = st_run(maxmin, shared, 1);
	double c0 = write_cap(1, 1), c = write_cap(3, 8);
	double others = st_host(s, 1).gbps + st_host(s, 2).gbps;
	double win = s->t->run.duration - s->t->run.warmup;
	const struct port *dev = NULL;

	assert_share(others, c0 * 3 / 4, "h1 + h2 behind h0's TLPs");
	assert_share(st_host(s, 0).gbps, c0, "h0 (not hurt)");
	for (size_t i = 0; i < s->e.nports; i++)
		if (!strcmp(topo_node_name(s->t, s->e.ports[i].from), "d"))
			dev = &s->e.ports[i];
	ck_assert_ptr_nonnull(dev);
	/* the closed loops always have a TLP ready: the device port sends for (h0 + others) / c
	 * of the window and waits on credits for the rest (0.01: the link's DLLP share) */
	ck_assert_double_eq_tol(dev->st.stall / win, 1 - (st_host(s, 0).gbps + others) / c, 0.01);
}
END_TEST

START_TEST(test_strict_priority_serves_the_top_host_and_starves_the_rest)
{
	char *strict[] = {"devices.d.arbitration={policy: strict, priority: [h2, h0]}"};
	struct sim *s = st_run(wrr_dev, strict, 1);
	double c = write_cap(3, 8);

	assert_share(st_host(s, 2).gbps, c, "h2 (top priority)");
	ck_assert_double_le(st_host(s, 0).gbps, 0.01 * c);
	ck_assert_double_le(st_host(s, 1).gbps, 0.01 * c);
}
END_TEST

START_TEST(test_rr_is_fair_when_all_saturate)
{
	char *rr[] = {"devices.d.arbitration.policy=rr"};
	struct sim *s = st_run(wrr_dev, rr, 1);
	double c = write_cap(3, 8);

	for (int h = 0; h < 3; h++)
		assert_share(st_host(s, h).gbps, c / 3, s->t->hosts[h].name);
}
END_TEST

START_TEST(test_max_rate_caps_the_dma_engine)
{
	char *cap[] = {"devices.d.max_rate=20Gbps", "devices.d.arbitration.policy=rr"};
	struct sim *s = st_run(wrr_dev, cap, 2);
	struct bottleneck b;

	assert_share(st_total_gbps(s), 20, "total under max_rate");
	bottleneck_find(s, 0, &b);
	ck_assert_msg(b.kind == BN_DEVICE, "%s", b.text);
}
END_TEST

/* Reads and writes saturate both directions through small buffers, per-VH and shared:
 * the run never stalls, everyone moves, credits stay within what was advertised. */
static void bidirectional(const char *fc)
{
	char yaml[2048];

	snprintf(yaml, sizeof(yaml),
		 "name: bidi\nrun: {duration: 200us, warmup: 20us}\npcie: {mps: 512, mrrs: 1024}\n"
		 "hosts: [{name: h0}, {name: h1}, {name: h2}, {name: h3}]\n"
		 "switches: [{name: s, buffer: 1KiB, flow_control: %s}]\n"
		 "devices: [{name: a, total_vfs: 8}, {name: b, total_vfs: 8}]\n"
		 "links: [{a: h0, b: s, gen: 3, width: 4}, {a: h1, b: s, gen: 3, width: 8},\n"
		 "        {a: h2, b: s, gen: 4, width: 8}, {a: h3, b: s, gen: 2, width: 4},\n"
		 "        {a: s, b: a, gen: 3, width: 8}, {a: s, b: b, gen: 4, width: 4}]\n"
		 "assign: [{host: h0, device: a, vfs: 2}, {host: h1, device: a, vfs: 2},\n"
		 "         {host: h2, device: b, vfs: 2}, {host: h3, device: b, vfs: 2},\n"
		 "         {host: h0, device: b, vfs: 2}, {host: h2, device: a, vfs: 2}]\n"
		 "workloads:\n"
		 "  - {host: h0, device: a, op: read, size: 4KiB, outstanding: 8}\n"
		 "  - {host: h0, device: b, op: write, size: 1500B, outstanding: 8}\n"
		 "  - {host: h1, device: a, op: write, size: 4KiB, outstanding: 8}\n"
		 "  - {host: h1, device: a, op: read, size: 64B, outstanding: 16}\n"
		 "  - {host: h2, device: b, op: read, size: 2KiB, outstanding: 8}\n"
		 "  - {host: h2, device: a, op: write, size: 512B, outstanding: 8}\n"
		 "  - {host: h3, device: b, op: write, size: 4KiB, outstanding: 8}\n"
		 "  - {host: h3, device: b, op: read, size: 4KiB, outstanding: 8}\n",
		 fc);
	struct sim *s = st_run(yaml, NULL, 0); /* fails the test on a deadlock */
	for (int h = 0; h < 4; h++)
		ck_assert_msg(st_host(s, h).gbps > 1, "host %d starved", h);
	for (size_t i = 0; i < s->e.nports; i++) {
		const struct port *p = &s->e.ports[i];
		for (int q = 0; q < p->fc.nsets * TLP_NCLASS; q++) {
			/* never more taken than advertised, never more given back than taken */
			const struct fc_pool *c = &p->fc.pool[q];
			ck_assert_int_ge(c->hdr, 0);
			ck_assert_int_ge(c->data, 0);
			if (c->hdr_limit >= 0) {
				ck_assert_int_le(fc_hdr_in_use(c), c->hdr_limit);
				ck_assert_int_ge(fc_hdr_in_use(c), 0);
			}
			if (c->data_limit >= 0) {
				ck_assert_int_le(fc_data_in_use(c), c->data_limit);
				ck_assert_int_ge(fc_data_in_use(c), 0);
			}
		}
	}
}

START_TEST(test_no_deadlock_under_bidirectional_saturation_per_vh)
{
	bidirectional("per_vh");
}
END_TEST

START_TEST(test_no_deadlock_under_bidirectional_saturation_shared)
{
	bidirectional("shared");
}
END_TEST

/* A buffer too small for one TLP's data never grants the credits: the run must end as a
 * failure that names where the traffic is stuck, not as a success. */
START_TEST(test_stuck_fabric_is_reported_as_a_failure)
{
	char err[1024] = "";
	char *argv[] = {"test", "--log=root.thres:critical", NULL};
	struct sim_opts o = {.sg_argc = 2, .sg_argv = argv};
	char *tiny[] = {"switches.s.buffer=8B"};
	struct topo *t = tu_load(wrr_dev, tiny, 1, err, sizeof(err));
	static struct sim sim;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(sim_run(&sim, t, &o), -EDEADLK);
	ck_assert_ptr_nonnull(strstr(sim.why, "deadlocked"));
	ck_assert_ptr_nonnull(strstr(sim.why, "link s-d"));
}
END_TEST

/* A root complex with a small receive buffer throttles writes to it: 2 KiB of posted data
 * credits returned one link latency after each TLP arrives cap one host at
 * buffer / (credit round trip), far below its link. */
START_TEST(test_root_complex_buffer_is_finite_and_configurable)
{
	static const char yaml[] =
		"name: rcbuf\nrun: {duration: 200us, warmup: 20us}\n"
		"hosts: [{name: h, buffer: 512B, iommu: {walk_latency: 0}}]\n"
		"devices: [{name: d, total_vfs: 2}]\n"
		"links: [{a: h, b: d, gen: 4, width: 16, latency: 500ns}]\n"
		"assign: [{host: h, device: d, vfs: 2}]\n"
		"workloads: [{host: h, device: d, op: write, size: 256B, outstanding: 64}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	/* 512 B = 2 TLPs of 256 B in flight per credit loop: send, 500 ns there, credit back
	 * 500 ns later (plus the TLP's own serialization) */
	double r = pcie_raw_bps(4, 16) * (1 - pcie_spec_overhead(4, 16, 256));
	double loop = 280 * 8 / r + 500e-9 + 500e-9;
	double want = 2 * 256 * 8 / loop / 1e9;
	assert_share(st_host(s, 0).gbps, want, "writes through a 512-B root-complex buffer");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_arbitration");
	TCase *tc = tcase_create("shares");
	tcase_add_test(tc, test_wrr_shares_follow_weights_at_the_device);
	tcase_add_test(tc, test_wrr_shares_follow_weights_at_a_switch_port);
	tcase_add_test(tc, test_weighted_max_min_with_a_narrow_host_link);
	tcase_add_test(tc, test_shared_buffers_block_other_hosts);
	tcase_add_test(tc, test_strict_priority_serves_the_top_host_and_starves_the_rest);
	tcase_add_test(tc, test_rr_is_fair_when_all_saturate);
	tcase_add_test(tc, test_max_rate_caps_the_dma_engine);
	tcase_add_test(tc, test_no_deadlock_under_bidirectional_saturation_per_vh);
	tcase_add_test(tc, test_no_deadlock_under_bidirectional_saturation_shared);
	tcase_add_test(tc, test_stuck_fabric_is_reported_as_a_failure);
	tcase_add_test(tc, test_root_complex_buffer_is_finite_and_configurable);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
