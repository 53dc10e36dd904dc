/* sweep.c - the what-if study: varied values times seeds, on the runner. */
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wholefile.h"
#include "csvread.h"
#include "report.h"
#include "stats.h"

int sweep_plan(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	size_t n = o->seeds, combos = 1;
	char name[32];

	for (size_t k = 0; k < o->nvary; k++)
		combos *= o->vary[k].nvalues;
	n *= combos;
	s->vi = calloc(n * o->nvary + 1, sizeof(*s->vi));
	if (!s->vi)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t rest = i / o->seeds;
		snprintf(name, sizeof(name), "%zu", i);
		struct runner_run *run = runner_add(s->r, name, o->seed + i % o->seeds);
		if (!run)
			return -ENOMEM;
		/* the first PATH varies slowest, seeds fastest */
		for (size_t k = o->nvary; k-- > 0;) {
			s->vi[i * o->nvary + k] = rest % o->vary[k].nvalues;
			rest /= o->vary[k].nvalues;
		}
		for (size_t k = 0; k < o->nvary; k++)
			if (runner_run_set(run, o->vary[k].path,
					   o->vary[k].values[s->vi[i * o->nvary + k]]))
				return -ENOMEM;
	}
	return 0;
}

void sweep_free(struct sweep *s)
{
	free(s->vi);
	s->vi = NULL;
}

static const char *value(const struct sweep *s, size_t run, size_t k)
{
	return s->o->vary[k].values[s->vi[run * s->o->nvary + k]];
}

