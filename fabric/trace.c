/* trace.c - the Trace Event Format writer of `run --trace` (contract §9). Times are
 * microseconds of simulated time ("ts", "dur"), as the format specifies; a TLP's duration is
 * its serialization on the link, wire bytes * 8 / raw rate (models/engine.c port_send). */
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "purpose.h"

static const char *const type_names[] = {"MWr", "MRd", "CplD", "Cpl", "Msg"};

/* The track of a link direction: one thread per direction of process 1. */
static int track(int link, int dir)
{
	return 2 * link + dir + 1;
}

/* A JSON string of a name of the topology: [A-Za-z0-9_.-], so nothing needs escaping. */
static void write_tracks(struct trace *tr)
{
	const struct topo *t = tr->t;

	fprintf(tr->f, "{\"displayTimeUnit\": \"ns\", \"otherData\": {\"topology\": \"%s\", "
		"\"window_us\": [%.6f, %.6f]},\n\"traceEvents\": [\n", t->name, tr->t0 * 1e6,
		tr->t1 * 1e6);
	fprintf(tr->f, "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 0, "
		"\"args\": {\"name\": \"%s\"}}", t->name);
	for (size_t i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->links[i];
		for (int dir = 0; dir < 2; dir++) {
			const char *from = dir ? l->b.name : l->a.name, *to = dir ? l->a.name : l->b.name;
			int tid = track((int)i, dir);
			fprintf(tr->f, ",\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, "
				"\"tid\": %d, \"args\": {\"name\": \"%s (%s->%s)\"}}", tid, l->name, from,
				to);
			fprintf(tr->f, ",\n{\"name\": \"thread_sort_index\", \"ph\": \"M\", \"pid\": 1, "
				"\"tid\": %d, \"args\": {\"sort_index\": %d}}", tid, tid);
		}
	}
}

int trace_open(struct trace *tr, const char *path, const struct topo *t, double t0, double t1)
{
	size_t n = strlen(path);
	int fd;

	memset(tr, 0, sizeof(*tr));
	tr->t = t;
	tr->t0 = t0;
	tr->t1 = t1;
	tr->max = TRACE_MAX_EVENTS;
	tr->stopped_at = -1;
	tr->path = strdup(path);
	tr->tmp = malloc(n + 8);
	if (!tr->path || !tr->tmp)
		goto out_nomem;
	snprintf(tr->tmp, n + 8, "%s.XXXXXX", path);
	fd = mkstemp(tr->tmp);
	if (fd < 0) {
		int err = -errno;
		free(tr->path);
		free(tr->tmp);
		return err;
	}
	/* mkstemp makes the file 0600; give it the mode a plain fopen would (as atomic.c) */
	mode_t mask = umask(0);
	umask(mask);
	tr->f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "w") : NULL;
	if (!tr->f) {
		close(fd);
		unlink(tr->tmp);
		goto out_nomem;
	}
	setvbuf(tr->f, NULL, _IOFBF, 1 << 20);
	write_tracks(tr);
	return 0;
out_nomem:
	free(tr->path);
	free(tr->tmp);
	return -ENOMEM;
}

void trace_tlp(void *arg, const struct eng_tlp_event *ev)
{
	struct trace *tr = arg;
	const struct topo *t = tr->t;

	if (ev->start < tr->t0 || ev->start > tr->t1)
		return;
	if (tr->n == tr->max) {
		if (tr->stopped_at < 0)
			tr->stopped_at = ev->start;
		tr->dropped++;
		return;
	}
	tr->n++;
	fprintf(tr->f, ",\n{\"name\": \"%s\", \"ph\": \"X\", \"pid\": 1, \"tid\": %d, "
		"\"ts\": %.6f, \"dur\": %.6f, \"args\": {\"vh\": %d, \"function\": ",
		ev->type >= 0 && ev->type < 5 ? type_names[ev->type] : "TLP",
		track(ev->link, ev->dir), ev->start * 1e6, ev->dur * 1e6, ev->vh);
	if (ev->fn >= 0 && (size_t)ev->fn < t->nfunctions)
		fprintf(tr->f, "\"%s\"", t->functions[ev->fn].name);
	else
		fputs("null", tr->f);
	fprintf(tr->f, ", \"bytes\": %u, \"wire_bytes\": %.6f, \"purpose\": \"%s\"}}",
		(unsigned)ev->payload, ev->wire,
		tlp_purpose_name(ev->purpose)); /* overhead.csv's names (contract §7) */
}

static void trace_free(struct trace *tr)
{
	free(tr->path);
	free(tr->tmp);
	tr->path = tr->tmp = NULL;
	tr->f = NULL;
}

int trace_close(struct trace *tr)
{
	int err = 0;

	fputs("\n]}\n", tr->f);
	if (fflush(tr->f) || ferror(tr->f) || fsync(fileno(tr->f)))
		err = errno ? -errno : -EIO;
	if (fclose(tr->f) && !err)
		err = -errno;
	if (!err && rename(tr->tmp, tr->path))
		err = -errno;
	if (err)
		unlink(tr->tmp);
	trace_free(tr);
	return err;
}

void trace_abort(struct trace *tr)
{
	if (tr->f) {
		fclose(tr->f);
		unlink(tr->tmp);
	}
	trace_free(tr);
}

int trace_warning(const struct trace *tr, char *buf, size_t len)
{
	if (tr->stopped_at < 0)
		return 0;
	snprintf(buf, len, "trace: stopped at %llu events, at %.3f us of simulated time; %llu "
		 "later TLPs of the window [%.3f us, %.3f us] are not in it (narrow it with "
		 "--trace-window T0:T1)", (unsigned long long)tr->max, tr->stopped_at * 1e6,
		 (unsigned long long)tr->dropped, tr->t0 * 1e6, tr->t1 * 1e6);
	return 1;
}
