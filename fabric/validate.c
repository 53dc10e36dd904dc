/* validate.c - the rules of contract §1 that span several keys: unique names, references
 * and the arbitration lists that name hosts, the run window; it runs the link rules
 * (validate_links.c) and the VF assignment and workload rules (validate_assign.c). Value
 * ranges are checked while loading (loadfield.c, schema.c). */
#include "validate.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *validate_kind_word(enum topo_node_kind k)
{
	return k == NODE_HOST ? "host" : k == NODE_SWITCH ? "switch" : "device";
}

static struct loc node_loc(const struct topo *t, int n)
{
	int i = topo_node_index(t, n);

	switch (topo_node_kind(t, n)) {
	case NODE_HOST: return t->hosts[i].loc;
	case NODE_SWITCH: return t->switches[i].loc;
	default: return t->devices[i].loc;
	}
}

/* "at line N" for a place in the file, "in --set N" for one on the command line (whose
 * LINE is the index of the --set argument). */
static const char *where(const struct topo *t, struct loc l, char *buf, size_t len)
{
	snprintf(buf, len, l.file == t->file ? "at line %d" : "in --set %d", l.line);
	return buf;
}

struct named {
	const char *name;
	size_t idx;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sort (name, index) pairs so that each repeated name follows its first use: O(n log n),
 * as a file may hold tens of thousands of names. Returns NULL when out of memory. */
static struct named *sorted_names(size_t n, const char *(*name)(const struct topo *, size_t),
				  const struct topo *t)
{
	struct named *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct named){name(t, i), i};
	qsort(v, n, sizeof(*v), cmp_named);
	return v;
}

static const char *node_name_at(const struct topo *t, size_t i)
{
	return topo_node_name(t, (int)i);
}

static const char *link_name_at(const struct topo *t, size_t i)
{
	return t->links[i].name;
}

static const char *workload_name_at(const struct topo *t, size_t i)
{
	return t->workloads[i].name;
}

/* Report every name used again: report(t, d, i, first) for item i repeating item first. */
static int find_repeats(struct topo *t, struct diags *d, size_t n,
			const char *(*name)(const struct topo *, size_t),
			void (*report)(struct topo *, struct diags *, size_t, size_t))
{
	struct named *v = sorted_names(n, name, t);
	int err = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcmp(v[i].name, v[first].name) != 0) {
			first = i;
			continue;
		}
		report(t, d, v[i].idx, v[first].idx);
		err = -EINVAL;
	}
	free(v);
	return err;
}

static void node_repeated(struct topo *t, struct diags *d, size_t n, size_t m)
{
	char buf[32];

	diags_error(d, node_loc(t, (int)n), "name '%s' is already used by the %s %s",
		    topo_node_name(t, (int)n), validate_kind_word(topo_node_kind(t, (int)m)),
		    where(t, node_loc(t, (int)m), buf, sizeof(buf)));
}

static void link_repeated(struct topo *t, struct diags *d, size_t i, size_t first)
{
	char buf[32];

	diags_error(d, t->links[i].name_loc, "link name '%s' is already used by the link %s",
		    t->links[i].name, where(t, t->links[first].loc, buf, sizeof(buf)));
}

static void workload_repeated(struct topo *t, struct diags *d, size_t i, size_t first)
{
	char buf[32];

	diags_error(d, t->workloads[i].loc, "workload name '%s' is already used by the "
		    "workload %s", t->workloads[i].name,
		    where(t, t->workloads[first].loc, buf, sizeof(buf)));
}

static int check_unique_names(struct topo *t, struct diags *d)
{
	int e1 = find_repeats(t, d, (size_t)topo_nnodes(t), node_name_at, node_repeated);
	int e2 = find_repeats(t, d, t->nlinks, link_name_at, link_repeated);
	int e3 = find_repeats(t, d, t->nworkloads, workload_name_at, workload_repeated);

	if (e1 == -ENOMEM || e2 == -ENOMEM || e3 == -ENOMEM)
		return -ENOMEM;
	if (e1 || e2 || e3)
		return -EINVAL;
	return topo_index_names(t);
}

/* The name of a node (of that kind, kind >= 0) closest to name, when it is a likely typo
 * of it; else NULL. */
static const char *nearest_node(const struct topo *t, const char *name, int kind)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, name);
	for (int n = 0; n < topo_nnodes(t); n++)
		if (kind < 0 || (int)topo_node_kind(t, n) == kind)
			diag_suggest_offer(&sg, topo_node_name(t, n));
	return sg.best;
}

int validate_resolve(const struct topo *t, struct topo_ref *r, int kind, const char *key,
		   struct diags *d)
{
	int n = topo_find_node(t, r->name);

