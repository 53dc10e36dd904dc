/* bench_calls.c - what a TLP-hop costs in SimGrid calls (not a test: it prints numbers).
 *
 *   bench_calls FILE [SET..]   one simulation; per kind of port actor: TLPs sent, sleeps,
 *                              timed waits (ended by a release or by their timeout), the
 *                              wakes after which the port sent nothing, the releases it
 *                              made, and the models' allocations while the actors ran
 *
 * The program is linked with -Wl,--wrap for the SimGrid calls the simulator makes and for
 * the models' allocator (CMakeLists.txt), so every call of the simulator's code to them is
 * counted here, in the process that runs it; SimGrid's own allocations are not (callgrind
 * counts those, docs/performance.md). The counts are exact and do not depend on the load. */
#include <dlfcn.h>
#include <execinfo.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* what a port actor did, per port */
struct pc {
	unsigned long long sent, sleeps, waits, released, timeouts, released_by_it;
	unsigned long long empty_after_sleep, empty_after_release, empty_after_timeout;
	int last;                /* how its last block ended: 0 sleep, 1 released, 2 timeout */
	unsigned long long since_wake; /* TLPs it sent since */
};

static struct eng *eng;   /* the engine, known from the first port actor that blocks */
static struct pc *pcs;    /* [port] */
static bool running;
static unsigned long long allocs, other_blocks, other_releases;
/* e->c.tlp_hops when the last actor blocked or woke: actors run one at a time, so what
 * a port sends between its wake and its next block is what moved since */
static unsigned long long last_hops;

/* releases by call chain (return addresses, resolved by bench/calls.sh with addr2line) */
#define NSITES 256
#define DEPTH 6
static struct site {
	void *pc[DEPTH];
	int to;                  /* the port released */
	unsigned long long n;
} sites[NSITES];

void __real_sg_actor_sleep_until(double t);
int __real_sg_sem_acquire_timeout(sg_sem_t s, double timeout);
void __real_sg_sem_release(sg_sem_t s);
void *__real_mriov_malloc(size_t n);
void *__real_mriov_calloc(size_t n, size_t size);
void *__real_mriov_realloc(void *p, size_t n);

/* The port the running actor is, or NULL (another actor: a vswitch worker, the events). */
static struct port *self_port(void)
{
	const char *name = sg_actor_self_get_name();
	size_t len = name ? strlen(name) : 0;

	if (len < 4 || (strcmp(name + len - 4, ".fwd") && strcmp(name + len - 4, ".rev")))
		return NULL;
	struct port *p = sg_actor_self_get_data();
	if (!eng) {
		eng = p->e;
		pcs = calloc(eng->nports, sizeof(*pcs));
	}
	return p;
}

static struct pc *before_block(void)
{
	struct port *p = self_port();

	running = true;
	if (!p) {
		other_blocks++;
		return NULL;
	}
	struct pc *c = &pcs[p - eng->ports];
	unsigned long long sent = eng->c.tlp_hops - last_hops;
	c->sent += sent;
	last_hops = eng->c.tlp_hops;
	if (!(c->since_wake + sent) && c->sleeps + c->waits) {
		if (c->last == 0)
			c->empty_after_sleep++;
		else if (c->last == 1)
			c->empty_after_release++;
		else
			c->empty_after_timeout++;
	}
	return c;
}

void __wrap_sg_actor_sleep_until(double t)
{
	struct pc *c = before_block();

	if (c)
		c->sleeps++;
	__real_sg_actor_sleep_until(t);
	if (c) {
		c->last = 0;
		c->since_wake = 0;
		last_hops = eng->c.tlp_hops;
	}
}

int __wrap_sg_sem_acquire_timeout(sg_sem_t s, double timeout)
{
	struct pc *c = before_block();

	if (c)
		c->waits++;
	int r = __real_sg_sem_acquire_timeout(s, timeout);
	if (c) {
		c->last = r ? 2 : 1;
		c->since_wake = 0;
		if (r)
			c->timeouts++;
		else
			c->released++;
		last_hops = eng->c.tlp_hops;
	}
	return r;
}

