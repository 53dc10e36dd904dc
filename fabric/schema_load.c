/* schema_load.c - loading the keys of schema.c that are not plain values (weights,
 * priorities, VF counts and lists, rates, the top-level lists), and the defaults of what a
 * file leaves out (contract §1 "Defaults", from the tables' def strings). */
#include "schema.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char *const schema_arrival_names[];

/* ---- custom handlers ---- */

int schema_load_weights(struct load_ctx *c, int node, void *obj)
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

int schema_load_priority(struct load_ctx *c, int node, void *obj)
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

/* nic: the driver's preset first, then every key given (contract §6: "either may be
 * overridden key by key"), whatever their order in the mapping. */
int schema_load_nic(struct load_ctx *c, int node, void *obj)
{
	struct topo_nic *n = &((struct topo_device *)obj)->nic;
	yaml_node_t *m = ydoc_node(c->y, node);
	int err;

	if ((err = fields_defaults(schema_nic_fields, n)))
		return err;
	n->present = true;
	n->loc = load_at(c, node);
	for (yaml_node_pair_t *p = m && m->type == YAML_MAPPING_NODE ? m->data.mapping.pairs.start
								  : NULL;
	     p && p < m->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(c->y, p->key), *v = ydoc_scalar(c->y, p->value);
		if (k && v && strcmp(k, "driver") == 0 && strcmp(v, "dpdk") == 0) {
			/* the poll-mode driver (domain.md §10.1): batched TX tails, no interrupts,
			 * no head-register reads */
			n->tx_doorbell = 32;
			n->tx_head_read = 0;
			n->rx_head_read = 0;
			n->irq_packets = 0;
		}
	}
	return load_mapping(c, node, schema_nic_fields, n, "nic");
}

int schema_load_nvme(struct load_ctx *c, int node, void *obj)
{
	struct topo_nvme *n = &((struct topo_device *)obj)->nvme;
	int err;

	if ((err = fields_defaults(schema_nvme_fields, n)))
		return err;
	n->present = true;
	n->loc = load_at(c, node);
	return load_mapping(c, node, schema_nvme_fields, n, "nvme");
}

int schema_load_atc(struct load_ctx *c, int node, void *obj)
{
	struct topo_atc *a = &((struct topo_device *)obj)->atc;

	a->present = true;
	return load_mapping(c, node, schema_atc_fields, a, "atc");
}

/* assign.vfs: a count, or an explicit list of VF indices. */
int schema_load_assign_vfs(struct load_ctx *c, int node, void *obj)
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

/* events[].reassign.vfs: which VFs move must be said (a count names none). */
int schema_load_reassign_vfs(struct load_ctx *c, int node, void *obj)
{
	yaml_node_t *n = ydoc_node(c->y, node);

	if (!n || n->type != YAML_SEQUENCE_NODE) {
		diags_error(c->d, load_at(c, node), "vfs: expected a list of the VF indices that move, "
			    "such as [0, 1]");
		return -EINVAL;
	}
	return schema_load_assign_vfs(c, node, &((struct topo_reassign *)obj)->a);
}

/* workload.vfs: all | N */
int schema_load_workload_vfs(struct load_ctx *c, int node, void *obj)
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

int schema_load_rate(struct load_ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = load_want_scalar(c, node, "rate");

	if (!s)
		return -EINVAL;
	w->rate_line = false;
	w->rate_pps = 0;
	w->rate_iops = 0;
	w->rate = 0;
	if (strcmp(s, "line") == 0) { /* packets: the port's line rate (validation checks) */
		w->rate_line = true;
	} else if (units_parse_pps(s, &w->rate_pps) == 0) {
		if (!(w->rate_pps > 0)) {
			diags_error(c->d, load_at(c, node), "rate: expected a packet rate greater "
				    "than 0 such as 10Mpps, got '%s'", s);
			return -EINVAL;
		}
	} else if (units_parse_iops(s, &w->rate_iops) == 0) {
		if (!(w->rate_iops > 0)) {
			diags_error(c->d, load_at(c, node), "rate: expected a command rate greater "
				    "than 0 such as 20Kiops, got '%s'", s);
			return -EINVAL;
		}
	} else if (units_parse_rate(s, &w->rate) || w->rate <= 0) {
		diags_error(c->d, load_at(c, node), "rate: expected a rate greater than 0 such as 25Gbps, "
			    "10Mpps or line, got '%s'", s);
		return -EINVAL;
	}
	w->has_rate = true;
	return 0;
}

int schema_load_outstanding(struct load_ctx *c, int node, void *obj)
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

