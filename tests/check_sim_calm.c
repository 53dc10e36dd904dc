/* check_sim_calm.c - the ports' calm runs beside vswitch workers and runtime events
 * (models/engine.c, engine_actor): the ports' actor runs the dates before any other actor's
 * next without a SimGrid wait each, which must change nothing. Chassis whose hosts switch
 * frames on 1 and 4 cores (ACLs, RX and TX streams, SR-IOV beside them), with a reset and a
 * link down on some, run with calm runs and with the ports waiting at every date
 * (sim_opts.one_actor): every statistic, every frame's latency and every time-series bin
 * the same to the last bit. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "devmodel.h"
#include "fault.h"
#include "nic.h"
#include "sim.h"
#include "simtest.h"
#include "testutil.h"

#define MAXV 32768

struct outcome {
	int rc, n;
	uint64_t calm_dates, jobs;
	double v[MAXV];
};

static void put(struct outcome *o, double x)
{
	if (o->n < MAXV)
		o->v[o->n] = x;
	o->n++; /* (the parent checks that they fit) */
}

static void put_row(struct outcome *o, const struct stat_row *r)
{
	put(o, (double)r->dmas);
	put(o, r->bytes);
	put(o, r->lat_sum);
	for (size_t k = 0; k < r->lat.n; k++) /* every DMA's (frame's) latency */
		put(o, r->lat.v[k]);
}

/* What a run measured: the engine's counts, every link's statistics, each host's switch
 * (busy core-seconds, frames) and faults, each workload's and function's rows with their
 * latencies and frame counts, the time series. */
static void collect(const struct sim *s, struct outcome *o)
{
	const struct eng *e = &s->e;
	const struct topo *t = s->t;

	if ((size_t)o->n + 4 + 7 * e->nports <= MAXV) /* (its layout: simtest.h) */
		o->n += st_engine_values(e, &o->v[o->n]);
	else
		o->n += 4 + 7 * (int)e->nports; /* too many: the parent fails */
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct vswitch *v = nic_vswitch_of(e, (int)h);
		put(o, v ? vswitch_busy(v) : -1);
		put(o, v ? (double)v->jobs : -1);
		o->jobs += v ? v->jobs : 0;
		put(o, (double)fault_host_failed(e, (int)h));
		put(o, (double)fault_host_timeouts(e, (int)h));
		put_row(o, &s->st.host[h]);
	}
	for (size_t w = 0; w < t->nworkloads; w++) {
		struct dev_counts c = {.packets = -1, .drops = -1, .ios = -1};
		dev_counts_of(e, -1, (int)w, &c);
		put(o, (double)c.packets);
		put(o, (double)c.drops);
		put_row(o, &s->st.wl[w]);
	}
	for (size_t f = 0; f < t->nfunctions; f++)
		put_row(o, &s->st.fn[f]);
	for (size_t b = 0; b < s->st.nbins * t->nhosts; b++)
		put(o, s->st.ts[b]);
	o->calm_dates = e->c.calm_dates;
}

/* Run yaml in a child (SimGrid allows one engine a process), the ports in their one actor
 * with calm runs or waiting at every date (one_actor). */
