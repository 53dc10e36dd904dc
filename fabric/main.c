/* main.c - the mriovsim command line (contract §2). Only this file prints to the user and
 * decides exit statuses: 0 success, 1 simulation or writing failed, 2 bad usage or input. */
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wholefile.h"
#include "cli.h"
#include "describe.h"
#include "jsonschema.h"
#include "platform.h"
#include "report.h"
#include "results.h"
#include "sim.h"
#include "topo.h"
#include "trace.h"
#include "units.h"
#include "warnings.h"

#ifndef MRIOVSIM_VERSION
#define MRIOVSIM_VERSION "0.0.0"
#endif



static const char usage_text[] =
	"usage: mriovsim run [TOPOLOGY] [--out DIR] [--duration T] [--warmup T] [--seed N]\n"
	"                    [--set PATH=VALUE]... [--no-plots] [--quiet]\n"
	"                    [--trace FILE] [--trace-window T0:T1] [--only-workloads NAME,...]\n"
	"       mriovsim check [TOPOLOGY] [--set PATH=VALUE]... [--platform FILE]\n"
	"       mriovsim report DIR\n"
	"       mriovsim sweep TOPOLOGY --vary PATH=V1,V2,... [--vary ...]... [--seeds N]\n"
	"                      [--jobs N] [--out DIR] [--emit-jobs]\n"
	"       mriovsim capacity TOPOLOGY --slo EXPR [--slo EXPR]... [--workloads NAME,...]\n"
	"                      [--max F] [--precision P] [--seeds N] [--jobs N] [--out DIR]\n"
	"                      [--set PATH=VALUE]...\n"
	"       mriovsim interference TOPOLOGY [--by host|workload] [--jobs N] [--out DIR]\n"
	"                      [--set PATH=VALUE]... [--emit-jobs]\n"
	"       mriovsim schema\n"
	"       mriovsim --help | --version\n"
	"\n"
	"Simulates multi-host PCI Express fabrics built on MR-IOV: several root complexes share\n"
	"SR-IOV devices through MR-IOV switches. TOPOLOGY is a YAML file (docs/topology.md);\n"
	"without it, the default chassis compiled into the program is used.\n"
	"\n"
	"  run       simulate every TLP of the DMA traffic and write results/<name>/ (or --out):\n"
	"            hosts.csv, functions.csv, workloads.csv, links.csv, timeseries.csv,\n"
	"            latency_cdf.csv, bottlenecks.csv, warnings.csv, summary.json, plots and\n"
	"            report.html, with 95% intervals, a verdict per workload and warnings when\n"
	"            a number rests on too little (docs/results.md); --duration/--warmup/--seed\n"
	"            override run.*; --no-plots skips gnuplot and the report; --quiet prints no\n"
	"            summary (warnings still go to stderr); --only-workloads runs only those;\n"
	"            --trace FILE writes every TLP in [T0, T1] (--trace-window, default the\n"
	"            whole run) for Perfetto (docs/tools.md)\n"
	"  check     validate the topology and print each virtual hierarchy: its host, the path\n"
	"            to each device, the MR-Links on it, and its functions with routing IDs;\n"
	"            --platform FILE also writes the SimGrid platform XML of the chassis\n"
	"  report    draw the plots and report.html of a results directory again\n"
	"  sweep     run the cartesian product of the --vary values times --seeds seeds,\n"
	"            --jobs at a time, into DIR/runs/<i>/ (default results/<name>-sweep) and\n"
	"            collect DIR/sweep.csv, sweep_workloads.csv, sweep_summary.csv (means and\n"
	"            intervals across seeds) and sweep.svg; --seeds N alone replicates the\n"
	"            chassis; --emit-jobs prints the runs' command lines instead (docs/sweeps.md)\n"
	"  capacity  the largest factor F (at most --max, default 16) by which the open-loop\n"
	"            rates (or those of --workloads) can grow while every SLO holds on every\n"
	"            host for every seed (--seeds, default 3): bisection to --precision\n"
	"            (default 0.01); SLO: [HOST:]METRIC OP VALUE, METRIC throughput (99% or\n"
	"            40Gbps), mean, p50, p99 (50us) or drops (0.1%), OP < <= > >=;\n"
	"            DIR/capacity.csv, capacity.svg (default results/<name>-capacity)\n"
	"  interference  each host (--by workload: each workload) alone, with each other one,\n"
	"            and all together: DIR/interference.csv, interference_matrix.csv (throughput\n"
	"            and p99 slowdowns), interference.svg, the worst pair on stdout;\n"
	"            --emit-jobs prints its runs' command lines (capacity cannot: each probe\n"
	"            depends on the last)\n"
	"  schema    print the JSON Schema (draft 2020-12) of topology files, for editors and CI\n"
	"            (docs/tools.md)\n"
	"  --set PATH=VALUE   override one value before validation, e.g.\n"
	"            --set links.blade0-mra0.width=8 --set devices.nic0.atc.entries=128\n"
	"\n"
	"SimGrid's own --cfg=KEY:VALUE and --log=... options are accepted.\n"
	"Exit status: 0 success, 1 simulation failed (capacity: the SLOs fail even at factor\n"
	"0.001), 2 bad command line or invalid topology, 130 interrupted (complete runs kept).\n";

