/* vswitch.c - a host's software switch on its CPU (contract §11): a heap of dated jobs and
 * vswitch.cores worker actors that run each as a SimGrid execution. */
#include "vswitch.h"

#include <errno.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

#include "alloc.h"

static bool job_before(const struct vswitch_job *a, const struct vswitch_job *b)
{
	return a->ready < b->ready || (a->ready == b->ready && a->seq < b->seq);
}

static void swap(struct vswitch_job *a, struct vswitch_job *b)
{
	struct vswitch_job x = *a;
	*a = *b;
	*b = x;
}

/* Move the job at i down to its place. */
static void sift_down(struct vswitch *v, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < v->n && job_before(&v->h[l], &v->h[m]))
			m = l;
		if (r < v->n && job_before(&v->h[r], &v->h[m]))
			m = r;
		if (m == i)
			return;
		swap(&v->h[i], &v->h[m]);
		i = m;
	}
}

static void heap_pop(struct vswitch *v)
{
	v->h[0] = v->h[--v->n];
	sift_down(v, 0);
}

/* The part of [a, b] inside the window. */
static double in_window(const struct eng *e, double a, double b)
{
	double lo = fmax(a, e->warmup), hi = fmin(b, e->end);
	return hi > lo ? hi - lo : 0;
}

/* Wake one waiting worker, unless every waiting one has been woken already (during the
 * ports' calm run, at its date: eng_release). */
static void wake_one(struct vswitch *v)
{
	if (v->started && v->nidle > v->nwoken) {
		v->nwoken++;
		v->e->calm_now++;
		eng_release(v->e, v->sem);
	}
}

/* A margin on a worker's end of execution, computed from its cycles and its core's speed:
 * SimGrid's own date of that end may differ in the last bits (its max-min solver, 1e-13 s
 * precision), and a worker relied on to be back must be back before the job is due. */
#define FREE_SLACK 1e-9

/* A worker back from a wait or an execution: the ports' calm runs (engine.h) ran no date
 * past its wake, which calm_acts told them (else the ports ran ahead of its effects). */
static void calm_check(const struct vswitch_worker *w)
{
	xbt_assert(simgrid_get_clock() >= w->v->e->calm_last,
		   "a vswitch worker woke at %.17g, before the ports' calm run to %.17g",
		   simgrid_get_clock(), w->v->e->calm_last);
}

/* Will some worker but self look at the heap by date r without a release: one woken
 * already or about to look, one that waits until r at the latest, or one whose execution
 * ends before r (it looks when it is done, and wakes another when it takes a job:
 * worker_actor)? A
 * semaphore's timeout cannot be moved: a release for work dated later wakes a worker only
 * for it to wait again (docs/performance.md). */
static bool covered(const struct vswitch *v, double r, const struct vswitch_worker *self)
{
	if (v->nwoken)
		return true;
	for (int i = 0; i < v->ncores; i++) {
		const struct vswitch_worker *w = &v->w[i];
		if (w == self)
			continue;
		if (w->state == VSW_LOOKING || (w->state == VSW_WAITING && w->until <= r) ||
		    (w->state == VSW_BUSY && w->free_at + FREE_SLACK <= r))
			return true;
	}
	return false;
}

