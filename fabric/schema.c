/* schema.c - the keys of the topology contract (§1, §8): one field table per mapping, with
 * each key's type, range, default and meaning. The loader (schema_load.c, loadfield.c), the
 * defaults, fleet expansion (fleet.c) and `mriovsim schema` (jsonschema.c) all read these
 * tables: a key exists for all of them or for none. */
#include "schema.h"

#include "profile.h"

#include <stddef.h>

/* ---- value sets of the contract ---- */
static const uint64_t payload_sizes[] = {128, 256, 512, 1024, 2048, 4096, 0};
static const uint64_t rcb_sizes[] = {64, 128, 0};
static const uint64_t addr_bits[] = {32, 64, 0};
static const uint64_t widths[] = {1, 2, 4, 8, 12, 16, 32, 0};
static const uint64_t page_sizes[] = {4096, 2097152, 1073741824, 0};
static const char *const arb_names[] = {"rr", "wrr", "strict", NULL};
static const char *const fc_names[] = {"per_vh", "shared", NULL};
static const char *const op_names[] = {"write", "read", NULL};
static const char *const pattern_names[] = {"sequential", "random", NULL};
static const char *const atc_policy_names[] = {"lru", "fifo", "random", NULL};
static const char *const atc_scope_names[] = {"per_vf", "shared", NULL};
static const char *const cpl_names[] = {"mps", "rcb", NULL};
static const char *const numa_names[] = {"local", "remote", NULL};
static const char *const kind_names[] = {"nic", "nvme", "hba", "gpu", "generic", NULL};
static const char *const driver_names[] = {"kernel", "dpdk", NULL};
static const char *const packets_names[] = {"rx", "tx", NULL};
static const char *const path_names[] = {"sriov", "vswitch", NULL};
static const char *const io_names[] = {"read", "write", NULL};
/* schema_load.c's arrival handler reads it too */
const char *const schema_arrival_names[] = {"poisson", "constant", NULL};

const char *topo_arb_name(int p) { return p >= 0 && p < 3 ? arb_names[p] : "?"; }
const char *topo_op_name(int op) { return op >= 0 && op < 2 ? op_names[op] : "?"; }

#define AT(T, m) .off = offsetof(T, m)
#define END {.key = NULL}
/* A time of a device's DMA engine (contract §12), 0 by default: no cost. */
#define DMA_TIME(k, member, locm, text)                                                         \
	{.key = k, .type = F_TIME, AT(struct topo_device, dma.member),                          \
	 .loc_off = LOC(struct topo_device, dma.locm), .def = "0ns", .doc = text}

#define DMA_BLOCK(k, op, text)                                                                  \
	{.key = k, .type = F_SIZE, AT(struct topo_device, dma.block[op]),                       \
	 .loc_off = LOC(struct topo_device, dma.block_loc[op]), .min = 1, .max = 4096,          \
	 .def = "64B", .doc = text}

const struct field schema_arb_fields[] = {
	{.key = "policy", .type = F_ENUM, AT(struct topo_arb, policy),
	 .loc_off = LOC(struct topo_arb, policy_loc), .names = arb_names, .def = "rr",
	 .doc = "rr: round robin among hosts; wrr: weighted (weights); strict: priority order"},
	{.key = "weights", .type = F_CUSTOM, .custom = schema_load_weights,
	 .doc = "wrr: relative share per host name; hosts not named weigh 1",
	 .json = "{\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\", "
		 "\"minimum\": 1, \"maximum\": 1000000}}"},
	{.key = "priority", .type = F_CUSTOM, .custom = schema_load_priority,
	 .doc = "strict: host names, highest priority first; unnamed hosts follow in file order",
	 .json = "{\"type\": \"array\", \"items\": {\"type\": \"string\"}}"},
	END};

static const struct field iommu_fields[] = {
	{.key = "enabled", .type = F_BOOL, AT(struct topo_iommu, enabled), .def = "true",
	 .doc = "DMA remapping (§5); false: untranslated TLPs pass, the VFs' ATCs stay unused"},
	{.key = "page_size", .type = F_SIZE, AT(struct topo_iommu, page_size),
	 .allowed = page_sizes, .def = "4KiB", .doc = "IOMMU page size: 4KiB, 2MiB or 1GiB"},
	{.key = "iotlb_entries", .type = F_UINT, AT(struct topo_iommu, iotlb_entries),
	 .loc_off = LOC(struct topo_iommu, iotlb_entries_loc), .min = 1, .max = 1u << 20,
	 .def = "64", .doc = "entries of the host's IOTLB"},
	{.key = "walk_latency", .type = F_TIME, AT(struct topo_iommu, walk_latency),
	 .loc_off = LOC(struct topo_iommu, walk_latency_loc), .def = "250ns",
	 .doc = "time added to a translation that misses the IOTLB"},
	{.key = "walkers", .type = F_UINT, AT(struct topo_iommu, walkers),
	 .loc_off = LOC(struct topo_iommu, walkers_loc), .min = 1, .max = 1024, .def = "4",
	 .doc = "page walks in flight at once"},
	END};

