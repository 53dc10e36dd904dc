/* check_sim_ats.c - address translation against analysis: ATC hit ratios (C/W for uniform
 * random access whatever the policy, (k-1)/k sequential), the IOTLB cliff and 2 MiB pages,
 * the cost of a walk and of an ATC miss, walker-bound throughput, isolation of translation
 * requests, invalidations and their 32 ITags. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcie.h"
#include "simtest.h"

static double tlp_rate(int gen, int width)
{
	return pcie_raw_bps(gen, width) * (1 - pcie_spec_overhead(gen, width, 256));
}

static void host0_mean(struct sim *s, void *out)
{
	*(double *)out = st_host(s, 0).mean_ns;
}

/* Run yaml+sets in a child and return host 0's mean latency (ns). */
static double mean_latency_in_child(const char *yaml, char *const *sets, size_t n)
{
	double v = NAN;

	st_run_in_child(yaml, sets, n, host0_mean, &v, sizeof(v));
	return v;
}

static double atc_hit_ratio(struct sim *s)
{
	uint64_t h = 0, m = 0;
	for (size_t f = 0; f < s->t->nfunctions; f++) {
		h += s->e.vfs[f].atc_hits;
		m += s->e.vfs[f].atc_misses;
	}
	ck_assert_uint_gt(h + m, 1000);
	return (double)h / (double)(h + m);
}

static double iotlb_hit_ratio(struct sim *s, int host)
{
	const struct eng_host *eh = &s->e.hosts[host];
	ck_assert_uint_gt(eh->iotlb_hits + eh->iotlb_misses, 1000);
	return (double)eh->iotlb_hits / (double)(eh->iotlb_hits + eh->iotlb_misses);
}

/* 4 VFs, each with a 16-entry ATC, read 64 B at uniform random over 64 pages: C/W = 1/4 */
static const char atc_random[] =
	"name: atc\nrun: {duration: 3ms, warmup: 300us, seed: 5}\n"
	"hosts: [{name: h, iommu: {page_size: 4KiB, walk_latency: 0}}]\n"
	"devices: [{name: d, total_vfs: 4, atc: {entries: 16, policy: lru}}]\n"
	"links: [{a: h, b: d, gen: 4, width: 8}]\n"
	"assign: [{host: h, device: d, vfs: 4}]\n"
	"workloads: [{host: h, device: d, op: read, size: 64B, outstanding: 1, pattern: random,\n"
	"             footprint: 256KiB}]\n";

static void random_policy(const char *policy)
{
	char set[64];
	snprintf(set, sizeof(set), "devices.d.atc.policy=%s", policy);
	char *sets[] = {set};
	struct sim *s = st_run(atc_random, sets, 1);
	double r = atc_hit_ratio(s);
	/* 5 %: about 4 x 5000 lookups, binomial standard error 1.2 % of 1/4 */
	ck_assert_msg(fabs(r - 0.25) <= 0.05 * 0.25, "%s: ATC hit ratio %.4f, C/W 0.25", policy, r);
}

START_TEST(test_atc_random_access_hits_c_over_w_lru)
{
	random_policy("lru");
}
END_TEST

START_TEST(test_atc_random_access_hits_c_over_w_fifo)
{
	random_policy("fifo");
}
END_TEST

START_TEST(test_atc_random_access_hits_c_over_w_random)
{
	random_policy("random");
}
END_TEST

START_TEST(test_atc_sequential_hits_k_minus_1_over_k)
{
	/* 512-B DMAs walk 4 KiB pages in order: 8 DMAs per page, the first misses */
	char *sets[] = {"workloads.w0.pattern=sequential", "workloads.w0.size=512B",
			"workloads.w0.footprint=4MiB"};
	struct sim *s = st_run(atc_random, sets, 3);
	double r = atc_hit_ratio(s);
	ck_assert_msg(fabs(r - 7.0 / 8) <= 0.01 * 7 / 8, "sequential ATC hit ratio %.4f, 7/8", r);
}
END_TEST

/* 64-B random reads, untranslated: the 64-entry IOTLB covers 256 KiB of 4 KiB pages */
static const char iotlb[] =
	"name: iotlb\nrun: {duration: 2ms, warmup: 200us, seed: 3}\n"
	"hosts: [{name: h, iommu: {iotlb_entries: 64, walk_latency: 250ns, walkers: 4}}]\n"
	"devices: [{name: d, total_vfs: 1}]\n"
	"links: [{a: h, b: d, gen: 4, width: 8}]\n"
	"assign: [{host: h, device: d, vfs: 1}]\n"
	"workloads: [{host: h, device: d, op: read, size: 64B, outstanding: 8, pattern: random,\n"
	"             footprint: 128KiB}]\n";

