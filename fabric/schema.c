/* schema.c - the keys of the topology contract (§1): one field table per mapping, the custom
 * handlers of keys that are not plain values, and the defaults the contract lists. */
#include "loadfield.h"
#include "profile.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- value sets of the contract ---- */
static const uint64_t payload_sizes[] = {128, 256, 512, 1024, 2048, 4096, 0};
static const uint64_t rcb_sizes[] = {64, 128, 0};
static const uint64_t addr_bits[] = {32, 64, 0};
static const uint64_t widths[] = {1, 2, 4, 8, 12, 16, 32, 0};
static const uint64_t page_sizes[] = {4096, 2097152, 1073741824, 0};
static const char *const arb_names[] = {"rr", "wrr", "strict", NULL};
static const char *const fc_names[] = {"per_vh", "shared", NULL};
static const char *const op_names[] = {"write", "read", NULL};
static const char *const arrival_names[] = {"poisson", "constant", NULL};
static const char *const pattern_names[] = {"sequential", "random", NULL};
static const char *const atc_policy_names[] = {"lru", "fifo", "random", NULL};
static const char *const atc_scope_names[] = {"per_vf", "shared", NULL};
static const char *const cpl_names[] = {"mps", "rcb", NULL};
static const char *const numa_names[] = {"local", "remote", NULL};
static const char *const kind_names[] = {"nic", "nvme", "hba", "gpu", "generic", NULL};

const char *topo_arb_name(int p) { return p >= 0 && p < 3 ? arb_names[p] : "?"; }
const char *topo_op_name(int op) { return op >= 0 && op < 2 ? op_names[op] : "?"; }

/* ---- custom handlers ---- */

static int load_weights(struct load_ctx *c, int node, void *obj)
{
	struct topo_arb *a = obj;
	yaml_node_t *m = ydoc_node(c->y, node);
	size_t n;
	int err = 0;

	if (!m || m->type != YAML_MAPPING_NODE) {
		diags_error(c->d, load_at(c, node), "weights: expected a mapping of host names to weights");
		return -EINVAL;
	}
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	a->weights = calloc(n ? n : 1, sizeof(*a->weights));
	if (!a->weights)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &m->data.mapping.pairs.start[i];
		const char *host = ydoc_scalar(c->y, p->key);
		const char *w = load_want_scalar(c, p->value, "weights");
		struct topo_weight *tw = &a->weights[a->nweights];
		if (!host) {
			diags_error(c->d, load_at(c, p->key), "weights: keys must be host names");
			err = -EINVAL;
			continue;
		}
		if (!w) {
			err = -EINVAL;
			continue;
		}
		if (units_parse_uint(w, 1000000, &tw->weight) || tw->weight == 0) {
			diags_error(c->d, load_at(c, p->value), "weights: expected a whole number from 1 to "
				    "1000000, got '%s'", w);
			err = -EINVAL;
			continue;
		}
		tw->host.name = strdup(host);
		if (!tw->host.name)
			return -ENOMEM;
		tw->host.loc = load_at(c, p->key);
		tw->host.idx = -1;
		a->nweights++;
	}
	return err;
}

static int load_priority(struct load_ctx *c, int node, void *obj)
{
	struct topo_arb *a = obj;
	yaml_node_t *s = ydoc_node(c->y, node);
	size_t n;
	int err = 0;

	if (!s || s->type != YAML_SEQUENCE_NODE) {
		diags_error(c->d, load_at(c, node), "priority: expected a list of host names");
		return -EINVAL;
	}
	n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	a->priority = calloc(n ? n : 1, sizeof(*a->priority));
	if (!a->priority)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int it = s->data.sequence.items.start[i];
		const char *h = load_want_scalar(c, it, "priority");
		if (!h) {
			err = -EINVAL;
			continue;
		}
		a->priority[a->npriority].name = strdup(h);
		if (!a->priority[a->npriority].name)
			return -ENOMEM;
		a->priority[a->npriority].loc = load_at(c, it);
		a->priority[a->npriority].idx = -1;
		a->npriority++;
	}
	return err;
}

