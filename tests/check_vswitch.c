/* check_vswitch.c - a host's software switch (models/vswitch.c) on its own against the
 * definition of its queue: jobs taken oldest ready first by `cores` servers, each executed
 * at one core's speed, so that job k starts at max(its ready date, the date a core is free
 * for it) (the multi-server FIFO recursion). Jobs are handed to the switch early (dated
 * later), due, and from inside a worker taking the job before (as a TX stream's next frame
 * is), so that every way a waiting worker is woken or not (vswitch_submit, worker_wait)
 * must give the dates the recursion gives. One SimGrid engine per process: every test runs
 * in Check's forked child. */
#include <check.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testutil.h"
#include "vswitch.h"

#define NJOBS 240
#define SPEED 1e9 /* the platform's 1 Gf cores: a cycle is 1 ns */

/* One job of the script: handed to the switch at `at` (by the feeder, or by the worker
 * taking job `after` when after >= 0), ready at `ready` (after >= 0: that long after the
 * start of job `after`), of `cycles`, owned by `owner`. */
struct sjob {
	double at, ready, cycles;
	int after, owner;
	double start, end; /* what the switch did (start < 0: never taken) */
	bool done;
};

static struct sjob jobs[NJOBS];
static int njobs;
static struct eng e;
static struct vswitch v;
static double drop_at = -1; /* the feeder drops owner 1's jobs then */
static int owners[2];       /* vswitch_drop compares owners by address */

static void taken(const struct vswitch_job *j, double t);
static void done(const struct vswitch_job *j, double t);

static void submit(int k, double ready)
{
	struct vswitch_job j = {.ready = ready, .cycles = jobs[k].cycles, .taken = taken,
				.done = done, .obj = &owners[jobs[k].owner], .arg = (uint64_t)k};

	vswitch_submit(&v, &j);
}

static void taken(const struct vswitch_job *j, double t)
{
	jobs[j->arg].start = t;
	for (int k = 0; k < njobs; k++) /* the jobs this one hands over, dated later */
		if (jobs[k].after == (int)j->arg) {
			jobs[k].at = t;
			submit(k, t + jobs[k].ready); /* the script gives the gap */
		}
}

static void done(const struct vswitch_job *j, double t)
{
	jobs[j->arg].end = t;
	jobs[j->arg].done = true;
}

/* Hands the script's own jobs to the switch at their dates, then waits for the end. */
static void feeder(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vswitch_start(&v);
	for (int k = 0; k < njobs; k++) {
		if (jobs[k].after >= 0)
			continue;
		if (drop_at >= 0 && jobs[k].at > drop_at && simgrid_get_clock() < drop_at) {
			sg_actor_sleep_until(drop_at);
			vswitch_drop(&v, &owners[1]);
		}
		if (drop_at >= 0 && jobs[k].owner == 1 && jobs[k].at > drop_at)
			continue; /* its owner is gone */
		sg_actor_sleep_until(jobs[k].at);
		submit(k, jobs[k].ready);
	}
	sg_actor_sleep_until(e.end + 1e-3); /* after the workers end (at e.end) */
}

/* A second actor that outlives the run: with the feeder alone, SimGrid 3.32 crashed in
 * EngineImpl::run (ActorImpl::kill) as soon as the feeder started the daemonized workers
 * (not investigated further; a chassis always has its port actors beside them). */
static void anchor(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sg_actor_sleep_until(e.end + 2e-3);
}

/* A script of n jobs from a fixed LCG: handed over about every `gap` s, half of them ready
 * at once and half dated up to 3 gaps later; some hand over a follow-up job whose gap is
 * below or above their own execution. */
static void script(int n, double gap)
{
	unsigned long x = 12345;
	double at = 1e-6;

	njobs = 0;
	for (int k = 0; k < n && njobs < NJOBS; k++) {
		struct sjob *j = &jobs[njobs++];
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		at += gap * (0.2 + (double)(x >> 40 & 0xffff) / 0x8000);
		*j = (struct sjob){.at = at, .ready = at, .cycles = 500 + (double)(x >> 20 & 0xfff),
				   .after = -1, .owner = (int)(x >> 60 & 1), .start = -1};
		if (x >> 33 & 1)
			j->ready = at + gap * 3 * (double)(x >> 8 & 0xff) / 0x100;
		if ((x >> 34 & 3) == 0 && njobs < NJOBS) { /* a follow-up, its gap in ready */
			struct sjob *f = &jobs[njobs++];
			*f = (struct sjob){.ready = (x >> 36 & 1) ? 200e-9 : 9e-6, .cycles = 1500,
					   .after = njobs - 2, .owner = j->owner, .start = -1};
		}
	}
}

/* Job k's ready date in the recursion: its own, or its gap after its predecessor's start. */
static double ready_of(int k, const double *want)
{
	return jobs[k].after < 0 ? jobs[k].ready : want[jobs[k].after] + jobs[k].ready;
}

/* The switch's definition: jobs in order of (ready, index) on the core free first; a job
 * of owner 1 not started by drop_at never runs, nor does a follow-up of a job that never
 * ran. Fills want[] with the starts (-1: never). */