/* interrupt remapping at the root complex (contract §5); a miss is a memory read like a
 * page-walk step (domain.md §10.3) */
static const struct field interrupts_fields[] = {
	{.key = "remapping", .type = F_BOOL, AT(struct topo_interrupts, remapping), .def = "true",
	 .doc = "look every MSI-X write up in the interrupt remapping table"},
	{.key = "cache_entries", .type = F_UINT, AT(struct topo_interrupts, cache_entries),
	 .min = 1, .max = 1u << 20, .def = "64",
	 .doc = "interrupt entry cache (IRTEs), LRU, keyed by (function, vector)"},
	{.key = "miss_latency", .type = F_TIME, AT(struct topo_interrupts, miss_latency),
	 .def = "200ns", .doc = "fetching an IRTE that misses the cache"},
	{.key = "delivery_latency", .type = F_TIME, AT(struct topo_interrupts, delivery_latency),
	 .def = "100ns", .doc = "the remapped (or not) interrupt to the CPU"},
	END};

const struct field schema_atc_fields[] = {
	{.key = "entries", .type = F_UINT, AT(struct topo_atc, entries), .min = 1, .max = 1u << 20,
	 .def = "32", .doc = "entries of the address translation cache"},
	{.key = "policy", .type = F_ENUM, AT(struct topo_atc, policy), .names = atc_policy_names,
	 .def = "lru", .doc = "replacement policy"},
	{.key = "scope", .type = F_ENUM, AT(struct topo_atc, scope), .names = atc_scope_names,
	 .def = "per_vf", .doc = "per_vf: one cache per VF; shared: one per device"},
	END};

/* The NIC of contract §6; the defaults are the kernel preset (domain.md §10.1: ixgbe and
 * pcie-bench's model of the Linux driver); schema_load_nic applies dpdk's before the keys. */
const struct field schema_nic_fields[] = {
	{.key = "driver", .type = F_ENUM, AT(struct topo_nic, driver), .names = driver_names,
	 .def = "kernel", .doc = "kernel or dpdk: a preset of the keys below, each overridable"},
	{.key = "ports", .type = F_UINT, AT(struct topo_nic, ports), .min = 1, .max = 64, .def = "1",
	 .doc = "Ethernet ports; VF i uses port i mod ports"},
	{.key = "port_rate", .type = F_RATE, AT(struct topo_nic, port_rate), .def = "100Gbps",
	 .doc = "line rate of each port, each direction (full duplex); 0: unlimited"},
	{.key = "ring", .type = F_UINT, AT(struct topo_nic, ring), .min = 2, .max = 65536,
	 .def = "512", .doc = "descriptors in each RX and TX ring (one queue pair per VF)"},
	{.key = "desc_size", .type = F_SIZE, AT(struct topo_nic, desc_size), .min = 4, .max = 256,
	 .def = "16B", .doc = "bytes per descriptor and per write-back"},
	{.key = "buffer", .type = F_SIZE, AT(struct topo_nic, buffer), .min = 64,
	 .max = 1ull << 30, .def = "512KiB", .doc = "on-chip packet buffer per port (RX frames "
						     "waiting for DMA)"},
	{.key = "tx_fetch", .type = F_UINT, AT(struct topo_nic, tx_fetch), .min = 1, .max = 65536,
	 .def = "40", .doc = "TX descriptors fetched by one read, at most"},
	{.key = "tx_writeback", .type = F_UINT, AT(struct topo_nic, tx_writeback), .min = 1,
	 .max = 65536, .def = "8", .doc = "TX descriptors written back by one write"},
	{.key = "rx_writeback", .type = F_UINT, AT(struct topo_nic, rx_writeback), .min = 1,
	 .max = 65536, .def = "1", .doc = "RX descriptors written back by one write"},
	{.key = "tx_doorbell", .type = F_UINT, AT(struct topo_nic, tx_doorbell), .min = 1,
	 .max = 65536, .def = "1", .doc = "packets the host posts per TX tail write (dpdk: 32)"},
	{.key = "rx_doorbell", .type = F_UINT, AT(struct topo_nic, rx_doorbell), .min = 1,
	 .max = 65536, .def = "32", .doc = "free buffers the host returns per RX tail write"},
	{.key = "tx_head_read", .type = F_UINT, AT(struct topo_nic, tx_head_read), .max = 65536,
	 .def = "1", .doc = "packets per host read of the TX head register; 0: never (dpdk)"},
	{.key = "rx_head_read", .type = F_UINT, AT(struct topo_nic, rx_head_read), .max = 65536,
	 .def = "8", .doc = "packets per host read of the RX head register; 0: never (dpdk)"},
	{.key = "irq_packets", .type = F_UINT, AT(struct topo_nic, irq_packets), .max = 65536,
	 .def = "32", .doc = "packets per MSI-X interrupt, per queue; 0: polling (dpdk)"},
	{.key = "irq_interval", .type = F_TIME, AT(struct topo_nic, irq_interval), .def = "0",
	 .doc = "also interrupt this long after the first unannounced packet; 0: off"},
	{.key = "doorbell_timeout", .type = F_TIME, AT(struct topo_nic, doorbell_timeout),
	 .def = "2us", .doc = "the host writes a pending tail at the latest this late"},
	END};

