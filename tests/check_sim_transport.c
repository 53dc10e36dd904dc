/* check_sim_transport.c - TLP transport: cut-through timing, conservation of DMAs and
 * bytes, tag limits, completion sizes, the MR-IOV prefix, determinism. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcie.h"
#include "results.h"
#include "simtest.h"

static double tlp_rate(int gen, int width, int mps)
{
	return pcie_raw_bps(gen, width) * (1 - pcie_spec_overhead(gen, width, mps));
}

/* (The IOMMU walks cost nothing here: check_sim_ats.c measures them.)
 * One 256-B write at a time through a switch: latency = header + whole TLP on the first
 * link + link latency + switch latency + link latency. Store-and-forward would add a second
 * full serialization. */
START_TEST(test_cut_through_latency_is_exact)
{
	static const char yaml[] =
		"name: ct\nrun: {duration: 100us}\n"
		"hosts: [{name: h, iommu: {walk_latency: 0}}]\n"
		"switches: [{name: s, latency: 150ns}]\n"
		"devices: [{name: d, total_vfs: 1}]\n"
		"links: [{a: h, b: s, gen: 3, width: 8, latency: 25ns},\n"
		"        {a: s, b: d, gen: 3, width: 8, latency: 35ns}]\n"
		"assign: [{host: h, device: d, vfs: 1}]\n"
		"workloads: [{host: h, device: d, op: write, size: 256B, rate: 0.2048Gbps, "
		"arrival: constant}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	struct stat_summary m = st_host(s, 0);
	double r = tlp_rate(3, 8, 256), ser = 280 * 8 / r, hdr = 24 * 8 / r;
	double want = hdr + 35e-9 + 150e-9 + ser + 25e-9;

	ck_assert_uint_ge(m.dmas, 9); /* one every 10 us */
	ck_assert_double_eq_tol(m.mean_ns, want * 1e9, 1e-6);
	ck_assert_double_eq_tol(m.p99_ns, want * 1e9, 1e-6);
}
END_TEST

/* A slow ingress and a fast egress: the egress cannot finish before the tail arrived. */
START_TEST(test_cut_through_waits_for_the_tail)
{
	static const char yaml[] =
		"name: ct2\nrun: {duration: 100us}\n"
		"hosts: [{name: h, iommu: {walk_latency: 0}}]\n"
		"switches: [{name: s, latency: 100ns}]\n"
		"devices: [{name: d, total_vfs: 1}]\n"
		"links: [{a: h, b: s, gen: 5, width: 16, latency: 20ns},\n"
		"        {a: s, b: d, gen: 1, width: 1, latency: 20ns}]\n"
		"assign: [{host: h, device: d, vfs: 1}]\n"
		"workloads: [{host: h, device: d, op: write, size: 256B, rate: 0.1Gbps, "
		"arrival: constant}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	double slow = 280 * 8 / tlp_rate(1, 1, 256);
	/* the tail reaches the switch after the slow serialization; the fast link's TLP ends
	 * with it, and the last byte lands 20 ns later */
	double want = slow + 20e-9 + 20e-9;

	ck_assert_double_eq_tol(st_host(s, 0).mean_ns, want * 1e9, 1e-6);
}
END_TEST

/* Once traffic stops and drains, nothing is left in flight, and the counts on each link
 * direction follow from the DMAs that completed: a 1500-B write is 6 MWr (MPS 256), a
 * 3000-B read from a 4 KiB slot is 6 MRd (MRRS 512) answered by 12 CplD of <= 256 B. */
START_TEST(test_conservation_of_dmas_and_bytes)
{
	static const char yaml[] =
		"name: cons\nrun: {duration: 60us, seed: 3}\n"
		"hosts: [{name: h0}, {name: h1}]\nswitches: [{name: s}]\n"
		"devices: [{name: d, total_vfs: 8}]\n"
		"links: [{a: h0, b: s, gen: 3, width: 4}, {a: h1, b: s, gen: 4, width: 8},\n"
		"        {a: s, b: d, gen: 4, width: 8}]\n"
		"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]\n"
		"workloads:\n"
		"  - {host: h0, device: d, op: write, size: 1500B, rate: 40Gbps, stop: 30us}\n"
		"  - {host: h1, device: d, op: read, size: 3000B, outstanding: 4, stop: 30us,\n"
		"     pattern: random}\n";
	struct sim *s = st_run(yaml, NULL, 0);
	const struct eng *e = &s->e;
	uint64_t nw = s->st.host[0].dmas, nr = s->st.host[1].dmas;

	ck_assert_uint_gt(nw + nr, 100);
	ck_assert_uint_eq(eng_dmas_live(e), 0); /* drained */
	ck_assert_uint_eq(e->tlps.live, 0);
	ck_assert_uint_eq(e->rreqs.live, 0);
	/* payload delivered (counted per TLP) against DMAs completed (counted per DMA) */
	ck_assert_double_eq_tol(s->st.host[0].bytes, 1500.0 * (double)nw, 1e-6);
	ck_assert_double_eq_tol(s->st.host[1].bytes, 3000.0 * (double)nr, 1e-6);
	ck_assert_double_eq_tol(st_port(s, "s", "h0")->st.payload, 1500.0 * (double)nw, 1e-6);
	ck_assert_double_eq_tol(st_port(s, "s", "d")->st.payload, 3000.0 * (double)nr, 1e-6);
	ck_assert_uint_eq(st_port(s, "s", "h0")->st.tlps, 6 * nw);
	ck_assert_uint_eq(st_port(s, "d", "s")->st.tlps, 6 * nw + 6 * nr);
	ck_assert_uint_eq(st_port(s, "s", "d")->st.tlps, 12 * nr);
	ck_assert_uint_eq(st_port(s, "s", "h1")->st.tlps, 6 * nr);
}
END_TEST

