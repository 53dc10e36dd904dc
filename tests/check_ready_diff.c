/* check_ready_diff.c - the engine with the ports' ready structures (models/ready.c,
 * decide.c) against the engine that looks at every source at every decision, on randomly
 * generated chassis, with the ports stepped from main and in their one actor
 * (models/engine.c): every statistic must be the same to the last bit. And the progress
 * report of a stepped run. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault.h"
#include "rcal.h"
#include "ready.h"
#include "sim.h"
#include "simtest.h"
#include "testutil.h"

static void gen_models(FILE *f, unsigned short g[3], int nh, int nd, const int *kind);

/* What gen_chassis_with makes: raw DMA devices, device models, or a wide chassis. */
enum gen_mode { GEN_RAW, GEN_MODELS, GEN_WIDE };

/* A switch's policy, drawn as for any chassis (the same draws, so that the other modes'
 * chassis stay the same); wrr on every switch of a wide chassis. */
static const char *switch_policy(unsigned short g[3], enum gen_mode mode)
{
	static const char *const pol[] = {"rr", "wrr", "strict"};
	const char *p = pol[(int)(erand48(g) * 3)];

	return mode == GEN_WIDE ? "wrr" : p;
}

/* A random chassis; starved: switch and host buffers of 1 to 4 KiB per credit set, so that
 * sources wait for credits often (they park on the credit sets, ready.h); 1 to maxvfs VFs
 * per host on each device, and with more than 3 a DMA engine model on half the devices.
 * GEN_MODELS: each device a NIC or an NVMe model (gen_models), few tags per function.
 * GEN_WIDE: 8 to 12 hosts, wrr on every switch, the devices behind a second switch of
 * shared buffers on odd seeds (its port from the first switch weighs VHs that take one
 * credit set), so that a switch's shared buffers of a device's or a switch's link feed 8
 * or more ports (engine.h, SRC_BCAST_OWNERS). */
static void gen_chassis_with(char *buf, size_t len, unsigned seed, bool starved, int maxvfs,
			     enum gen_mode mode)
{
	unsigned short g[3] = {(unsigned short)seed, (unsigned short)(seed >> 16), 7};
	int nh = 1 + (int)(erand48(g) * 5), nd = 1 + (int)(erand48(g) * 3);
	int cascade = erand48(g) < 0.4; /* the devices behind a second switch */
	bool models = mode == GEN_MODELS;
	static const char *const pol[] = {"rr", "wrr", "strict"};

	if (mode == GEN_WIDE) {
		nh += 7;
		cascade = seed % 2;
	}
	static const char *const sizes[] = {"64B", "256B", "1500B", "4KiB", "9000B"};
	FILE *f = fmemopen(buf, len, "w");