/* The NVMe drive of contract §6; defaults from domain.md §10.2 (docs/model.md): Linux's
 * queues of 1024 entries, no coalescing (one MSI-X per completion), a doorbell per command;
 * TLC NAND reads of ~80 us, writes into the drive's cache in ~20 us; 32 operations in
 * flight inside the drive. */
const struct field schema_nvme_fields[] = {
	{.key = "queue_depth", .type = F_UINT, AT(struct topo_nvme, queue_depth), .min = 2,
	 .max = 65536, .def = "1024", .doc = "entries per submission and completion queue (one "
					     "queue pair per VF)"},
	{.key = "sq_fetch", .type = F_UINT, AT(struct topo_nvme, sq_fetch), .min = 1, .max = 64,
	 .def = "1", .doc = "submission entries (64 B) fetched by one read, at most"},
	{.key = "read_latency", .type = F_TIME, AT(struct topo_nvme, read_latency), .def = "80us",
	 .doc = "media time of a read command"},
	{.key = "write_latency", .type = F_TIME, AT(struct topo_nvme, write_latency),
	 .def = "20us", .doc = "media time of a write command (to the drive's cache)"},
	{.key = "channels", .type = F_UINT, AT(struct topo_nvme, channels), .min = 1, .max = 4096,
	 .def = "32", .doc = "media operations in progress at once, per device (served in order "
			     "of arrival, whatever the controller)"},
	{.key = "irq_coalesce", .type = F_UINT, AT(struct topo_nvme, irq_coalesce), .max = 65536,
	 .def = "1", .doc = "completion entries per MSI-X interrupt; 0: polled"},
	{.key = "irq_interval", .type = F_TIME, AT(struct topo_nvme, irq_interval), .def = "0",
	 .doc = "also interrupt this long after the first unannounced completion; 0: off"},
	{.key = "sq_doorbell", .type = F_UINT, AT(struct topo_nvme, sq_doorbell), .min = 1,
	 .max = 65536, .def = "1", .doc = "commands per SQ tail doorbell write"},
	{.key = "cq_doorbell", .type = F_UINT, AT(struct topo_nvme, cq_doorbell), .min = 1,
	 .max = 65536, .def = "1", .doc = "completions consumed per CQ head doorbell write"},
	END};

const struct field schema_host_fields[] = {
	{.key = "name", .type = F_NAME, AT(struct topo_host, name),
	 .loc_off = LOC(struct topo_host, loc), .required = 1, .flags = FL_RANGE,
	 .doc = "unique across hosts, switches and devices; may hold one range [N-M]"},
	{.key = "memory_latency", .type = F_TIME, AT(struct topo_host, memory_latency),
	 .loc_off = LOC(struct topo_host, memory_latency_loc), .flags = FL_BARE_LINT, .def = "100ns",
	 .doc = "root complex and memory time to serve a DMA read"},
	{.key = "profile", .type = F_CUSTOM, .custom = load_host_profile,
	 .doc = "calibrated values fitted on pcie-bench's measurements (contract §12); a key "
		"in the file or --set wins over its profile",
	 .json = "{\"type\": \"string\", \"enum\": [\"bdw-e5-2630v4\", \"hsw-e5-2620v3\", "
		 "\"snb-e5-2630\"]}"},
	{.key = "numa", .type = F_ENUM, AT(struct topo_host, numa),
	 .loc_off = LOC(struct topo_host, numa_loc), .names = numa_names, .def = "local",
	 .doc = "remote: the DMA buffers are on the other socket (adds remote_latency to reads)"},
	/* pcie-bench, Broadwell E5-2630 v4: 653 ns remote, 546 ns local for a 64 B DMA read
	 * (pcie-bench/data, lat_dma_sizes.dat of ...-dell-t430-s0-s1-s1 and -s0-s0-s0) */
	{.key = "remote_latency", .type = F_TIME, AT(struct topo_host, remote_latency),
	 .loc_off = LOC(struct topo_host, remote_latency_loc), .def = "107ns",
	 .doc = "added to memory_latency with numa: remote"},
	{.key = "line_time", .type = F_TIME, AT(struct topo_host, line_time),
	 .loc_off = LOC(struct topo_host, line_time_loc), .def = "0ns",
	 .doc = "the root complex reads a request's memory one 64-byte line per line_time before "
		"it sends each completion; 0: no cost"},
	{.key = "iommu", .type = F_MAP, AT(struct topo_host, iommu), .sub = iommu_fields,
	 .doc = "the host's translation agent"},
	{.key = "interrupts", .type = F_MAP, AT(struct topo_host, interrupts),
	 .sub = interrupts_fields, .doc = "MSI-X handling at the root complex (contract §5)"},
	{.key = "mmio_tags", .type = F_UINT, AT(struct topo_host, mmio_tags), .min = 1, .max = 1024,
	 .def = "32", .doc = "register reads the host's driver may have outstanding at once"},
	{.key = "buffer", .type = F_SIZE, AT(struct topo_host, buffer), .min = 1, .max = 1ull << 30,
	 .def = "16KiB", .doc = "root-complex receive buffer per flow-control class (extension)"},
	{.key = "cpu", .type = F_CUSTOM, AT(struct topo_host, cpu), .custom = schema_load_cpu,
	 .sub = schema_cpu_fields, .doc = "the host's processors (contract §11): a SimGrid host of "
					  "that many cores at that speed"},
	{.key = "vswitch", .type = F_CUSTOM, AT(struct topo_host, vswitch),
	 .custom = schema_load_vswitch, .sub = schema_vswitch_fields,
	 .doc = "the host's software switch on the PF of each NIC it uses (contract §11)"},
	END};

