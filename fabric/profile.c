/* profile.c - the calibrated profiles of contract §12. pcie-bench (Neugebauer et al.,
 * SIGCOMM 2018) measured a Netronome NFP-6000 (Gen3 x8) in Xeon hosts; its public data
 * repository pcie-bench/data has one directory per host configuration. The fit and its
 * errors are in docs/validation.md; the data points the tests use are in
 * tests/data/pcie-bench/. */
#include "profile.h"

#include <string.h>

#define NS 1e-9

/* The Haswell and Broadwell hosts measured the same within 1 % on every latency size and on
 * writes (lat_dma_sizes.dat, bw_dma_sz_sweep.dat of both directories), so they share values:
 * - memory_latency: the default. The host's fixed part of a read's round trip cannot be
 *   told apart from the device's; the NFP-6000's profile carries it (dma_latency).
 * - line_time: the read latency grows by 27 ns per 64-byte line up to 256 B and by the
 *   link's and the device's per-byte cost beyond (LAT_DMA_RD medians): the root complex
 *   reads a completion's lines one after another, 9 ns each, before it sends it.
 * - remote_latency: the 64 B LAT_DMA_RD median of ...-s0-s1-s1 (653 ns) less that of
 *   ...-s0-s0-s0 (546 ns).
 * - IOMMU (4 KiB pages): the 64 B read window sweep of
 *   nfp6000-1.2GHz_hsw-Xeon-E5-2620v3_dell-t630-iommu-nosp: flat up to 256 KiB, 25 % lower at
 *   512 KiB, 19.6 M DMAs/s when every DMA misses: 96 IOTLB entries, 4 walkers of 200 ns. */
#define XEON_E5                                                                              \
	.remote_latency = 107 * NS, .line_time = 9.0 * NS, .iotlb_entries = 96, .walkers = 4,  \
	.walk_latency = 200 * NS

const struct host_profile host_profiles[] = {
	{"bdw-e5-2630v4",
	 "nfp6000-1.2GHz_bdw-Xeon-E5-2630v4-dell-t430-s0-s0-s0 and -s0-s1-s1: lat_dma_sizes.dat; "
	 "IOMMU values from hsw-e5-2620v3",
	 .memory_latency = 100 * NS, XEON_E5},
	{"hsw-e5-2620v3",
	 "nfp6000-1.2GHz_hsw-Xeon-E5-2620v3_dell-t630: lat_dma_sizes.dat; "
	 "nfp6000-1.2GHz_hsw-Xeon-E5-2620v3_dell-t630-iommu-nosp: bw_dma_win_sweep_rd_rnd_64.dat; "
	 "remote_latency from bdw-e5-2630v4",
	 .memory_latency = 100 * NS, XEON_E5},
	/* Sandy Bridge reads 14 ns slower up to 128 B and the same from 256 B
	 * (lat_dma_sizes.dat): memory_latency 107 ns splits the difference. No IOMMU or remote
	 * data was used: those values are the Haswell host's. */
	{"snb-e5-2630",
	 "nfp6000-1.2GHz_snb-Xeon-E5-2630_dell-t620: lat_dma_sizes.dat; the rest from "
	 "hsw-e5-2620v3",
	 .memory_latency = 107 * NS, XEON_E5},
};
const size_t nhost_profiles = sizeof(host_profiles) / sizeof(host_profiles[0]);

