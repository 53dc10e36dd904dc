/* validate.h - the parts of topo_validate() (validate.c), private to fabric/validate*.c. Each
 * check adds its errors to the diagnostics and returns 0, -EINVAL after reporting, or
 * -ENOMEM (with nothing reported: the loader says "out of memory"). */
#ifndef MRIOV_VALIDATE_H
#define MRIOV_VALIDATE_H

#include "topo.h"

/* "host", "switch" or "device", for messages. */
const char *validate_kind_word(enum topo_node_kind k);

/* Resolve r->name to r->idx among the nodes of one kind: the index in that kind's array.
 * kind < 0 (link ends) accepts any node, sets the node id, and suggests the nearest name
 * on a typo, since any node may be meant. 0 or -EINVAL after reporting. */
int validate_resolve(const struct topo *t, struct topo_ref *r, int kind, const char *key,
		     struct diags *d);

/* validate_links.c: link ends, one link per host and device, no cycle. Sets hosts[].link and
 * devices[].link. */
int validate_links(struct topo *t, struct diags *d);

/* validate_assign.c: resolves assign entries and gives out the VFs (devices[].vf_host,
 * assigns[].vfs, t->vf_count), checking max_vhs. */
int validate_assign(struct topo *t, struct diags *d);

/* validate_assign.c: the workload rules across keys; after validate_assign. */
int validate_workloads(struct topo *t, struct diags *d);
/* validate_nic.c: a NIC's batches fit its ring; a workload is op or packets (packet rates
 * become frame bit rates, packets set op to the data's direction). 0 or -EINVAL. */
int validate_nics(struct topo *t, struct diags *d);
int validate_workload_kind(struct topo *t, struct topo_workload *w, struct diags *d);
/* validate_vswitch.c (contract §11): vswitch.cores within cpu.cores, path: vswitch only on
 * packets; sets workloads[].vswitch (the path used) and hosts[].uses_vswitch. After
 * validate_workloads. 0 or -EINVAL. */
int validate_vswitch(struct topo *t, struct diags *d);
/* validate_nvme.c: an NVMe drive's batches fit its queues; an io workload (command rates
 * become data bit rates, io sets op to the data's direction). 0 or -EINVAL. */
int validate_nvmes(struct topo *t, struct diags *d);
int validate_io(struct topo *t, struct topo_workload *w, struct diags *d);

#endif
