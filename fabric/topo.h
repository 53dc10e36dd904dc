/* topo.h - the chassis in memory: hosts, switches, devices, links, VF assignment, workloads,
 * and what is derived from them (virtual hierarchies, virtual switches, functions). */
#ifndef MRIOV_TOPO_H
#define MRIOV_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum topo_node_kind { NODE_HOST, NODE_SWITCH, NODE_DEVICE };
enum topo_arb_policy { ARB_RR, ARB_WRR, ARB_STRICT };
enum topo_fc_mode { FC_PER_VH, FC_SHARED };
enum topo_op { OP_WRITE, OP_READ };
enum topo_arrival { ARRIVAL_POISSON, ARRIVAL_CONSTANT };
enum topo_pattern { PATTERN_SEQUENTIAL, PATTERN_RANDOM };
enum topo_atc_policy { ATC_LRU, ATC_FIFO, ATC_RANDOM };
enum topo_atc_scope { ATC_PER_VF, ATC_SHARED };
enum topo_completions { CPL_MPS, CPL_RCB };
enum topo_dev_kind { DEV_NIC, DEV_NVME, DEV_HBA, DEV_GPU, DEV_GENERIC };
enum topo_numa { NUMA_LOCAL, NUMA_REMOTE };
enum topo_nic_driver { NIC_KERNEL, NIC_DPDK };
enum topo_packets { PACKETS_RX, PACKETS_TX };
enum topo_path_kind { PATH_SRIOV, PATH_VSWITCH };
enum topo_io { IO_READ, IO_WRITE };

/* A reference by name to another part of the topology, resolved by validation. */
struct topo_ref {
	char *name;
	struct loc loc;
	int idx; /* index in the referenced array, -1 until resolved */
};

struct topo_weight {
	struct topo_ref host;
	uint64_t weight;
};

struct topo_arb {
	int policy; /* enum topo_arb_policy */
	struct loc policy_loc;
	struct topo_weight *weights;
	size_t nweights;
	struct topo_ref *priority;
	size_t npriority;
	/* resolved: per host index */
	uint64_t *host_weight; /* wrr weight, 1 for hosts not named */
	int *host_order;       /* strict: host indices, highest priority first */
};

struct topo_iommu {
	bool enabled; /* false: no DMA remapping, untranslated TLPs pass (§5) */
	uint64_t page_size;
	uint64_t iotlb_entries;
	double walk_latency;
	uint64_t walkers;
	struct loc iotlb_entries_loc, walk_latency_loc, walkers_loc; /* line 0: not in the file */
};

/* MSI-X handling at the root complex (contract §5, domain.md §10.3). */
struct topo_interrupts {
	bool remapping;         /* look every MSI-X write up in the interrupt remapping table */
	uint64_t cache_entries; /* interrupt entry cache (IRTEs), LRU */
	double miss_latency;    /* fetching an IRTE that misses the cache */
	double delivery_latency; /* remapped (or not) interrupt to the CPU */
};

/* hosts[].cpu (contract §11): the host's processors, a SimGrid host of `cores` cores. */
struct topo_cpu {
	bool present;     /* the key was given (else the platform keeps its 1-core default) */
	uint64_t cores;
	double frequency; /* Hz: one cycle is one SimGrid flop */
	struct loc loc, cores_loc;
};

/* hosts[].vswitch (contract §11): the host's software switch on the PF of each NIC it uses
 * (the "classic path" of seed 002). Not topo_vswitch: that is an MR-IOV virtual switch. */
struct topo_soft_switch {
	bool present;
	uint64_t cycles_per_packet; /* CPU work to switch one frame */
	double cycles_per_byte;     /* and per data byte (the copies) */
	uint64_t cores;             /* cores the switch may use at once */
	bool acl;                   /* switch ACLs on: SR-IOV is off for the host */
	struct loc loc, cores_loc, acl_loc;
};

struct topo_host {
	char *name;
	struct loc loc;
	double memory_latency;
	struct loc memory_latency_loc;
	int profile;           /* 1 + index in profile.h's host profiles, 0: none (contract §12) */
	int numa;              /* enum topo_numa: where the DMA buffers are */
	struct loc numa_loc;
	double remote_latency; /* added to memory_latency with numa: remote */
	struct loc remote_latency_loc;
	double line_time;      /* the root complex reads memory one 64-byte line per line_time */
	struct loc line_time_loc;
	struct topo_iommu iommu;
	struct topo_interrupts interrupts;
	uint64_t mmio_tags; /* register reads outstanding at once (§5) */
	uint64_t buffer; /* extension: root-complex receive buffer per class (flow control) */
	struct topo_cpu cpu;
	struct topo_soft_switch vswitch;
	/* derived */
	bool uses_vswitch; /* some workload of the host takes the vswitch path (§11) */
	int link; /* its one link into the fabric */
	int vh;   /* VH number: file order, from 1 */
};