void __wrap_sg_sem_release(sg_sem_t s)
{
	struct port *p = self_port();
	void *bt[DEPTH + 1] = {0};
	int n = backtrace(bt, DEPTH + 1);

	/* a release is a simcall too: other actors may run before it returns */
	if (p) {
		pcs[p - eng->ports].released_by_it++;
		pcs[p - eng->ports].sent += eng->c.tlp_hops - last_hops;
		pcs[p - eng->ports].since_wake += eng->c.tlp_hops - last_hops;
	} else {
		other_releases++;
	}
	/* bt[0] is here, then eng_signal_at (or where it was inlined) and its callers */
	for (int i = n; i <= DEPTH; i++)
		bt[i] = NULL;
	int to = -1;
	for (size_t i = 0; eng && i < eng->nports; i++)
		if (eng->ports[i].sem == s)
			to = (int)i;
	for (int i = 0; i < NSITES; i++)
		if (!sites[i].n || (sites[i].to == to &&
				    !memcmp(sites[i].pc, bt + 1, sizeof(sites[i].pc)))) {
			memcpy(sites[i].pc, bt + 1, sizeof(sites[i].pc));
			sites[i].to = to;
			sites[i].n++;
			break;
		}
	__real_sg_sem_release(s);
	if (eng)
		last_hops = eng->c.tlp_hops;
}

void *__wrap_mriov_malloc(size_t n)
{
	allocs += running;
	return __real_mriov_malloc(n);
}

void *__wrap_mriov_calloc(size_t n, size_t size)
{
	allocs += running;
	return __real_mriov_calloc(n, size);
}

void *__wrap_mriov_realloc(void *p, size_t n)
{
	allocs += running;
	return __real_mriov_realloc(p, n);
}

/* A port's kind: the kinds of the nodes it leaves and reaches, and the device's name. */
static void kind_of(const struct eng *e, const struct port *p, char *buf, size_t len)
{
	static const char *k[] = {"host", "switch", "device"};
	int f = e->nodes.kind[p->from], t = e->nodes.kind[p->to];

	snprintf(buf, len, "%s->%s%s%s", k[f], k[t], f == NODE_DEVICE ? " " : "",
		 f == NODE_DEVICE ? e->nodes.name[p->from] :
		 t == NODE_DEVICE ? e->nodes.name[p->to] : "");
	if (t == NODE_DEVICE && f != NODE_DEVICE)
		snprintf(buf, len, "%s->%s %s", k[f], k[t], e->nodes.name[p->to]);
}

static void print_kinds(const struct eng *e, unsigned long long hops)
{
	char names[64][96];
	struct pc sum[64];
	int nk = 0;

	memset(sum, 0, sizeof(sum));
	for (size_t i = 0; i < e->nports; i++) {
		char k[96];
		kind_of(e, &e->ports[i], k, sizeof(k));
		int j = 0;
		while (j < nk && strcmp(names[j], k))
			j++;
		if (j == nk && nk < 64)
			strcpy(names[nk++], k);
		const struct pc *c = &pcs[i];
		sum[j].sent += c->sent;
		sum[j].sleeps += c->sleeps;
		sum[j].waits += c->waits;
		sum[j].released += c->released;
		sum[j].timeouts += c->timeouts;
		sum[j].released_by_it += c->released_by_it;
		sum[j].empty_after_sleep += c->empty_after_sleep;
		sum[j].empty_after_release += c->empty_after_release;
		sum[j].empty_after_timeout += c->empty_after_timeout;
	}
	printf("%-24s %9s %9s %9s %9s %9s %9s | empty wakes after: %8s %8s %8s\n", "port kind",
	       "sent", "sleeps", "waits", "released", "timeouts", "releases", "sleep", "release",
	       "timeout");
	struct pc all = {0};
	for (int j = 0; j <= nk; j++) {
		const struct pc *c = j < nk ? &sum[j] : &all;
		printf("%-24s %9llu %9llu %9llu %9llu %9llu %9llu | %27llu %8llu %8llu\n",
		       j < nk ? names[j] : "all", c->sent, c->sleeps, c->waits, c->released,
		       c->timeouts, c->released_by_it, c->empty_after_sleep, c->empty_after_release,
		       c->empty_after_timeout);
		if (j == nk)
			break;
		all.sent += c->sent;
		all.sleeps += c->sleeps;
		all.waits += c->waits;
		all.released += c->released;
		all.timeouts += c->timeouts;
		all.released_by_it += c->released_by_it;
		all.empty_after_sleep += c->empty_after_sleep;
		all.empty_after_release += c->empty_after_release;
		all.empty_after_timeout += c->empty_after_timeout;
	}
	double h = (double)hops;
	printf("per TLP-hop: %.3f blocking calls (%.3f sleeps, %.3f waits: %.3f released, %.3f "
	       "timed out), %.3f releases; wakes that sent nothing %.3f; %.4f model allocations; "
	       "other actors: %llu blocks, %llu releases\n",
	       (all.sleeps + all.waits) / h, all.sleeps / h, all.waits / h, all.released / h,
	       all.timeouts / h, all.released_by_it / h,
	       (all.empty_after_sleep + all.empty_after_release + all.empty_after_timeout) / h,
	       allocs / h, other_blocks, other_releases);
}

