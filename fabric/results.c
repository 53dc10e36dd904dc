/* results.c - CSV and JSON results, written whole or not at all. */
#include "results.h"
#include "events_out.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nic.h"
#include "wholefile.h"
#include "bottleneck.h"
#include "results_json.h"

struct ctx {
	struct sim *sim;
};

/* A number, or nothing when it does not apply (NAN). */
static void num(FILE *f, const char *fmt, double v)
{
	if (!isnan(v))
		fprintf(f, fmt, v);
}

static double window(const struct sim *s)
{
	return s->t->run.duration - s->t->run.warmup;
}

/* What the device's model counted for function fn (wl < 0) or workload wl (fn < 0). */
static void counts(const struct sim *sim, int fn, int wl, struct results_counts *c)
{
	struct dev_counts d;

	dev_counts_of(&sim->e, fn, wl, &d);
	*c = (struct results_counts){.kind = d.ios >= 0 ? 'i' : d.packets >= 0 ? 'p' : 0};
	c->packets = d.packets > 0 ? (uint64_t)d.packets : 0;
	c->drops = d.drops > 0 ? (uint64_t)d.drops : 0;
	c->ios = d.ios > 0 ? (uint64_t)d.ios : 0;
	c->per_s = (double)(c->kind == 'i' ? c->ios : c->packets) / window(sim);
}

void results_fn_counts(const struct sim *sim, int fn, struct results_counts *c)
{
	counts(sim, fn, -1, c);
}

void results_wl_counts(const struct sim *sim, int w, struct results_counts *c)
{
	counts(sim, -1, w, c);
}

/* pps,iops (contract §7 "a column iops is welcome"), after a leading comma: the rate per
 * second of the window of what applies to the kind, the other empty */
static void rate_cols(FILE *f, const struct results_counts *c)
{
	if (c->kind == 'p')
		fprintf(f, ",%.1f,", c->per_s);
	else if (c->kind == 'i')
		fprintf(f, ",,%.1f", c->per_s);
	else
		fputs(",,", f);
}

/* throughput_ci95,lat_mean_ci95 (contract §4), after a leading comma */
static void ci_cols(FILE *f, const struct stat_summary *m)
{
	fputc(',', f);
	num(f, "%.4f", m->gbps_ci95);
	fputc(',', f);
	num(f, "%.2f", m->mean_ci95);
}

static void lat_cols(FILE *f, const struct stat_summary *m)
{
	fputc(',', f);
	num(f, "%.2f", m->mean_ns);
	fputc(',', f);
	num(f, "%.2f", m->p50_ns);
	fputc(',', f);
	num(f, "%.2f", m->p99_ns);
}

/* Offered load of a host's open-loop workloads; NAN when it has none. */
static double host_offered(const struct topo *t, int h)
{
	double sum = 0;
	int any = 0;

	for (size_t w = 0; w < t->nworkloads; w++)
		if (t->workloads[w].host.idx == h && t->workloads[w].has_rate) {
			sum += stats_offered_gbps(t, &t->workloads[w]);
			any = 1;
		}
	return any ? sum : NAN;
}

/* Text in CSV: quoted, quotes doubled (RFC 4180). */
static void csv_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* latency_cdf.csv: per host, the latency at every percent of its DMAs (nearest rank). */
static int write_cdf(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;

	fprintf(f, "host,fraction,lat_ns\n");
	for (size_t h = 0; h < t->nhosts; h++) {
		struct stat_summary m;
		struct stat_row *r = &s->st.host[h];
		stats_summary(&s->st, r, &m); /* sorts the latencies */
		/* 101 rows per host always (empty latency without DMAs): plots index by host */
		for (int q = 0; q <= 100; q++) {
			size_t k = (size_t)ceil(q / 100.0 * (double)r->lat.n);
			fprintf(f, "%s,%.2f,", t->hosts[h].name, q / 100.0);
			if (r->lat.n)
				fprintf(f, "%.2f", r->lat.v[k ? k - 1 : 0] * 1e9);
			fputc('\n', f);
		}
	}
	return 0;
}

static const char *const bn_kinds[] = {"none", "link", "device", "latency", "cpu"};

