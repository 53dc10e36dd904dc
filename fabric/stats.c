/* stats.c - per-row statistics over the window: delivered payload, completed DMAs with
 * exact percentiles, and batch means for confidence intervals (contract §4). */
#include "stats.h"

#include <errno.h>
#include <stdbool.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* n zeroed rows at a cache line (struct stat_row), or NULL. */
static struct stat_row *rows_new(size_t n)
{
	void *p;

	if (posix_memalign(&p, _Alignof(struct stat_row), n * sizeof(struct stat_row)))
		return NULL;
	return memset(p, 0, n * sizeof(struct stat_row));
}

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
	s->nbatches = t->run.batches >= 2 ? (size_t)t->run.batches : 20;
	s->fn = rows_new(t->nfunctions + 1);
	s->wl = rows_new(t->nworkloads + 1);
	s->host = rows_new(t->nhosts + 1);
	s->ts = calloc(s->nbins * t->nhosts + 1, sizeof(*s->ts));
	if (!s->fn || !s->wl || !s->host || !s->ts) {
		stats_free(s);
		return -ENOMEM;
	}
	return 0;
}

static void row_free(struct stat_row *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		free(r[i].lat.v);
		free(r[i].batch);
	}
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

/* The batch of the window that time t (inside it) falls in; NULL on allocation failure. */
static struct stat_batch *batch_of(struct stats *s, struct stat_row *r, double t)
{
	if (!r->batch && !(r->batch = calloc(s->nbatches, sizeof(*r->batch)))) {
		s->err = -ENOMEM;
		return NULL;
	}
	size_t b = (size_t)((t - s->lo) / (s->hi - s->lo) * (double)s->nbatches);
	return &r->batch[b < s->nbatches ? b : s->nbatches - 1];
}

static void row_done(struct stats *s, struct stat_row *r, double lat, double t)
{
	struct stat_batch *b = batch_of(s, r, t);

	if (!b)
		return;
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
	r->lat_sum += lat;
	b->dmas++;
	b->lat_sum += lat;
}

static bool in_window(const struct stats *s, double t)
{
	return t >= s->lo && t <= s->hi;
}

void stats_dma_done(void *arg, int fn, int wl, uint32_t size, double t0, double t1)
{
	struct stats *s = arg;
	int h = s->t->functions[fn].host;

	(void)size;
	/* a DMA counts in the window in which it completes (contract §3, §4) */
	if (!in_window(s, t1))
		return;
	row_done(s, &s->fn[fn], t1 - t0, t1);
	row_done(s, &s->wl[wl], t1 - t0, t1);
	row_done(s, &s->host[h], t1 - t0, t1);
}

static void row_bytes(struct stats *s, struct stat_row *r, uint32_t bytes, double t)
{
	struct stat_batch *b = batch_of(s, r, t);

	if (!b)
		return;
	r->bytes += bytes;
	b->bytes += bytes;
}

void stats_delivered(void *arg, int fn, int wl, uint32_t bytes, double t)
{
	struct stats *s = arg;
	int h = s->t->functions[fn].host;

	/* payload counts when it is delivered (contract §4) */
	if (!in_window(s, t))
		return;
	row_bytes(s, &s->fn[fn], bytes, t);
	row_bytes(s, &s->wl[wl], bytes, t);
	row_bytes(s, &s->host[h], bytes, t);
	size_t b = (size_t)((t - s->lo) / s->bin);
	if (b >= s->nbins)
		b = s->nbins - 1;
	s->ts[b * s->t->nhosts + (size_t)h] += bytes;
}

double stats_ci95(size_t n, double sd)
{
	if (n < 2 || isnan(sd))
		return NAN;
	return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
}

/* Mean and sample standard deviation of n values (Welford's update). */
struct moments {
	size_t n;
	double mean, m2;
};

static void moments_add(struct moments *m, double x)
{
	double d = x - m->mean;
	m->n++;
	m->mean += d / (double)m->n;
	m->m2 += d * (x - m->mean);
}

static double moments_sd(const struct moments *m)
{
	return m->n > 1 ? sqrt(m->m2 / (double)(m->n - 1)) : NAN;
}

/* Throughput over batches [b0, b1). Its interval comes from the span between the first and
 * the last batch with delivered data (the batches that hold data); batches outside that span
 * are known zeros (the workload had not started or had stopped), so the half-width over the
 * span is scaled by span / (b1 - b0), the weight of the span in the mean. */
static void part_throughput(const struct stats *s, const struct stat_row *r, size_t b0,
			    size_t b1, struct stat_summary *out)
{
	double blen = (s->hi - s->lo) / (double)s->nbatches, bytes = 0;
	size_t first = b1, last = b0;
	struct moments m = {0};

	for (size_t b = b0; b < b1 && r->batch; b++) {
		bytes += r->batch[b].bytes;
		if (r->batch[b].bytes > 0) {
			if (first == b1)
				first = b;
			last = b;
		}
	}
	out->gbps = bytes * 8.0 / (blen * (double)(b1 - b0)) / 1e9;
	out->gbps_ci95 = NAN;
	out->tput_batches = 0;
	if (first == b1)
		return;
	for (size_t b = first; b <= last; b++)
		moments_add(&m, r->batch[b].bytes * 8.0 / blen / 1e9);
	out->tput_batches = m.n;
	out->gbps_ci95 = stats_ci95(m.n, moments_sd(&m)) * (double)m.n / (double)(b1 - b0);
}