/* switches[].ports.<link> (contract §13): what one egress port of a switch sets for itself. */
struct topo_swport {
	struct topo_ref link; /* idx: the link index, resolved by validation */
	bool has_arb;
	struct topo_arb arb;
};

struct topo_switch {
	char *name;
	struct loc loc;
	double latency;
	uint64_t buffer;
	int flow_control; /* enum topo_fc_mode */
	struct topo_arb arb;
	struct topo_swport *ports;
	size_t nports;
};

struct topo_atc {
	bool present;
	uint64_t entries;
	int policy; /* enum topo_atc_policy */
	int scope;  /* enum topo_atc_scope */
};

/* A device's DMA engine (contract §12; all 0 by default: no cost). A DMA's descriptor is
 * processed `latency` after issue (pipelined). Its operation issues at most one DMA per
 * interval[op] (the inverse of its transaction rate). Reads and writes share the engine's
 * data mover, which holds each DMA for cost + byte_cost x size: a write while its data is
 * fetched from device memory, before its first TLP; a read while its data is stored into
 * device memory, after its last completion. Each operation has `concurrency` slots (0 = no
 * bound): a DMA takes one when it reaches the head of its queue and gives it back when its
 * last TLP is sent (a write) or when it is done (a read). The mover also moves whole blocks:
 * each of the ceil(size / block[op]) blocks of a DMA adds block_cost[op], so a block begun
 * costs as much as a full one. */
struct topo_dma_engine {
	double latency;
	double interval[2]; /* [enum topo_op] */
	double cost, byte_cost;
	uint64_t block[2];      /* [enum topo_op] bytes */
	double block_cost[2];   /* [enum topo_op] */
	uint64_t concurrency;
	struct loc latency_loc, interval_loc[2], cost_loc, byte_cost_loc, concurrency_loc;
	struct loc block_loc[2], block_cost_loc[2];
};

/* A NIC's queues, descriptors, doorbells and interrupts (contract §6, domain.md §10.1). */
struct topo_nic {
	bool present;
	int driver;                 /* enum topo_nic_driver: the preset of the keys below */
	uint64_t ports;             /* Ethernet ports; VF i uses port i mod ports */
	double port_rate;           /* bit/s per port and direction (full duplex); 0: unlimited */
	uint64_t ring, desc_size, buffer;
	uint64_t tx_fetch, tx_writeback, rx_writeback;
	uint64_t tx_doorbell, rx_doorbell, tx_head_read, rx_head_read, irq_packets;
	double irq_interval, doorbell_timeout;
	struct loc loc;
};

/* An NVMe drive's queues, media and interrupts (contract §6, domain.md §10.2): a
 * controller per VF with one I/O queue pair. */
struct topo_nvme {
	bool present;
	uint64_t queue_depth;       /* entries per submission and completion queue */
	uint64_t sq_fetch;          /* submission entries fetched by one read, at most */
	double read_latency, write_latency; /* media time of a command */
	uint64_t channels;          /* media operations in progress at once, per device */
	uint64_t irq_coalesce;      /* completion entries per MSI-X; 0: polled */
	double irq_interval;        /* aggregation time; 0: off */
	uint64_t sq_doorbell, cq_doorbell; /* commands per SQ tail write, entries per CQ head write */
	struct loc loc;
};

struct topo_device {
	char *name;
	struct loc loc;
	int kind; /* enum topo_dev_kind */
	uint64_t total_vfs;
	struct loc total_vfs_loc;
	uint64_t max_vhs;
	struct loc max_vhs_loc;
	struct topo_atc atc;
	struct topo_arb arb;
	double max_rate; /* bit/s, 0 = none */
	int profile;     /* 1 + index in profile.h's device profiles, 0: none (contract §12) */
	struct topo_dma_engine dma;
	double mmio_latency; /* time to answer a register read (§6) */
	struct topo_nic nic;
	struct topo_nvme nvme;
	/* derived */
	int *vf_host; /* per VF index: host index that owns it, -1 when free */
	int link;     /* its link toward the hosts, -1 when unused and unlinked */
};