static void bottleneck_row(FILE *f, const struct topo *t, const char *host, const char *wl,
			   const struct bottleneck *bn)
{
	fprintf(f, "%s,%s,%s,", host, wl, bn_kinds[bn->kind]);
	if (bn->port)
		fprintf(f, "%s,%s,%s,", t->links[bn->port->link].name,
			topo_node_name(t, bn->port->from), topo_node_name(t, bn->port->to));
	else
		fprintf(f, ",,,");
	fprintf(f, "%.4f,", bn->busy);
	csv_text(f, bn->text);
	fputc(',', f);
	csv_text(f, bn->demand);
	fputc('\n', f);
}

/* bottlenecks.csv: what limits each host (workload empty), then each workload. */
static int write_bottlenecks(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;
	struct bottleneck bn;

	fprintf(f, "host,workload,kind,link,from,to,busy,text,demand\n");
	for (size_t h = 0; h < t->nhosts; h++) {
		bottleneck_find(s, (int)h, &bn);
		bottleneck_row(f, t, t->hosts[h].name, "", &bn);
	}
	for (size_t w = 0; w < t->nworkloads; w++) {
		bottleneck_workload(s, (int)w, &bn);
		bottleneck_row(f, t, t->workloads[w].host.name, t->workloads[w].name, &bn);
	}
	return 0;
}

/* warnings.csv: the run's warnings (contract §4), for the report. */
static int write_warnings(void *arg, FILE *f)
{
	struct sim *s = arg;

	fprintf(f, "kind,subject,message\n");
	for (size_t i = 0; i < s->warn.n; i++) {
		fprintf(f, "%s,", s->warn.v[i].kind);
		csv_text(f, s->warn.v[i].subject);
		fputc(',', f);
		csv_text(f, s->warn.v[i].message);
		fputc('\n', f);
	}
	return 0;
}

/* run.csv: the run's parameters, for reports. */
static int write_run(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;

	fprintf(f, "key,value\n");
	fprintf(f, "topology,%s\nfile,", t->name);
	csv_text(f, t->file);
	fprintf(f, "\ndescription,");
	csv_text(f, t->description ? t->description : "");
	fprintf(f, "\nseed,%llu\nduration_us,%.3f\nwarmup_us,%.3f\nhosts,%zu\nswitches,%zu\n"
		   "devices,%zu\nlinks,%zu\nmps,%llu\nmrrs,%llu\nwall_s,%.3f\ntlp_hops,%llu\n"
		   "dmas_completed,%llu\n",
		(unsigned long long)t->run.seed, t->run.duration * 1e6, t->run.warmup * 1e6, t->nhosts,
		t->nswitches, t->ndevices, t->nlinks, (unsigned long long)t->pcie.mps,
		(unsigned long long)t->pcie.mrrs, s->wall_s, (unsigned long long)s->e.c.tlp_hops,
		(unsigned long long)s->e.c.dmas_completed);
	return 0;
}

void results_host_cpu(const struct sim *s, int h, struct results_cpu *out)
{
	const struct topo_host *th = &s->t->hosts[h];
	const struct vswitch *v = nic_vswitch_of(&s->e, h);
	double busy = v ? vswitch_busy(v) : 0;

	out->utilization = NAN;
	out->cores_busy = NAN;
	out->vswitch_packets = v ? (long long)v->jobs : th->vswitch.present ? 0 : -1;
	if (th->cpu.present || th->uses_vswitch) {
		out->utilization = busy / ((double)th->cpu.cores * window(s));
		out->cores_busy = busy / window(s);
	}
}

/* cpu_utilization,vswitch_packets (contract §11),cpu_cores_busy, after a leading comma */
static void cpu_cols(FILE *f, const struct sim *s, int h)
{
	struct results_cpu c;

	results_host_cpu(s, h, &c);
	fputc(',', f);
	num(f, "%.6f", c.utilization);
	fputc(',', f);
	if (c.vswitch_packets >= 0)
		fprintf(f, "%lld", c.vswitch_packets);
	fputc(',', f);
	num(f, "%.4f", c.cores_busy);
}

