/* bench_prims.c - what each SimGrid 3.32 blocking primitive costs per call, relative to a
 * bare sleep (not a test: it prints numbers; docs/performance.md).
 *
 *   bench_prims [OPS] [--cfg=...]   every primitive with 1, 16 and 256 actors (or pairs),
 *                                    on one host and on one host each
 *
 * One measurement per child process (SimGrid allows one engine per process). Each actor
 * loops on one primitive; "aligned" actors all wake at the same dates (they share each
 * scheduling round), "staggered" ones at dates of their own (one round per wake). The
 * platform has the simulator's model settings (CM02, precision 1e-13). */
#include <simgrid/actor.h>
#include <simgrid/cond.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <simgrid/mutex.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXA 512

enum prim {
	P_SLEEP_FOR,	  /* sleep_for(1 ns), staggered */
	P_SLEEP_ALIGNED,  /* sleep_for(1 ns), all actors at the same dates */
	P_SLEEP_UNTIL,	  /* sleep_until(now + 1 ns), staggered */
	P_SEM_TIMEOUT,	  /* sem_acquire_timeout(1 ns) that times out, staggered */
	P_SEM_TIMEOUT_AL, /* the same, aligned */
	P_COND_TIMEOUT,	  /* cond_wait_for(1 ns) that times out, staggered */
	P_SEM_HANDOFF,	  /* untimed acquire released by the pair's other actor */
	P_SEM_HANDOFF_TO, /* acquire_timeout(1 s) released by the other actor before it */
	P_SUSPEND,	  /* suspend(self), resumed by the other actor */
	P_MAILBOX,	  /* put/get of a pointer, 0 bytes, same host */
	P_NPRIMS
};

static const char *const names[P_NPRIMS] = {
    "sleep_for, staggered",	  "sleep_for, aligned (k wake at once)",
    "sleep_until, staggered",	  "sem_acquire_timeout timing out, staggered",
    "sem_acquire_timeout timing out, aligned", "cond_wait_for timing out, staggered",
    "sem_acquire released by another actor", "sem_acquire_timeout released before it",
    "suspend(self) + resume by another actor", "mailbox put/get (0 B, same host)"};

static enum prim prim;
static int nactors, many_hosts;
static long per_actor;
static sg_sem_t sems[MAXA];
static sg_actor_t actors[MAXA];
static sg_mutex_t mtx[MAXA];
static sg_cond_t cnd[MAXA];
static int token = 1;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Actor i alone: a timed primitive, shifted by a fraction of 1 ns when staggered. */
static void timed(int i, int aligned)
{
	if (!aligned && i > 0)
		sg_actor_sleep_for(1e-9 * i / nactors);
	for (long k = 0; k < per_actor; k++) {
		switch (prim) {
		case P_SLEEP_UNTIL:
			sg_actor_sleep_until(simgrid_get_clock() + 1e-9);
			break;
		case P_SEM_TIMEOUT:
		case P_SEM_TIMEOUT_AL:
			sg_sem_acquire_timeout(sems[i], 1e-9);
			break;
		case P_COND_TIMEOUT:
			sg_mutex_lock(mtx[i]);
			sg_cond_wait_for(cnd[i], mtx[i], 1e-9);
			sg_mutex_unlock(mtx[i]);
			break;
		default:
			sg_actor_sleep_for(1e-9);
		}
	}
}

/* Actors 2j and 2j+1 hand a token back and forth; i is one of them. */
static void pair(int i)
{
	int peer = i ^ 1, first = !(i & 1);
	char mb[2][32];

	snprintf(mb[0], sizeof(mb[0]), "m%d", i);
	snprintf(mb[1], sizeof(mb[1]), "m%d", peer);
	if (first)
		sg_actor_sleep_for(1e-9); /* the peer is waiting by then */
	for (long k = 0; k < per_actor; k++) {
		if (first || k > 0) { /* wake the peer */
			if (prim == P_SUSPEND) { /* once it is suspended: a resume is a simcall, */
				while (!sg_actor_is_suspended(actors[peer])) /* after which the */
					sg_actor_yield(); /* peer may run before this actor */
				sg_actor_resume(actors[peer]);
			}
			else if (prim == P_MAILBOX)
				sg_mailbox_put(sg_mailbox_by_name(mb[1]), &token, 0);
			else
				sg_sem_release(sems[peer]);
		}
		if (prim == P_SUSPEND)
			sg_actor_suspend(sg_actor_self());
		else if (prim == P_MAILBOX)
			sg_mailbox_get(sg_mailbox_by_name(mb[0]));
		else if (prim == P_SEM_HANDOFF_TO)
			sg_sem_acquire_timeout(sems[i], 1.0);
		else
			sg_sem_acquire(sems[i]);
	}
	if (!first) { /* the last wake of the first one */
		if (prim == P_SUSPEND) {
			while (!sg_actor_is_suspended(actors[peer]))
				sg_actor_yield();
			sg_actor_resume(actors[peer]);
		}
		else if (prim == P_MAILBOX)
			sg_mailbox_put(sg_mailbox_by_name(mb[1]), &token, 0);
		else
			sg_sem_release(sems[peer]);
	}
}

static void body(int argc, char **argv)
{
	int i = atoi(argv[argc - 1]);

	if (prim >= P_SEM_HANDOFF)
		pair(i);
	else
		timed(i, prim == P_SLEEP_ALIGNED || prim == P_SEM_TIMEOUT_AL);
}