	fprintf(f, "name: rnd%u\nrun: {duration: 40us, warmup: 5us, seed: %u}\n", seed, seed);
	int kind[3] = {0, 0, 0}; /* per device: 0 raw DMA, 1 NIC, 2 NVMe */
	fprintf(f, "pcie: {mps: %d", erand48(g) < 0.5 ? 256 : 128);
	if (models) /* reads run out of tags: a function's requesters share them */
		fprintf(f, ", tags: %d", 2 + (int)(erand48(g) * 3));
	fprintf(f, "}\n");
	for (int d = 0; d < nd && models; d++)
		kind[d] = 1 + (erand48(g) < 0.5);
	char buffer[32] = "";
	if (starved)
		snprintf(buffer, sizeof(buffer), ", buffer: %dKiB", 1 << (seed % 3));
	fprintf(f, "hosts:\n");
	for (int h = 0; h < nh; h++)
		fprintf(f, "  - {name: h%d%s}\n", h, buffer);
	fprintf(f, "switches:\n  - {name: sw, flow_control: %s, arbitration: {policy: %s, "
		   "weights: {h0: 3}}%s}\n", erand48(g) < 0.5 ? "per_vh" : "shared",
		switch_policy(g, mode), buffer);
	if (cascade)
		fprintf(f, "  - {name: sw1, flow_control: %s, arbitration: {policy: %s}%s}\n",
			erand48(g) < 0.5 && mode != GEN_WIDE ? "per_vh" : "shared",
			switch_policy(g, mode), buffer);
	fprintf(f, "devices:\n");
	for (int d = 0; d < nd; d++) {
		double a = erand48(g);
		char eng[96] = ""; /* crowded: a DMA engine model on some (its arrivals' order matters) */
		if (maxvfs > 3 && erand48(g) < 0.5)
			snprintf(eng, sizeof(eng), ", dma_cost: %dns, write_interval: %dns, "
				 "dma_concurrency: %d", 5 + (int)(erand48(g) * 40),
				 (int)(erand48(g) * 20), (int)(erand48(g) * 16));
		static const char *const model[] = {
			"", ", nic: {ring: 64, irq_interval: 2us}",
			", nic: {driver: dpdk, ports: 2, port_rate: 25Gbps}",
			", nvme: {queue_depth: 64, channels: 4, read_latency: 3us, write_latency: 2us}"};
		int m = kind[d] == 1 ? 1 + (erand48(g) < 0.5) : kind[d] == 2 ? 3 : 0;
		const char *dp = pol[(int)(erand48(g) * 3)];
		fprintf(f, "  - {name: d%d, total_vfs: %d%s, arbitration: {policy: %s%s}%s%s%s}\n", d,
			maxvfs > 3 || mode == GEN_WIDE ? 64 : 16,
			mode == GEN_WIDE ? ", max_vhs: 16" : "", dp,
			dp[0] == 'w' ? ", weights: {h0: 2}" : "", /* (no draw: the same chassis else) */
			m ? "" /* (the models' queues use no ATC) */
			: a < 0.3 ? ", atc: {entries: 8, scope: per_vf}"
			: a < 0.6 ? ", atc: {entries: 16, scope: shared}" : "", eng, model[m]);
	}
	fprintf(f, "links:\n");
	for (int h = 0; h < nh; h++)
		fprintf(f, "  - {a: h%d, b: sw, gen: %d, width: %d}\n", h, 3 + (int)(erand48(g) * 2),
			erand48(g) < 0.5 ? 4 : 8);
	if (cascade)
		fprintf(f, "  - {a: sw, b: sw1, gen: 4, width: %d}\n", erand48(g) < 0.5 ? 8 : 16);
	for (int d = 0; d < nd; d++)
		fprintf(f, "  - {a: %s, b: d%d, gen: 4, width: %d}\n", cascade ? "sw1" : "sw", d,
			erand48(g) < 0.5 ? 4 : 16);
	fprintf(f, "assign:\n");
	for (int h = 0; h < nh; h++)
		for (int d = 0; d < nd; d++)
			fprintf(f, "  - {host: h%d, device: d%d, vfs: %d}\n", h, d,
				1 + (int)(erand48(g) * maxvfs));
	fprintf(f, "workloads:\n");
	if (models)
		gen_models(f, g, nh, nd, kind);
	for (int h = 0; h < nh; h++)
		for (int d = 0; d < nd; d++)
			for (int op = 0; op < 2; op++) {
				if (models && erand48(g) < 0.6)
					continue; /* raw DMA on some: its reads share the tags */
				if (erand48(g) < 0.3 && (h || d || op)) /* h0's first stays */
					continue;
				fprintf(f, "  - {host: h%d, device: d%d, %sop: %s, size: %s, ", h, d,
					models ? "vfs: all, " : "", op ? "read" : "write",
					sizes[(int)(erand48(g) * 5)]);
				if (erand48(g) < 0.5)
					fprintf(f, "rate: %dGbps", 1 + (int)(erand48(g) * 20));
				else
					fprintf(f, "outstanding: %d", 1 + (int)(erand48(g) * 8));
				fprintf(f, "%s}\n", erand48(g) < 0.2 ? ", unmap_rate: 100000" : "");
			}
	if (models && seed % 2) /* a host's link goes down and up: its functions are cut */
		fprintf(f, "events:\n  - {at: %dus, link_down: h%d-sw}\n  - {at: 30us, link_up: "
			   "h%d-sw}\n", 10 + (int)(erand48(g) * 15), (int)(seed / 2) % nh,
			(int)(seed / 2) % nh);
	fclose(f);
}

static void gen_chassis(char *buf, size_t len, unsigned seed, bool starved, int maxvfs)
{
	gen_chassis_with(buf, len, seed, starved, maxvfs, GEN_RAW);
}

