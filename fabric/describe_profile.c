/* describe_profile.c - `mriovsim check`: the calibration values of contract §12 in effect for
 * each host and device that has a profile or sets one of them, where each came from, and on
 * a device with a model, that they time its raw DMA workloads only. */
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "profile.h"

/* Where a value came from: the file, --set (its location is on the command line), the
 * profile when it sets the key, else the default. */
static const char *origin(struct loc l, int from_profile)
{
	if (l.line > 0)
		return l.file && strcmp(l.file, "command line") == 0 ? "--set" : "file";
	return from_profile ? "profile" : "default";
}

/* The values of one host or device, three to a line (two with a note), each with its origin
 * and the note (what the value applies to) when there is one. */
struct put {
	FILE *f;
	int n;
	const char *note; /* "" or "; ..." */
};

static void put_head(struct put *p, const char *key)
{
	fprintf(p->f, "%s%s ", p->n++ % (*p->note ? 2 : 3) ? ", " : "\n    ", key);
}

static void put_time(struct put *p, const char *key, double v, struct loc l, int prof)
{
	put_head(p, key);
	fprintf(p->f, "%gns (%s%s)", v * 1e9, origin(l, prof), p->note);
}

static void put_count(struct put *p, const char *key, uint64_t v, struct loc l, int prof)
{
	put_head(p, key);
	fprintf(p->f, "%llu (%s%s)", (unsigned long long)v, origin(l, prof), p->note);
}

static void put_size(struct put *p, const char *key, uint64_t v, struct loc l, int prof)
{
	put_head(p, key);
	fprintf(p->f, "%lluB (%s%s)", (unsigned long long)v, origin(l, prof), p->note);
}

static int host_shown(const struct topo_host *h)
{
	return h->profile || h->numa_loc.line || h->remote_latency_loc.line ||
	       h->line_time_loc.line;
}

static void print_host(const struct topo_host *h, FILE *f)
{
	const struct host_profile *p = h->profile ? &host_profiles[h->profile - 1] : NULL;
	struct put o = {f, 1, ""};

	fprintf(f, "host %s: %s%s%s", h->name, p ? "profile " : "no profile", p ? p->name : "",
		p ? " (fitted on " : "");
	if (p)
		fprintf(f, "%s)", p->fitted_on);
	fprintf(f, "%snuma %s (%s)", "\n    ", h->numa == NUMA_REMOTE ? "remote" : "local",
		origin(h->numa_loc, 0));
	put_time(&o, "memory_latency", h->memory_latency, h->memory_latency_loc, p != NULL);
	put_time(&o, "remote_latency", h->remote_latency, h->remote_latency_loc, p != NULL);
	put_time(&o, "line_time", h->line_time, h->line_time_loc, p != NULL);
	put_count(&o, "iommu.iotlb_entries", h->iommu.iotlb_entries, h->iommu.iotlb_entries_loc,
		  p && p->iotlb_entries);
	put_count(&o, "iommu.walkers", h->iommu.walkers, h->iommu.walkers_loc, p && p->walkers);
	put_time(&o, "iommu.walk_latency", h->iommu.walk_latency, h->iommu.walk_latency_loc,
		 p && p->walk_latency > 0);
	fprintf(f, "\n");
}

static int device_shown(const struct topo_device *d)
{
	const struct topo_dma_engine *g = &d->dma;

	return d->profile || g->latency_loc.line || g->interval_loc[0].line ||
	       g->interval_loc[1].line || g->cost_loc.line || g->byte_cost_loc.line ||
	       g->block_loc[0].line || g->block_loc[1].line || g->block_cost_loc[0].line ||
	       g->block_cost_loc[1].line || g->concurrency_loc.line;
}

/* A device with a model (contract §6) builds its own TLPs: its DMA engine keys time only
 * the raw DMA workloads on it (models/dev.c, dev_dma.c), if any. The note each value gets,
 * after a line that says why. */
static const char *model_note(const struct topo *t, int d, FILE *f)
{
	const struct topo_device *dev = &t->devices[d];
	const char *m = topo_device_model(dev);
	size_t raw = topo_device_raw_workloads(t, d);

	if (!m)
		return "";
	if (!raw) {
		fprintf(f, "\n    the %s model does not use the DMA engine, and no raw DMA workload "
			   "(op) runs on %s: these values are not used", m, dev->name);
		return "; not used";
	}
	fprintf(f, "\n    the %s model does not use the DMA engine: these values time the %zu raw "
		   "DMA workload%s (op) on %s only", m, raw, raw == 1 ? "" : "s", dev->name);
	return "; raw DMA only";
}

static void print_device(const struct topo *t, int d, FILE *f)
{
	const struct topo_device *dev = &t->devices[d];
	const struct device_profile *p = dev->profile ? &device_profiles[dev->profile - 1] : NULL;
	const struct topo_dma_engine *g = &dev->dma;
	int pr = p != NULL;
	struct put o = {f, 0, ""};

	fprintf(f, "device %s: %s%s%s", dev->name, p ? "profile " : "no profile",
		p ? p->name : "", p ? " (fitted on " : "");
	if (p)
		fprintf(f, "%s)", p->fitted_on);
	o.note = model_note(t, d, f);
	put_time(&o, "dma_latency", g->latency, g->latency_loc, pr);
	put_time(&o, "write_interval", g->interval[OP_WRITE], g->interval_loc[OP_WRITE], pr);
	put_time(&o, "read_interval", g->interval[OP_READ], g->interval_loc[OP_READ], pr);
	put_time(&o, "dma_cost", g->cost, g->cost_loc, pr);
	put_time(&o, "dma_byte_cost", g->byte_cost, g->byte_cost_loc, pr);
	put_size(&o, "write_block", g->block[OP_WRITE], g->block_loc[OP_WRITE], pr);
	put_time(&o, "write_block_cost", g->block_cost[OP_WRITE], g->block_cost_loc[OP_WRITE], pr);
	put_size(&o, "read_block", g->block[OP_READ], g->block_loc[OP_READ], pr);
	put_time(&o, "read_block_cost", g->block_cost[OP_READ], g->block_cost_loc[OP_READ], pr);
	put_count(&o, "dma_concurrency", g->concurrency, g->concurrency_loc, pr);
	fprintf(f, "\n");
}

void describe_profiles(const struct topo *t, FILE *f)
{
	for (size_t h = 0; h < t->nhosts; h++)
		if (host_shown(&t->hosts[h]))
			print_host(&t->hosts[h], f);
	for (size_t d = 0; d < t->ndevices; d++)
		if (device_shown(&t->devices[d]))
			print_device(t, (int)d, f);
}