/* An overloaded open loop: every DMA that arrived is completed or still in flight. With
 * constant arrivals of 4 KiB at 20 Gb/s, one arrives every 1.6384 us. */
START_TEST(test_in_flight_dmas_are_accounted_at_the_end)
{
	static const char yaml[] =
		"name: cons2\nrun: {duration: 20us}\n"
		"hosts: [{name: h}]\ndevices: [{name: d, total_vfs: 2}]\n"
		"links: [{a: h, b: d, gen: 2, width: 1}]\n"
		"assign: [{host: h, device: d, vfs: 2}]\n"
		"workloads: [{host: h, device: d, op: write, size: 4KiB, rate: 20Gbps, "
		"arrival: constant}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	double period = 4096 * 8 / 20e9;
	uint64_t arrived = (uint64_t)floor(20e-6 / period);
	uint64_t accounted = s->st.host[0].dmas + eng_dmas_live(&s->e);

	ck_assert_uint_gt(eng_dmas_live(&s->e), 5); /* a backlog remains (whole or records) */
	/* within one arrival: whether the first comes at 0 or after one period */
	ck_assert_msg(accounted >= arrived && accounted <= arrived + 1,
		      "%llu arrived by the constant rate, %llu completed or in flight",
		      (unsigned long long)arrived, (unsigned long long)accounted);
	/* the link was busy all along once the first DMA started */
	ck_assert_double_ge(st_port(s, "d", "h")->st.busy, 20e-6 - period - 1e-9);
}
END_TEST

/* Reads with 4 tags and a 2 us memory: throughput = tags * MRRS / round trip, the round
 * trip being request + link + memory + two 256-B completions + link. */
START_TEST(test_tags_limit_read_throughput)
{
	static const char yaml[] =
		"name: tags\nrun: {duration: 1ms, warmup: 20us}\n"
		"pcie: {tags: 4, mps: 256, mrrs: 512}\n"
		"hosts: [{name: h, memory_latency: 2us, iommu: {walk_latency: 0}}]\n"
		"devices: [{name: d, total_vfs: 1}]\n"
		"links: [{a: h, b: d, gen: 5, width: 16, latency: 20ns}]\n"
		"assign: [{host: h, device: d, vfs: 1}]\n"
		"workloads: [{host: h, device: d, op: read, size: 512B, outstanding: 64}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	double r = tlp_rate(5, 16, 256);
	double rtt = 24 * 8 / r + 20e-9 + 2e-6 + 2 * 276 * 8 / r + 20e-9;
	double bound = 4 * 512 * 8 / rtt / 1e9, got = st_host(s, 0).gbps;

	/* 1 %: the 4 tags' completions can queue behind each other for a few ns, and the
	 * window cuts the 4-DMA cycles at its edges */
	ck_assert_msg(fabs(got - bound) <= 0.01 * bound,
		      "%.3f Gb/s, tag bound %.3f Gb/s", got, bound);
}
END_TEST

