/* check_sim_nvme.c - the NVMe model (contract §6) against analysis: the TLPs of each purpose
 * per command on each link direction, exactly, for read and write commands of 4, 8, 12 and
 * 128 KiB with and without coalescing; media-bound IOPS (channels / latency); Little's law;
 * bus-bound large reads at what the bytes per command allow on the binding direction;
 * interrupts per completion (coalesced, by time, polled); and two blades' controllers
 * sharing the drive's channels in order of arrival (FIFO: shares follow the depths). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bottleneck.h"
#include "devmodel.h"
#include "pcie.h"
#include "rc.h"
#include "simtest.h"

enum { UP, DOWN };

/* Commands the drive's model counted for workload w, or for function fn (devmodel.h). */
static uint64_t wl_ios(const struct sim *s, int w)
{
	struct dev_counts c;
	dev_counts_of(&s->e, -1, w, &c);
	ck_assert_int_ge(c.ios, 0);
	return (uint64_t)c.ios;
}

static uint64_t fn_ios(const struct sim *s, int fn)
{
	struct dev_counts c;
	dev_counts_of(&s->e, fn, -1, &c);
	ck_assert_int_ge(c.ios, 0);
	return (uint64_t)c.ios;
}

/* Per command on each direction, by purpose: TLPs (Gen3, 64-bit, MPS 256, MRRS 512). */
struct per_cmd {
	double n[2][PURPOSE_N], bytes[2];
};

static void add(struct per_cmd *p, int dir, int purpose, double count, enum pcie_tlp_type type,
		unsigned payload)
{
	p->n[dir][purpose] += count;
	p->bytes[dir] += count * pcie_tlp_wire_bytes(type, payload, 3, 64, false, false);
}

/* Contract §6 with domain.md §10.2's sizes, for a command of kib KiB whose buffer starts on
 * a page (slots are the size rounded up to a power of two): per k commands one SQ doorbell,
 * one read of k 64-B entries (one completion: k x 64 <= MPS), one MSI-X and one CQ
 * doorbell; per command a PRP list read when it spans three pages or more (8 B per page
 * after the first: one completion up to 256 B), its data (reads: 256-B posted writes;
 * writes: 512-B read requests, each answered by two 256-B completions) and a 16-B entry. */
static struct per_cmd expected(bool read, unsigned kib, unsigned k)
{
	struct per_cmd p;
	unsigned bytes = kib * 1024, pages = (bytes + 4095) / 4096;

	memset(&p, 0, sizeof(p));
	add(&p, DOWN, PURPOSE_DOORBELL, 2.0 / k, PCIE_MWR, 4); /* SQ tail, CQ head */
	add(&p, UP, PURPOSE_DESCRIPTOR, 1.0 / k, PCIE_MRD, 0);
	add(&p, DOWN, PURPOSE_DESCRIPTOR, 1.0 / k, PCIE_CPLD, 64 * k);
	if (pages > 2) {
		add(&p, UP, PURPOSE_DESCRIPTOR, 1, PCIE_MRD, 0);
		add(&p, DOWN, PURPOSE_DESCRIPTOR, 1, PCIE_CPLD, 8 * (pages - 1));
	}
	if (read) {
		add(&p, UP, PURPOSE_DATA, bytes / 256.0, PCIE_MWR, 256);
	} else {
		add(&p, UP, PURPOSE_DATA, bytes / 512.0, PCIE_MRD, 0);
		add(&p, DOWN, PURPOSE_DATA, bytes / 256.0, PCIE_CPLD, 256);
	}
	add(&p, UP, PURPOSE_WRITEBACK, 1, PCIE_MWR, 16);
	add(&p, UP, PURPOSE_INTERRUPT, 1.0 / k, PCIE_MWR, 4);
	return p;
}

/* One host and one drive on a Gen3 x8 link, one VF, no IOMMU: a closed loop of depth 4
 * that stops issuing at 400 us, so that every command it issued is done by 1 ms. Every
 * batch key is k (sq_fetch, irq_coalesce, sq_doorbell, cq_doorbell): with k = 4 = depth,
 * the four commands of a round share one doorbell, entry read, interrupt and head write. */
