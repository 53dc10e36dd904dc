/* events_out.h - what each runtime event of a run did (contract §10): the hosts it affected,
 * what it cost, how long until they were back, for events.csv, summary.json and the report. */
#ifndef MRIOV_EVENTS_OUT_H
#define MRIOV_EVENTS_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "sim.h"

/* recovery_us of event ev in seconds (contract §10), or NAN when some affected host never
 * came back within 10 % of its throughput before the event (or none had any). */
double events_recovery(const struct sim *s, size_t ev);
/* Fill f with events.csv of the run arg (a struct sim *): one row per event. Returns 0. */
int events_write_csv(void *arg, FILE *f);

#endif