void vswitch_submit(struct vswitch *v, const struct vswitch_job *j)
{
	if (v->n == v->cap) {
		uint32_t cap = v->cap ? 2 * v->cap : 64;
		struct vswitch_job *h = mriov_realloc(v->h, cap * sizeof(*h));
		if (!h) {
			v->e->err = -ENOMEM;
			return;
		}
		v->h = h;
		v->cap = cap;
	}
	uint32_t i = v->n++;
	v->h[i] = *j;
	v->h[i].seq = ++v->seq;
	while (i && job_before(&v->h[i], &v->h[(i - 1) / 2])) {
		swap(&v->h[i], &v->h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	/* the earliest now: the waiting workers may wait for a later one */
	if (i == 0 && (j->ready <= eng_clock(v->e) || !covered(v, j->ready, NULL)))
		wake_one(v);
}

/* Wait for the earliest job (or the end), or for a wake-up. When another worker will look
 * at the heap by then, it takes the job: this one waits for a release, so that idle
 * workers do not all time out at each job's date for one of them to take it. */
static void worker_wait(struct vswitch_worker *w, double now)
{
	struct vswitch *v = w->v;
	double until = v->e->end;

	if (v->n && !covered(v, v->h[0].ready, w))
		until = fmin(v->h[0].ready, v->e->end);

	v->nidle++;
	w->state = VSW_WAITING;
	w->until = until;
	dheap_move(&v->e->calm_acts, &w->wake, until); /* SimGrid merges within its precision */
	if (sg_sem_acquire_timeout(v->sem, until - now) == 0) {
		v->nwoken--; /* a release taken (0: acquired, 1: timed out) */
		v->e->calm_now--;
	}
	calm_check(w);
	w->state = VSW_LOOKING;
	v->nidle--;
}

/* Run job j on this core: its execution at one core's speed, then what it is for. */
static void worker_run(struct vswitch_worker *w, const struct vswitch_job *j, double now)
{
	struct vswitch *v = w->v;
	struct eng *e = v->e;

	if (j->taken && !w->dropped)
		j->taken(j, now);
	if (w->dropped) { /* its owner was reset before its execution began */
		w->busy_since = -1;
		w->state = VSW_LOOKING;
		return;
	}
	/* SimGrid's end of the execution may come a little before free_at: the margin. On
	 * the host of the ports' actor, whose waits are on the same CPU model, each of its
	 * wakes updates what is left of the execution, and a calm run (fewer wakes) would
	 * move the end's last bits: none meanwhile (docs/performance.md) */
	dheap_move(&e->calm_acts, &w->wake,
		   v->host == e->calm_host ? -INFINITY : w->free_at - FREE_SLACK);
	sg_actor_execute(j->cycles);
	calm_check(w);
	double t = simgrid_get_clock();
	w->busy_since = -1;
	w->state = VSW_LOOKING;
	v->busy += in_window(e, now, t);
	if (w->dropped)
		return; /* its owner was reset meanwhile: the frame failed then */
	if (eng_in_window(e, t))
		v->jobs++;
	e->now = t; /* the engine's FIFOs date their changes by it */
	j->done(j, t);
}

static void worker_actor(int argc, char **argv)
{
	struct vswitch_worker *w = sg_actor_self_get_data();
	struct vswitch *v = w->v;
	struct eng *e = v->e;

	(void)argc;
	(void)argv;
	for (;;) {
		double now = simgrid_get_clock();
		if (now >= e->end || e->err)
			break;
		if (!v->n || v->h[0].ready > now) {
			worker_wait(w, now);
			continue;
		}
		struct vswitch_job j = v->h[0];
		heap_pop(v);
		/* it is this core's from now: a SimGrid call below (a release, taken) may let
		 * another actor run, and a reset of its owner then drops it (vswitch_drop) */
		w->obj = j.obj;
		w->dropped = false;
		w->busy_since = now;
		w->state = VSW_BUSY;
		w->free_at = now + j.cycles / v->speed;
		/* more is due, or the next job counted on this worker: another core takes it */
		if (v->n && (v->h[0].ready <= now || !covered(v, v->h[0].ready, NULL)))
			wake_one(v);
		e->now = now;
		worker_run(w, &j, now);
	}
}

int vswitch_init(struct vswitch *v, struct eng *e, int h, const char *host_name, int ncores)
{
	memset(v, 0, sizeof(*v));
	v->e = e;
	v->host = h;
	v->host_name = host_name;
	v->ncores = ncores;
	v->w = mriov_calloc((size_t)ncores, sizeof(*v->w));
	if (!v->w)
		return -ENOMEM;
	for (int i = 0; i < ncores; i++) {
		v->w[i] = (struct vswitch_worker){.v = v, .busy_since = -1};
		/* it runs once started, before it waits: no calm run meanwhile */
		if (dheap_add(&e->calm_acts, &v->w[i].wake, -INFINITY))
			return -ENOMEM;
	}
	return 0;
}

void vswitch_start(struct vswitch *v)
{
	if (v->started)
		return;
	/* its workers run at SimGrid's clock: never from a calm run (their -INFINITY dates
	 * keep calm runs off until they wait, vswitch_init) */
	xbt_assert(!v->e->stepping, "a vswitch started during a calm run");
	v->started = true;
	v->sem = sg_sem_init(0);
	v->speed = sg_host_get_speed(sg_host_by_name(v->host_name));
	for (int i = 0; i < v->ncores; i++) {
		char name[300];
		snprintf(name, sizeof(name), "%s.vswitch%d", v->host_name, i);
		sg_actor_t a = sg_actor_init(name, sg_host_by_name(v->host_name));
		sg_actor_set_data(a, &v->w[i]);
		sg_actor_start(a, worker_actor, 0, NULL);
		/* it ends with the run, even inside an execution; daemonized once started: SimGrid
		 * 3.32 counts a daemon not started yet against the running actors, and kills the
		 * daemons at once when the ports' one actor starts them */
		sg_actor_daemonize(a);
	}
}

void vswitch_drop(struct vswitch *v, const void *obj)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < v->n; i++)
		if (v->h[i].obj != obj)
			v->h[k++] = v->h[i];
	v->n = k;
	for (uint32_t i = k / 2; i-- > 0;) /* the heap again (Floyd): ties keep their seq */
		sift_down(v, i);
	for (int i = 0; v->w && i < v->ncores; i++)
		if (v->w[i].busy_since >= 0 && v->w[i].obj == obj)
			v->w[i].dropped = true;
}

double vswitch_busy(const struct vswitch *v)
{
	double b = v->busy;

	for (int i = 0; v->w && i < v->ncores; i++)
		if (v->w[i].busy_since >= 0)
			b += in_window(v->e, v->w[i].busy_since, v->e->end);
	return b;
}

void vswitch_destroy(struct vswitch *v)
{
	if (!v)
		return;
	free(v->h);
	free(v->w);
	if (v->sem)
		sg_sem_destroy(v->sem);
	memset(v, 0, sizeof(*v));
}
