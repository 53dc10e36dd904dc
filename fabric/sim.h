/* sim.h - one simulation run: the platform exported to SimGrid, the engine built on it,
 * the run, and what it measured. */
#ifndef MRIOV_SIM_H
#define MRIOV_SIM_H

#include <stdbool.h>

#include "dev.h"
#include "engine.h"
#include "fault.h"
#include "rc.h"
#include "stats.h"
#include "topo.h"
#include "warnings.h"

/* The engine's view of the chassis's nodes (struct eng_nodes), and the arrays behind it. */
struct sim_nodes {
	struct eng_nodes view;
	enum topo_node_kind *kind;
	int *index;
	const char **name;
	int *of_switch, *of_device;
	const struct topo_arb **port_arb;
};

/* Fill n from t (fabric/topo.c numbers the nodes). 0 or -ENOMEM; sim_nodes_free either way. */
int sim_nodes_init(struct sim_nodes *n, const struct topo *t);
void sim_nodes_free(struct sim_nodes *n);

struct sim {
	const struct topo *t;
	struct eng e;
	struct sim_nodes nodes;
	struct stats st;
	double wall_s;        /* wall-clock seconds of the simulation proper */
	double cpu_s;         /* CPU seconds of the process meanwhile (bench/: time the
			       * machine's other work did not take from it) */
	double sim_end;       /* simulated time reached */
	bool deadlock;        /* work was stuck when the run ended */
	struct warnings warn; /* what the results say about themselves (contract §4) */
	char why[512];        /* what failed, for the user */
	void (*tlp_sent)(void *arg, const struct eng_tlp_event *ev); /* sim_run_observed */
	void *tlp_arg;
};

struct sim_opts {
	/* called every 0.5 % of the run (simulated time now of end, wall seconds since the
	 * start) and once more at the end with now == end; NULL: no progress */
	void (*progress)(void *arg, double now, double end, double wall_s);
	void *progress_arg;
	int sg_argc;          /* SimGrid's --cfg/--log options, passed to simgrid_init */
	char **sg_argv;       /* argv[0] first */
	bool full_scan;       /* every decision looks at every source (the reference the ready
			       * structures are checked against; slower, same results) */
	bool slot_wake_all;   /* a DMA slot's return wakes every DMA engine of its device (the
			       * reference the slot waiters are checked against, dev_dma.c) */
	bool dmaq_whole;      /* every queued DMA is a whole one (the reference the DMA queues'
			       * records are checked against, models/dmaq.c) */
	bool one_actor;       /* the ports run in one actor even where eng_run could step
			       * them from main (tests/check_ready.c: same results) */
	/* called once the engine is built, before its actors start (tests file work into its
	 * sources there); a negative errno stops the run; NULL: nothing */
	int (*before_start)(void *arg, struct eng *e);
	void *before_start_arg;
};

/*
 * Simulate t. SimGrid allows one engine per process: call this once. Returns 0 when the
 * run completed; -EDEADLK when work was stuck (sim->why says where); -ENOMEM or -EIO on
 * failure. The results stay in sim until sim_free().
 */
int sim_run(struct sim *sim, const struct topo *t, const struct sim_opts *o);
/* sim_run, and tlp_sent(arg, ...) told every TLP a port starts (run --trace, trace.c). */
int sim_run_observed(struct sim *sim, const struct topo *t, const struct sim_opts *o,
		     void (*tlp_sent)(void *arg, const struct eng_tlp_event *ev), void *arg);
void sim_free(struct sim *sim);

#endif