/* The model workloads of gen_chassis_with: on each NIC frames received and sent, on each
 * NVMe drive reads and writes, open- or closed-loop, loads that fill the links. */
static void gen_models(FILE *f, unsigned short g[3], int nh, int nd, const int *kind)
{
	static const char *const pk[] = {"64B", "512B", "1518B"};
	static const char *const io[] = {"512B", "4KiB", "16KiB"};

	for (int h = 0; h < nh; h++)
		for (int d = 0; d < nd; d++)
			for (int dir = 0; dir < 2; dir++) {
				if (erand48(g) < 0.25 && (h || d || dir))
					continue;
				if (kind[d] == 1)
					fprintf(f, "  - {host: h%d, device: d%d, vfs: all, packets: %s, "
						   "size: %s, rate: %dMpps}\n", h, d, dir ? "tx" : "rx",
						pk[(int)(erand48(g) * 3)], 1 + (int)(erand48(g) * 8));
				else if (erand48(g) < 0.5)
					fprintf(f, "  - {host: h%d, device: d%d, vfs: all, io: %s, size: %s, "
						   "rate: %dKiops}\n", h, d, dir ? "write" : "read",
						io[(int)(erand48(g) * 3)], 100 + (int)(erand48(g) * 900));
				else
					fprintf(f, "  - {host: h%d, device: d%d, vfs: all, io: %s, size: %s, "
						   "depth: %d}\n", h, d, dir ? "write" : "read",
						io[(int)(erand48(g) * 3)], 1 + (int)(erand48(g) * 16));
			}
}

/* What a run's progress reports were (sim.h). */
struct progress_log {
	int n;
	double last, end;
	bool ordered;
};

static void note_progress(void *arg, double now, double end, double wall_s)
{
	struct progress_log *l = arg;

	(void)wall_s;
	l->ordered &= now >= l->last;
	/* each report at its own 0.5 % step, within a 1/1024 of the run (tolerance) */
	l->ordered &= fabs(now - fmin(end, end * (l->n + 1) / 200.0)) <= end / 1024 + 1e-12;
	l->last = now;
	l->end = end;
	l->n++;
}

/* What a run measured, as numbers to compare bit for bit. */
#define MAXV 4096
struct outcome {
	int rc, n;
	double v[MAXV];
	uint64_t behind; /* waiters left parked behind a candidate (ready.h), not compared */
	uint64_t reused, forgot, caught; /* wrr's known picks and catch-ups (engine.h), not
					  * compared either */
	uint64_t wpicked, wother; /* wrr grants to waiters of one credit set, and decisions
				   * looked at again (engine.h) */
	uint64_t timeouts; /* completion timeouts of the runtime events (fault.h) */
	uint64_t through;  /* parking dates that went through a calendar (rcal.h) */
	size_t ports;    /* ports whose 7 values follow the 4 counts */
	struct progress_log progress;
};

static void put(struct outcome *o, double x)
{
	if (o->n < MAXV)
		o->v[o->n++] = x;
}

static void collect(const struct sim *s, struct outcome *o)
{
	const struct eng *e = &s->e;

	for (size_t i = 0; i < e->nports; i++) {
		o->behind += e->ports[i].ready.behind;
		if (e->ports[i].ready.cal)
			o->through += e->ports[i].ready.cal->through;
		o->reused += e->ports[i].wreused;
		o->forgot += e->ports[i].wforgot;
		o->caught += e->ports[i].caught;
		o->wpicked += e->ports[i].wpicked;
		o->wother += e->ports[i].wother;
	}
	o->ports = e->nports;
	for (size_t k = 0; e->faults && k < s->t->nevents; k++)
		o->timeouts += e->faults->ev[k].timeouts;
	if ((size_t)o->n + 4 + 7 * e->nports <= MAXV) /* (collect's layout: simtest.h) */
		o->n += st_engine_values(e, &o->v[o->n]);
	for (size_t h = 0; h < s->t->nhosts; h++) {
		put(o, (double)e->hosts[h].iotlb_hits);
		put(o, (double)e->hosts[h].iotlb_misses);
		put(o, (double)e->hosts[h].inv_done);
		put(o, e->hosts[h].inv_lat_sum);
	}
	for (size_t f = 0; f < s->t->nfunctions; f++) {
		put(o, (double)e->vfs[f].atc_hits);
		put(o, e->vfs[f].xlat_wait_sum);
	}
}

