/* validate.c - the rules of contract §1 that span several keys: unique names, references
 * and the arbitration lists that name hosts, the run window; it runs the link rules
 * (validate_links.c) and the VF assignment and workload rules (validate_assign.c). Value
 * ranges are checked while loading (loadfield.c, schema.c). */
#include "validate.h"

#include <errno.h>
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

/* The node name closest to name, when it is a likely typo of it; else NULL. */
static const char *nearest_node(const struct topo *t, const char *name)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, name);
	for (int n = 0; n < topo_nnodes(t); n++)
		diag_suggest_offer(&sg, topo_node_name(t, n));
	return sg.best;
}

int validate_resolve(const struct topo *t, struct topo_ref *r, int kind, const char *key,
		   struct diags *d)
{
	int n = topo_find_node(t, r->name);

	if (n < 0 && kind < 0) {
		const char *near = nearest_node(t, r->name);
		if (near)
			diags_error(d, r->loc, "%s: no host, switch or device named '%s'; did you mean "
				    "'%s'?", key, r->name, near);
		else
			diags_error(d, r->loc, "%s: no host, switch or device named '%s'", key,
				    r->name);
		return -EINVAL;
	}
	if (n < 0) {
		diags_error(d, r->loc, "%s: no %s named '%s'", key, validate_kind_word(kind), r->name);
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

static int check_run(struct topo *t, struct diags *d)
{
	int err = 0;

	if (t->run.warmup >= t->run.duration) {
		diags_error(d, t->run.warmup_loc.line ? t->run.warmup_loc : (struct loc){t->file, 1, 1},
			    "warmup: must be shorter than the duration (%g s)", t->run.duration);
		err = -EINVAL;
	}
	/* bin 0 means duration/100; with a bad warmup there is no window to compare with */
	if (t->run.bin > 0 && !err && t->run.bin > t->run.duration - t->run.warmup) {
		diags_error(d, t->run.bin_loc, "run.bin: longer than the measured window");
		err = -EINVAL;
	}
	return err;
}

/* The MR-IOV TLP prefix carries the VH in 8 bits and VH 0 is the manager's (domain.md
 * §1.3, §1.5): a chassis has at most 255 hosts. */
#define TOPO_MAX_HOSTS 255

/* The result of two checks: -ENOMEM wins, then any error (-EINVAL). */
static int worse(int a, int b)
{
	if (a == -ENOMEM || b == -ENOMEM)
		return -ENOMEM;
	return a || b ? -EINVAL : 0;
}

int topo_validate(struct topo *t, struct diags *d)
{
	int err;

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
	err = worse(err, check_run(t, d));
	for (size_t i = 0; i < t->nswitches + t->ndevices && err != -ENOMEM; i++) {
		struct topo_arb *a = i < t->nswitches ? &t->switches[i].arb
						      : &t->devices[i - t->nswitches].arb;
		err = worse(err, resolve_arb(t, a, d));
	}
	if (err != -ENOMEM)
		err = worse(err, validate_assign(t, d));
	if (err != -ENOMEM)
		err = worse(err, validate_workloads(t, d));
	if (err != -ENOMEM)
		err = worse(err, validate_nics(t, d));
	return err;
}
