/* cli_capacity.c - `mriovsim capacity` (contract §9): options, SLOs, the answer. */
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
#include "capacity.h"
#include "slo.h"
#include "units.h"

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
			   .stop = &study_stop, .ops = {&ui, study_on_progress, study_on_failed}};
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
	if ((rc = study_resolve(&paths, &r, a.topology, a.out, t->name, "capacity")))
		goto out;
	study_catch_signals();
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