static struct sim *run_batch(bool read, unsigned kib, unsigned k)
{
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
		 "name: nvme\nrun: {duration: 1ms, warmup: 0}\npcie: {mps: 256, mrrs: 512}\n"
		 "hosts: [{name: h, iommu: {enabled: false}, buffer: 64KiB}]\n"
		 "devices: [{name: d, total_vfs: 1, nvme: {channels: 8, read_latency: 20us,\n"
		 "           write_latency: 10us, sq_fetch: %u, irq_coalesce: %u, sq_doorbell: %u,\n"
		 "           cq_doorbell: %u}}]\n"
		 "links: [{a: h, b: d, gen: 3, width: 8}]\n"
		 "assign: [{host: h, device: d, vfs: 1}]\n"
		 "workloads: [{name: w, host: h, device: d, io: %s, size: %uKiB, depth: 4,\n"
		 "             stop: 400us}]\n",
		 k, k, k, k, read ? "read" : "write", kib);
	return st_run(yaml, NULL, 0);
}

static const unsigned acc_kib[] = {4, 8, 12, 128};

/* Every TLP of the run, on each direction and of each purpose, is exactly the per-command
 * count times the commands done (all of them, in a window that holds the whole run). */
START_TEST(test_tlps_per_command_are_exact)
{
	bool read = _i / 8, coalesced = _i / 4 % 2;
	unsigned kib = acc_kib[_i % 4], k = coalesced ? 4 : 1;
	struct sim *s = run_batch(read, kib, k);
	const struct port *pp[2] = {st_port(s, "d", "h"), st_port(s, "h", "d")};
	double ios = (double)wl_ios(s, 0);
	struct per_cmd want = expected(read, kib, k);

	ck_assert_double_gt(ios, 8);
	ck_assert_double_eq(fmod(ios, k), 0); /* whole rounds */
	for (int d = 0; d < 2; d++)
		for (int u = 0; u < PURPOSE_N; u++) {
			double got = (double)pp[d]->st.purpose_tlps[u];
			ck_assert_msg(fabs(got - want.n[d][u] * ios) < 1e-9,
				      "%s %u KiB%s, %s %s: %.0f TLPs for %.0f commands, expected %.2f",
				      read ? "read" : "write", kib, coalesced ? " coalesced" : "",
				      d == UP ? "up" : "down", tlp_purpose_name(u), got, ios,
				      want.n[d][u] * ios);
		}
}
END_TEST

/* One drive behind a switch, shared by two hosts on Gen4 x4 links (20 ns), drive link
 * Gen4 x4, no IOMMU; io is the workloads' list. */
static struct sim *run_shared(const char *nvme, const char *link, const char *dur,
			      const char *warm, const char *io)
{
	char yaml[2048];

	snprintf(yaml, sizeof(yaml),
		 "name: nvme2\nrun: {duration: %s, warmup: %s, seed: 5}\n"
		 "hosts: [{name: a, iommu: {enabled: false}, buffer: 64KiB},\n"
		 "        {name: b, iommu: {enabled: false}, buffer: 64KiB}]\n"
		 "switches: [{name: s}]\n"
		 "devices: [{name: d, total_vfs: 8, nvme: {%s}}]\n"
		 "links: [{a: a, b: s, gen: 4, width: 4}, {a: b, b: s, gen: 4, width: 4},\n"
		 "        {a: s, b: d, %s}]\n"
		 "assign: [{host: a, device: d, vfs: 2}, {host: b, device: d, vfs: 2}]\n"
		 "workloads:\n%s",
		 dur, warm, nvme, link, io);
	return st_run(yaml, NULL, 0);
}

static double iops(const struct sim *s, int w)
{
	return (double)wl_ios(s, w) / (s->t->run.duration - s->t->run.warmup);
}

/* 4 channels of 100-us reads serve 4 / 100 us = 40 000 commands/s, however many wait: 64
 * in flight over 4 VFs of two hosts (4 KiB, so the bus is far from binding), to 2 % (the
 * 720 commands of an 18-ms window are off by at most the 4 in service at each edge). */
