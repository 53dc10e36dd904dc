/* check_sim_vswitch.c - the vswitch path of contract §11 against analysis: a CPU-bound
 * switch carries cores x frequency / (cycles_per_packet + cycles_per_byte x data bytes)
 * frames per second and its cpu_utilization is its work over the host's capacity; at low
 * load the path adds exactly a frame's CPU time to its latency; ACLs move every packets
 * workload of their host to it; its PCIe side is a queue pair like a VF's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "devmodel.h"
#include "nic.h"
#include "results.h"
#include "simtest.h"

/* One host (16 cores at 1 GHz) on a Gen4 x8 link to a NIC: far more PCIe than the frames
 * below need (1518-B frames at 0.2 Mpps are 2.4 Gb/s of the link's ~120). */
static const char chassis[] =
	"name: vsw\nrun: {duration: %s, warmup: %s, seed: 7}\n"
	"hosts:\n"
	"  - name: h\n"
	"    cpu: {cores: 16, frequency: 1GHz}\n"
	"    vswitch: {cycles_per_packet: %u, cycles_per_byte: %g, cores: %u}\n"
	"devices: [{name: n, total_vfs: 4, nic: {driver: %s}}]\n"
	"links: [{a: h, b: n, gen: 4, width: 8}]\n"
	"assign: [{host: h, device: n, vfs: 4}]\n"
	"workloads: [{name: w, host: h, device: n, packets: %s, size: %u, rate: %s,\n"
	"             arrival: %s, path: %s}]\n";

struct shape {
	const char *duration, *warmup;
	unsigned cpp;      /* cycles_per_packet */
	double cpb;        /* cycles_per_byte */
	unsigned cores;    /* vswitch.cores */
	const char *driver, *dir;
	unsigned size;
	const char *rate, *arrival, *path;
};

/* Frames done (or dropped) in the window by workload wl, or by function fn (wl < 0). */
static int64_t frames(const struct sim *s, int fn, int wl, bool dropped)
{
	struct dev_counts c = {.packets = -1, .drops = -1, .ios = -1};

	dev_counts_of(&s->e, wl < 0 ? fn : -1, wl, &c);
	return dropped ? c.drops : c.packets;
}

static void format_shape(const struct shape *k, char *yaml, size_t len)
{
	snprintf(yaml, len, chassis, k->duration, k->warmup, k->cpp, k->cpb, k->cores, k->driver,
		 k->dir, k->size, k->rate, k->arrival, k->path);
}

static struct sim *run_shape(const struct shape *k)
{
	char yaml[2048];

	format_shape(k, yaml, sizeof(yaml));
	return st_run(yaml, NULL, 0);
}

/* A frame's CPU time on the 1-GHz cores (contract §11: the data is size - 4 B). */
static double frame_seconds(const struct shape *k)
{
	return (k->cpp + k->cpb * (k->size - 4)) / 1e9;
}

/*
 * CPU-bound: offered twice what vswitch.cores can switch, RX and TX, with and without a
 * per-byte cost. Carried frames per second (completed in the window) must be the CPU's
 * rate, cores x 1e9 / cycles per frame, within 2 % (the tolerance: frames cut off at
 * the window's edges, one interrupt batch of 32 at either end); cpu_utilization must be
 * the work of the frames switched over 16 cores x window, within 1 %, and since the switch
 * never idles, vswitch.cores / cpu.cores within 1 %.
 */
static const struct shape bound[] = {
	{"2ms", "300us", 20000, 0, 2, "kernel", "rx", 1518, "", "poisson", "vswitch"},
	{"2ms", "300us", 20000, 0, 2, "kernel", "tx", 1518, "", "poisson", "vswitch"},
	{"2ms", "300us", 8000, 4, 3, "kernel", "rx", 1024, "", "constant", "vswitch"},
	{"2ms", "300us", 8000, 4, 3, "dpdk", "tx", 512, "", "constant", "vswitch"},
};