static int write_hosts(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;
	fprintf(f, "host,vh,throughput_gbps,dmas,lat_mean_ns,lat_p50_ns,lat_p99_ns,iotlb_hits,"
		   "iotlb_misses,invalidations,inval_lat_mean_ns,inval_lat_max_ns,offered_gbps,"
		   "throughput_ci95,lat_mean_ci95,interrupts,irq_remap_misses,dmas_failed,"
		   "completion_timeouts,cpu_utilization,vswitch_packets,cpu_cores_busy\n");
	for (size_t h = 0; h < t->nhosts; h++) {
		struct stat_summary m;
		stats_summary(&s->st, &s->st.host[h], &m);
		fprintf(f, "%s,%d,%.4f,%llu", t->hosts[h].name, t->hosts[h].vh, m.gbps,
			(unsigned long long)m.dmas);
		lat_cols(f, &m);
		const struct eng_host *eh = &s->e.hosts[h];
		fprintf(f, ",%llu,%llu,%llu,", (unsigned long long)eh->iotlb_hits,
			(unsigned long long)eh->iotlb_misses, (unsigned long long)eh->inv_done);
		num(f, "%.2f", eh->inv_done ? eh->inv_lat_sum / (double)eh->inv_done * 1e9 : NAN);
		fputc(',', f);
		num(f, "%.2f", eh->inv_done ? eh->inv_lat_max * 1e9 : NAN);
		fputc(',', f);
		num(f, "%.4f", host_offered(t, (int)h));
		ci_cols(f, &m);
		fprintf(f, ",%llu,", (unsigned long long)eh->interrupts);
		if (eh->irq_remap) /* without remapping nothing can miss: empty */
			fprintf(f, "%llu", (unsigned long long)eh->irq_remap_misses);
		fprintf(f, ",%llu,%llu", (unsigned long long)fault_host_failed(&s->e, (int)h),
			(unsigned long long)fault_host_timeouts(&s->e, (int)h));
		cpu_cols(f, s, (int)h); /* empty for a host without processors (§11) */
		fputc('\n', f);
	}
	return 0;
}

/* ",packets,drops,ios" of function fn or workload wl (the other < 0): what its device's
 * model counts, empty where it counts none */
static void count_cols(FILE *f, const struct eng *e, int fn, int wl)
{
	struct dev_counts c;

	dev_counts_of(e, fn, wl, &c);
	int64_t v[] = {c.packets, c.drops, c.ios};
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		if (v[k] >= 0)
			fprintf(f, ",%lld", (long long)v[k]);
		else
			fputc(',', f);
}

/* functions.csv and summary.json list the VFs that run a workload */
static bool with_traffic(const struct sim *s, size_t fn)
{
	/* and a PF whose queue pair carries a host's vswitch path (contract §11) */
	return eng_fn_has_streams(&s->e, fn) || (s->t->functions[fn].is_pf && s->e.vfs[fn].model);
}

static int write_functions(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;

	fprintf(f, "function,device,host,throughput_gbps,dmas,lat_mean_ns,lat_p50_ns,lat_p99_ns,"
		   "atc_hits,atc_misses,xlat_wait_mean_ns,throughput_ci95,lat_mean_ci95,packets,drops,"
		   "ios,interrupts,irq_lat_mean_ns,pps,iops\n");
	for (size_t i = 0; i < t->nfunctions; i++) {
		const struct topo_function *fn = &t->functions[i];
		struct stat_summary m;
		if (!with_traffic(s, i))
			continue; /* VFs with traffic only */
		stats_summary(&s->st, &s->st.fn[i], &m);
		fprintf(f, "%s,%s,%s,%.4f,%llu", fn->name, t->devices[fn->device].name,
			t->hosts[fn->host].name, m.gbps, (unsigned long long)m.dmas);
		lat_cols(f, &m);
		const struct vf *vf = &s->e.vfs[i];
		if (vf->atc)
			fprintf(f, ",%llu,%llu,", (unsigned long long)vf->atc_hits,
				(unsigned long long)vf->atc_misses);
		else
			fprintf(f, ",,,"); /* no ATS on this device */
		num(f, "%.2f", vf->atc && vf->xlat_dmas ? vf->xlat_wait_sum / (double)vf->xlat_dmas * 1e9
							  : NAN);
		ci_cols(f, &m);
		/* packets, drops, ios: what the device's model counts (§7); raw DMA none */
		struct results_counts c;
		results_fn_counts(s, (int)i, &c);
		count_cols(f, &s->e, (int)i, -1);
		fprintf(f, ",%llu,", (unsigned long long)vf->interrupts);
		num(f, "%.2f", vf->interrupts ? vf->irq_lat_sum / (double)vf->interrupts * 1e9 : NAN);
		rate_cols(f, &c);
		fputc('\n', f);
	}
	return 0;
}

