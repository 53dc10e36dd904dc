/* describe_profile.c - `mriovsim check`: the calibration values of contract §12 in effect for
 * each host and device that has a profile or sets one of them, and where each came from. */
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

static void put_time(FILE *f, const char *key, double v, struct loc l, int prof, int *n)
{
	fprintf(f, "%s%s %gns (%s)", (*n)++ % 3 ? ", " : "\n    ", key, v * 1e9, origin(l, prof));
}

static void put_count(FILE *f, const char *key, uint64_t v, struct loc l, int prof, int *n)
{
	fprintf(f, "%s%s %llu (%s)", (*n)++ % 3 ? ", " : "\n    ", key, (unsigned long long)v,
		origin(l, prof));
}

static void put_size(FILE *f, const char *key, uint64_t v, struct loc l, int prof, int *n)
{
	fprintf(f, "%s%s %lluB (%s)", (*n)++ % 3 ? ", " : "\n    ", key, (unsigned long long)v,
		origin(l, prof));
}

static int host_shown(const struct topo_host *h)
{
	return h->profile || h->numa_loc.line || h->remote_latency_loc.line ||
	       h->line_time_loc.line;
}

static void print_host(const struct topo_host *h, FILE *f)
{
	const struct host_profile *p = h->profile ? &host_profiles[h->profile - 1] : NULL;
	int n = 0;

	fprintf(f, "host %s: %s%s%s", h->name, p ? "profile " : "no profile", p ? p->name : "",
		p ? " (fitted on " : "");
	if (p)
		fprintf(f, "%s)", p->fitted_on);
	fprintf(f, "%snuma %s (%s)", "\n    ", h->numa == NUMA_REMOTE ? "remote" : "local",
		origin(h->numa_loc, 0));
	n = 1;
	put_time(f, "memory_latency", h->memory_latency, h->memory_latency_loc, p != NULL, &n);
	put_time(f, "remote_latency", h->remote_latency, h->remote_latency_loc, p != NULL, &n);
	put_time(f, "line_time", h->line_time, h->line_time_loc, p != NULL, &n);
	put_count(f, "iommu.iotlb_entries", h->iommu.iotlb_entries, h->iommu.iotlb_entries_loc,
		  p && p->iotlb_entries, &n);
	put_count(f, "iommu.walkers", h->iommu.walkers, h->iommu.walkers_loc, p && p->walkers, &n);
	put_time(f, "iommu.walk_latency", h->iommu.walk_latency, h->iommu.walk_latency_loc,
		 p && p->walk_latency > 0, &n);
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

static void print_device(const struct topo_device *d, FILE *f)
{
	const struct device_profile *p = d->profile ? &device_profiles[d->profile - 1] : NULL;
	const struct topo_dma_engine *g = &d->dma;
	int n = 0, pr = p != NULL;

	fprintf(f, "device %s: %s%s%s", d->name, p ? "profile " : "no profile", p ? p->name : "",
		p ? " (fitted on " : "");
	if (p)
		fprintf(f, "%s)", p->fitted_on);
	put_time(f, "dma_latency", g->latency, g->latency_loc, pr, &n);
	put_time(f, "write_interval", g->interval[OP_WRITE], g->interval_loc[OP_WRITE], pr, &n);
	put_time(f, "read_interval", g->interval[OP_READ], g->interval_loc[OP_READ], pr, &n);
	put_time(f, "dma_cost", g->cost, g->cost_loc, pr, &n);
	put_time(f, "dma_byte_cost", g->byte_cost, g->byte_cost_loc, pr, &n);
	put_size(f, "write_block", g->block[OP_WRITE], g->block_loc[OP_WRITE], pr, &n);
	put_time(f, "write_block_cost", g->block_cost[OP_WRITE], g->block_cost_loc[OP_WRITE], pr,
		 &n);
	put_size(f, "read_block", g->block[OP_READ], g->block_loc[OP_READ], pr, &n);
	put_time(f, "read_block_cost", g->block_cost[OP_READ], g->block_cost_loc[OP_READ], pr, &n);
	put_count(f, "dma_concurrency", g->concurrency, g->concurrency_loc, pr, &n);
	fprintf(f, "\n");
}

void describe_profiles(const struct topo *t, FILE *f)
{
	for (size_t h = 0; h < t->nhosts; h++)
		if (host_shown(&t->hosts[h]))
			print_host(&t->hosts[h], f);
	for (size_t d = 0; d < t->ndevices; d++)
		if (device_shown(&t->devices[d]))
			print_device(&t->devices[d], f);
}
