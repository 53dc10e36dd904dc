/* testutil.c - helpers shared by the Check suites. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char tu_two_hosts[] =
	"name: two\n"
	"hosts:\n"
	"  - {name: h0}\n"
	"  - {name: h1}\n"
	"switches:\n"
	"  - {name: sw}\n"
	"devices:\n"
	"  - {name: nic, total_vfs: 8}\n"
	"links:\n"
	"  - {a: h0, b: sw, gen: 4, width: 16}\n"
	"  - {a: h1, b: sw, gen: 4, width: 8}\n"
	"  - {a: sw, b: nic, gen: 4, width: 16}\n"
	"assign:\n"
	"  - {host: h0, device: nic, vfs: 2}\n"
	"  - {host: h1, device: nic, vfs: [5, 6, 7]}\n"
	"workloads:\n"
	"  - {host: h0, device: nic, op: write, size: 256B, rate: 10Gbps}\n";

struct topo *tu_load(const char *yaml, char *const *sets, size_t nsets, char *out, size_t len)
{
	struct diags d;
	struct topo *t;

	diags_init(&d);
	t = topo_load_buffer(yaml, strlen(yaml), "t.yaml", sets, nsets, &d);
	if (!t && out) {
		FILE *f = fmemopen(out, len, "w");
		if (f) {
			diags_print(&d, f);
			fclose(f);
		}
	}
	diags_free(&d);
	return t;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

const char *tu_path(const char *rel)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", MRIOV_TOP, rel);
	return buf;
}

/* ---- shipped chassis and lookups by name; each fails the test when the name is missing ---- */

/* Load topologies/<name>; fails the test with the diagnostics when it does not load cleanly. */
struct topo *tu_load_shipped(const char *name, char *const *sets, size_t nsets)
{
	char rel[512], out[8192] = "";
	struct diags d;
	struct topo *t;

	snprintf(rel, sizeof(rel), "topologies/%s", name);
	diags_init(&d);
	t = topo_load_file(tu_path(rel), sets, nsets, &d);
	if (diags_count(&d)) {
		FILE *f = fmemopen(out, sizeof(out), "w");
		if (f) {
			diags_print(&d, f);
			fclose(f);
		}
	}
	ck_assert_msg(t != NULL && diags_count(&d) == 0, "%s does not load cleanly:\n%s", name,
		      out);
	diags_free(&d);
	return t;
}


/* Index of a host, switch or device within its kind's array. */
static int idx_of(const struct topo *t, const char *name, enum topo_node_kind kind)
{
	int n = topo_find_node(t, name);

	ck_assert_msg(n >= 0 && topo_node_kind(t, n) == kind, "no %s named %s",
		      kind == NODE_HOST ? "host" : kind == NODE_SWITCH ? "switch" : "device", name);
	return topo_node_index(t, n);
}

int tu_host_idx(const struct topo *t, const char *name)
{
	return idx_of(t, name, NODE_HOST);
}

int tu_switch_idx(const struct topo *t, const char *name)
{
	return idx_of(t, name, NODE_SWITCH);
}

int tu_device_idx(const struct topo *t, const char *name)
{
	return idx_of(t, name, NODE_DEVICE);
}

const struct topo_link *tu_link_named(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->nlinks; i++)
		if (strcmp(t->links[i].name, name) == 0)
			return &t->links[i];
	ck_abort_msg("no link %s", name);
	return NULL;
}

int tu_link_idx(const struct topo *t, const char *name)
{
	return (int)(tu_link_named(t, name) - t->links);
}

const struct topo_function *tu_function_named(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->nfunctions; i++)
		if (strcmp(t->functions[i].name, name) == 0)
			return &t->functions[i];
	ck_abort_msg("no function %s", name);
	return NULL;
}

const struct topo_path *tu_path_of(const struct topo *t, const char *host, const char *dev)
{
	const struct topo_vh *vh = &t->vhs[tu_host_idx(t, host)];
	int d = tu_device_idx(t, dev);

	for (int i = 0; i < vh->npaths; i++)
		if (vh->paths[i].device == d)
			return &vh->paths[i];
	ck_abort_msg("%s has no path to %s", host, dev);
	return NULL;
}

const struct topo_vswitch *tu_vswitch_of(const struct topo *t, const char *host,
					     const char *sw)
{
	const struct topo_vh *vh = &t->vhs[tu_host_idx(t, host)];
	int s = tu_switch_idx(t, sw);

	for (int i = 0; i < vh->nvswitches; i++)
		if (vh->vswitches[i].sw == s)
			return &vh->vswitches[i];
	ck_abort_msg("%s has no virtual switch in %s", host, sw);
	return NULL;
}

size_t tu_count_mr_links(const struct topo *t)
{
	size_t n = 0;

	for (size_t l = 0; l < t->nlinks; l++)
		n += t->links[l].mr_link;
	return n;
}

int tu_vh_uses(const struct topo_vh *vh, int l)
{
	for (int p = 0; p < vh->npaths; p++)
		for (int k = 0; k < vh->paths[p].nhops; k++)
			if (vh->paths[p].links[k] == l)
				return 1;
	return 0;
}

#ifdef MRIOV_SIMTEST
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcie.h"
#include "simtest.h"

const char st_inval_chassis[] =
	"name: inv\nrun: {duration: 1ms, warmup: 100us, seed: 4}\n"
	"hosts: [{name: h}]\n"
	"devices: [{name: d, total_vfs: 2, atc: {entries: 32}}]\n"
	"links: [{a: h, b: d, gen: 3, width: 8, latency: 25ns}]\n"
	"assign: [{host: h, device: d, vfs: 2}]\n"
	"workloads: [{host: h, device: d, op: write, size: 256B, rate: 1Gbps,\n"
	"             unmap_rate: 200000}]\n";

