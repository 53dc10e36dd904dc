/* schema_cpu.c - the keys of contract §11: a host's processors (hosts[].cpu), its software
 * switch (hosts[].vswitch) and their handlers; workloads[].path is a plain enum of
 * schema.c. The default cycle costs and their sources are in docs/model.md. */
#include "schema.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "units.h"

/* The defaults of the custom keys below (their owners set them: host_defaults). */
#define CPU_FREQUENCY_DEFAULT 2.5e9
#define VSWITCH_CYCLES_PER_BYTE_DEFAULT 0.5
#define FREQ_MAX 1e12      /* a THz clock is a typo */
#define CYCLES_PER_BYTE_MAX 1e6
#define AT_CPU(m) .off = offsetof(struct topo_cpu, m)
#define AT_VSW(m) .off = offsetof(struct topo_soft_switch, m)

const struct field schema_cpu_fields[] = {
	{.key = "cores", .type = F_UINT, AT_CPU(cores), .loc_off = LOC(struct topo_cpu, cores_loc),
	 .min = 1, .max = 4096, .def = "16", .doc = "cores of the host (its SimGrid host's)"},
	{.key = "frequency", .type = F_CUSTOM, .custom = schema_load_frequency, .def = "2.5GHz",
	 .doc = "clock of each core: Hz, KHz, MHz or GHz (a cycle is one SimGrid flop)",
	 .json = "{\"anyOf\": [{\"type\": \"number\", \"exclusiveMinimum\": 0}, {\"type\": "
		 "\"string\", \"pattern\": \"^([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)([eE][+-]?[0-9]+)?"
		 "(Hz|KHz|kHz|MHz|GHz)?$\"}]}"},
	{.key = NULL}};

const struct field schema_vswitch_fields[] = {
	{.key = "cycles_per_packet", .type = F_UINT, AT_VSW(cycles_per_packet), .max = 100000000,
	 .def = "2000", .doc = "CPU work to switch one frame"},
	{.key = "cycles_per_byte", .type = F_CUSTOM, .custom = schema_load_cycles_per_byte,
	 .def = "0.5", .doc = "CPU work per data byte (the copies between the VM's buffer and the "
			      "PF's)",
	 .json = "{\"type\": \"number\", \"minimum\": 0, \"maximum\": 1e6}"},
	{.key = "cores", .type = F_UINT, AT_VSW(cores),
	 .loc_off = LOC(struct topo_soft_switch, cores_loc), .min = 1, .max = 4096, .def = "4",
	 .doc = "cores the switch may use at once (at most the host's cpu.cores)"},
	{.key = "acl", .type = F_BOOL, AT_VSW(acl), .loc_off = LOC(struct topo_soft_switch, acl_loc),
	 .def = "false", .doc = "switch ACLs are on: SR-IOV is off for this host, every workload "
				"of it takes the vswitch path"},
	{.key = NULL}};

void schema_cpu_defaults(struct topo_host *h)
{
	h->cpu.frequency = CPU_FREQUENCY_DEFAULT;
	h->vswitch.cycles_per_byte = VSWITCH_CYCLES_PER_BYTE_DEFAULT;
}

int schema_load_cpu(struct load_ctx *c, int node, void *obj)
{
	struct topo_cpu *cpu = &((struct topo_host *)obj)->cpu;

	cpu->present = true;
	cpu->loc = load_at(c, node);
	return load_mapping(c, node, schema_cpu_fields, cpu, "cpu");
}

int schema_load_vswitch(struct load_ctx *c, int node, void *obj)
{
	struct topo_soft_switch *v = &((struct topo_host *)obj)->vswitch;

	v->present = true;
	v->loc = load_at(c, node);
	return load_mapping(c, node, schema_vswitch_fields, v, "vswitch");
}

/* cpu.frequency: a clock frequency above 0 (obj: struct topo_cpu). */
int schema_load_frequency(struct load_ctx *c, int node, void *obj)
{
	struct topo_cpu *cpu = obj;
	const char *s = load_want_scalar(c, node, "frequency");
	double v;

	if (!s)
		return -EINVAL;
	if (units_parse_freq(s, &v) || !(v > 0) || v > FREQ_MAX) {
		diags_error(c->d, load_at(c, node), "frequency: expected a clock frequency above 0 "
			    "such as 2.5GHz (Hz, KHz, MHz, GHz), got '%s'", s);
		return -EINVAL;
	}
	cpu->frequency = v;
	return 0;
}

/* vswitch.cycles_per_byte: a plain number from 0 to 1e6 (obj: struct topo_soft_switch). */
int schema_load_cycles_per_byte(struct load_ctx *c, int node, void *obj)
{
	struct topo_soft_switch *v = obj;
	const char *s = load_want_scalar(c, node, "cycles_per_byte");
	double x;

	if (!s)
		return -EINVAL;
	/* a bare number: units_parse_rate without a unit is exactly that */
	if (strspn(s, "0123456789.eE+-") != strlen(s) || units_parse_rate(s, &x) ||
	    x > CYCLES_PER_BYTE_MAX) {
		diags_error(c->d, load_at(c, node), "cycles_per_byte: expected a number of cycles "
			    "from 0 to 1e6, got '%s'", s);
		return -EINVAL;
	}
	v->cycles_per_byte = x;
	return 0;
}