/* switches[].ports.<link> (contract §13): what one egress port sets for itself */
const struct field schema_port_fields[] = {
	{.key = "arbitration", .type = F_CUSTOM, .custom = schema_load_port_arb,
	 .sub = schema_arb_fields,
	 .doc = "this port's arbitration among VHs, instead of the switch's; policy rr unless given"},
	END};

const struct field schema_switch_fields[] = {
	{.key = "name", .type = F_NAME, AT(struct topo_switch, name),
	 .loc_off = LOC(struct topo_switch, loc), .required = 1, .flags = FL_RANGE,
	 .doc = "unique across hosts, switches and devices; may hold one range [N-M]"},
	{.key = "latency", .type = F_TIME, AT(struct topo_switch, latency), .def = "150ns",
	 .flags = FL_BARE_LINT,
	 .doc = "port-to-port forwarding latency (cut-through)"},
	{.key = "buffer", .type = F_SIZE, AT(struct topo_switch, buffer), .min = 1,
	 .max = 1ull << 30, .def = "16KiB",
	 .doc = "ingress buffer per port per VH (flow-control credits)"},
	{.key = "flow_control", .type = F_ENUM, AT(struct topo_switch, flow_control),
	 .names = fc_names, .def = "per_vh",
	 .doc = "per_vh: a queue and credits per VH at each ingress port; shared: one FIFO and one "
		"credit pool per ingress port"},
	{.key = "arbitration", .type = F_MAP, AT(struct topo_switch, arb), .sub = schema_arb_fields,
	 .doc = "at every egress port of this switch, among VHs, unless the port has its own"},
	{.key = "ports", .type = F_CUSTOM, .custom = schema_load_ports, .flags = FL_NAMED,
	 .sub = schema_port_fields,
	 .doc = "per egress port, keyed by the name of the link it leaves on (contract §13)"},
	END};