static int write_platform(void *arg, FILE *f)
{
	return platform_write(arg, f);
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"set", required_argument, NULL, 's'},
		{"platform", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0}};
	struct cli_sets sets = {NULL, 0};
	const char *platform = NULL, *path = NULL;
	struct topo *t;
	int c, rc = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's' && !cli_sets_add(&sets, optarg))
			continue;
		if (c == 'p') {
			platform = optarg;
			continue;
		}
		free(sets.v);
		return cli_bad_option("check", argv[optind - 1], opts);
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc) {
		free(sets.v);
		return cli_usage_error("check: unexpected argument '%s'", argv[optind]);
	}
	t = cli_load(path, &sets);
	free(sets.v);
	if (!t)
		return EXIT_USAGE;
	describe_chassis(t, stdout);
	describe_arbitration(t, stdout);
	describe_sriov(t, stdout);
	if (platform) {
		int err = wholefile_write(platform, write_platform, t);
		if (err) {
			fprintf(stderr, "mriovsim: cannot write %s: %s\n", platform, strerror(-err));
			rc = EXIT_SIM_FAILED;
		}
	}
	topo_destroy(t);
	return rc;
}

struct run_args {
	const char *path, *out;
	const char *trace, *trace_window; /* --trace FILE, --trace-window T0:T1 */
	char *only;           /* --only-workloads NAME,... (split in place) */
	struct cli_sets sets;
	bool no_plots, quiet;
	char *owned[3];
};

static int add_run_override(struct run_args *a, int slot, const char *key, const char *val)
{
	size_t n = strlen(key) + strlen(val) + 2;
	char *s = malloc(n);

	if (!s)
		return -ENOMEM;
	snprintf(s, n, "%s=%s", key, val);
	free(a->owned[slot]);
	a->owned[slot] = s;
	return 0;
}

