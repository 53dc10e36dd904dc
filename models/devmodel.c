/* devmodel.c - the table of device models, and what the engine's assembly and the results
 * ask of them: build and destroy per device, the endpoint of each device, their counts. */
#include "devmodel.h"

#include <errno.h>
#include <stdlib.h>

#include "alloc.h"
#include "dev.h"
#include "nic.h"

/* The device models, the first that drives a device wins; the plain DMA device drives
 * every device no other model does. A new model: its file pair and one entry here. */
static const struct dev_model *const models[] = {
	&nic_model,
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
	if (s->m->stats)
		s->m->stats(e, s->state, fn, wl, c);
}