/* Mean latency: batch means over the batches in which DMAs completed. */
static void part_latency(const struct stat_row *r, size_t b0, size_t b1,
			 struct stat_summary *out)
{
	struct moments m = {0};
	double sum = 0;
	uint64_t n = 0;

	for (size_t b = b0; b < b1 && r->batch; b++) {
		if (!r->batch[b].dmas)
			continue;
		sum += r->batch[b].lat_sum;
		n += r->batch[b].dmas;
		moments_add(&m, r->batch[b].lat_sum / (double)r->batch[b].dmas * 1e9);
	}
	out->dmas = n;
	out->mean_ns = n ? sum / (double)n * 1e9 : NAN;
	out->lat_batches = m.n;
	out->mean_ci95 = stats_ci95(m.n, moments_sd(&m));
}

void stats_summary_part(const struct stats *s, const struct stat_row *r, size_t b0, size_t b1,
			struct stat_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (b1 > s->nbatches)
		b1 = s->nbatches;
	if (b0 >= b1) {
		out->gbps = out->gbps_ci95 = out->mean_ns = out->mean_ci95 = NAN;
		out->p50_ns = out->p99_ns = NAN;
		return;
	}
	part_throughput(s, r, b0, b1, out);
	part_latency(r, b0, b1, out);
	out->p50_ns = out->p99_ns = NAN;
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
	stats_summary_part(s, r, 0, s->nbatches, out);
	/* the whole window's figures come from the exact sums, not from the batches */
	out->gbps = r->bytes * 8.0 / (s->hi - s->lo) / 1e9;
	out->dmas = r->dmas;
	out->mean_ns = r->dmas ? r->lat_sum / (double)r->dmas * 1e9 : NAN;
	if (!r->dmas)
		return 0;
	qsort(r->lat.v, r->lat.n, sizeof(double), cmp_double);
	out->p50_ns = percentile(r->lat.v, r->lat.n, 0.50) * 1e9;
	out->p99_ns = percentile(r->lat.v, r->lat.n, 0.99) * 1e9;
	return 0;
}

/* Does one of the n functions from f0 serve its host at x (contract §10: a VF that a
 * reassign moves serves each host in [from, until))? */
static bool any_serves(const struct topo *t, int f0, int n, double x)
{
	for (int i = 0; i < n; i++)
		if (t->functions[f0 + i].from <= x && x < t->functions[f0 + i].until)
			return true;
	return false;
}

/* The next boundary of a serving interval of the n functions from f0 after x, or hi. */
static double next_boundary(const struct topo *t, int f0, int n, double x, double hi)
{
	double b = hi;

	for (int i = 0; i < n; i++) {
		const struct topo_function *f = &t->functions[f0 + i];
		if (f->from > x && f->from < b)
			b = f->from;
		if (f->until > x && f->until < b)
			b = f->until;
	}
	return b;
}

/* How long in [lo, hi) w has a VF that serves its host: its arrivals are made on those
 * only, so an open loop offers nothing while a reassign has left it none (before a VF
 * moves in, after its last one moved out). hi - lo without reassignments. */
static double served_time(const struct topo *t, const struct topo_workload *w, double lo,
			  double hi)
{
	int pf = t->dev_pf ? t->dev_pf[(size_t)w->device.idx * t->nhosts + (size_t)w->host.idx] : -1;
	int n = 0;
	double sum = 0;

	if (w->vswitch || pf < 0)
		return hi - lo; /* the vswitch path runs on the host's PF (§11) */
	/* func.c lays out a VH's VFs right after its PF, those moved in last */
	while (pf + 1 + n < (int)t->nfunctions && !t->functions[pf + 1 + n].is_pf &&
	       t->functions[pf + 1 + n].device == w->device.idx &&
	       t->functions[pf + 1 + n].host == w->host.idx)
		n++;
	if (!w->vfs_all && (uint64_t)n > w->vfs_n)
		n = (int)w->vfs_n;
	for (double x = lo, b; x < hi; x = b) {
		b = next_boundary(t, pf + 1, n, x, hi);
		if (any_serves(t, pf + 1, n, x))
			sum += b - x;
	}
	return sum;
}

double stats_offered_gbps(const struct topo *t, const struct topo_workload *w)
{
	double lo = fmax(w->start, t->run.warmup);
	double hi = fmin(w->stop > 0 ? w->stop : t->run.duration, t->run.duration);

	if (!w->has_rate)
		return NAN;
	if (hi > lo && t->nevents)
		hi = lo + served_time(t, w, lo, hi);
	return hi > lo ? w->rate * (hi - lo) / (t->run.duration - t->run.warmup) / 1e9 : 0;
}