struct topo_link {
	char *name;
	struct loc loc;
	struct loc name_loc;
	struct topo_ref a, b; /* idx: node id (see topo_node_*) */
	uint64_t gen, width;
	double latency;
	/* derived */
	int nvhs;        /* VHs whose paths use this link */
	bool mr_link;    /* carries more than one VH: MR-IOV TLP prefix on every TLP */
	int *vhs;        /* the VH numbers, ascending */
};

struct topo_assign {
	struct loc loc;
	struct topo_ref host, device;
	bool explicit_list;
	uint64_t count;           /* number of VFs */
	struct loc count_loc;
	uint64_t *vfs;            /* explicit indices, or filled with the chosen ones */
	struct loc *vf_locs;      /* per explicit index */
	size_t nvfs;
};

struct topo_workload {
	char *name;
	struct loc loc;
	struct topo_ref host, device;
	bool vfs_all;
	uint64_t vfs_n;
	struct loc vfs_loc;
	int op; /* enum topo_op (packet workloads: write for rx, read for tx, set by validation) */
	struct loc op_loc;      /* line 0: no op key */
	int packets;            /* enum topo_packets */
	struct loc packets_loc; /* line 0: no packets key (a raw DMA workload) */
	double rate_pps;        /* rate given in packets per second (0: not) */
	int io;                 /* enum topo_io */
	struct loc io_loc;      /* line 0: no io key (not an NVMe workload) */
	double rate_iops;       /* rate given in commands per second (0: not) */
	struct loc depth_loc;   /* line 0: no depth key (depth is kept in outstanding) */
	bool rate_line;         /* rate: line */
	uint64_t size;
	bool has_rate, has_outstanding;
	double rate; /* bit/s */
	struct loc rate_loc;
	uint64_t outstanding;
	struct loc outstanding_loc;
	int arrival; /* enum topo_arrival */
	bool arrival_given;
	struct loc arrival_loc;
	int pattern; /* enum topo_pattern */
	uint64_t footprint;
	struct loc footprint_loc;
	double start, stop;
	struct loc start_loc, stop_loc;
	double unmap_rate; /* extension: pages the host unmaps per second (0 = none) */
	int path;          /* enum topo_path_kind as written (§11; default sriov) */
	struct loc path_loc; /* line 0: no path key */
	bool vswitch;      /* derived: the path actually used is the host's vswitch (its path,
			    * or its host's vswitch.acl) */
};

/* Runtime events of the management plane and faults (contract §10). */
enum topo_event_kind { EV_LINK_DOWN, EV_LINK_UP, EV_RESET, EV_REASSIGN, EV_REMOVE, EV_NKINDS };

/* reassign: {device, vfs, to}; `a` first, so that assign's vfs handler loads it. */
struct topo_reassign {
	struct topo_assign a;   /* a.device, a.vfs (an explicit list), a.vf_locs, a.nvfs */
	struct topo_ref to;     /* the host the VFs move to */
};

struct topo_event {
	struct loc loc;
	double at;
	struct loc at_loc;
	int kind;               /* enum topo_event_kind, set by validation */
	/* the one key given (name NULL when not): link_down/link_up name a link (idx: link
	 * index), reset a host, remove a device (idx: index in its array) */
	struct topo_ref link_down, link_up, reset, remove;
	struct topo_reassign reassign;
	struct loc reassign_loc; /* line 0: no reassign key */
	/* derived by validation: reassign, the hosts that owned each VF before (per a.vfs) */
	int *from_host;
};

struct topo_run {
	double duration, warmup, bin;
	uint64_t seed;
	uint64_t batches;         /* batch means: the window cut into this many batches (§4) */
	struct loc duration_loc, warmup_loc, bin_loc;
};

struct topo_pcie {
	uint64_t mps, mrrs, rcb, tags, address_bits;
	bool ecrc;
	int completions;          /* enum topo_completions */
	bool overhead_spec;       /* link_overhead: spec */
	double overhead_fraction; /* otherwise: fraction of the raw rate */
	/* runtime events (contract §10) */
	double completion_timeout; /* a non-posted request without its completion fails then */
	double retrain;           /* link training after link_up */
	double flr;               /* a function reset (FLR) takes this long */
};

/* A path of one VH from its host to one device: nodes[0] is the host, nodes[nhops] the device,
 * links[i] joins nodes[i] and nodes[i+1]. */
struct topo_path {
	int device;
	int bus; /* the device's bus in this VH: its PF is bus:00.0 (ARI function 0) */
	int nhops;
	int *nodes;
	int *links;
};