/* A CSV field: quoted when it holds a comma, a quote or a newline (RFC 4180). */
static void csv_field(FILE *f, const char *v)
{
	if (!strpbrk(v, ",\"\n")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

/* The tables of every run, read once. */
struct tables {
	const struct sweep *s;
	struct csv *hosts, *wls;
	bool *ok;
};

static void tables_free(struct tables *tb)
{
	for (size_t i = 0; tb->ok && i < tb->s->r->nruns; i++)
		if (tb->ok[i]) {
			csv_free(&tb->hosts[i]);
			csv_free(&tb->wls[i]);
		}
	free(tb->hosts);
	free(tb->wls);
	free(tb->ok);
}

static int tables_read(struct tables *tb, const struct sweep *s)
{
	size_t n = s->r->nruns;
	char p[4300];

	memset(tb, 0, sizeof(*tb));
	tb->s = s;
	tb->hosts = calloc(n + 1, sizeof(*tb->hosts));
	tb->wls = calloc(n + 1, sizeof(*tb->wls));
	tb->ok = calloc(n + 1, sizeof(*tb->ok));
	if (!tb->hosts || !tb->wls || !tb->ok) {
		tables_free(tb);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct runner_run *run = &s->r->runs[i];
		if (run->status != 0)
			continue;
		snprintf(p, sizeof(p), "%s/hosts.csv", run->dir);
		if (csv_read(p, &tb->hosts[i]))
			continue;
		snprintf(p, sizeof(p), "%s/workloads.csv", run->dir);
		if (csv_read(p, &tb->wls[i])) {
			csv_free(&tb->hosts[i]);
			continue;
		}
		tb->ok[i] = true;
	}
	return 0;
}

static const char *cell(const struct csv *c, size_t row, const char *col)
{
	return csv_get(c, row, csv_col(c, col));
}

static void lead(FILE *f, const struct sweep *s, size_t i)
{
	fprintf(f, "%zu", i);
	for (size_t k = 0; k < s->o->nvary; k++) {
		fputc(',', f);
		csv_field(f, value(s, i, k));
	}
	fprintf(f, ",%llu,", s->r->runs[i].seed);
}

static void header(FILE *f, const struct sweep *s, const char *first)
{
	fputs(first, f);
	for (size_t k = 0; k < s->o->nvary; k++) {
		fputc(',', f);
		csv_field(f, s->o->vary[k].path);
	}
}

/* Has some run a value in column col (hosts: 0, workloads: 1)? The study's tables carry
 * the columns of contract §11 only then: a chassis without host CPUs leaves them empty. */
static bool runs_have(const struct tables *tb, int wls, const char *col)
{
	for (size_t i = 0; i < tb->s->r->nruns; i++) {
		const struct csv *c = wls ? &tb->wls[i] : &tb->hosts[i];
		for (size_t row = 1; tb->ok[i] && row < c->nrows; row++)
			if (*cell(c, row, col))
				return true;
	}
	return false;
}

/* sweep.csv: one row per (run, host); a failed run has one row marked failed. */
static int write_hosts(void *arg, FILE *f)
{
	const struct tables *tb = arg;
	const struct sweep *s = tb->s;
	bool cpu = runs_have(tb, 0, "cpu_utilization");

	header(f, s, "run");
	fprintf(f, ",seed,host,throughput_gbps,lat_mean_ns,lat_p99_ns,throughput_ci95,"
		   "lat_mean_ci95,status%s\n", cpu ? ",cpu_utilization,vswitch_packets" : "");
	for (size_t i = 0; i < s->r->nruns; i++) {
		const struct csv *h = &tb->hosts[i];
		for (size_t row = 1; row < (tb->ok[i] ? h->nrows : 2); row++) {
			lead(f, s, i);
			if (!tb->ok[i]) {
				fprintf(f, ",,,,,,failed%s\n", cpu ? ",," : "");
				continue;
			}
			fprintf(f, "%s,%s,%s,%s,%s,%s,ok", csv_get(h, row, 0),
				cell(h, row, "throughput_gbps"), cell(h, row, "lat_mean_ns"),
				cell(h, row, "lat_p99_ns"), cell(h, row, "throughput_ci95"),
				cell(h, row, "lat_mean_ci95"));
			if (cpu)
				fprintf(f, ",%s,%s", cell(h, row, "cpu_utilization"),
					cell(h, row, "vswitch_packets"));
			fputc('\n', f);
		}
	}
	return 0;
}

/* sweep_workloads.csv: one row per (run, workload), since a host's total mixes devices. */
static int write_workloads(void *arg, FILE *f)
{
	const struct tables *tb = arg;
	const struct sweep *s = tb->s;

	bool path = runs_have(tb, 1, "path");

	header(f, s, "run");
	fprintf(f, ",seed,workload,host,throughput_gbps,throughput_ci95,lat_mean_ns,lat_mean_ci95,"
		   "lat_p99_ns,status%s\n", path ? ",path" : "");
	for (size_t i = 0; i < s->r->nruns; i++) {
		const struct csv *w = &tb->wls[i];
		for (size_t row = 1; row < (tb->ok[i] ? w->nrows : 2); row++) {
			lead(f, s, i);
			if (!tb->ok[i]) {
				fprintf(f, ",,,,,,,failed%s\n", path ? "," : "");
				continue;
			}
			fprintf(f, "%s,%s,%s,%s,%s,%s,%s,ok", csv_get(w, row, 0), cell(w, row, "host"),
				cell(w, row, "throughput_gbps"), cell(w, row, "throughput_ci95"),
				cell(w, row, "lat_mean_ns"), cell(w, row, "lat_mean_ci95"),
				cell(w, row, "lat_p99_ns"));
			if (path)
				fprintf(f, ",%s", cell(w, row, "path"));
			fputc('\n', f);
		}
	}
	return 0;
}

/* Mean and 95 % interval across the seeds of combination c for host row `row` of column
 * col: Student's t over the seeds whose run succeeded. Returns how many did. */
static size_t across(const struct tables *tb, size_t c, size_t row, const char *col, double *mean,
		     double *ci)
{
	unsigned seeds = tb->s->o->seeds;
	double sum = 0, sq = 0;
	size_t n = 0;

	for (size_t k = 0; k < seeds; k++) {
		size_t i = c * seeds + k;
		if (!tb->ok[i] || row >= tb->hosts[i].nrows)
			continue;
		const char *v = cell(&tb->hosts[i], row, col);
		if (!*v)
			continue;
		double x = atof(v);
		sum += x;
		sq += x * x;
		n++;
	}
	*mean = n ? sum / (double)n : NAN;
	double var = n > 1 ? (sq - sum * sum / (double)n) / (double)(n - 1) : NAN;
	*ci = stats_ci95(n, var > 0 ? sqrt(var) : 0);
	return n;
}

/* The first successful run's hosts.csv names the hosts (every run has the same ones). */
static const struct csv *some_hosts(const struct tables *tb)
{
	for (size_t i = 0; i < tb->s->r->nruns; i++)
		if (tb->ok[i])
			return &tb->hosts[i];
	return NULL;
}

/* sweep_summary.csv (several seeds): per (combination, host), means over seeds with a 95 %
 * interval across them. */
static int write_summary(void *arg, FILE *f)
{
	const struct tables *tb = arg;
	const struct sweep *s = tb->s;
	const struct csv *names = some_hosts(tb);
	size_t combos = s->r->nruns / s->o->seeds;

	header(f, s, "combination");
	fprintf(f, ",host,seeds,throughput_gbps,throughput_ci95,lat_mean_ns,lat_mean_ci95,"
		   "lat_p99_ns\n");
	for (size_t c = 0; c < combos && names; c++)
		for (size_t row = 1; row < names->nrows; row++) {
			double tm, tc, lm, lc, pm, pc;
			size_t n = across(tb, c, row, "throughput_gbps", &tm, &tc);
			across(tb, c, row, "lat_mean_ns", &lm, &lc);
			across(tb, c, row, "lat_p99_ns", &pm, &pc);
			fprintf(f, "%zu", c);
			for (size_t k = 0; k < s->o->nvary; k++) {
				fputc(',', f);
				csv_field(f, value(s, c * s->o->seeds, k));
			}
			fprintf(f, ",%s,%zu,", csv_get(names, row, 0), n);
			fprintf(f, isnan(tm) ? "," : "%.4f,", tm);
			fprintf(f, isnan(tc) ? "," : "%.4f,", tc);
			fprintf(f, isnan(lm) ? "," : "%.2f,", lm);
			fprintf(f, isnan(lc) ? "," : "%.2f,", lc);
			fprintf(f, isnan(pm) ? "\n" : "%.2f\n", pm);
		}
	return 0;
}

/* Mean and error bar of host row `row` over the runs whose first PATH has value x and
 * second value v2 (when there is a second): the run's own 95 % interval when one run
 * matches, the 95 % interval across runs (seeds) when several do. Returns the count. */
static size_t point(const struct tables *tb, size_t x, size_t v2, size_t row, double *mean,
		    double *err)
{
	const struct sweep *s = tb->s;
	size_t nv = s->o->nvary, n = 0, last = 0;
	double sum = 0, sq = 0;

	for (size_t i = 0; i < s->r->nruns; i++) {
		if (!tb->ok[i] || row >= tb->hosts[i].nrows)
			continue;
		if (nv && s->vi[i * nv] != x)
			continue;
		if (nv > 1 && s->vi[i * nv + 1] != v2)
			continue;
		double v = atof(cell(&tb->hosts[i], row, "throughput_gbps"));
		sum += v;
		sq += v * v;
		last = i;
		n++;
	}
	*mean = n ? sum / (double)n : NAN;
	if (n == 1) {
		const char *c = cell(&tb->hosts[last], row, "throughput_ci95");
		*err = *c ? atof(c) : 0;
	} else {
		double var = n > 1 ? (sq - sum * sum / (double)n) / (double)(n - 1) : 0;
		*err = stats_ci95(n, var > 0 ? sqrt(var) : 0);
	}
	if (isnan(*err))
		*err = 0;
	return n;
}

static void plot_head(FILE *f, const struct sweep *s)
{
	const struct sweep_opts *o = s->o;

	fprintf(f, "set datafile separator ','\nset terminal svg size 1100,600 dynamic enhanced "
		   "font 'sans,12' background '#ffffff'\nset output 'sweep.svg.tmp'\n"
		   "set title '%s: throughput per host%s'\n"
		   "set ylabel 'throughput (Gb/s, payload)' offset 1,0\n"
		   "set xlabel '%s' offset 0,-0.5\nset grid\n"
		   "set key outside right top vertical font ',9' spacing 1.1\n"
		   "set yrange [0:*]\nset offsets 0.25, 0.25, 0, 0\nset bmargin 5\n",
		o->name,
		o->seeds > 1 ? ", mean over seeds with 95% intervals across them"
			     : ", with the 95% interval of each run",
		o->nvary ? o->vary[0].path : "host");
}

/* sweep.gp: throughput per host against the first varied PATH, one line per host and per
 * value of the second PATH (one legend entry per combination); error bars as in point().
 * Without a varied PATH (a replication study): one bar per host. */
static int write_plot(void *arg, FILE *f)
{
	const struct tables *tb = arg;
	const struct sweep *s = tb->s;
	const struct sweep_opts *o = s->o;
	const struct csv *names = some_hosts(tb);
	size_t nx = o->nvary ? o->vary[0].nvalues : 1, n2 = o->nvary > 1 ? o->vary[1].nvalues : 1;
	const char *sep = "";

	if (!names)
		return -ENOENT;
	plot_head(f, s);
	fprintf(f, "set xtics (");
	for (size_t x = 0; x < (o->nvary ? nx : names->nrows - 1); x++)
		fprintf(f, "%s\"%s\" %zu", x ? ", " : "",
			o->nvary ? o->vary[0].values[x] : csv_get(names, x + 1, 0), x);
	fprintf(f, ")\n");
	if (!o->nvary) {
		fprintf(f, "$d << EOD\n");
		for (size_t row = 1; row < names->nrows; row++) {
			double m, e;
			if (point(tb, 0, 0, row, &m, &e))
				fprintf(f, "%zu,%.6f,%.6f\n", row - 1, m, e);
		}
		fprintf(f, "EOD\nset style fill solid 0.8 border -1\nset boxwidth 0.6\n"
			   "plot $d using 1:2 with boxes lc rgb '#3b75af' title 'mean over %u "
			   "seeds', '' using 1:2:3 with yerrorbars lc rgb '#222222' pt 0 lw 1.5 "
			   "title '95%% interval'\nset output\n", o->seeds);
		return 0;
	}
	for (size_t row = 1; row < names->nrows; row++)
		for (size_t v2 = 0; v2 < n2; v2++) {
			fprintf(f, "$d%zu_%zu << EOD\n", row, v2);
			for (size_t x = 0; x < nx; x++) {
				double m, e;
				if (point(tb, x, v2, row, &m, &e))
					fprintf(f, "%zu,%.6f,%.6f\n", x, m, e);
			}
			fprintf(f, "EOD\n");
		}
	fprintf(f, "plot ");
	for (size_t row = 1; row < names->nrows; row++)
		for (size_t v2 = 0; v2 < n2; v2++, sep = ", ") {
			fprintf(f, "%s$d%zu_%zu using 1:2:3 with yerrorlines lw 2 pt 7 title '%s", sep,
				row, v2, csv_get(names, row, 0));
			if (o->nvary > 1)
				fprintf(f, ", %s=%s", o->vary[1].path, o->vary[1].values[v2]);
			fprintf(f, "'");
		}
	fprintf(f, "\nset output\n");
	return 0;
}

/* Draw sweep.svg; 0 when it was drawn. */
static int draw(const struct tables *tb)
{
	return report_plot(tb->s->r->out, "sweep", write_plot, (void *)tb);
}

int sweep_collect(struct sweep *s)
{
	static const struct {
		const char *name;
		int (*fill)(void *, FILE *);
		bool seeds; /* only with several seeds */
	} files[] = {{"sweep_workloads.csv", write_workloads, false},
		     {"sweep_summary.csv", write_summary, true},
		     /* last: the file scripts wait for */
		     {"sweep.csv", write_hosts, false}};
	struct tables tb;
	char p[4300];
	int err;

	if ((err = tables_read(&tb, s)))
		return err;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && !err; i++) {
		if (files[i].seeds && s->o->seeds < 2)
			continue;
		snprintf(p, sizeof(p), "%s/%s", s->r->out, files[i].name);
		err = wholefile_write(p, files[i].fill, &tb);
	}
	if (!err && s->o->plot)
		s->plotted = draw(&tb) == 0;
	tables_free(&tb);
	return err;
}

static int write_params(void *arg, FILE *f)
{
	return runner_describe(arg, f);
}

int sweep_execute(struct sweep *s)
{
	int err = runner_prepare(s->r, "sweep.params", write_params, s->r);

	if (err)
		return err;
	if ((err = runner_execute(s->r)))
		return err;
	return sweep_collect(s);
}
