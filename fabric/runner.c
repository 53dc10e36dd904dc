/* runner.c - run many simulations of one chassis as child processes. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wholefile.h"

struct runner_run *runner_add(struct runner *r, const char *name, unsigned long long seed)
{
	if (r->nruns == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct runner_run *v = realloc(r->runs, cap * sizeof(*v));
		if (!v)
			return NULL;
		r->runs = v;
		r->cap = cap;
	}
	struct runner_run *run = &r->runs[r->nruns++];
	memset(run, 0, sizeof(*run));
	run->seed = seed;
	run->status = -1;
	snprintf(run->name, sizeof(run->name), "%s", name);
	snprintf(run->dir, sizeof(run->dir), "%s/runs/%s", r->out, name);
	return run;
}

int runner_run_set(struct runner_run *run, const char *path, const char *value)
{
	size_t len = strlen(path) + strlen(value) + 2;
	char **v = realloc(run->sets, (run->nsets + 1) * sizeof(*v));
	char *s = malloc(len);

	if (v)
		run->sets = v;
	if (!v || !s) {
		free(s);
		return -ENOMEM;
	}
	snprintf(s, len, "%s=%s", path, value);
	run->sets[run->nsets++] = s;
	return 0;
}

static int push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	char *c = strdup(s);

	if (nv)
		*v = nv;
	if (!nv || !c) {
		free(c);
		return -ENOMEM;
	}
	(*v)[(*n)++] = c;
	return 0;
}

int runner_run_arg(struct runner_run *run, const char *opt, const char *value)
{
	int err = push(&run->args, &run->nargs, opt);
	return err ? err : push(&run->args, &run->nargs, value);
}

struct runner_run *runner_find(struct runner *r, const char *name)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (!strcmp(r->runs[i].name, name))
			return &r->runs[i];
	return NULL;
}

void runner_clear(struct runner *r)
{
	for (size_t i = 0; i < r->nruns; i++) {
		for (size_t k = 0; k < r->runs[i].nsets; k++)
			free(r->runs[i].sets[k]);
		free(r->runs[i].sets);
		for (size_t k = 0; k < r->runs[i].nargs; k++)
			free(r->runs[i].args[k]);
		free(r->runs[i].args);
	}
	free(r->runs);
	r->runs = NULL;
	r->nruns = r->cap = 0;
}

/* argv of a run, NULL-terminated; the strings belong to the run and the runner, and seed
 * holds the seed's text. NULL on allocation failure. */
