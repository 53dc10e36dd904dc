/* cli_study.c - the study commands of the command line: many runs of one chassis on the
 * runner (sweep; capacity and interference sit on the same pieces). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capacity.h"
#include "cli.h"
#include "interference.h"
#include "slo.h"
#include "sweep.h"
#include "units.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct study_ui {
	const char *what;   /* "sweep" */
	bool progress;      /* stderr is a terminal */
};

static void on_progress(void *arg, size_t done, size_t total, size_t reused, size_t failed,
			double eta)
{
	const struct study_ui *ui = arg;

	if (ui->progress)
		fprintf(stderr, "\r  %s: %zu/%zu runs done (%zu reused, %zu failed), ETA %.0f s   ",
			ui->what, done, total, reused, failed, eta);
}

static void on_failed(void *arg, const struct runner_run *r, const char *why)
{
	const struct study_ui *ui = arg;

	fprintf(stderr, "%smriovsim: %s: run %s (", ui->progress ? "\r" : "", ui->what, r->name);
	for (size_t k = 0; k < r->nsets; k++)
		fprintf(stderr, "%s ", r->sets[k]);
	fprintf(stderr, "seed=%llu) failed with status %d: %s\n", r->seed, r->status, why);
}

/* Split "PATH=V1,V2,..." at top-level commas (a YAML value such as {a: 1, b: 2} keeps its
 * commas). Returns 0, or -EINVAL when there is no PATH or no value. */
static int parse_vary(char *arg, struct sweep_vary *v)
{
	char *eq = strchr(arg, '=');
	int depth = 0;

	memset(v, 0, sizeof(*v));
	if (!eq || eq == arg || !eq[1])
		return -EINVAL;
	*eq = '\0';
	v->path = arg;
	char *start = eq + 1;
	for (char *p = start;; p++) {
		if (*p == '[' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == '}') && depth > 0)
			depth--;
		if ((*p == ',' && depth == 0) || !*p) {
			char **nv = realloc(v->values, (v->nvalues + 1) * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			v->values = nv;
			v->values[v->nvalues++] = start;
			if (!*p)
				break;
			*p = '\0';
			start = p + 1;
		}
	}
	for (size_t i = 0; i < v->nvalues; i++)
		if (!*v->values[i])
			return -EINVAL;
	return 0;
}

/* Every run must make a valid topology: check them all before starting any (runs that
 * differ only in their seed are checked once). Returns 0 or EXIT_USAGE. */
static int check_runs(const struct runner *r, unsigned seeds, const char *what)
{
	for (size_t i = 0; i < r->nruns; i += seeds) {
		const struct runner_run *run = &r->runs[i];
		struct cli_sets st = {run->sets, run->nsets};
		struct topo *t = cli_load(r->topology, &st);
		if (!t) {
			fprintf(stderr, "mriovsim: %s: the combination above is invalid:", what);
			for (size_t k = 0; k < run->nsets; k++)
				fprintf(stderr, " --set %s", run->sets[k]);
			fprintf(stderr, "\n");
			return EXIT_USAGE;
		}
		topo_destroy(t);
	}
	return 0;
}

struct study_args {
	struct sweep_vary *vary;
	size_t nvary;
	unsigned seeds, jobs;
	const char *out, *topology;
	bool emit;
};