START_TEST(test_iotlb_holds_a_window_below_entries_times_page)
{
	struct sim *s = st_run(iotlb, NULL, 0);
	ck_assert_double_ge(iotlb_hit_ratio(s, 0), 0.999);
}
END_TEST

START_TEST(test_iotlb_hit_ratio_falls_beyond_the_window)
{
	char *sets[] = {"workloads.w0.footprint=1MiB"}; /* 256 pages: 64/256 */
	struct sim *s = st_run(iotlb, sets, 1);
	double r = iotlb_hit_ratio(s, 0);
	ck_assert_msg(fabs(r - 0.25) <= 0.05 * 0.25, "IOTLB hit ratio %.4f, 64/256", r);
}
END_TEST

START_TEST(test_2mib_pages_push_the_cliff_512_fold)
{
	char *big[] = {"workloads.w0.footprint=64MiB", "hosts.h.iommu.page_size=2MiB"};
	int pid = fork(); /* first: a process runs one SimGrid engine only */
	if (pid == 0) {
		char *small[] = {"workloads.w0.footprint=64MiB"};
		struct sim *s4 = st_run(iotlb, small, 1);
		_exit(iotlb_hit_ratio(s4, 0) < 0.01 ? 0 : 1); /* 64 of 16384 pages */
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "4 KiB pages at 64 MiB");
	struct sim *s = st_run(iotlb, big, 2);
	ck_assert_double_ge(iotlb_hit_ratio(s, 0), 0.999); /* 32 pages of 2 MiB */
}
END_TEST

/* one 4 KiB write at a time, each to a new page, in one TLP (MPS 4096): it misses the
 * IOTLB and takes exactly one walk longer than with free walks */
static const char walk[] =
	"name: walk\nrun: {duration: 200us, warmup: 10us}\npcie: {mps: 4096}\n"
	"hosts: [{name: h, iommu: {iotlb_entries: 4, walk_latency: 250ns}}]\n"
	"devices: [{name: d, total_vfs: 1}]\n"
	"links: [{a: h, b: d, gen: 3, width: 8}]\n"
	"assign: [{host: h, device: d, vfs: 1}]\n"
	"workloads: [{host: h, device: d, op: write, size: 4KiB, rate: 2Gbps, arrival: constant,\n"
	"             footprint: 64MiB}]\n";

START_TEST(test_an_iotlb_miss_adds_the_walk_latency)
{
	char *free_walk[] = {"hosts.h.iommu.walk_latency=0"};
	double base = mean_latency_in_child(walk, free_walk, 1);
	struct sim *s = st_run(walk, NULL, 0);
	ck_assert_uint_eq(s->e.hosts[0].iotlb_misses, st_host(s, 0).dmas); /* each misses */
	ck_assert_double_eq_tol(st_host(s, 0).mean_ns - base, 250, 1e-6);
}
END_TEST

/* With a one-entry ATC every 4 KiB DMA (each on a new 4 KiB page) misses: it waits for a
 * Translation Request (24 B of TLP) to reach the host and its 8-B completion (28 B) to come
 * back before its own TLPs go: one round trip on the link. Walks cost nothing here, so the
 * same chassis without ATS is the baseline. */
