/* slo.c - parse and evaluate capacity SLOs. */
#include "slo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

static const char *const metric_names[] = {"throughput", "mean", "p50", "p99", "drops"};

const char *slo_metric_name(enum slo_metric m)
{
	return metric_names[m];
}

const char *slo_unit(const struct slo *s)
{
	if (s->percent)
		return "%";
	return s->metric == SLO_THROUGHPUT ? "Gb/s" : "ns";
}

static int fail(int *col, int at, char *why, size_t len, const char *msg)
{
	*col = at + 1;
	snprintf(why, len, "%s", msg);
	return -EINVAL;
}

/* METRIC at text[*i], optionally after "HOST:" */
static int parse_metric(const char *t, size_t *i, struct slo *s, int *col, char *why, size_t len)
{
	size_t n = strcspn(t + *i, "<>:= ");

	if (t[*i + n] == ':') {
		if (n == 0 || n >= sizeof(s->host))
			return fail(col, (int)*i, why, len, "expected a host name before ':'");
		memcpy(s->host, t + *i, n);
		s->host[n] = '\0';
		*i += n + 1;
		n = strcspn(t + *i, "<>= ");
	}
	for (int m = 0; m <= SLO_DROPS; m++)
		if (strlen(metric_names[m]) == n && !strncmp(t + *i, metric_names[m], n)) {
			s->metric = (enum slo_metric)m;
			*i += n;
			return 0;
		}
	return fail(col, (int)*i, why, len,
		    "expected a metric: throughput, mean, p50, p99 or drops");
}

static int parse_op(const char *t, size_t *i, struct slo *s, int *col, char *why, size_t len)
{
	char c = t[*i];
	bool eq = c && t[*i + 1] == '=';

	if (c != '<' && c != '>')
		return fail(col, (int)*i, why, len, "expected an operator: <, <=, > or >=");
	s->op = c == '<' ? (eq ? SLO_LE : SLO_LT) : (eq ? SLO_GE : SLO_GT);
	*i += eq ? 2 : 1;
	return 0;
}

static int parse_value(const char *v, int at, struct slo *s, int *col, char *why, size_t len)
{
	size_t n = strlen(v);
	char *end;

	if (!n)
		return fail(col, at, why, len, "expected a value after the operator");
	if (strchr("<>=", v[0]))
		return fail(col, at, why, len, "expected one operator (<, <=, > or >=), then a value");
	if (v[n - 1] == '%') {
		if (s->metric != SLO_THROUGHPUT && s->metric != SLO_DROPS)
			return fail(col, at, why, len, "a percentage applies to throughput and drops only");
		double p = strtod(v, &end);
		if (end != v + n - 1 || !(p >= 0) || p > 100)
			return fail(col, at, why, len, "expected a percentage from 0% to 100%");
		s->percent = true;
		s->value = p / 100;
		return 0;
	}
	if (s->metric == SLO_DROPS)
		return fail(col, at, why, len, "drops are a percentage (drops<0.1%)");
	if (s->metric == SLO_THROUGHPUT) {
		double bps;
		if (units_parse_rate(v, &bps))
			return fail(col, at, why, len, "expected a percentage of offered (99%) or a rate "
						       "(40Gbps)");
		s->value = bps / 1e9;
		return 0;
	}
	double sec;
	if (units_parse_time(v, &sec))
		return fail(col, at, why, len, "expected a latency with its unit (50us, 800ns)");
	s->value = sec * 1e9;
	return 0;
}

int slo_parse(const char *text, struct slo *s, int *col, char *why, size_t len)
{
	size_t i = 0;
	int err;

	memset(s, 0, sizeof(*s));
	snprintf(s->text, sizeof(s->text), "%s", text);
	if (strlen(text) >= sizeof(s->text))
		return fail(col, 0, why, len, "too long");
	if ((err = parse_metric(text, &i, s, col, why, len)) ||
	    (err = parse_op(text, &i, s, col, why, len)))
		return err;
	return parse_value(text + i, (int)i, s, col, why, len);
}

