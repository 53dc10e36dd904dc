/* check_lint.c - the warnings of contract §13: each kind with its exact text and place, the
 * exit-free nature of a warning (the topology still loads), and none on the shipped
 * topologies. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "testutil.h"

/* The warnings of a topology that loads, one "LINE:COL: MESSAGE" line each (caller frees). */
static char *warnings_of(const char *yaml, char *const *sets, size_t nsets)
{
	char err[2048] = "", *buf = NULL;
	size_t len = 0;
	struct topo *t = tu_load(yaml, sets, nsets, err, sizeof(err));
	FILE *f;

	ck_assert_msg(t != NULL, "%s", err);
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < t->lint.n; i++)
		fprintf(f, "%s:%d:%d: %s\n", t->lint.v[i].loc.file, t->lint.v[i].loc.line,
			t->lint.v[i].loc.col, t->lint.v[i].msg);
	fclose(f);
	topo_destroy(t);
	return buf;
}

static const char base[] =
	"name: lint\n"
	"hosts: [{name: h0, memory_latency: 100ns}, {name: h1}]\n"
	"switches: [{name: s, latency: 150ns, arbitration: {policy: rr}}]\n"
	"devices: [{name: d, total_vfs: 4}]\n"
	"links: [{a: h0, b: s, gen: 3, width: 4}, {a: h1, b: s, gen: 4, width: 8},\n"
	"        {a: s, b: d, gen: 4, width: 8, latency: 20ns}]\n"
	"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]\n"
	"workloads: [{host: h0, device: d, op: write, size: 1KiB, rate: 10Gbps}]\n";

START_TEST(test_a_clean_topology_has_no_warning)
{
	char *w = warnings_of(base, NULL, 0);

	ck_assert_str_eq(w, "");
	free(w);
}
END_TEST

/* 1 ms and more, written without a unit, for the three latencies of contract §13; 999us
 * or "2ms" with its unit is meant */
START_TEST(test_bare_number_latencies_are_warned_about)
{
	char *sets[] = {"switches.s.latency=120", "links.s-d.latency=0.001",
			"hosts.h0.memory_latency=2e-3", "links.h0-s.latency=0.000999",
			"hosts.h1.memory_latency=2ms"};
	char *w = warnings_of(base, sets, 5);

	/* in the order the loader reads them: hosts, switches, links */
	ck_assert_str_eq(w,
		"command line:3:25: memory_latency: 2e-3 is 0.002 s (a bare number is seconds); "
		"write the unit, as in 150ns or 2.5us\n"
		"command line:1:20: latency: 120 is 120 s (a bare number is seconds); did you mean "
		"120ns?\n"
		"command line:2:19: latency: 0.001 is 0.001 s (a bare number is seconds); write the "
		"unit, as in 150ns or 2.5us\n");
	free(w);
}
END_TEST

START_TEST(test_weights_and_priority_the_policy_ignores_are_warned_about)
{
	char *sets[] = {"switches.s.arbitration={policy: rr, weights: {h0: 3}}",
			"devices.d.arbitration={policy: wrr, priority: [h1]}",
			"switches.s.ports={s-d: {arbitration: {priority: [h0]}}}"};
	/* a --set VALUE's nodes are all placed at its first column (override.c); the
	 * warnings come switch by switch (ports after the switch), then device by device */
	char *w = warnings_of(base, sets, 3);

	ck_assert_str_eq(w,
		"command line:1:24: weights: switch s arbitrates with policy rr, which ignores "
		"weights (only wrr uses them); did you mean policy: wrr?\n"
		"command line:3:18: priority: the port of s onto s-d arbitrates with policy rr, "
		"which ignores priority (only strict uses it); did you mean policy: strict?\n"
		"command line:2:23: priority: device d arbitrates with policy wrr, which ignores "
		"priority (only strict uses it); did you mean policy: strict?\n");
	free(w);
}
END_TEST