static int parse_run(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},   {"duration", required_argument, NULL, 'd'},
		{"warmup", required_argument, NULL, 'w'}, {"seed", required_argument, NULL, 's'},
		{"set", required_argument, NULL, 'S'},   {"no-plots", no_argument, NULL, 'P'},
		{"quiet", no_argument, NULL, 'q'},       {"only-workloads", required_argument, NULL, 'W'},
		{"trace", required_argument, NULL, 't'}, {"trace-window", required_argument, NULL, 'T'},
		{NULL, 0, NULL, 0}};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int err = 0;
		switch (c) {
		case 'o': a->out = optarg; break;
		/* "--OPTION=VALUE" overrides: diagnostics name the option (override.c) */
		case 'd': err = add_run_override(a, 0, "--duration", optarg); break;
		case 'w': err = add_run_override(a, 1, "--warmup", optarg); break;
		case 's': err = add_run_override(a, 2, "--seed", optarg); break;
		case 'S': err = cli_sets_add(&a->sets, optarg); break;
		case 'P': a->no_plots = true; break;
		case 'q': a->quiet = true; break;
		case 'W': a->only = optarg; break;
		case 't': a->trace = optarg; break;
		case 'T': a->trace_window = optarg; break;
		default:
			return cli_bad_option("run", argv[optind - 1], opts);
		}
		if (err)
			return EXIT_SIM_FAILED;
	}
	if (optind < argc)
		a->path = argv[optind++];
	if (optind < argc)
		return cli_usage_error("run: unexpected argument '%s'", argv[optind]);
	if (a->trace_window && !a->trace)
		return cli_usage_error("run: --trace-window %s needs --trace FILE", a->trace_window);
	/* --duration, --warmup and --seed act as --set after the user's own --set options */
	for (int i = 0; i < 3; i++)
		if (a->owned[i] && cli_sets_add(&a->sets, a->owned[i]))
			return EXIT_SIM_FAILED;
	return 0;
}

/* The plots and report.html are results too: a gnuplot failure fails the run; a missing
 * gnuplot is a notice (the results and the report are still written). */
static int draw_report(const char *dir)
{
	struct report_status st;
	int err = report_draw(dir, &st);

	if (err == -ENOENT) {
		fprintf(stderr, "mriovsim: %s\n", st.failed);
		return EXIT_USAGE;
	}
	if (err) {
		fprintf(stderr, "mriovsim: %s\n", st.failed);
		return EXIT_SIM_FAILED;
	}
	if (st.gnuplot_missing)
		fprintf(stderr, "mriovsim: gnuplot not found: plots skipped (apt-get install "
				"gnuplot-nox, then: mriovsim report %s)\n", dir);
	return 0;
}

/* `report DIR`: draw the plots and report.html of a results directory again. */
static int cmd_report(int argc, char **argv)
{
	if (argc != 2)
		return cli_usage_error("%s", "report: expected one results directory");
	return draw_report(argv[1]);
}

/* sim_run's progress callback: redraw "simulated time, percent, ETA" on stderr. */
static void print_progress(void *arg, double now, double end, double wall_s)
{
	double frac = end > 0 && now < end ? now / end : 1.0;
	double eta = frac > 0 ? wall_s * (1 - frac) / frac : 0;

	(void)arg;
	fprintf(stderr, "\r  simulated %.1f of %.1f us (%3.0f%%), ETA %.1f s   ", now * 1e6,
		end * 1e6, frac * 100, eta);
}

/* --only-workloads NAME,...: the other workloads do not run (the studies' "alone" and
 * "pair" runs). Returns 0 or EXIT_USAGE. */
static int keep_workloads(struct topo *t, char *list)
{
	char *names[4096], *save = NULL;
	size_t n = 0;
	const char *missing = NULL;

	for (char *w = strtok_r(list, ",", &save); w && n < 4096; w = strtok_r(NULL, ",", &save))
		names[n++] = w;
	if (!n)
		return cli_usage_error("%s", "run: --only-workloads wants NAME,...");
	if (topo_keep_workloads(t, names, n, &missing)) {
		const char *near = topo_nearest_workload(t, missing);
		fprintf(stderr, "mriovsim: run: --only-workloads: no workload named '%s' in %s%s%s%s\n",
			missing, t->name, near ? "; did you mean '" : "", near ? near : "",
			near ? "'?" : "");
		return EXIT_USAGE;
	}
	return 0;
}

/* --trace: open the trace of the window (--trace-window T0:T1, default the whole run); the
 * run then tells it every TLP (sim_run_observed). Returns 0 or an exit status. */