	if (n < 0) {
		const char *near = nearest_node(t, r->name, kind);
		const char *what = kind < 0 ? "host, switch or device" : validate_kind_word(kind);
		if (near)
			diags_error(d, r->loc, "%s: no %s named '%s'; did you mean '%s'?", key, what,
				    r->name, near);
		else
			diags_error(d, r->loc, "%s: no %s named '%s'", key, what, r->name);
		return -EINVAL;
	}
	if (kind >= 0 && (int)topo_node_kind(t, n) != kind) {
		diags_error(d, r->loc, "%s: '%s' is a %s, not a %s", key, r->name,
			    validate_kind_word(topo_node_kind(t, n)), validate_kind_word(kind));
		return -EINVAL;
	}
	r->idx = kind >= 0 ? topo_node_index(t, n) : n;
	return 0;
}

/* The result of two checks: -ENOMEM wins, then any error (-EINVAL). */
static int worse(int a, int b)
{
	if (a == -ENOMEM || b == -ENOMEM)
		return -ENOMEM;
	return a || b ? -EINVAL : 0;
}

static int resolve_arb(const struct topo *t, struct topo_arb *a, struct diags *d)
{
	int err = 0;

	a->host_weight = calloc(t->nhosts ? t->nhosts : 1, sizeof(*a->host_weight));
	a->host_order = calloc(t->nhosts ? t->nhosts : 1, sizeof(*a->host_order));
	if (!a->host_weight || !a->host_order)
		return -ENOMEM;
	/* 0 marks "not named yet" (weights are at least 1); unnamed hosts weigh 1 */
	for (size_t i = 0; i < a->nweights; i++) {
		struct topo_weight *w = &a->weights[i];
		if (validate_resolve(t, &w->host, NODE_HOST, "weights", d)) {
			err = -EINVAL;
			continue;
		}
		if (a->host_weight[w->host.idx]) {
			diags_error(d, w->host.loc, "weights: '%s' is given twice", w->host.name);
			err = -EINVAL;
		}
		a->host_weight[w->host.idx] = w->weight;
	}
	for (size_t h = 0; h < t->nhosts; h++)
		if (!a->host_weight[h])
			a->host_weight[h] = 1;
	/* strict: listed hosts first, in list order; unnamed hosts follow in file order */
	unsigned char *listed = calloc(t->nhosts + 1, 1);
	size_t k = 0;
	if (!listed)
		return -ENOMEM;
	for (size_t i = 0; i < a->npriority; i++) {
		struct topo_ref *r = &a->priority[i];
		if (validate_resolve(t, r, NODE_HOST, "priority", d)) {
			err = -EINVAL;
			continue;
		}
		if (listed[r->idx]) {
			diags_error(d, r->loc, "priority: '%s' is listed twice", r->name);
			err = -EINVAL;
			continue;
		}
		listed[r->idx] = 1;
		a->host_order[k++] = r->idx;
	}
	for (size_t h = 0; h < t->nhosts && !err; h++)
		if (!listed[h])
			a->host_order[k++] = (int)h;
	free(listed);
	return err;
}

/* Is link l one of node's? */
static bool link_of(const struct topo *t, size_t l, int node)
{
	return t->links[l].a.idx == node || t->links[l].b.idx == node;
}

/* switches[].ports keys (contract §13): links of that switch, each named once; their
 * arbitration is resolved like the switch's. */
static int resolve_ports(struct topo *t, size_t si, struct diags *d)
{
	struct topo_switch *sw = &t->switches[si];
	int node = topo_node_of_switch(t, (int)si), err = 0;

	for (size_t k = 0; k < sw->nports; k++) {
		struct topo_swport *p = &sw->ports[k];
		struct diag_suggest sg;
		diag_suggest_init(&sg, p->link.name);
		for (size_t l = 0; l < t->nlinks && p->link.idx < 0; l++) {
			if (!link_of(t, l, node))
				continue;
			if (strcmp(t->links[l].name, p->link.name) == 0)
				p->link.idx = (int)l;
			diag_suggest_offer(&sg, t->links[l].name);
		}
		if (p->link.idx < 0) {
			diags_error(d, p->link.loc, "ports: switch %s has no link named '%s'%s%s%s",
				    sw->name, p->link.name, sg.best ? "; did you mean '" : "",
				    sg.best ? sg.best : "", sg.best ? "'?" : "");
			err = -EINVAL;
			continue;
		}
		for (size_t j = 0; j < k; j++)
			if (sw->ports[j].link.idx == p->link.idx) {
				diags_error(d, p->link.loc, "ports: '%s' is given twice", p->link.name);
				err = -EINVAL;
			}
		if (p->has_arb)
			err = worse(err, resolve_arb(t, &p->arb, d));
		if (err == -ENOMEM)
			return err;
	}
	return err;
}