/* completions: rcb makes every completion RCB bytes; the default cuts them at MPS. */
START_TEST(test_completion_sizes)
{
	static const char base[] =
		"name: rcb\nrun: {duration: 50us}\npcie: {mps: 256, mrrs: 512, rcb: 64}\n"
		"hosts: [{name: h}]\ndevices: [{name: d, total_vfs: 1}]\n"
		"links: [{a: h, b: d, gen: 4, width: 8}]\n"
		"assign: [{host: h, device: d, vfs: 1}]\n"
		"workloads: [{host: h, device: d, op: read, size: 1024B, outstanding: 8}]\n";
	char *rcb[] = {"pcie.completions=rcb"};
	int pid = fork();
	if (pid == 0) {
		struct sim *s = st_run(base, NULL, 0);
		const struct port *p = st_port(s, "h", "d");
		/* 1024 B = 2 requests of 512 B = 4 completions of 256 B */
		double per_dma = (double)p->st.tlps / (double)s->st.host[0].dmas;
		_exit(fabs(per_dma - 4) < 0.05 ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "MPS completions");
	struct sim *s = st_run(base, rcb, 1);
	const struct port *p = st_port(s, "h", "d");
	ck_assert_double_eq_tol((double)p->st.tlps / (double)s->st.host[0].dmas, 16, 0.2);
}
END_TEST

/* On an MR-Link every TLP carries the 4-byte MR-IOV prefix; elsewhere none. */
START_TEST(test_mr_prefix_only_on_mr_links)
{
	static const char yaml[] =
		"name: mr\nrun: {duration: 30us}\n"
		"hosts: [{name: h0}, {name: h1}]\nswitches: [{name: s}]\n"
		"devices: [{name: d, total_vfs: 4}]\n"
		"links: [{a: h0, b: s, gen: 4, width: 8}, {a: h1, b: s, gen: 4, width: 8},\n"
		"        {a: s, b: d, gen: 4, width: 16}]\n"
		"assign: [{host: h0, device: d, vfs: 1}, {host: h1, device: d, vfs: 1}]\n"
		"workloads: [{host: h0, device: d, op: write, size: 256B, rate: 8Gbps,\n"
		"             arrival: constant}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	const struct port *mr = st_port(s, "d", "s"), *sr = st_port(s, "s", "h0");
	double ovh16 = pcie_spec_overhead(4, 16, 256), ovh8 = pcie_spec_overhead(4, 8, 256);
	ck_assert(mr->mr && !sr->mr);
	ck_assert_double_eq_tol(mr->st.wire / (double)mr->st.tlps, 284 / (1 - ovh16), 1e-6);
	ck_assert_double_eq_tol(sr->st.wire / (double)sr->st.tlps, 280 / (1 - ovh8), 1e-6);
}
END_TEST

static const char det_yaml[] =
	"name: det\nrun: {duration: 40us, warmup: 5us}\n"
	"hosts: [{name: h0}, {name: h1}]\nswitches: [{name: s}]\n"
	"devices: [{name: d, total_vfs: 8}]\n"
	"links: [{a: h0, b: s, gen: 3, width: 8}, {a: h1, b: s, gen: 3, width: 8},\n"
	"        {a: s, b: d, gen: 3, width: 8}]\n"
	"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]\n"
	"workloads: [{host: h0, device: d, op: write, size: 1500B, rate: 30Gbps},\n"
	"            {host: h1, device: d, op: read, size: 512B, rate: 20Gbps, pattern: random}]\n";

/* Run det_yaml with a seed in a child and write its results under dir. */
static void run_child(const char *dir, const char *seed)
{
	char set[64];
	int pid = fork();

	if (pid == 0) {
		snprintf(set, sizeof(set), "run.seed=%s", seed);
		char *sets[] = {set};
		const char *failed;
		struct sim *s = st_run(det_yaml, sets, 1);
		_exit(results_write(s, dir, &failed) ? 1 : 0);
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int same_file(const char *a, const char *b)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", a, b);
	return system(cmd) == 0;
}

START_TEST(test_same_seed_same_results_other_seed_differs)
{
	char d1[] = "/tmp/mriov-det1-XXXXXX", d2[] = "/tmp/mriov-det2-XXXXXX",
	     d3[] = "/tmp/mriov-det3-XXXXXX";
	char a[256], b[256], c[256], cmd[256];
	const char *files[] = {"hosts.csv", "functions.csv", "workloads.csv", "links.csv",
			       "timeseries.csv"};

	ck_assert_ptr_nonnull(mkdtemp(d1));
	ck_assert_ptr_nonnull(mkdtemp(d2));
	ck_assert_ptr_nonnull(mkdtemp(d3));
	run_child(d1, "5");
	run_child(d2, "5");
	run_child(d3, "6");
	for (int i = 0; i < 5; i++) {
		snprintf(a, sizeof(a), "%s/%s", d1, files[i]);
		snprintf(b, sizeof(b), "%s/%s", d2, files[i]);
		ck_assert_msg(same_file(a, b), "%s differs between two runs with seed 5", files[i]);
	}
	snprintf(a, sizeof(a), "%s/hosts.csv", d1);
	snprintf(c, sizeof(c), "%s/hosts.csv", d3);
	ck_assert_msg(!same_file(a, c), "seeds 5 and 6 gave the same Poisson results");
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s %s", d1, d2, d3);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_transport");
	TCase *tc = tcase_create("transport");
	tcase_add_test(tc, test_cut_through_latency_is_exact);
	tcase_add_test(tc, test_cut_through_waits_for_the_tail);
	tcase_add_test(tc, test_conservation_of_dmas_and_bytes);
	tcase_add_test(tc, test_in_flight_dmas_are_accounted_at_the_end);
	tcase_add_test(tc, test_tags_limit_read_throughput);
	tcase_add_test(tc, test_completion_sizes);
	tcase_add_test(tc, test_mr_prefix_only_on_mr_links);
	tcase_add_test(tc, test_same_seed_same_results_other_seed_differs);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