const struct field schema_device_fields[] = {
	{.key = "name", .type = F_NAME, AT(struct topo_device, name),
	 .loc_off = LOC(struct topo_device, loc), .required = 1, .flags = FL_RANGE,
	 .doc = "unique across hosts, switches and devices; may hold one range [N-M]"},
	{.key = "kind", .type = F_ENUM, AT(struct topo_device, kind), .names = kind_names,
	 .def = "generic", .doc = "descriptive only"},
	{.key = "total_vfs", .type = F_UINT, AT(struct topo_device, total_vfs),
	 .loc_off = LOC(struct topo_device, total_vfs_loc), .min = 1, .max = 65535, .def = "64",
	 .doc = "VFs the device can expose, over all hosts together"},
	{.key = "max_vhs", .type = F_UINT, AT(struct topo_device, max_vhs),
	 .loc_off = LOC(struct topo_device, max_vhs_loc), .min = 1, .max = 255, .def = "8",
	 .doc = "hosts (VHs) the device can serve at once"},
	{.key = "atc", .type = F_CUSTOM, AT(struct topo_device, atc), .custom = schema_load_atc,
	 .sub = schema_atc_fields, .doc = "device address translation cache (ATS); no key: no ATS"},
	{.key = "arbitration", .type = F_MAP, AT(struct topo_device, arb), .sub = schema_arb_fields,
	 .doc = "the device's egress (its upstream link), among hosts"},
	{.key = "max_rate", .type = F_RATE, AT(struct topo_device, max_rate), .def = "0",
	 .doc = "cap on the device's DMA engine; 0: none"},
	{.key = "profile", .type = F_CUSTOM, .custom = load_device_profile,
	 .doc = "calibrated DMA engine values fitted on pcie-bench's measurements (contract §12); "
		"a key in the file or --set wins over its profile",
	 .json = "{\"type\": \"string\", \"enum\": [\"nfp6000\"]}"},
	DMA_TIME("dma_latency", latency, latency_loc,
		 "a write's descriptor is processed this long after issue, a read is done this "
		 "long after its data is stored (pipelined)"),
	DMA_TIME("write_interval", interval[OP_WRITE], interval_loc[OP_WRITE],
		 "at most one write per interval: the inverse of the engine's write rate"),
	DMA_TIME("read_interval", interval[OP_READ], interval_loc[OP_READ],
		 "at most one read per interval: the inverse of the engine's read rate"),
	DMA_TIME("dma_cost", cost, cost_loc,
		 "the data mover (shared by reads and writes) holds each DMA this long, plus"),
	DMA_TIME("dma_byte_cost", byte_cost, byte_cost_loc,
		 "this long per byte: a write before its first TLP, a read after its last "
		 "completion"),
	DMA_BLOCK("write_block", OP_WRITE, "the data mover fetches a write's data in blocks of this size"),
	DMA_TIME("write_block_cost", block_cost[OP_WRITE], block_cost_loc[OP_WRITE],
		 "and this long per block begun (a partial block costs a whole one)"),
	DMA_BLOCK("read_block", OP_READ, "the data mover stores a read's data in blocks of this size"),
	DMA_TIME("read_block_cost", block_cost[OP_READ], block_cost_loc[OP_READ],
		 "and this long per block begun (a partial block costs a whole one)"),
	{.key = "dma_concurrency", .type = F_UINT, AT(struct topo_device, dma.concurrency),
	 .loc_off = LOC(struct topo_device, dma.concurrency_loc), .max = 65536, .def = "0",
	 .doc = "DMAs of each operation in flight in the engine; 0: no bound"},
	{.key = "mmio_latency", .type = F_TIME, AT(struct topo_device, mmio_latency),
	 .def = "200ns", .doc = "time a function takes to answer its host's register read (§6)"},
	{.key = "nic", .type = F_CUSTOM, AT(struct topo_device, nic), .custom = schema_load_nic,
	 .sub = schema_nic_fields, .doc = "queues, descriptors, doorbells and interrupts of a NIC "
					  "(§6); no key: raw DMA workloads only"},
	{.key = "nvme", .type = F_CUSTOM, AT(struct topo_device, nvme), .custom = schema_load_nvme,
	 .sub = schema_nvme_fields, .doc = "submission/completion queues, media and interrupts of "
					   "an NVMe drive, a controller per VF (§6)"},
	END};

const struct field schema_link_fields[] = {
	{.key = "a", .type = F_REF, AT(struct topo_link, a), .required = 1, .flags = FL_RANGE,
	 .doc = "one end: a host, switch or device name"},
	{.key = "b", .type = F_REF, AT(struct topo_link, b), .required = 1, .flags = FL_RANGE,
	 .doc = "the other end"},
	{.key = "gen", .type = F_UINT, AT(struct topo_link, gen), .min = 1, .max = 6, .required = 1,
	 .doc = "PCIe generation"},
	{.key = "width", .type = F_UINT, AT(struct topo_link, width), .allowed = widths,
	 .required = 1, .doc = "lanes"},
	{.key = "latency", .type = F_TIME, AT(struct topo_link, latency), .def = "20ns",
	 .flags = FL_BARE_LINT,
	 .doc = "PHY and flight time, each direction"},
	{.key = "name", .type = F_NAME, AT(struct topo_link, name),
	 .loc_off = LOC(struct topo_link, name_loc), .flags = FL_RANGE,
	 .doc = "default \"<a>-<b>\" (formed after fleet expansion)"},
	END};

const struct field schema_assign_fields[] = {
	{.key = "host", .type = F_REF, AT(struct topo_assign, host), .required = 1,
	 .flags = FL_RANGE, .doc = "the host that gets the VFs"},
	{.key = "device", .type = F_REF, AT(struct topo_assign, device), .required = 1,
	 .flags = FL_RANGE, .doc = "the device whose VFs it gets"},
	{.key = "vfs", .type = F_CUSTOM, .loc_off = LOC(struct topo_assign, count_loc),
	 .custom = schema_load_assign_vfs, .required = 1,
	 .doc = "a number of VFs (the lowest free indices) or a list of VF indices",
	 .json = "{\"oneOf\": [{\"type\": \"integer\", \"minimum\": 1, \"maximum\": 65535}, "
		 "{\"type\": \"array\", \"minItems\": 1, \"items\": {\"type\": \"integer\", "
		 "\"minimum\": 0, \"maximum\": 65535}}]}"},
	END};