static const struct field arb_fields[] = {
	{"policy", F_ENUM, offsetof(struct topo_arb, policy), LOC(struct topo_arb, policy_loc),
	 arb_names, NULL, 0, 0, NULL, 0},
	{"weights", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_weights, 0},
	{"priority", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_priority, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static int load_arb(struct load_ctx *c, int node, struct topo_arb *a)
{
	return load_mapping(c, node, arb_fields, a, "arbitration");
}

static int load_switch_arb(struct load_ctx *c, int node, void *obj)
{
	return load_arb(c, node, &((struct topo_switch *)obj)->arb);
}

static int load_device_arb(struct load_ctx *c, int node, void *obj)
{
	return load_arb(c, node, &((struct topo_device *)obj)->arb);
}

static const struct field iommu_fields[] = {
	{"page_size", F_SIZE, offsetof(struct topo_iommu, page_size), NOLOC, NULL, page_sizes, 0, 0,
	 NULL, 0},
	{"iotlb_entries", F_UINT, offsetof(struct topo_iommu, iotlb_entries),
	 LOC(struct topo_iommu, iotlb_entries_loc), NULL, NULL, 1, 1u << 20, NULL, 0},
	{"walk_latency", F_TIME, offsetof(struct topo_iommu, walk_latency),
	 LOC(struct topo_iommu, walk_latency_loc), NULL, NULL, 0, 0, NULL, 0},
	{"walkers", F_UINT, offsetof(struct topo_iommu, walkers), LOC(struct topo_iommu, walkers_loc),
	 NULL, NULL, 1, 1024, NULL, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static int load_iommu(struct load_ctx *c, int node, void *obj)
{
	return load_mapping(c, node, iommu_fields, &((struct topo_host *)obj)->iommu, "iommu");
}

static const struct field atc_fields[] = {
	{"entries", F_UINT, offsetof(struct topo_atc, entries), NOLOC, NULL, NULL, 1, 1u << 20, NULL,
	 0},
	{"policy", F_ENUM, offsetof(struct topo_atc, policy), NOLOC, atc_policy_names, NULL, 0, 0,
	 NULL, 0},
	{"scope", F_ENUM, offsetof(struct topo_atc, scope), NOLOC, atc_scope_names, NULL, 0, 0, NULL,
	 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static int load_atc(struct load_ctx *c, int node, void *obj)
{
	struct topo_atc *a = &((struct topo_device *)obj)->atc;

	a->present = true;
	return load_mapping(c, node, atc_fields, a, "atc");
}

/* assign.vfs: a count, or an explicit list of VF indices. */
static int load_assign_vfs(struct load_ctx *c, int node, void *obj)
{
	struct topo_assign *a = obj;
	yaml_node_t *n = ydoc_node(c->y, node);
	int err = 0;

	if (n && n->type == YAML_SEQUENCE_NODE) {
		size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
		a->explicit_list = true;
		a->vfs = calloc(cnt ? cnt : 1, sizeof(*a->vfs));
		a->vf_locs = calloc(cnt ? cnt : 1, sizeof(*a->vf_locs));
		if (!a->vfs || !a->vf_locs)
			return -ENOMEM;
		for (size_t i = 0; i < cnt; i++) {
			int it = n->data.sequence.items.start[i];
			const char *s = load_want_scalar(c, it, "vfs");
			if (load_visit(c, it))
				return -E2BIG;
			if (!s) {
				err = -EINVAL;
				continue;
			}
			if (units_parse_uint(s, 65535, &a->vfs[a->nvfs])) {
				diags_error(c->d, load_at(c, it), "vfs: expected a VF index from 0 to 65535, "
					    "got '%s'", s);
				err = -EINVAL;
				continue;
			}
			a->vf_locs[a->nvfs++] = load_at(c, it);
		}
		a->count = a->nvfs;
		if (!cnt) {
			diags_error(c->d, load_at(c, node), "vfs: the list of VF indices is empty");
			return -EINVAL;
		}
		return err;
	}
	const char *s = load_want_scalar(c, node, "vfs");
	if (!s)
		return -EINVAL;
	if (units_parse_uint(s, 65535, &a->count) || a->count == 0) {
		diags_error(c->d, load_at(c, node), "vfs: expected a number of VFs from 1 to 65535 or a "
			    "list of VF indices, got '%s'", s);
		return -EINVAL;
	}
	return 0;
}

/* workload.vfs: all | N */
static int load_workload_vfs(struct load_ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = load_want_scalar(c, node, "vfs");

	if (!s)
		return -EINVAL;
	if (strcmp(s, "all") == 0) {
		w->vfs_all = true;
		return 0;
	}
	if (units_parse_uint(s, 65535, &w->vfs_n) || w->vfs_n == 0) {
		diags_error(c->d, load_at(c, node), "vfs: expected all or a number of VFs from 1, got '%s'",
			    s);
		return -EINVAL;
	}
	w->vfs_all = false;
	return 0;
}

static int load_rate(struct load_ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = load_want_scalar(c, node, "rate");

	if (!s)
		return -EINVAL;
	if (units_parse_rate(s, &w->rate) || w->rate <= 0) {
		diags_error(c->d, load_at(c, node), "rate: expected a rate greater than 0 such as 25Gbps, "
			    "got '%s'", s);
		return -EINVAL;
	}
	w->has_rate = true;
	return 0;
}

static int load_outstanding(struct load_ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = load_want_scalar(c, node, "outstanding");

	if (!s)
		return -EINVAL;
	if (units_parse_uint(s, 65536, &w->outstanding) || w->outstanding == 0) {
		diags_error(c->d, load_at(c, node), "outstanding: expected a number of DMAs from 1 to "
			    "65536, got '%s'", s);
		return -EINVAL;
	}
	w->has_outstanding = true;
	return 0;
}

static int load_arrival(struct load_ctx *c, int node, void *obj)
{
	static const struct field f = {"arrival", F_ENUM, offsetof(struct topo_workload, arrival),
				       NOLOC, arrival_names, NULL, 0, 0, NULL, 0};
	((struct topo_workload *)obj)->arrival_given = true;
	return load_field(c, &f, node, obj);
}

/* pcie.link_overhead: spec | fraction of the raw rate in [0, 1). */
static int load_overhead(struct load_ctx *c, int node, void *obj)
{
	struct topo_pcie *p = obj;
	const char *s = load_want_scalar(c, node, "link_overhead");
	double v;

	if (!s)
		return -EINVAL;
	if (strcmp(s, "spec") == 0) {
		p->overhead_spec = true;
		return 0;
	}
	if (units_parse_time(s, &v) == 0 && strspn(s, "0123456789.eE+-") == strlen(s) && v < 1) {
		p->overhead_spec = false;
		p->overhead_fraction = v;
		return 0;
	}
	diags_error(c->d, load_at(c, node), "link_overhead: expected spec or a fraction from 0 to "
		    "below 1, got '%s'", s);
	return -EINVAL;
}

/* workload.unmap_rate (extension): pages the host unmaps per second, a plain number. */
static int load_unmap_rate(struct load_ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = load_want_scalar(c, node, "unmap_rate");
	double v;

	if (!s)
		return -EINVAL;
	if (strspn(s, "0123456789.eE+") != strlen(s) || units_parse_rate(s, &v) || v > 1e12) {
		diags_error(c->d, load_at(c, node), "unmap_rate: expected a number of unmaps per second "
			    "from 0 to 1e12, got '%s'", s);
		return -EINVAL;
	}
	w->unmap_rate = v;
	return 0;
}

#define DMA_FIELD(key, member, locm)                                                           \
	{key, F_TIME, offsetof(struct topo_device, dma.member), LOC(struct topo_device, dma.locm), \
	 NULL, NULL, 0, 0, NULL, 0}

static const struct field host_fields[] = {
	{"name", F_NAME, offsetof(struct topo_host, name), LOC(struct topo_host, loc), NULL, NULL, 0,
	 0, NULL, 1},
	{"memory_latency", F_TIME, offsetof(struct topo_host, memory_latency),
	 LOC(struct topo_host, memory_latency_loc), NULL, NULL, 0, 0, NULL, 0},
	{"profile", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_host_profile, 0},
	{"numa", F_ENUM, offsetof(struct topo_host, numa), LOC(struct topo_host, numa_loc), numa_names,
	 NULL, 0, 0, NULL, 0},
	{"remote_latency", F_TIME, offsetof(struct topo_host, remote_latency),
	 LOC(struct topo_host, remote_latency_loc), NULL, NULL, 0, 0, NULL, 0},
	{"line_time", F_TIME, offsetof(struct topo_host, line_time),
	 LOC(struct topo_host, line_time_loc), NULL, NULL, 0, 0, NULL, 0},
	{"iommu", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_iommu, 0},
	{"buffer", F_SIZE, offsetof(struct topo_host, buffer), NOLOC, NULL, NULL, 1, 1ull << 30, NULL,
	 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field switch_fields[] = {
	{"name", F_NAME, offsetof(struct topo_switch, name), LOC(struct topo_switch, loc), NULL, NULL,
	 0, 0, NULL, 1},
	{"latency", F_TIME, offsetof(struct topo_switch, latency), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"buffer", F_SIZE, offsetof(struct topo_switch, buffer), NOLOC, NULL, NULL, 1, 1ull << 30,
	 NULL, 0},
	{"flow_control", F_ENUM, offsetof(struct topo_switch, flow_control), NOLOC, fc_names, NULL, 0,
	 0, NULL, 0},
	{"arbitration", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_switch_arb, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field device_fields[] = {
	{"name", F_NAME, offsetof(struct topo_device, name), LOC(struct topo_device, loc), NULL, NULL,
	 0, 0, NULL, 1},
	{"kind", F_ENUM, offsetof(struct topo_device, kind), NOLOC, kind_names, NULL, 0, 0, NULL, 0},
	{"total_vfs", F_UINT, offsetof(struct topo_device, total_vfs),
	 LOC(struct topo_device, total_vfs_loc), NULL, NULL, 1, 65535, NULL, 0},
	{"max_vhs", F_UINT, offsetof(struct topo_device, max_vhs), LOC(struct topo_device, max_vhs_loc),
	 NULL, NULL, 1, 255, NULL, 0},
	{"atc", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_atc, 0},
	{"arbitration", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_device_arb, 0},
	{"max_rate", F_RATE, offsetof(struct topo_device, max_rate), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"profile", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_device_profile, 0},
	DMA_FIELD("dma_latency", latency, latency_loc),
	DMA_FIELD("write_interval", interval[OP_WRITE], interval_loc[OP_WRITE]),
	DMA_FIELD("read_interval", interval[OP_READ], interval_loc[OP_READ]),
	DMA_FIELD("dma_cost", cost, cost_loc),
	DMA_FIELD("dma_byte_cost", byte_cost, byte_cost_loc),
	{"dma_concurrency", F_UINT, offsetof(struct topo_device, dma.concurrency),
	 LOC(struct topo_device, dma.concurrency_loc), NULL, NULL, 0, 65536, NULL, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field link_fields[] = {
	{"a", F_REF, offsetof(struct topo_link, a), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"b", F_REF, offsetof(struct topo_link, b), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"gen", F_UINT, offsetof(struct topo_link, gen), NOLOC, NULL, NULL, 1, 6, NULL, 1},
	{"width", F_UINT, offsetof(struct topo_link, width), NOLOC, NULL, widths, 0, 0, NULL, 1},
	{"latency", F_TIME, offsetof(struct topo_link, latency), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"name", F_NAME, offsetof(struct topo_link, name), LOC(struct topo_link, name_loc), NULL, NULL,
	 0, 0, NULL, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field assign_fields[] = {
	{"host", F_REF, offsetof(struct topo_assign, host), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"device", F_REF, offsetof(struct topo_assign, device), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"vfs", F_CUSTOM, 0, LOC(struct topo_assign, count_loc), NULL, NULL, 0, 0, load_assign_vfs, 1},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field workload_fields[] = {
	{"name", F_NAME, offsetof(struct topo_workload, name), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"host", F_REF, offsetof(struct topo_workload, host), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"device", F_REF, offsetof(struct topo_workload, device), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"vfs", F_CUSTOM, 0, LOC(struct topo_workload, vfs_loc), NULL, NULL, 0, 0, load_workload_vfs,
	 0},
	{"op", F_ENUM, offsetof(struct topo_workload, op), NOLOC, op_names, NULL, 0, 0, NULL, 1},
	{"size", F_SIZE, offsetof(struct topo_workload, size), NOLOC, NULL, NULL, 1, 1ull << 30, NULL,
	 1},
	{"rate", F_CUSTOM, 0, LOC(struct topo_workload, rate_loc), NULL, NULL, 0, 0, load_rate, 0},
	{"arrival", F_CUSTOM, 0, LOC(struct topo_workload, arrival_loc), NULL, NULL, 0, 0,
	 load_arrival, 0},
	{"outstanding", F_CUSTOM, 0, LOC(struct topo_workload, outstanding_loc), NULL, NULL, 0, 0,
	 load_outstanding, 0},
	{"pattern", F_ENUM, offsetof(struct topo_workload, pattern), NOLOC, pattern_names, NULL, 0, 0,
	 NULL, 0},
	{"footprint", F_SIZE, offsetof(struct topo_workload, footprint),
	 LOC(struct topo_workload, footprint_loc), NULL, NULL, 1, 1ull << 50, NULL, 0},
	{"start", F_TIME, offsetof(struct topo_workload, start), LOC(struct topo_workload, start_loc),
	 NULL, NULL, 0, 0, NULL, 0},
	{"stop", F_TIME, offsetof(struct topo_workload, stop), LOC(struct topo_workload, stop_loc),
	 NULL, NULL, 0, 0, NULL, 0},
	{"unmap_rate", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_unmap_rate, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field run_fields[] = {
	{"duration", F_TIME, offsetof(struct topo_run, duration), NOLOC, NULL, NULL, 1, 0, NULL, 0},
	{"warmup", F_TIME, offsetof(struct topo_run, warmup), LOC(struct topo_run, warmup_loc), NULL,
	 NULL, 0, 0, NULL, 0},
	{"seed", F_UINT, offsetof(struct topo_run, seed), NOLOC, NULL, NULL, 0, UINT64_MAX, NULL, 0},
	{"bin", F_TIME, offsetof(struct topo_run, bin), LOC(struct topo_run, bin_loc), NULL, NULL, 0,
	 0, NULL, 0},
	{"batches", F_UINT, offsetof(struct topo_run, batches), NOLOC, NULL, NULL, 2, 1000, NULL, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field pcie_fields[] = {
	{"mps", F_UINT, offsetof(struct topo_pcie, mps), NOLOC, NULL, payload_sizes, 0, 0, NULL, 0},
	{"mrrs", F_UINT, offsetof(struct topo_pcie, mrrs), NOLOC, NULL, payload_sizes, 0, 0, NULL, 0},
	{"rcb", F_UINT, offsetof(struct topo_pcie, rcb), NOLOC, NULL, rcb_sizes, 0, 0, NULL, 0},
	{"tags", F_UINT, offsetof(struct topo_pcie, tags), NOLOC, NULL, NULL, 1, 1024, NULL, 0},
	{"address_bits", F_UINT, offsetof(struct topo_pcie, address_bits), NOLOC, NULL, addr_bits, 0,
	 0, NULL, 0},
	{"ecrc", F_BOOL, offsetof(struct topo_pcie, ecrc), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"completions", F_ENUM, offsetof(struct topo_pcie, completions), NOLOC, cpl_names, NULL, 0, 0,
	 NULL, 0},
	{"link_overhead", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_overhead, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

/* ---- defaults (contract §1 "Defaults") ---- */

static void arb_defaults(struct topo_arb *a)
{
	a->policy = ARB_RR;
}

static void host_defaults(struct topo_host *h)
{
	h->memory_latency = 100e-9;
	/* a remote socket's memory: pcie-bench's 64 B DMA read median on a Broadwell host,
	 * 653 ns remote vs 546 ns local (pcie-bench/data, lat_dma_sizes.dat of
	 * nfp6000-1.2GHz_bdw-Xeon-E5-2630v4-dell-t430-s0-s1-s1 and -s0-s0-s0) */
	h->remote_latency = 107e-9;
	h->buffer = 16384;
	h->iommu.page_size = 4096;
	h->iommu.iotlb_entries = 64;
	h->iommu.walk_latency = 250e-9;
	h->iommu.walkers = 4;
	h->link = -1;
}

static void switch_defaults(struct topo_switch *s)
{
	s->latency = 150e-9;
	s->buffer = 16384;
	s->flow_control = FC_PER_VH;
	arb_defaults(&s->arb);
}

static void device_defaults(struct topo_device *d)
{
	d->kind = DEV_GENERIC;
	d->total_vfs = 64;
	d->max_vhs = 8;
	d->atc.entries = 32;
	d->atc.policy = ATC_LRU;
	d->atc.scope = ATC_PER_VF;
	arb_defaults(&d->arb);
	d->link = -1;
}

static void link_defaults(struct topo_link *l)
{
	l->latency = 20e-9;
	l->a.idx = l->b.idx = -1;
}

static void workload_defaults(struct topo_workload *w)
{
	w->vfs_all = true;
	w->arrival = ARRIVAL_POISSON;
	w->pattern = PATTERN_SEQUENTIAL;
	w->footprint = 1048576;
}

/* ---- top level ---- */

#define DEFINE_LIST_LOADER(fn, T, arr, cnt, tab, what, defaults)                             \
	static int fn(struct load_ctx *c, int node, void *obj)                                      \
	{                                                                                       \
		struct topo *t = obj;                                                           \
		yaml_node_t *s = ydoc_node(c->y, node);                                         \
		size_t n;                                                                       \
		int err = 0;                                                                    \
		if (!s || s->type != YAML_SEQUENCE_NODE) {                                      \
			diags_error(c->d, load_at(c, node), "%s: expected a list, got %s", what,     \
				    s ? load_type_name(s) : "nothing");                              \
			return -EINVAL;                                                         \
		}                                                                               \
		n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);        \
		t->arr = calloc(n ? n : 1, sizeof(T));                                       \
		if (!t->arr)                                                                    \
			return -ENOMEM;                                                         \
		for (size_t i = 0; i < n; i++) {                                                \
			T *o = &t->arr[i];                                                   \
			int it = s->data.sequence.items.start[i];                               \
			struct loc prev = load_enter_use(c, node, (int)i, it);                       \
			int e;                                                                  \
			defaults(o);                                                            \
			t->cnt = i + 1;                                                         \
			o->loc = load_at_use(c, it);                                                 \
			e = load_mapping(c, it, tab, o, what);                                  \
			c->via = prev;                                                          \
			if (e == -ENOMEM || e == -E2BIG)                                        \
				return e;                                                       \
			if (e)                                                                  \
				err = e;                                                        \
		}                                                                               \
		return err;                                                                     \
	}

static void assign_defaults(struct topo_assign *a)
{
	a->host.idx = a->device.idx = -1;
}

DEFINE_LIST_LOADER(load_host_list, struct topo_host, hosts, nhosts, host_fields, "hosts",
		   host_defaults)
DEFINE_LIST_LOADER(load_switches, struct topo_switch, switches, nswitches, switch_fields,
		   "switches", switch_defaults)
DEFINE_LIST_LOADER(load_devices, struct topo_device, devices, ndevices, device_fields, "devices",
		   device_defaults)
DEFINE_LIST_LOADER(load_links, struct topo_link, links, nlinks, link_fields, "links",
		   link_defaults)
DEFINE_LIST_LOADER(load_assigns, struct topo_assign, assigns, nassigns, assign_fields, "assign",
		   assign_defaults)
DEFINE_LIST_LOADER(load_workloads, struct topo_workload, workloads, nworkloads, workload_fields,
		   "workloads", workload_defaults)

/* Every VH belongs to a host: a chassis without one has nothing to simulate. */
static int load_hosts(struct load_ctx *c, int node, void *obj)
{
	int err = load_host_list(c, node, obj);
	yaml_node_t *s = ydoc_node(c->y, node);

	if (!err && s->data.sequence.items.top == s->data.sequence.items.start) {
		diags_error(c->d, load_at(c, node), "hosts: at least one host is required");
		return -EINVAL;
	}
	return err;
}

static int load_run(struct load_ctx *c, int node, void *obj)
{
	return load_mapping(c, node, run_fields, &((struct topo *)obj)->run, "run");
}

static int load_pcie(struct load_ctx *c, int node, void *obj)
{
	return load_mapping(c, node, pcie_fields, &((struct topo *)obj)->pcie, "pcie");
}

static int load_topo_name(struct load_ctx *c, int node, void *obj)
{
	struct topo *t = obj;
	const char *s = load_want_scalar(c, node, "name");

	if (!s)
		return -EINVAL;
	if (!load_valid_name(s, 1)) {
		diags_error(c->d, load_at(c, node), "name: '%s' is not a valid topology name "
			    "(letters, digits, '_', '.' and '-')", s);
		return -EINVAL;
	}
	t->name = strdup(s);
	return t->name ? 0 : -ENOMEM;
}

static const struct field top_fields[] = {
	{"name", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_topo_name, 1},
	{"description", F_STR, offsetof(struct topo, description), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"run", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_run, 0},
	{"pcie", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_pcie, 0},
	{"hosts", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_hosts, 1},
	{"switches", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_switches, 0},
	{"devices", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_devices, 1},
	{"links", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_links, 1},
	{"assign", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_assigns, 0},
	{"workloads", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_workloads, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

void schema_defaults(struct topo *t)
{
	t->run.duration = 1e-3;
	t->run.seed = 1;
	t->run.batches = 20;
	t->pcie.mps = 256;
	t->pcie.mrrs = 512;
	t->pcie.rcb = 64;
	t->pcie.tags = 256;
	t->pcie.address_bits = 64;
	t->pcie.completions = CPL_MPS;
	t->pcie.overhead_spec = true;
}

/* Default names: links "<a>-<b>", workloads "w<index>". */
int schema_default_names(struct topo *t)
{
	for (size_t i = 0; i < t->nlinks; i++) {
		struct topo_link *l = &t->links[i];
		if (!l->name && l->a.name && l->b.name) {
			size_t n = strlen(l->a.name) + strlen(l->b.name) + 2;
			l->name = malloc(n);
			if (!l->name)
				return -ENOMEM;
			snprintf(l->name, n, "%s-%s", l->a.name, l->b.name);
			l->name_loc = l->loc;
		}
	}
	for (size_t i = 0; i < t->nworkloads; i++) {
		struct topo_workload *w = &t->workloads[i];
		if (!w->name) {
			char buf[32];
			snprintf(buf, sizeof(buf), "w%zu", i);
			w->name = strdup(buf);
			if (!w->name)
				return -ENOMEM;
		}
	}
	return 0;
}

int schema_load(struct load_ctx *c, struct topo *t)
{
	return load_mapping(c, 1, top_fields, t, "the topology");
}
