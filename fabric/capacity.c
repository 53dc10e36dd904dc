/* capacity.c - the capacity study: bisection on the load factor, on the runner. */
#include "capacity.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wholefile.h"
#include "csvread.h"
#include "report.h"

static bool scaled(const struct capacity_opts *o, const struct topo_workload *w)
{
	if (!w->has_rate)
		return false;
	for (size_t k = 0; k < o->nscale; k++)
		if (!strcmp(o->scale[k], w->name))
			return true;
	return o->nscale == 0;
}

/* Does SLO s apply to host h? A named host only; otherwise every host with traffic, and
 * for shares of the offered load (throughput %, drops) every host with an open loop. */
static bool applies(const struct capacity_opts *o, const struct slo *s, size_t h)
{
	const struct topo *t = o->t;
	bool any = false, open = false;

	if (s->host[0])
		return !strcmp(s->host, t->hosts[h].name);
	for (size_t w = 0; w < t->nworkloads; w++)
		if ((size_t)t->workloads[w].host.idx == h) {
			any = true;
			open = open || t->workloads[w].has_rate;
		}
	return s->percent ? open : any;
}

int capacity_check(const struct capacity_opts *o, char *why, size_t len)
{
	const struct topo *t = o->t;
	size_t n = 0;

	for (size_t k = 0; k < o->nscale; k++) {
		size_t w = 0;
		while (w < t->nworkloads && strcmp(t->workloads[w].name, o->scale[k]))
			w++;
		if (w == t->nworkloads) {
			snprintf(why, len, "--workloads: %s has no workload named '%s'", t->name,
				 o->scale[k]);
			return -EINVAL;
		}
		if (!t->workloads[w].has_rate) {
			snprintf(why, len, "--workloads: '%s' is a closed loop (outstanding); only an "
				 "open-loop rate can be scaled", o->scale[k]);
			return -EINVAL;
		}
	}
	for (size_t w = 0; w < t->nworkloads; w++)
		n += scaled(o, &t->workloads[w]);
	if (!n) {
		snprintf(why, len, "%s has no open-loop workload (one with a rate) to scale: "
			 "capacity multiplies rates", t->name);
		return -EINVAL;
	}
	for (size_t k = 0; k < o->nslos; k++) {
		bool found = !o->slos[k].host[0];
		for (size_t h = 0; h < t->nhosts && !found; h++)
			found = !strcmp(t->hosts[h].name, o->slos[k].host);
		if (!found) {
			snprintf(why, len, "--slo '%s': %s has no host named '%s'", o->slos[k].text,
				 t->name, o->slos[k].host);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- probes ---- */

static int add_probe_runs(struct capacity *c, double f)
{
	const struct capacity_opts *o = c->o;
	char name[64], rate[64], path[256];

	for (unsigned k = 0; k < o->seeds; k++) {
		unsigned long long seed = o->t->run.seed + k;
		snprintf(name, sizeof(name), "f%.6g-s%llu", f, seed);
		struct runner_run *run = runner_add(c->r, name, seed);
		if (!run)
			return -ENOMEM;
		for (size_t i = 0; i < o->nsets; i++) {
			char *eq = strchr(o->sets[i], '=');
			if (!eq)
				continue;
			*eq = '\0';
			int err = runner_run_set(run, o->sets[i], eq + 1);
			*eq = '=';
			if (err)
				return err;
		}
		for (size_t w = 0; w < o->t->nworkloads; w++) {
			const struct topo_workload *wl = &o->t->workloads[w];
			if (!scaled(o, wl))
				continue;
			snprintf(path, sizeof(path), "workloads.%s.rate", wl->name);
			snprintf(rate, sizeof(rate), "%.9g", wl->rate * f);
			if (runner_run_set(run, path, rate))
				return -ENOMEM;
		}
	}
	return 0;
}

struct tables {
	struct csv hosts, wls;
};

static int read_run(const struct runner_run *run, struct tables *tb)
{
	char p[4300];
	int err;

	memset(tb, 0, sizeof(*tb));
	snprintf(p, sizeof(p), "%s/hosts.csv", run->dir);
	if ((err = csv_read(p, &tb->hosts)))
		return err;
	snprintf(p, sizeof(p), "%s/workloads.csv", run->dir);
	if ((err = csv_read(p, &tb->wls)))
		csv_free(&tb->hosts);
	return err;
}

/* Is value a worse than b for SLO s (further from holding)? */
static bool worse(const struct slo *s, double a, double b)
{
	if (isnan(b))
		return false;
	if (isnan(a))
		return true;
	return s->op == SLO_LT || s->op == SLO_LE ? a > b : a < b;
}

/* Evaluate probe p over its runs: the first SLO (in the order given) that fails on a host
 * (in file order) binds; its value is the worst over the seeds. */
static int evaluate(struct capacity *c, struct capacity_probe *p)
{
	const struct capacity_opts *o = c->o;
	struct tables *tb = calloc(o->seeds, sizeof(*tb));
	int err = 0;

	if (!tb)
		return -ENOMEM;
	for (unsigned k = 0; k < o->seeds && !err; k++)
		if (c->r->runs[p->first_run + k].status != 0 ||
		    read_run(&c->r->runs[p->first_run + k], &tb[k]))
			err = -EIO;
	p->ok = !err;
	p->bind = -1;
	for (unsigned k = 0; k < o->seeds && !err; k++) {
		size_t thin = slo_thin_workloads(&tb[k].wls);
		if (thin > c->thin)
			c->thin = thin;
	}
	for (size_t i = 0; i < o->nslos && p->ok && !err; i++)
		for (size_t h = 0; h < o->t->nhosts && p->ok; h++) {
			if (!applies(o, &o->slos[i], h))
				continue;
			double v = NAN;
			bool holds = true;
			for (unsigned k = 0; k < o->seeds; k++) {
				double ci, x = slo_measure(&o->slos[i], o->t->hosts[h].name,
							   &tb[k].hosts, &tb[k].wls, &ci);
				holds = holds && slo_holds(&o->slos[i], x, ci);
				if (k == 0 || worse(&o->slos[i], x, v))
					v = x;
			}
			if (!holds) {
				p->ok = false;
				p->bind = (int)i;
				p->value = v;
				snprintf(p->host, sizeof(p->host), "%s", o->t->hosts[h].name);
			}
		}
	for (unsigned k = 0; k < o->seeds; k++) {
		csv_free(&tb[k].hosts);
		csv_free(&tb[k].wls);
	}
	free(tb);
	return err;
}

static int probe(struct capacity *c, double f, bool *ok)
{
	struct capacity_probe *v = realloc(c->probes, (c->nprobes + 1) * sizeof(*v));
	int err;

	if (!v)
		return -ENOMEM;
	c->probes = v;
	struct capacity_probe *p = &c->probes[c->nprobes++];
	memset(p, 0, sizeof(*p));
	p->factor = f;
	p->first_run = c->r->nruns;
	if ((err = add_probe_runs(c, f)) || (err = runner_execute(c->r)))
		return err;
	if (c->r->failed)
		return -EIO;
	if ((err = evaluate(c, p)))
		return err;
	*ok = p->ok;
	return 0;
}

/* Geometric bisection between a factor that holds (lo) and one that fails (hi). */
static int search(struct capacity *c)
{
	const struct capacity_opts *o = c->o;
	double lo, hi = o->max;
	bool ok;
	int err;

	if ((err = probe(c, o->max, &ok)))
		return err;
	if (ok) {
		c->answer = o->max;
		return 0;
	}
	lo = o->max > 1 ? 1 : CAPACITY_MIN;
	if ((err = probe(c, lo, &ok)))
		return err;
	if (!ok && lo > CAPACITY_MIN) {
		hi = lo;
		lo = CAPACITY_MIN;
		if ((err = probe(c, lo, &ok)))
			return err;
	}
	if (!ok) {
		c->answer = 0;
		return 0;
	}
	while (hi / lo > 1 + o->precision) {
		double mid = sqrt(lo * hi);
		if ((err = probe(c, mid, &ok)))
			return err;
		*(ok ? &lo : &hi) = mid;
	}
	c->answer = lo;
	return 0;
}

/* ---- results ---- */

static const char *cell(const struct csv *c, size_t row, const char *col)
{
	return csv_get(c, row, csv_col(c, col));
}

/* capacity.csv: one row per probe, seed and host. */
static int write_csv(void *arg, FILE *f)
{
	struct capacity *c = arg;
	const struct capacity_opts *o = c->o;

	fprintf(f, "factor,seed,host,throughput_gbps,offered_gbps,lat_mean_ns,lat_p99_ns,drops,ok\n");
	for (size_t i = 0; i < c->nprobes; i++)
		for (unsigned k = 0; k < o->seeds; k++) {
			const struct runner_run *run = &c->r->runs[c->probes[i].first_run + k];
			struct tables tb;
			if (read_run(run, &tb))
				return -EIO;
			for (size_t r = 1; r < tb.hosts.nrows; r++) {
				const char *host = csv_get(&tb.hosts, r, 0);
				bool ok = true;
				double ci;
				for (size_t s = 0; s < o->nslos; s++)
					if (applies(o, &o->slos[s], r - 1)) {
						double x = slo_measure(&o->slos[s], host, &tb.hosts,
								       &tb.wls, &ci);
						ok = ok && slo_holds(&o->slos[s], x, ci);
					}
				struct slo drops = {.metric = SLO_DROPS, .percent = true};
				fprintf(f, "%.6g,%llu,%s,%s,%s,%s,%s,%.6g,%s\n", c->probes[i].factor,
					run->seed, host, cell(&tb.hosts, r, "throughput_gbps"),
					cell(&tb.hosts, r, "offered_gbps"), cell(&tb.hosts, r, "lat_mean_ns"),
					cell(&tb.hosts, r, "lat_p99_ns"),
					slo_measure(&drops, host, &tb.hosts, &tb.wls, &ci), ok ? "yes" : "no");
			}
			csv_free(&tb.hosts);
			csv_free(&tb.wls);
		}
	return 0;
}

/* The binding SLO's value on its host at each probe (worst over seeds), for the plot. */
static double probe_value(const struct capacity *c, const struct capacity_probe *p,
			  const struct slo *s, const char *host)
{
	double v = NAN;

	for (unsigned k = 0; k < c->o->seeds; k++) {
		struct tables tb;
		if (read_run(&c->r->runs[p->first_run + k], &tb))
			continue;
		double ci, x = slo_measure(s, host, &tb.hosts, &tb.wls, &ci);
		if (k == 0 || worse(s, x, v))
			v = x;
		csv_free(&tb.hosts);
		csv_free(&tb.wls);
	}
	return s->percent ? 100 * v : v;
}

static int write_plot(void *arg, FILE *f)
{
	struct capacity *c = arg;
	const struct slo *s = &c->o->slos[c->plot_slo];
	const char *host = c->plot_host;
	double line = s->percent ? 100 * s->value : s->value;

	fprintf(f, "set datafile separator ','\nset terminal svg size 1000,560 dynamic enhanced "
		   "font 'sans,12' background '#ffffff'\nset output 'capacity.svg.tmp'\n"
		   "set title \"%s: %s on %s at each probe (worst over %u seeds)\"\n"
		   "set xlabel 'load factor (x the open-loop rates of the file)' offset 0,-0.5\n"
		   "set ylabel '%s (%s)'\nset logscale x\nset grid\nset key outside right top\n"
		   "set bmargin 5\n",
		c->o->t->name, s->text, host, c->o->seeds, slo_metric_name(s->metric),
		slo_unit(s));
	double lo = c->probes[0].factor, hi = lo;
	for (size_t i = 0; i < c->nprobes; i++) {
		lo = fmin(lo, c->probes[i].factor);
		hi = fmax(hi, c->probes[i].factor);
	}
	fprintf(f, "set xrange [%.9g:%.9g]\n", lo / 1.3, hi * 1.3);
	fprintf(f, "$ok << EOD\n");
	for (size_t i = 0; i < c->nprobes; i++)
		if (c->probes[i].ok)
			fprintf(f, "%.9g,%.9g\n", c->probes[i].factor,
				probe_value(c, &c->probes[i], s, host));
	fprintf(f, "EOD\n$bad << EOD\n");
	for (size_t i = 0; i < c->nprobes; i++)
		if (!c->probes[i].ok)
			fprintf(f, "%.9g,%.9g\n", c->probes[i].factor,
				probe_value(c, &c->probes[i], s, host));
	fprintf(f, "EOD\nset arrow from %.9g, graph 0 to %.9g, graph 1 nohead lc rgb '#3b75af' "
		   "dt 2 lw 2\nset label 'capacity %.3g' at %.9g, graph 0.95 left offset 1,0\n"
		   "plot %.9g with lines lc rgb '#c0392b' lw 2 title 'SLO %s', "
		   "$ok using 1:2 with points pt 7 ps 1.3 lc rgb '#27ae60' title 'probe: every SLO "
		   "holds', $bad using 1:2 with points pt 5 ps 1.3 lc rgb '#c0392b' title 'probe: "
		   "an SLO fails'\nset output\n",
		c->answer, c->answer, c->answer, c->answer, line, s->text);
	return 0;
}

static bool draw(struct capacity *c)
{
	return c->plot_host[0] && report_plot(c->r->out, "capacity", write_plot, c) == 0;
}

/* The study's identity: what the runs depend on (not the SLOs, bounds or precision, so
 * that a study with other ones reuses the runs). */
static int write_params(void *arg, FILE *f)
{
	const struct capacity *c = arg;
	const struct capacity_opts *o = c->o;

	fprintf(f, "capacity of %s\ntopology %s\nseed %llu\n", o->t->name,
		c->r->topology ? c->r->topology : "(built in)", (unsigned long long)o->t->run.seed);
	for (size_t i = 0; i < o->nsets; i++)
		fprintf(f, "set %s\n", o->sets[i]);
	for (size_t w = 0; w < o->t->nworkloads; w++)
		if (scaled(o, &o->t->workloads[w]))
			fprintf(f, "scale %s\n", o->t->workloads[w].name);
	return 0;
}

int capacity_execute(struct capacity *c)
{
	char p[4300];
	int err = runner_prepare(c->r, "capacity.params", write_params, c);

	if (err || (err = search(c)))
		return err;
	/* what binds: the failing probe with the smallest factor above the answer */
	for (size_t i = 0; i < c->nprobes; i++)
		if (!c->probes[i].ok && c->probes[i].factor > c->answer &&
		    (!c->binding || c->probes[i].factor < c->binding->factor))
			c->binding = &c->probes[i];
	if (c->answer == 0)
		c->binding = &c->probes[c->nprobes - 1];
	if (c->binding) {
		c->plot_slo = c->binding->bind;
		snprintf(c->plot_host, sizeof(c->plot_host), "%s", c->binding->host);
	} else {
		for (size_t h = 0; h < c->o->t->nhosts && !c->plot_host[0]; h++)
			if (applies(c->o, &c->o->slos[0], h))
				snprintf(c->plot_host, sizeof(c->plot_host), "%s",
					 c->o->t->hosts[h].name);
	}
	snprintf(p, sizeof(p), "%s/capacity.csv", c->r->out);
	if ((err = wholefile_write(p, write_csv, c)))
		return err;
	if (c->o->plot)
		c->plotted = draw(c);
	return 0;
}

void capacity_free(struct capacity *c)
{
	free(c->probes);
	c->probes = NULL;
	c->nprobes = 0;
}
