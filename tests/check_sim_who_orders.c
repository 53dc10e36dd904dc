/* check_sim_who_orders.c - the worked examples of docs/topology.md §3.6 and docs/model.md
 * "Arbitration": which arbiter shares out which direction (contract §13). Four blades each
 * offer more than their share; weights {blade0: 3} give blade0 3/6 of the bottleneck and
 * the others 1/6 each, but only where the arbiter in front of the bottleneck has them:
 * NIC receive and storage reads at the device, NIC transmit and storage writes at the
 * switch port toward the device; weights elsewhere leave 1/4 each. The YAML is the docs'. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pcie.h"
#include "simtest.h"

/* within 2 %: open-loop Poisson arrivals over a 350 us window, thousands of TLPs each;
 * the measured shares of docs/topology.md lie within 0.1 % of the analytic ones */
#define SHARE_TOL 0.02

static const char chassis[] =
	"name: who-orders\n"
	"run: {duration: 400us, warmup: 50us}\n"
	"hosts: [{name: blade0}, {name: blade1}, {name: blade2}, {name: blade3}]\n"
	"switches:\n"
	"  - name: mra0\n"
	"    ports:         # what goes down to the devices: NIC transmit, storage writes\n"
	"      mra0-nic0: {arbitration: {policy: wrr, weights: {blade0: 3}}}\n"
	"      mra0-nvme0: {arbitration: {policy: wrr, weights: {blade0: 3}}}\n"
	"devices:          # what the devices send up: NIC receive, storage reads\n"
	"  - {name: nic0, kind: nic, total_vfs: 8, arbitration: {policy: wrr, weights: {blade0: 3}}}\n"
	"  - {name: nvme0, kind: nvme, total_vfs: 8, arbitration: {policy: wrr, weights: {blade0: 3}}}\n"
	"links:\n"
	"  - {a: blade0, b: mra0, gen: 4, width: 8}\n"
	"  - {a: blade1, b: mra0, gen: 4, width: 8}\n"
	"  - {a: blade2, b: mra0, gen: 4, width: 8}\n"
	"  - {a: blade3, b: mra0, gen: 4, width: 8}\n"
	"  - {a: mra0, b: nic0, gen: 3, width: 8}\n"
	"  - {a: mra0, b: nvme0, gen: 3, width: 4}\n"
	"assign:\n"
	"  - {host: blade0, device: nic0, vfs: 1}\n"
	"  - {host: blade1, device: nic0, vfs: 1}\n"
	"  - {host: blade2, device: nic0, vfs: 1}\n"
	"  - {host: blade3, device: nic0, vfs: 1}\n"
	"  - {host: blade0, device: nvme0, vfs: 1}\n"
	"  - {host: blade1, device: nvme0, vfs: 1}\n"
	"  - {host: blade2, device: nvme0, vfs: 1}\n"
	"  - {host: blade3, device: nvme0, vfs: 1}\n"
	"workloads:\n"
	"  - {name: rx0, host: blade0, device: nic0, op: write, size: 1500B, rate: 40Gbps}\n"
	"  - {name: rx1, host: blade1, device: nic0, op: write, size: 1500B, rate: 40Gbps}\n"
	"  - {name: rx2, host: blade2, device: nic0, op: write, size: 1500B, rate: 40Gbps}\n"
	"  - {name: rx3, host: blade3, device: nic0, op: write, size: 1500B, rate: 40Gbps}\n"
	"  - {name: tx0, host: blade0, device: nic0, op: read, size: 1500B, rate: 40Gbps}\n"
	"  - {name: tx1, host: blade1, device: nic0, op: read, size: 1500B, rate: 40Gbps}\n"
	"  - {name: tx2, host: blade2, device: nic0, op: read, size: 1500B, rate: 40Gbps}\n"
	"  - {name: tx3, host: blade3, device: nic0, op: read, size: 1500B, rate: 40Gbps}\n"
	"  - {name: sr0, host: blade0, device: nvme0, op: write, size: 4KiB, outstanding: 16}\n"
	"  - {name: sr1, host: blade1, device: nvme0, op: write, size: 4KiB, outstanding: 16}\n"
	"  - {name: sr2, host: blade2, device: nvme0, op: write, size: 4KiB, outstanding: 16}\n"
	"  - {name: sr3, host: blade3, device: nvme0, op: write, size: 4KiB, outstanding: 16}\n"
	"  - {name: sw0, host: blade0, device: nvme0, op: read, size: 4KiB, outstanding: 16}\n"
	"  - {name: sw1, host: blade1, device: nvme0, op: read, size: 4KiB, outstanding: 16}\n"
	"  - {name: sw2, host: blade2, device: nvme0, op: read, size: 4KiB, outstanding: 16}\n"
	"  - {name: sw3, host: blade3, device: nvme0, op: read, size: 4KiB, outstanding: 16}\n";

/* Run the chassis with the overrides and only workloads P0..P3 (--only-workloads). */
static struct sim *run_only(const char *p, char *const *sets, size_t nsets)
{
	static struct sim sim;
	static char err[4096];
	char *argv[] = {"test", "--log=root.thres:critical", NULL};
	struct sim_opts o = {.sg_argc = 2, .sg_argv = argv};
	char names[4][8], *keep[4];
	const char *missing = NULL;
	struct topo *t = tu_load(chassis, sets, nsets, err, sizeof(err));

