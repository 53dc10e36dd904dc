/* report.c - plots and report.html of a results directory. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wholefile.h"
#include "csvread.h"
#include "purpose.h"
#include "report_events.h"

extern char **environ;

struct rep {
	const char *dir;
	struct csv run, hosts, fns, wls, links, bn, warn, overhead, events;
	bool translation; /* any IOTLB or ATC lookups */
	bool bytes;       /* overhead.csv is there (results of this version) */
	bool plots;       /* gnuplot drew them */
};

static const char *const plots[] = {"throughput", "timeseries", "latency_cdf", "links",
				    "translation", "bytes"};
static const char *const captions[] = {
	"Throughput per host: achieved (payload) next to offered (open-loop workloads)",
	"Throughput per host over time",
	"Latency distribution per host (DMA issue to completion)",
	"Utilization of every link direction",
	"Translation cache hit ratios per host: host IOTLB and device ATCs",
	"Where the bytes go: wire rate of every link direction by TLP purpose (overhead.csv)"};

static const char *run_value(const struct rep *r, const char *key)
{
	for (size_t i = 1; i < r->run.nrows; i++)
		if (strcmp(csv_get(&r->run, i, 0), key) == 0)
			return csv_get(&r->run, i, 1);
	return "";
}

/* translation.csv: per host, IOTLB and ATC hit ratios (empty when no lookups). */
static int write_translation(void *arg, FILE *f)
{
	struct rep *r = arg;
	int hh = csv_col(&r->hosts, "iotlb_hits"), hm = csv_col(&r->hosts, "iotlb_misses");
	int fh = csv_col(&r->fns, "atc_hits"), fm = csv_col(&r->fns, "atc_misses");
	int fhost = csv_col(&r->fns, "host");

	fprintf(f, "host,iotlb_hit_ratio,atc_hit_ratio\n");
	for (size_t i = 1; i < r->hosts.nrows; i++) {
		const char *host = csv_get(&r->hosts, i, 0);
		double ih = atof(csv_get(&r->hosts, i, hh)), im = atof(csv_get(&r->hosts, i, hm));
		double ah = 0, am = 0;
		for (size_t k = 1; k < r->fns.nrows; k++)
			if (strcmp(csv_get(&r->fns, k, fhost), host) == 0) {
				ah += atof(csv_get(&r->fns, k, fh));
				am += atof(csv_get(&r->fns, k, fm));
			}
		fprintf(f, "%s,", host);
		if (ih + im > 0)
			fprintf(f, "%.4f", ih / (ih + im));
		fputc(',', f);
		if (ah + am > 0)
			fprintf(f, "%.4f", ah / (ah + am));
		fputc('\n', f);
		if (ih + im + ah + am > 0)
			r->translation = true;
	}
	return 0;
}

/* bytes.csv: overhead.csv turned into one row per link direction (links.csv order) and one
 * column per purpose, for the stacked bars. */
static int write_bytes(void *arg, FILE *f)
{
	struct rep *r = arg;
	const struct csv *o = &r->overhead;
	int op = csv_col(o, "purpose"), ow = csv_col(o, "wire_gbps");

	fputs("direction", f);
	for (int u = 0; u < PURPOSE_N; u++)
		fprintf(f, ",%s", tlp_purpose_name(u));
	fputc('\n', f);
	for (size_t i = 1; i < r->links.nrows; i++) {
		double w[PURPOSE_N] = {0};
		for (size_t k = 1; k < o->nrows; k++) {
			int same = 1;
			for (int c = 0; c < 3; c++)
				same &= strcmp(csv_get(o, k, c), csv_get(&r->links, i, c)) == 0;
			for (int u = 0; same && u < PURPOSE_N; u++)
				if (strcmp(csv_get(o, k, op), tlp_purpose_name(u)) == 0)
					w[u] += atof(csv_get(o, k, ow));
		}
		fprintf(f, "%s (%s>%s)", csv_get(&r->links, i, 0), csv_get(&r->links, i, 1),
			csv_get(&r->links, i, 2));
		for (int u = 0; u < PURPOSE_N; u++)
			fprintf(f, ",%.4f", w[u]);
		fputc('\n', f);
	}
	return 0;
}