/* A calendar (rcal.h) in front of every port's parking heap that has none, of buckets so
 * narrow (2 ns, 64 of them) that dates cross its ring, its overflow and its jumps: the
 * order of dates, and so every result, is the heap's. */
static int add_calendars(void *arg, struct eng *e)
{
	(void)arg;
	for (size_t i = 0; i < e->nports; i++)
		if (!e->ports[i].ready.cal && ready_init_calendar(&e->ports[i].ready, 2e-9, 64))
			return -ENOMEM;
	return 0;
}

static bool with_calendars; /* run_child adds them (its "one actor" runs, on odd seeds) */

/* Run yaml in a child, with or without the full scan, the ports stepped from main or in
 * their one actor (models/engine.c, eng_run). */
static void run_child(const char *yaml, bool full, bool one_actor, bool progress,
		      struct outcome *out)
{
	struct outcome *o = malloc(sizeof(*o));
	int fd[2];
	pid_t pid;

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *argv[] = {"test", "--log=root.thres:critical", NULL};
		struct sim_opts so = {.sg_argc = 2, .sg_argv = argv, .full_scan = full,
				      .one_actor = one_actor,
				      .before_start = with_calendars ? add_calendars : NULL};
		char err[2048];
		struct topo *t = tu_load(yaml, NULL, 0, err, sizeof(err));
		static struct sim sim;
		memset(o, 0, sizeof(*o));
		o->progress.ordered = true;
		if (progress) {
			so.progress = note_progress;
			so.progress_arg = &o->progress;
		}
		o->rc = t ? sim_run(&sim, t, &so) : 99;
		if (t)
			collect(&sim, o);
		if (write(fd[1], o, sizeof(*o)) != (ssize_t)sizeof(*o))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	size_t got = 0;
	while (got < sizeof(*o)) {
		ssize_t r = read(fd[0], (char *)o + got, sizeof(*o) - got);
		ck_assert_int_gt(r, 0);
		got += (size_t)r;
	}
	close(fd[0]);
	waitpid(pid, NULL, 0);
	*out = *o;
	free(o);
}

/* The sum of the links' credit stalls a run measured (collect's layout). */
static double stalls(const struct outcome *o, size_t nports)
{
	double sum = 0;

	for (size_t i = 0; i < nports && 4 + 7 * i + 4 < (size_t)o->n; i++)
		sum += o->v[4 + 7 * i + 4];
	return sum;
}

/* Is value i a link's credit stall or queue integral (collect's layout)? The model chassis
 * compare them within near(): their hosts' and devices' dates can meet within SimGrid's
 * precision (1e-13 s), and a port whose wait ends within it of its last date wakes a
 * precision later (port_sleep, and SimGrid's own sleeps in one actor); the full scan and
 * the ready structures wait at different dates, so such a date can move by 1e-13 s in
 * one of them and not the other (docs/performance.md, "Model chassis"). The decisions
 * stay the same: every count, byte and busy time is compared to the bit. */
static bool is_integral(size_t np, int i)
{
	return i >= 4 && (size_t)(i - 4) < 7 * np && ((i - 4) % 7 == 4 || (i - 4) % 7 == 5);
}

/* Within 1e-6 relative (or 1e-15 absolute, a link that barely stalls): a date moved by
 * 1e-13 s moves an integral over a 35 us window by ~3e-9 of it per queued TLP; measured
 * on these chassis: at most 1.3e-8. */
static bool near(double x, double y)
{
	return fabs(x - y) <= fmax(1e-6 * fmax(fabs(x), fabs(y)), 1e-15);
}

/* In how many chassis of a differential run something happened. */
struct diff_counts {
	int stalled;  /* a link stalled on credits */
	int crowded;  /* a look left waiters parked behind a candidate */
	int calendar; /* parking dates went through the calendars (odd seeds' one-actor runs) */
	int reused;   /* a wrr decision found VHs' picks known (decide.c, decide_wrr) */
	int forgot;   /* a grant took credits that other VHs' picks needed */
	int caught;   /* a port caught up with a FIFO of many ports (engine.c) */
	int weighed;  /* a wrr decision granted a waiter of one credit set for every VH
		       * (decide.c, ready_order.c) */
};

