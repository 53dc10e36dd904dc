/* profile.h - calibrated host and device profiles (contract §12): documented sets of values
 * fitted on pcie-bench's measurements (docs/validation.md). A profile sets the keys it names;
 * a key written in the file (or with --set) wins over it. */
#ifndef MRIOV_PROFILE_H
#define MRIOV_PROFILE_H

#include <stddef.h>

#include "topo.h"

struct host_profile {
	const char *name;
	const char *fitted_on; /* pcie-bench/data directories and files */
	double memory_latency, remote_latency, line_time;
	uint64_t iotlb_entries, walkers; /* 0: the default */
	double walk_latency;             /* 0: the default */
};

struct device_profile {
	const char *name;
	const char *fitted_on;
	struct topo_dma_engine dma; /* its locs unused */
};

extern const struct host_profile host_profiles[];
extern const size_t nhost_profiles;
extern const struct device_profile device_profiles[];
extern const size_t ndevice_profiles;

/* Index of a profile by name, -1 when there is none. */
int profile_host_find(const char *name);
int profile_device_find(const char *name);
/* Set the profile's values of the keys the file has not set (their loc line is 0). */
void profile_apply_host(struct topo_host *h, int p);
void profile_apply_device(struct topo_device *d, int p);

/* The loader's handlers of host.profile and device.profile (loader_profile.c). */
struct load_ctx;
int load_host_profile(struct load_ctx *c, int node, void *obj);
int load_device_profile(struct load_ctx *c, int node, void *obj);

#endif