/* Is plot i drawn for this directory? */
static bool plot_wanted(const struct rep *r, size_t i)
{
	return strcmp(plots[i], "translation") == 0 ? r->translation
	       : strcmp(plots[i], "bytes") == 0     ? r->bytes
						    : true;
}

static void script_terminal(FILE *f, const char *name, int png)
{
	if (png)
		fprintf(f, "set terminal pngcairo size 1000,560 enhanced font 'sans,11'\n"
			   "set output '%s.png.tmp'\n", name);
	else
		fprintf(f, "set terminal svg size 1000,560 dynamic enhanced font 'sans,12' "
			   "background '#ffffff'\nset output '%s.svg.tmp'\n", name);
}

/* gnuplot's 1-based number of a CSV column (1 when it is missing: plots stay valid) */
static int col1(const struct csv *c, const char *name)
{
	int k = csv_col(c, name);
	return k < 0 ? 1 : k + 1;
}

/* throughput.svg/png: per host, achieved with its 95 % interval next to open-loop offered. */
static void script_throughput(FILE *f, const struct rep *r, const char *title, int png)
{
	script_terminal(f, "throughput", png);
	fprintf(f, "reset\nset datafile separator ','\nset datafile missing ''\n"
		   "set key outside right top\nset grid ytics\n"
		   "set title '%s: throughput per host'\n"
		   "set ylabel 'throughput (Gb/s, payload)'\nset xlabel 'host'\n"
		   "set style data histograms\n"
		   "set style histogram errorbars gap 1 lw 1.5\n"
		   "set style fill solid 0.85 border -1\nset yrange [0:*]\n"
		   "set xtics rotate by 45 right\n"
		   "plot 'hosts.csv' skip 1 using %d:(valid(%d) ? column(%d) : 0):xtic(1) "
		   "title 'achieved (95%% CI)' lc rgb '#3b75af', "
		   "'' skip 1 using %d:(0) title 'offered (open loop)' lc rgb '#f0a23b'\n",
		title, col1(&r->hosts, "throughput_gbps"), col1(&r->hosts, "throughput_ci95"),
		col1(&r->hosts, "throughput_ci95"), col1(&r->hosts, "offered_gbps"));
}

