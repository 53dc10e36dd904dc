/* bottleneck.c - name what limits each workload and each host. */
#include "bottleneck.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "devmodel.h"
#include "nic.h"

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

static const struct route *route_of(const struct sim *s, int h, int d, int up)
{
	return eng_route(&s->e, h, d, up);
}

/* The port between host h and device d, both directions, that limits it most. */
static const struct port *busiest(const struct sim *s, int h, int d, const struct port *best)
{
	for (int up = 0; up < 2; up++) {
		const struct route *r = route_of(s, h, d, up);
		for (int i = 0; i < r->nhops; i++)
			if (!best || better(s, r->ports[i], best))
				best = r->ports[i];
	}
	return best;
}

/* Is device d's max_rate engine running flat out for host h's traffic? */
static bool capped_device(const struct sim *s, int h, int d, double *busy)
{
	const struct topo *t = s->t;
	const struct topo_device *dev = &t->devices[d];
	const struct route *up = route_of(s, h, d, 1), *down = route_of(s, h, d, 0);
	double win = t->run.duration - t->run.warmup;

	if (dev->max_rate <= 0 || !up->nhops)
		return false;
	/* the engine moves write payload up and read payload down */
	double bytes = up->ports[0]->st.payload + down->ports[down->nhops - 1]->st.payload;
	double b = bytes * 8 / win / dev->max_rate;
	if (b < BOTTLENECK_BUSY)
		return false;
	*busy = fmin(b, 1.0);
	return true;
}

/* Are the cores of host h's vswitch busy all the time (a vswitch workload's limit, §11)? */
static bool busy_vswitch(const struct sim *s, int h, double *busy)
{
	const struct vswitch *v = nic_vswitch_of(&s->e, h);
	double win = s->t->run.duration - s->t->run.warmup;

	if (!v)
		return false;
	double b = vswitch_busy(v) / (win * (double)s->t->hosts[h].vswitch.cores);
	if (b < BOTTLENECK_BUSY)
		return false;
	*busy = fmin(b, 1.0);
	return true;
}

int bottleneck_workload_vfs(const struct topo *t, const struct topo_workload *w)
{
	int owned = 0;

	for (size_t i = 0; i < t->nfunctions; i++)
		if (!t->functions[i].is_pf && t->functions[i].host == w->host.idx &&
		    t->functions[i].device == w->device.idx)
			owned++;
	return w->vfs_all ? owned : (int)w->vfs_n;
}

/* Open loop: carried at BOTTLENECK_CARRIED of its offered load, or short of it by no more
 * than twice the half-width of its throughput's interval. One half-width is about two
 * standard errors, so a Poisson source falls that short by chance once in 40 workloads; two
 * half-widths (about four standard errors) once in about 10^4 (contract §4: chance alone
 * must not warn). */
static bool carried(const struct sim *s, int w)
{
	struct stat_summary m;
	double offered = stats_offered_gbps(s->t, &s->t->workloads[w]);

	stats_summary(&s->st, &s->st.wl[w], &m);
	if (m.gbps >= BOTTLENECK_CARRIED * offered)
		return true;
	return !isnan(m.gbps_ci95) && offered - m.gbps <= 2 * m.gbps_ci95;
}

/* The VFs w runs on, each for the share of w's time in the window that it serves w's host
 * (a VF a reassign moves serves each host for a while, contract §10): its first VFs in
 * function order (func.c lays out a VH's own VFs first, those moved in after them). */
static double served_vfs(const struct topo *t, const struct topo_workload *w)
{
	double lo = fmax(w->start, t->run.warmup), sum = 0;
	double hi = fmin(w->stop > 0 ? w->stop : t->run.duration, t->run.duration);
	int n = bottleneck_workload_vfs(t, w);

	for (size_t i = 0; i < t->nfunctions && n > 0; i++) {
		const struct topo_function *f = &t->functions[i];
		if (f->is_pf || f->host != w->host.idx || f->device != w->device.idx)
			continue;
		n--;
		sum += hi > lo ? fmax(0, fmin(f->until, hi) - fmax(f->from, lo)) / (hi - lo) : 1;
	}
	return sum;
}

static void describe(const struct sim *s, const struct topo_workload *w, struct bottleneck *b)
{
	double n = (double)w->outstanding * served_vfs(s->t, w);

	if (w->has_rate)
		snprintf(b->demand, sizeof(b->demand), "open loop, %.4g Gb/s offered",
			 stats_offered_gbps(s->t, w));
	else if (n == floor(n))
		snprintf(b->demand, sizeof(b->demand), "closed loop, %.0f in flight", n);
	else /* on average over its time: a VF moved for part of it */
		snprintf(b->demand, sizeof(b->demand), "closed loop, %.2f in flight on average", n);
}

/* Is workload wi held by a limit of its device's model (an NVMe drive's media channels),
 * busy at least BOTTLENECK_BUSY and at least as busy as the busiest link of its path? */
