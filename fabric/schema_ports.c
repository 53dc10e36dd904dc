/* schema_ports.c - `switches[].ports` (contract §13): per egress port of a switch, keyed by
 * the name of the link the port leaves on, what that port sets for itself (its
 * arbitration). The keys are resolved to links by validation (validate.c). */
#include "schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int schema_load_port_arb(struct load_ctx *c, int node, void *obj)
{
	struct topo_swport *p = obj;

	p->has_arb = true;
	return load_mapping(c, node, schema_arb_fields, &p->arb, "arbitration");
}

/* One "<link>: {arbitration: ...}" pair into p. */
static int load_port(struct load_ctx *c, const yaml_node_pair_t *pair, struct topo_swport *p)
{
	const char *name = ydoc_scalar(c->y, pair->key);

	p->arb.policy = ARB_RR;
	p->link.idx = -1;
	if (!name) {
		diags_error(c->d, load_at(c, pair->key), "ports: keys must be link names");
		return -EINVAL;
	}
	if (!load_valid_name(name, 0)) {
		diags_error(c->d, load_at(c, pair->key), "ports: '%s' is not a link name (letters, "
			    "digits, '_' and '-')", name);
		return -EINVAL;
	}
	p->link.name = strdup(name);
	if (!p->link.name)
		return -ENOMEM;
	p->link.loc = load_at_use(c, pair->key);
	char what[160];
	snprintf(what, sizeof(what), "ports.%s", name);
	return load_mapping(c, pair->value, schema_port_fields, p, what);
}

int schema_load_ports(struct load_ctx *c, int node, void *obj)
{
	struct topo_switch *s = obj;
	yaml_node_t *m = ydoc_node(c->y, node);
	size_t n;
	int err = 0;

	if (!m || m->type != YAML_MAPPING_NODE) {
		diags_error(c->d, load_at(c, node), "ports: expected a mapping of link names to port "
			    "settings, got %s", m ? load_type_name(m) : "nothing");
		return -EINVAL;
	}
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	s->ports = calloc(n ? n : 1, sizeof(*s->ports));
	if (!s->ports)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *pair = &m->data.mapping.pairs.start[i];
		struct loc prev = load_enter_use(c, node, 2 * (int)i + 1, pair->value);
		int e;
		if (load_visit(c, pair->value))
			return -E2BIG;
		e = load_port(c, pair, &s->ports[s->nports]);
		s->nports++; /* counted even when partial: topo_destroy frees what it holds */
		c->via = prev;
		if (e == -ENOMEM || e == -E2BIG)
			return e;
		if (e)
			err = e;
	}
	return err;
}