	ck_assert_msg(t != NULL, "topology rejected: %s", err);
	ck_assert_uint_eq(t->lint.n, 0); /* the docs' chassis means what it says */
	for (int i = 0; i < 4; i++) {
		snprintf(names[i], sizeof(names[i]), "%s%d", p, i);
		keep[i] = names[i];
	}
	ck_assert_int_eq(topo_keep_workloads(t, keep, 4, &missing), 0);
	ck_assert_msg(sim_run(&sim, t, &o) == 0, "simulation failed: %s", sim.why);
	return &sim;
}

/* Payload rate of a saturated Gen3 link carrying DMAs of sz bytes as ntlp TLPs with `hdr`
 * wire bytes each besides the data (framing, header, and the 4-B MR-IOV prefix: both device
 * links carry the 4 VHs), pcie-bench's model (domain.md §4.5). */
static double cap_gbps(int width, int sz, int ntlp, int hdr)
{
	double tlp = pcie_raw_bps(3, width) * (1 - pcie_spec_overhead(3, width, 256));
	return tlp * sz / (sz + ntlp * hdr) / 1e9;
}

/* 1500 B = 5 TLPs of 256 B and one of 220 B; 4 KiB = 16 of 256 B. MWr: 8 B framing + 16 B
 * header (64-bit address) + 4 B prefix = 28; CplD: 8 + 12 + 4 = 24. */
#define NIC_WRITE cap_gbps(8, 1500, 6, 28)
#define NIC_READ cap_gbps(8, 1500, 6, 24)
#define NVME_WRITE cap_gbps(4, 4096, 16, 28)
#define NVME_READ cap_gbps(4, 4096, 16, 24)

static void assert_shares(struct sim *s, double cap, bool weighted, const char *what)
{
	for (int h = 0; h < 4; h++) {
		double want = weighted ? cap * (h == 0 ? 3 : 1) / 6 : cap / 4;
		double got = st_host(s, h).gbps;
		ck_assert_msg(fabs(got - want) <= SHARE_TOL * want, "%s, %s: %.3f Gb/s, expected %.3f",
			      what, s->t->hosts[h].name, got, want);
	}
}

static char *no_port_weights[] = {"switches.mra0.ports={}"};
static char *no_device_weights[] = {"devices.nic0.arbitration={policy: rr}",
				    "devices.nvme0.arbitration={policy: rr}"};

/* One direction with the weights left at one kind of arbiter only. */
struct direction_case {
	const char *what, *workloads;
	char **sets;
	size_t nsets;
	bool weighted; /* are the weights left at the arbiter that shares this direction? */
};

static const struct direction_case cases[] = {
	{"NIC receive, NIC weights", "rx", no_port_weights, 1, true},
	{"NIC receive, port weights", "rx", no_device_weights, 2, false},
	{"NIC transmit, port weights", "tx", no_device_weights, 2, true},
	{"NIC transmit, NIC weights", "tx", no_port_weights, 1, false},
	{"storage reads, drive weights", "sr", no_port_weights, 1, true},
	{"storage reads, port weights", "sr", no_device_weights, 2, false},
	{"storage writes, port weights", "sw", no_device_weights, 2, true},
	{"storage writes, drive weights", "sw", no_port_weights, 1, false},
};

/* The payload capacity of case i's bottleneck: NIC receive and storage reads are DMA
 * writes, the others DMA reads (cases[] in order, two per direction). */
static double case_cap(int i)
{
	switch (i / 2) {
	case 0: return NIC_WRITE;
	case 1: return NIC_READ;
	case 2: return NVME_WRITE;
	default: return NVME_READ;
	}
}

START_TEST(test_each_direction_is_shared_by_its_arbiter)
{
	const struct direction_case *c = &cases[_i];

	assert_shares(run_only(c->workloads, c->sets, c->nsets), case_cap(_i), c->weighted,
		      c->what);
}
END_TEST

/* A NIC whose DMA engine is the bottleneck (max_rate 100 Gb/s below a Gen4 x16 link)
 * decides both directions itself: its arbiter orders the read requests too. Weighted
 * max-min: blade0's 3/6 of 100 would be 50, more than the 40 it is offered, so it gets 40
 * and the other three share the remaining 60. */
START_TEST(test_a_capped_dma_engine_shares_out_transmit_too)
{
	char *sets[] = {"devices.nic0.max_rate=100Gbps", "links.mra0-nic0.gen=4",
			"links.mra0-nic0.width=16", "switches.mra0.ports={}"};
	struct sim *s = run_only("tx", sets, 4);

	for (int h = 0; h < 4; h++) {
		double want = h == 0 ? 40 : 20, got = st_host(s, h).gbps;
		ck_assert_msg(fabs(got - want) <= SHARE_TOL * want, "capped NIC, %s: %.3f Gb/s, "
			      "expected %.3f", s->t->hosts[h].name, got, want);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_who_orders");
	TCase *tc = tcase_create("docs");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_each_direction_is_shared_by_its_arbiter, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_a_capped_dma_engine_shares_out_transmit_too);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
