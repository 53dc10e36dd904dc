/* trace.h - `run --trace FILE` (contract §9): every TLP a port sends, as a Trace Event Format
 * file (JSON, as Perfetto and chrome://tracing read it). One track per link direction, one
 * complete event per TLP. Streamed to a temporary file beside FILE during the run and
 * renamed at the end, so FILE is written whole or not at all. */
#ifndef MRIOV_TRACE_H
#define MRIOV_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "topo.h"

#define TRACE_MAX_EVENTS 1000000

struct trace {
	const struct topo *t;
	char *path, *tmp;
	FILE *f;
	double t0, t1;          /* the window: TLPs whose transmission starts in [t0, t1] */
	uint64_t max;           /* events written at most (TRACE_MAX_EVENTS) */
	uint64_t n;             /* events written */
	uint64_t dropped;       /* TLPs in the window past max */
	double stopped_at;      /* start of the first TLP left out; < 0 while none is */
	int err;                /* first write error, as a negative errno */
};

/* Open the temporary file beside path and write the tracks of t's link directions. The
 * trace keeps t (borrowed) until trace_close/trace_abort. 0 or a negative errno. */
int trace_open(struct trace *tr, const char *path, const struct topo *t, double t0, double t1);

/* The engine's tlp_sent hook (struct eng_sink): arg is the struct trace. */
void trace_tlp(void *arg, const struct eng_tlp_event *ev);

/* Finish the file and rename it to its path. 0, or a negative errno (then the temporary
 * file is removed and path is untouched). */
int trace_close(struct trace *tr);

/* Remove the temporary file (the run failed). */
void trace_abort(struct trace *tr);

/* When the event limit cut the trace short: 1, with what to tell the user in buf ("where
 * it stopped"); else 0. */
int trace_warning(const struct trace *tr, char *buf, size_t len);

#endif
