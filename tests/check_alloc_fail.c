/* check_alloc_fail.c - every allocation of the models can fail: building and running a
 * chassis with the k-th allocation failing, for every k, ends in a clean -ENOMEM, never a
 * crash, and (under ASan, MRIOV_SANITIZE=ON) leaks nothing. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "engine.h"
#include "sim.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAKS() __lsan_do_recoverable_leak_check()
#else
#define LEAKS() 0
#endif

/* Every kind of state the models build: a per-VH switch (and, with the override, a shared
 * one), per-function and shared ATCs, unmaps with invalidations, open- and closed-loop reads
 * and writes, a DMA engine of 1 slot (and its waiters). 30 µs is enough for every run-time
 * allocation (slab blocks, dated returns, parked sources, translations in flight, the slots'
 * waiters) to happen. */
static const char chassis[] =
	"name: af\n"
	"run: {duration: 30us, warmup: 5us}\n"
	"hosts: [{name: h0}, {name: h1}]\n"
	"switches: [{name: sw}]\n"
	"devices:\n"
	"  - {name: nic, total_vfs: 4, atc: {entries: 8, scope: per_vf}}\n"
	"  - {name: ssd, total_vfs: 4, atc: {entries: 8, scope: shared}, dma_concurrency: 1,\n"
	"     dma_latency: 300ns}\n"
	"links:\n"
	"  - {a: h0, b: sw, gen: 3, width: 4}\n"
	"  - {a: h1, b: sw, gen: 3, width: 4}\n"
	"  - {a: sw, b: nic, gen: 3, width: 8}\n"
	"  - {a: sw, b: ssd, gen: 3, width: 8}\n"
	"assign:\n"
	"  - {host: h0, device: nic, vfs: 2}\n"
	"  - {host: h1, device: nic, vfs: 2}\n"
	"  - {host: h0, device: ssd, vfs: 2}\n"
	"  - {host: h1, device: ssd, vfs: 2}\n"
	"workloads:\n"
	"  - {host: h0, device: nic, op: write, size: 1500B, rate: 5Gbps, unmap_rate: 200000}\n"
	"  - {host: h1, device: nic, op: read, size: 1500B, outstanding: 4}\n"
	"  - {host: h0, device: ssd, op: read, size: 4KiB, rate: 5Gbps, unmap_rate: 200000}\n"
	"  - {host: h1, device: ssd, op: write, size: 4KiB, outstanding: 2}\n";

/* The vswitch path (contract §11): PF queue pairs, the hosts' switches, their job queues
 * and the TX frames waiting for their driver; interrupts (k) and polling (p). */
static const char vsw_chassis[] =
	"name: afvsw\n"
	"run: {duration: 30us, warmup: 5us}\n"
	"hosts:\n"
	"  - {name: h0, cpu: {cores: 4, frequency: 1GHz}, vswitch: {cores: 2}}\n"
	"  - {name: h1, vswitch: {acl: true}}\n"
	"switches: [{name: sw}]\n"
	"devices:\n"
	"  - {name: k, total_vfs: 4, nic: {ring: 64, irq_interval: 2us}}\n"
	"  - {name: p, total_vfs: 4, nic: {driver: dpdk, ring: 64}}\n"
	"links:\n"
	"  - {a: h0, b: sw, gen: 3, width: 4}\n"
	"  - {a: h1, b: sw, gen: 3, width: 4}\n"
	"  - {a: sw, b: k, gen: 3, width: 8}\n"
	"  - {a: sw, b: p, gen: 3, width: 8}\n"
	"assign:\n"
	"  - {host: h0, device: k, vfs: 2}\n"
	"  - {host: h0, device: p, vfs: 1}\n"
	"  - {host: h1, device: p, vfs: 2}\n"
	"workloads:\n"
	"  - {host: h0, device: k, packets: rx, size: 64B, rate: 5Mpps, path: vswitch}\n"
	"  - {host: h0, device: k, packets: tx, size: 1518B, rate: 2Mpps, path: vswitch}\n"
	"  - {host: h0, device: p, packets: tx, size: 256B, rate: 1Mpps, path: vswitch}\n"
	"  - {host: h1, device: p, packets: rx, size: 512B, rate: 2Mpps}\n"
	"  - {host: h1, device: p, packets: tx, size: 64B, rate: 3Mpps}\n";

