/* report_events.h - the runtime events of a results directory (events.csv, contract §10) in
 * its report: labelled vertical lines on the time-series plot, and a section of report.html
 * listing each event with its effects. */
#ifndef MRIOV_REPORT_EVENTS_H
#define MRIOV_REPORT_EVENTS_H

#include <stdio.h>

#include "csvread.h"

/* gnuplot commands that mark every event of ev on the next plot (nothing without rows). */
void report_event_markers(FILE *f, const struct csv *ev);
/* The "Events" section of report.html (nothing without rows); table writes the given
 * columns of a CSV as an HTML table with their headings (report.c's). */
void report_events_html(FILE *f, const struct csv *ev,
			void (*table)(FILE *, const struct csv *, const char *const *,
				      const char *const *, size_t));

#endif