static int write_workloads(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;

	fprintf(f, "workload,host,device,op,offered_gbps,throughput_gbps,dmas,lat_mean_ns,"
		   "lat_p50_ns,lat_p99_ns,throughput_ci95,lat_mean_ci95,demand,carried,verdict,"
		   "packets,drops,ios,pps,iops,path\n");
	for (size_t i = 0; i < t->nworkloads; i++) {
		const struct topo_workload *w = &t->workloads[i];
		struct stat_summary m;
		stats_summary(&s->st, &s->st.wl[i], &m);
		fprintf(f, "%s,%s,%s,%s,", w->name, w->host.name, w->device.name, topo_wl_kind(w));
		num(f, "%.4f", stats_offered_gbps(s->t, w));
		fprintf(f, ",%.4f,%llu", m.gbps, (unsigned long long)m.dmas);
		lat_cols(f, &m);
		ci_cols(f, &m);
		struct bottleneck b;
		bottleneck_workload(s, (int)i, &b);
		fputc(',', f);
		csv_text(f, b.demand);
		fprintf(f, ",%s,", w->has_rate ? (b.carried ? "yes" : "no") : "");
		csv_text(f, b.text);
		struct results_counts c; /* frames or commands done in the window (§7) */
		results_wl_counts(s, (int)i, &c);
		count_cols(f, &s->e, -1, (int)i);
		rate_cols(f, &c);
		/* the path its frames took (§11); raw DMA and I/O commands take neither */
		fprintf(f, ",%s", topo_is_packets(w) ? topo_path_name(w) : "");
		fputc('\n', f);
	}
	return 0;
}

static int write_links(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;
	double win = window(s);

	fprintf(f, "link,from,to,utilization,payload_gbps,wire_gbps,credit_stall,queue_mean,"
		   "queue_max,tlps\n");
	for (size_t i = 0; i < s->e.nports; i++) {
		const struct port *p = &s->e.ports[i];
		fprintf(f, "%s,%s,%s,%.6f,%.4f,%.4f,%.6f,%.3f,%.0f,%llu\n", t->links[p->link].name,
			topo_node_name(t, p->from), topo_node_name(t, p->to), fmin(p->st.busy / win, 1.0),
			p->st.payload * 8 / win / 1e9, p->st.wire * 8 / win / 1e9,
			fmin(p->st.stall / win, 1.0), p->st.queue_area / win, p->st.queue_max,
			(unsigned long long)p->st.tlps);
	}
	return 0;
}

/* overhead.csv (contract §7): per link direction and purpose, its TLPs and wire rate; the
 * purposes of one direction add up to its wire_gbps in links.csv. Rows with nothing in
 * the window are left out. */
static int write_overhead(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;
	double win = window(s);

	fprintf(f, "link,from,to,purpose,tlps,wire_gbps\n");
	for (size_t i = 0; i < s->e.nports; i++) {
		const struct port *p = &s->e.ports[i];
		for (int u = 0; u < PURPOSE_N; u++) {
			if (!p->st.purpose_tlps[u] && p->st.purpose_wire[u] <= 0)
				continue;
			fprintf(f, "%s,%s,%s,%s,%llu,%.4f\n", t->links[p->link].name,
				topo_node_name(t, p->from), topo_node_name(t, p->to),
				tlp_purpose_name(u), (unsigned long long)p->st.purpose_tlps[u],
				p->st.purpose_wire[u] * 8 / win / 1e9);
		}
	}
	return 0;
}

static int write_timeseries(void *arg, FILE *f)
{
	struct sim *s = arg;
	const struct topo *t = s->t;
	const struct stats *st = &s->st;

	fprintf(f, "time_us,host,throughput_gbps\n");
	for (size_t b = 0; b < st->nbins; b++) {
		double lo = st->lo + (double)b * st->bin, w = fmin(st->bin, st->hi - lo);
		for (size_t h = 0; h < t->nhosts; h++)
			fprintf(f, "%.3f,%s,%.4f\n", lo * 1e6, t->hosts[h].name,
				st->ts[b * t->nhosts + h] * 8 / w / 1e9);
	}
	return 0;
}

