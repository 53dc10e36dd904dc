/* sweep.c - run many simulations as child processes and collect them. */
#include "sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wholefile.h"
#include "csvread.h"
#include "report.h"

struct run {
	size_t *vi;          /* value index per varied path */
	unsigned long long seed;
	char dir[4096];
	pid_t pid;
	int status;          /* 0 ok, >0 exit status of a failed run, -1 not run yet */
};

struct sweep {
	const struct sweep_opts *o;
	struct run *runs;
	size_t nruns;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* ---- command lines ---- */

/* argv of run i (NULL-terminated, strings owned by the returned array's last slot list) */
static char **run_argv(const struct sweep *s, const struct run *r, char ***owned, size_t *nowned)
{
	const struct sweep_opts *o = s->o;
	size_t n = 0, cap = 16 + 2 * o->nvary + (size_t)o->npassthrough;
	char **v = calloc(cap, sizeof(*v));
	char **own = calloc(o->nvary + 2, sizeof(*own));

	if (!v || !own) {
		free(v);
		free(own);
		return NULL;
	}
	*nowned = 0;
	v[n++] = (char *)o->exe;
	v[n++] = "run";
	if (o->topology)
		v[n++] = (char *)o->topology;
	v[n++] = "--out";
	v[n++] = (char *)r->dir;
	for (size_t k = 0; k < o->nvary; k++) {
		size_t len = strlen(o->vary[k].path) + strlen(o->vary[k].values[r->vi[k]]) + 2;
		char *set = malloc(len);
		if (!set)
			break;
		snprintf(set, len, "%s=%s", o->vary[k].path, o->vary[k].values[r->vi[k]]);
		own[(*nowned)++] = set;
		v[n++] = "--set";
		v[n++] = set;
	}
	char *seed = malloc(32);
	if (seed) {
		snprintf(seed, 32, "%llu", r->seed);
		own[(*nowned)++] = seed;
		v[n++] = "--seed";
		v[n++] = seed;
	}
	v[n++] = "--no-plots";
	v[n++] = "--quiet";
	for (int i = 0; i < o->npassthrough; i++)
		v[n++] = o->passthrough[i];
	v[n] = NULL;
	*owned = own;
	return v;
}

static void shell_quote(FILE *f, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			    "_-./=:,+@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void print_cmd(FILE *f, char **argv)
{
	for (int i = 0; argv[i]; i++) {
		if (i)
			fputc(' ', f);
		shell_quote(f, argv[i]);
	}
	fputc('\n', f);
}

/* sweep.params: the runs of this sweep, one command line each, to recognise it again */
static int write_params(void *arg, FILE *f)
{
	const struct sweep *s = arg;

	for (size_t i = 0; i < s->nruns; i++) {
		char **own;
		size_t nown;
		char **v = run_argv(s, &s->runs[i], &own, &nown);
		if (!v)
			return -ENOMEM;
		fprintf(f, "%zu ", i);
		print_cmd(f, v + 1); /* without the program's own path */
		for (size_t k = 0; k < nown; k++)
			free(own[k]);
		free(own);
		free(v);
	}
	return 0;
}

/* ---- files ---- */

static int make_dir(const char *d)
{
	return mkdir(d, 0777) == 0 || errno == EEXIST ? 0 : -errno;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A run directory is complete when summary.json, written last, is there. */
static bool complete(const struct run *r)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/summary.json", r->dir);
	return access(p, F_OK) == 0;
}

/* ---- running ---- */

static pid_t start(const struct sweep *s, struct run *r)
{
	char **own, err_path[4200];
	size_t nown;
	char **argv = run_argv(s, r, &own, &nown);
	pid_t pid;

	if (!argv)
		return -1;
	snprintf(err_path, sizeof(err_path), "%s.log", r->dir);
	pid = fork();
	if (pid == 0) {
		int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		signal(SIGINT, SIG_DFL);
		execv(argv[0], argv);
		_exit(127);
	}
	for (size_t k = 0; k < nown; k++)
		free(own[k]);
	free(own);
	free(argv);
	return pid;
}

static void describe(const struct sweep *s, const struct run *r, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < s->o->nvary && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s=%s ", s->o->vary[k].path,
					 s->o->vary[k].values[r->vi[k]]);
	if (used < len)
		snprintf(buf + used, len - used, "seed=%llu", r->seed);
}

/* The last line of a failed run's log, to show why. */
static void last_line(const struct run *r, char *buf, size_t len)
{
	char p[4200], line[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s.log", r->dir);
	buf[0] = '\0';
	if (!(f = fopen(p, "r")))
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			snprintf(buf, len, "%s", line);
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int execute(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	size_t next = 0, done = 0, running = 0, todo = 0, failed = 0;
	double t0 = now_s();

	for (size_t i = 0; i < s->nruns; i++) {
		struct run *r = &s->runs[i];
		if (complete(r)) {
			r->status = 0; /* reused */
			done++;
		} else {
			remove_tree(r->dir); /* a leftover of an interrupted sweep */
			todo++;
		}
	}
	size_t reused = done;
	while (done < s->nruns && !interrupted) {
		while (running < o->jobs && next < s->nruns && !interrupted) {
			struct run *r = &s->runs[next++];
			if (r->status == 0)
				continue;
			r->pid = start(s, r);
			if (r->pid < 0) {
				r->status = 126;
				done++;
				failed++;
				continue;
			}
			running++;
		}
		if (!running)
			break;
		int st;
		pid_t pid = wait(&st);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t i = 0; i < s->nruns; i++) {
			struct run *r = &s->runs[i];
			if (r->pid != pid)
				continue;
			r->pid = 0;
			running--;
			done++;
			r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			if (r->status == 0 && !complete(r))
				r->status = 1;
			if (r->status && !interrupted) {
				char what[1024], why[1024];
				failed++;
				describe(s, r, what, sizeof(what));
				last_line(r, why, sizeof(why));
				fprintf(stderr, "%smriovsim: sweep: run %zu (%s) failed with status %d: %s\n",
					o->progress ? "\r" : "", i, what, r->status, why);
			}
		}
		if (o->progress) {
			double el = now_s() - t0, per = (double)(done - reused) / el;
			double eta = per > 0 ? (double)(s->nruns - done) / per : 0;
			fprintf(stderr, "\r  sweep: %zu/%zu runs done (%zu reused, %zu failed), ETA %.0f s   ",
				done, s->nruns, reused, failed, eta);
		}
	}
	if (o->progress)
		fprintf(stderr, "\n");
	if (interrupted) {
		/* stop the runs under way and leave complete run directories only */
		for (size_t i = 0; i < s->nruns; i++)
			if (s->runs[i].pid > 0)
				kill(s->runs[i].pid, SIGTERM);
		while (wait(NULL) > 0 || errno == EINTR)
			;
		for (size_t i = 0; i < s->nruns; i++)
			if (!complete(&s->runs[i]))
				remove_tree(s->runs[i].dir);
		return 130;
	}
	(void)todo;
	return failed ? 1 : 0;
}

/* ---- collecting ---- */

/* A CSV field: quoted when it holds a comma or a quote (RFC 4180). */
static void csv_field(FILE *f, const char *v)
{
	if (!strpbrk(v, ",\"\n")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

static int write_csv(void *arg, FILE *f)
{
	const struct sweep *s = arg;
	const struct sweep_opts *o = s->o;

	fprintf(f, "run");
	for (size_t k = 0; k < o->nvary; k++) {
		fputc(',', f);
		csv_field(f, o->vary[k].path);
	}
	fprintf(f, ",seed,host,throughput_gbps,lat_mean_ns,lat_p99_ns,status\n");
	for (size_t i = 0; i < s->nruns; i++) {
		const struct run *r = &s->runs[i];
		struct csv h;
		char p[4200];
		snprintf(p, sizeof(p), "%s/hosts.csv", r->dir);
		int ok = r->status == 0 && csv_read(p, &h) == 0;
		for (size_t row = 1; row < (ok ? h.nrows : 2); row++) {
			fprintf(f, "%zu", i);
			for (size_t k = 0; k < o->nvary; k++) {
				fputc(',', f);
				csv_field(f, o->vary[k].values[r->vi[k]]);
			}
			fprintf(f, ",%llu,", r->seed);
			if (ok)
				fprintf(f, "%s,%s,%s,%s,ok\n", csv_get(&h, row, 0),
					csv_get(&h, row, csv_col(&h, "throughput_gbps")),
					csv_get(&h, row, csv_col(&h, "lat_mean_ns")),
					csv_get(&h, row, csv_col(&h, "lat_p99_ns")));
			else
				fprintf(f, ",,,,failed\n"); /* the run failed: no host rows */
		}
		if (ok)
			csv_free(&h);
	}
	return 0;
}

/* sweep.gp: throughput per host against the first varied PATH (its values as ticks), one
 * line per host, and per value of the second PATH when there is one; means over seeds. */
static int write_plot(void *arg, FILE *f)
{
	const struct sweep *s = arg;
	const struct sweep_opts *o = s->o;
	struct csv h;
	char p[4200];
	size_t n2 = o->nvary > 1 ? o->vary[1].nvalues : 1, nx = o->vary[0].nvalues, first = 0;

	while (first < s->nruns && s->runs[first].status != 0)
		first++;
	snprintf(p, sizeof(p), "%s/hosts.csv", first < s->nruns ? s->runs[first].dir : "");
	if (first == s->nruns || csv_read(p, &h))
		return -ENOENT;
	fprintf(f, "set datafile separator ','\nset terminal svg size 1000,560 dynamic enhanced "
		   "font 'sans,12' background '#ffffff'\nset output 'sweep.svg.tmp'\n"
		   "set title '%s: throughput per host'\nset xlabel '%s'\n"
		   "set ylabel 'throughput (Gb/s, payload; mean over seeds)'\nset grid\n"
		   "set key below font ',9'\nset yrange [0:*]\nset offsets 0.2, 0.2, 0, 0\n",
		o->name, o->vary[0].path);
	if (o->nvary > 1)
		fprintf(f, "set key title 'host / %s'\n", o->vary[1].path);
	fprintf(f, "set xtics (");
	for (size_t x = 0; x < nx; x++)
		fprintf(f, "%s\"%s\" %zu", x ? ", " : "", o->vary[0].values[x], x);
	fprintf(f, ")\n");
	for (size_t hi = 1; hi < h.nrows; hi++)
		for (size_t v2 = 0; v2 < n2; v2++) {
			fprintf(f, "$d%zu_%zu << EOD\n", hi, v2);
			for (size_t x = 0; x < nx; x++) {
				double sum = 0;
				int cnt = 0;
				for (size_t i = 0; i < s->nruns; i++) {
					const struct run *r = &s->runs[i];
					struct csv rh;
					if (r->status || r->vi[0] != x || (o->nvary > 1 && r->vi[1] != v2))
						continue;
					snprintf(p, sizeof(p), "%s/hosts.csv", r->dir);
					if (csv_read(p, &rh))
						continue;
					sum += atof(csv_get(&rh, hi, csv_col(&rh, "throughput_gbps")));
					cnt++;
					csv_free(&rh);
				}
				if (cnt)
					fprintf(f, "%zu,%.6f\n", x, sum / cnt);
			}
			fprintf(f, "EOD\n");
		}
	fprintf(f, "plot ");
	for (size_t hi = 1; hi < h.nrows; hi++)
		for (size_t v2 = 0; v2 < n2; v2++) {
			fprintf(f, "%s$d%zu_%zu using 1:2 with linespoints lw 2 pt 7 title '%s", 
				hi == 1 && v2 == 0 ? "" : ", ", hi, v2, csv_get(&h, hi, 0));
			if (o->nvary > 1)
				fprintf(f, " / %s", o->vary[1].values[v2]);
			fprintf(f, "'");
		}
	fprintf(f, "\nset output\n");
	csv_free(&h);
	return 0;
}

static void draw(const struct sweep *s)
{
	const char *out = s->o->out;
	char gp[4200], svg[4200], tmp[4200];

	snprintf(gp, sizeof(gp), "%s/sweep.gp", out);
	if (wholefile_write(gp, write_plot, (void *)s))
		return;
	snprintf(svg, sizeof(svg), "%s/sweep.svg", out);
	snprintf(tmp, sizeof(tmp), "%s/sweep.svg.tmp", out);
	if (report_gnuplot(out, "sweep.gp") == 0 && rename(tmp, svg) == 0) {
		snprintf(gp, sizeof(gp), "%s/gnuplot.log", out);
		unlink(gp);
	} else {
		unlink(tmp);
		fprintf(stderr, "mriovsim: sweep: no sweep.svg (is gnuplot installed? see %s/gnuplot.log)\n",
			out);
	}
}

/* ---- the sweep ---- */

static int enumerate(struct sweep *s)
{
	const struct sweep_opts *o = s->o;
	size_t n = o->seeds;

	for (size_t k = 0; k < o->nvary; k++)
		n *= o->vary[k].nvalues;
	s->nruns = n;
	s->runs = calloc(n ? n : 1, sizeof(*s->runs));
	if (!s->runs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct run *r = &s->runs[i];
		size_t rest = i / o->seeds;
		r->vi = calloc(o->nvary + 1, sizeof(*r->vi));
		if (!r->vi)
			return -ENOMEM;
		/* the first PATH varies slowest, seeds fastest */
		for (size_t k = o->nvary; k-- > 0;) {
			r->vi[k] = rest % o->vary[k].nvalues;
			rest /= o->vary[k].nvalues;
		}
		r->seed = o->seed + i % o->seeds;
		r->status = -1;
		snprintf(r->dir, sizeof(r->dir), "%s/runs/%zu", o->out, i);
	}
	return 0;
}

/* An existing sweep.params must describe the same runs: reuse is only safe then. */
static int check_same_sweep(struct sweep *s)
{
	char p[4200], q[4200];
	FILE *a, *b;
	int same = 1, ca, cb;

	snprintf(p, sizeof(p), "%s/sweep.params", s->o->out);
	if (access(p, F_OK) != 0)
		return wholefile_write(p, write_params, s) ? -EIO : 0;
	snprintf(q, sizeof(q), "%s/sweep.params.new", s->o->out);
	if (wholefile_write(q, write_params, s))
		return -EIO;
	a = fopen(p, "r");
	b = fopen(q, "r");
	do {
		ca = a ? fgetc(a) : EOF;
		cb = b ? fgetc(b) : EOF;
		if (ca != cb)
			same = 0;
	} while (same && ca != EOF);
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	unlink(q);
	return same ? 0 : -EEXIST;
}

int sweep_main(const struct sweep_opts *o)
{
	struct sweep s = {o, NULL, 0};
	char runs[4200];
	int rc = 0;

	if (enumerate(&s))
		return 1;
	if (make_dir(o->out) && !o->emit) {
		fprintf(stderr, "mriovsim: cannot create %s: %s\n", o->out, strerror(errno));
		return 1;
	}
	snprintf(runs, sizeof(runs), "%s/runs", o->out);
	if (!o->emit && make_dir(runs)) {
		fprintf(stderr, "mriovsim: cannot create %s: %s\n", runs, strerror(errno));
		return 1;
	}
	if (o->emit) {
		/* each command writes its run's directory; runs/ must exist first */
		make_dir(o->out);
		make_dir(runs);
	}
	int err = check_same_sweep(&s);
	if (err == -EEXIST) {
		fprintf(stderr, "mriovsim: %s holds another sweep (other --vary values or seeds); "
				"choose another --out\n", o->out);
		rc = 2;
		goto out;
	} else if (err) {
		fprintf(stderr, "mriovsim: cannot write %s/sweep.params\n", o->out);
		rc = 1;
		goto out;
	}
	if (o->emit) {
		for (size_t i = 0; i < s.nruns; i++) {
			char **own;
			size_t nown;
			char **v = run_argv(&s, &s.runs[i], &own, &nown);
			if (!v)
				continue;
			print_cmd(stdout, v);
			for (size_t k = 0; k < nown; k++)
				free(own[k]);
			free(own);
			free(v);
		}
		goto out;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = execute(&s);
	if (rc != 130) {
		char csv[4200];
		snprintf(csv, sizeof(csv), "%s/sweep.csv", o->out);
		if (wholefile_write(csv, write_csv, &s)) {
			fprintf(stderr, "mriovsim: cannot write %s\n", csv);
			rc = 1;
		}
		draw(&s);
		printf("sweep: %zu runs in %s/runs, results in %s/sweep.csv\n", s.nruns, o->out, o->out);
	} else {
		fprintf(stderr, "mriovsim: sweep interrupted; complete runs are kept and will be "
				"reused\n");
	}
out:
	for (size_t i = 0; i < s.nruns; i++)
		free(s.runs[i].vi);
	free(s.runs);
	return rc;
}