static int write_script(void *arg, FILE *f)
{
	struct rep *r = arg;
	size_t nh = r->hosts.nrows ? r->hosts.nrows - 1 : 0;
	const char *title = run_value(r, "topology");

	fprintf(f, "# gnuplot script of mriovsim's report (mriovsim report DIR redraws it)\n"
		   "set datafile separator ','\nset datafile missing ''\n"
		   "set key outside right top\nset grid ytics\nhosts = \"");
	for (size_t i = 1; i <= nh; i++)
		fprintf(f, "%s%s", i > 1 ? " " : "", csv_get(&r->hosts, i, 0));
	fprintf(f, "\"\n");
	for (int png = 0; png < 2; png++) {
		script_throughput(f, r, title, png);
		script_terminal(f, "timeseries", png);
		fprintf(f, "reset\nset datafile separator ','\nset key outside right top\n"
			   "set grid\nset yrange [0:*]\nset title '%s: throughput over time'\n"
			   "set xlabel 'simulated time (us)'\nset ylabel 'throughput (Gb/s, payload)'\n",
			title);
		report_event_markers(f, &r->events);
		fprintf(f, "plot for [i=0:%zu] 'timeseries.csv' skip 1 every %zu::i using 1:3 "
			   "with lines lw 2 title word(hosts, i + 1)\n",
			nh ? nh - 1 : 0, nh ? nh : 1);
		script_terminal(f, "latency_cdf", png);
		fprintf(f, "reset\nset datafile separator ','\nset key outside right top\nset grid\n"
			   "set title '%s: DMA latency distribution'\nset logscale x\n"
			   "set xlabel 'latency (ns, log scale)'\nset ylabel 'fraction of DMAs'\n"
			   "set yrange [0:1]\n"
			   "plot for [i=0:%zu] 'latency_cdf.csv' skip 1 every ::(i*101)::(i*101+100) "
			   "using 3:2 with steps lw 2 title word(hosts, i + 1)\n",
			title, nh ? nh - 1 : 0);
		script_terminal(f, "links", png);
		fprintf(f, "reset\nset datafile separator ','\nset key outside right top\n"
			   "set grid ytics\nset title '%s: link utilization per direction'\n"
			   "set ylabel 'utilization (fraction of the window)'\nset yrange [0:1.05]\n"
			   "set style fill solid 0.85 border -1\nset boxwidth 0.7\n"
			   "set xtics rotate by 60 right font ',9'\n"
			   "plot 'links.csv' skip 1 using 0:4:xtic(sprintf('%%s (%%s>%%s)', "
			   "strcol(1), strcol(2), strcol(3))) with boxes lc rgb '#3b75af' "
			   "title 'busy'\n",
			title);
		if (r->translation) {
			script_terminal(f, "translation", png);
			fprintf(f, "reset\nset datafile separator ','\nset datafile missing ''\n"
				   "set key outside right top\nset grid ytics\n"
				   "set title '%s: translation hit ratios'\nset ylabel 'hit ratio'\n"
				   "set yrange [0:1.05]\nset style data histograms\n"
				   "set style histogram clustered gap 1\n"
				   "set style fill solid 0.85 border -1\nset xtics rotate by 45 right\n"
				   "plot 'translation.csv' skip 1 using 2:xtic(1) title 'host IOTLB' "
				   "lc rgb '#3b75af', '' skip 1 using 3 title 'device ATC' "
				   "lc rgb '#5aa05a'\n",
				title);
		}
		if (r->bytes) {
			script_terminal(f, "bytes", png);
			fprintf(f, "reset\nset datafile separator ','\nset key outside right top\n"
				   "set grid ytics\nset title '%s: where the bytes go'\n"
				   "set ylabel 'wire rate (Gb/s)'\nset yrange [0:*]\n"
				   "set style data histograms\nset style histogram rowstacked\n"
				   "set style fill solid 0.85 border -1\nset boxwidth 0.7\n"
				   "set xtics rotate by 60 right font ',9'\n"
				   "plot for [i=2:%d] 'bytes.csv' skip 1 using i:xtic(1) "
				   "title word('", title, PURPOSE_N + 1);
			for (int u = 0; u < PURPOSE_N; u++)
				fprintf(f, "%s%s", u ? " " : "", tlp_purpose_name(u));
			fprintf(f, "', i - 1)\n");
		}
	}
	fprintf(f, "set output\n");
	return 0;
}

int report_gnuplot(const char *dir, const char *script)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = {"gnuplot", (char *)script, NULL};
	char *cwd;
	pid_t pid;
	int status, err;

	posix_spawn_file_actions_init(&fa);
	/* relative to the results directory, where gnuplot runs */
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "gnuplot.log",
					 O_WRONLY | O_CREAT | O_TRUNC, 0666);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	cwd = getcwd(NULL, 0);
	if (!cwd || chdir(dir) != 0) {
		err = -errno;
		free(cwd);
		posix_spawn_file_actions_destroy(&fa);
		return err;
	}
	err = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	if (chdir(cwd) != 0 && !err)
		err = errno;
	free(cwd);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		return -err;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPROTO;
}