static char **run_argv(const struct runner *r, const struct runner_run *run, char seed[32])
{
	size_t n = 0, cap = 12 + 2 * run->nsets + run->nargs + (size_t)r->npassthrough;
	char **v = calloc(cap, sizeof(*v));

	if (!v)
		return NULL;
	v[n++] = (char *)r->exe;
	v[n++] = "run";
	if (r->topology)
		v[n++] = (char *)r->topology;
	v[n++] = "--out";
	v[n++] = (char *)run->dir;
	for (size_t k = 0; k < run->nsets; k++) {
		v[n++] = "--set";
		v[n++] = run->sets[k];
	}
	for (size_t k = 0; k < run->nargs; k++)
		v[n++] = run->args[k];
	snprintf(seed, 32, "%llu", run->seed);
	v[n++] = "--seed";
	v[n++] = seed;
	v[n++] = "--no-plots";
	v[n++] = "--quiet";
	for (int i = 0; i < r->npassthrough; i++)
		v[n++] = r->passthrough[i];
	v[n] = NULL;
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

static int print_runs(const struct runner *r, FILE *f, bool with_exe)
{
	char seed[32];

	for (size_t i = 0; i < r->nruns; i++) {
		char **v = run_argv(r, &r->runs[i], seed);
		if (!v)
			return -ENOMEM;
		if (!with_exe)
			fprintf(f, "%s ", r->runs[i].name);
		print_cmd(f, with_exe ? v : v + 1);
		free(v);
	}
	return 0;
}

int runner_emit(const struct runner *r, FILE *f)
{
	return print_runs(r, f, true);
}

int runner_describe(const struct runner *r, FILE *f)
{
	return print_runs(r, f, false);
}

static int make_dir(const char *d)
{
	return mkdir(d, 0777) == 0 || errno == EEXIST ? 0 : -errno;
}

static bool same_file(const char *p, const char *q)
{
	FILE *a = fopen(p, "r"), *b = fopen(q, "r");
	bool same = a && b;
	int ca, cb;

	while (same) {
		ca = fgetc(a);
		cb = fgetc(b);
		if (ca != cb)
			same = false;
		if (ca == EOF)
			break;
	}
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	return same;
}

int runner_prepare(struct runner *r, const char *params, int (*fill)(void *, FILE *), void *arg)
{
	char runs[4200], p[4200], q[4300];
	int err;

	snprintf(runs, sizeof(runs), "%s/runs", r->out);
	if ((err = make_dir(r->out)) || (err = make_dir(runs)))
		return err;
	snprintf(p, sizeof(p), "%s/%s", r->out, params);
	if (access(p, F_OK) != 0)
		return wholefile_write(p, fill, arg);
	snprintf(q, sizeof(q), "%s.new", p);
	if ((err = wholefile_write(q, fill, arg)))
		return err;
	bool same = same_file(p, q);
	unlink(q);
	return same ? 0 : -EEXIST;
}

bool runner_complete(const struct runner_run *run)
{
	char p[4300];
	snprintf(p, sizeof(p), "%s/summary.json", run->dir);
	return access(p, F_OK) == 0;
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

static pid_t start(const struct runner *r, const struct runner_run *run)
{
	char seed[32], log[4300];
	char **argv = run_argv(r, run, seed);
	pid_t pid;

	if (!argv)
		return -1;
	snprintf(log, sizeof(log), "%s.log", run->dir);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execv(argv[0], argv);
		_exit(127);
	}
	free(argv);
	return pid;
}

/* The last non-empty line of a failed run's log, to say why. */
static void last_line(const struct runner_run *run, char *buf, size_t len)
{
	char p[4300], line[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s.log", run->dir);
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
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool stopped(const struct runner *r)
{
	return r->stop && *r->stop;
}

/* Mark which runs are complete already; remove what an interrupted study left. */
static size_t scan(struct runner *r)
{
	size_t reused = 0;

	for (size_t i = 0; i < r->nruns; i++) {
		struct runner_run *run = &r->runs[i];
		if (run->status == 0)
			continue;
		if (runner_complete(run)) {
			run->status = 0;
			run->reused = true;
			reused++;
		} else {
			remove_tree(run->dir);
		}
	}
	return reused;
}

static void finished(struct runner *r, pid_t pid, int st)
{
	for (size_t i = 0; i < r->nruns; i++) {
		struct runner_run *run = &r->runs[i];
		if (run->pid != pid)
			continue;
		run->pid = 0;
		run->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (run->status == 0 && !runner_complete(run))
			run->status = 1;
		if (run->status && !stopped(r)) {
			char why[1024];
			r->failed++;
			last_line(run, why, sizeof(why));
			if (r->ops.failed)
				r->ops.failed(r->ops.arg, run, why);
		}
		return;
	}
}

/* Stop the runs under way and leave complete run directories only. */
static int abandon(struct runner *r)
{
	for (size_t i = 0; i < r->nruns; i++)
		if (r->runs[i].pid > 0)
			kill(r->runs[i].pid, SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	for (size_t i = 0; i < r->nruns; i++) {
		r->runs[i].pid = 0;
		if (!runner_complete(&r->runs[i]))
			remove_tree(r->runs[i].dir);
	}
	return -EINTR;
}

int runner_execute(struct runner *r)
{
	size_t reused = scan(r), done = 0, running = 0, next = 0, base = 0;
	double t0 = now_s();

	for (size_t i = 0; i < r->nruns; i++)
		done += r->runs[i].status >= 0;
	base = done;
	r->failed = 0;
	while (done < r->nruns && !stopped(r)) {
		while (running < r->jobs && next < r->nruns && !stopped(r)) {
			struct runner_run *run = &r->runs[next++];
			if (run->status >= 0)
				continue;
			if ((run->pid = start(r, run)) < 0) {
				run->pid = 0;
				run->status = 126;
				r->failed++;
				done++;
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
			return -errno;
		}
		finished(r, pid, st);
		running--;
		done++;
		if (r->ops.progress) {
			double rate = (double)(done - base) / (now_s() - t0);
			r->ops.progress(r->ops.arg, done, r->nruns, reused, r->failed,
					rate > 0 ? (double)(r->nruns - done) / rate : 0);
		}
	}
	return stopped(r) ? abandon(r) : 0;
}
