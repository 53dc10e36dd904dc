/* stats.c - per-row DMA statistics over the window, with exact percentiles. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int stats_init(struct stats *s, const struct topo *t)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->lo = t->run.warmup;
	s->hi = t->run.duration;
	s->bin = t->run.bin > 0 ? t->run.bin : (s->hi - s->lo) / 100.0;
	s->nbins = (size_t)ceil((s->hi - s->lo) / s->bin - 1e-9);
	if (s->nbins < 1)
		s->nbins = 1;
	s->fn = calloc(t->nfunctions + 1, sizeof(*s->fn));
	s->wl = calloc(t->nworkloads + 1, sizeof(*s->wl));
	s->host = calloc(t->nhosts + 1, sizeof(*s->host));
	s->ts = calloc(s->nbins * t->nhosts + 1, sizeof(*s->ts));
	if (!s->fn || !s->wl || !s->host || !s->ts) {
		stats_free(s);
		return -ENOMEM;
	}
	return 0;
}

static void row_free(struct stat_row *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		free(r[i].lat.v);
	free(r);
}

void stats_free(struct stats *s)
{
	if (!s || !s->t)
		return;
	row_free(s->fn, s->t->nfunctions);
	row_free(s->wl, s->t->nworkloads);
	row_free(s->host, s->t->nhosts);
	free(s->ts);
	memset(s, 0, sizeof(*s));
}

static void row_add(struct stats *s, struct stat_row *r, uint32_t size, double lat)
{
	if (r->lat.n == r->lat.cap) {
		size_t cap = r->lat.cap ? 2 * r->lat.cap : 256;
		double *v = realloc(r->lat.v, cap * sizeof(*v));
		if (!v) {
			s->err = -ENOMEM;
			return;
		}
		r->lat.v = v;
		r->lat.cap = cap;
	}
	r->lat.v[r->lat.n++] = lat;
	r->dmas++;
	r->bytes += size;
	r->lat_sum += lat;
}

void stats_dma_done(void *arg, int fn, int wl, uint32_t size, double t0, double t1)
{
	struct stats *s = arg;
	int h = s->t->functions[fn].host;
	double lat = t1 - t0;

	/* a DMA counts in the window in which it completes (contract §3) */
	if (t1 < s->lo || t1 > s->hi)
		return;
	row_add(s, &s->fn[fn], size, lat);
	row_add(s, &s->wl[wl], size, lat);
	row_add(s, &s->host[h], size, lat);
	size_t b = (size_t)((t1 - s->lo) / s->bin);
	if (b >= s->nbins)
		b = s->nbins - 1;
	s->ts[b * s->t->nhosts + (size_t)h] += size;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted vector: the smallest value with at least p of the
 * sample at or below it. */
static double percentile(const double *v, size_t n, double p)
{
	size_t k = (size_t)ceil(p * (double)n);
	return v[k ? k - 1 : 0];
}

int stats_summary(const struct stats *s, struct stat_row *r, struct stat_summary *out)
{
	out->dmas = r->dmas;
	out->gbps = r->bytes * 8.0 / (s->hi - s->lo) / 1e9;
	out->mean_ns = out->p50_ns = out->p99_ns = NAN;
	if (!r->dmas)
		return 0;
	qsort(r->lat.v, r->lat.n, sizeof(double), cmp_double);
	out->mean_ns = r->lat_sum / (double)r->dmas * 1e9;
	out->p50_ns = percentile(r->lat.v, r->lat.n, 0.50) * 1e9;
	out->p99_ns = percentile(r->lat.v, r->lat.n, 0.99) * 1e9;
	return 0;
}

double stats_offered_gbps(const struct topo *t, const struct topo_workload *w)
{
	double lo = fmax(w->start, t->run.warmup);
	double hi = fmin(w->stop > 0 ? w->stop : t->run.duration, t->run.duration);

	if (!w->has_rate)
		return NAN;
	return hi > lo ? w->rate * (hi - lo) / (t->run.duration - t->run.warmup) / 1e9 : 0;
}
