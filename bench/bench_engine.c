/* bench_engine.c - speed and memory of the simulator (not a test: it prints numbers).
 *
 *   bench_engine sleep N          bare SimGrid: one actor doing N sleeps
 *   bench_engine run FILE [SET..] one simulation; prints TLP-hops, wall time, peak RSS
 *   bench_engine hop FILE [SET..] both in the same invocation (two children), and the ratio;
 *                                 then the same ratio in CPU time (what the machine's other
 *                                 work did not take from each child)
 *
 * Each measurement runs in its own child process (SimGrid allows one engine per process);
 * the parent reads the child's peak RSS with wait4(). */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

struct shared {
	double rate, wall, cpu, sim_s;
	unsigned long long hops, dmas;
	int rc;
};

static long nsleeps;

static void sleeper(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (long i = 0; i < nsleeps; i++)
		sg_actor_sleep_for(1e-9);
}

static void do_sleep(struct shared *out)
{
	int argc = 2;
	char *argv[] = {"bench", "--log=root.thres:critical", NULL};
	char path[64];
	int fd = memfd_create("p.xml", 0);
	dprintf(fd, "<?xml version='1.0'?><!DOCTYPE platform SYSTEM "
		    "\"https://simgrid.org/simgrid.dtd\"><platform version=\"4.1\">"
		    "<zone id=\"z\" routing=\"Full\"><host id=\"h\" speed=\"1Gf\"/></zone></platform>");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	simgrid_init(&argc, argv);
	simgrid_load_platform(path);
	sg_actor_create("s", sg_host_by_name("h"), sleeper, 0, NULL);
	double t0 = now_s(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	simgrid_run();
	out->wall = now_s() - t0;
	out->cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	out->rate = nsleeps / out->wall;
	out->rc = 0;
}

static void do_run(struct shared *out, const char *file, char **sets, int nsets)
{
	struct diags d;
	struct sim sim;
	char *argv[] = {"bench", "--log=root.thres:critical", NULL};
	struct sim_opts o = {.sg_argc = 2, .sg_argv = argv};
	struct topo *t;

	diags_init(&d);
	t = topo_load_file(file, sets, (size_t)nsets, &d);
	if (!t) {
		diags_print(&d, stderr);
		out->rc = 2;
		return;
	}
	out->rc = sim_run(&sim, t, &o) ? 1 : 0;
	out->wall = sim.wall_s;
	out->cpu = sim.cpu_s;
	out->sim_s = t->run.duration;
	out->hops = sim.e.c.tlp_hops;
	out->dmas = sim.e.c.dmas_completed;
	out->rate = out->hops / sim.wall_s;
}

/* Run fn in a child; return its result and peak RSS (KiB). */
static struct shared child(int which, const char *file, char **sets, int nsets, long *rss_kib)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct rusage ru;
	int status;
	pid_t pid;

	sh->rc = 3;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (which == 0)
			do_sleep(sh);
		else
			do_run(sh, file, sets, nsets);
		_exit(0);
	}
	wait4(pid, &status, 0, &ru);
	*rss_kib = ru.ru_maxrss;
	struct shared r = *sh;
	munmap(sh, sizeof(*sh));
	return r;
}

int main(int argc, char **argv)
{
	long rss;

	if (argc >= 3 && strcmp(argv[1], "sleep") == 0) {
		nsleeps = atol(argv[2]);
		struct shared s = child(0, NULL, NULL, 0, &rss);
		printf("bare sleeps: %ld in %.3f s = %.3f M/s\n", nsleeps, s.wall, s.rate / 1e6);
		return s.rc;
	}
	if (argc >= 3 && (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "hop") == 0)) {
		struct shared r = child(1, argv[2], argv + 3, argc - 3, &rss);
		if (r.rc)
			return r.rc;
		printf("%s: %.3f ms simulated in %.3f s wall, %llu TLP-hops (%.3f M/s), %llu DMAs, "
		       "peak RSS %.1f MiB\n", argv[2], r.sim_s * 1e3, r.wall, r.hops, r.rate / 1e6,
		       r.dmas, rss / 1024.0);
		if (strcmp(argv[1], "hop") == 0) {
			nsleeps = 2000000;
			struct shared s = child(0, NULL, NULL, 0, &rss);
			printf("bare SimGrid sleeps: %.3f M/s; TLP-hops per bare sleep: %.3f\n",
			       s.rate / 1e6, r.rate / s.rate);
			double hop_us = r.cpu / (double)r.hops * 1e6, bare_us = s.cpu / nsleeps * 1e6;
			printf("CPU time: %.3f us per TLP-hop, %.3f us per bare sleep; TLP-hops per "
			       "bare sleep in CPU time: %.3f\n", hop_us, bare_us, bare_us / hop_us);
		}
		return 0;
	}
	fprintf(stderr, "usage: bench_engine sleep N | run FILE [PATH=VALUE...] | "
			"hop FILE [PATH=VALUE...]\n");
	return 2;
}