START_TEST(test_cpu_bound_switch_carries_the_cores_rate)
{
	struct shape k = bound[_i];
	char rate[32];
	double fps = k.cores / frame_seconds(&k), window = 2e-3 - 300e-6;

	snprintf(rate, sizeof(rate), "%.0fpps", 2 * fps);
	k.rate = rate;
	struct sim *s = run_shape(&k);
	double got = (double)frames(s, -1, 0, false) / window;
	const struct vswitch *v = nic_vswitch_of(&s->e, 0);
	struct results_cpu c;

	results_host_cpu(s, 0, &c);
	fprintf(stderr, "cpu-bound %s %u B, %u cores: %.0f frames/s, bound %.0f (%+.2f %%), cpu "
		"%.4f\n", k.dir, k.size, k.cores, got, fps, 100 * (got / fps - 1), c.utilization);
	ck_assert_msg(fabs(got - fps) <= 0.02 * fps, "%.0f frames/s, CPU bound %.0f", got, fps);
	ck_assert_ptr_nonnull(v);
	double work = (double)v->jobs * frame_seconds(&k) / (16 * window);
	ck_assert_msg(fabs(c.utilization - work) <= 0.01 * work, "cpu_utilization %.5f, work %.5f",
		      c.utilization, work);
	ck_assert_msg(fabs(c.utilization - k.cores / 16.0) <= 0.01 * k.cores / 16.0,
		      "cpu_utilization %.5f, %u of 16 cores", c.utilization, k.cores);
}
END_TEST

/* Below the bound (a quarter of it) the switch carries what it is offered and its
 * utilization is the offered work: rate x CPU time / 16 cores, within 1 % (constant
 * arrivals, polled: ~1 600 frames in the window, one cut off at either edge). */
START_TEST(test_utilization_follows_the_offered_work)
{
	struct shape k = {"5ms", "500us", 2000, 0.5, 4, "dpdk", "rx", 1518, "", "constant",
			  "vswitch"};
	double fps = 0.25 * k.cores / frame_seconds(&k);
	char rate[32];

	snprintf(rate, sizeof(rate), "%.0fpps", fps);
	k.rate = rate;
	struct sim *s = run_shape(&k);
	struct results_cpu c;
	double want = fps * frame_seconds(&k) / 16;

	results_host_cpu(s, 0, &c);
	ck_assert_int_eq(frames(s, -1, 0, true), 0);
	ck_assert_msg(fabs(c.utilization - want) <= 0.01 * want, "cpu_utilization %.5f for %.5f",
		      c.utilization, want);
}
END_TEST

/* TX beyond the CPU: frames wait in their VM's ring to the switch (64 entries here), and
 * one that finds it full is dropped (as a full VF ring drops it). Offered twice the rate
 * (constant), after the ring fills every frame is carried or dropped: carried + dropped
 * in the window is the offered count within the ring and the cores' frames (66 + 2 at the
 * window's edges), and the carried rate is the CPU's within 2 %. */
START_TEST(test_a_full_vm_ring_drops_tx_frames)
{
	static const char yaml[] =
		"name: txring\nrun: {duration: 2ms, warmup: 500us}\n"
		"hosts: [{name: h, cpu: {cores: 4, frequency: 1GHz},\n"
		"         vswitch: {cycles_per_packet: 10000, cycles_per_byte: 0, cores: 2}}]\n"
		"devices: [{name: n, total_vfs: 1, nic: {ring: 64}}]\n"
		"links: [{a: h, b: n, gen: 4, width: 8}]\n"
		"assign: [{host: h, device: n, vfs: 1}]\n"
		"workloads: [{host: h, device: n, packets: tx, size: 256, rate: 400Kpps,\n"
		"             arrival: constant, path: vswitch}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	double window = 1.5e-3, offered = 400e3 * window, fps = 2 / 10e-6;
	double carried = (double)frames(s, -1, 0, false), dropped = (double)frames(s, -1, 0, true);

	ck_assert_msg(fabs(carried + dropped - offered) <= 68, "%.0f carried + %.0f dropped, %.0f "
		      "offered", carried, dropped, offered);
	ck_assert_msg(fabs(carried / window - fps) <= 0.02 * fps, "%.0f frames/s, CPU %.0f",
		      carried / window, fps);
}
END_TEST

/* workload 0's mean latency (s) and frames, from a run in a child (one engine a process) */
struct lat {
	double mean_s;
	uint64_t packets;
};

static void wl0_latency(struct sim *s, void *out)
{
	struct stat_summary m;

	stats_summary(&s->st, &s->st.wl[0], &m);
	*(struct lat *)out = (struct lat){m.mean_ns * 1e-9, (uint64_t)frames(s, -1, 0, false)};
}

static struct lat latency_in_child(const struct shape *k)
{
	struct lat v = {NAN, 0};
	char yaml[2048];

	format_shape(k, yaml, sizeof(yaml));
	st_run_in_child(yaml, NULL, 0, wl0_latency, &v, sizeof(v));
	return v;
}

