/* report_events.c - events.csv drawn into the report (contract §10). */
#include "report_events.h"

#include <stdlib.h>

void report_event_markers(FILE *f, const struct csv *ev)
{
	int ct = csv_col(ev, "time_us"), ce = csv_col(ev, "event"), cs = csv_col(ev, "subject");

	if (ct < 0 || ce < 0 || cs < 0)
		return;
	for (size_t i = 1; i < ev->nrows; i++) {
		double x = strtod(csv_get(ev, i, ct), NULL);
		/* names hold only [A-Za-z0-9_.-] (contract §1): safe inside gnuplot quotes */
		fprintf(f, "set arrow from %.3f, graph 0 to %.3f, graph 1 nohead dt 2 lw 1.5 "
			   "lc rgb '#b03030' front\n"
			   "set label '%s %s' at %.3f, graph 0.98 rotate by 90 right offset -0.9, 0 "
			   "font ',9' tc rgb '#b03030' front\n",
			x, x, csv_get(ev, i, ce), csv_get(ev, i, cs), x);
	}
}

void report_events_html(FILE *f, const struct csv *ev,
			void (*table)(FILE *, const struct csv *, const char *const *,
				      const char *const *, size_t))
{
	static const char *const cols[] = {"time_us", "event", "subject", "hosts_affected",
					   "dmas_failed", "tlps_lost", "timeouts", "recovery_us"};
	static const char *const heads[] = {"time (us)", "event", "subject", "hosts affected",
					    "DMAs failed", "TLPs lost", "completion timeouts",
					    "recovery (us)"};

	if (ev->nrows < 2)
		return;
	fputs("<h2 id=\"events\">Events</h2>\n<p>What the management plane and the faults did "
	      "during the run (events.csv). Recovery runs from the event (a reset or a reassign: "
	      "from the end of its FLR) until every affected host is back within 10 % of its "
	      "throughput before the event, to one time-series bin; empty: never.</p>\n", f);
	table(f, ev, cols, heads, sizeof(cols) / sizeof(cols[0]));
}