struct sim *st_run(const char *yaml, char *const *sets, size_t nsets)
{
	return st_run_hook(yaml, sets, nsets, NULL, NULL);
}

struct sim *st_run_hook(const char *yaml, char *const *sets, size_t nsets,
			int (*hook)(void *arg, struct eng *e), void *arg)
{
	static struct sim sim;
	static char err[4096];
	char *argv[] = {"test", "--log=root.thres:critical", NULL};
	struct sim_opts o = {.sg_argc = 2, .sg_argv = argv, .before_start = hook,
			     .before_start_arg = arg};
	struct topo *t = tu_load(yaml, sets, nsets, err, sizeof(err));

	ck_assert_msg(t != NULL, "topology rejected: %s", err);
	int rc = sim_run(&sim, t, &o);
	ck_assert_msg(rc == 0, "simulation failed (%d): %s", rc, sim.why);
	return &sim; /* the child exits after the test: nothing to free */
}

void st_run_in_child(const char *yaml, char *const *sets, size_t nsets,
		     void (*measure)(struct sim *s, void *out), void *out, size_t len)
{
	int fd[2], status;

	ck_assert_int_eq(pipe(fd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		measure(st_run(yaml, sets, nsets), out);
		_exit(write(fd[1], out, len) == (ssize_t)len ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(read(fd[0], out, len), (ssize_t)len);
	close(fd[0]);
	close(fd[1]);
}

void st_outcome(const char *yaml, bool full_scan, int (*collect)(const struct sim *s, double *o),
		double *v)
{
	st_outcome_with(yaml, full_scan, false, collect, v);
}

void st_outcome_with(const char *yaml, bool full_scan, bool slot_wake_all,
		     int (*collect)(const struct sim *s, double *o), double *v)
{
	struct sim_opts so = {.full_scan = full_scan, .slot_wake_all = slot_wake_all};

	st_outcome_opts(yaml, &so, collect, v);
}

void st_outcome_opts(const char *yaml, const struct sim_opts *opts,
		     int (*collect)(const struct sim *s, double *o), double *v)
{
	int fd[2], status;

	ck_assert_int_eq(pipe(fd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"test", "--log=root.thres:critical", NULL};
		struct sim_opts so = *opts;
		so.sg_argc = 2;
		so.sg_argv = argv;
		struct topo *t = tu_load(yaml, NULL, 0, NULL, 0);
		static struct sim sim;
		double o[ST_NVAL] = {0};
		if (!t || sim_run(&sim, t, &so) || collect(&sim, o) > ST_NVAL)
			_exit(1);
		_exit(write(fd[1], o, sizeof(o)) == sizeof(o) ? 0 : 1);
	}
	close(fd[1]);
	ck_assert_int_eq((int)read(fd[0], v, ST_NVAL * sizeof(double)),
			 (int)(ST_NVAL * sizeof(double)));
	close(fd[0]);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int st_engine_values(const struct eng *e, double *v)
{
	int n = 0;

	v[n++] = (double)e->c.tlp_hops;
	v[n++] = (double)e->c.dmas_issued;
	v[n++] = (double)e->c.dmas_completed;
	v[n++] = (double)e->c.bytes_completed;
	for (size_t i = 0; i < e->nports; i++) {
		const struct link_stats *st = &e->ports[i].st;
		v[n++] = st->busy;
		v[n++] = st->payload;
		v[n++] = st->wire;
		v[n++] = (double)st->tlps;
		v[n++] = st->stall;
		v[n++] = st->queue_area;
		v[n++] = st->queue_max;
	}
	return n;
}

int st_port_values(const struct eng *e, double *v, int n, int max)
{
	for (size_t i = 0; i < e->nports && n + 4 <= max; i++) {
		const struct link_stats *st = &e->ports[i].st;
		v[n++] = st->busy;
		v[n++] = (double)st->tlps;
		v[n++] = st->queue_area;
		v[n++] = st->queue_max;
	}
	return n;
}

double st_total_gbps(struct sim *s)
{
	double g = 0;

	for (size_t h = 0; h < s->t->nhosts; h++)
		g += st_host(s, (int)h).gbps;
	return g;
}

const struct port *st_port(struct sim *s, const char *from, const char *to)
{
	for (size_t i = 0; i < s->e.nports; i++) {
		const struct port *p = &s->e.ports[i];
		if (!strcmp(topo_node_name(s->t, p->from), from) &&
		    !strcmp(topo_node_name(s->t, p->to), to))
			return p;
	}
	ck_abort_msg("no port %s -> %s", from, to);
	return NULL;
}

double st_pcie_bench_gbps(int gen, int width, int mps, int mrrs, int sz, int read)
{
	double tlp = pcie_raw_bps(gen, width) * (1 - pcie_spec_overhead(gen, width, mps)) / 1e9;
	double nmps = ceil((double)sz / mps), nmrrs = ceil((double)sz / mrrs);

	if (!read)
		return tlp * sz / (nmps * 24 + sz);
	return fmin(tlp * sz / (nmps * 20 + sz), tlp * sz / (nmrrs * 24));
}

struct stat_summary st_host(struct sim *s, int h)
{
	struct stat_summary m;

	stats_summary(&s->st, &s->st.host[h], &m);
	return m;
}
#endif
