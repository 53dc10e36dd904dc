/* validate_nvme.c - the rules of contract §6 for NVMe drives and io workloads: a drive's
 * batches fit in its queues, an io workload runs on a device with nvme, its commands are
 * whole 512-byte blocks, its closed loop (depth) fits the queue and cannot wait forever,
 * and command rates (iops) become data bit rates. */
#include "validate.h"

#include <errno.h>

#define BLOCK 512                 /* NVMe logical block: commands move whole blocks */
#define IO_MAX (2u * 1024 * 1024) /* 2 MiB: a PRP list of 511 entries still fits one page */

static int check_nvme(const struct topo_device *dev, struct diags *d)
{
	const struct topo_nvme *n = &dev->nvme;
	const struct {
		const char *key;
		uint64_t v;
	} b[] = {{"sq_fetch", n->sq_fetch},       {"sq_doorbell", n->sq_doorbell},
		 {"cq_doorbell", n->cq_doorbell}, {"irq_coalesce", n->irq_coalesce}};
	int err = 0;

	/* a queue of queue_depth entries holds at most queue_depth - 1 commands (NVMe: full
	 * when the tail is one behind the head) */
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (b[i].v >= n->queue_depth) {
			diags_error(d, n->loc, "nvme: %s (%llu) must be smaller than queue_depth "
				    "(%llu entries)", b[i].key, (unsigned long long)b[i].v,
				    (unsigned long long)n->queue_depth);
			err = -EINVAL;
		}
	if (n->irq_coalesce == 0 && n->irq_interval > 0) {
		diags_error(d, n->loc, "nvme: irq_interval applies to interrupts, and irq_coalesce "
			    "0 polls the completion queue; give irq_coalesce 1 or more");
		err = -EINVAL;
	}
	if (dev->atc.present) {
		diags_error(d, n->loc, "nvme: an NVMe drive's queues do not use an ATC (its TLPs are "
			    "translated by the host's IOMMU); remove atc from device '%s'", dev->name);
		err = -EINVAL;
	}
	if (dev->nic.present) {
		diags_error(d, n->loc, "nvme: device '%s' has a nic too; a device has one model",
			    dev->name);
		err = -EINVAL;
	}
	return err;
}

int validate_nvmes(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t i = 0; i < t->ndevices; i++)
		if (t->devices[i].nvme.present && check_nvme(&t->devices[i], d))
			err = -EINVAL;
	return err;
}

/* A closed loop that cannot start: its first depth commands ring no doorbell (fewer than
 * sq_doorbell), or those rung raise no interrupt (fewer than irq_coalesce, no irq_interval).
 * depth >= sq_doorbell + irq_coalesce - 1 never stalls later either (docs/model.md). */
static int check_depth(const struct topo_nvme *n, const struct topo_workload *w,
		       struct diags *d)
{
	uint64_t rung = w->outstanding / n->sq_doorbell * n->sq_doorbell;

	if (w->outstanding >= n->queue_depth) {
		diags_error(d, w->depth_loc, "depth: %llu commands do not fit a queue of %llu "
			    "entries (at most %llu)", (unsigned long long)w->outstanding,
			    (unsigned long long)n->queue_depth,
			    (unsigned long long)n->queue_depth - 1);
		return -EINVAL;
	}
	if (!rung || (n->irq_coalesce && !(n->irq_interval > 0) && rung < n->irq_coalesce)) {
		diags_error(d, w->depth_loc, "depth: %llu commands wait forever for %s (%s %llu); "
			    "give depth %llu or more%s", (unsigned long long)w->outstanding,
			    rung ? "an interrupt" : "a doorbell", rung ? "irq_coalesce" : "sq_doorbell",
			    (unsigned long long)(rung ? n->irq_coalesce : n->sq_doorbell),
			    (unsigned long long)(rung ? (n->irq_coalesce + n->sq_doorbell - 1) /
							    n->sq_doorbell * n->sq_doorbell
						      : n->sq_doorbell),
			    rung ? ", or an irq_interval" : "");
		return -EINVAL;
	}
	return 0;
}

int validate_io(struct topo *t, struct topo_workload *w, struct diags *d)
{
	const struct topo_nvme *n = &t->devices[w->device.idx].nvme;
	int err = 0;

	if (!n->present) {
		diags_error(d, w->io_loc, "io: device '%s' has no nvme; I/O workloads run on an "
			    "NVMe model (contract §6)", w->device.name);
		return -EINVAL;
	}
	if (w->size % BLOCK || w->size > IO_MAX) {
		diags_error(d, w->loc, "size: a command moves whole 512 B blocks, up to 2 MiB, not "
			    "%llu B", (unsigned long long)w->size);
		err = -EINVAL;
	}
	if (w->outstanding_loc.line) {
		diags_error(d, w->outstanding_loc, "outstanding: an io workload's closed loop is "
			    "depth (commands in flight per VF)");
		return -EINVAL;
	}
	if (w->rate_pps > 0 || w->rate_line) {
		diags_error(d, w->rate_loc, "rate: packet rates (pps, line) apply to packets "
			    "workloads; an io workload takes iops or a bit rate");
		return -EINVAL;
	}
	if (w->unmap_rate > 0) {
		diags_error(d, w->loc, "workload '%s': unmap_rate applies to raw DMA workloads (an "
			    "NVMe drive's queues and buffers stay mapped)", w->name);
		err = -EINVAL;
	}
	if (w->depth_loc.line && !w->has_rate && check_depth(n, w, d))
		err = -EINVAL;
	if (err)
		return err;
	if (w->rate_iops > 0) /* a bit rate counts data bits, as throughput does */
		w->rate = w->rate_iops * (double)w->size * 8;
	w->op = w->io == IO_READ ? OP_WRITE : OP_READ; /* the data's direction (contract §1) */
	return 0;
}
