/* interference.c - the interference study: alone, pairs and all, on the runner. */
#include "interference.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wholefile.h"
#include "csvread.h"
#include "report.h"

const char *interference_name(const struct interference *s, size_t i)
{
	const struct topo *t = s->o->t;
	int k = s->subject[i];
	return s->o->by_workload ? t->workloads[k].name : t->hosts[k].name;
}

/* The workloads of subject i, appended to buf as "a,b,c". */
static void workloads_of(const struct interference *s, size_t i, char *buf, size_t len)
{
	const struct topo *t = s->o->t;
	size_t used = strlen(buf);

	for (size_t w = 0; w < t->nworkloads; w++) {
		bool mine = s->o->by_workload ? (int)w == s->subject[i]
					      : t->workloads[w].host.idx == s->subject[i];
		if (mine && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
						 t->workloads[w].name);
	}
}

static int add_run(struct interference *s, const char *name, long i, long j)
{
	const struct interference_opts *o = s->o;
	struct runner_run *run = runner_add(s->r, name, o->t->run.seed);
	char only[65536] = "";

	if (!run)
		return -ENOMEM;
	for (size_t k = 0; k < o->nsets; k++) {
		char *eq = strchr(o->sets[k], '=');
		if (!eq)
			continue;
		*eq = '\0';
		int err = runner_run_set(run, o->sets[k], eq + 1);
		*eq = '=';
		if (err)
			return err;
	}
	if (i < 0) /* all of them: the chassis as it is */
		return 0;
	workloads_of(s, (size_t)i, only, sizeof(only));
	if (j >= 0)
		workloads_of(s, (size_t)j, only, sizeof(only));
	return runner_run_arg(run, "--only-workloads", only);
}

int interference_plan(struct interference *s)
{
	const struct topo *t = s->o->t;
	size_t cand = s->o->by_workload ? t->nworkloads : t->nhosts;
	char name[64];
	int err;

	s->subject = calloc(cand + 1, sizeof(*s->subject));
	if (!s->subject)
		return -ENOMEM;
	for (size_t k = 0; k < cand; k++) {
		bool has = s->o->by_workload;
		for (size_t w = 0; w < t->nworkloads && !has; w++)
			has = t->workloads[w].host.idx == (int)k;
		if (has)
			s->subject[s->n++] = (int)k;
	}
	if (s->n < 2)
		return -EINVAL;
	for (size_t i = 0; i < s->n; i++) {
		snprintf(name, sizeof(name), "alone-%zu", i);
		if ((err = add_run(s, name, (long)i, -1)))
			return err;
	}
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = i + 1; j < s->n; j++) {
			snprintf(name, sizeof(name), "pair-%zu-%zu", i, j);
			if ((err = add_run(s, name, (long)i, (long)j)))
				return err;
		}
	return add_run(s, "all", -1, -1);
}

void interference_free(struct interference *s)
{
	free(s->subject);
	free(s->alone);
	free(s->all);
	free(s->pair);
	s->subject = NULL;
	s->alone = s->all = s->pair = NULL;
}

/* ---- collecting ---- */

static double num(const struct csv *c, size_t row, const char *col)
{
	const char *v = csv_get(c, row, csv_col(c, col));
	return *v ? atof(v) : NAN;
}

/* Subject i's figures in the run named name. */
static int cell_of(struct interference *s, const char *name, size_t i,
		   struct interference_cell *out)
{
	const struct runner_run *run = runner_find(s->r, name);
	const char *file = s->o->by_workload ? "workloads.csv" : "hosts.csv";
	char p[4300];
	struct csv c;
	int err;

	if (!run || run->status != 0)
		return -EIO;
	snprintf(p, sizeof(p), "%s/%s", run->dir, file);
	if ((err = csv_read(p, &c)))
		return err;
	err = -EIO;
	for (size_t r = 1; r < c.nrows; r++)
		if (!strcmp(csv_get(&c, r, 0), interference_name(s, i))) {
			*out = (struct interference_cell){num(&c, r, "throughput_gbps"),
							 num(&c, r, "throughput_ci95"),
							 num(&c, r, "lat_p50_ns"),
							 num(&c, r, "lat_p99_ns")};
			err = 0;
		}
	csv_free(&c);
	return err;
}