/*
 * Low load (a frame every 50 us, constant): every frame finds a core free, so the vswitch
 * path's mean latency is the SR-IOV path's plus exactly one frame's CPU time. The PCIe
 * side is the same queue pair traffic on a PF instead of a VF, shifted in time, so the
 * difference holds to 1 ps. RX is polled (dpdk): the host takes a frame when its
 * write-back lands, where SR-IOV's RX latency ends (§6); TX with the kernel driver: the
 * CPU work comes before the PF's driver posts the frame.
 */
static const struct shape low[] = {
	{"3ms", "200us", 2000, 0.5, 4, "dpdk", "rx", 1518, "20Kpps", "constant", "sriov"},
	{"3ms", "200us", 2000, 0.5, 4, "kernel", "tx", 1518, "20Kpps", "constant", "sriov"},
	{"3ms", "200us", 30000, 0, 1, "kernel", "tx", 64, "20Kpps", "constant", "sriov"},
};

START_TEST(test_low_load_adds_exactly_the_cpu_time)
{
	struct shape k = low[_i];
	struct lat sriov = latency_in_child(&k);
	k.path = "vswitch";
	struct lat vsw = latency_in_child(&k);

	fprintf(stderr, "low load %s %u B: sriov %.3f ns, vswitch %.3f ns, cpu %.3f ns\n", k.dir,
		k.size, sriov.mean_s * 1e9, vsw.mean_s * 1e9, frame_seconds(&k) * 1e9);
	ck_assert_uint_gt(sriov.packets, 50);
	ck_assert_uint_eq(vsw.packets, sriov.packets);
	ck_assert_msg(fabs(vsw.mean_s - sriov.mean_s - frame_seconds(&k)) <= 1e-12,
		      "vswitch %.6f ns - sriov %.6f ns != %.6f ns", vsw.mean_s * 1e9,
		      sriov.mean_s * 1e9, frame_seconds(&k) * 1e9);
}
END_TEST

/* acl: true moves every packets workload of the host to the vswitch path, whatever its
 * path says: the PF carries its frames, its VFs none, and its cores do the work. */
START_TEST(test_acl_moves_every_workload_to_the_vswitch)
{
	static const char yaml[] =
		"name: acl\nrun: {duration: 1ms, warmup: 100us}\n"
		"hosts:\n"
		"  - {name: h, vswitch: {acl: true}}\n"
		"devices: [{name: n, total_vfs: 4, nic: {}}]\n"
		"links: [{a: h, b: n, gen: 4, width: 8}]\n"
		"assign: [{host: h, device: n, vfs: 4}]\n"
		"workloads:\n"
		"  - {name: a, host: h, device: n, packets: rx, size: 512, rate: 100Kpps}\n"
		"  - {name: b, host: h, device: n, packets: tx, size: 512, rate: 100Kpps, "
		"path: sriov}\n";
	struct sim *s = st_run(yaml, NULL, 0);
	const struct topo *t = s->t;
	int pf = t->dev_pf[0];
	struct results_cpu c;

	ck_assert(t->workloads[0].vswitch && t->workloads[1].vswitch);
	ck_assert_int_gt(frames(s, -1, 0, false), 50);
	ck_assert_int_gt(frames(s, -1, 1, false), 50);
	ck_assert_int_eq(frames(s, pf, -1, false), frames(s, -1, 0, false) + frames(s, -1, 1, false));
	for (size_t f = 0; f < t->nfunctions; f++)
		if (!t->functions[f].is_pf)
			ck_assert_uint_eq(s->st.fn[f].dmas, 0);
	results_host_cpu(s, 0, &c);
	ck_assert_int_ge(c.vswitch_packets, frames(s, -1, 0, false) + frames(s, -1, 1, false));
	ck_assert_double_gt(c.utilization, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vswitch");
	TCase *tc = tcase_create("vswitch");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_cpu_bound_switch_carries_the_cores_rate, 0,
			    (int)(sizeof(bound) / sizeof(bound[0])));
	tcase_add_test(tc, test_utilization_follows_the_offered_work);
	tcase_add_loop_test(tc, test_low_load_adds_exactly_the_cpu_time, 0,
			    (int)(sizeof(low) / sizeof(low[0])));
	tcase_add_test(tc, test_acl_moves_every_workload_to_the_vswitch);
	tcase_add_test(tc, test_a_full_vm_ring_drops_tx_frames);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