/* a workload's rate: a bit rate, or (packet workloads, §6) a packet rate or line */
#define WORKLOAD_RATE_JSON \
	"{\"anyOf\": [{\"type\": \"number\", \"exclusiveMinimum\": 0}, {\"$ref\": " \
	"\"#/$defs/rate\"}, {\"type\": \"string\", \"pattern\": " \
	"\"^([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)([eE][+-]?[0-9]+)?(pps|Kpps|Mpps|iops|Kiops|Miops)$\"}, " \
	"{\"const\": \"line\"}]}"

const struct field schema_workload_fields[] = {
	{.key = "name", .type = F_NAME, AT(struct topo_workload, name), .flags = FL_RANGE,
	 .doc = "default \"w<index>\"; may hold one range [N-M]"},
	{.key = "host", .type = F_REF, AT(struct topo_workload, host), .required = 1,
	 .flags = FL_RANGE, .doc = "it runs on every VF this host owns on the device"},
	{.key = "device", .type = F_REF, AT(struct topo_workload, device), .required = 1,
	 .flags = FL_RANGE, .doc = "the device whose functions issue the DMAs"},
	{.key = "vfs", .type = F_CUSTOM, .loc_off = LOC(struct topo_workload, vfs_loc),
	 .custom = schema_load_workload_vfs, .def = "all",
	 .doc = "all, or N: the first N of the host's VFs on the device",
	 .json = "{\"oneOf\": [{\"const\": \"all\"}, {\"type\": \"integer\", \"minimum\": 1, "
		 "\"maximum\": 65535}]}"},
	{.key = "op", .type = F_ENUM, AT(struct topo_workload, op),
	 .loc_off = LOC(struct topo_workload, op_loc), .names = op_names,
	 .doc = "raw DMA: write, the device writes host memory (posted); read: it reads host "
		"memory (a workload has op or packets)"},
	{.key = "packets", .type = F_ENUM, AT(struct topo_workload, packets),
	 .loc_off = LOC(struct topo_workload, packets_loc), .names = packets_names,
	 .doc = "a NIC's frames (§6): rx, from the wire to the host; tx, from the host to the "
		"wire"},
	{.key = "io", .type = F_ENUM, AT(struct topo_workload, io),
	 .loc_off = LOC(struct topo_workload, io_loc), .names = io_names,
	 .doc = "an NVMe drive's commands (§6): read, the drive writes host memory; write, it "
		"reads host memory"},
	{.key = "size", .type = F_SIZE, AT(struct topo_workload, size), .min = 1, .max = 1ull << 30,
	 .required = 1, .doc = "bytes per DMA; packets: the Ethernet frame with its FCS, 64B to "
			       "9018B; io: a multiple of 512B up to 2MiB"},
	{.key = "rate", .type = F_CUSTOM, .loc_off = LOC(struct topo_workload, rate_loc),
	 .custom = schema_load_rate,
	 .doc = "open loop: offered payload rate of the whole workload, split over its VFs; "
		"packets: also pps, Kpps, Mpps, or line (a port's line rate for the frame size); "
		"io: also iops, Kiops, Miops",
	 .json = WORKLOAD_RATE_JSON},
	{.key = "arrival", .type = F_CUSTOM, .loc_off = LOC(struct topo_workload, arrival_loc),
	 .custom = schema_load_arrival, .def = "poisson", .names = schema_arrival_names,
	 .doc = "open loop only: poisson or constant interarrival times"},
	{.key = "outstanding", .type = F_CUSTOM,
	 .loc_off = LOC(struct topo_workload, outstanding_loc), .custom = schema_load_outstanding,
	 .doc = "closed loop instead of rate: DMAs in flight per VF, reissued on completion",
	 .json = "{\"type\": \"integer\", \"minimum\": 1, \"maximum\": 65536}"},
	{.key = "depth", .type = F_CUSTOM, .loc_off = LOC(struct topo_workload, depth_loc),
	 .custom = schema_load_depth,
	 .doc = "io, closed loop instead of rate: commands in flight per VF (below queue_depth), "
		"reissued when the host sees their completion",
	 .json = "{\"type\": \"integer\", \"minimum\": 1, \"maximum\": 65535}"},
	{.key = "pattern", .type = F_ENUM, AT(struct topo_workload, pattern), .names = pattern_names,
	 .def = "sequential", .doc = "sequential slots, or random (uniform over the footprint)"},
	{.key = "footprint", .type = F_SIZE, AT(struct topo_workload, footprint),
	 .loc_off = LOC(struct topo_workload, footprint_loc), .min = 1, .max = 1ull << 50,
	 .def = "1MiB", .doc = "address range each VF touches"},
	{.key = "start", .type = F_TIME, AT(struct topo_workload, start),
	 .loc_off = LOC(struct topo_workload, start_loc), .def = "0",
	 .doc = "when the workload starts"},
	{.key = "stop", .type = F_TIME, AT(struct topo_workload, stop),
	 .loc_off = LOC(struct topo_workload, stop_loc), .def = "0", .doc = "0: the end of the run"},
	{.key = "unmap_rate", .type = F_CUSTOM, .custom = schema_load_unmap_rate, .def = "0",
	 .doc = "pages the host unmaps per second, causing ATC invalidations (extension)",
	 .json = "{\"type\": \"number\", \"minimum\": 0, \"maximum\": 1e12}"},
	{.key = "path", .type = F_ENUM, AT(struct topo_workload, path),
	 .loc_off = LOC(struct topo_workload, path_loc), .names = path_names, .def = "sriov",
	 .doc = "packets (§11): sriov, the host's VFs; vswitch, the host's PF queue pair and its "
		"software switch (CPU work per frame)"},
	END};

