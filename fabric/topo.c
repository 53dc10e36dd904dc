/* topo.c - lifetime of struct topo and lookups over its nodes. */
#include "topo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum topo_node_kind topo_node_kind(const struct topo *t, int node)
{
	if (node < (int)t->nhosts)
		return NODE_HOST;
	if (node < (int)(t->nhosts + t->nswitches))
		return NODE_SWITCH;
	return NODE_DEVICE;
}

int topo_node_index(const struct topo *t, int node)
{
	switch (topo_node_kind(t, node)) {
	case NODE_HOST: return node;
	case NODE_SWITCH: return node - (int)t->nhosts;
	default: return node - (int)(t->nhosts + t->nswitches);
	}
}

const char *topo_node_name(const struct topo *t, int node)
{
	int i = topo_node_index(t, node);

	switch (topo_node_kind(t, node)) {
	case NODE_HOST: return t->hosts[i].name;
	case NODE_SWITCH: return t->switches[i].name;
	default: return t->devices[i].name;
	}
}

static const struct topo *sort_topo; /* qsort has no context argument in C11 */

static int cmp_node(const void *a, const void *b)
{
	return strcmp(topo_node_name(sort_topo, *(const int *)a),
		      topo_node_name(sort_topo, *(const int *)b));
}

int topo_index_names(struct topo *t)
{
	int n = topo_nnodes(t);

	free(t->node_index);
	t->node_index = malloc((size_t)(n ? n : 1) * sizeof(int));
	if (!t->node_index)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		t->node_index[i] = i;
	sort_topo = t;
	qsort(t->node_index, (size_t)n, sizeof(int), cmp_node);
	sort_topo = NULL;
	return 0;
}

int topo_find_node(const struct topo *t, const char *name)
{
	if (t->node_index) {
		int lo = 0, hi = topo_nnodes(t) - 1;
		while (lo <= hi) {
			int mid = lo + (hi - lo) / 2, n = t->node_index[mid];
			int c = strcmp(name, topo_node_name(t, n));
			if (!c)
				return n;
			if (c < 0)
				hi = mid - 1;
			else
				lo = mid + 1;
		}
		return -1;
	}
	for (int n = 0; n < topo_nnodes(t); n++) {
		const char *s = topo_node_name(t, n);
		if (s && strcmp(s, name) == 0)
			return n;
	}
	return -1;
}

int topo_link_peer(const struct topo *t, int l, int node)
{
	return t->links[l].a.idx == node ? t->links[l].b.idx : t->links[l].a.idx;
}

const struct topo_arb *topo_port_arb(const struct topo *t, int node, int l)
{
	int i = topo_node_index(t, node);

	switch (topo_node_kind(t, node)) {
	case NODE_SWITCH:
		for (size_t k = 0; k < t->switches[i].nports; k++)
			if (t->switches[i].ports[k].link.idx == l && t->switches[i].ports[k].has_arb)
				return &t->switches[i].ports[k].arb;
		return &t->switches[i].arb;
	case NODE_DEVICE:
		return &t->devices[i].arb;
	default:
		return NULL;
	}
}

const char *topo_device_model(const struct topo_device *d)
{
	if (d->nic.present)
		return "nic";
	return d->nvme.present ? "nvme" : NULL;
}

size_t topo_device_raw_workloads(const struct topo *t, int d)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nworkloads; i++) {
		const struct topo_workload *w = &t->workloads[i];
		n += w->device.idx == d && !topo_is_packets(w) && !topo_is_io(w);
	}
	return n;
}

static void arb_free(struct topo_arb *a)
{
	for (size_t i = 0; i < a->nweights; i++)
		free(a->weights[i].host.name);
	free(a->weights);
	for (size_t i = 0; i < a->npriority; i++)
		free(a->priority[i].name);
	free(a->priority);
	free(a->host_weight);
	free(a->host_order);
}

static void vh_free(struct topo_vh *v)
{
	for (int i = 0; i < v->npaths; i++) {
		free(v->paths[i].nodes);
		free(v->paths[i].links);
	}
	free(v->paths);
	for (int i = 0; i < v->nvswitches; i++) {
		free(v->vswitches[i].down_links);
		free(v->vswitches[i].down_secondary);
		free(v->vswitches[i].down_subordinate);
	}
	free(v->vswitches);
}