/* The NIC model (contract §6): queues, rings, clocks, MSI-X, host doorbells and register
 * reads, RX and TX under both drivers, a frame buffer that grows. */
static const char nic_chassis[] =
	"name: afnic\n"
	"run: {duration: 30us, warmup: 5us}\n"
	"hosts: [{name: h0}, {name: h1}]\n"
	"switches: [{name: sw}]\n"
	"devices:\n"
	"  - {name: k, total_vfs: 4, nic: {ring: 64, irq_interval: 2us}}\n"
	"  - {name: p, total_vfs: 4, nic: {driver: dpdk, ring: 64, port_rate: 10Gbps}}\n"
	"links:\n"
	"  - {a: h0, b: sw, gen: 3, width: 4}\n"
	"  - {a: h1, b: sw, gen: 3, width: 4}\n"
	"  - {a: sw, b: k, gen: 3, width: 8}\n"
	"  - {a: sw, b: p, gen: 3, width: 8}\n"
	"assign:\n"
	"  - {host: h0, device: k, vfs: 2}\n"
	"  - {host: h1, device: p, vfs: 2}\n"
	"workloads:\n"
	"  - {host: h0, device: k, packets: rx, size: 64B, rate: 20Mpps}\n"
	"  - {host: h0, device: k, packets: tx, size: 1518B, rate: 2Mpps}\n"
	"  - {host: h1, device: p, packets: rx, size: 512B, rate: line}\n"
	"  - {host: h1, device: p, packets: tx, size: 64B, rate: 5Mpps}\n";

/* The NVMe model (contract §6): queue pairs, clocks, channels, PRP lists, coalesced and
 * polled completions, and an open loop whose backlog grows past a small queue. */
static const char nvme_chassis[] =
	"name: afnvme\n"
	"run: {duration: 30us, warmup: 5us}\n"
	"hosts: [{name: h0}, {name: h1}]\n"
	"switches: [{name: sw}]\n"
	"devices:\n"
	"  - {name: d, total_vfs: 4, nvme: {queue_depth: 8, read_latency: 2us, write_latency: 1us,\n"
	"     channels: 2, irq_coalesce: 2, irq_interval: 1us, sq_fetch: 2}}\n"
	"  - {name: p, total_vfs: 2, nvme: {irq_coalesce: 0, read_latency: 1us}}\n"
	"links:\n"
	"  - {a: h0, b: sw, gen: 3, width: 4}\n"
	"  - {a: h1, b: sw, gen: 3, width: 4}\n"
	"  - {a: sw, b: d, gen: 3, width: 4}\n"
	"  - {a: sw, b: p, gen: 3, width: 4}\n"
	"assign:\n"
	"  - {host: h0, device: d, vfs: 2}\n"
	"  - {host: h1, device: d, vfs: 2}\n"
	"  - {host: h1, device: p, vfs: 1}\n"
	"workloads:\n"
	"  - {host: h0, device: d, io: read, size: 12KiB, depth: 4}\n"
	"  - {host: h1, device: d, io: write, size: 4KiB, rate: 2Miops}\n"
	"  - {host: h1, device: p, io: read, size: 128KiB, depth: 2}\n";

/* shared flow control on 1 KiB, the NIC under wrr: its port weighs the waiters of the one
 * credit set (ready_init_weighed, its payloads' slots made as waiters come) */
static char *const shared_fc[] = {"switches.sw.flow_control=shared",
				  "devices.nic.arbitration={policy: wrr}", "switches.sw.buffer=1KiB"};
/* runtime events (contract §10): a reset whose FLR ends in the run, and the removal of a
 * device with an ATC that its host keeps invalidating (lost invalidations time out) */