static int open_trace(const struct run_args *a, const struct topo *t, struct trace *tr)
{
	double t0 = 0, t1 = t->run.duration;
	int err;

	if (a->trace_window) {
		const char *colon = strchr(a->trace_window, ':');
		char lo[64];
		if (!colon || (size_t)(colon - a->trace_window) >= sizeof(lo) ||
		    (snprintf(lo, sizeof(lo), "%.*s", (int)(colon - a->trace_window),
			      a->trace_window), units_parse_time(lo, &t0)) ||
		    units_parse_time(colon + 1, &t1) || t0 > t1)
			return cli_usage_error("run: --trace-window wants T0:T1, two times with T0 <= "
					       "T1 such as 100us:200us, got '%s'", a->trace_window);
	}
	if ((err = trace_open(tr, a->trace, t, t0, t1))) {
		fprintf(stderr, "mriovsim: cannot write %s: %s\n", a->trace, strerror(-err));
		return EXIT_SIM_FAILED;
	}
	return 0;
}

/* The run succeeded: the trace file is renamed into place; a trace cut at its limit says
 * where in the run's warnings (stderr and summary.json). Returns 0 or an exit status. */
static int close_trace(const struct run_args *a, struct trace *tr, struct sim *sim)
{
	char msg[400];
	int err;

	if (trace_warning(tr, msg, sizeof(msg)) &&
	    warnings_add(&sim->warn, "trace", a->trace, "%s", msg))
		return EXIT_SIM_FAILED;
	if ((err = trace_close(tr))) {
		fprintf(stderr, "mriovsim: cannot write %s: %s\n", a->trace, strerror(-err));
		return EXIT_SIM_FAILED;
	}
	return 0;
}

/* After a successful simulation: the run's warnings, the trace, the results, the report and
 * the summary. Returns the exit status. */
static int finish_run(struct sim *sim, const struct topo *t, struct run_args *a,
		      struct trace *tr, const char *out)
{
	const char *failed = NULL;
	int err, rc;

	if ((err = warnings_check(sim, &sim->warn))) {
		fprintf(stderr, "mriovsim: %s\n", strerror(-err));
		return EXIT_SIM_FAILED;
	}
	if (a->trace && (rc = close_trace(a, tr, sim)))
		return rc;
	for (size_t i = 0; i < sim->warn.n; i++) /* also with --quiet (contract §4) */
		fprintf(stderr, "warning: %s\n", sim->warn.v[i].message);
	/* the topology's own warnings were printed when it was loaded (contract §13) */
	if ((err = warnings_add_lint(&sim->warn, &t->lint))) {
		fprintf(stderr, "mriovsim: %s\n", strerror(-err));
		return EXIT_SIM_FAILED;
	}
	if ((err = results_write(sim, out, &failed))) {
		fprintf(stderr, "mriovsim: cannot write %s/%s: %s\n", out, failed, strerror(-err));
		return EXIT_SIM_FAILED;
	}
	rc = a->no_plots ? 0 : draw_report(out);
	if (!a->quiet) {
		results_print_summary(sim, stdout);
		printf("results in %s/\n", out);
	}
	return rc;
}