/* On nseeds generated chassis, the full scan in the ports' one actor against the ready
 * structures, stepped and in the one actor: every value the same to the bit. Returns how
 * many chassis moved TLPs, and in *dc how many did what it counts. SEED_ONLY=N in the
 * environment runs chassis N alone, DIFF_ALL prints every value that differs (to debug a
 * difference), DUMP_YAML every chassis. */
static int differential_with(unsigned nseeds, bool starved, int maxvfs, enum gen_mode mode,
			     struct diff_counts *dc)
{
	static char yaml[16384];
	static struct outcome a, b, c;
	bool models = mode == GEN_MODELS;
	int moved = 0;

	memset(dc, 0, sizeof(*dc));
	for (unsigned seed = 1; seed <= nseeds; seed++) {
		if (getenv("SEED_ONLY") && (unsigned)atoi(getenv("SEED_ONLY")) != seed)
			continue;
		gen_chassis_with(yaml, sizeof(yaml), seed, starved, maxvfs, mode);
		if (getenv("DUMP_YAML")) /* the chassis, to compare generators */
			fputs(yaml, stderr);
		run_child(yaml, true, true, false, &a);
		run_child(yaml, false, false, false, &b);
		with_calendars = seed % 2; /* the same results with calendars everywhere */
		run_child(yaml, false, true, false, &c);
		with_calendars = false;
		dc->calendar += c.through > 0;
		ck_assert_msg(a.rc != 99, "generated chassis %u rejected:\n%s", seed, yaml);
		ck_assert_int_eq(a.rc, b.rc);
		ck_assert_int_eq(a.n, b.n);
		ck_assert_int_eq(a.rc, c.rc);
		ck_assert_int_eq(a.n, c.n);
		moved += a.v[0] > 0; /* a slow open-loop workload may not start in 40 us */
		dc->stalled += stalls(&a, (size_t)a.n) > 0;
		dc->crowded += b.behind > 0;
		dc->reused += b.reused > 0;
		dc->forgot += b.forgot > 0;
		dc->caught += b.caught > 0;
		dc->weighed += b.wpicked > 0;
		if (getenv("COUNTS"))
			fprintf(stderr, "seed %u: %llu wrr grants to waiters, %llu looked again\n",
				seed, (unsigned long long)b.wpicked, (unsigned long long)b.wother);
		if (getenv("DIFF_ALL"))
			for (int i = 0; i < a.n; i++)
				if (memcmp(&a.v[i], &b.v[i], sizeof(double)))
					fprintf(stderr, "seed %u v%d (port %d field %d): %.17g %.17g\n",
						seed, i, (i - 4) / 7, (i - 4) % 7, a.v[i], b.v[i]);
		for (int i = 0; i < a.n; i++) {
			if (models && is_integral(a.ports, i)) {
				ck_assert_msg(near(a.v[i], b.v[i]) && near(a.v[i], c.v[i]),
					      "chassis %u, value %d: full scan %.17g, ready %.17g and "
					      "%.17g\n%s", seed, i, a.v[i], b.v[i], c.v[i], yaml);
				/* the same waits: with events, the ports run the dates before
				 * the events' actor's next without a SimGrid wait (engine.c,
				 * engine_actor) unless in one actor by request, to the bit */
				ck_assert_msg(memcmp(&b.v[i], &c.v[i], sizeof(double)) == 0,
					      "chassis %u, value %d: ready %.17g, one actor %.17g\n%s",
					      seed, i, b.v[i], c.v[i], yaml);
				continue;
			}
			ck_assert_msg(memcmp(&a.v[i], &b.v[i], sizeof(double)) == 0,
				      "chassis %u, value %d: full scan %.17g, ready, stepped %.17g\n%s",
				      seed, i, a.v[i], b.v[i], yaml);
			ck_assert_msg(memcmp(&a.v[i], &c.v[i], sizeof(double)) == 0,
				      "chassis %u, value %d: full scan %.17g, ready, one actor %.17g\n"
				      "%s", seed, i, a.v[i], c.v[i], yaml);
		}
	}
	return moved;
}

