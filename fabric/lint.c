/* lint.c - warnings for a valid topology whose values are almost certainly not what the
 * user meant (contract §13): arbitration settings the policy ignores, open-loop rates no
 * link of the path could carry. (Bare-number latencies are seen while loading them.) */
#include "topo.h"

#include <stdio.h>

#include "platform.h"

/* Warn where weights or priority are given to a policy that never reads them. */
static void lint_arb(const struct topo_arb *a, const char *who, struct diags *d)
{
	const char *p = topo_arb_name(a->policy);

	if (a->nweights && a->policy != ARB_WRR)
		diags_warning(d, a->weights[0].host.loc, "weights: %s arbitrates with policy %s, "
			      "which ignores weights (only wrr uses them); did you mean policy: wrr?",
			      who, p);
	if (a->npriority && a->policy != ARB_STRICT)
		diags_warning(d, a->priority[0].loc, "priority: %s arbitrates with policy %s, "
			      "which ignores priority (only strict uses it); did you mean policy: "
			      "strict?", who, p);
}

static void lint_arbs(const struct topo *t, struct diags *d)
{
	char who[300];

	for (size_t i = 0; i < t->nswitches; i++) {
		const struct topo_switch *s = &t->switches[i];
		snprintf(who, sizeof(who), "switch %s", s->name);
		lint_arb(&s->arb, who, d);
		for (size_t k = 0; k < s->nports; k++) {
			if (!s->ports[k].has_arb)
				continue;
			snprintf(who, sizeof(who), "the port of %s onto %s", s->name,
				 s->ports[k].link.name);
			lint_arb(&s->ports[k].arb, who, d);
		}
	}
	for (size_t i = 0; i < t->ndevices; i++) {
		snprintf(who, sizeof(who), "device %s", t->devices[i].name);
		lint_arb(&t->devices[i].arb, who, d);
	}
}

/* The path of workload w's host to its device (its VH's), or NULL. */
static const struct topo_path *workload_path(const struct topo *t, const struct topo_workload *w)
{
	const struct topo_vh *v = &t->vhs[w->host.idx];

	for (int i = 0; i < v->npaths; i++)
		if (v->paths[i].device == w->device.idx)
			return &v->paths[i];
	return NULL;
}

/* An open-loop rate above the TLP rate of the slowest link of its path can never be
 * carried, whatever else the fabric does: payload is only part of the TLP bytes. */
static void lint_rates(const struct topo *t, struct diags *d)
{
	for (size_t i = 0; i < t->nworkloads; i++) {
		const struct topo_workload *w = &t->workloads[i];
		const struct topo_path *p = w->has_rate ? workload_path(t, w) : NULL;
		int slow = -1;
		double cap = 0;
		for (int h = 0; p && h < p->nhops; h++) {
			double c = platform_link_tlp_bps(t, p->links[h]);
			if (slow < 0 || c < cap) {
				slow = p->links[h];
				cap = c;
			}
		}
		if (slow >= 0 && w->rate > cap)
			diags_warning(d, w->rate_loc, "rate: workload %s is offered %.4g Gb/s, more "
				      "than any link of its path can carry: link %s (gen %llu x%llu) "
				      "moves at most %.4g Gb/s of TLPs per direction", w->name,
				      w->rate / 1e9, t->links[slow].name,
				      (unsigned long long)t->links[slow].gen,
				      (unsigned long long)t->links[slow].width, cap / 1e9);
	}
}

int topo_lint(const struct topo *t, struct diags *d)
{
	lint_arbs(t, d);
	lint_rates(t, d);
	return 0;
}