static int cmd_run(int argc, char **argv, int sg_argc, char **sg_argv)
{
	struct trace tr = {0};
	struct run_args a = {0};
	struct sim sim;
	struct topo *t;
	char out[4096];
	int rc, err;

	rc = parse_run(argc, argv, &a);
	if (rc)
		goto out_args;
	t = cli_load(a.path, &a.sets);
	if (!t) {
		rc = EXIT_USAGE;
		goto out_args;
	}
	if (a.only && (rc = keep_workloads(t, a.only)))
		goto out_topo;
	if (a.out)
		snprintf(out, sizeof(out), "%s", a.out);
	else
		snprintf(out, sizeof(out), "results/%s", t->name);
	if ((err = cli_make_dirs(out))) {
		fprintf(stderr, "mriovsim: cannot create %s: %s\n", out, strerror(-err));
		rc = EXIT_SIM_FAILED;
		goto out_topo;
	}
	struct sim_opts o = {.sg_argc = sg_argc, .sg_argv = sg_argv};
	if (!a.quiet && isatty(STDERR_FILENO))
		o.progress = print_progress;
	if (a.trace && (rc = open_trace(&a, t, &tr)))
		goto out_topo;
	err = sim_run_observed(&sim, t, &o, a.trace ? trace_tlp : NULL, &tr);
	if (o.progress)
		fprintf(stderr, "\r%72s\r", ""); /* clear the progress line */
	if (err) {
		fprintf(stderr, "mriovsim: simulation failed: %s\n",
			sim.why[0] ? sim.why : strerror(-err));
		rc = EXIT_SIM_FAILED;
		goto out_sim;
	}
	rc = finish_run(&sim, t, &a, &tr, out);
out_sim:
	sim_free(&sim);
out_topo:
	if (tr.f) /* the run failed: no trace */
		trace_abort(&tr);
	topo_destroy(t);
out_args:
	free(a.sets.v);
	for (int i = 0; i < 3; i++)
		free(a.owned[i]);
	return rc;
}

/* `schema`: the JSON Schema of topology files on stdout (contract §9). */
static int cmd_schema(void)
{
	if (jsonschema_write(stdout) || fflush(stdout)) {
		fprintf(stderr, "mriovsim: cannot write the schema: %s\n", strerror(errno));
		return EXIT_SIM_FAILED;
	}
	return 0;
}

/* SimGrid's --cfg= and --log= options may appear anywhere; they go to the engine, not to
 * our option parser. Moves them to the end of argv and returns how many remain before. */
static int split_simgrid_args(int argc, char **argv, char **sg, int *nsg)
{
	int out = 0;

	*nsg = 0;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--cfg=", 6) == 0 || strncmp(argv[i], "--log=", 6) == 0)
			sg[(*nsg)++] = argv[i];
		else
			argv[out++] = argv[i];
	}
	return out;
}

int main(int argc, char **argv)
{
	char **sg = calloc((size_t)argc + 2, sizeof(char *));
	int nsg, rc;

	if (!sg)
		return EXIT_SIM_FAILED;
	sg[0] = argv[0];
	argc = split_simgrid_args(argc, argv, sg + 1, &nsg);
	nsg++; /* SimGrid's argv: the program name, then its options */
	if (argc < 2) {
		free(sg);
		return cli_usage_error("%s", "missing command");
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		rc = 0;
	} else if (strcmp(argv[1], "--version") == 0) {
		printf("mriovsim %s\n", MRIOVSIM_VERSION);
		rc = 0;
	} else if (strcmp(argv[1], "check") == 0) {
		rc = cmd_check(argc - 1, argv + 1);
	} else if (strcmp(argv[1], "run") == 0) {
		rc = cmd_run(argc - 1, argv + 1, nsg, sg);
	} else if (strcmp(argv[1], "report") == 0) {
		rc = cmd_report(argc - 1, argv + 1);
	} else if (strcmp(argv[1], "schema") == 0) {
		rc = argc > 2 ? cli_usage_error("schema: unexpected argument '%s'", argv[2])
			      : cmd_schema();
	} else if (strcmp(argv[1], "sweep") == 0) {
		rc = cli_sweep(argc - 1, argv + 1, nsg, sg);
	} else if (strcmp(argv[1], "capacity") == 0) {
		rc = cli_capacity(argc - 1, argv + 1, nsg, sg);
	} else if (strcmp(argv[1], "interference") == 0) {
		rc = cli_interference(argc - 1, argv + 1, nsg, sg);
	} else {
		rc = cli_usage_error("unknown command '%s'", argv[1]);
	}
	free(sg);
	return rc;
}
