/* func.c - the functions each VH sees on a shared device: one PF per host it serves and the
 * VFs assigned to that host, with their routing IDs (SR-IOV First VF Offset / VF Stride). */
#include "topo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The SR-IOV capability values every PF of the model reports. Offset 1 and stride 1 with ARI
 * pack the VFs right after the PF (the PCIe Base Spec §9.2.1.2 example; domain.md §2.2).
 */
#define FUNC_FIRST_VF_OFFSET 1
#define FUNC_VF_STRIDE 1

/* VF n (1-based) of a PF: RID = (PF RID + First VF Offset + (n - 1) * VF Stride) mod 2^16. */
uint16_t func_vf_rid(uint16_t pf_rid, int n)
{
	return (uint16_t)(pf_rid + FUNC_FIRST_VF_OFFSET + (unsigned)(n - 1) * FUNC_VF_STRIDE);
}

static int add_function(struct topo *t, int dev, int host, int vf_index, int vf_num,
			uint16_t rid)
{
	struct topo_function *f = &t->functions[t->nfunctions];
	char buf[256];

	if (vf_index < 0)
		snprintf(buf, sizeof(buf), "%s.pf%d", t->devices[dev].name, host + 1);
	else
		snprintf(buf, sizeof(buf), "%s.vf%d", t->devices[dev].name, vf_index);
	f->name = strdup(buf);
	if (!f->name)
		return -ENOMEM;
	f->device = dev;
	f->host = host;
	f->vh = host + 1;
	f->is_pf = vf_index < 0;
	f->vf_index = vf_index;
	f->vf_num = vf_num;
	f->rid = rid;
	f->from = 0;
	f->until = INFINITY;
	t->nfunctions++;
	return 0;
}

/* The VFs reassign events move to host h on device dv, after those it owns from the start
 * (in event order, so that a VH's VFs keep their RID order): each an incarnation of its own
 * that begins when the move's FLR is done (contract §10). */
static int add_moved_in(struct topo *t, int dv, int h, uint16_t pf_rid, int *n)
{
	for (size_t i = 0; i < t->nevents; i++) {
		const struct topo_event *ev = &t->events[i];
		const struct topo_assign *a = &ev->reassign.a;
		if (ev->kind != EV_REASSIGN || a->device.idx != dv || ev->reassign.to.idx != h)
			continue;
		for (size_t k = 0; k < a->nvfs; k++) {
			++*n;
			if (add_function(t, dv, h, (int)a->vfs[k], *n, func_vf_rid(pf_rid, *n)))
				return -ENOMEM;
			t->functions[t->nfunctions - 1].from = ev->at + t->pcie.flr;
		}
	}
	return 0;
}

/* The incarnation each reassign ends: the VF's function in the VH it leaves. */
static void end_moved_out(struct topo *t)
{
	for (size_t i = 0; i < t->nevents; i++) {
		const struct topo_event *ev = &t->events[i];
		const struct topo_assign *a = &ev->reassign.a;
		for (size_t k = 0; ev->kind == EV_REASSIGN && k < a->nvfs; k++)
			for (size_t f = 0; f < t->nfunctions; f++) {
				struct topo_function *fn = &t->functions[f];
				if (fn->device == a->device.idx && fn->vf_index == (int)a->vfs[k] &&
				    fn->host == ev->from_host[k] && fn->from <= ev->at &&
				    fn->until > ev->at)
					fn->until = ev->at;
			}
	}
}

static const struct topo_path *path_to(const struct topo *t, int host, int dev)
{
	const struct topo_vh *vh = &t->vhs[host];

	for (int i = 0; i < vh->npaths; i++)
		if (vh->paths[i].device == dev)
			return &vh->paths[i];
	return NULL;
}

int func_build(struct topo *t, struct diags *d)
{
	size_t total = 0;

	(void)d;
	for (size_t dv = 0; dv < t->ndevices; dv++) {
		total += t->devices[dv].total_vfs; /* upper bound of VFs */
		total += t->nhosts;                /* and of PFs */
	}
	for (size_t i = 0; i < t->nevents; i++) /* and the VFs that move, once more each */
		total += t->events[i].kind == EV_REASSIGN ? t->events[i].reassign.a.nvfs : 0;
	t->functions = calloc(total ? total : 1, sizeof(*t->functions));
	t->dev_pf = malloc((t->ndevices * t->nhosts + 1) * sizeof(int));
	if (!t->functions || !t->dev_pf)
		return -ENOMEM;
	for (size_t i = 0; i < t->ndevices * t->nhosts; i++)
		t->dev_pf[i] = -1;
	for (size_t dv = 0; dv < t->ndevices; dv++) {
		const struct topo_device *dev = &t->devices[dv];
		for (size_t h = 0; h < t->nhosts; h++) {
			const struct topo_path *p = path_to(t, (int)h, (int)dv);
			uint16_t pf_rid;
			int n = 0;
			if (!p)
				continue;
			pf_rid = (uint16_t)(p->bus << 8); /* PF at bus:00.0 */
			t->dev_pf[dv * t->nhosts + h] = (int)t->nfunctions;
			if (add_function(t, (int)dv, (int)h, -1, 0, pf_rid))
				return -ENOMEM;
			for (uint64_t v = 0; v < dev->total_vfs; v++) {
				if (dev->vf_host[v] != (int)h)
					continue;
				n++;
				if (add_function(t, (int)dv, (int)h, (int)v, n, func_vf_rid(pf_rid, n)))
					return -ENOMEM;
			}
			if (add_moved_in(t, (int)dv, (int)h, pf_rid, &n))
				return -ENOMEM;
		}
	}
	end_moved_out(t);
	return 0;
}