static int parse_sweep(int argc, char **argv, struct study_args *a)
{
	static const struct option opts[] = {
		{"vary", required_argument, NULL, 'v'},   {"seeds", required_argument, NULL, 's'},
		{"jobs", required_argument, NULL, 'j'},   {"out", required_argument, NULL, 'o'},
		{"emit-jobs", no_argument, NULL, 'e'},    {NULL, 0, NULL, 0}};
	uint64_t n;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'v') {
			struct sweep_vary *nv = realloc(a->vary, (a->nvary + 1) * sizeof(*nv));
			if (!nv)
				return EXIT_SIM_FAILED;
			a->vary = nv;
			if (parse_vary(optarg, &a->vary[a->nvary++]))
				return cli_usage_error("sweep: --vary wants PATH=V1,V2,..., got '%s'",
						       optarg);
		} else if (c == 's' || c == 'j') {
			if (units_parse_uint(optarg, 100000, &n) || n == 0)
				return cli_usage_error(c == 's' ? "sweep: --seeds wants a number from 1, got '%s'"
								: "sweep: --jobs wants a number from 1, got '%s'",
						       optarg);
			*(c == 's' ? &a->seeds : &a->jobs) = (unsigned)n;
		} else if (c == 'o') {
			a->out = optarg;
		} else if (c == 'e') {
			a->emit = true;
		} else {
			return cli_usage_error("sweep: unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		a->topology = argv[optind++];
	if (optind < argc)
		return cli_usage_error("sweep: unexpected argument '%s'", argv[optind]);
	if (!a->nvary && a->seeds < 2)
		return cli_usage_error("%s", "sweep: give at least one --vary PATH=V1,V2,..., or "
					     "--seeds N (N > 1) for a replication study");
	return 0;
}

/* Absolute paths for the program, the topology and DIR, so that emitted commands run
 * from anywhere. */
struct study_paths {
	char exe[4096], topology[4096], out[4096];
};

static int resolve(struct study_paths *p, struct runner *r, const char *topology,
		   const char *out, const char *name, const char *suffix)
{
	int err;
	ssize_t len = readlink("/proc/self/exe", p->exe, sizeof(p->exe) - 1);

	p->exe[len > 0 ? len : 0] = '\0';
	r->exe = p->exe;
	r->topology = topology && realpath(topology, p->topology) ? p->topology : topology;
	if (out)
		snprintf(p->out, sizeof(p->out), "%s", out);
	else
		snprintf(p->out, sizeof(p->out), "results/%s-%s", name, suffix);
	if ((err = cli_make_dirs(p->out))) {
		fprintf(stderr, "mriovsim: cannot create %s: %s\n", p->out, strerror(-err));
		return EXIT_SIM_FAILED;
	}
	char abs[4096];
	if (realpath(p->out, abs))
		snprintf(p->out, sizeof(p->out), "%s", abs);
	r->out = p->out;
	return 0;
}

/* The runner's outcome as an exit status, with a message for the user. */
static int study_status(int err, const struct runner *r, const char *what)
{
	if (err == -EINTR) {
		fprintf(stderr, "mriovsim: %s interrupted; complete runs are kept and will be "
				"reused\n", what);
		return EXIT_INTERRUPTED;
	}
	if (err == -EEXIST) {
		fprintf(stderr, "mriovsim: %s holds another study (other values, seeds or options); "
				"choose another --out\n", r->out);
		return EXIT_USAGE;
	}
	if (err) {
		fprintf(stderr, "mriovsim: %s failed: %s\n", what, strerror(-err));
		return EXIT_SIM_FAILED;
	}
	return r->failed ? EXIT_SIM_FAILED : 0;
}

static int emit(struct runner *r, const char *params, int (*fill)(void *, FILE *))
{
	int err = runner_prepare(r, params, fill, r);

	if (!err)
		err = runner_emit(r, stdout);
	return study_status(err, r, "job list");
}

static int sweep_params(void *arg, FILE *f)
{
	return runner_describe(arg, f);
}

int cli_sweep(int argc, char **argv, int sg_argc, char **sg_argv)
{
	struct study_args a = {.seeds = 1};
	struct study_ui ui = {"sweep", isatty(STDERR_FILENO)};
	struct runner r = {.passthrough = sg_argv + 1, .npassthrough = sg_argc - 1,
			   .stop = &stop, .ops = {&ui, on_progress, on_failed}};
	struct sweep_opts o = {0};
	struct sweep s = {&o, &r, NULL, false};
	struct cli_sets none = {NULL, 0};
	struct study_paths paths;
	struct topo *t = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	a.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	if ((rc = parse_sweep(argc, argv, &a)))
		goto out;
	if (!(t = cli_load(a.topology, &none))) {
		rc = EXIT_USAGE;
		goto out;
	}
	o = (struct sweep_opts){t->name, t->run.seed, a.vary, a.nvary, a.seeds, true};
	r.jobs = a.jobs;
	if ((rc = resolve(&paths, &r, a.topology, a.out, t->name, "sweep")))
		goto out;
	if (sweep_plan(&s)) {
		rc = EXIT_SIM_FAILED;
		goto out;
	}
	if ((rc = check_runs(&r, a.seeds, "sweep")))
		goto out;
	if (a.emit) {
		rc = emit(&r, "sweep.params", sweep_params);
		goto out;
	}
	catch_signals();
	int err = sweep_execute(&s);
	if (ui.progress && err != -EEXIST)
		fprintf(stderr, "\n");
	rc = study_status(err, &r, "sweep");
	if (rc == 0 || rc == EXIT_SIM_FAILED) {
		if (!s.plotted)
			fprintf(stderr, "mriovsim: sweep: no sweep.svg (is gnuplot installed? see "
					"%s/gnuplot.log)\n", r.out);
		printf("sweep: %zu runs in %s/runs, results in %s/sweep.csv\n", r.nruns, r.out,
		       r.out);
	}
out:
	sweep_free(&s);
	runner_clear(&r);
	topo_destroy(t);
	for (size_t k = 0; k < a.nvary; k++)
		free(a.vary[k].values);
	free(a.vary);
	return rc;
}

/* ---- capacity ---- */

struct capacity_args {
	const char *topology, *out;
	struct cli_sets sets;
	struct slo *slos;
	size_t nslos;
	char *scale_list;
	double max, precision;
	unsigned seeds, jobs;
};

/* --slo TEXT, the n-th: parsed, or a `command line:N:COL` diagnostic and EXIT_USAGE. */
static int add_slo(struct capacity_args *a, const char *text)
{
	struct slo *v = realloc(a->slos, (a->nslos + 1) * sizeof(*v));
	char why[256];
	int col;

	if (!v)
		return EXIT_SIM_FAILED;
	a->slos = v;
	if (slo_parse(text, &a->slos[a->nslos], &col, why, sizeof(why))) {
		fprintf(stderr, "command line:%zu:%d: error: --slo '%s': %s\n", a->nslos + 1, col,
			text, why);
		return EXIT_USAGE;
	}
	a->nslos++;
	return 0;
}

static int parse_positive(const char *what, const char *arg, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v > lo) || v > hi) {
		fprintf(stderr, "mriovsim: capacity: %s wants a number above %g and at most %g, got "
				"'%s'\nTry 'mriovsim --help'.\n", what, lo, hi, arg);
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static int parse_capacity(int argc, char **argv, struct capacity_args *a)
{
	static const struct option opts[] = {
		{"slo", required_argument, NULL, 'l'},       {"workloads", required_argument, NULL, 'w'},
		{"max", required_argument, NULL, 'm'},       {"precision", required_argument, NULL, 'p'},
		{"seeds", required_argument, NULL, 's'},     {"jobs", required_argument, NULL, 'j'},
		{"out", required_argument, NULL, 'o'},       {"set", required_argument, NULL, 'S'},
		{NULL, 0, NULL, 0}};
	uint64_t n;
	int c, rc = 0;

	optind = 1;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': rc = add_slo(a, optarg); break;
		case 'w': a->scale_list = optarg; break;
		case 'm': rc = parse_positive("--max", optarg, 0, 1e6, &a->max); break;
		case 'p': rc = parse_positive("--precision", optarg, 0, 1, &a->precision); break;
		case 'o': a->out = optarg; break;
		case 'S': rc = cli_sets_add(&a->sets, optarg) ? EXIT_SIM_FAILED : 0; break;
		case 's':
		case 'j':
			if (units_parse_uint(optarg, 100000, &n) || n == 0)
				return cli_usage_error(c == 's' ? "capacity: --seeds wants a number from 1, got '%s'"
								: "capacity: --jobs wants a number from 1, got '%s'",
						       optarg);
			*(c == 's' ? &a->seeds : &a->jobs) = (unsigned)n;
			break;
		default:
			return cli_usage_error("capacity: unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (rc)
		return rc;
	if (optind < argc)
		a->topology = argv[optind++];
	if (optind < argc)
		return cli_usage_error("capacity: unexpected argument '%s'", argv[optind]);
	if (!a->nslos)
		return cli_usage_error("%s", "capacity: give at least one --slo, e.g. "
					     "--slo 'p99<50us' --slo 'throughput>=99%'");
	return 0;
}

static void print_value(const struct slo *s, double v)
{
	if (s->percent)
		printf("%.2f %%", 100 * v);
	else if (s->metric == SLO_THROUGHPUT)
		printf("%.3f Gb/s", v);
	else
		printf("%.1f ns", v);
}

static void print_capacity(const struct capacity *c)
{
	const struct capacity_probe *b = c->binding;

	if (c->answer >= c->o->max) {
		printf("capacity: %g (every SLO holds at --max %g: the answer may be larger)\n",
		       c->answer, c->o->max);
		return;
	}
	printf("capacity: %.4g\n  bound by %s on %s: ", c->answer, c->o->slos[b->bind].text,
	       b->host);
	print_value(&c->o->slos[b->bind], b->value);
	printf(" at factor %.4g (worst of %u seeds); the rates of the file fit %.4g times\n",
	       b->factor, c->o->seeds, c->answer);
}

static int capacity_params(struct capacity_args *a, struct capacity_opts *o, struct topo *t,
			   char **scale, size_t *nscale)
{
	char why[512], *save = NULL;

	*nscale = 0;
	for (char *w = a->scale_list ? strtok_r(a->scale_list, ",", &save) : NULL; w && *nscale < 4096;
	     w = strtok_r(NULL, ",", &save))
		scale[(*nscale)++] = w;
	*o = (struct capacity_opts){t, a->slos, a->nslos, *nscale ? scale : NULL, *nscale,
				    a->sets.v, a->sets.n, a->max, a->precision, a->seeds, true};
	if (capacity_check(o, why, sizeof(why))) {
		fprintf(stderr, "mriovsim: capacity: %s\n", why);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_capacity(int argc, char **argv, int sg_argc, char **sg_argv)
{
	struct capacity_args a = {.max = 16, .precision = 0.01, .seeds = 3};
	struct study_ui ui = {"capacity", isatty(STDERR_FILENO)};
	struct runner r = {.passthrough = sg_argv + 1, .npassthrough = sg_argc - 1,
			   .stop = &stop, .ops = {&ui, on_progress, on_failed}};
	struct capacity_opts o;
	struct capacity c = {.o = &o, .r = &r};
	struct study_paths paths;
	static char *scale[4096];
	size_t nscale;
	struct topo *t = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	a.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	if ((rc = parse_capacity(argc, argv, &a)) || !(t = cli_load(a.topology, &a.sets))) {
		rc = rc ? rc : EXIT_USAGE;
		goto out;
	}
	if ((rc = capacity_params(&a, &o, t, scale, &nscale)))
		goto out;
	r.jobs = a.jobs;
	if ((rc = resolve(&paths, &r, a.topology, a.out, t->name, "capacity")))
		goto out;
	catch_signals();
	int err = capacity_execute(&c);
	if (ui.progress)
		fprintf(stderr, "\n");
	rc = study_status(err, &r, "capacity");
	if (err == -EIO)
		rc = EXIT_SIM_FAILED;
	if (rc)
		goto out;
	if (c.answer == 0) {
		const struct capacity_probe *b = c.binding;
		fprintf(stderr, "mriovsim: capacity: the SLOs fail even at factor %g: %s on %s\n",
			CAPACITY_MIN, o.slos[b->bind].text, b->host);
		rc = EXIT_SIM_FAILED;
	} else {
		print_capacity(&c);
	}
	if (c.thin)
		printf("note: up to %zu open-loop workloads completed fewer than %d DMAs in a probe: "
		       "their throughput could not show a shortfall there; a longer run.duration "
		       "(--set run.duration=...) judges them too\n", c.thin, SLO_MIN_DMAS);
	printf("probes in %s/capacity.csv%s\n", r.out, c.plotted ? ", plot capacity.svg" : "");
out:
	capacity_free(&c);
	runner_clear(&r);
	topo_destroy(t);
	free(a.slos);
	free(a.sets.v);
	return rc;
}

/* ---- interference ---- */

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

int cli_interference(int argc, char **argv, int sg_argc, char **sg_argv)
{
	static const struct option opts[] = {
		{"by", required_argument, NULL, 'b'},  {"jobs", required_argument, NULL, 'j'},
		{"out", required_argument, NULL, 'o'}, {"set", required_argument, NULL, 'S'},
		{"emit-jobs", no_argument, NULL, 'e'}, {NULL, 0, NULL, 0}};
	struct study_ui ui = {"interference", isatty(STDERR_FILENO)};
	bool emit_jobs = false;
	struct runner r = {.passthrough = sg_argv + 1, .npassthrough = sg_argc - 1,
			   .stop = &stop, .ops = {&ui, on_progress, on_failed}};
	struct interference_opts o = {0};
	struct interference s = {.o = &o, .r = &r};
	struct cli_sets sets = {NULL, 0};
	struct study_paths paths;
	const char *topology = NULL, *out = NULL;
	struct topo *t = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t n;
	int c, rc = 0;

	r.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	optind = 1;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'b' && (!strcmp(optarg, "host") || !strcmp(optarg, "workload")))
			o.by_workload = !strcmp(optarg, "workload");
		else if (c == 'b')
			rc = cli_usage_error("interference: --by wants host or workload, got '%s'", optarg);
		else if (c == 'j' && !units_parse_uint(optarg, 100000, &n) && n > 0)
			r.jobs = (unsigned)n;
		else if (c == 'j')
			rc = cli_usage_error("interference: --jobs wants a number from 1, got '%s'", optarg);
		else if (c == 'o')
			out = optarg;
		else if (c == 'S')
			rc = cli_sets_add(&sets, optarg) ? EXIT_SIM_FAILED : 0;
		else if (c == 'e')
			emit_jobs = true;
		else
			rc = cli_usage_error("interference: unknown or incomplete option '%s'",
					     argv[optind - 1]);
	}
	if (rc)
		goto out;
	if (optind < argc)
		topology = argv[optind++];
	if (optind < argc) {
		rc = cli_usage_error("interference: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!(t = cli_load(topology, &sets))) {
		rc = EXIT_USAGE;
		goto out;
	}
	o = (struct interference_opts){t, o.by_workload, sets.v, sets.n, true};
	if ((rc = resolve(&paths, &r, topology, out, t->name, "interference")))
		goto out;
	int err = interference_plan(&s);
	if (err == -EINVAL) {
		fprintf(stderr, "mriovsim: interference: %s has fewer than two %s with traffic: "
				"nothing can disturb anything\n", t->name,
			o.by_workload ? "workloads" : "hosts");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!err && emit_jobs) {
		rc = emit(&r, "interference.params", sweep_params);
		goto out;
	}
	catch_signals();
	if (!err)
		err = interference_execute(&s);
	if (ui.progress)
		fprintf(stderr, "\n");
	rc = study_status(err, &r, "interference");
	if (err == -EIO)
		rc = EXIT_SIM_FAILED;
	if (!rc) {
		print_interference(&s);
		printf("results in %s/interference.csv and interference_matrix.csv%s\n", r.out,
		       s.plotted ? ", heat map interference.svg" : "");
	}
out:
	interference_free(&s);
	runner_clear(&r);
	topo_destroy(t);
	free(sets.v);
	return rc;
}
