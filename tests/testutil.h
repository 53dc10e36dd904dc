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

#endif
