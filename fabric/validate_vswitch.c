/* validate_vswitch.c - the rules of contract §11: the software switch fits the host's
 * cores, `path: vswitch` is for a NIC's frames, and the path each workload actually takes
 * (its own, or the vswitch when its host's switch ACLs are on: seed 002's trap). */
#include "validate.h"

#include <errno.h>

static int check_host(const struct topo_host *h, struct diags *d)
{
	const struct topo_soft_switch *v = &h->vswitch;

	if (v->cores <= h->cpu.cores || (!v->present && !h->uses_vswitch))
		return 0; /* a switch that is neither described nor used needs no cores */
	diags_error(d, v->cores_loc.line ? v->cores_loc : (v->present ? v->loc : h->loc),
		    "vswitch: cores %llu%s is more than the %llu cores of host '%s' (cpu.cores)",
		    (unsigned long long)v->cores, v->cores_loc.line ? "" : " (the default)",
		    (unsigned long long)h->cpu.cores, h->name);
	return -EINVAL;
}

/* The path w takes; an explicit vswitch path on raw DMA is an error (no frames to switch). */
static int check_path(struct topo *t, struct topo_workload *w, struct diags *d)
{
	struct topo_host *h;

	if (w->host.idx < 0 || (size_t)w->host.idx >= t->nhosts)
		return 0; /* reported already */
	h = &t->hosts[w->host.idx];
	if (!topo_is_packets(w)) {
		if (w->path_loc.line && w->path == PATH_VSWITCH) {
			diags_error(d, w->path_loc, "path: vswitch applies to packets workloads (a NIC's "
				    "frames); workload '%s' is raw DMA (op)", w->name);
			return -EINVAL;
		}
		return 0; /* device DMA: no virtual switch in its way */
	}
	w->vswitch = w->path == PATH_VSWITCH || h->vswitch.acl;
	if (w->vswitch)
		h->uses_vswitch = true;
	return 0;
}

int validate_vswitch(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t i = 0; i < t->nworkloads; i++)
		if (check_path(t, &t->workloads[i], d))
			err = -EINVAL;
	for (size_t i = 0; i < t->nhosts; i++) /* after the paths: which hosts use a switch */
		if (check_host(&t->hosts[i], d))
			err = -EINVAL;
	return err;
}
