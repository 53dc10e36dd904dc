/* events_out.c - events.csv and recovery_us (contract §10). recovery_us runs from the event
 * (a reset: from the end of its FLR) to the start of the first time-series bin, starting then
 * or later, in which every affected host is back within 10 % of its mean throughput over
 * the bins that ended before the fabric was last undisturbed (before the event, or before
 * the earliest of the overlapping events it falls in: `before`); its resolution is one bin
 * (run.bin). */
#include "events_out.h"

#include <math.h>
#include <stdlib.h>

/* When the affected hosts are measured from: the event, or the end of its FLR (a reset). */
static double reference(const struct sim *s, size_t ev)
{
	const struct topo_event *e = &s->t->events[ev];

	if (e->kind == EV_RESET || e->kind == EV_REASSIGN)
		return s->e.faults->ev[ev].back_at > 0 ? s->e.faults->ev[ev].back_at
						       : e->at + s->t->pcie.flr;
	return e->at;
}

/* When what event j disturbs has settled: a reset's or reassign's FLR ends, a link_down's
 * outage ends with its link_up's retraining (never without one), a link_up's retraining
 * ends. A removal disturbs nothing past its time: the fabric after it is without the
 * device, and what follows is compared with that. */
static double settled(const struct sim *s, size_t j)
{
	const struct topo *t = s->t;
	const struct topo_event *e = &t->events[j];
	double up = INFINITY;

	switch (e->kind) {
	case EV_RESET:
	case EV_REASSIGN:
		return reference(s, j);
	case EV_LINK_UP:
		return e->at + t->pcie.retrain;
	case EV_LINK_DOWN:
		for (size_t i = 0; i < t->nevents; i++)
			if (t->events[i].kind == EV_LINK_UP && t->events[i].at >= e->at &&
			    t->events[i].link_up.idx == e->link_down.idx)
				up = fmin(up, t->events[i].at + t->pcie.retrain);
		return up;
	default:
		return e->at;
	}
}

/* What the affected hosts are compared with: the bins that end before the fabric was last
 * undisturbed before event ev, i.e. before the earliest event of the chain of overlapping
 * disturbances ev falls in (a link_up falls in its link_down's; a reset during an outage,
 * or an outage during an FLR, in the earlier event's): no bin of another event's outage or
 * FLR is taken for the normal. */
static double before(const struct sim *s, size_t ev)
{
	const struct topo *t = s->t;
	double b = t->events[ev].at;

	for (bool moved = true; moved;) {
		moved = false;
		for (size_t j = 0; j < t->nevents; j++)
			if (t->events[j].at < b && settled(s, j) > b) {
				b = t->events[j].at;
				moved = true;
			}
	}
	return b;
}

/* Host h's throughput in bin b, Gb/s (timeseries.csv's value). */
static double bin_gbps(const struct stats *st, size_t b, size_t h)
{
	double lo = st->lo + (double)b * st->bin, w = fmin(st->bin, st->hi - lo);

	return st->ts[b * st->t->nhosts + h] * 8 / w / 1e9;
}

/* Host h's mean throughput over the bins that end by `before`; NAN with none. */
static double baseline(const struct stats *st, size_t h, double before)
{
	double sum = 0;
	size_t n = 0;

	for (size_t b = 0; b < st->nbins && st->lo + (double)(b + 1) * st->bin <= before; b++, n++)
		sum += bin_gbps(st, b, h);
	return n ? sum / (double)n : NAN;
}

double events_recovery(const struct sim *s, size_t ev)
{
	const struct stats *st = &s->st;
	const struct topo *t = s->t;
	double ref = reference(s, ev), rec = NAN, *base = malloc((t->nhosts + 1) * sizeof(double));
	bool any = false;

	if (!base)
		return NAN; /* out of memory: not known */
	for (size_t h = 0; h < t->nhosts; h++) {
		base[h] = topo_event_affects(t, ev, h) ? baseline(st, h, before(s, ev)) : NAN;
		any |= base[h] > 0;
	}
	for (size_t b = 0; b < st->nbins && any && isnan(rec); b++) {
		double start = st->lo + (double)b * st->bin;
		bool back = start >= ref - 1e-12;
		for (size_t h = 0; h < t->nhosts && back; h++)
			back = !(base[h] > 0) || fabs(bin_gbps(st, b, h) - base[h]) <= 0.1 * base[h];
		if (back)
			rec = fmax(0, start - ref);
	}
	free(base);
	return rec;
}

int events_write_csv(void *arg, FILE *f)
{
	const struct sim *s = arg;
	const struct topo *t = s->t;

	fprintf(f, "time_us,event,subject,hosts_affected,dmas_failed,tlps_lost,timeouts,"
		   "recovery_us\n");
	for (size_t i = 0; i < t->nevents; i++) {
		const struct topo_event *e = &t->events[i];
		const struct fault_event_stats *fs = &s->e.faults->ev[i];
		const char *sep = "";
		double rec = events_recovery(s, i);
		fprintf(f, "%.3f,%s,%s,", e->at * 1e6, topo_event_name(e->kind),
			topo_event_subject(t, e));
		for (size_t h = 0; h < t->nhosts; h++) {
			if (!topo_event_affects(t, i, h))
				continue;
			fprintf(f, "%s%s", sep, t->hosts[h].name);
			sep = " ";
		}
		fprintf(f, ",%llu,%llu,%llu,", (unsigned long long)fs->dmas_failed,
			(unsigned long long)fs->tlps_lost, (unsigned long long)fs->timeouts);
		if (!isnan(rec))
			fprintf(f, "%.3f", rec * 1e6);
		fputc('\n', f);
	}
	return 0;
}