/* The per-VH instance of a switch (MR-IOV virtual switch), with PCI bus numbers of that VH. */
struct topo_vswitch {
	int sw;
	int vh;
	int up_link;           /* upstream virtual port: the physical port (link) toward the host */
	int up_bus;            /* bus of the upstream link (the vUSP sits on it as device 0) */
	int internal_bus;      /* the virtual switch's internal bus */
	int subordinate;       /* highest bus below it */
	int ndown;
	int *down_links;       /* downstream virtual ports, in link order */
	int *down_secondary;   /* per downstream port: secondary bus */
	int *down_subordinate; /* per downstream port: subordinate bus */
};

struct topo_vh {
	int id;   /* 1..nhosts; VH 0 is management and never carries data */
	int host;
	int npaths;
	struct topo_path *paths; /* one per device the host has VFs on, in device order */
	int nvswitches;
	struct topo_vswitch *vswitches;
};

/* A function of a device as one VH sees it. */
struct topo_function {
	char *name; /* "<device>.pf<vh>" or "<device>.vf<index>" */
	int device;
	int host;
	int vh;
	bool is_pf;
	int vf_index; /* device-wide VF index, -1 for a PF */
	int vf_num;   /* 1-based VF number under its PF (SR-IOV "VF n"), 0 for a PF */
	uint16_t rid; /* routing ID in its VH: bus << 8 | function (ARI) */
	/* it serves its host in [from, until): 0 and INFINITY but for a VF that a reassign
	 * moves (contract §10): the incarnation it leaves ends at the event, the one it joins
	 * begins when its FLR is done */
	double from, until;
};

struct topo {
	char *file; /* path as given; every loc.file points at it or at "command line" */
	char *name, *description;
	struct topo_run run;
	struct topo_pcie pcie;
	struct topo_host *hosts;
	size_t nhosts;
	struct topo_switch *switches;
	size_t nswitches;
	struct topo_device *devices;
	size_t ndevices;
	struct topo_link *links;
	size_t nlinks;
	struct topo_assign *assigns;
	size_t nassigns;
	struct topo_workload *workloads;
	size_t nworkloads;
	struct topo_event *events; /* in time order (validation checks it) */
	size_t nevents;
	/* derived by topo_build() */
	struct topo_vh *vhs; /* vhs[i] is VH i+1, owned by hosts[i] */
	struct topo_function *functions;
	size_t nfunctions;
	uint64_t *vf_count; /* [device * nhosts + host]: VFs that host owns on that device */
	/* [device * nhosts + host]: 1 when that host owns no VF of the NIC but runs vswitch-path
	 * workloads on it: its VH reaches the device for its PF alone (§11) */
	unsigned char *pf_only;
	int *dev_pf; /* [device * nhosts + host]: function index of that host's PF, -1 if none */
	int *node_index; /* node ids sorted by name, for topo_find_node() */
	struct diags lint; /* the warnings of loading it (contract §13), for the results */
	char **sets;       /* copies of the overrides it was loaded with ("command line:N") */
	size_t nsets;
};

/* Node ids: hosts first, then switches, then devices. */
static inline int topo_nnodes(const struct topo *t)
{
	return (int)(t->nhosts + t->nswitches + t->ndevices);
}
static inline int topo_node_of_host(const struct topo *t, int i) { (void)t; return i; }
static inline int topo_node_of_switch(const struct topo *t, int i) { return (int)t->nhosts + i; }
static inline int topo_node_of_device(const struct topo *t, int i)
{
	return (int)(t->nhosts + t->nswitches) + i;
}
enum topo_node_kind topo_node_kind(const struct topo *t, int node);
int topo_node_index(const struct topo *t, int node); /* index within its kind's array */
const char *topo_node_name(const struct topo *t, int node);
/* Node id of a name, -1 when no host, switch or device has it. O(log n) once
 * topo_index_names() has run (validation does it), linear before. */
int topo_find_node(const struct topo *t, const char *name);
/* Sort the node names for topo_find_node(); names must be unique. 0 or -ENOMEM. */
int topo_index_names(struct topo *t);
/* The other end of link l seen from node. */
int topo_link_peer(const struct topo *t, int l, int node);

/*
 * Load a topology file (or a buffer holding one), apply the overrides ("PATH=VALUE"
 * strings, contract §2 --set) and validate it. On success returns the topology (with
 * everything derived: VHs, virtual switches, functions, isolation proven); on failure
 * returns NULL with at least one error in diags. file names the input in diagnostics.
 */