/* The releases by call chain: executable-relative addresses, innermost first. */
static void print_sites(unsigned long long total)
{
	Dl_info in;

	printf("releases by call chain (count, share, addresses in the executable)\n");
	for (int i = 0; i < NSITES && sites[i].n; i++) {
		char k[96] = "?";
		if (sites[i].to >= 0)
			kind_of(eng, &eng->ports[sites[i].to], k, sizeof(k));
		printf("  %llu %.1f %% [%s]:", sites[i].n, 100.0 * sites[i].n / total, k);
		for (int k = 0; k < DEPTH && sites[i].pc[k]; k++)
			if (dladdr(sites[i].pc[k], &in) && in.dli_fname && strstr(in.dli_fname, "bench_calls"))
				printf(" %#lx", (unsigned long)((char *)sites[i].pc[k] - (char *)in.dli_fbase - 1));
		printf("\n");
	}
}

/* every TLP a port starts, counted per port (the sends between wakes are checked on it) */
static unsigned long long *obs_sent;
static void observed(void *arg, const struct eng_tlp_event *ev)
{
	(void)arg;
	obs_sent[2 * ev->link + ev->dir]++;
}

int main(int argc, char **argv)
{
	struct diags d;
	struct sim sim;
	char *sg[] = {"bench", "--log=root.thres:critical", NULL};
	struct sim_opts o = {.sg_argc = 2, .sg_argv = sg};
	struct topo *t;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_calls FILE [PATH=VALUE...]\n");
		return 2;
	}
	diags_init(&d);
	t = topo_load_file(argv[1], argv + 2, (size_t)argc - 2, &d);
	if (!t) {
		diags_print(&d, stderr);
		return 2;
	}
	obs_sent = calloc(2 * t->nlinks, sizeof(*obs_sent));
	int rc = sim_run_observed(&sim, t, &o, observed, NULL) ? 1 : 0;
	unsigned long long hops = sim.e.c.tlp_hops, rel = 0;
	printf("%s: %llu TLP-hops\n", argv[1], hops);
	if (eng) {
		for (size_t i = 0; i < eng->nports; i++)
			if (obs_sent[i] != pcs[i].sent)
				printf("port %zu: %llu sent, %llu seen between wakes\n", i, obs_sent[i],
				       pcs[i].sent);
		print_kinds(&sim.e, hops);
		printf("sources per port:");
		for (size_t i = 0; i < eng->nports; i++)
			if (eng->ports[i].nsrcs) {
				char k[96];
				kind_of(eng, &eng->ports[i], k, sizeof(k));
				printf(" %s %d;", k, eng->ports[i].nsrcs);
			}
		printf("\n");
		for (int i = 0; i < NSITES; i++)
			rel += sites[i].n;
		print_sites(rel);
	}
	return rc;
}
