/* check_sim_ports.c - arbitration where it happens (contract §13): a switch egress port's
 * own arbitration orders only the traffic leaving through it; and a run whose TLPs are
 * still in flight on a very slow switch is not a deadlock. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pcie.h"
#include "simtest.h"

/* shares within 3 %: the WRR cycle is per TLP, and a 250 us window holds thousands of them */
#define SHARE_TOL 0.03

static void assert_share(double got, double want, const char *what)
{
	ck_assert_msg(fabs(got - want) <= SHARE_TOL * want, "%s: %.3f Gb/s, expected %.3f", what, got,
		      want);
}

/* Six blades read 4 KiB from two NICs (NIC transmit), three per NIC; the completions
 * converge on the switch ports toward the NICs. The switch is rr; only its port toward nic0
 * has wrr with weights blade0 3 and blade3 3 (blade3 uses nic1 only: were the port's
 * setting applied switch-wide, nic1 would split 3:1:1 too). */
static const char two_nics[] =
	"name: ports\nrun: {duration: 300us, warmup: 50us}\n"
	"hosts: [{name: blade0}, {name: blade1}, {name: blade2}, {name: blade3}, {name: blade4},\n"
	"        {name: blade5}]\n"
	"switches:\n"
	"  - name: mra0\n"
	"    arbitration: {policy: rr}\n"
	"    ports:\n"
	"      mra0-nic0: {arbitration: {policy: wrr, weights: {blade0: 3, blade3: 3}}}\n"
	"devices: [{name: nic0, kind: nic, total_vfs: 8}, {name: nic1, kind: nic, total_vfs: 8}]\n"
	"links:\n"
	"  - {a: blade0, b: mra0, gen: 4, width: 8}\n  - {a: blade1, b: mra0, gen: 4, width: 8}\n"
	"  - {a: blade2, b: mra0, gen: 4, width: 8}\n  - {a: blade3, b: mra0, gen: 4, width: 8}\n"
	"  - {a: blade4, b: mra0, gen: 4, width: 8}\n  - {a: blade5, b: mra0, gen: 4, width: 8}\n"
	"  - {a: mra0, b: nic0, gen: 3, width: 4}\n  - {a: mra0, b: nic1, gen: 3, width: 4}\n"
	"assign:\n"
	"  - {host: blade0, device: nic0, vfs: 1}\n  - {host: blade1, device: nic0, vfs: 1}\n"
	"  - {host: blade2, device: nic0, vfs: 1}\n  - {host: blade3, device: nic1, vfs: 1}\n"
	"  - {host: blade4, device: nic1, vfs: 1}\n  - {host: blade5, device: nic1, vfs: 1}\n"
	"workloads:\n"
	"  - {host: blade0, device: nic0, op: read, size: 4KiB, outstanding: 32}\n"
	"  - {host: blade1, device: nic0, op: read, size: 4KiB, outstanding: 32}\n"
	"  - {host: blade2, device: nic0, op: read, size: 4KiB, outstanding: 32}\n"
	"  - {host: blade3, device: nic1, op: read, size: 4KiB, outstanding: 32}\n"
	"  - {host: blade4, device: nic1, op: read, size: 4KiB, outstanding: 32}\n"
	"  - {host: blade5, device: nic1, op: read, size: 4KiB, outstanding: 32}\n";

/* 4 KiB reads on Gen3 x4: completion-bound, 16 CplD of 256 B (276 B on the wire) per DMA */
static double cpl_cap(int gen, int width)
{
	return pcie_raw_bps(gen, width) * (1 - pcie_spec_overhead(gen, width, 256)) * 4096 /
	       (16 * 276) / 1e9;
}

START_TEST(test_port_arbitration_orders_only_its_port)
{
	struct sim *s = st_run(two_nics, NULL, 0);
	double c = cpl_cap(3, 4);

	assert_share(st_host(s, 0).gbps, c * 3 / 5, "blade0 on nic0 (weight 3)");
	assert_share(st_host(s, 1).gbps, c / 5, "blade1 on nic0");
	assert_share(st_host(s, 2).gbps, c / 5, "blade2 on nic0");
	for (int h = 3; h < 6; h++)
		assert_share(st_host(s, h).gbps, c / 3, s->t->hosts[h].name); /* rr on nic1 */
}
END_TEST

/* The same weights switch-wide order nic1's port as well: the case above is the port's. */
START_TEST(test_switch_arbitration_orders_every_port)
{
	char *sets[] = {"switches.mra0.arbitration={policy: wrr, weights: {blade0: 3, blade3: 3}}",
			"switches.mra0.ports={}"};
	struct sim *s = st_run(two_nics, sets, 2);
	double c = cpl_cap(3, 4);

	assert_share(st_host(s, 3).gbps, c * 3 / 5, "blade3 on nic1 (weight 3)");
	assert_share(st_host(s, 4).gbps, c / 5, "blade4 on nic1");
}
END_TEST

/* `latency: 120` is 120 s: in a 100 us run no TLP gets through the switch, but they are
 * in flight (dated), not deadlocked: the run ends normally, and the load warned. */
START_TEST(test_slow_switch_is_not_a_deadlock)
{
	static const char yaml[] =
		"name: slow\nrun: {duration: 100us, warmup: 0}\n"
		"hosts: [{name: h}]\n"
		"switches: [{name: s, latency: 120}]\n"
		"devices: [{name: d, total_vfs: 1}]\n"
		"links: [{a: h, b: s, gen: 3, width: 8}, {a: s, b: d, gen: 3, width: 8}]\n"
		"assign: [{host: h, device: d, vfs: 1}]\n"
		"workloads: [{host: h, device: d, op: write, size: 1500B, rate: 10Gbps}]\n";
	struct sim *s = st_run(yaml, NULL, 0); /* fails the test on a deadlock */

	ck_assert(!s->deadlock);
	ck_assert_uint_eq(s->st.wl[0].dmas, 0); /* nothing arrived: 120 s to cross */
	ck_assert_uint_eq(s->t->lint.n, 1);
	ck_assert_int_eq(s->t->lint.v[0].loc.line, 4);
	ck_assert_int_eq(s->t->lint.v[0].loc.col, 31);
	ck_assert_str_eq(s->t->lint.v[0].msg,
			 "latency: 120 is 120 s (a bare number is seconds); did you mean 120ns?");
	/* 30 DMAs of 1500 B at 10 Gb/s take 36 us, less than the run: no length can be
	 * promised, so the run's own warning does not name one */
	ck_assert_int_eq(warnings_check(s, &s->warn), 0);
	ck_assert_uint_eq(s->warn.n, 1);
	ck_assert_str_eq(s->warn.v[0].message,
			 "workload w0 completed no DMA in the window, so it has no latency statistics: "
			 "run much longer than 100 us (run.duration)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_ports");
	TCase *tc = tcase_create("ports");

	tcase_add_test(tc, test_port_arbitration_orders_only_its_port);
	tcase_add_test(tc, test_switch_arbitration_orders_every_port);
	tcase_add_test(tc, test_slow_switch_is_not_a_deadlock);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