static int differential(unsigned nseeds, bool starved, int maxvfs, struct diff_counts *dc)
{
	return differential_with(nseeds, starved, maxvfs, GEN_RAW, dc);
}

/* The progress report of a stepped run: the ports' dates run from the engine's schedule and
 * SimGrid's clock follows them 1 024 times a run (engine.c, eng_run), so the progress
 * daemon, SimGrid's only other actor, still wakes every 0.5 % of the run (sim.h: 200
 * reports and a last one at the end) with the clock where it should be, and the results are
 * those of the run without it. */
START_TEST(test_progress_reports_of_a_stepped_run_come_at_their_dates)
{
	static char yaml[16384];
	static struct outcome a, b;

	gen_chassis(yaml, sizeof(yaml), 5, false, 3);
	run_child(yaml, false, false, false, &a);
	run_child(yaml, false, false, true, &b);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_msg(b.progress.n >= 200 && b.progress.n <= 201 && b.progress.ordered &&
			      b.progress.last == b.progress.end,
		      "%d reports, in order and on time: %d, last at %g of %g", b.progress.n,
		      b.progress.ordered, b.progress.last, b.progress.end);
	ck_assert_int_eq(a.n, b.n);
	for (int i = 0; i < a.n; i++)
		ck_assert_msg(memcmp(&a.v[i], &b.v[i], sizeof(double)) == 0,
			      "value %d: %.17g without the report, %.17g with it", i, a.v[i], b.v[i]);
}
END_TEST

/* Sources parked on credit sets decide what a full scan decides when credits are short:
 * most of these chassis stall on credits somewhere (else the test would not test that). */
START_TEST(test_credit_waits_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 30 };
	struct diff_counts dc;
	int moved = differential(NSEEDS, true, 3, &dc);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
	ck_assert_msg(dc.stalled >= NSEEDS / 2, "only %d of %d chassis stalled on credits",
		      dc.stalled, NSEEDS);
}
END_TEST

/* Many VFs per host wait on one credit set: a look at the set activates the first that can
 * send and leaves the others parked behind it (ready.h), and the decisions are still those
 * of the full scan. Most chassis must have left some waiter behind a candidate, else this
 * would not test that. */
START_TEST(test_waiters_behind_a_candidate_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 24 };
	struct diff_counts dc;
	int moved = differential(NSEEDS, true, 8, &dc);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
	ck_assert_msg(dc.crowded >= NSEEDS / 2, "only %d of %d chassis left waiters behind a "
		      "candidate", dc.crowded, NSEEDS);
}
END_TEST

START_TEST(test_ready_structures_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 60 };
	struct diff_counts dc;
	int moved = differential(NSEEDS, false, 3, &dc);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
	ck_assert_msg(dc.calendar >= NSEEDS * 4 / 10, "only %d of %d chassis parked through "
		      "calendars", dc.calendar, NSEEDS);
	/* a device under wrr sending on a switch's shared buffers: its waiters weighed
	 * (ready_init_weighed), 18 of the 60 chassis */
	ck_assert_msg(dc.weighed >= NSEEDS / 5, "only %d of %d chassis granted a wrr waiter of "
		      "one credit set", dc.weighed, NSEEDS);
}
END_TEST

/* NIC and NVMe models (their reads need tags: a function's requesters park on credits and
 * behind a candidate when the tags are theirs alone, and stay active when raw DMA reads of
 * the same function take from them too: engine.h, src_tags_shared), short of tags and of
 * credits, decide what a full scan decides; on half of them a host's link goes down and up
 * (its functions' queues are emptied outside any decision: fifo.c, src_fifo_drop). */
START_TEST(test_model_requesters_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 40 };
	struct diff_counts dc;
	int moved = differential_with(NSEEDS, true, 8, GEN_MODELS, &dc);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
	ck_assert_msg(dc.crowded >= NSEEDS / 3, "only %d of %d chassis left waiters behind a "
		      "candidate", dc.crowded, NSEEDS);
	ck_assert_msg(dc.weighed >= NSEEDS / 5, "only %d of %d chassis granted a wrr waiter of "
		      "one credit set", dc.weighed, NSEEDS); /* (13 of 40) */
}
END_TEST