int results_write(struct sim *sim, const char *dir, const char **failed)
{
	static const struct {
		const char *name;
		int (*fill)(void *, FILE *);
	} files[] = {{"hosts.csv", write_hosts},         {"functions.csv", write_functions},
		     {"workloads.csv", write_workloads}, {"links.csv", write_links},
		     {"overhead.csv", write_overhead},
		     {"timeseries.csv", write_timeseries}, {"latency_cdf.csv", write_cdf},
		     {"bottlenecks.csv", write_bottlenecks}, {"run.csv", write_run},
		     {"warnings.csv", write_warnings}, {"events.csv", events_write_csv},
		     /* last: its presence marks a complete results directory (sweep reuse) */
		     {"summary.json", results_json_summary}};
	char path[4096];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int err;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		err = wholefile_write(path, files[i].fill, sim);
		if (err) {
			*failed = files[i].name;
			return err;
		}
	}
	return 0;
}

/* "12.345 ± 0.012" in a column of width w, or the value alone when it has no interval */
static void pm(FILE *f, int w, int prec, double v, double ci)
{
	char buf[64];

	if (isnan(v))
		snprintf(buf, sizeof(buf), "-");
	else if (isnan(ci))
		snprintf(buf, sizeof(buf), "%.*f", prec, v);
	else
		snprintf(buf, sizeof(buf), "%.*f ± %.*f", prec, v, prec, ci);
	/* "±" is two bytes and one column */
	fprintf(f, " %*s", w + (strstr(buf, "±") ? 1 : 0), buf);
}

/* Per host with processors (contract §11): how busy they were, what its vswitch did. */
static void print_cpu(const struct sim *sim, FILE *f)
{
	const struct topo *t = sim->t;

	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_host *th = &t->hosts[h];
		struct results_cpu c;
		results_host_cpu(sim, (int)h, &c);
		if (isnan(c.utilization))
			continue;
		fprintf(f, "%s: CPU %.1f %% of %llu cores busy (%.2f cores)", th->name,
			100 * c.utilization, (unsigned long long)th->cpu.cores, c.cores_busy);
		if (c.vswitch_packets >= 0)
			fprintf(f, "; vswitch (at most %llu cores) switched %lld frames%s",
				(unsigned long long)th->vswitch.cores, c.vswitch_packets,
				th->vswitch.acl ? ", SR-IOV off: ACLs on" : "");
		fputc('\n', f);
	}
}

void results_print_summary(struct sim *sim, FILE *f)
{
	const struct topo *t = sim->t;
	struct bottleneck bn;

	fprintf(f, "%s: %.1f us simulated (window %.1f-%.1f us, %zu batches), %.2f s wall\n",
		t->name, t->run.duration * 1e6, t->run.warmup * 1e6, t->run.duration * 1e6,
		sim->st.nbatches, sim->wall_s);
	fprintf(f, "%-16s %4s %20s %10s %20s %12s %12s\n", "host", "vh", "Gb/s (95% CI)", "DMAs",
		"mean ns (95% CI)", "p50 ns", "p99 ns");
	for (size_t h = 0; h < t->nhosts; h++) {
		struct stat_summary m;
		stats_summary(&sim->st, &sim->st.host[h], &m);
		fprintf(f, "%-16s %4d", t->hosts[h].name, t->hosts[h].vh);
		pm(f, 20, 3, m.gbps, m.gbps_ci95);
		fprintf(f, " %10llu", (unsigned long long)m.dmas);
		pm(f, 20, 1, m.mean_ns, m.mean_ci95);
		pm(f, 12, 1, m.p50_ns, NAN);
		pm(f, 12, 1, m.p99_ns, NAN);
		fputc('\n', f);
	}
	for (size_t h = 0; h < t->nhosts; h++) {
		bottleneck_find(sim, (int)h, &bn);
		fprintf(f, "%s: %s\n", t->hosts[h].name, bn.text);
	}
	print_cpu(sim, f);
	for (size_t w = 0; w < t->nworkloads; w++) {
		struct stat_summary m;
		bottleneck_workload(sim, (int)w, &bn);
		struct results_counts c;
		stats_summary(&sim->st, &sim->st.wl[w], &m);
		results_wl_counts(sim, (int)w, &c);
		fprintf(f, "  workload %s (%s, %s%s): %.3f Gb/s", t->workloads[w].name,
			t->workloads[w].host.name, bn.demand,
			t->workloads[w].vswitch ? ", vswitch path" : "", m.gbps);
		if (c.kind) /* packets/s or IOPS next to Gb/s */
			fprintf(f, ", %.0f %s", c.per_s, c.kind == 'i' ? "IOPS" : "packets/s");
		fprintf(f, "; %s\n", bn.text);
	}
}