/* events[].reassign (contract §10): which VFs of which device move to which host */
static const struct field reassign_fields[] = {
	{.key = "device", .type = F_REF, AT(struct topo_reassign, a.device), .required = 1,
	 .doc = "the device whose VFs move"},
	{.key = "vfs", .type = F_CUSTOM, .loc_off = LOC(struct topo_reassign, a.count_loc),
	 .custom = schema_load_reassign_vfs, .required = 1,
	 .doc = "the device-wide indices of the VFs that move",
	 .json = "{\"type\": \"array\", \"minItems\": 1, \"items\": {\"type\": \"integer\", "
		 "\"minimum\": 0, \"maximum\": 65535}}"},
	{.key = "to", .type = F_REF, AT(struct topo_reassign, to), .required = 1,
	 .doc = "the host they belong to from then on (it must reach the device, within max_vhs)"},
	END};

/* One event: `at` and exactly one of the kinds (events.c checks that) */
const struct field schema_event_fields[] = {
	{.key = "at", .type = F_TIME, AT(struct topo_event, at),
	 .loc_off = LOC(struct topo_event, at_loc), .required = 1,
	 .doc = "when it happens, in [0, run.duration); events are listed in time order"},
	{.key = "link_down", .type = F_REF, AT(struct topo_event, link_down),
	 .doc = "a link drops: TLPs on it are lost, every VH on it loses it"},
	{.key = "link_up", .type = F_REF, AT(struct topo_event, link_up),
	 .doc = "a link that is down comes back after pcie.retrain"},
	{.key = "reset", .type = F_REF, AT(struct topo_event, reset),
	 .doc = "hot reset of a host's VH: its DMAs in flight fail, its caches are cleared, its "
		"functions are back after pcie.flr"},
	{.key = "reassign", .type = F_MAP, AT(struct topo_event, reassign),
	 .loc_off = LOC(struct topo_event, reassign_loc), .sub = reassign_fields,
	 .doc = "VF migration: the VFs leave their host (quiesce, ATC invalidation, FLR) and "
		"belong to `to`"},
	{.key = "remove", .type = F_REF, AT(struct topo_event, remove),
	 .doc = "surprise removal of a device: requests to it end by completion timeout"},
	END};

static const struct field run_fields[] = {
	{.key = "duration", .type = F_TIME, AT(struct topo_run, duration), .min = 1, .def = "1ms",
	 .loc_off = LOC(struct topo_run, duration_loc),
	 .doc = "simulated time"},
	{.key = "warmup", .type = F_TIME, AT(struct topo_run, warmup),
	 .loc_off = LOC(struct topo_run, warmup_loc), .def = "0",
	 .doc = "statistics ignore [0, warmup)"},
	{.key = "seed", .type = F_UINT, AT(struct topo_run, seed), .max = UINT64_MAX, .def = "1",
	 .doc = "every random choice derives from it"},
	{.key = "bin", .type = F_TIME, AT(struct topo_run, bin), .loc_off = LOC(struct topo_run, bin_loc),
	 .def = "0", .doc = "time-series bin width; 0: duration/100"},
	{.key = "batches", .type = F_UINT, AT(struct topo_run, batches), .min = 2, .max = 1000,
	 .def = "20", .doc = "batches of the window for the 95 % confidence intervals (batch means)"},
	END};

