/* report.h - a results directory drawn for people: gnuplot plots (SVG and PNG) and one
 * report.html with the run's parameters, the summary, the bottlenecks and the plots. */
#ifndef MRIOV_REPORT_H
#define MRIOV_REPORT_H

#include <stdbool.h>
#include <stdio.h>

struct report_status {
	bool gnuplot_missing; /* report.html was written, without plots */
	char failed[256];     /* what failed, when report_draw returns an error */
};

/*
 * Draw the plots of dir from its CSV files with gnuplot (found on PATH) and write
 * dir/report.html. Every file is written to a temporary name and renamed. Returns 0 (also
 * when gnuplot is missing: st->gnuplot_missing says so and the report tells how to get the
 * plots), -ENOENT when dir is not a results directory, another negative errno on failure.
 */
int report_draw(const char *dir, struct report_status *st);

/* Run gnuplot on dir/script with dir as its working directory, its output in
 * dir/gnuplot.log. Returns 0, -ENOENT when gnuplot is not installed, -EPROTO when it
 * failed, or another negative errno. */
int report_gnuplot(const char *dir, const char *script);

/* One study plot: write dir/NAME.gp with fill (whose script must write 'NAME.svg.tmp'),
 * run gnuplot on it and rename the result to dir/NAME.svg; nothing is left behind on
 * failure. Returns 0 or a negative errno as report_gnuplot. */
int report_plot(const char *dir, const char *name, int (*fill)(void *, FILE *), void *arg);

#endif