static void reference(int cores, double *want)
{
	double free[64] = {0};
	bool seen[NJOBS] = {false};

	for (int k = 0; k < njobs; k++)
		want[k] = -1;
	for (;;) {
		int b = -1;
		for (int k = 0; k < njobs; k++) /* the next by ready date, among those known */
			if (!seen[k] && (jobs[k].after < 0 || want[jobs[k].after] >= 0) &&
			    (b < 0 || ready_of(k, want) < ready_of(b, want)))
				b = k;
		if (b < 0)
			return;
		seen[b] = true;
		int c = 0;
		for (int i = 1; i < cores; i++)
			if (free[i] < free[c])
				c = i;
		double start = fmax(ready_of(b, want), free[c]);
		if (drop_at >= 0 && jobs[b].owner == 1 && start > drop_at)
			continue;
		want[b] = start;
		free[c] = start + jobs[b].cycles / SPEED;
	}
}

static void load_platform(int cores)
{
	int argc = 2;
	char *argv[] = {"t", "--log=root.thres:critical", NULL};
	char path[64];
	int fd = memfd_create("cpu.xml", 0);
	FILE *f = fdopen(dup(fd), "w");

	fprintf(f, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM "
		   "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n"
		   "  <config><prop id=\"surf/precision\" value=\"1e-13\"/></config>\n"
		   "  <zone id=\"z\" routing=\"Full\"><host id=\"cpu\" speed=\"1Gf\" "
		   "core=\"%d\"/></zone>\n</platform>\n", cores);
	fclose(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	simgrid_init(&argc, argv);
	simgrid_load_platform(path);
	close(fd);
}

/* Run the script on `cores` workers and compare every start with the recursion (1e-12 s:
 * executions of 0.5-4.6 us at 1 Gf, the dates' rounding). */
static void check_cores(int cores, double gap)
{
	double want[NJOBS];

	script(NJOBS * 2 / 3, gap);
	reference(cores, want);
	load_platform(cores);
	e.end = 10e-3;
	ck_assert_int_eq(vswitch_init(&v, &e, 0, "cpu", cores), 0);
	sg_actor_t a = sg_actor_init("feeder", sg_host_by_name("cpu"));
	sg_actor_start(a, feeder, 0, NULL);
	sg_actor_create("anchor", sg_host_by_name("cpu"), anchor, 0, NULL);
	simgrid_run();
	int waited = 0;
	for (int k = 0; k < njobs; k++) {
		if (want[k] < 0) {
			ck_assert_msg(!jobs[k].done, "job %d of the dropped owner ran to its done", k);
			continue;
		}
		/* one of the dropped owner's under way at the drop runs to its end, done by nobody */
		bool cut = drop_at >= 0 && jobs[k].owner == 1 &&
			   want[k] + jobs[k].cycles / SPEED > drop_at;
		ck_assert_msg(jobs[k].done == !cut, "job %d (owner %d) %s", k, jobs[k].owner,
			      cut ? "was under way at the drop but its done ran" : "never done");
		ck_assert_msg(fabs(jobs[k].start - want[k]) < 1e-12,
			      "%d cores: job %d started at %.15g, a core was free for it at %.15g",
			      cores, k, jobs[k].start, want[k]);
		waited += want[k] > ready_of(k, want);
	}
	ck_assert_msg(waited > 5, "only %d jobs waited for a core: the script tests little", waited);
	ck_assert_int_eq(e.err, 0);
	vswitch_destroy(&v);
	dheap_free(&e.calm_acts); /* the engine's (eng_destroy), which this test has not */
}

START_TEST(test_each_job_starts_when_one_of_4_cores_is_free)
{
	check_cores(4, 0.6e-6); /* busy: most jobs wait for a core */
}
END_TEST

START_TEST(test_each_job_starts_when_one_of_4_cores_is_free_at_light_load)
{
	check_cores(4, 1.1e-6); /* idle cores: workers wait for work dated later */
}
END_TEST

START_TEST(test_each_job_starts_when_the_one_core_is_free)
{
	check_cores(1, 2.2e-6);
}
END_TEST

START_TEST(test_each_job_starts_when_one_of_16_cores_is_free)
{
	check_cores(16, 0.15e-6);
}
END_TEST

START_TEST(test_each_job_starts_when_one_of_16_cores_is_free_at_light_load)
{
	check_cores(16, 0.19e-6);
}
END_TEST

/* vswitch_drop: owner 1's waiting jobs are forgotten, one under way keeps its core until
 * its end and completes nothing, and owner 0's start as the recursion without them says. */
START_TEST(test_dropped_jobs_never_run_and_the_others_keep_their_dates)
{
	drop_at = 60.3e-6;
	check_cores(4, 0.6e-6);
	int dropped = 0;
	for (int k = 0; k < njobs; k++)
		dropped += jobs[k].owner == 1 && !jobs[k].done;
	ck_assert_msg(dropped > 10, "only %d jobs dropped", dropped);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vswitch");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_each_job_starts_when_one_of_4_cores_is_free);
	tcase_add_test(tc, test_each_job_starts_when_one_of_4_cores_is_free_at_light_load);
	tcase_add_test(tc, test_each_job_starts_when_the_one_core_is_free);
	tcase_add_test(tc, test_each_job_starts_when_one_of_16_cores_is_free);
	tcase_add_test(tc, test_each_job_starts_when_one_of_16_cores_is_free_at_light_load);
	tcase_add_test(tc, test_dropped_jobs_never_run_and_the_others_keep_their_dates);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