/* The NFP-6000's DMA engine, fitted on the Haswell, Broadwell and Sandy Bridge hosts' local,
 * IOMMU-off directories (bw_dma_sz_sweep.dat BW_DMA_RD and BW_DMA_WR, lat_dma_sizes.dat
 * LAT_DMA_RD; the three hosts' writes agree within 0.2 % up to 320 B):
 * - read_interval 16.0 ns, write_interval 21.1 ns: the rates are flat from 16 to 64 B
 *   (62.5 M reads/s, 47.4 M writes/s), whatever the size;
 * - one data mover for both. Writes come in steps of 128 B: a 129 B write takes as long as a
 *   192 B one (38.0 ns, 26.3 M/s), a 257 B one as long as a 320 B one (55.0 ns), and the
 *   128 B and 256 B steps differ by 16.4 ns: the mover fetches a write's data in 128-byte
 *   blocks, 13.0 ns each, plus 0.040 ns per byte and 5.5 ns per DMA (every write size
 *   within 5 %). A 65 B read takes as long as a 128 B one on every host (23.8 ns): the
 *   mover stores a read's data in 64-byte lines, 6.4 ns each, so that a whole line costs the
 *   0.140 ns/B that the 128 B read rate (43.7 Gb/s), the large-read rate (55 Gb/s) and the
 *   latency's slope (0.296 ns/B, the link's 0.148 and the mover's) agree on;
 * - dma_latency 367.5 ns: the 64 B read median (546 ns) less what the fabric, the host and
 *   the engine add: the device's and the host's fixed parts cannot be told apart;
 * - 34 reads in flight: the 64 B read rate times its round trip (62.5 M/s x 546 ns). */
const struct device_profile device_profiles[] = {
	{"nfp6000",
	 "nfp6000-1.2GHz_hsw-Xeon-E5-2620v3_dell-t630, nfp6000-1.2GHz_bdw-Xeon-E5-2630v4-"
	 "dell-t430-s0-s0-s0 and nfp6000-1.2GHz_snb-Xeon-E5-2630_dell-t620: "
	 "bw_dma_sz_sweep.dat, lat_dma_sizes.dat",
	 {.latency = 367.5 * NS,
	  .interval = {21.1 * NS, 16.0 * NS},
	  .cost = 5.5 * NS,
	  .byte_cost = 0.040 * NS,
	  .block = {128, 64},
	  .block_cost = {13.0 * NS, 6.4 * NS},
	  .concurrency = 34}},
};
const size_t ndevice_profiles = sizeof(device_profiles) / sizeof(device_profiles[0]);

int profile_host_find(const char *name)
{
	for (size_t i = 0; i < nhost_profiles; i++)
		if (strcmp(host_profiles[i].name, name) == 0)
			return (int)i;
	return -1;
}

int profile_device_find(const char *name)
{
	for (size_t i = 0; i < ndevice_profiles; i++)
		if (strcmp(device_profiles[i].name, name) == 0)
			return (int)i;
	return -1;
}

void profile_apply_host(struct topo_host *h, int p)
{
	const struct host_profile *hp = &host_profiles[p];

	h->profile = p + 1;
	if (!h->memory_latency_loc.line)
		h->memory_latency = hp->memory_latency;
	if (!h->remote_latency_loc.line)
		h->remote_latency = hp->remote_latency;
	if (!h->line_time_loc.line)
		h->line_time = hp->line_time;
	if (hp->iotlb_entries && !h->iommu.iotlb_entries_loc.line)
		h->iommu.iotlb_entries = hp->iotlb_entries;
	if (hp->walkers && !h->iommu.walkers_loc.line)
		h->iommu.walkers = hp->walkers;
	if (hp->walk_latency > 0 && !h->iommu.walk_latency_loc.line)
		h->iommu.walk_latency = hp->walk_latency;
}

void profile_apply_device(struct topo_device *d, int p)
{
	const struct topo_dma_engine *e = &device_profiles[p].dma;

	d->profile = p + 1;
	if (!d->dma.latency_loc.line)
		d->dma.latency = e->latency;
	if (!d->dma.concurrency_loc.line)
		d->dma.concurrency = e->concurrency;
	for (int op = 0; op < 2; op++)
		if (!d->dma.interval_loc[op].line)
			d->dma.interval[op] = e->interval[op];
	if (!d->dma.cost_loc.line)
		d->dma.cost = e->cost;
	if (!d->dma.byte_cost_loc.line)
		d->dma.byte_cost = e->byte_cost;
	for (int op = 0; op < 2; op++) {
		if (e->block[op] && !d->dma.block_loc[op].line)
			d->dma.block[op] = e->block[op];
		if (!d->dma.block_cost_loc[op].line)
			d->dma.block_cost[op] = e->block_cost[op];
	}
}
