/* testutil.h - helpers shared by the Check suites. */
#ifndef MRIOV_TESTUTIL_H
#define MRIOV_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "diag.h"
#include "topo.h"

/* Load a topology from a string (with optional --set strings). On failure the diagnostics
 * are rendered into diag_out (may be NULL) and NULL is returned. */
struct topo *tu_load(const char *yaml, char *const *sets, size_t nsets, char *diag_out,
		     size_t len);

/* Run a suite and return the process exit status for ctest. */
int tu_run(Suite *s);

/* Path of a file in the source tree. */
const char *tu_path(const char *rel);

/* A small valid chassis: 2 hosts, one switch, one device, used as a base by many tests. */
extern const char tu_two_hosts[];

/* Load topologies/NAME (with optional --set strings); fails the test with the diagnostics
 * when it does not load without one. */
struct topo *tu_load_shipped(const char *name, char *const *sets, size_t nsets);

/* Lookups by name in a loaded topology; each fails the test when the name is missing. */
int tu_host_idx(const struct topo *t, const char *name);
int tu_switch_idx(const struct topo *t, const char *name);
int tu_device_idx(const struct topo *t, const char *name);
const struct topo_link *tu_link_named(const struct topo *t, const char *name);
int tu_link_idx(const struct topo *t, const char *name);
const struct topo_function *tu_function_named(const struct topo *t, const char *name);
const struct topo_path *tu_path_of(const struct topo *t, const char *host, const char *dev);
const struct topo_vswitch *tu_vswitch_of(const struct topo *t, const char *host,
					 const char *sw);
/* Links that carry more than one VH; 1 when VH vh has a path through link l. */
size_t tu_count_mr_links(const struct topo *t);
int tu_vh_uses(const struct topo_vh *vh, int l);

#endif
