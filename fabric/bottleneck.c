/* bottleneck.c - name what limits each host. */
#include "bottleneck.h"

#include <math.h>
#include <stdio.h>

static double util(const struct sim *s, const struct port *p)
{
	double win = s->t->run.duration - s->t->run.warmup;
	return fmin(p->st.busy / win, 1.0);
}

/* Is port a a better answer than b? Among saturated ports the one serving the fewest VHs
 * binds: a host held back by its own link leaves its share of a shared link to others, so
 * the shared link is busy but not what limits it. Otherwise the busier port. */
static int better(const struct sim *s, const struct port *a, const struct port *b)
{
	double ua = util(s, a), ub = util(s, b);
	int na = s->t->links[a->link].nvhs, nb = s->t->links[b->link].nvhs;

	if (ua >= BOTTLENECK_BUSY && ub >= BOTTLENECK_BUSY && na != nb)
		return na < nb;
	return ua > ub;
}

/* The port on the routes of host h, both directions, that limits it most. */
static const struct port *busiest(const struct sim *s, int h)
{
	const struct topo *t = s->t;
	const struct port *best = NULL;

	for (size_t d = 0; d < t->ndevices; d++)
		for (int up = 0; up < 2; up++) {
			const struct route *r = eng_route(&s->e, h, (int)d, up);
			for (int i = 0; i < r->nhops; i++)
				if (!best || better(s, r->ports[i], best))
					best = r->ports[i];
		}
	return best;
}

/* A device whose max_rate engine runs flat out for host h's traffic. */
static int capped_device(const struct sim *s, int h, double *busy)
{
	const struct topo *t = s->t;
	double win = t->run.duration - t->run.warmup;

	for (size_t d = 0; d < t->ndevices; d++) {
		const struct topo_device *dev = &t->devices[d];
		const struct route *r = eng_route(&s->e, h, (int)d, true);
		if (dev->max_rate <= 0 || !r->nhops)
			continue;
		/* the engine moves write payload up and read payload down */
		const struct port *up = r->ports[0];
		const struct route *down = eng_route(&s->e, h, (int)d, false);
		double bytes = up->st.payload + down->ports[down->nhops - 1]->st.payload;
		double b = bytes * 8 / win / dev->max_rate;
		if (b >= BOTTLENECK_BUSY) {
			*busy = fmin(b, 1.0);
			return (int)d;
		}
	}
	return -1;
}

static int closed_loop(const struct topo *t, int h)
{
	for (size_t w = 0; w < t->nworkloads; w++)
		if (t->workloads[w].host.idx == h && t->workloads[w].has_outstanding)
			return 1;
	return 0;
}

/* An open-loop host whose offered load is carried (within 3 %) is limited by nothing. */
static int offered_carried(const struct sim *s, int h)
{
	const struct topo *t = s->t;
	double offered = 0;
	struct stat_summary m;

	if (closed_loop(t, h))
		return 0;
	for (size_t w = 0; w < t->nworkloads; w++)
		if (t->workloads[w].host.idx == h)
			offered += stats_offered_gbps(t, &t->workloads[w]);
	stats_summary(&s->st, &s->st.host[h], &m);
	return offered > 0 && m.gbps >= 0.97 * offered;
}

void bottleneck_find(const struct sim *s, int h, struct bottleneck *b)
{
	const struct topo *t = s->t;
	const struct port *p = busiest(s, h);
	char where[160] = "no traffic";
	int dev;

	b->port = p;
	b->busy = p ? util(s, p) : 0;
	b->device = -1;
	if (p)
		snprintf(where, sizeof(where), "link %s (%s->%s)", t->links[p->link].name,
			 topo_node_name(t, p->from), topo_node_name(t, p->to));
	if (offered_carried(s, h)) {
		b->kind = BN_NONE;
		snprintf(b->text, sizeof(b->text), "not limited: its offered load is carried; "
			 "busiest: %s, %.0f%% busy", where, 100 * b->busy);
	} else if ((dev = capped_device(s, h, &b->busy)) >= 0) {
		b->kind = BN_DEVICE;
		b->device = dev;
		snprintf(b->text, sizeof(b->text), "limited by the DMA engine of %s (max_rate), "
			 "%.0f%% busy", t->devices[dev].name, 100 * b->busy);
	} else if (p && b->busy >= BOTTLENECK_BUSY) {
		b->kind = BN_LINK;
		snprintf(b->text, sizeof(b->text), "limited by %s, %.0f%% busy", where, 100 * b->busy);
	} else if (closed_loop(t, h)) {
		b->kind = BN_LATENCY;
		snprintf(b->text, sizeof(b->text), "latency-bound (closed loop); busiest: %s, "
			 "%.0f%% busy", where, 100 * b->busy);
	} else {
		b->kind = BN_NONE;
		snprintf(b->text, sizeof(b->text), "not limited by the fabric; busiest: %s, %.0f%% "
			 "busy", where, 100 * b->busy);
	}
}
