/* plots.h - gnuplot drawings of a results directory. */
#ifndef MRIOV_PLOTS_H
#define MRIOV_PLOTS_H

#include "topo.h"

/*
 * Draw throughput.svg (per-host throughput) and timeseries.svg (throughput over time per
 * host) from the CSV files in dir, with gnuplot found on PATH. Each plot is drawn to a
 * temporary name and renamed. hosts lists the host names (for one line per host).
 * Returns 0, -ENOENT when gnuplot is not installed, or another negative errno when gnuplot
 * failed (its messages are in dir/plots.log).
 */
int plots_draw(const char *dir, const char *title, char *const *hosts, size_t nhosts);

#endif