START_TEST(test_media_bounds_iops)
{
	struct sim *s = run_shared("channels: 4, read_latency: 100us", "gen: 4, width: 4", "20ms",
				   "2ms",
				   "  - {host: a, device: d, io: read, size: 4KiB, depth: 16, "
				   "pattern: random, footprint: 1GiB}\n"
				   "  - {host: b, device: d, io: read, size: 4KiB, depth: 16}\n");
	double got = iops(s, 0) + iops(s, 1);

	struct bottleneck b;
	struct dev_counts c;

	fprintf(stderr, "media-bound: %.0f IOPS, bound 40000 (%+.2f %%)\n", got,
		100 * (got / 40000 - 1));
	ck_assert_msg(fabs(got - 40000) <= 0.02 * 40000, "%.0f IOPS", got);
	/* the verdict names the channels, busy the whole window (to 2 %: the edges) */
	bottleneck_workload(s, 0, &b);
	dev_counts_of(&s->e, -1, 0, &c);
	ck_assert_int_eq(b.kind, BN_DEVICE);
	ck_assert_msg(strstr(b.text, "media channels of d"), "%s", b.text);
	ck_assert_double_ge(c.busy, 0.98);
}
END_TEST

/* Little's law: in a closed loop every command is in flight from its issue until the host
 * sees its completion, so IOPS x mean latency = depth x VFs, to 2 %: media-bound (64 in
 * flight on 4 channels) and not (16 in flight on 32 channels, where the latency is the
 * media's 80 us plus the fabric's). */
static void littles_law(const char *nvme, unsigned depth)
{
	char io[512];
	snprintf(io, sizeof(io),
		 "  - {host: a, device: d, io: read, size: 8KiB, depth: %u}\n"
		 "  - {host: b, device: d, io: write, size: 16KiB, depth: %u}\n", depth, depth);
	struct sim *s = run_shared(nvme, "gen: 4, width: 4", "20ms", "2ms", io);
	double n = 0;

	for (int w = 0; w < 2; w++) {
		struct stat_summary m;
		stats_summary(&s->st, &s->st.wl[w], &m);
		n += iops(s, w) * m.mean_ns * 1e-9;
	}
	fprintf(stderr, "Little: %.2f in flight, %u expected (%+.2f %%)\n", n, 4 * depth,
		100 * (n / (4 * depth) - 1));
	ck_assert_msg(fabs(n - 4 * depth) <= 0.02 * 4 * depth, "%.2f in flight", n);
	/* the channels' busy fraction is the media work of the commands done over the
	 * channel-time of the window, IOPS x latency / channels (to 2 %: the edges) */
	const struct topo_nvme *nv = &s->t->devices[0].nvme;
	double work = iops(s, 0) * nv->read_latency + iops(s, 1) * nv->write_latency;
	struct dev_counts c;
	dev_counts_of(&s->e, -1, 0, &c);
	ck_assert_msg(fabs(c.busy - work / (double)nv->channels) <= 0.02 * work / (double)nv->channels,
		      "channels %.4f busy, expected %.4f", c.busy, work / (double)nv->channels);
}

START_TEST(test_littles_law_holds_media_bound)
{
	littles_law("channels: 4, read_latency: 100us, write_latency: 100us", 16);
}
END_TEST

START_TEST(test_littles_law_holds_with_free_channels)
{
	littles_law("channels: 32", 4);
}
END_TEST

/* 100 commands in flight per queue (the drive link binds): past the 16 CIDs
 * a queue's commands are first held for (nvme.h: the array grows with the highest CID
 * used, to 128 here), and still Little's law to 2 %. */
START_TEST(test_littles_law_holds_deep)
{
	littles_law("channels: 32", 100);
}
END_TEST

/* 128-KiB sequential reads, 64 in flight, on a Gen3 x1 drive link: the drive's writes of
 * data toward the hosts bind. Per command that direction carries 512 writes of 256 B, the
 * completion entry, the MSI-X, and the entry and PRP-list read requests; the IOPS are the
 * TLP-layer rate over those bytes, the throughput that times 128 KiB, to 3 %. */