static char *const with_events[] = {"events=[{at: 5us, reset: h1}, {at: 10us, remove: ssd}]",
				    "pcie.flr=4us", "pcie.completion_timeout=3us"};

/* a reassign of device-model VFs (contract §10): the queue pair (controller) a VF leaves
 * stops, the workloads of the hosts it leaves and joins are split again (arrivals refiled) */
static char *const nic_move[] = {"events=[{at: 10us, reassign: {device: k, vfs: [1], to: h1}}]",
				 "pcie.flr=4us"};
static char *const nvme_move[] = {"events=[{at: 10us, reassign: {device: d, vfs: [0], to: h1}}]",
				  "pcie.flr=4us"};
/* a reset of a host on the vswitch path (contract §10, §11): its PF queue pairs and its
 * switch's frames fail, its TX streams go back to the switch after the FLR */
static char *const vsw_events[] = {"events=[{at: 12us, reset: h0}]", "pcie.flr=4us"};
/* link faults and removal on device models' functions (fault_model.c): the NIC k's link
 * goes down and comes back, the NIC p is removed; lost reads end by timeout */
static char *const model_events[] = {"events=[{at: 8us, link_down: sw-k}, {at: 12us, link_up: "
				     "sw-k}, {at: 16us, remove: p}]", "pcie.retrain=1us",
				     "pcie.completion_timeout=3us"};

/* the same on the vswitch path: h0's PF queue pair on k is cut and comes back, p is removed */
static char *const vsw_faults[] = {"events=[{at: 8us, link_down: sw-k}, {at: 12us, link_up: "
				   "sw-k}, {at: 16us, remove: p}]", "pcie.retrain=1us",
				   "pcie.completion_timeout=3us"};

static long ncalls, fail_at;

/* The allocator hook: count the calls, fail the fail_at-th (never when fail_at is 0). */
static int fail_kth(void)
{
	return ++ncalls == fail_at;
}

/* shared: 0 the chassis, 1 the chassis with shared flow control (and wrr), 2 the NIC chassis, 3 the
 * NVMe chassis, 4 the chassis with events, 5 the vswitch chassis, 6 the NIC chassis with a
 * reassign, 7 the NVMe chassis with a reassign, 8 the vswitch chassis with a reset, 9 the
 * NIC chassis with link faults and a removal, 10 the vswitch chassis with them */
static struct topo *load(int shared)
{
	char err[2048];
	char *const *sets = shared == 1 ? shared_fc : shared == 4 ? with_events
			  : shared == 6 ? nic_move : shared == 7 ? nvme_move
			  : shared == 8 ? vsw_events : shared == 9 ? model_events
			  : shared == 10 ? vsw_faults : NULL;
	const char *yaml = shared == 5 || shared == 8 || shared == 10 ? vsw_chassis
			   : shared == 3 || shared == 7 ? nvme_chassis
			   : shared == 2 || shared == 6 || shared == 9 ? nic_chassis : chassis;
	int nsets = shared == 1 || shared == 4 || shared >= 9 ? 3 : shared >= 6 ? 2 : 0;
	struct topo *t = tu_load(yaml, sets, nsets, err, sizeof(err));

	ck_assert_msg(t != NULL, "topology rejected: %s", err);
	return t;
}

/* Build with the k-th allocation failing; 0 with no failure. Returns eng_build's result. */
static int build_failing(const struct topo *t, long k, long *calls)
{
	struct eng_sink sink = {0};
	struct sim_nodes nodes;
	struct eng e;
	int r;

	ck_assert_int_eq(sim_nodes_init(&nodes, t), 0);
	ncalls = 0;
	fail_at = k;
	mriov_alloc_fail_hook = fail_kth;
	r = eng_build(&e, t, &nodes.view, &sink);
	mriov_alloc_fail_hook = NULL;
	*calls = ncalls;
	eng_destroy(&e);
	eng_destroy(&e); /* a destroyed engine destroys again as a no-op */
	sim_nodes_free(&nodes);
	return r;
}

