/* check_sim_queueing.c - queueing theory against the simulator.
 * M/D/1: Poisson arrivals of single-TLP writes at one link; the mean wait is
 *   W = rho * T / (2 (1 - rho))   (Pollaczek-Khinchine with deterministic service T),
 * and a DMA's latency is W + T + the link latency.
 * Little's law: in closed loop, throughput = outstanding * size / mean latency.
 * (Page walks cost nothing in the M/D/1 runs: they would add service-time variance.) */
#include <math.h>
#include <stdio.h>

#include "pcie.h"
#include "simtest.h"

/* Gen3 x8, MPS 256: a 256-B write is 280 B of TLP at the TLP-layer rate */
static double service_time(void)
{
	double tlp_bps = pcie_raw_bps(3, 8) * (1 - pcie_spec_overhead(3, 8, 256));
	return 280 * 8 / tlp_bps;
}

static void md1(double rho, double tol, double arrivals)
{
	double T = service_time(), lat = 20e-9;
	double rate_bps = rho / T * 256 * 8;
	double dur = arrivals * T / rho;
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
		 "name: md1\n"
		 "run: {duration: %.9g, warmup: %.9g, seed: 11}\n"
		 "hosts: [{name: h, iommu: {walk_latency: 0}}]\n"
		 "devices: [{name: d, total_vfs: 1}]\n"
		 "links: [{a: h, b: d, gen: 3, width: 8, latency: 20ns}]\n"
		 "assign: [{host: h, device: d, vfs: 1}]\n"
		 "workloads: [{host: h, device: d, op: write, size: 256B, rate: %.9gbps, "
		 "arrival: poisson}]\n",
		 dur, dur / 20, rate_bps);
	struct sim *s = st_run(yaml, NULL, 0);
	struct stat_summary m = st_host(s, 0);
	double wait = m.mean_ns * 1e-9 - T - lat;
	double want = rho * T / (2 * (1 - rho));
	fprintf(stderr, "M/D/1 rho %.2f: mean wait %.3f ns, analytic %.3f ns (%+.2f %%)\n", rho,
		wait * 1e9, want * 1e9, 100 * (wait / want - 1));
	ck_assert_msg(fabs(wait - want) <= tol * want,
		      "rho %.2f: mean wait %.2f ns, M/D/1 %.2f ns (%.1f %%)", rho, wait * 1e9,
		      want * 1e9, 100 * (wait / want - 1));
	/* and the link carries the offered load */
	ck_assert_double_eq_tol(m.gbps, rate_bps / 1e9, 0.02 * rate_bps / 1e9);
}

START_TEST(test_md1_wait_at_load_0_5)
{
	/* 400 000 arrivals: the mean wait's standard error is about 0.5 % */
	md1(0.5, 0.02, 400000);
}
END_TEST

START_TEST(test_md1_wait_at_load_0_8)
{
	md1(0.8, 0.03, 400000);
}
END_TEST

START_TEST(test_md1_wait_at_load_0_9)
{
	/* 1 000 000 arrivals: the standard error is about 0.7 % at rho 0.9 (it grows as
	 * 1 / (1 - rho)); 3 % is four of them */
	md1(0.9, 0.03, 1000000);
}
END_TEST

/* Closed loop through a switch with reads and writes: Little's law holds per host. */
START_TEST(test_littles_law_in_closed_loop)
{
	static const char yaml[] =
		"name: little\n"
		"run: {duration: 400us, warmup: 40us}\n"
		"hosts: [{name: h0}, {name: h1, memory_latency: 300ns}]\n"
		"switches: [{name: s}]\n"
		"devices: [{name: d, total_vfs: 8}]\n"
		"links:\n"
		"  - {a: h0, b: s, gen: 4, width: 8}\n"
		"  - {a: h1, b: s, gen: 3, width: 4}\n"
		"  - {a: s, b: d, gen: 4, width: 16}\n"
		"assign: [{host: h0, device: d, vfs: 3}, {host: h1, device: d, vfs: 2}]\n"
		"workloads:\n"
		"  - {host: h0, device: d, op: write, size: 1500B, outstanding: 5}\n"
		"  - {host: h1, device: d, op: read, size: 4KiB, outstanding: 3}\n";
	struct sim *s = st_run(yaml, NULL, 0);
	const int n[2] = {3 * 5, 2 * 3}, size[2] = {1500, 4096};

	for (int h = 0; h < 2; h++) {
		struct stat_summary m = st_host(s, h);
		double little = n[h] * size[h] * 8 / (m.mean_ns * 1e-9) / 1e9;
		/* 1 %: DMAs in flight across the window's edges */
		ck_assert_msg(fabs(m.gbps - little) <= 0.01 * little,
			      "host %d: %.3f Gb/s, Little %.3f Gb/s", h, m.gbps, little);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_queueing");
	TCase *tc = tcase_create("analytic");
	tcase_add_test(tc, test_md1_wait_at_load_0_5);
	tcase_add_test(tc, test_md1_wait_at_load_0_8);
	tcase_add_test(tc, test_md1_wait_at_load_0_9);
	tcase_add_test(tc, test_littles_law_in_closed_loop);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
