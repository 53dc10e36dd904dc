/* results_json.c - summary.json: every table of the results directory as arrays, the run's
 * parameters, each host's and workload's verdict, and the warnings. */
#include "results_json.h"

#include <math.h>
#include <stdio.h>

#include "bottleneck.h"
#include "events_out.h"
#include "results.h"
#include "sim.h"

static void json_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else
		fprintf(f, "%.6g", v);
}

/* A JSON string (RFC 8259 escapes). */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* packets, drops (NIC), ios (NVMe) and their rate per second (§7); what does not apply is
 * null */
static void json_counts(FILE *f, const struct results_counts *c)
{
	if (c->kind == 'p')
		fprintf(f, ", \"packets\": %llu, \"drops\": %llu, \"ios\": null, \"pps\": %.1f, "
			   "\"iops\": null", (unsigned long long)c->packets,
			(unsigned long long)c->drops, c->per_s);
	else if (c->kind == 'i')
		fprintf(f, ", \"packets\": null, \"drops\": null, \"ios\": %llu, \"pps\": null, "
			   "\"iops\": %.1f", (unsigned long long)c->ios, c->per_s);
	else
		fprintf(f, ", \"packets\": null, \"drops\": null, \"ios\": null, \"pps\": null, "
			   "\"iops\": null");
}

static void json_row(FILE *f, const struct stat_summary *m)
{
	fprintf(f, "\"throughput_gbps\": ");
	json_num(f, m->gbps);
	fprintf(f, ", \"throughput_ci95\": ");
	json_num(f, m->gbps_ci95);
	fprintf(f, ", \"dmas\": %llu, \"lat_mean_ns\": ", (unsigned long long)m->dmas);
	json_num(f, m->mean_ns);
	fprintf(f, ", \"lat_mean_ci95\": ");
	json_num(f, m->mean_ci95);
	fprintf(f, ", \"lat_p50_ns\": ");
	json_num(f, m->p50_ns);
	fprintf(f, ", \"lat_p99_ns\": ");
	json_num(f, m->p99_ns);
}

static void json_verdict(FILE *f, const struct topo *t, const struct bottleneck *bn)
{
	static const char *const kinds[] = {"none", "link", "device", "latency", "cpu"};

	fprintf(f, "{\"kind\": \"%s\", \"link\": ", kinds[bn->kind]);
	if (bn->port) {
		json_str(f, t->links[bn->port->link].name);
		fprintf(f, ", \"from\": ");
		json_str(f, topo_node_name(t, bn->port->from));
		fprintf(f, ", \"to\": ");
		json_str(f, topo_node_name(t, bn->port->to));
	} else {
		fprintf(f, "null, \"from\": null, \"to\": null");
	}
	fprintf(f, ", \"busy\": %.4f, \"text\": ", bn->busy);
	json_str(f, bn->text);
	fputc('}', f);
}

static void json_run(FILE *f, const struct sim *s)
{
	const struct topo *t = s->t;

	fprintf(f, "  \"run\": {\"topology\": ");
	json_str(f, t->name);
	fprintf(f, ", \"seed\": %llu, \"duration_s\": %.9g, \"warmup_s\": %.9g, \"batches\": %zu, "
		   "\"wall_s\": %.6f, \"events\": %llu, \"dmas_issued\": %llu, "
		   "\"dmas_completed\": %llu, \"bytes_completed\": %llu},\n",
		(unsigned long long)t->run.seed, t->run.duration, t->run.warmup, s->st.nbatches,
		s->wall_s, (unsigned long long)s->e.c.tlp_hops, (unsigned long long)s->e.c.dmas_issued,
		(unsigned long long)s->e.c.dmas_completed, (unsigned long long)s->e.c.bytes_completed);
}