static const struct field pcie_fields[] = {
	{.key = "mps", .type = F_UINT, AT(struct topo_pcie, mps), .allowed = payload_sizes,
	 .def = "256", .doc = "Max_Payload_Size in bytes"},
	{.key = "mrrs", .type = F_UINT, AT(struct topo_pcie, mrrs), .allowed = payload_sizes,
	 .def = "512", .doc = "Max_Read_Request_Size in bytes"},
	{.key = "rcb", .type = F_UINT, AT(struct topo_pcie, rcb), .allowed = rcb_sizes, .def = "64",
	 .doc = "read completion boundary of root complexes"},
	{.key = "tags", .type = F_UINT, AT(struct topo_pcie, tags), .min = 1, .max = 1024,
	 .def = "256", .doc = "outstanding non-posted requests per function"},
	{.key = "address_bits", .type = F_UINT, AT(struct topo_pcie, address_bits),
	 .allowed = addr_bits, .def = "64", .doc = "32: 3DW request headers; 64: 4DW"},
	{.key = "ecrc", .type = F_BOOL, AT(struct topo_pcie, ecrc), .def = "false",
	 .doc = "adds 4 B to every TLP when true"},
	{.key = "completions", .type = F_ENUM, AT(struct topo_pcie, completions),
	 .names = cpl_names, .def = "mps",
	 .doc = "how the root complex sizes read completions: MPS, or RCB bytes each"},
	{.key = "link_overhead", .type = F_CUSTOM, .custom = schema_load_overhead, .def = "spec",
	 .doc = "spec: ACK/UpdateFC DLLPs and SKPs at the spec's intervals; or a fraction of the "
		"raw rate",
	 .json = "{\"oneOf\": [{\"const\": \"spec\"}, {\"type\": \"number\", \"minimum\": 0, "
		 "\"exclusiveMaximum\": 1}]}"},
	/* Completion Timeout range A starts at 50 us (PCIe Base §2.8, Device Control 2;
	 * domain.md §1.7); retrain and flr: the values of contract §10's example (a real FLR
	 * may take up to 100 ms, domain.md §1.7) */
	{.key = "completion_timeout", .type = F_TIME, AT(struct topo_pcie, completion_timeout),
	 .min = 1, .def = "50us",
	 .doc = "a non-posted request without its completion fails this long after it was sent"},
	{.key = "retrain", .type = F_TIME, AT(struct topo_pcie, retrain), .def = "10us",
	 .doc = "link training after link_up, before the link carries TLPs again"},
	{.key = "flr", .type = F_TIME, AT(struct topo_pcie, flr), .def = "100us",
	 .doc = "a function level reset takes this long (reset, reassign)"},
	END};

const struct field schema_top_fields[] = {
	{.key = "name", .type = F_CUSTOM, .custom = schema_load_topo_name, .required = 1,
	 .doc = "the topology's name; results go to results/<name>",
	 .json = "{\"type\": \"string\", \"pattern\": \"^[A-Za-z0-9_.-]+$\"}"},
	{.key = "description", .type = F_STR, AT(struct topo, description), .doc = "free text"},
	{.key = "run", .type = F_MAP, AT(struct topo, run), .sub = run_fields,
	 .doc = "how long, from which seed"},
	{.key = "pcie", .type = F_MAP, AT(struct topo, pcie), .sub = pcie_fields,
	 .doc = "fabric-wide PCIe settings"},
	{.key = "hosts", .type = F_CUSTOM, .custom = schema_load_hosts, .required = 1,
	 .flags = FL_LIST, .min = 1, .sub = schema_host_fields,
	 .doc = "root complexes; host i (file order, from 1) owns VH i"},
	{.key = "switches", .type = F_CUSTOM, .custom = schema_load_switches, .flags = FL_LIST,
	 .sub = schema_switch_fields, .doc = "Multi-Root-Aware switches"},
	{.key = "devices", .type = F_CUSTOM, .custom = schema_load_devices, .required = 1,
	 .flags = FL_LIST, .sub = schema_device_fields,
	 .doc = "shared endpoint devices (MRA devices with SR-IOV)"},
	{.key = "links", .type = F_CUSTOM, .custom = schema_load_links, .required = 1,
	 .flags = FL_LIST, .sub = schema_link_fields,
	 .doc = "full-duplex PCIe links; they form a tree"},
	{.key = "assign", .type = F_CUSTOM, .custom = schema_load_assigns, .flags = FL_LIST,
	 .sub = schema_assign_fields, .doc = "per-host VF assignment"},
	{.key = "workloads", .type = F_CUSTOM, .custom = schema_load_workloads, .flags = FL_LIST,
	 .sub = schema_workload_fields, .doc = "DMA traffic issued by the device functions"},
	{.key = "events", .type = F_CUSTOM, .custom = schema_load_events, .flags = FL_LIST,
	 .sub = schema_event_fields,
	 .doc = "runtime events in time order: link faults, VH resets, VF migration, removal"},
	END};
