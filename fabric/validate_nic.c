/* validate_nic.c - the rules of contract §6 for NICs and packet workloads: a workload is
 * raw DMA (op) or packets (on a device with nic), packet sizes are Ethernet frames, packet
 * rates (pps, line) become frame bit rates, and a NIC's batches fit in its rings. */
#include "validate.h"

#include <errno.h>

#define FRAME_MIN 64     /* Ethernet frame with its FCS (contract §6) */
#define FRAME_MAX 9018   /* jumbo frame */
#define WIRE_EXTRA 20    /* preamble/SOF 8 B + inter-frame gap 12 B (domain.md §10.1) */

/* A NIC's batches must fit in its ring, or the host would wait for more than it may post. */
static int check_nic(const struct topo_device *dev, struct diags *d)
{
	const struct topo_nic *n = &dev->nic;
	const struct {
		const char *key;
		uint64_t v;
	} b[] = {{"tx_fetch", n->tx_fetch},       {"tx_writeback", n->tx_writeback},
		 {"rx_writeback", n->rx_writeback}, {"tx_doorbell", n->tx_doorbell},
		 {"rx_doorbell", n->rx_doorbell},   {"irq_packets", n->irq_packets}};
	int err = 0;

	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (b[i].v > n->ring) {
			diags_error(d, n->loc, "nic: %s (%llu) is larger than the ring (%llu "
				    "descriptors)", b[i].key, (unsigned long long)b[i].v,
				    (unsigned long long)n->ring);
			err = -EINVAL;
		}
	if (dev->atc.present) {
		diags_error(d, n->loc, "nic: a NIC's queues do not use an ATC (its TLPs are "
			    "translated by the host's IOMMU); remove atc from device '%s'", dev->name);
		err = -EINVAL;
	}
	return err;
}

int validate_nics(struct topo *t, struct diags *d)
{
	int err = 0;

	for (size_t i = 0; i < t->ndevices; i++)
		if (t->devices[i].nic.present && check_nic(&t->devices[i], d))
			err = -EINVAL;
	return err;
}

/* A packet workload: frame size, open loop, its rate in frame bits per second. */
static int check_packets(struct topo *t, struct topo_workload *w, struct diags *d)
{
	const struct topo_nic *n = &t->devices[w->device.idx].nic;
	int err = 0;

	if (!n->present) {
		diags_error(d, w->packets_loc, "packets: device '%s' has no nic; packet workloads run "
			    "on a NIC model (contract §6)", w->device.name);
		return -EINVAL;
	}
	if (w->size < FRAME_MIN || w->size > FRAME_MAX) {
		diags_error(d, w->loc, "size: a frame is %d B to %d B with its FCS, not %llu B",
			    FRAME_MIN, FRAME_MAX, (unsigned long long)w->size);
		err = -EINVAL;
	}
	if (w->has_outstanding || !w->has_rate) {
		diags_error(d, w->has_outstanding ? w->outstanding_loc : w->loc,
			    "workload '%s': packets are open loop: give rate (bps, pps or line), "
			    "not outstanding", w->name);
		return -EINVAL;
	}
	if (w->unmap_rate > 0) {
		diags_error(d, w->loc, "workload '%s': unmap_rate applies to raw DMA workloads (a "
			    "NIC's rings and buffers stay mapped)", w->name);
		err = -EINVAL;
	}
	if (w->rate_line && !(n->port_rate > 0)) {
		diags_error(d, w->rate_loc, "rate: line needs a port_rate on device '%s' (0 is "
			    "unlimited)", w->device.name);
		return -EINVAL;
	}
	if (err)
		return err;
	/* a bit rate counts frame bits (contract §6) */
	if (w->rate_line)
		w->rate = n->port_rate * (double)w->size / (double)(w->size + WIRE_EXTRA);
	else if (w->rate_pps > 0)
		w->rate = w->rate_pps * (double)w->size * 8;
	w->op = w->packets == PACKETS_RX ? OP_WRITE : OP_READ; /* the data's direction */
	return 0;
}

/* Keys that belong to another kind of workload than w's. */
static int check_foreign_keys(const struct topo_workload *w, struct diags *d)
{
	if (w->depth_loc.line) {
		diags_error(d, w->depth_loc, "depth: applies to io workloads (NVMe commands); a "
			    "raw DMA workload's closed loop is outstanding");
		return -EINVAL;
	}
	if (w->rate_iops > 0) {
		diags_error(d, w->rate_loc, "rate: command rates (iops) apply to io workloads");
		return -EINVAL;
	}
	return 0;
}

int validate_workload_kind(struct topo *t, struct topo_workload *w, struct diags *d)
{
	bool op = w->op_loc.line > 0, pk = w->packets_loc.line > 0, io = w->io_loc.line > 0;

	if (op && pk) {
		diags_error(d, w->packets_loc, "workload '%s' gives both op (raw DMA) and packets "
			    "(NIC frames); give one", w->name);
		return -EINVAL;
	}
	if (io && (op || pk)) {
		diags_error(d, w->io_loc, "workload '%s' gives both %s and io (NVMe commands); give "
			    "one", w->name, op ? "op (raw DMA)" : "packets (NIC frames)");
		return -EINVAL;
	}
	if (!op && !pk && !io) {
		diags_error(d, w->loc, "workload '%s' needs op (raw DMA: write or read), packets (a "
			    "NIC's frames: rx or tx) or io (an NVMe drive's commands: read or write)",
			    w->name);
		return -EINVAL;
	}
	if (io)
		return validate_io(t, w, d);
	if (check_foreign_keys(w, d))
		return -EINVAL;
	if (pk)
		return check_packets(t, w, d);
	if (w->rate_line || w->rate_pps > 0) {
		diags_error(d, w->rate_loc, "rate: packet rates (pps, line) apply to packets "
			    "workloads; a raw DMA workload takes a bit rate such as 25Gbps");
		return -EINVAL;
	}
	return 0;
}