static void json_hosts(FILE *f, struct sim *s)
{
	const struct topo *t = s->t;
	const char *sep = "";

	fprintf(f, "  \"hosts\": [");
	for (size_t h = 0; h < t->nhosts; h++, sep = ",") {
		struct stat_summary m;
		struct bottleneck bn;
		const struct eng_host *eh = &s->e.hosts[h];
		stats_summary(&s->st, &s->st.host[h], &m);
		bottleneck_find(s, (int)h, &bn);
		fprintf(f, "%s\n    {\"host\": ", sep);
		json_str(f, t->hosts[h].name);
		fprintf(f, ", \"vh\": %d, ", t->hosts[h].vh);
		json_row(f, &m);
		fprintf(f, ", \"iotlb_hits\": %llu, \"iotlb_misses\": %llu, \"invalidations\": %llu, "
			   "\"inval_lat_mean_ns\": ", (unsigned long long)eh->iotlb_hits,
			(unsigned long long)eh->iotlb_misses, (unsigned long long)eh->inv_done);
		json_num(f, eh->inv_done ? eh->inv_lat_sum / (double)eh->inv_done * 1e9 : NAN);
		fprintf(f, ", \"interrupts\": %llu, \"irq_remap_misses\": ",
			(unsigned long long)eh->interrupts);
		json_num(f, eh->irq_remap ? (double)eh->irq_remap_misses : NAN);
		fprintf(f, ", \"dmas_failed\": %llu, \"completion_timeouts\": %llu",
			(unsigned long long)fault_host_failed(&s->e, (int)h),
			(unsigned long long)fault_host_timeouts(&s->e, (int)h));
		struct results_cpu c; /* contract §11: null for a host without processors */
		results_host_cpu(s, (int)h, &c);
		fprintf(f, ", \"cpu_utilization\": ");
		json_num(f, c.utilization);
		fprintf(f, ", \"cpu_cores_busy\": ");
		json_num(f, c.cores_busy);
		fprintf(f, ", \"vswitch_packets\": ");
		json_num(f, c.vswitch_packets >= 0 ? (double)c.vswitch_packets : NAN);
		fprintf(f, ", \"bottleneck\": ");
		json_verdict(f, t, &bn);
		fputc('}', f);
	}
	fprintf(f, "\n  ],\n");
}

/* functions.csv and summary.json list the VFs that run a workload */
static int with_traffic(const struct sim *s, size_t fn)
{
	/* and a PF whose queue pair carries a host's vswitch path (contract §11) */
	return eng_fn_has_streams(&s->e, fn) || (s->t->functions[fn].is_pf && s->e.vfs[fn].model);
}

static void json_functions(FILE *f, struct sim *s)
{
	const struct topo *t = s->t;
	const char *sep = "";

	fprintf(f, "  \"functions\": [");
	for (size_t i = 0; i < t->nfunctions; i++) {
		const struct topo_function *fn = &t->functions[i];
		const struct vf *vf = &s->e.vfs[i];
		struct stat_summary m;
		if (!with_traffic(s, i))
			continue;
		stats_summary(&s->st, &s->st.fn[i], &m);
		fprintf(f, "%s\n    {\"function\": ", sep);
		json_str(f, fn->name);
		fprintf(f, ", \"device\": ");
		json_str(f, t->devices[fn->device].name);
		fprintf(f, ", \"host\": ");
		json_str(f, t->hosts[fn->host].name);
		fprintf(f, ", ");
		json_row(f, &m);
		if (vf->atc)
			fprintf(f, ", \"atc_hits\": %llu, \"atc_misses\": %llu, \"xlat_wait_mean_ns\": ",
				(unsigned long long)vf->atc_hits, (unsigned long long)vf->atc_misses);
		else
			fprintf(f, ", \"atc_hits\": null, \"atc_misses\": null, \"xlat_wait_mean_ns\": ");
		json_num(f, vf->atc && vf->xlat_dmas ? vf->xlat_wait_sum / (double)vf->xlat_dmas * 1e9
						     : NAN);
		fprintf(f, ", \"interrupts\": %llu, \"irq_lat_mean_ns\": ",
			(unsigned long long)vf->interrupts);
		json_num(f, vf->interrupts ? vf->irq_lat_sum / (double)vf->interrupts * 1e9 : NAN);
		struct results_counts c;
		results_fn_counts(s, (int)i, &c);
		json_counts(f, &c);
		fputc('}', f);
		sep = ",";
	}
	fprintf(f, "\n  ],\n");
}

