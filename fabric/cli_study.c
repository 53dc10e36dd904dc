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

#include "cli.h"
#include "cli_study.h"
#include "sweep.h"
#include "units.h"

volatile sig_atomic_t study_stop;

static void on_signal(int sig)
{
	(void)sig;
	study_stop = 1;
}

void study_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}


void study_on_progress(void *arg, size_t done, size_t total, size_t reused, size_t failed,
			double eta)
{
	const struct study_ui *ui = arg;

	if (ui->progress)
		fprintf(stderr, "\r  %s: %zu/%zu runs done (%zu reused, %zu failed), ETA %.0f s   ",
			ui->what, done, total, reused, failed, eta);
}

void study_on_failed(void *arg, const struct runner_run *r, const char *why)
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


int study_resolve(struct study_paths *p, struct runner *r, const char *topology,
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
int study_status(int err, const struct runner *r, const char *what)
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

int study_emit(struct runner *r, const char *params, int (*fill)(void *, FILE *))
{
	int err = runner_prepare(r, params, fill, r);

	if (!err)
		err = runner_emit(r, stdout);
	return study_status(err, r, "job list");
}

int study_params(void *arg, FILE *f)
{
	return runner_describe(arg, f);
}

int cli_sweep(int argc, char **argv, int sg_argc, char **sg_argv)
{
	struct study_args a = {.seeds = 1};
	struct study_ui ui = {"sweep", isatty(STDERR_FILENO)};
	struct runner r = {.passthrough = sg_argv + 1, .npassthrough = sg_argc - 1,
			   .stop = &study_stop, .ops = {&ui, study_on_progress, study_on_failed}};
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
	if ((rc = study_resolve(&paths, &r, a.topology, a.out, t->name, "sweep")))
		goto out;
	if (sweep_plan(&s)) {
		rc = EXIT_SIM_FAILED;
		goto out;
	}
	if ((rc = check_runs(&r, a.seeds, "sweep")))
		goto out;
	if (a.emit) {
		rc = study_emit(&r, "sweep.params", study_params);
		goto out;
	}
	study_catch_signals();
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

