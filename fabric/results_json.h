/* results_json.h - summary.json of a run (contract §3, §4). */
#ifndef MRIOV_RESULTS_JSON_H
#define MRIOV_RESULTS_JSON_H

#include <stdio.h>

/* Fill f with summary.json of the run arg (a struct sim *). Returns 0. */
int results_json_summary(void *arg, FILE *f);

#endif