START_TEST(test_large_reads_fill_a_narrow_link)
{
	struct per_cmd c = expected(true, 128, 1);
	double r = pcie_raw_bps(3, 1) * (1 - pcie_spec_overhead(3, 1, 256));
	double tlps = 0;

	for (int u = 0; u < PURPOSE_N; u++)
		tlps += c.n[UP][u];
	c.bytes[UP] += 4 * tlps; /* the drive link carries both VHs: the MR-IOV prefix */
	double bound = r * 128 * 1024 / c.bytes[UP] / 1e9; /* Gb/s of data */
	struct sim *s = run_shared("channels: 32", "gen: 3, width: 1", "6ms", "1ms",
				   "  - {host: a, device: d, io: read, size: 128KiB, depth: 16, "
				   "footprint: 64MiB}\n"
				   "  - {host: b, device: d, io: read, size: 128KiB, depth: 16, "
				   "footprint: 64MiB}\n");
	double got = st_total_gbps(s);

	fprintf(stderr, "bus-bound: %.4f Gb/s, bound %.4f Gb/s (%+.2f %%)\n", got, bound,
		100 * (got / bound - 1));
	ck_assert_msg(fabs(got - bound) <= 0.03 * bound, "%.4f Gb/s, bound %.4f", got, bound);
}
END_TEST

/* Interrupts per completion, exactly over a run whose every command is done in the window:
 * one per entry, one per irq_coalesce entries, none when polled (irq_coalesce 0), where
 * the host sees each entry as it lands and the latency is shorter by the interrupt's trip
 * and delivery. */
START_TEST(test_interrupts_per_completion)
{
	unsigned k = _i ? 4 : 1;
	struct sim *s = run_batch(true, 4, k);

	ck_assert_uint_gt(wl_ios(s, 0), 8);
	ck_assert_uint_eq(k * s->e.hosts[0].interrupts, wl_ios(s, 0));
}
END_TEST

/* Polled and interrupted side by side: two drives behind one switch, one polled, one with
 * an interrupt per completion, each with one command at a time of exactly 80 us of media
 * for its own host. Every latency of a drive is the same, and polling saves the MSI-X's
 * trip right behind the entry, a remapping lookup (a hit after the first) and the 100-ns
 * delivery: 0.1 to 1 us. */
START_TEST(test_polled_queues_raise_no_interrupt)
{
	static const char yaml[] =
		"name: polled\nrun: {duration: 2ms, warmup: 200us}\n"
		"hosts: [{name: a, iommu: {enabled: false}}, {name: b, iommu: {enabled: false}}]\n"
		"switches: [{name: s}]\n"
		"devices: [{name: p, total_vfs: 1, nvme: {irq_coalesce: 0}},\n"
		"          {name: i, total_vfs: 1, nvme: {irq_coalesce: 1}}]\n"
		"links: [{a: a, b: s, gen: 4, width: 4}, {a: b, b: s, gen: 4, width: 4},\n"
		"        {a: s, b: p, gen: 4, width: 4}, {a: s, b: i, gen: 4, width: 4}]\n"
		"assign: [{host: a, device: p, vfs: 1}, {host: b, device: i, vfs: 1}]\n"
		"workloads: [{host: a, device: p, io: read, size: 4KiB, depth: 1},\n"
		"            {host: b, device: i, io: read, size: 4KiB, depth: 1}]\n";
	struct sim *s = st_run(yaml, NULL, 0);
	struct stat_summary m[2];

	for (int w = 0; w < 2; w++)
		stats_summary(&s->st, &s->st.wl[w], &m[w]);
	fprintf(stderr, "polled: %.1f ns, with an interrupt each: %.1f ns\n", m[0].mean_ns,
		m[1].mean_ns);
	ck_assert_uint_gt(wl_ios(s, 0), 20);
	ck_assert_uint_eq(s->e.hosts[0].interrupts, 0);
	ck_assert_uint_eq(s->e.hosts[1].interrupts, wl_ios(s, 1));
	ck_assert_msg(m[1].mean_ns - m[0].mean_ns > 100 && m[1].mean_ns - m[0].mean_ns < 1000,
		      "polled %.1f ns, interrupted %.1f ns", m[0].mean_ns, m[1].mean_ns);
}
END_TEST

/* One command at a time never makes irq_coalesce 8: irq_interval (10 us) interrupts for
 * it, so its interrupt latency (entry at the host to delivery) is the interval less the
 * entry's trip, plus the MSI-X's, a remapping miss or hit and delivery: 9 to 11 us. */