static void check_build(int shared)
{
	struct topo *t = load(shared);
	long n, calls;

	ck_assert_int_eq(build_failing(t, 0, &n), 0);
	ck_assert_msg(n > 50, "only %ld allocations while building", n);
	for (long k = 1; k <= n; k++) {
		ck_assert_msg(build_failing(t, k, &calls) == -ENOMEM,
			      "allocation %ld of %ld failed but the build did not say so", k, n);
		ck_assert_int_le(calls, n);
	}
	topo_destroy(t);
	ck_assert_msg(LEAKS() == 0, "memory leaked after failed builds");
}

START_TEST(test_every_build_allocation_failure_is_clean)
{
	check_build(0);
	check_build(1);
	check_build(2);
	check_build(3);
	check_build(4);
	check_build(5);
	check_build(6);
	check_build(7);
	check_build(8);
	check_build(9);
	check_build(10);
}
END_TEST

START_TEST(test_destroy_of_a_never_built_engine_is_a_noop)
{
	struct eng e = {0};

	eng_destroy(&e);
	eng_destroy(NULL);
	fc_destroy(NULL);
	ready_destroy(NULL);
	arb_destroy(NULL);
}
END_TEST

/* In a child (SimGrid allows one engine per process): run with the k-th allocation failing.
 * Exit status: 0 success, 1 clean -ENOMEM, 2 any other result, 3 a leak; calls in *pipe. */
static int run_child(int shared, long k, long *calls)
{
	int fd[2];
	pid_t pid;
	int status;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *argv[] = {"test", "--log=root.thres:critical", NULL};
		struct sim_opts o = {.sg_argc = 2, .sg_argv = argv};
		struct topo *t = load(shared);
		struct sim sim;
		int r, code;

		ncalls = 0;
		fail_at = k;
		mriov_alloc_fail_hook = fail_kth;
		r = sim_run(&sim, t, &o);
		mriov_alloc_fail_hook = NULL;
		sim_free(&sim);
		topo_destroy(t);
		code = r == 0 ? 0 : r == -ENOMEM ? 1 : 2;
		if (LEAKS())
			code = 3;
		if (write(fd[1], &ncalls, sizeof(ncalls)) != sizeof(ncalls))
			code = 2;
		_exit(code);
	}
	close(fd[1]);
	ck_assert_int_eq(read(fd[0], calls, sizeof(*calls)), sizeof(*calls));
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "allocation %ld failing: the run crashed (signal %d)", k,
		      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return WEXITSTATUS(status);
}

static void check_run(int shared)
{
	struct topo *t = load(shared);
	long nbuild, n, calls;

	build_failing(t, 0, &nbuild);
	topo_destroy(t);
	ck_assert_int_eq(run_child(shared, 0, &n), 0);
	/* the run itself allocates too: slab blocks, dated returns, parked sources */
	ck_assert_msg(n > nbuild, "no allocation while running (%ld, %ld)", n, nbuild);
	for (long k = 1; k <= n; k++) {
		int code = run_child(shared, k, &calls);
		ck_assert_msg(code == 1, "allocation %ld of %ld failing: %s", k, n,
			      code == 0 ? "the run succeeded" : code == 3 ? "memory leaked"
									 : "not -ENOMEM");
	}
}

START_TEST(test_every_run_allocation_failure_is_clean)
{
	check_run(0);
	check_run(1);
	check_run(2);
	check_run(3);
	check_run(4);
	check_run(5);
	check_run(6);
	check_run(7);
	check_run(8);
	check_run(9);
	check_run(10);
}
END_TEST

static Suite *alloc_fail_suite(void)
{
	Suite *s = suite_create("alloc_fail");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_destroy_of_a_never_built_engine_is_a_noop);
	tcase_add_test(tc, test_every_build_allocation_failure_is_clean);
	tcase_add_test(tc, test_every_run_allocation_failure_is_clean);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(alloc_fail_suite());
}
