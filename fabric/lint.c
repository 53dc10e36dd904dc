/* lint.c - warnings for a valid topology whose values are almost certainly not what the
 * user meant (contract §13): arbitration settings the policy ignores, open-loop rates no
 * link of the path could carry, DMA engine keys on a device whose model does not use them.
 * (Bare-number latencies are seen while loading them.) */
#include "topo.h"

#include <stddef.h>
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

/* The DMA engine keys of contract §12, as the file names them, and where each was written. */
static const struct {
	const char *key;
	size_t loc;
} dma_keys[] = {
	{"dma_latency", offsetof(struct topo_dma_engine, latency_loc)},
	{"write_interval", offsetof(struct topo_dma_engine, interval_loc[OP_WRITE])},
	{"read_interval", offsetof(struct topo_dma_engine, interval_loc[OP_READ])},
	{"dma_cost", offsetof(struct topo_dma_engine, cost_loc)},
	{"dma_byte_cost", offsetof(struct topo_dma_engine, byte_cost_loc)},
	{"write_block", offsetof(struct topo_dma_engine, block_loc[OP_WRITE])},
	{"write_block_cost", offsetof(struct topo_dma_engine, block_cost_loc[OP_WRITE])},
	{"read_block", offsetof(struct topo_dma_engine, block_loc[OP_READ])},
	{"read_block_cost", offsetof(struct topo_dma_engine, block_cost_loc[OP_READ])},
	{"dma_concurrency", offsetof(struct topo_dma_engine, concurrency_loc)},
};

/* A device model (contract §6) builds its TLPs without the DMA engine; its keys time only
 * the raw DMA workloads on the device (models/dev.c, dev_dma.c). Each one the file or --set
 * writes on a device with a model and none of those workloads has no effect. (A profile's
 * values are for the whole device: `check` marks them instead.) */
static void lint_dma_keys(const struct topo *t, struct diags *d)
{
	for (size_t i = 0; i < t->ndevices; i++) {
		const struct topo_device *dev = &t->devices[i];
		const char *m = topo_device_model(dev);
		if (!m || topo_device_raw_workloads(t, (int)i))
			continue;
		for (size_t k = 0; k < sizeof(dma_keys) / sizeof(dma_keys[0]); k++) {
			const struct loc *l = (const void *)((const char *)&dev->dma + dma_keys[k].loc);
			if (l->line > 0)
				diags_warning(d, *l, "%s: the %s model of device %s does not use the "
					      "DMA engine, and no raw DMA workload (op) runs on %s: this "
					      "value has no effect", dma_keys[k].key, m, dev->name,
					      dev->name);
		}
	}
}

int topo_lint(const struct topo *t, struct diags *d)
{
	lint_arbs(t, d);
	lint_rates(t, d);
	lint_dma_keys(t, d);
	return 0;
}