START_TEST(test_irq_interval_announces_a_lone_completion)
{
	struct sim *s = run_shared("irq_coalesce: 8, irq_interval: 10us", "gen: 4, width: 4", "2ms",
				   "200us",
				   "  - {host: a, device: d, vfs: 1, io: write, size: 4KiB, depth: 1}\n");
	const struct vf *vf = &s->e.vfs[1];
	double lat = vf->irq_lat_sum / (double)vf->interrupts;

	fprintf(stderr, "irq_interval 10 us: %llu interrupts for %llu commands, %.1f ns each\n",
		(unsigned long long)vf->interrupts, (unsigned long long)fn_ios(s, 1), lat * 1e9);
	ck_assert_uint_gt(fn_ios(s, 1), 10);
	ck_assert_uint_le(vf->interrupts - fn_ios(s, 1) + 1, 2); /* one each, the window's edges */
	ck_assert_msg(lat > 9e-6 && lat < 11e-6, "interrupt latency %.1f ns", lat * 1e9);
}
END_TEST

/* Two blades' controllers on one drive: its 4 channels of 100-us reads serve commands in
 * order of arrival, whatever their controller, so in a closed loop each blade's share is
 * its share of the commands in flight: depths 4 and 12 per VF (2 VFs each) get 10 000 and
 * 30 000 IOPS of the 40 000, equal depths 20 000 each, to 2 %. */
static void shares(unsigned da, unsigned db)
{
	char io[512];
	snprintf(io, sizeof(io),
		 "  - {host: a, device: d, io: read, size: 4KiB, depth: %u}\n"
		 "  - {host: b, device: d, io: read, size: 4KiB, depth: %u}\n", da, db);
	struct sim *s = run_shared("channels: 4, read_latency: 100us", "gen: 4, width: 4", "40ms",
				   "2ms", io);
	double want[2] = {40000.0 * da / (da + db), 40000.0 * db / (da + db)};

	for (int w = 0; w < 2; w++) {
		fprintf(stderr, "shares %u:%u, blade %c: %.0f IOPS, expected %.0f (%+.2f %%)\n",
			da, db, 'a' + w, iops(s, w), want[w], 100 * (iops(s, w) / want[w] - 1));
		ck_assert_msg(fabs(iops(s, w) - want[w]) <= 0.02 * want[w], "%.0f IOPS, want %.0f",
			      iops(s, w), want[w]);
	}
}

START_TEST(test_two_blades_share_the_channels_by_arrival)
{
	if (_i)
		shares(8, 8);
	else
		shares(4, 12);
}
END_TEST

/* Translation (contract §6): with the host's IOMMU on, every TLP of the drive's to host
 * memory is looked up in the IOTLB once (entry and PRP-list reads, data, completion
 * entries), and no doorbell or MSI-X is: lookups equal the upstream TLPs of purposes
 * descriptor, data and writeback, exactly, over a run whose every command is done. */
START_TEST(test_entries_prp_lists_and_data_are_translated_not_doorbells)
{
	char yaml[1024];
	snprintf(yaml, sizeof(yaml),
		 "name: xlat\nrun: {duration: 1ms, warmup: 0}\n"
		 "hosts: [{name: h, iommu: {page_size: 4KiB, iotlb_entries: 8}}]\n"
		 "devices: [{name: d, total_vfs: 1, nvme: {read_latency: 5us, write_latency: 2us}}]\n"
		 "links: [{a: h, b: d, gen: 3, width: 8}]\n"
		 "assign: [{host: h, device: d, vfs: 1}]\n"
		 "workloads: [{host: h, device: d, io: read, size: 12KiB, depth: 2, stop: 300us,\n"
		 "             pattern: random, footprint: 64MiB},\n"
		 "            {host: h, device: d, io: write, size: 128KiB, depth: 1, stop: 300us}]\n");
	struct sim *s = st_run(yaml, NULL, 0);
	const struct port *up = st_port(s, "d", "h");
	const struct eng_host *h = &s->e.hosts[0];
	uint64_t mem = up->st.purpose_tlps[PURPOSE_DESCRIPTOR] + up->st.purpose_tlps[PURPOSE_DATA] +
		       up->st.purpose_tlps[PURPOSE_WRITEBACK];

	ck_assert_uint_gt(wl_ios(s, 0) + wl_ios(s, 1), 30);
	ck_assert_uint_gt(h->iotlb_misses, 30); /* random 12 KiB over 64 MiB: mostly misses */
	ck_assert_uint_eq(h->iotlb_hits + h->iotlb_misses, mem);
}
END_TEST