struct topo *topo_load_file(const char *path, char *const *sets, size_t nsets,
			    struct diags *diags);
struct topo *topo_load_buffer(const char *buf, size_t len, const char *file,
			      char *const *sets, size_t nsets, struct diags *diags);
void topo_destroy(struct topo *t);
/* Keep only the workloads whose names are in names (n of them; the others are dropped, the
 * rest keep their order and names). Returns 0, or -ENOENT with *missing pointing at the
 * first name that is no workload. */
int topo_keep_workloads(struct topo *t, char *const *names, size_t n, const char **missing);

/* Validation and derivation steps used by the loader (validate*.c, vh.c, func.c,
 * isolation.c), in this order. Each adds its errors to diags and returns 0, -EINVAL after
 * reporting, or -ENOMEM without a diagnostic (the loader reports it). */
int topo_validate(struct topo *t, struct diags *diags);
int vh_build(struct topo *t, struct diags *diags);
int func_build(struct topo *t, struct diags *diags);
int isolation_check(const struct topo *t, struct diags *diags);
/* lint.c: warnings (contract §13) for values that are valid but almost certainly not meant,
 * added to diags; after isolation_check. 0 or -ENOMEM. */
int topo_lint(const struct topo *t, struct diags *diags);
/* events.c: the rules of contract §10 for `events`; topo_validate runs it after the VF
 * assignment and before the workload rules, since a reassign adds the VFs it moves to the
 * host's t->vf_count (its VH holds them from then on). 0, -EINVAL or -ENOMEM. */
int events_validate(struct topo *t, struct diags *diags);
/* The word of an event kind as the file writes it ("link_down", ...). */
const char *topo_event_name(int kind);
/* Does event ev affect host h: a reset its host, a link event every VH on the link, a
 * reassign the hosts the VFs leave and the one they join, a remove the hosts it serves?
 * For a validated topology. */
bool topo_event_affects(const struct topo *t, size_t ev, size_t h);
/* The name of what event ev acts on (a link, host or device; reassign: its device). */
const char *topo_event_subject(const struct topo *t, const struct topo_event *ev);

/* SR-IOV routing ID of VF n (1-based) under a PF (func.c; domain.md §2.2). */
uint16_t func_vf_rid(uint16_t pf_rid, int n);

/* The arbitration of node's egress port onto link l (contract §13): a switch port's own
 * `switches[].ports.<link>.arbitration` when given, else its switch's or device's; NULL for
 * a host (its root complex sends in FIFO order). For a validated topology. */
const struct topo_arb *topo_port_arb(const struct topo *t, int node, int l);

/* The workload or host name closest to name when it is a likely typo of it (diag.h's "did
 * you mean"), else NULL: for names given on the command line. */
const char *topo_nearest_workload(const struct topo *t, const char *name);
const char *topo_nearest_host(const struct topo *t, const char *name);


/* The device model that drives device d (contract §6): "nic", "nvme", or NULL when its
 * workloads are raw DMA only. */
const char *topo_device_model(const struct topo_device *d);
/* The raw DMA workloads (op, contract §1) on device index d of a validated topology: the only
 * traffic its DMA engine keys of contract §12 time (the models build their TLPs without the
 * engine; max_rate paces everything the device sends). */
size_t topo_device_raw_workloads(const struct topo *t, int d);

/* Names used in messages and in `check` output. */
const char *topo_arb_name(int policy);
const char *topo_op_name(int op);

/* A packet workload (contract §6: packets: rx | tx) rather than raw DMA (op)? */
static inline bool topo_is_packets(const struct topo_workload *w)
{
	return w->packets_loc.line > 0;
}
/* The path a packets workload's frames take (contract §11), as results name it. */
static inline const char *topo_path_name(const struct topo_workload *w)
{
	return w->vswitch ? "vswitch" : "sriov";
}
/* An NVMe workload (contract §6: io: read | write)? */
static inline bool topo_is_io(const struct topo_workload *w)
{
	return w->io_loc.line > 0;
}
/* What a workload moves, as results name it: write, read (raw DMA), rx, tx (packets), or
 * io-read, io-write (NVMe commands). */
static inline const char *topo_wl_kind(const struct topo_workload *w)
{
	if (topo_is_io(w))
		return w->io == IO_READ ? "io-read" : "io-write";
	return topo_is_packets(w) ? (w->packets == PACKETS_RX ? "rx" : "tx") : topo_op_name(w->op);
}

#endif
