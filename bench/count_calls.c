/* count_calls.c - an LD_PRELOAD library that counts the SimGrid blocking calls a program
 * makes, by kind and by actor (not a test: bench/count_calls.sh prints the table).
 *
 *   LD_PRELOAD=build/libcount_calls.so COUNT_CALLS_OUT=FILE program ...
 *
 * It wraps the C API functions the simulator calls (sleeps, semaphore acquires and
 * releases, executions; simgrid_run_until from main, as "maestro") and writes one line per
 * actor at exit: its name, then the count of
 * each kind. `dates` counts the distinct simulated dates at which some blocking call
 * returned (an upper bound of SimGrid's scheduling rounds that woke an actor). Every kind
 * is a simcall: the calling actor yields to SimGrid's maestro and back. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_SLEEP_UNTIL, K_SLEEP_FOR, K_ACQ_TIMEOUT, K_ACQ_RELEASED, K_ACQ, K_RELEASE,
	    K_EXEC, K_RUN_UNTIL, K_NKINDS };
static const char *const kname[K_NKINDS] = {"sleep_until", "sleep_for", "acq_timed_out",
					    "acq_released", "acq_untimed", "release", "execute",
					    "run_until"};

#define MAXACT 4096
static struct {
	char name[96];
	unsigned long long n[K_NKINDS];
} act[MAXACT];
static int nact;
static unsigned long long dates;
static double last_date = -1;

static int slot(void)
{
	sg_actor_t self = sg_actor_self();
	const char *name = self ? sg_actor_get_name(self) : "";

	if (!*name)
		name = "maestro";
	for (int i = 0; i < nact; i++)
		if (strcmp(act[i].name, name) == 0)
			return i;
	if (nact == MAXACT)
		return MAXACT - 1;
	snprintf(act[nact].name, sizeof(act[nact].name), "%s", name);
	return nact++;
}

static void count(enum kind k)
{
	act[slot()].n[k]++;
}

static void woke(void)
{
	double d = simgrid_get_clock();
	if (d != last_date) {
		last_date = d;
		dates++;
	}
}

#define REAL(ret, fn, ...)                                                                 \
	static ret (*real)(__VA_ARGS__);                                                   \
	if (!real)                                                                         \
		real = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, fn)

void sg_actor_sleep_until(double t)
{
	REAL(void, "sg_actor_sleep_until", double);
	count(K_SLEEP_UNTIL);
	real(t);
	woke();
}

void sg_actor_sleep_for(double d)
{
	REAL(void, "sg_actor_sleep_for", double);
	count(K_SLEEP_FOR);
	real(d);
	woke();
}

int sg_sem_acquire_timeout(sg_sem_t s, double timeout)
{
	REAL(int, "sg_sem_acquire_timeout", sg_sem_t, double);
	int r = real(s, timeout);
	count(r ? K_ACQ_TIMEOUT : K_ACQ_RELEASED);
	woke();
	return r;
}

void sg_sem_acquire(sg_sem_t s)
{
	REAL(void, "sg_sem_acquire", sg_sem_t);
	real(s);
	count(K_ACQ);
	woke();
}

void sg_sem_release(sg_sem_t s)
{
	REAL(void, "sg_sem_release", sg_sem_t);
	count(K_RELEASE);
	real(s);
}

void sg_actor_execute(double flops)
{
	REAL(void, "sg_actor_execute", double);
	count(K_EXEC);
	real(flops);
	woke();
}

/* from main (maestro): a step of the simulation to a date, no actor */
void simgrid_run_until(double t)
{
	REAL(void, "simgrid_run_until", double);
	count(K_RUN_UNTIL);
	real(t);
	woke();
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("COUNT_CALLS_OUT");
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f)
		return;
	fprintf(f, "actor");
	for (int k = 0; k < K_NKINDS; k++)
		fprintf(f, " %s", kname[k]);
	fprintf(f, "\n");
	for (int i = 0; i < nact; i++) {
		fprintf(f, "%s", act[i].name);
		for (int k = 0; k < K_NKINDS; k++)
			fprintf(f, " %llu", act[i].n[k]);
		fprintf(f, "\n");
	}
	fprintf(f, "#dates %llu\n", dates);
	fclose(f);
}