static int collect(struct interference *s)
{
	size_t n = s->n;
	char name[64];
	int err = 0;

	s->alone = calloc(n, sizeof(*s->alone));
	s->all = calloc(n, sizeof(*s->all));
	s->pair = calloc(n * n, sizeof(*s->pair));
	if (!s->alone || !s->all || !s->pair)
		return -ENOMEM;
	for (size_t i = 0; i < n && !err; i++) {
		snprintf(name, sizeof(name), "alone-%zu", i);
		if (!(err = cell_of(s, name, i, &s->alone[i])))
			err = cell_of(s, "all", i, &s->all[i]);
		for (size_t j = 0; j < n && !err; j++) {
			if (j == i)
				continue;
			snprintf(name, sizeof(name), "pair-%zu-%zu", i < j ? i : j, i < j ? j : i);
			err = cell_of(s, name, i, &s->pair[i * n + j]);
		}
	}
	return err;
}

static const struct interference_cell *with(const struct interference *s, size_t i, size_t j)
{
	return j == i ? &s->all[i] : &s->pair[i * s->n + j];
}

double interference_slowdown(const struct interference *s, size_t i, size_t j)
{
	double w = with(s, i, j)->gbps;
	return w > 0 ? s->alone[i].gbps / w : NAN;
}

double interference_lat_slowdown(const struct interference *s, size_t i, size_t j)
{
	double a = s->alone[i].p99_ns;
	return a > 0 ? with(s, i, j)->p99_ns / a : NAN;
}

/* Is subject i's throughput with j lower than alone by more than the two intervals? */
static bool significant(const struct interference *s, size_t i, size_t j)
{
	const struct interference_cell *a = &s->alone[i], *w = with(s, i, j);
	double ca = isnan(a->gbps_ci95) ? 0 : a->gbps_ci95, cw = isnan(w->gbps_ci95) ? 0 : w->gbps_ci95;
	return a->gbps - w->gbps > ca + cw;
}

static void find_worst(struct interference *s)
{
	double best = 0, lbest = -1, abest = 0, albest = -1;

	s->worst_i = s->worst_j = s->lat_i = s->lat_j = INTERFERENCE_NONE;
	s->all_i = s->all_lat_i = INTERFERENCE_NONE;
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->n; j++) {
			double d = interference_slowdown(s, i, j), l = interference_lat_slowdown(s, i, j);
			if (i == j) {
				if (!isnan(d) && d > abest && significant(s, i, i)) {
					abest = d;
					s->all_i = i;
				}
				if (!isnan(l) && l > albest) {
					albest = l;
					s->all_lat_i = i;
				}
				continue;
			}
			if (!isnan(d) && d > best && significant(s, i, j)) {
				best = d;
				s->worst_i = i;
				s->worst_j = j;
			}
			if (!isnan(l) && l > lbest) {
				lbest = l;
				s->lat_i = i;
				s->lat_j = j;
			}
		}
}

static void val(FILE *f, const char *fmt, double v)
{
	fputc(',', f);
	if (!isnan(v))
		fprintf(f, fmt, v);
}

/* interference.csv: per subject, alone against all together. */
static int write_summary(void *arg, FILE *f)
{
	const struct interference *s = arg;

	/* with_p99_ns (the p99 with all the others, = all_p99_ns) as contract §9 names it */
	fprintf(f, "%s,alone_gbps,all_gbps,slowdown,alone_p99_ns,all_p99_ns,lat_slowdown,"
		   "alone_p50_ns,all_p50_ns,with_p99_ns\n", s->o->by_workload ? "workload" : "host");
	for (size_t i = 0; i < s->n; i++) {
		fputs(interference_name(s, i), f);
		val(f, "%.4f", s->alone[i].gbps);
		val(f, "%.4f", s->all[i].gbps);
		val(f, "%.4f", interference_slowdown(s, i, i));
		val(f, "%.2f", s->alone[i].p99_ns);
		val(f, "%.2f", s->all[i].p99_ns);
		val(f, "%.4f", interference_lat_slowdown(s, i, i));
		val(f, "%.2f", s->alone[i].p50_ns);
		val(f, "%.2f", s->all[i].p50_ns);
		val(f, "%.2f", s->all[i].p99_ns);
		fputc('\n', f);
	}
	return 0;
}