/* io workloads: depth is their closed loop, kept in outstanding (contract §6) */
int schema_load_depth(struct load_ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = load_want_scalar(c, node, "depth");

	if (!s)
		return -EINVAL;
	if (units_parse_uint(s, 65535, &w->outstanding) || w->outstanding == 0) {
		diags_error(c->d, load_at(c, node), "depth: expected a number of commands from 1 to "
			    "65535, got '%s'", s);
		return -EINVAL;
	}
	w->has_outstanding = true;
	return 0;
}

int schema_load_arrival(struct load_ctx *c, int node, void *obj)
{
	static const struct field f = {.key = "arrival", .type = F_ENUM,
				       .off = offsetof(struct topo_workload, arrival),
				       .names = schema_arrival_names};
	((struct topo_workload *)obj)->arrival_given = true;
	return load_field(c, &f, node, obj);
}

/* pcie.link_overhead: spec | fraction of the raw rate in [0, 1). */
int schema_load_overhead(struct load_ctx *c, int node, void *obj)
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
int schema_load_unmap_rate(struct load_ctx *c, int node, void *obj)
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

/* ---- defaults (contract §1 "Defaults": the tables' def strings) ---- */

/* Each list item starts from its table's defaults; what the tables do not hold (derived
 * indices, custom keys) is set here. A def that does not parse is a bug in schema.c:
 * tests/check_schema.c loads every table's defaults. */
static void host_defaults(struct topo_host *h)
{
	fields_defaults(schema_host_fields, h);
	schema_cpu_defaults(h);
	h->link = -1;
}

static void switch_defaults(struct topo_switch *s)
{
	fields_defaults(schema_switch_fields, s);
}

static void device_defaults(struct topo_device *d)
{
	fields_defaults(schema_device_fields, d);
	d->link = -1;
}

static void link_defaults(struct topo_link *l)
{
	fields_defaults(schema_link_fields, l);
	l->a.idx = l->b.idx = -1;
}

static void assign_defaults(struct topo_assign *a)
{
	fields_defaults(schema_assign_fields, a);
	a->host.idx = a->device.idx = -1;
}

/* vfs: all; arrival: poisson; unmap_rate: 0 (custom keys, their def strings say so) */
static void workload_defaults(struct topo_workload *w)
{
	fields_defaults(schema_workload_fields, w);
	w->vfs_all = true;
	w->arrival = ARRIVAL_POISSON;
	w->unmap_rate = 0;
}

static void event_defaults(struct topo_event *ev)
{
	fields_defaults(schema_event_fields, ev);
	ev->link_down.idx = ev->link_up.idx = ev->reset.idx = ev->remove.idx = -1;
	ev->reassign.a.device.idx = ev->reassign.to.idx = -1;
}

/* run and pcie; pcie.link_overhead: spec */
int schema_defaults(struct topo *t)
{
	t->pcie.overhead_spec = true;
	return fields_defaults(schema_top_fields, t);
}

/* ---- top level ---- */

#define DEFINE_LIST_LOADER(fn, T, arr, cnt, tab, what, defaults)                             \
	int fn(struct load_ctx *c, int node, void *obj)                                             \
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

/* hosts: the list, then the rule that it holds one (schema_load_hosts) */
static int load_host_list(struct load_ctx *c, int node, void *obj);
DEFINE_LIST_LOADER(load_host_list, struct topo_host, hosts, nhosts, schema_host_fields, "hosts",
		   host_defaults)
DEFINE_LIST_LOADER(schema_load_switches, struct topo_switch, switches, nswitches,
		   schema_switch_fields, "switches", switch_defaults)
DEFINE_LIST_LOADER(schema_load_devices, struct topo_device, devices, ndevices,
		   schema_device_fields, "devices", device_defaults)
DEFINE_LIST_LOADER(schema_load_links, struct topo_link, links, nlinks, schema_link_fields,
		   "links", link_defaults)
DEFINE_LIST_LOADER(schema_load_assigns, struct topo_assign, assigns, nassigns,
		   schema_assign_fields, "assign", assign_defaults)
DEFINE_LIST_LOADER(schema_load_workloads, struct topo_workload, workloads, nworkloads,
		   schema_workload_fields, "workloads", workload_defaults)
DEFINE_LIST_LOADER(schema_load_events, struct topo_event, events, nevents, schema_event_fields,
		   "events", event_defaults)

/* Every VH belongs to a host: a chassis without one has nothing to simulate. */
int schema_load_hosts(struct load_ctx *c, int node, void *obj)
{
	int err = load_host_list(c, node, obj);
	yaml_node_t *s = ydoc_node(c->y, node);

	if (!err && s->data.sequence.items.top == s->data.sequence.items.start) {
		diags_error(c->d, load_at(c, node), "hosts: at least one host is required");
		return -EINVAL;
	}
	return err;
}

int schema_load_topo_name(struct load_ctx *c, int node, void *obj)
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
	return load_mapping(c, 1, schema_top_fields, t, "the topology");
}
