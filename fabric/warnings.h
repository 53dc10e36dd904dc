/* warnings.h - what a run says about its own trustworthiness (contract §4): too few
 * samples, an overloaded open-loop workload, a window that is not steady. A warning never
 * changes the exit status; the command line prints them, results write them. */
#ifndef MRIOV_WARNINGS_H
#define MRIOV_WARNINGS_H

#include <stddef.h>

struct sim;

struct warning {
	const char *kind;      /* "few_samples", "overload", "not_steady", ... (static) */
	char subject[128];     /* the workload, host or file it is about */
	char message[512];     /* what happened, and what to change */
};

struct warnings {
	struct warning *v;
	size_t n, cap;
};

/* Append one warning. Returns 0 or -ENOMEM. */
int warnings_add(struct warnings *w, const char *kind, const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void warnings_free(struct warnings *w);

/* The checks of contract §4 over a finished run, appended to w. Returns 0 or -ENOMEM. */
int warnings_check(const struct sim *s, struct warnings *w);

/* DMAs (or packets, I/Os) a workload must complete for its latency statistics. */
#define WARN_MIN_SAMPLES 30

#endif
