/* schema.h - the contract's keys, private to the loader: the field tables (schema.c) and the
 * handlers of the keys that are not plain values (schema_load.c). */
#ifndef MRIOV_SCHEMA_H
#define MRIOV_SCHEMA_H

#include "loadfield.h"

/* An arbitration mapping's keys, and a switch port's (switches[].ports.<link>). */
extern const struct field schema_arb_fields[], schema_port_fields[];
/* Item tables of the top-level lists, for the list loaders and their defaults. */
extern const struct field schema_atc_fields[], schema_nic_fields[], schema_nvme_fields[], schema_host_fields[], schema_switch_fields[], schema_device_fields[],
	schema_link_fields[], schema_assign_fields[], schema_workload_fields[],
	schema_event_fields[];

/* Custom handlers (schema_load.c): each loads node into obj, reporting what is wrong.
 * 0, -EINVAL, -ENOMEM or -E2BIG. */
int schema_load_weights(struct load_ctx *c, int node, void *obj);   /* obj: struct topo_arb */
int schema_load_priority(struct load_ctx *c, int node, void *obj);  /* obj: struct topo_arb */
/* schema_ports.c: switches[].ports (obj: struct topo_switch) and a port's arbitration (obj:
 * struct topo_swport) */
int schema_load_ports(struct load_ctx *c, int node, void *obj);
int schema_load_port_arb(struct load_ctx *c, int node, void *obj);
int schema_load_atc(struct load_ctx *c, int node, void *obj);
int schema_load_nic(struct load_ctx *c, int node, void *obj);       /* obj: struct topo_device */
int schema_load_nvme(struct load_ctx *c, int node, void *obj);      /* obj: struct topo_device */
int schema_load_assign_vfs(struct load_ctx *c, int node, void *obj); /* struct topo_assign */
int schema_load_workload_vfs(struct load_ctx *c, int node, void *obj); /* struct topo_workload */
int schema_load_rate(struct load_ctx *c, int node, void *obj);      /* struct topo_workload */
int schema_load_outstanding(struct load_ctx *c, int node, void *obj);
int schema_load_depth(struct load_ctx *c, int node, void *obj);
int schema_load_arrival(struct load_ctx *c, int node, void *obj);
int schema_load_unmap_rate(struct load_ctx *c, int node, void *obj);
int schema_load_overhead(struct load_ctx *c, int node, void *obj);  /* struct topo_pcie */
int schema_load_topo_name(struct load_ctx *c, int node, void *obj); /* struct topo */
int schema_load_hosts(struct load_ctx *c, int node, void *obj);     /* the lists: struct topo */
int schema_load_switches(struct load_ctx *c, int node, void *obj);
int schema_load_devices(struct load_ctx *c, int node, void *obj);
int schema_load_links(struct load_ctx *c, int node, void *obj);
int schema_load_assigns(struct load_ctx *c, int node, void *obj);
int schema_load_workloads(struct load_ctx *c, int node, void *obj);
int schema_load_events(struct load_ctx *c, int node, void *obj);
int schema_load_reassign_vfs(struct load_ctx *c, int node, void *obj); /* topo_reassign */
/* schema_cpu.c (contract §11): hosts[].cpu and hosts[].vswitch (obj: struct topo_host), and
 * their custom values; schema_cpu_defaults sets the defaults of those custom values. */
extern const struct field schema_cpu_fields[], schema_vswitch_fields[];
int schema_load_cpu(struct load_ctx *c, int node, void *obj);
int schema_load_vswitch(struct load_ctx *c, int node, void *obj);
int schema_load_frequency(struct load_ctx *c, int node, void *obj);      /* struct topo_cpu */
int schema_load_cycles_per_byte(struct load_ctx *c, int node, void *obj); /* soft_switch */
void schema_cpu_defaults(struct topo_host *h);

#endif
