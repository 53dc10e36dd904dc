/* describe_arb.c - the arbitration points `mriovsim check` prints (contract §13): every
 * egress port that chooses among hosts, its policy with weights or priority, where the
 * setting comes from, and the traffic it orders. */
#include "describe.h"

/* A port whose link carries one VH has only that host's traffic: nothing to choose. */
static void one_vh(const struct topo *t, int l, FILE *f)
{
	if (t->links[l].nvhs < 2)
		fprintf(f, "    (one VH on %s: nothing to choose between hosts)\n", t->links[l].name);
}

/* "wrr, weights blade0 3, others 1" / "strict, priority blade1 > blade0, then file order" */
static void print_policy(const struct topo_arb *a, FILE *f)
{
	fprintf(f, "%s", topo_arb_name(a->policy));
	if (a->policy == ARB_WRR) {
		fprintf(f, ", weights");
		for (size_t i = 0; i < a->nweights; i++)
			fprintf(f, "%s %s %llu", i ? "," : "", a->weights[i].host.name,
				(unsigned long long)a->weights[i].weight);
		fprintf(f, "%s", a->nweights ? ", others 1" : " 1 each");
	} else if (a->policy == ARB_STRICT) {
		fprintf(f, ", priority");
		for (size_t i = 0; i < a->npriority; i++)
			fprintf(f, "%s %s", i ? " >" : "", a->priority[i].name);
		fprintf(f, "%s", a->npriority ? ", then the others in file order" : " in file order");
	}
}

static void print_device_point(const struct topo *t, size_t d, FILE *f)
{
	const struct topo_device *dev = &t->devices[d];
	int peer = topo_link_peer(t, dev->link, topo_node_of_device(t, (int)d));

	fprintf(f, "  %s -> %s (device %s, link %s): ", dev->name, topo_node_name(t, peer),
		dev->name, t->links[dev->link].name);
	print_policy(&dev->arb, f);
	fprintf(f, "\n    orders what %s sends upstream: its VFs' DMA writes (NIC receive, storage "
		   "reads) and read requests (NIC transmit, storage writes), completions of "
		   "register reads, MSI-X, translation requests\n", dev->name);
	one_vh(t, dev->link, f);
}

/* What leaves switch node sw onto link l toward peer. */
static void print_switch_point(const struct topo *t, size_t s, int l, FILE *f)
{
	const struct topo_switch *sw = &t->switches[s];
	int node = topo_node_of_switch(t, (int)s), peer = topo_link_peer(t, l, node);
	const struct topo_arb *a = topo_port_arb(t, node, l);
	const char *pn = topo_node_name(t, peer);

	fprintf(f, "  %s -> %s (port of %s onto %s): ", sw->name, pn, sw->name, t->links[l].name);
	print_policy(a, f);
	fprintf(f, a == &sw->arb ? " (the switch's)" : " (switches[].ports)");
	switch (topo_node_kind(t, peer)) {
	case NODE_DEVICE:
		fprintf(f, "\n    orders what goes down to %s: completions of its DMA reads (NIC "
			   "transmit, storage writes), doorbells and register reads, translation "
			   "completions\n", pn);
		break;
	case NODE_HOST:
		fprintf(f, "\n    orders what every device sends up to %s: DMA writes (NIC receive, "
			   "storage reads), read requests, completions, MSI-X, translation "
			   "requests\n", pn);
		break;
	default:
		fprintf(f, "\n    orders both kinds: what goes down to the devices behind %s "
			   "(completions of their DMA reads, doorbells) and what other devices send "
			   "to the hosts behind it (DMA writes, read requests, completions)\n", pn);
	}
	one_vh(t, l, f);
}

void describe_arbitration(const struct topo *t, FILE *f)
{
	fprintf(f, "arbitration points (which arbiter orders which traffic):\n");
	for (size_t d = 0; d < t->ndevices; d++)
		if (t->devices[d].link >= 0 && t->links[t->devices[d].link].nvhs > 0)
			print_device_point(t, d, f);
	for (size_t s = 0; s < t->nswitches; s++) {
		int node = topo_node_of_switch(t, (int)s);
		for (size_t l = 0; l < t->nlinks; l++)
			if ((t->links[l].a.idx == node || t->links[l].b.idx == node) &&
			    t->links[l].nvhs > 0)
				print_switch_point(t, s, (int)l, f);
	}
}
