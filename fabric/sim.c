/* sim.c - assemble and run one simulation on SimGrid. */
#include "sim.h"

#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xbt/log.h>

#include "platform.h"

static double clock_now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double wall_now(void)
{
	return clock_now(CLOCK_MONOTONIC);
}

struct progress {
	const struct sim_opts *o;
	double end, t0;
};

/* An actor that tells the caller how far the run is, every 0.5 % of it, and ends at the end.
 * Not a daemon: a stepped run (engine.c) has no other actor, and SimGrid kills daemons when
 * no other actor is left, so it would never report. */
static void progress_actor(int argc, char **argv)
{
	struct progress *pg = sg_actor_self_get_data();
	double step = pg->end / 200;

	(void)argc;
	(void)argv;
	for (;;) {
		sg_actor_sleep_for(step);
		double now = fmin(simgrid_get_clock(), pg->end);
		pg->o->progress(pg->o->progress_arg, now, pg->end, wall_now() - pg->t0);
		if (now >= pg->end)
			break;
	}
}

static int load_platform(const struct topo *t)
{
	int fd = memfd_create("mriovsim-platform.xml", 0);
	char path[64];
	FILE *f;
	int err;

	if (fd < 0)
		return -errno;
	f = fdopen(dup(fd), "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	err = platform_write(t, f);
	if (fclose(f) && !err)
		err = -EIO;
	if (!err) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		simgrid_load_platform(path); /* parsed completely during the call */
	}
	close(fd);
	return err;
}

static void explain_stuck(struct sim *sim)
{
	struct eng *e = &sim->e;

	snprintf(sim->why, sizeof(sim->why), "the fabric deadlocked: %llu TLPs or DMAs were "
		 "still waiting and nothing moved after %.3f us",
		 (unsigned long long)eng_pending(e, e->end), e->last_progress * 1e6);
	for (size_t i = 0; i < e->nports; i++) {
		const struct port *p = &e->ports[i];
		for (int s = 0; s < p->nsrcs; s++) {
			if (p->srcs[s]->ops->pending(p->srcs[s], INFINITY)) {
				size_t n = strlen(sim->why);
				snprintf(sim->why + n, sizeof(sim->why) - n, " (first stuck at %s -> %s on "
					 "link %s)", topo_node_name(sim->t, p->from),
					 topo_node_name(sim->t, p->to), sim->t->links[p->link].name);
				return;
			}
		}
	}
}

int sim_nodes_init(struct sim_nodes *n, const struct topo *t)
{
	size_t nn = t->nhosts + t->nswitches + t->ndevices;

	memset(n, 0, sizeof(*n));
	n->kind = calloc(nn + 1, sizeof(*n->kind));
	n->index = calloc(nn + 1, sizeof(*n->index));
	n->name = calloc(nn + 1, sizeof(*n->name));
	n->of_switch = calloc(t->nswitches + 1, sizeof(*n->of_switch));
	n->of_device = calloc(t->ndevices + 1, sizeof(*n->of_device));
	n->port_arb = calloc(2 * t->nlinks + 1, sizeof(*n->port_arb));
	if (!n->kind || !n->index || !n->name || !n->of_switch || !n->of_device || !n->port_arb)
		return -ENOMEM;
	/* the egress port of each link direction: dir 0 leaves end a, dir 1 end b */
	for (size_t l = 0; l < t->nlinks; l++) {
		n->port_arb[2 * l] = topo_port_arb(t, t->links[l].a.idx, (int)l);
		n->port_arb[2 * l + 1] = topo_port_arb(t, t->links[l].b.idx, (int)l);
	}
	for (size_t i = 0; i < nn; i++) {
		n->kind[i] = topo_node_kind(t, (int)i);
		n->index[i] = topo_node_index(t, (int)i);
		n->name[i] = topo_node_name(t, (int)i);
	}
	for (size_t i = 0; i < t->nswitches; i++)
		n->of_switch[i] = topo_node_of_switch(t, (int)i);
	for (size_t i = 0; i < t->ndevices; i++)
		n->of_device[i] = topo_node_of_device(t, (int)i);
	n->view = (struct eng_nodes){n->kind, n->index, n->name, n->of_switch, n->of_device,
				     n->port_arb};
	return 0;
}