/* wrr on every switch of 8 to 12 hosts, starved buffers, shared flow control on half the
 * first switches and every second one (gen_chassis_with, GEN_WIDE): the VHs' known picks
 * (decide.c, decide_wrr), forgotten when a grant takes credits they need, and the ports'
 * catch-ups with switch FIFOs that feed 8 or more of them (engine.c, port_catch_up) decide
 * what a full scan decides. Most chassis must reuse picks and catch up, and some forget
 * picks for credits, else this would not test them. */
START_TEST(test_wrr_picks_and_shared_buffers_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 24 };
	struct diff_counts dc;
	int moved = differential_with(NSEEDS, true, 3, GEN_WIDE, &dc);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
	ck_assert_msg(dc.reused >= NSEEDS * 3 / 4, "only %d of %d chassis reused known picks",
		      dc.reused, NSEEDS);
	ck_assert_msg(dc.caught >= NSEEDS / 3, "only %d of %d chassis caught up with a FIFO of "
		      "many ports", dc.caught, NSEEDS);
	ck_assert_msg(dc.forgot >= NSEEDS / 6, "only %d of %d chassis forgot picks for credits",
		      dc.forgot, NSEEDS);
	ck_assert_msg(dc.weighed >= NSEEDS / 3, "only %d of %d chassis granted a wrr waiter of "
		      "one credit set", dc.weighed, NSEEDS); /* (12 of 24) */
}
END_TEST

/* Invalidations lost on a link that is down end by completion timeout, and each one queued
 * wakes the events' actor early (fault_link.c): while the ports run the dates before that
 * actor's next without a SimGrid wait (engine.c, engine_actor), the wake is deferred to the
 * ports' actor, which brings SimGrid's clock to the date first. Every value the same to the
 * bit as with a SimGrid wait at every date (the ports in one actor by request). */
START_TEST(test_timeouts_queued_between_waits_come_at_their_dates)
{
	static const char yaml[] =
		"name: itq\nrun: {duration: 400us, warmup: 20us, seed: 4}\n"
		"pcie: {completion_timeout: 20us}\n"
		"hosts: [{name: h}]\nswitches: [{name: s}]\n"
		"devices: [{name: d, total_vfs: 2, atc: {entries: 32}}]\n"
		"links: [{a: h, b: s, gen: 3, width: 8}, {a: s, b: d, gen: 3, width: 8}]\n"
		"assign: [{host: h, device: d, vfs: 2}]\n"
		"workloads: [{host: h, device: d, op: read, size: 256B, rate: 2Gbps,\n"
		"             unmap_rate: 1000000}]\n"
		"events:\n  - {at: 100us, link_down: s-d}\n  - {at: 300us, link_up: s-d}\n";
	static struct outcome a, b;

	run_child(yaml, false, false, false, &a);
	run_child(yaml, false, true, false, &b);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_uint_gt(a.timeouts, 10); /* invalidations (and reads) lost: the early wakes */
	ck_assert_int_eq(a.n, b.n);
	ck_assert_uint_eq(a.timeouts, b.timeouts);
	for (int i = 0; i < a.n; i++)
		ck_assert_msg(memcmp(&a.v[i], &b.v[i], sizeof(double)) == 0,
			      "value %d: %.17g, in one actor %.17g", i, a.v[i], b.v[i]);
}
END_TEST

static Suite *ready_diff_suite(void)
{
	Suite *s = suite_create("ready_diff");
	TCase *diff = tcase_create("differential");

	tcase_set_timeout(diff, 900); /* ASan builds are ten times slower */
	tcase_add_test(diff, test_ready_structures_decide_what_a_full_scan_decides);
	tcase_add_test(diff, test_credit_waits_decide_what_a_full_scan_decides);
	tcase_add_test(diff, test_progress_reports_of_a_stepped_run_come_at_their_dates);
	tcase_add_test(diff, test_waiters_behind_a_candidate_decide_what_a_full_scan_decides);
	tcase_add_test(diff, test_model_requesters_decide_what_a_full_scan_decides);
	tcase_add_test(diff, test_wrr_picks_and_shared_buffers_decide_what_a_full_scan_decides);
	tcase_add_test(diff, test_timeouts_queued_between_waits_come_at_their_dates);
	suite_add_tcase(s, diff);
	return s;
}

int main(void)
{
	return tu_run(ready_diff_suite());
}