/* One measurement in this (child) process: wall ns per call. */
static double measure(int sg_argc, char **sg_argv, long ops)
{
	char path[64], name[32], arg[16];
	int fd = memfd_create("p.xml", 0);

	dprintf(fd, "<?xml version='1.0'?><!DOCTYPE platform SYSTEM "
		    "\"https://simgrid.org/simgrid.dtd\"><platform version=\"4.1\"><config>"
		    "<prop id=\"network/model\" value=\"CM02\"/>"
		    "<prop id=\"network/crosstraffic\" value=\"0\"/>"
		    "<prop id=\"surf/precision\" value=\"1e-13\"/></config>"
		    "<zone id=\"z\" routing=\"Full\">");
	for (int h = 0; h < (many_hosts ? nactors : 1); h++)
		dprintf(fd, "<host id=\"h%d\" speed=\"1Gf\"/>", h);
	dprintf(fd, "</zone></platform>");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	simgrid_init(&sg_argc, sg_argv);
	simgrid_load_platform(path);
	per_actor = ops / nactors;
	for (int i = 0; i < nactors; i++) {
		sems[i] = sg_sem_init(0);
		mtx[i] = sg_mutex_init();
		cnd[i] = sg_cond_init();
	}
	/* the second of each pair first (it waits when the first one starts) */
	for (int k = 0; k < nactors; k++) {
		int i = prim >= P_SEM_HANDOFF ? k ^ 1 : k;
		char *av[] = {arg, NULL};
		snprintf(name, sizeof(name), "h%d", many_hosts ? i : 0);
		snprintf(arg, sizeof(arg), "%d", i);
		actors[i] = sg_actor_init(arg, sg_host_by_name(name));
		sg_actor_start(actors[i], body, 1, av);
	}
	double t0 = now_s();
	simgrid_run();
	return (now_s() - t0) * 1e9 / (double)(per_actor * nactors);
}

static double child(int sg_argc, char **sg_argv, long ops)
{
	double *out = mmap(NULL, sizeof(*out), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			   -1, 0);
	int status;
	pid_t pid;

	*out = -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		*out = measure(sg_argc, sg_argv, ops);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	double r = *out;
	munmap(out, sizeof(*out));
	return r;
}

/* bench_prims one PRIM ACTORS MANY_HOSTS OPS [--cfg...]: one measurement in this process
 * (for callgrind: bench/prims_callgrind.sh); ACTORS counts pairs for the hand-offs. */
static int one(int argc, char **argv, int sg_argc, char **sg_argv)
{
	if (argc < 6)
		return 2;
	prim = (enum prim)atoi(argv[2]);
	nactors = atoi(argv[3]) * (prim >= P_SEM_HANDOFF ? 2 : 1);
	many_hosts = atoi(argv[4]);
	if (prim < 0 || prim >= P_NPRIMS || nactors < 1 || nactors > MAXA)
		return 2;
	printf("%s, %d actors: %.0f ns/call\n", names[prim], nactors,
	       measure(sg_argc, sg_argv, atol(argv[5])));
	return 0;
}

int main(int argc, char **argv)
{
	static const int counts[] = {1, 16, 256};
	char *sg_argv[16] = {"bench_prims", "--log=root.thres:critical"};
	int sg_argc = 2;
	long ops = 400000;

	for (int a = 1; a < argc && sg_argc < 15; a++)
		if (strncmp(argv[a], "--cfg=", 6) == 0)
			sg_argv[sg_argc++] = argv[a];
	if (argc > 1 && strcmp(argv[1], "one") == 0)
		return one(argc, argv, sg_argc, sg_argv);
	if (argc > 1 && argv[1][0] != '-' && (ops = atol(argv[1])) < 1024) {
		fprintf(stderr, "usage: bench_prims [OPS >= 1024] [--cfg=KEY:VALUE...]\n"
				"       bench_prims one PRIM ACTORS MANY_HOSTS OPS [--cfg=...]\n");
		return 2;
	}
	prim = P_SLEEP_FOR;
	nactors = 1;
	double bare = child(sg_argc, sg_argv, ops);
	printf("bare sleep (1 actor): %.0f ns\n", bare);
	printf("| primitive | actors | one host: ns/call | vs bare sleep | a host each: ns/call | "
	       "vs bare sleep |\n|---|---|---|---|---|---|\n");
	for (int p = 0; p < P_NPRIMS; p++) {
		for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
			double r[2] = {-1, -1};
			prim = (enum prim)p;
			nactors = prim >= P_SEM_HANDOFF ? 2 * counts[c] : counts[c];
			for (many_hosts = 0; many_hosts < 2; many_hosts++)
				if (!(prim == P_MAILBOX && many_hosts)) /* no routes between hosts */
					r[many_hosts] = child(sg_argc, sg_argv, ops);
			printf("| %s | %d%s", names[p], counts[c],
			       prim >= P_SEM_HANDOFF ? " pairs" : "");
			for (int h = 0; h < 2; h++) {
				if (r[h] < 0)
					printf(" | - | -");
				else
					printf(" | %.0f | %.2f", r[h], r[h] / bare);
			}
			printf(" |\n");
		}
	}
	return 0;
}