/* interference_matrix.csv: per (subject, other), the subject alone against the two. */
static int write_matrix(void *arg, FILE *f)
{
	const struct interference *s = arg;

	fprintf(f, "%s,with,slowdown,alone_gbps,with_gbps,alone_p99_ns,with_p99_ns,lat_slowdown\n",
		s->o->by_workload ? "workload" : "host");
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->n; j++) {
			if (i == j)
				continue;
			fprintf(f, "%s,%s", interference_name(s, i), interference_name(s, j));
			val(f, "%.4f", interference_slowdown(s, i, j));
			val(f, "%.4f", s->alone[i].gbps);
			val(f, "%.4f", with(s, i, j)->gbps);
			val(f, "%.2f", s->alone[i].p99_ns);
			val(f, "%.2f", with(s, i, j)->p99_ns);
			val(f, "%.4f", interference_lat_slowdown(s, i, j));
			fputc('\n', f);
		}
	return 0;
}

/* interference.gp: a heat map of the throughput slowdown, rows the subject, columns the
 * other one, each cell labelled; the diagonal is the subject with all the others. */
static int write_plot(void *arg, FILE *f)
{
	const struct interference *s = arg;
	size_t n = s->n;

	fprintf(f, "set terminal svg size %zu,%zu dynamic enhanced font 'sans,11' background "
		   "'#ffffff'\nset output 'interference.svg.tmp'\n"
		   "set title \"%s: throughput slowdown (alone ÷ with the other; diagonal: with "
		   "all)\"\nset xlabel 'running with' offset 0,-1\nset ylabel '%s' offset -1,0\n"
		   "set palette defined (1 '#ffffff', 1.5 '#f5c26b', 2 '#e67e22', 4 '#c0392b')\n"
		   "set cbrange [1:*]\nset cblabel 'slowdown'\nset xrange [-0.5:%zu.5]\n"
		   "set yrange [%zu.5:-0.5]\nset xtics rotate by 45 right\nset bmargin 7\nset tics "
		   "scale 0\n",
		n * 70 + 300, n * 45 + 200, s->o->t->name, s->o->by_workload ? "workload" : "host",
		n - 1, n - 1);
	fprintf(f, "set xtics (");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\"%s\" %zu", i ? ", " : "", interference_name(s, i), i);
	fprintf(f, ")\nset ytics (");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\"%s\" %zu", i ? ", " : "", interference_name(s, i), i);
	fprintf(f, ")\n$m << EOD\n");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double d = interference_slowdown(s, i, j);
			fprintf(f, "%zu %zu %.4f\n", j, i, isnan(d) ? 1.0 : d);
		}
	fprintf(f, "EOD\nplot $m using 1:2:3 with image notitle, $m using 1:2:(sprintf('%%.2f', "
		   "$3)) with labels font ',9' notitle\nset output\n");
	return 0;
}

static bool draw(struct interference *s)
{
	return report_plot(s->r->out, "interference", write_plot, s) == 0;
}

static int write_params(void *arg, FILE *f)
{
	return runner_describe(arg, f);
}

int interference_execute(struct interference *s)
{
	char p[4300];
	int err = runner_prepare(s->r, "interference.params", write_params, s->r);

	if (err || (err = runner_execute(s->r)))
		return err;
	if (s->r->failed)
		return -EIO;
	if ((err = collect(s)))
		return err;
	find_worst(s);
	snprintf(p, sizeof(p), "%s/interference_matrix.csv", s->r->out);
	if ((err = wholefile_write(p, write_matrix, s)))
		return err;
	snprintf(p, sizeof(p), "%s/interference.csv", s->r->out);
	if ((err = wholefile_write(p, write_summary, s)))
		return err;
	if (s->o->plot)
		s->plotted = draw(s);
	return 0;
}