static double num(const struct csv *c, size_t row, const char *col)
{
	const char *v = csv_get(c, row, csv_col(c, col));
	return *v ? atof(v) : NAN;
}

/* Throughput (with the sum of the intervals) and offered load of a host's open loops. */
static void open_loop(const char *host, const struct csv *wls, double *got, double *ci,
		      double *offered)
{
	*got = *offered = *ci = 0;
	for (size_t r = 1; r < wls->nrows; r++) {
		if (strcmp(csv_get(wls, r, csv_col(wls, "host")), host))
			continue;
		double o = num(wls, r, "offered_gbps");
		if (isnan(o))
			continue;
		double c = num(wls, r, "throughput_ci95");
		*offered += o;
		*got += num(wls, r, "throughput_gbps");
		/* too few DMAs, or no interval (its data fell in fewer than two batches): it
		 * cannot show a shortfall, so it counts as uncertain by its whole offered load
		 * (the `overload` warning's rule, contract §4) */
		*ci += isnan(c) || num(wls, r, "dmas") < SLO_MIN_DMAS ? o : c;
	}
}

static double drops_of(const char *host, const struct csv *wls)
{
	int dc = csv_col(wls, "drops"), pc = csv_col(wls, "packets");
	double d = 0, p = 0;

	if (dc < 0) /* DMA workloads drop nothing */
		return 0;
	for (size_t r = 1; r < wls->nrows; r++)
		if (!strcmp(csv_get(wls, r, csv_col(wls, "host")), host)) {
			d += atof(csv_get(wls, r, dc));
			p += pc >= 0 ? atof(csv_get(wls, r, pc)) : 0;
		}
	return d + p > 0 ? d / (d + p) : 0;
}

static double ci_of(const struct csv *c, size_t row, const char *col)
{
	double v = num(c, row, col);
	return isnan(v) ? 0 : v;
}

double slo_measure(const struct slo *s, const char *host, const struct csv *hosts,
		   const struct csv *wls, double *ci)
{
	size_t row = 0;

	*ci = 0;
	for (size_t r = 1; r < hosts->nrows && !row; r++)
		if (!strcmp(csv_get(hosts, r, 0), host))
			row = r;
	if (!row)
		return NAN;
	switch (s->metric) {
	case SLO_THROUGHPUT:
		if (s->percent) {
			double got, c, offered;
			open_loop(host, wls, &got, &c, &offered);
			*ci = offered > 0 ? c / offered : 0;
			return offered > 0 ? got / offered : NAN;
		}
		*ci = ci_of(hosts, row, "throughput_ci95");
		return num(hosts, row, "throughput_gbps");
	case SLO_MEAN:
		*ci = ci_of(hosts, row, "lat_mean_ci95");
		return num(hosts, row, "lat_mean_ns");
	case SLO_P50: return num(hosts, row, "lat_p50_ns");
	case SLO_P99: return num(hosts, row, "lat_p99_ns");
	case SLO_DROPS: return drops_of(host, wls);
	}
	return NAN;
}

bool slo_holds(const struct slo *s, double v, double ci)
{
	/* a host that completed no DMA has no latency to break a latency SLO (starvation is
	 * for a throughput SLO to catch); no throughput share means it offered nothing */
	if (isnan(v))
		return s->metric != SLO_THROUGHPUT;
	switch (s->op) {
	case SLO_LT: return v - ci < s->value;
	case SLO_LE: return v - ci <= s->value;
	case SLO_GT: return v + ci > s->value;
	case SLO_GE: return v + ci >= s->value;
	}
	return false;
}

size_t slo_thin_workloads(const struct csv *wls)
{
	size_t n = 0;

	for (size_t r = 1; r < wls->nrows; r++)
		n += !isnan(num(wls, r, "offered_gbps")) && num(wls, r, "offered_gbps") > 0 &&
		     num(wls, r, "dmas") < SLO_MIN_DMAS;
	return n;
}