START_TEST(test_an_atc_miss_adds_one_fabric_round_trip)
{
	static const char yaml[] =
		"name: atcmiss\nrun: {duration: 200us, warmup: 10us}\n"
		"hosts: [{name: h, iommu: {walk_latency: 0}}]\n"
		"devices: [{name: d, total_vfs: 1, atc: {entries: 1}}]\n"
		"links: [{a: h, b: d, gen: 3, width: 8, latency: 30ns}]\n"
		"assign: [{host: h, device: d, vfs: 1}]\n"
		"workloads: [{host: h, device: d, op: write, size: 4KiB, rate: 2Gbps,\n"
		"             arrival: constant, footprint: 64MiB}]\n";
	/* the same chassis translated by the root complex: no ATC at all */
	static const char plain[] =
		"name: plain\nrun: {duration: 200us, warmup: 10us}\n"
		"hosts: [{name: h, iommu: {walk_latency: 0}}]\n"
		"devices: [{name: d, total_vfs: 1}]\n"
		"links: [{a: h, b: d, gen: 3, width: 8, latency: 30ns}]\n"
		"assign: [{host: h, device: d, vfs: 1}]\n"
		"workloads: [{host: h, device: d, op: write, size: 4KiB, rate: 2Gbps,\n"
		"             arrival: constant, footprint: 64MiB}]\n";
	double base = mean_latency_in_child(plain, NULL, 0);
	struct sim *s = st_run(yaml, NULL, 0);
	double r = tlp_rate(3, 8);
	double rtt = 24 * 8 / r + 30e-9 + 28 * 8 / r + 30e-9;
	ck_assert_uint_gt(s->e.vfs[1].atc_misses, 10);
	ck_assert_double_eq_tol(st_host(s, 0).mean_ns - base, rtt * 1e9, 1e-6);
}
END_TEST

/* Every 64-B write misses (random over 1 GiB): throughput = walkers / walk_latency DMAs/s */
static void walkers(int n)
{
	char yaml[1024];
	snprintf(yaml, sizeof(yaml),
		 "name: walkers\nrun: {duration: 300us, warmup: 30us}\n"
		 "hosts: [{name: h, iommu: {walk_latency: 1us, walkers: %d}}]\n"
		 "devices: [{name: d, total_vfs: 8}]\n"
		 "links: [{a: h, b: d, gen: 4, width: 8}]\n"
		 "assign: [{host: h, device: d, vfs: 8}]\n"
		 "workloads: [{host: h, device: d, op: write, size: 64B, outstanding: 8,\n"
		 "             pattern: random, footprint: 1GiB}]\n", n);
	struct sim *s = st_run(yaml, NULL, 0);
	double bound = n / 1e-6 * 64 * 8 / 1e9;
	ck_assert_msg(fabs(st_host(s, 0).gbps - bound) <= 0.03 * bound, "walkers %d: %.4f Gb/s, "
		      "bound %.4f", n, st_host(s, 0).gbps, bound);
}

START_TEST(test_one_walker_bounds_miss_heavy_throughput)
{
	walkers(1);
}
END_TEST

START_TEST(test_four_walkers_bound_miss_heavy_throughput)
{
	walkers(4);
}
END_TEST

/* Two hosts share an ATS device; only h0 has traffic, which stops early and drains. Every
 * translation request of VH 1 reaches h0's translation agent, and none reaches h1's. */
START_TEST(test_translation_requests_stay_in_their_vh)
{
	static const char yaml[] =
		"name: iso\nrun: {duration: 200us}\n"
		"hosts: [{name: h0, iommu: {page_size: 4KiB}}, {name: h1}]\nswitches: [{name: s}]\n"
		"devices: [{name: d, total_vfs: 4, atc: {entries: 8, scope: shared}}]\n"
		"links: [{a: h0, b: s, gen: 4, width: 8}, {a: h1, b: s, gen: 4, width: 8},\n"
		"        {a: s, b: d, gen: 4, width: 8}]\n"
		"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]\n"
		"workloads: [{host: h0, device: d, op: read, size: 512B, outstanding: 4,\n"
		"             pattern: random, footprint: 1MiB, stop: 150us}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	uint64_t misses = 0;
	for (size_t f = 0; f < s->t->nfunctions; f++)
		misses += s->e.vfs[f].atc_misses;
	ck_assert_uint_gt(misses, 100);
	ck_assert_uint_eq(s->e.hosts[0].iotlb_hits + s->e.hosts[0].iotlb_misses, misses);
	ck_assert_uint_eq(s->e.hosts[1].iotlb_hits + s->e.hosts[1].iotlb_misses, 0);
}
END_TEST

/* Unmaps at 200 000 per second: each sends one invalidation that completes after a round
 * trip (a 16+8-B request down, a 16-B completion up, each with 8 B of framing and LCRC),
 * plus, now and then, the wait of the completion behind a write TLP already on the wire. */
