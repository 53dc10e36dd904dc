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

#ifdef MRIOV_SIMTEST
#include <math.h>

#include "pcie.h"
#include "simtest.h"

struct sim *st_run(const char *yaml, char *const *sets, size_t nsets)
{
	static struct sim sim;
	static char err[4096];
	char *argv[] = {"test", "--log=root.thres:critical", NULL};
	struct sim_opts o = {.sg_argc = 2, .sg_argv = argv};
	struct topo *t = tu_load(yaml, sets, nsets, err, sizeof(err));

	ck_assert_msg(t != NULL, "topology rejected: %s", err);
	int rc = sim_run(&sim, t, &o);
	ck_assert_msg(rc == 0, "simulation failed (%d): %s", rc, sim.why);
	return &sim; /* the child exits after the test: nothing to free */
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
