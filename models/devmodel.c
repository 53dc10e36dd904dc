/* devmodel.c - the table of device models, and what the engine's assembly and the results
 * ask of them: build and destroy per device, the endpoint of each device, their counts;
 * and what the models share: their receive, their TLPs toward the host, read completions. */
#include "devmodel.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "alloc.h"
#include "dev.h"
#include "nic.h"
#include "nvme.h"

/* The device models, the first that drives a device wins; the plain DMA device drives
 * every device no other model does. A new model: its file pair and one entry here. */
static const struct dev_model *const models[] = {
	&nic_model,
	&nvme_model,
	&dev_dma_model,
};

const struct dev_model *dev_model_of(const struct topo_device *d)
{
	size_t n = sizeof(models) / sizeof(models[0]);

	for (size_t i = 0; i + 1 < n; i++)
		if (models[i]->drives(d))
			return models[i];
	return models[n - 1];
}

int dev_models_build(struct eng *e)
{
	const struct topo *t = e->t;

	e->dev_slots = mriov_calloc(t->ndevices ? t->ndevices : 1, sizeof(*e->dev_slots));
	if (!e->dev_slots)
		return -ENOMEM;
	for (size_t d = 0; d < t->ndevices; d++) {
		struct dev_slot *s = &e->dev_slots[d];
		int err;
		s->e = e;
		s->dev = (int)d;
		s->m = dev_model_of(&t->devices[d]);
		if (s->m->build && (err = s->m->build(e, (int)d, &s->state)))
			return err;
	}
	return 0;
}

void dev_models_destroy(struct eng *e)
{
	if (!e->dev_slots)
		return;
	for (size_t d = 0; d < e->t->ndevices; d++) {
		struct dev_slot *s = &e->dev_slots[d];
		if (s->m && s->m->destroy)
			s->m->destroy(e, s->state);
	}
	free(e->dev_slots);
	e->dev_slots = NULL;
}

void dev_counts_of(const struct eng *e, int fn, int wl, struct dev_counts *c)
{
	int d = fn >= 0 ? e->t->functions[fn].device : e->t->workloads[wl].device.idx;
	const struct dev_slot *s = &e->dev_slots[d];

	c->packets = c->drops = c->ios = -1;
	c->busy = -1;
	c->busy_what = NULL;
	if (s->m->stats)
		s->m->stats(e, s->state, fn, wl, c);
}

void dev_model_reset(struct eng *e, int fn, double now)
{
	const struct dev_slot *s = &e->dev_slots[e->t->functions[fn].device];

	if (s->m->reset)
		s->m->reset(e, s->state, fn, now);
}

void dev_model_back(struct eng *e, int fn, double now)
{
	const struct dev_slot *s = &e->dev_slots[e->t->functions[fn].device];

	if (s->m->back)
		s->m->back(e, s->state, fn, now);
}

void dev_model_leave(struct eng *e, int fn, double now)
{
	const struct dev_slot *s = &e->dev_slots[e->t->functions[fn].device];

	if (s->m->leave)
		s->m->leave(e, s->state, fn, now);
}

void dev_model_split(struct eng *e, int wl, double now)
{
	const struct dev_slot *s = &e->dev_slots[e->t->workloads[wl].device.idx];

	if (s->m->split)
		s->m->split(e, s->state, wl, now);
}

void dev_slot_receive(void *ep, struct port *in, struct tlp *t, double hdr, double tail)
{
	const struct dev_slot *s = ep;

	dev_receive(s->e, in, t, hdr, tail);
}

bool dev_read_done(struct eng *e, struct vf *vf, const struct tlp *t, double tail)
{
	if (!t->last)
		return false;
	dev_tag_give(e, vf, tail);
	return true;
}

void dev_tag_give(struct eng *e, struct vf *vf, double tail)
{
	struct dma_engine *rd = vf->eng[OP_READ].vf ? &vf->eng[OP_READ] : NULL;
	/* A source that lacked a tag waits for the earliest return; with a tag free now that
	 * one has come, so nothing waits and the port need not look again. The port of a
	 * device with raw DMA engines is always told: its decisions make their lazy arrivals,
	 * so when it decides shows in the results (docs/performance.md, "device models"). */
	bool waited = e->dev_dma[vf->device].lazy || tpool_exhausted(&vf->tags, e->now);

	if (tpool_give(&vf->tags, 1, tail))
		e->err = -ENOMEM;
	if (!waited)
		return;
	if (rd)
		src_wake_by(&rd->src, tail);
	eng_signal_at(vf->port, tail);
}

struct tlp *dev_tlp_up(struct eng *e, int fn, double t, int type, int purpose, uint64_t addr,
		       uint32_t bytes, uint64_t key,
		       void (*landed)(struct eng *e, struct tlp *t, double when))
{
	struct tlp *x = eng_tlp_new(e);

	if (!x)
		return NULL;
	x->type = type;
	x->cls = type == PCIE_MWR ? TLP_P : TLP_NP;
	x->purpose = (uint8_t)purpose;
	x->vh = e->t->functions[fn].vh;
	x->fn = fn;
	x->payload = type == PCIE_MWR ? bytes : 0;
	x->len = bytes;
	x->addr = addr;
	x->route = eng_fn_route(e, fn, true);
	x->ready = t;
	x->at = AT_UNTRANSLATED;
	x->key = key;
	x->landed = landed;
	x->epoch = e->vfs[fn].epoch; /* a reset since makes it stale (fault_model_stale) */
	return x;
}

void dev_push_up(struct eng *e, int fn, struct src *s, double t, int type, int purpose,
		 uint64_t addr, uint32_t bytes, uint64_t key,
		 void (*landed)(struct eng *e, struct tlp *t, double when))
{
	struct tlp *x = dev_tlp_up(e, fn, t, type, purpose, addr, bytes, key, landed);

	if (!x)
		return;
	src_push(s, x);
	eng_signal_at(e->vfs[fn].port, t);
}

#define PAGE_4K 4096 /* no TLP crosses a 4 KiB boundary (PCIe Base Spec §2.2.7) */

uint32_t dev_push_chunks(struct eng *e, int fn, struct src *s, double t, int type, int purpose,
			 uint64_t addr, uint32_t bytes, uint32_t max, uint64_t key, bool every,
			 void (*landed)(struct eng *e, struct tlp *t, double when))
{
	uint32_t count = 0;

	while (bytes) {
		uint32_t n = bytes < max ? bytes : max, room = PAGE_4K - (uint32_t)(addr % PAGE_4K);
		if (room < n)
			n = room;
		bytes -= n;
		dev_push_up(e, fn, s, t, type, purpose, addr, n, key, every || !bytes ? landed : NULL);
		addr += n;
		count++;
	}
	return count;
}