static bool model_limited(const struct sim *s, int wi, struct bottleneck *b)
{
	const struct topo_workload *w = &s->t->workloads[wi];
	struct dev_counts c;

	dev_counts_of(&s->e, -1, wi, &c);
	if (c.busy < BOTTLENECK_BUSY || c.busy < b->busy)
		return false;
	b->kind = BN_DEVICE;
	b->device = w->device.idx;
	b->busy = c.busy;
	snprintf(b->text, sizeof(b->text), "limited by the %s of %s, %.0f%% busy", c.busy_what,
		 s->t->devices[b->device].name, 100 * c.busy);
	return true;
}

void bottleneck_workload(const struct sim *s, int wi, struct bottleneck *b)
{
	const struct topo *t = s->t;
	const struct topo_workload *w = &t->workloads[wi];
	const struct port *p = busiest(s, w->host.idx, w->device.idx, NULL);
	char where[160] = "no traffic";

	memset(b, 0, sizeof(*b));
	b->workload = wi;
	b->port = p;
	b->busy = p ? util(s, p) : 0;
	b->device = -1;
	describe(s, w, b);
	if (p)
		snprintf(where, sizeof(where), "link %s (%s->%s)", t->links[p->link].name,
			 topo_node_name(t, p->from), topo_node_name(t, p->to));
	if (w->has_rate && (b->carried = carried(s, wi))) {
		b->kind = BN_NONE;
		snprintf(b->text, sizeof(b->text), "carried in full; busiest: %s, %.0f%% busy",
			 where, 100 * b->busy);
	} else if (w->vswitch && busy_vswitch(s, w->host.idx, &b->busy)) {
		b->kind = BN_CPU;
		uint64_t n = t->hosts[w->host.idx].vswitch.cores;
		snprintf(b->text, sizeof(b->text), "limited by the vswitch of %s on the CPU (%llu "
			 "core%s), %.0f%% busy", w->host.name, (unsigned long long)n,
			 n == 1 ? "" : "s", 100 * b->busy);
	} else if (capped_device(s, w->host.idx, w->device.idx, &b->busy)) {
		b->kind = BN_DEVICE;
		b->device = w->device.idx;
		snprintf(b->text, sizeof(b->text), "limited by the DMA engine of %s (max_rate), "
			 "%.0f%% busy", t->devices[b->device].name, 100 * b->busy);
	} else if (model_limited(s, wi, b)) {
		/* the device model's own limit, set in b */
	} else if (p && b->busy >= BOTTLENECK_BUSY) {
		b->kind = BN_LINK;
		snprintf(b->text, sizeof(b->text), "limited by %s, %.0f%% busy", where, 100 * b->busy);
	} else if (!w->has_rate) {
		b->kind = BN_LATENCY;
		snprintf(b->text, sizeof(b->text), "latency-bound (%s); busiest: %s, %.0f%% busy",
			 b->demand, where, 100 * b->busy);
	} else if (s->st.wl[wi].dmas < BOTTLENECK_MIN_DMAS) {
		b->kind = BN_NONE;
		snprintf(b->text, sizeof(b->text), "short of its offered load on only %llu DMAs, too "
			 "few to tell chance from a limit; busiest: %s, %.0f%% busy",
			 (unsigned long long)s->st.wl[wi].dmas, where, 100 * b->busy);
	} else {
		b->kind = BN_NONE;
		snprintf(b->text, sizeof(b->text), "not carried in full, and not by a saturated "
			 "link; busiest: %s, %.0f%% busy", where, 100 * b->busy);
	}
}

void bottleneck_find(const struct sim *s, int h, struct bottleneck *b)
{
	const struct topo *t = s->t;
	const struct port *p = NULL;
	int nwl = 0;

	for (size_t w = 0; w < t->nworkloads; w++) {
		if (t->workloads[w].host.idx != h)
			continue;
		nwl++;
		bottleneck_workload(s, (int)w, b);
		if (!b->carried) {
			char text[sizeof(b->text)];
			snprintf(text, sizeof(text), "%.60s: %.250s", t->workloads[w].name, b->text);
			memcpy(b->text, text, sizeof(text));
			return;
		}
		p = busiest(s, h, t->workloads[w].device.idx, p);
	}
	memset(b, 0, sizeof(*b));
	b->workload = -1;
	b->device = -1;
	b->port = p;
	b->busy = p ? util(s, p) : 0;
	b->carried = nwl > 0;
	if (!p) {
		snprintf(b->text, sizeof(b->text), "no traffic");
		return;
	}
	snprintf(b->text, sizeof(b->text), "not limited: %s carried in full; busiest: link %s "
		 "(%s->%s), %.0f%% busy", nwl == 1 ? "its workload" : "all its workloads",
		 t->links[p->link].name, topo_node_name(t, p->from), topo_node_name(t, p->to),
		 100 * b->busy);
}