static void run_child(const char *yaml, bool one_actor, struct outcome *out)
{
	int fd[2];

	ck_assert_int_eq(pipe(fd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *argv[] = {"test", "--log=root.thres:critical", NULL};
		struct sim_opts so = {.sg_argc = 2, .sg_argv = argv, .one_actor = one_actor};
		char err[2048];
		struct topo *t = tu_load(yaml, NULL, 0, err, sizeof(err));
		static struct sim sim;
		memset(out, 0, sizeof(*out));
		out->rc = t ? sim_run(&sim, t, &so) : 99;
		if (t)
			collect(&sim, out);
		_exit(write(fd[1], out, sizeof(*out)) == (ssize_t)sizeof(*out) ? 0 : 1);
	}
	close(fd[1]);
	size_t got = 0;
	while (got < sizeof(*out)) { /* (more than a pipe holds: read before the wait) */
		ssize_t r = read(fd[0], (char *)out + got, sizeof(*out) - got);
		ck_assert_msg(r > 0, "the run's child died (a calm run past a worker's wake?)");
		got += (size_t)r;
	}
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Five hosts on one NIC: h0 (the ports' actor's host, its first link) switches everything
 * on 4 cores by ACL, h1 on 1 core near its limit (3000 cycles at 2.5 GHz: 0.83 Mpps, 0.66
 * offered), h2 RX on 4 cores and TX on SR-IOV, h3 SR-IOV alone, h4 on 1 core; Poisson
 * arrivals; events as given. */
static const char chassis[] =
	"name: calm\n"
	"run: {duration: 500us, warmup: 50us, bin: 10us, seed: %u}\n"
	"pcie: {flr: 100us, retrain: 10us, completion_timeout: 50us}\n"
	"hosts:\n"
	"  - {name: h0, cpu: {cores: 8, frequency: 2GHz}, vswitch: {cycles_per_packet: 2000,"
	" cycles_per_byte: 0.5, cores: 4, acl: true}}\n"
	"  - {name: h1, cpu: {cores: 4, frequency: 2.5GHz}, vswitch: {cycles_per_packet: 3000,"
	" cores: 1}}\n"
	"  - {name: h2, cpu: {cores: 8, frequency: 3GHz}, vswitch: {cores: 4}}\n"
	"  - {name: h3}\n"
	"  - {name: h4, cpu: {cores: 8, frequency: 2GHz}, vswitch: {cores: 1}}\n"
	"switches: [{name: s0}]\n"
	"devices: [{name: d0, kind: nic, total_vfs: 16, nic: {driver: %s, ports: 2,"
	" port_rate: 25Gbps}}]\n"
	"links:\n"
	"  - {a: 'h[0-4]', b: s0, gen: 3, width: 8}\n"
	"  - {a: s0, b: d0, gen: 3, width: 8}\n"
	"assign: [{host: 'h[0-4]', device: d0, vfs: 2}]\n"
	"workloads:\n"
	"  - {name: rx0, host: h0, device: d0, packets: rx, size: 1518B, rate: 6Gbps}\n"
	"  - {name: tx0, host: h0, device: d0, packets: tx, size: 1024B, rate: 3Gbps}\n"
	"  - {name: rx1, host: h1, device: d0, packets: rx, size: 1518B, rate: 5Gbps,"
	" path: vswitch}\n"
	"  - {name: tx1, host: h1, device: d0, packets: tx, size: 512B, rate: 1Gbps,"
	" path: vswitch}\n"
	"  - {name: rx2, host: h2, device: d0, packets: rx, size: 1518B, rate: 4Gbps,"
	" path: vswitch}\n"
	"  - {name: tx2, host: h2, device: d0, packets: tx, size: 1518B, rate: 2Gbps}\n"
	"  - {name: rx3, host: h3, device: d0, packets: rx, size: 1518B, rate: 4Gbps}\n"
	"  - {name: tx4, host: h4, device: d0, packets: tx, size: 1518B, rate: 3Gbps,"
	" path: vswitch}\n"
	"events: %s\n";

/* The chassis with seed, driver and events, with and without calm runs: every value the
 * same to the bit; and the calm runs did run (dates without a wait) while frames were
 * switched. */
static void same_with_and_without(unsigned seed, const char *driver, const char *events)
{
	static char yaml[8192];
	static struct outcome a, b;

	snprintf(yaml, sizeof(yaml), chassis, seed, driver, events);
	run_child(yaml, false, &a);
	run_child(yaml, true, &b);
	ck_assert_msg(a.rc == 0 && b.rc == 0, "runs failed: %d %d\n%s", a.rc, b.rc, yaml);
	ck_assert_int_eq(a.n, b.n);
	ck_assert_int_le(a.n, MAXV);
	ck_assert_msg(a.calm_dates > 1000 && b.calm_dates == 0,
		      "calm dates: %llu with calm runs, %llu without", (unsigned long long)a.calm_dates,
		      (unsigned long long)b.calm_dates);
	ck_assert_msg(a.jobs > 500, "only %llu frames switched", (unsigned long long)a.jobs);
	for (int i = 0; i < a.n; i++)
		ck_assert_msg(memcmp(&a.v[i], &b.v[i], sizeof(double)) == 0,
			      "seed %u, %s, value %d: %.17g with calm runs, %.17g without\n%s", seed,
			      driver, i, a.v[i], b.v[i], yaml);
}

START_TEST(test_vswitch_chassis_is_the_same_with_and_without_calm_runs)
{
	for (unsigned seed = 1; seed <= 3; seed++)
		same_with_and_without(seed, seed % 2 ? "dpdk" : "kernel", "[]");
}
END_TEST

START_TEST(test_vswitch_chassis_with_a_reset_is_the_same_with_and_without_calm_runs)
{
	for (unsigned seed = 1; seed <= 3; seed++)
		same_with_and_without(seed, seed % 2 ? "kernel" : "dpdk",
				      "[{at: 200us, reset: h2}, {at: 260us, reset: h1}]");
}
END_TEST

START_TEST(test_vswitch_chassis_with_a_link_down_is_the_same_with_and_without_calm_runs)
{
	for (unsigned seed = 1; seed <= 3; seed++)
		same_with_and_without(seed, seed % 2 ? "dpdk" : "kernel",
				      "[{at: 150us, link_down: h4-s0}, {at: 210us, link_up: h4-s0},"
				      " {at: 300us, link_down: s0-d0}, {at: 330us, link_up: s0-d0}]");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("calm");
	TCase *tc = tcase_create("vswitch");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_vswitch_chassis_is_the_same_with_and_without_calm_runs);
	tcase_add_test(tc, test_vswitch_chassis_with_a_reset_is_the_same_with_and_without_calm_runs);
	tcase_add_test(tc,
		       test_vswitch_chassis_with_a_link_down_is_the_same_with_and_without_calm_runs);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