/* The drive's clocks and FIFOs under the ready structures decide what a full scan of every
 * source decides (check_ready's differential test, on an NVMe chassis with two drives:
 * coalesced with a timer, and polled; open and closed loops, reads and writes, PRP lists,
 * a backlog): same commands, interrupts and link statistics, to the bit. */
static const char diff_yaml[] =
	"name: diff\nrun: {duration: 400us, warmup: 40us, seed: 9}\n"
	"hosts: [{name: h0}, {name: h1}]\nswitches: [{name: s}]\n"
	"devices: [{name: d, total_vfs: 4, nvme: {queue_depth: 16, channels: 6, read_latency: 7us,\n"
	"           write_latency: 3us, irq_coalesce: 3, irq_interval: 2us, sq_fetch: 4}},\n"
	"          {name: p, total_vfs: 2, nvme: {irq_coalesce: 0, read_latency: 5us}}]\n"
	"links: [{a: h0, b: s, gen: 3, width: 4}, {a: h1, b: s, gen: 3, width: 4},\n"
	"        {a: s, b: d, gen: 3, width: 4}, {a: s, b: p, gen: 3, width: 8}]\n"
	"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2},\n"
	"         {host: h0, device: p, vfs: 1}, {host: h1, device: p, vfs: 1}]\n"
	"workloads:\n"
	"  - {host: h0, device: d, io: read, size: 12KiB, depth: 6, pattern: random}\n"
	"  - {host: h1, device: d, io: write, size: 4KiB, rate: 600Kiops}\n"
	"  - {host: h0, device: p, io: write, size: 128KiB, depth: 3}\n"
	"  - {host: h1, device: p, io: read, size: 8KiB, rate: 20Gbps, arrival: constant}\n";

static int nvme_outcome(const struct sim *sim, double *o)
{
	int n = 0;

	for (size_t w = 0; w < sim->t->nworkloads; w++)
		o[n++] = (double)wl_ios(sim, (int)w);
	for (size_t h = 0; h < sim->t->nhosts; h++)
		o[n++] = (double)sim->e.hosts[h].interrupts;
	for (size_t i = 0; i < sim->e.nports && n + 2 <= ST_NVAL; i++) {
		o[n++] = sim->e.ports[i].st.wire;
		o[n++] = sim->e.ports[i].st.queue_area;
	}
	return n;
}

START_TEST(test_ready_structures_decide_what_a_full_scan_decides_for_nvme)
{
	static double a[ST_NVAL], b[ST_NVAL];

	st_outcome(diff_yaml, true, nvme_outcome, a);
	st_outcome(diff_yaml, false, nvme_outcome, b);
	for (int w = 0; w < 4; w++) /* every workload ran */
		ck_assert_double_gt(a[w], 5);
	ck_assert_double_gt(a[4] + a[5], 50); /* h0 is interrupted, h1 too (on d) */
	for (int i = 0; i < ST_NVAL; i++)
		ck_assert_msg(memcmp(&a[i], &b[i], sizeof(double)) == 0, "value %d: %.17g, %.17g", i,
			      a[i], b[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_nvme");
	TCase *tc = tcase_create("nvme");

	tcase_add_loop_test(tc, test_tlps_per_command_are_exact, 0, 16);
	tcase_add_test(tc, test_media_bounds_iops);
	tcase_add_test(tc, test_littles_law_holds_media_bound);
	tcase_add_test(tc, test_littles_law_holds_with_free_channels);
	tcase_add_test(tc, test_littles_law_holds_deep);
	tcase_add_test(tc, test_large_reads_fill_a_narrow_link);
	tcase_add_loop_test(tc, test_interrupts_per_completion, 0, 2);
	tcase_add_test(tc, test_polled_queues_raise_no_interrupt);
	tcase_add_test(tc, test_irq_interval_announces_a_lone_completion);
	tcase_add_loop_test(tc, test_two_blades_share_the_channels_by_arrival, 0, 2);
	tcase_add_test(tc, test_ready_structures_decide_what_a_full_scan_decides_for_nvme);
	tcase_add_test(tc, test_entries_prp_lists_and_data_are_translated_not_doorbells);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