void sim_nodes_free(struct sim_nodes *n)
{
	free(n->kind);
	free(n->index);
	free(n->name);
	free(n->of_switch);
	free(n->of_device);
	free(n->port_arb);
	memset(n, 0, sizeof(*n));
}

/* The engine's sink has one argument, the statistics; the trace hook finds its own through
 * the struct sim that holds them. */
static void sim_tlp_sent(void *arg, const struct eng_tlp_event *ev)
{
	struct sim *sim = (struct sim *)((char *)arg - offsetof(struct sim, st));

	sim->tlp_sent(sim->tlp_arg, ev);
}

int sim_run(struct sim *sim, const struct topo *t, const struct sim_opts *o)
{
	return sim_run_observed(sim, t, o, NULL, NULL);
}

int sim_run_observed(struct sim *sim, const struct topo *t, const struct sim_opts *o,
		     void (*tlp_sent)(void *arg, const struct eng_tlp_event *ev), void *arg)
{
	struct eng_sink sink = {.arg = &sim->st, .dma_done = stats_dma_done,
				.delivered = stats_delivered,
				.tlp_sent = tlp_sent ? sim_tlp_sent : NULL};
	struct progress pg;
	int argc = o->sg_argc, err;

	memset(sim, 0, sizeof(*sim));
	sim->t = t;
	sim->tlp_sent = tlp_sent;
	sim->tlp_arg = arg;
	if ((err = stats_init(&sim->st, t)))
		return err;
	/* SimGrid's informational chatter (configuration lines, sleeps shorter than its
	 * precision, which the engine's dated timing makes harmless) is not for users; --log=
	 * options given on the command line still apply after these */
	xbt_log_control_set("xbt_cfg.thres:warning");
	xbt_log_control_set("s4u_actor.thres:warning");
	simgrid_init(&argc, o->sg_argv);
	if ((err = load_platform(t)))
		return err;
	if ((err = sim_nodes_init(&sim->nodes, t)) ||
	    (err = eng_build(&sim->e, t, &sim->nodes.view, &sink)))
		return err;
	sim->e.full_scan = o->full_scan;
	sim->e.slot_wake_all = o->slot_wake_all;
	if (o->dmaq_whole)
		eng_dmaq_whole(&sim->e);
	sim->e.one_actor = o->one_actor;
	if (o->before_start && (err = o->before_start(o->before_start_arg, &sim->e)))
		return err;
	eng_start(&sim->e);
	fault_start(&sim->e); /* the runtime events (contract §10), if any */
	if (o->progress) {
		sim->e.calm_ok = false; /* a third actor: the ports wait at every date */
		pg.o = o;
		pg.end = t->run.duration;
		pg.t0 = wall_now();
		sg_actor_t a = sg_actor_init("progress", sg_host_by_name(t->hosts[0].name));
		sg_actor_set_data(a, &pg);
		sg_actor_start(a, progress_actor, 0, NULL);
	}
	double w0 = wall_now(), c0 = clock_now(CLOCK_PROCESS_CPUTIME_ID);
	eng_run(&sim->e);
	sim->wall_s = wall_now() - w0;
	sim->cpu_s = clock_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	sim->sim_end = simgrid_get_clock();
	if (sim->e.err || sim->st.err) {
		snprintf(sim->why, sizeof(sim->why), "out of memory during the simulation");
		return -ENOMEM;
	}
	/* Nothing may stay stuck: with work pending, the fabric must have kept moving. A run
	 * whose traffic simply ended, or that is still busy at the end, is fine; so is one
	 * whose work waits for a dated event after the end (contract §13: a TLP still in
	 * flight on a very slow link, credits or tags that will come back), however long. */
	double still = t->run.duration - fmax(10e-6, 0.1 * t->run.duration);
	if (sim->e.last_progress < still && eng_pending(&sim->e, still) &&
	    isinf(eng_next_dated(&sim->e, t->run.duration))) {
		sim->deadlock = true;
		explain_stuck(sim);
		return -EDEADLK;
	}
	return 0;
}

void sim_free(struct sim *sim)
{
	if (!sim)
		return;
	eng_destroy(&sim->e);
	sim_nodes_free(&sim->nodes);
	stats_free(&sim->st);
	warnings_free(&sim->warn);
}
