/* cli_interference.c - `mriovsim interference` (contract §9): options and the verdict. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_study.h"
#include "interference.h"
#include "units.h"

static void print_interference(const struct interference *s)
{
	const char *what = s->o->by_workload ? "workload" : "host";

	printf("%-16s %12s %12s %9s %12s %12s %9s\n", what, "alone Gb/s", "all Gb/s", "slowdown",
	       "alone p99 ns", "all p99 ns", "p99 x");
	for (size_t i = 0; i < s->n; i++)
		printf("%-16s %12.3f %12.3f %9.2f %12.1f %12.1f %9.2f\n", interference_name(s, i),
		       s->alone[i].gbps, s->all[i].gbps, interference_slowdown(s, i, i),
		       s->alone[i].p99_ns, s->all[i].p99_ns, interference_lat_slowdown(s, i, i));
	size_t i = s->worst_i, j = s->worst_j;
	if (i == INTERFERENCE_NONE)
		printf("worst pair: no pair changes a throughput by more than its 95%% intervals\n");
	else
		printf("worst pair: %s slows %s down %.2fx (%.3f Gb/s alone, %.3f with it)\n",
		       interference_name(s, j), interference_name(s, i),
		       interference_slowdown(s, i, j), s->alone[i].gbps, s->pair[i * s->n + j].gbps);
	if ((i = s->lat_i) != INTERFERENCE_NONE) {
		j = s->lat_j;
		printf("worst latency: %s raises the p99 of %s %.2fx (%.1f ns alone, %.1f with it; "
		       "p50 %.1f -> %.1f ns)\n", interference_name(s, j), interference_name(s, i),
		       interference_lat_slowdown(s, i, j), s->alone[i].p99_ns,
		       s->pair[i * s->n + j].p99_ns, s->alone[i].p50_ns, s->pair[i * s->n + j].p50_ns);
	}
	if ((i = s->all_i) != INTERFERENCE_NONE)
		printf("all together: %s is slowed down most, %.2fx (%.3f -> %.3f Gb/s)\n",
		       interference_name(s, i), interference_slowdown(s, i, i), s->alone[i].gbps,
		       s->all[i].gbps);
	if ((i = s->all_lat_i) != INTERFERENCE_NONE)
		printf("all together: the p99 of %s grows most, %.2fx (%.1f -> %.1f ns; p50 %.1f -> "
		       "%.1f ns)\n", interference_name(s, i), interference_lat_slowdown(s, i, i),
		       s->alone[i].p99_ns, s->all[i].p99_ns, s->alone[i].p50_ns, s->all[i].p50_ns);
}

struct interference_args {
	bool by_workload, emit;
	unsigned jobs;
	const char *topology, *out;
	struct cli_sets sets;
};

static int parse_interference(int argc, char **argv, struct interference_args *a)
{
	static const struct option opts[] = {
		{"by", required_argument, NULL, 'b'},  {"jobs", required_argument, NULL, 'j'},
		{"out", required_argument, NULL, 'o'}, {"set", required_argument, NULL, 'S'},
		{"emit-jobs", no_argument, NULL, 'e'}, {NULL, 0, NULL, 0}};
	uint64_t n;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'b' && (!strcmp(optarg, "host") || !strcmp(optarg, "workload")))
			a->by_workload = !strcmp(optarg, "workload");
		else if (c == 'b')
			return cli_usage_error("interference: --by wants host or workload, got '%s'",
					       optarg);
		else if (c == 'j' && !units_parse_uint(optarg, 100000, &n) && n > 0)
			a->jobs = (unsigned)n;
		else if (c == 'j')
			return cli_usage_error("interference: --jobs wants a number from 1, got '%s'",
					       optarg);
		else if (c == 'o')
			a->out = optarg;
		else if (c == 'S' && cli_sets_add(&a->sets, optarg))
			return EXIT_SIM_FAILED;
		else if (c == 'e')
			a->emit = true;
		else if (c != 'S')
			return cli_usage_error("interference: unknown or incomplete option '%s'",
					       argv[optind - 1]);
	}
	if (optind < argc)
		a->topology = argv[optind++];
	if (optind < argc)
		return cli_usage_error("interference: unexpected argument '%s'", argv[optind]);
	return 0;
}

int cli_interference(int argc, char **argv, int sg_argc, char **sg_argv)
{
	struct study_ui ui = {"interference", isatty(STDERR_FILENO)};
	struct runner r = {.passthrough = sg_argv + 1, .npassthrough = sg_argc - 1,
			   .stop = &study_stop, .ops = {&ui, study_on_progress, study_on_failed}};
	struct interference_args a = {0};
	struct interference_opts o;
	struct interference s = {.o = &o, .r = &r};
	struct study_paths paths;
	struct topo *t = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	a.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	if ((rc = parse_interference(argc, argv, &a)))
		goto out;
	if (!(t = cli_load(a.topology, &a.sets))) {
		rc = EXIT_USAGE;
		goto out;
	}
	o = (struct interference_opts){t, a.by_workload, a.sets.v, a.sets.n, true};
	r.jobs = a.jobs;
	if ((rc = study_resolve(&paths, &r, a.topology, a.out, t->name, "interference")))
		goto out;
	int err = interference_plan(&s);
	if (err == -EINVAL) {
		fprintf(stderr, "mriovsim: interference: %s has fewer than two %s with traffic: "
				"nothing can disturb anything\n", t->name,
			o.by_workload ? "workloads" : "hosts");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!err && a.emit) {
		rc = study_emit(&r, "interference.params", study_params);
		goto out;
	}
	study_catch_signals();
	if (!err)
		err = interference_execute(&s);
	if (ui.progress)
		fprintf(stderr, "\n");
	rc = err == -EIO ? EXIT_SIM_FAILED : study_status(err, &r, "interference");
	if (!rc) {
		print_interference(&s);
		printf("results in %s/interference.csv and interference_matrix.csv%s\n", r.out,
		       s.plotted ? ", heat map interference.svg" : "");
	}
out:
	interference_free(&s);
	runner_clear(&r);
	topo_destroy(t);
	free(a.sets.v);
	return rc;
}