int report_plot(const char *dir, const char *name, int (*fill)(void *, FILE *), void *arg)
{
	char gp[4300], svg[4300], tmp[4300];
	int err;

	snprintf(gp, sizeof(gp), "%s/%s.gp", dir, name);
	if ((err = wholefile_write(gp, fill, arg)))
		return err;
	snprintf(svg, sizeof(svg), "%s/%s.svg", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/%s.svg.tmp", dir, name);
	snprintf(gp, sizeof(gp), "%s.gp", name);
	if ((err = report_gnuplot(dir, gp)) == 0 && rename(tmp, svg) == 0) {
		snprintf(gp, sizeof(gp), "%s/gnuplot.log", dir);
		unlink(gp);
		return 0;
	}
	unlink(tmp);
	return err ? err : -errno;
}

/* Rename every NAME.{svg,png}.tmp gnuplot wrote; remove them all on failure. */
static int publish_plots(const struct rep *r, int err)
{
	char tmp[4200], path[4096];

	for (size_t i = 0; i < sizeof(plots) / sizeof(plots[0]); i++)
		for (int png = 0; png < 2; png++) {
			const char *ext = png ? "png" : "svg";
			snprintf(path, sizeof(path), "%s/%s.%s", r->dir, plots[i], ext);
			snprintf(tmp, sizeof(tmp), "%s.tmp", path);
			if (access(tmp, F_OK) != 0)
				continue;
			if (!err && rename(tmp, path) != 0)
				err = -errno;
			unlink(tmp);
		}
	return err;
}

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A table of the given columns of a CSV (all rows), with their headings. */
static void html_table(FILE *f, const struct csv *c, const char *const *cols,
		       const char *const *heads, size_t n)
{
	fprintf(f, "<table>\n<tr>");
	for (size_t k = 0; k < n; k++) {
		fputs("<th>", f);
		html_text(f, heads[k]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t i = 1; i < c->nrows; i++) {
		fputs("<tr>", f);
		for (size_t k = 0; k < n; k++) {
			const char *v = csv_get(c, i, csv_col(c, cols[k]));
			fputs(k ? "<td class=\"n\">" : "<td>", f);
			html_text(f, v);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The run's warnings, first thing a reader sees (contract §4). */
static void html_warnings(FILE *f, const struct csv *w)
{
	if (w->nrows < 2)
		return;
	fputs("<div class=\"warn\" id=\"warnings\"><b>Warnings</b>\n<ul>\n", f);
	for (size_t i = 1; i < w->nrows; i++) {
		fputs("<li>", f);
		html_text(f, csv_get(w, i, csv_col(w, "message")));
		fputs("</li>\n", f);
	}
	fputs("</ul></div>\n", f);
}

/* <!DOCTYPE> to <body>: the title and the style sheet. */
static void html_head(FILE *f, const struct rep *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mriovsim: ",
	      f);
	html_text(f, run_value(r, "topology"));
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}\n"
	      "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;"
	      "padding:.25em .6em}th{background:#eef}td.n{text-align:right}\n"
	      "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}\n"
	      ".warn{background:#fee;border:1px solid #c66;padding:.5em}\n"
	      "@media print{figure{page-break-inside:avoid}}\n</style>\n</head>\n<body>\n", f);
}

/* The file list and the script that flags plots that did not load; </html>. */
static void html_tail(FILE *f)
{
	fputs("<p>Files: hosts.csv, functions.csv, workloads.csv, links.csv, overhead.csv, "
	      "timeseries.csv, "
	      "latency_cdf.csv, bottlenecks.csv, warnings.csv, events.csv, run.csv, summary.json.</p>\n"
	      /* tell a reader (and the browser test) when a plot did not load */
	      "<script>\nwindow.addEventListener('load', function () {\n"
	      "  var bad = [];\n"
	      "  document.querySelectorAll('img').forEach(function (i) {\n"
	      "    if (!i.complete || i.naturalWidth === 0) bad.push(i.getAttribute('src'));\n"
	      "  });\n"
	      "  document.body.setAttribute('data-images', bad.length ? 'missing' : 'ok');\n"
	      "  if (bad.length) {\n"
	      "    var p = document.createElement('p'); p.className = 'warn';\n"
	      "    p.textContent = 'Plots that did not load: ' + bad.join(', ');\n"
	      "    document.body.insertBefore(p, document.body.firstChild);\n"
	      "  }\n"
	      "});\n</script>\n</body>\n</html>\n", f);
}

/* Per path (contract §11), over the workloads that took it: throughput, frame-weighted mean
 * latency, worst p99, and the cores busy on the hosts that switch in software. */
static void path_row(FILE *f, const struct rep *r, const char *path)
{
	const struct csv *w = &r->wls, *h = &r->hosts;
	double gbps = 0, lat = 0, frames = 0, p99 = 0, cores = 0;
	int n = 0;

	for (size_t i = 1; i < w->nrows; i++) {
		if (strcmp(csv_get(w, i, csv_col(w, "path")), path))
			continue;
		double d = atof(csv_get(w, i, csv_col(w, "dmas")));
		n++;
		gbps += atof(csv_get(w, i, csv_col(w, "throughput_gbps")));
		lat += d * atof(csv_get(w, i, csv_col(w, "lat_mean_ns")));
		frames += d;
		p99 = fmax(p99, atof(csv_get(w, i, csv_col(w, "lat_p99_ns"))));
	}
	for (size_t i = 1; !strcmp(path, "vswitch") && i < h->nrows; i++)
		cores += atof(csv_get(h, i, csv_col(h, "cpu_cores_busy")));
	fprintf(f, "<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%.3f</td>"
		   "<td class=\"n\">%.1f</td><td class=\"n\">%.1f</td><td class=\"n\">%.2f</td>"
		   "</tr>\n", path, n, gbps, frames > 0 ? lat / frames : 0, p99, cores);
}

/* SR-IOV and the vswitch path side by side, when the run has both (contract §11). */
static void html_paths(FILE *f, const struct rep *r)
{
	int c = csv_col(&r->wls, "path"), seen[2] = {0, 0};

	for (size_t i = 1; c >= 0 && i < r->wls.nrows; i++) {
		seen[0] |= !strcmp(csv_get(&r->wls, i, c), "sriov");
		seen[1] |= !strcmp(csv_get(&r->wls, i, c), "vswitch");
	}
	if (!seen[0] || !seen[1])
		return;
	fputs("<h2>SR-IOV and the vswitch path</h2>\n<table>\n<tr><th>path</th><th>workloads"
	      "</th><th>throughput (Gb/s)</th><th>mean latency (ns, per frame)</th><th>worst p99 "
	      "(ns)</th><th>host cores busy</th></tr>\n", f);
	path_row(f, r, "sriov");
	path_row(f, r, "vswitch");
	fputs("</table>\n", f);
}

static int write_html(void *arg, FILE *f)
{
	struct rep *r = arg;
	static const char *const hcols[] = {"host", "vh", "throughput_gbps", "throughput_ci95",
					    "offered_gbps", "dmas", "lat_mean_ns", "lat_mean_ci95",
					    "lat_p50_ns", "lat_p99_ns", "iotlb_hits", "iotlb_misses"};
	static const char *const hheads[] = {"host", "VH", "throughput (Gb/s)", "± 95% CI",
					     "offered, open loop (Gb/s)", "DMAs", "mean latency (ns)",
					     "± 95% CI", "p50 (ns)", "p99 (ns)", "IOTLB hits",
					     "IOTLB misses"};
	static const char *const wcols[] = {"workload", "host", "device", "op", "demand",
					    "throughput_gbps", "throughput_ci95", "pps", "iops", "dmas",
					    "lat_mean_ns", "lat_mean_ci95", "lat_p99_ns", "verdict"};
	static const char *const wheads[] = {"workload", "host", "device", "op", "demand",
					     "throughput (Gb/s)", "± 95% CI", "packets/s", "IOPS",
					     "DMAs, packets or I/Os", "mean latency (ns)", "± 95% CI",
					     "p99 (ns)", "verdict"};
	static const char *const lcols[] = {"link", "from", "to", "utilization", "payload_gbps",
					    "wire_gbps", "credit_stall", "queue_mean"};
	static const char *const lheads[] = {"link", "from", "to", "utilization",
					     "payload (Gb/s)", "wire (Gb/s)", "credit stall",
					     "mean queue"};

	html_head(f, r);
	fputs("<h1>mriovsim report: ", f);
	html_text(f, run_value(r, "topology"));
	fputs("</h1>\n<p>", f);
	html_text(f, run_value(r, "description"));
	fputs("</p>\n", f);
	html_warnings(f, &r->warn);
	fputs("<h2>Run</h2>\n<table>\n", f);
	for (size_t i = 1; i < r->run.nrows; i++) {
		fputs("<tr><th>", f);
		html_text(f, csv_get(&r->run, i, 0));
		fputs("</th><td>", f);
		html_text(f, csv_get(&r->run, i, 1));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<h2>Hosts</h2>\n", f);
	html_table(f, &r->hosts, hcols, hheads, sizeof(hcols) / sizeof(hcols[0]));
	fputs("<h2>Bottlenecks</h2>\n<ul>\n", f);
	for (size_t i = 1; i < r->bn.nrows; i++) {
		const char *wl = csv_get(&r->bn, i, csv_col(&r->bn, "workload"));
		fputs(wl[0] ? "<li>workload <b>" : "<li><b>", f);
		html_text(f, wl[0] ? wl : csv_get(&r->bn, i, 0));
		fputs("</b>: ", f);
		html_text(f, csv_get(&r->bn, i, csv_col(&r->bn, "text")));
		fputs("</li>\n", f);
	}
	fputs("</ul>\n<h2>Plots</h2>\n", f);
	if (!r->plots)
		fputs("<p class=\"warn\">gnuplot was not found, so there are no plots. Install it "
		      "(<code>apt-get install gnuplot-nox</code>) and run <code>mriovsim report "
		      "DIR</code> on this directory.</p>\n", f);
	for (size_t i = 0; r->plots && i < sizeof(plots) / sizeof(plots[0]); i++) {
		if (!plot_wanted(r, i))
			continue;
		fprintf(f, "<figure><img src=\"%s.svg\" alt=\"%s\"><figcaption>%s (also "
			   "<a href=\"%s.png\">PNG</a>)</figcaption></figure>\n",
			plots[i], captions[i], captions[i], plots[i]);
	}
	report_events_html(f, &r->events, html_table);
	fputs("<h2>Workloads</h2>\n", f);
	html_table(f, &r->wls, wcols, wheads, sizeof(wcols) / sizeof(wcols[0]));
	html_paths(f, r);
	fputs("<h2>Links</h2>\n", f);
	html_table(f, &r->links, lcols, lheads, sizeof(lcols) / sizeof(lcols[0]));
	html_tail(f);
	return 0;
}

static int load(struct rep *r, const char *dir)
{
	static const char *const names[] = {"run.csv", "hosts.csv", "functions.csv",
					    "workloads.csv", "links.csv", "bottlenecks.csv"};
	struct csv *dst[] = {&r->run, &r->hosts, &r->fns, &r->wls, &r->links, &r->bn};
	char path[4096];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		int err = csv_read(path, dst[i]);
		if (err)
			return err;
	}
	if (csv_col(&r->hosts, "throughput_gbps") < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/overhead.csv", dir);
	int err = csv_read(path, &r->overhead); /* absent in results of earlier versions */
	if (err && err != -ENOENT)
		return err;
	r->bytes = !err && csv_col(&r->overhead, "wire_gbps") >= 0;
	snprintf(path, sizeof(path), "%s/events.csv", dir);
	err = csv_read(path, &r->events); /* absent in results of earlier versions */
	if (err && err != -ENOENT)
		return err;
	snprintf(path, sizeof(path), "%s/warnings.csv", dir);
	err = csv_read(path, &r->warn);
	return err == -ENOENT ? 0 : err;
}

static void unload(struct rep *r)
{
	csv_free(&r->run);
	csv_free(&r->hosts);
	csv_free(&r->fns);
	csv_free(&r->wls);
	csv_free(&r->links);
	csv_free(&r->bn);
	csv_free(&r->warn);
	csv_free(&r->overhead);
	csv_free(&r->events);
}

int report_draw(const char *dir, struct report_status *st)
{
	struct rep r;
	char path[4096];
	int err;

	memset(&r, 0, sizeof(r));
	memset(st, 0, sizeof(*st));
	r.dir = dir;
	if ((err = load(&r, dir))) {
		snprintf(st->failed, sizeof(st->failed), "%s is not a complete results directory",
			 dir);
		unload(&r);
		return err == -ENOENT ? -ENOENT : err;
	}
	snprintf(path, sizeof(path), "%s/translation.csv", dir);
	if ((err = wholefile_write(path, write_translation, &r)))
		goto out;
	snprintf(path, sizeof(path), "%s/bytes.csv", dir);
	if (r.bytes && (err = wholefile_write(path, write_bytes, &r)))
		goto out;
	snprintf(path, sizeof(path), "%s/report.gp", dir);
	if ((err = wholefile_write(path, write_script, &r)))
		goto out;
	err = publish_plots(&r, report_gnuplot(dir, "report.gp"));
	if (err == -ENOENT) {
		st->gnuplot_missing = true;
		err = 0;
	} else if (err) {
		snprintf(st->failed, sizeof(st->failed), "gnuplot failed (see %s/gnuplot.log)", dir);
		goto out;
	} else {
		r.plots = true;
		snprintf(path, sizeof(path), "%s/gnuplot.log", dir);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/report.html", dir);
	err = wholefile_write(path, write_html, &r);
out:
	if (err && !st->failed[0])
		snprintf(st->failed, sizeof(st->failed), "cannot write %.200s: %s", path,
			 strerror(-err));
	unload(&r);
	return err;
}