START_TEST(test_invalidations_round_trip_and_count)
{
	struct sim *s = st_run(st_inval_chassis, NULL, 0);
	const struct eng_host *eh = &s->e.hosts[0];
	double r = tlp_rate(3, 8);
	double rtt = (8 + 16 + 8) * 8 / r + 25e-9 + (8 + 16) * 8 / r + 25e-9;
	/* the device's link carries the writes, Poisson at 1 Gb/s in 256-B TLPs of 280 B on
	 * the wire: busy a fraction rho of the time with TLPs of S seconds. A completion that
	 * finds one on the wire waits its residue: E[wait] = rho S / 2, E[wait^2] = rho S^2 / 3
	 * (uniform residue). */
	double S = 280 * 8 / r, rho = 1e9 / (256 * 8) * S;
	double n = (double)eh->inv_done, extra = eh->inv_lat_sum / n - rtt;
	double sd = sqrt(rho * S * S / 3 / n);

	/* Poisson count over 0.9 ms at 200 000/s: 180 +- 4 sd */
	ck_assert_msg(eh->inv_done >= 180 - 54 && eh->inv_done <= 180 + 54, "%llu invalidations",
		      (unsigned long long)eh->inv_done);
	/* the mean wait: rho S / 2 (0.3 ns) within 4 standard errors of the mean (0.8 ns) */
	ck_assert_msg(extra >= -1e-12 && extra <= rho * S / 2 + 4 * sd, "mean %.4f ns beyond the "
		      "round trip %.3f ns; rho S / 2 = %.4f ns, sd %.4f ns", extra * 1e9, rtt * 1e9,
		      rho * S / 2 * 1e9, sd * 1e9);
	/* the longest: behind at most one TLP of each of the 2 VFs (rr at the device port) */
	ck_assert_double_le(eh->inv_lat_max, rtt + 2 * S + 1e-12);
}
END_TEST

/* Each function has 32 ITags (5 bits, domain.md §3.3): at most 32 invalidations outstanding.
 * With a 200-us round trip and unmaps far faster than 32 per round trip, each of the 2
 * functions completes exactly 32 invalidations per round trip (Little's law with 32 in
 * flight): 64 x window / rtt in all. 33 ITags would give 3 % more, no limit 3 times more. */
START_TEST(test_at_most_32_invalidations_are_outstanding_per_function)
{
	static const char yaml[] =
		"name: itag\nrun: {duration: 10300us, warmup: 300us, seed: 4}\n"
		"hosts: [{name: h}]\n"
		"devices: [{name: d, total_vfs: 2, atc: {entries: 32}}]\n"
		"links: [{a: h, b: d, gen: 3, width: 8, latency: 100us}]\n"
		"assign: [{host: h, device: d, vfs: 2}]\n"
		"workloads: [{host: h, device: d, op: read, size: 64B, rate: 10Mbps,\n"
		"             unmap_rate: 1000000}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	const struct eng_host *eh = &s->e.hosts[0];
	double r = tlp_rate(3, 8);
	double rtt = (8 + 16 + 8) * 8 / r + 100e-6 + (8 + 16) * 8 / r + 100e-6;
	double want = 2 * 32 * 10e-3 / rtt;

	/* 64: the window's edges cut one round trip's batch of completions */
	ck_assert_msg(fabs((double)eh->inv_done - want) <= 64, "%llu invalidations, 2 x 32 per "
		      "round trip give %.1f", (unsigned long long)eh->inv_done, want);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_ats");
	TCase *tc = tcase_create("translation");
	tcase_add_test(tc, test_atc_random_access_hits_c_over_w_lru);
	tcase_add_test(tc, test_atc_random_access_hits_c_over_w_fifo);
	tcase_add_test(tc, test_atc_random_access_hits_c_over_w_random);
	tcase_add_test(tc, test_atc_sequential_hits_k_minus_1_over_k);
	tcase_add_test(tc, test_iotlb_holds_a_window_below_entries_times_page);
	tcase_add_test(tc, test_iotlb_hit_ratio_falls_beyond_the_window);
	tcase_add_test(tc, test_2mib_pages_push_the_cliff_512_fold);
	tcase_add_test(tc, test_an_iotlb_miss_adds_the_walk_latency);
	tcase_add_test(tc, test_an_atc_miss_adds_one_fabric_round_trip);
	tcase_add_test(tc, test_one_walker_bounds_miss_heavy_throughput);
	tcase_add_test(tc, test_four_walkers_bound_miss_heavy_throughput);
	tcase_add_test(tc, test_translation_requests_stay_in_their_vh);
	tcase_add_test(tc, test_invalidations_round_trip_and_count);
	tcase_add_test(tc, test_at_most_32_invalidations_are_outstanding_per_function);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
