/* simtest.h - run one simulation inside a Check test (each test is a forked child, and
 * SimGrid allows one engine per process). */
#ifndef MRIOV_SIMTEST_H
#define MRIOV_SIMTEST_H

#include "sim.h"
#include "testutil.h"

/* Load yaml (with sets), simulate, and return the finished run; fails the test on error. */
struct sim *st_run(const char *yaml, char *const *sets, size_t nsets);
/* Total throughput over hosts, Gb/s. */
double st_total_gbps(struct sim *s);
/* Summary of host h. */
struct stat_summary st_host(struct sim *s, int h);

#endif
