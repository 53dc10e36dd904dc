/* warnings.c - the checks of contract §4 on a finished run. */
#include "warnings.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "bottleneck.h"
#include "sim.h"

int warnings_add(struct warnings *w, const char *kind, const char *subject, const char *fmt, ...)
{
	va_list ap;

	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct warning *v = realloc(w->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		w->v = v;
		w->cap = cap;
	}
	struct warning *x = &w->v[w->n++];
	x->kind = kind;
	snprintf(x->subject, sizeof(x->subject), "%s", subject);
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof(x->message), fmt, ap);
	va_end(ap);
	return 0;
}

void warnings_free(struct warnings *w)
{
	if (!w)
		return;
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
}

/* A duration as the contract writes one, rounded up to 2 significant digits ("1.3ms"). */
static void fmt_time(double s, char *buf, size_t len)
{
	static const struct {
		const char *unit;
		double scale;
	} u[] = {{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
	size_t i = 0;

	while (i + 1 < sizeof(u) / sizeof(u[0]) && s < u[i].scale)
		i++;
	double v = s / u[i].scale, mag = pow(10, floor(log10(v)) - 1);
	snprintf(buf, len, "%g%s", ceil(v / mag - 1e-9) * mag, u[i].unit);
}

/* The window in which workload w runs; zero when it never runs in it. */
static double active(const struct topo *t, const struct topo_workload *w)
{
	double lo = fmax(w->start, t->run.warmup);
	double hi = fmin(w->stop > 0 ? w->stop : t->run.duration, t->run.duration);
	return hi > lo ? hi - lo : 0;
}

static int few_samples(const struct sim *s, int wi, struct warnings *out)
{
	const struct topo *t = s->t;
	const struct topo_workload *w = &t->workloads[wi];
	uint64_t n = s->st.wl[wi].dmas;
	double act = active(t, w), need;
	char when[32];

	if (act <= 0 || n >= WARN_MIN_SAMPLES)
		return 0;
	if (n)
		need = act * WARN_MIN_SAMPLES / (double)n;
	else if (w->has_rate && w->rate > 0)
		need = WARN_MIN_SAMPLES * (double)w->size * 8 / w->rate; /* a lower bound */
	else
		return warnings_add(out, "few_samples", w->name,
				    "workload %s completed no DMA in the window, so it has no latency "
				    "statistics: run much longer than %g us (run.duration)",
				    w->name, t->run.duration * 1e6);
	fmt_time(t->run.duration - act + need, when, sizeof(when));
	return warnings_add(out, "few_samples", w->name,
			    "workload %s completed %llu DMAs in the window, too few for its latency "
			    "statistics: run at least %s (run.duration) for %d DMAs of %s",
			    w->name, (unsigned long long)n, when, WARN_MIN_SAMPLES, w->name);
}

static int overload(const struct sim *s, int wi, struct warnings *out)
{
	const struct topo_workload *w = &s->t->workloads[wi];
	struct bottleneck b;
	struct stat_summary m;
	double offered = stats_offered_gbps(s->t, w);

	/* with too few DMAs the interval itself is unreliable: few_samples speaks instead */
	if (!w->has_rate || !(offered > 0) || s->st.wl[wi].dmas < WARN_MIN_SAMPLES)
		return 0;
	bottleneck_workload(s, wi, &b);
	if (b.carried)
		return 0;
	stats_summary(&s->st, &s->st.wl[wi], &m);
	return warnings_add(out, "overload", w->name,
			    "workload %s was offered %.4g Gb/s and carried %.4g Gb/s (%.0f%%): its "
			    "backlog grows with the run, so its latency depends on run.duration; "
			    "lower its rate, or relieve what limits it (%s)",
			    w->name, offered, m.gbps, 100 * m.gbps / offered, b.text);
}

/* Do two halves' estimates differ by more than the sum of their half-widths (contract §4),
 * and by more than NOT_STEADY_FLOOR of their size? The floor keeps a deterministic system,
 * whose batches vary by nothing, from warning about a rounding-size difference. */
#define NOT_STEADY_FLOOR 0.01

static bool differ(double a, double ca, double b, double cb)
{
	if (isnan(a) || isnan(b) || isnan(ca) || isnan(cb))
		return false;
	return fabs(a - b) > ca + cb && fabs(a - b) > NOT_STEADY_FLOOR * fmax(fabs(a), fabs(b));
}

static int not_steady(const struct sim *s, int h, struct warnings *out)
{
	const struct topo *t = s->t;
	size_t nb = s->st.nbatches, half = nb / 2;
	struct stat_summary a, b;
	char warm[32];

	if (half < 2)
		return 0;
	stats_summary_part(&s->st, &s->st.host[h], 0, half, &a);
	stats_summary_part(&s->st, &s->st.host[h], nb - half, nb, &b);
	bool tput = differ(a.gbps, a.gbps_ci95, b.gbps, b.gbps_ci95);
	bool lat = differ(a.mean_ns, a.mean_ci95, b.mean_ns, b.mean_ci95);
	if (!tput && !lat)
		return 0;
	fmt_time(fmax(2 * t->run.warmup, (t->run.duration - t->run.warmup) / 2), warm,
		 sizeof(warm));
	if (tput)
		return warnings_add(out, "not_steady", t->hosts[h].name,
				    "host %s is not steady: its throughput is %.4g Gb/s in the first "
				    "half of the window and %.4g Gb/s in the second (each +-%.2g): the "
				    "warm-up is too short or the system never settles; try "
				    "run.warmup=%s and a longer run.duration",
				    t->hosts[h].name, a.gbps, b.gbps, fmax(a.gbps_ci95, b.gbps_ci95),
				    warm);
	return warnings_add(out, "not_steady", t->hosts[h].name,
			    "host %s is not steady: its mean latency is %.0f ns in the first half of "
			    "the window and %.0f ns in the second (each +-%.0f): the warm-up is too "
			    "short or the system never settles (an overloaded queue keeps growing); "
			    "try run.warmup=%s and a longer run.duration",
			    t->hosts[h].name, a.mean_ns, b.mean_ns, fmax(a.mean_ci95, b.mean_ci95),
			    warm);
}

int warnings_check(const struct sim *s, struct warnings *out)
{
	int err = 0;

	for (size_t w = 0; w < s->t->nworkloads && !err; w++)
		err = few_samples(s, (int)w, out);
	for (size_t w = 0; w < s->t->nworkloads && !err; w++)
		err = overload(s, (int)w, out);
	for (size_t h = 0; h < s->t->nhosts && !err; h++)
		err = not_steady(s, (int)h, out);
	return err;
}