void topo_destroy(struct topo *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nhosts; i++)
		free(t->hosts[i].name);
	free(t->hosts);
	for (size_t i = 0; i < t->nswitches; i++) {
		free(t->switches[i].name);
		arb_free(&t->switches[i].arb);
		for (size_t k = 0; k < t->switches[i].nports; k++) {
			free(t->switches[i].ports[k].link.name);
			arb_free(&t->switches[i].ports[k].arb);
		}
		free(t->switches[i].ports);
	}
	free(t->switches);
	diags_free(&t->lint);
	for (size_t i = 0; i < t->nsets; i++)
		free(t->sets[i]);
	free(t->sets);
	for (size_t i = 0; i < t->ndevices; i++) {
		free(t->devices[i].name);
		arb_free(&t->devices[i].arb);
		free(t->devices[i].vf_host);
	}
	free(t->devices);
	for (size_t i = 0; i < t->nlinks; i++) {
		free(t->links[i].name);
		free(t->links[i].a.name);
		free(t->links[i].b.name);
		free(t->links[i].vhs);
	}
	free(t->links);
	for (size_t i = 0; i < t->nassigns; i++) {
		free(t->assigns[i].host.name);
		free(t->assigns[i].device.name);
		free(t->assigns[i].vfs);
		free(t->assigns[i].vf_locs);
	}
	free(t->assigns);
	for (size_t i = 0; i < t->nworkloads; i++) {
		free(t->workloads[i].name);
		free(t->workloads[i].host.name);
		free(t->workloads[i].device.name);
	}
	free(t->workloads);
	for (size_t i = 0; i < t->nevents; i++) {
		struct topo_event *ev = &t->events[i];
		free(ev->link_down.name);
		free(ev->link_up.name);
		free(ev->reset.name);
		free(ev->remove.name);
		free(ev->reassign.a.device.name);
		free(ev->reassign.a.vfs);
		free(ev->reassign.a.vf_locs);
		free(ev->reassign.to.name);
		free(ev->from_host);
	}
	free(t->events);
	if (t->vhs)
		for (size_t i = 0; i < t->nhosts; i++)
			vh_free(&t->vhs[i]);
	free(t->vhs);
	for (size_t i = 0; i < t->nfunctions; i++)
		free(t->functions[i].name);
	free(t->functions);
	free(t->dev_pf);
	free(t->vf_count);
	free(t->pf_only);
	free(t->node_index);
	free(t->name);
	free(t->description);
	free(t->file);
	free(t);
}

static void workload_free(struct topo_workload *w)
{
	free(w->name);
	free(w->host.name);
	free(w->device.name);
}

const char *topo_nearest_workload(const struct topo *t, const char *name)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, name);
	for (size_t i = 0; i < t->nworkloads; i++)
		diag_suggest_offer(&sg, t->workloads[i].name);
	return sg.best;
}

const char *topo_nearest_host(const struct topo *t, const char *name)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, name);
	for (size_t i = 0; i < t->nhosts; i++)
		diag_suggest_offer(&sg, t->hosts[i].name);
	return sg.best;
}

int topo_keep_workloads(struct topo *t, char *const *names, size_t n, const char **missing)
{
	size_t out = 0;

	for (size_t k = 0; k < n; k++) {
		size_t i = 0;
		while (i < t->nworkloads && strcmp(t->workloads[i].name, names[k]))
			i++;
		if (i == t->nworkloads) {
			*missing = names[k];
			return -ENOENT;
		}
	}
	for (size_t i = 0; i < t->nworkloads; i++) {
		bool keep = false;
		for (size_t k = 0; k < n && !keep; k++)
			keep = !strcmp(t->workloads[i].name, names[k]);
		if (keep)
			t->workloads[out++] = t->workloads[i];
		else
			workload_free(&t->workloads[i]);
	}
	t->nworkloads = out;
	for (size_t h = 0; h < t->nhosts; h++) /* contract §11: what remains of its vswitch work */
		t->hosts[h].uses_vswitch = false;
	for (size_t i = 0; i < t->nworkloads; i++)
		if (t->workloads[i].vswitch)
			t->hosts[t->workloads[i].host.idx].uses_vswitch = true;
	return 0;
}