/* h0's Gen3 x4 link moves 31.5 Gb/s raw, 29.07 Gb/s of TLPs after the spec's ACK/UpdateFC
 * and SKP overhead at MPS 256 (pcie_spec_overhead): 40 Gb/s of payload can never get
 * through it; 29 Gb/s might (the rule does not guess at header overhead) */
START_TEST(test_a_rate_no_link_of_the_path_carries_is_warned_about)
{
	char *over[] = {"workloads.w0.rate=40Gbps"}, *under[] = {"workloads.w0.rate=29Gbps"};
	char *w = warnings_of(base, over, 1);

	ck_assert_str_eq(w, "command line:1:19: rate: workload w0 is offered 40 Gb/s, more than "
			    "any link of its path can carry: link h0-s (gen 3 x4) moves at most "
			    "29.07 Gb/s of TLPs per direction\n");
	free(w);
	w = warnings_of(base, under, 1);
	ck_assert_str_eq(w, "");
	free(w);
}
END_TEST

/* A NIC and an NVMe drive driven by their models (contract §6), beside a raw DMA device:
 * the models build their TLPs without the DMA engine, so its keys written on them have no
 * effect unless a raw DMA workload (op) runs there too. */
static const char models[] =
	"name: models\n"
	"hosts: [{name: h0}]\n"
	"switches: [{name: s}]\n"
	"devices:\n"
	"  - {name: nic0, total_vfs: 2, nic: {}, profile: nfp6000, dma_latency: 100ns}\n"
	"  - {name: ssd, total_vfs: 2, nvme: {}, read_interval: 20ns, dma_concurrency: 4}\n"
	"  - {name: raw, total_vfs: 2, profile: nfp6000, dma_cost: 2ns}\n"
	"links: [{a: h0, b: s, gen: 4, width: 16}, {a: s, b: nic0, gen: 4, width: 8},\n"
	"        {a: s, b: ssd, gen: 4, width: 4}, {a: s, b: raw, gen: 4, width: 4}]\n"
	"assign: [{host: h0, device: nic0, vfs: 1}, {host: h0, device: ssd, vfs: 1},\n"
	"         {host: h0, device: raw, vfs: 1}]\n"
	"workloads:\n"
	"  - {host: h0, device: nic0, packets: rx, size: 64B, rate: 1Mpps}\n"
	"  - {host: h0, device: ssd, io: read, size: 4KiB, depth: 4}\n"
	"  - {host: h0, device: raw, op: read, size: 64B, outstanding: 4}\n";

START_TEST(test_dma_engine_keys_a_model_ignores_are_warned_about)
{
	char *sets[] = {"devices.ssd.write_block=128B"};
	char *w = warnings_of(models, sets, 1);

	/* device by device, each's keys in schema order; the profile's values (nic0) and a raw
	 * DMA device's keys (raw) draw none */
	ck_assert_str_eq(w,
		"t.yaml:5:72: dma_latency: the nic model of device nic0 does not use the DMA "
		"engine, and no raw DMA workload (op) runs on nic0: this value has no effect\n"
		"t.yaml:6:56: read_interval: the nvme model of device ssd does not use the DMA "
		"engine, and no raw DMA workload (op) runs on ssd: this value has no effect\n"
		"command line:1:25: write_block: the nvme model of device ssd does not use the DMA "
		"engine, and no raw DMA workload (op) runs on ssd: this value has no effect\n"
		"t.yaml:6:79: dma_concurrency: the nvme model of device ssd does not use the DMA "
		"engine, and no raw DMA workload (op) runs on ssd: this value has no effect\n");
	free(w);
}
END_TEST