static void json_workloads(FILE *f, struct sim *s)
{
	const struct topo *t = s->t;
	const char *sep = "";

	fprintf(f, "  \"workloads\": [");
	for (size_t i = 0; i < t->nworkloads; i++, sep = ",") {
		const struct topo_workload *w = &t->workloads[i];
		struct stat_summary m;
		struct bottleneck bn;
		stats_summary(&s->st, &s->st.wl[i], &m);
		bottleneck_workload(s, (int)i, &bn);
		fprintf(f, "%s\n    {\"workload\": ", sep);
		json_str(f, w->name);
		fprintf(f, ", \"host\": ");
		json_str(f, w->host.name);
		fprintf(f, ", \"device\": ");
		json_str(f, w->device.name);
		fprintf(f, ", \"op\": \"%s\", \"offered_gbps\": ", topo_wl_kind(w));
		json_num(f, stats_offered_gbps(t, w));
		fprintf(f, ", ");
		json_row(f, &m);
		fprintf(f, ", \"demand\": ");
		json_str(f, bn.demand);
		fprintf(f, ", \"carried\": %s, \"verdict\": ",
			w->has_rate ? (bn.carried ? "true" : "false") : "null");
		json_verdict(f, t, &bn);
		struct results_counts c;
		results_wl_counts(s, (int)i, &c);
		json_counts(f, &c);
		/* the path used (§11); raw DMA and I/O commands: null */
		fprintf(f, ", \"path\": %s%s%s", topo_is_packets(w) ? "\"" : "",
			topo_is_packets(w) ? topo_path_name(w) : "null", topo_is_packets(w) ? "\"" : "");
		fputc('}', f);
	}
	fprintf(f, "\n  ],\n");
}

static void json_links(FILE *f, const struct sim *s)
{
	const struct topo *t = s->t;
	double win = t->run.duration - t->run.warmup;
	const char *sep = "";

	fprintf(f, "  \"links\": [");
	for (size_t i = 0; i < s->e.nports; i++, sep = ",") {
		const struct port *p = &s->e.ports[i];
		fprintf(f, "%s\n    {\"link\": ", sep);
		json_str(f, t->links[p->link].name);
		fprintf(f, ", \"from\": ");
		json_str(f, topo_node_name(t, p->from));
		fprintf(f, ", \"to\": ");
		json_str(f, topo_node_name(t, p->to));
		fprintf(f, ", \"utilization\": %.6f, \"payload_gbps\": %.6g, \"wire_gbps\": %.6g, "
			   "\"tlps\": %llu}", fmin(p->st.busy / win, 1.0), p->st.payload * 8 / win / 1e9,
			p->st.wire * 8 / win / 1e9, (unsigned long long)p->st.tlps);
	}
	fprintf(f, "\n  ],\n");
}

static void json_warnings(FILE *f, const struct sim *s)
{
	const char *sep = "";

	fprintf(f, "  \"warnings\": [");
	for (size_t i = 0; i < s->warn.n; i++, sep = ",") {
		fprintf(f, "%s\n    {\"kind\": ", sep);
		json_str(f, s->warn.v[i].kind);
		fprintf(f, ", \"subject\": ");
		json_str(f, s->warn.v[i].subject);
		fprintf(f, ", \"message\": ");
		json_str(f, s->warn.v[i].message);
		fputc('}', f);
	}
	fprintf(f, "%s]\n", s->warn.n ? "\n  " : "");
}

/* events.csv's rows (contract §10): an empty list without events */
static void json_events(FILE *f, const struct sim *s)
{
	const struct topo *t = s->t;

	fprintf(f, "  \"events\": [");
	for (size_t i = 0; i < t->nevents; i++) {
		const struct topo_event *e = &t->events[i];
		const struct fault_event_stats *fs = &s->e.faults->ev[i];
		const char *sep = "";
		fprintf(f, "%s\n    {\"time_us\": %.3f, \"event\": \"%s\", \"subject\": ", i ? "," : "",
			e->at * 1e6, topo_event_name(e->kind));
		json_str(f, topo_event_subject(t, e));
		fprintf(f, ", \"hosts_affected\": [");
		for (size_t h = 0; h < t->nhosts; h++) {
			if (!topo_event_affects(t, i, h))
				continue;
			fputs(sep, f);
			json_str(f, t->hosts[h].name);
			sep = ", ";
		}
		fprintf(f, "], \"dmas_failed\": %llu, \"tlps_lost\": %llu, \"timeouts\": %llu, "
			   "\"recovery_us\": ", (unsigned long long)fs->dmas_failed,
			(unsigned long long)fs->tlps_lost, (unsigned long long)fs->timeouts);
		json_num(f, events_recovery(s, i) * 1e6);
		fputc('}', f);
	}
	fprintf(f, "\n  ],\n");
}

int results_json_summary(void *arg, FILE *f)
{
	struct sim *s = arg;

	fprintf(f, "{\n");
	json_run(f, s);
	json_hosts(f, s);
	json_functions(f, s);
	json_workloads(f, s);
	json_links(f, s);
	json_events(f, s);
	json_warnings(f, s);
	fprintf(f, "}\n");
	return 0;
}