/* How a run time is named in a message (contract §13: in the user's terms): "--duration
 * 10us" or "--set run.warmup=200us" when it came from the command line, else "the warmup
 * 200us of FILE:4:30" (or "the default duration 1ms"). */
static const char *run_time_desc(const struct topo *t, struct loc l, const char *key, double v,
				 char *buf, size_t len)
{
	char tm[32];

	units_fmt_time(v, tm, sizeof(tm));
	if (l.line > 0 && l.file != t->file && (size_t)l.line <= t->nsets) {
		const char *arg = t->sets[l.line - 1], *eq = strchr(arg, '=');
		if (strncmp(arg, "--", 2) == 0 && eq)
			snprintf(buf, len, "%.*s %s", (int)(eq - arg), arg, eq + 1);
		else
			snprintf(buf, len, "--set %s", arg);
	} else if (l.line > 0) {
		snprintf(buf, len, "the %s %s of %s:%d:%d", key, tm, l.file, l.line, l.col);
	} else {
		snprintf(buf, len, "the default %s %s", key, tm);
	}
	return buf;
}

static bool from_cmdline(const struct topo *t, struct loc l)
{
	return l.line > 0 && l.file != t->file;
}

static int check_run(struct topo *t, struct diags *d)
{
	struct topo_run *r = &t->run;
	char dd[160], wd[160], tm[32];
	int err = 0;

	if (r->warmup >= r->duration) {
		run_time_desc(t, r->duration_loc, "duration", r->duration, dd, sizeof(dd));
		run_time_desc(t, r->warmup_loc, "warmup", r->warmup, wd, sizeof(wd));
		if (from_cmdline(t, r->warmup_loc))
			diags_error(d, r->warmup_loc, "%s is not shorter than %s", wd, dd);
		else if (from_cmdline(t, r->duration_loc))
			diags_error(d, r->duration_loc, "%s is %s than %s", dd,
				    r->warmup > r->duration ? "shorter" : "not longer", wd);
		else
			diags_error(d, r->warmup_loc.line ? r->warmup_loc : (struct loc){t->file, 1, 1},
				    "warmup: must be shorter than the duration (%s)",
				    units_fmt_time(r->duration, tm, sizeof(tm)));
		err = -EINVAL;
	}
	/* bin 0 means duration/100; with a bad warmup there is no window to compare with */
	if (r->bin > 0 && !err && r->bin > r->duration - r->warmup) {
		diags_error(d, r->bin_loc, "run.bin: longer than the measured window");
		err = -EINVAL;
	}
	return err;
}

/* The MR-IOV TLP prefix carries the VH in 8 bits and VH 0 is the manager's (domain.md
 * §1.3, §1.5): a chassis has at most 255 hosts. */
#define TOPO_MAX_HOSTS 255


int topo_validate(struct topo *t, struct diags *d)
{
	int err, links_err;

	if (t->nhosts > TOPO_MAX_HOSTS) {
		diags_error(d, t->hosts[TOPO_MAX_HOSTS].loc, "hosts: at most %d hosts (VH 1 to %d: the "
			    "MR-IOV prefix carries the VH in 8 bits, VH 0 is management)",
			    TOPO_MAX_HOSTS, TOPO_MAX_HOSTS);
		return -EINVAL;
	}
	/* links are resolved by name: with a name used twice they cannot be */
	err = check_unique_names(t, d);
	if (!err)
		err = validate_links(t, d);
	links_err = err;
	err = worse(err, check_run(t, d));
	for (size_t i = 0; i < t->nswitches + t->ndevices && err != -ENOMEM; i++) {
		struct topo_arb *a = i < t->nswitches ? &t->switches[i].arb
						      : &t->devices[i - t->nswitches].arb;
		err = worse(err, resolve_arb(t, a, d));
	}
	/* port keys name links: only once the links are known */
	for (size_t i = 0; i < t->nswitches && !links_err && err != -ENOMEM; i++)
		err = worse(err, resolve_ports(t, i, d));
	if (err != -ENOMEM)
		err = worse(err, validate_assign(t, d));
	/* events move VFs: the workload rules count what a host owns at any time */
	if (!err)
		err = events_validate(t, d);
	if (err != -ENOMEM)
		err = worse(err, validate_workloads(t, d));
	if (err != -ENOMEM)
		err = worse(err, validate_nics(t, d));
	if (err != -ENOMEM)
		err = worse(err, validate_nvmes(t, d));
	if (err != -ENOMEM)
		err = worse(err, validate_vswitch(t, d));
	return err;
}