/* A raw DMA workload on a model's device uses the engine: its keys are meant. */
START_TEST(test_dma_engine_keys_with_a_raw_dma_workload_are_not_warned_about)
{
	char *sets[] = {"workloads=[{host: h0, device: nic0, op: write, size: 256B, rate: 1Gbps}, "
			"{host: h0, device: ssd, io: read, size: 4KiB, depth: 4}]",
			"devices.ssd.dma_latency=0"};
	char *w = warnings_of(models, sets, 2);

	/* nic0 has a raw DMA workload now; ssd still has none (its keys in schema order) */
	ck_assert_str_eq(w,
		"command line:2:25: dma_latency: the nvme model of device ssd does not use the DMA "
		"engine, and no raw DMA workload (op) runs on ssd: this value has no effect\n"
		"t.yaml:6:56: read_interval: the nvme model of device ssd does not use the DMA "
		"engine, and no raw DMA workload (op) runs on ssd: this value has no effect\n"
		"t.yaml:6:79: dma_concurrency: the nvme model of device ssd does not use the DMA "
		"engine, and no raw DMA workload (op) runs on ssd: this value has no effect\n");
	free(w);
}
END_TEST

/* Every file of topologies/, whichever they are. */
START_TEST(test_shipped_topologies_have_no_warning)
{
	DIR *d = opendir(tu_path("topologies"));
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		struct topo *t = tu_load_shipped(e->d_name, NULL, 0);
		ck_assert_msg(t->lint.n == 0, "%s: %s", e->d_name, t->lint.n ? t->lint.v[0].msg : "");
		topo_destroy(t);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 6);
}
END_TEST

/* `check` names each arbitration point with its setting and the traffic it orders. */
START_TEST(test_check_prints_every_arbitration_point)
{
	char *sets[] = {"switches.s.ports={s-d: {arbitration: {policy: wrr, weights: {h0: 3}}}}"};
	char err[2048] = "", *buf = NULL;
	size_t len = 0;
	struct topo *t = tu_load(base, sets, 1, err, sizeof(err));
	FILE *f;

	ck_assert_msg(t != NULL, "%s", err);
	f = open_memstream(&buf, &len);
	describe_arbitration(t, f);
	fclose(f);
	ck_assert_msg(strstr(buf, "  d -> s (device d, link s-d): rr\n    orders what d sends "
				  "upstream: its VFs' DMA writes (NIC receive, storage reads)"), "%s", buf);
	ck_assert_msg(strstr(buf, "  s -> h0 (port of s onto h0-s): rr (the switch's)\n    "
				  "orders what every device sends up to h0"), "%s", buf);
	ck_assert_msg(strstr(buf, "  s -> d (port of s onto s-d): wrr, weights h0 3, others 1 "
				  "(switches[].ports)\n    orders what goes down to d: completions of "
				  "its DMA reads (NIC transmit, storage writes)"), "%s", buf);
	free(buf);
	topo_destroy(t);
	/* between switches: both kinds, with the switch's strict priority */
	t = tu_load_shipped("cascade-2switch.yaml", NULL, 0);
	f = open_memstream(&buf, &len);
	describe_arbitration(t, f);
	fclose(f);
	ck_assert_msg(strstr(buf, "  top0 -> leaf0 (port of top0 onto isl0): strict, priority blade0, "
				  "then the others in file order (the switch's)\n    orders both kinds: "
				  "what goes down to the devices behind leaf0"), "%s", buf);
	free(buf);
	topo_destroy(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("warnings");

	tcase_add_test(tc, test_a_clean_topology_has_no_warning);
	tcase_add_test(tc, test_bare_number_latencies_are_warned_about);
	tcase_add_test(tc, test_weights_and_priority_the_policy_ignores_are_warned_about);
	tcase_add_test(tc, test_a_rate_no_link_of_the_path_carries_is_warned_about);
	tcase_add_test(tc, test_dma_engine_keys_a_model_ignores_are_warned_about);
	tcase_add_test(tc, test_dma_engine_keys_with_a_raw_dma_workload_are_not_warned_about);
	tcase_add_test(tc, test_shipped_topologies_have_no_warning);
	tcase_add_test(tc, test_check_prints_every_arbitration_point);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
