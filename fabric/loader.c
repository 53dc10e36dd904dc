/* loader.c - table-driven conversion of the topology YAML (contract §1) into struct topo.
 * Every value keeps its line and column so that validation can point at it. */
#include "topo.h"
#include "units.h"
#include "yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Bounds the work on hostile input: aliases let a small file name one big node many times. */
#define LOADER_MAX_VISITS 2000000

enum ftype { F_STR, F_NAME, F_REF, F_TIME, F_SIZE, F_RATE, F_UINT, F_ENUM, F_BOOL, F_CUSTOM };

struct ctx;
typedef int (*custom_fn)(struct ctx *c, int node, void *obj);

struct field {
	const char *key;
	enum ftype type;
	size_t off;
	long loc_off;               /* offset of a struct loc to fill, or -1 */
	const char *const *names;   /* F_ENUM: NULL-terminated */
	const uint64_t *allowed;    /* F_UINT/F_SIZE: 0-terminated set, or NULL for min..max */
	uint64_t min, max;          /* F_UINT/F_SIZE range; F_TIME/F_RATE: min 1 = must be > 0 */
	custom_fn custom;
	int required;
};

struct ctx {
	struct ydoc *y;
	struct topo *t;
	struct diags *d;
	long visits;
	int too_big;
	struct loc via; /* line > 0: what is being loaded was reached through an alias here */
};

#define NOLOC (-1L)
#define LOC(type, member) ((long)offsetof(type, member))

static struct loc at(struct ctx *c, int node)
{
	return ydoc_loc(c->y, node);
}

/* Where a value is used, for the locations kept in struct topo: through an alias ("- *h")
 * that is the alias, not the anchored text, so that "name 'h0' is already used" points at
 * the second use. Messages about the text itself still use at(). */
static struct loc at_use(struct ctx *c, int node)
{
	return c->via.line ? c->via : at(c, node);
}

/* Enter child pos of parent (node): returns the previous alias location, to be restored when
 * the child is done. An outer alias wins: all of its content is used at that alias. */
static struct loc enter_use(struct ctx *c, int parent, int pos, int node)
{
	struct loc prev = c->via, l;

	if (!prev.line && ydoc_alias_at(c->y, parent, pos, node, &l))
		c->via = l;
	return prev;
}

static int visit(struct ctx *c, int node)
{
	if (++c->visits > LOADER_MAX_VISITS) {
		if (!c->too_big)
			diags_error(c->d, at(c, node), "the document is too large (more than %d nodes "
				    "after expanding aliases)", LOADER_MAX_VISITS);
		c->too_big = 1;
		return -E2BIG;
	}
	return 0;
}

static const char *type_name(yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

/* YAML's null written plainly ("key:", "key: ~", "key: null"); a quoted "~" is text. */
static int is_null_scalar(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = (const char *)n->data.scalar.value;
	return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0;
}

/* Scalar text of a value, or NULL after reporting what is wrong with it. */
static const char *want_scalar(struct ctx *c, int node, const char *key)
{
	yaml_node_t *n = ydoc_node(c->y, node);
	const char *s;

	if (!n || n->type != YAML_SCALAR_NODE) {
		diags_error(c->d, at(c, node), "%s: expected a value, got %s", key,
			    n ? type_name(n) : "nothing");
		return NULL;
	}
	s = (const char *)n->data.scalar.value;
	if (is_null_scalar(n)) {
		diags_error(c->d, at(c, node), "%s: a value is required", key);
		return NULL;
	}
	if (strlen(s) != n->data.scalar.length) {
		diags_error(c->d, at(c, node), "%s: the value contains a NUL character", key);
		return NULL;
	}
	return s;
}

/* The closest of names to s, when close enough to be a likely typo; else NULL. */
static const char *suggest(const char *s, const char *const *names, size_t stride, size_t n)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, s);
	for (size_t i = 0; i < n; i++)
		diag_suggest_offer(&sg, *(const char *const *)((const char *)names + i * stride));
	return sg.best;
}

static int valid_name(const char *s, int allow_dot)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		char ch = *s;
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '-' || (allow_dot && ch == '.')))
			return 0;
	}
	return 1;
}

static void list_allowed(char *buf, size_t len, const struct field *f)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; f->names ? f->names[i] != NULL : f->allowed[i] != 0; i++) {
		int last = f->names ? f->names[i + 1] == NULL : f->allowed[i + 1] == 0;
		const char *sep = i == 0 ? "" : last ? " or " : ", ";
		int w;
		char size[32];
		if (f->names)
			w = snprintf(buf + used, len - used, "%s%s", sep, f->names[i]);
		else if (f->type == F_SIZE)
			w = snprintf(buf + used, len - used, "%s%s", sep,
				     units_fmt_size(f->allowed[i], size, sizeof(size)));
		else
			w = snprintf(buf + used, len - used, "%s%llu", sep,
				     (unsigned long long)f->allowed[i]);
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

static int in_set(const uint64_t *set, uint64_t v)
{
	for (; *set; set++)
		if (*set == v)
			return 1;
	return 0;
}

/* F_TIME, F_RATE: a quantity with its unit. A sign is not part of the number syntax, but
 * "-5ns" is said to be negative rather than not a time at all. */
static int load_quantity(struct ctx *c, const struct field *f, int node, const char *s,
			 double *out)
{
	int (*parse)(const char *, double *) = f->type == F_TIME ? units_parse_time
								  : units_parse_rate;
	double v;

	if (s[0] == '-' && parse(s + 1, &v) == 0) {
		diags_error(c->d, at(c, node), "%s: must not be negative, got '%s'", f->key, s);
		return -EINVAL;
	}
	if (parse(s, out)) {
		diags_error(c->d, at(c, node), f->type == F_TIME ?
			    "%s: expected a time such as 150ns, 2.5us or 1ms, got '%s'" :
			    "%s: expected a rate such as 25Gbps or 3GBps, got '%s'", f->key, s);
		return -EINVAL;
	}
	if (f->min && *out <= 0) {
		diags_error(c->d, at(c, node), "%s: must be greater than 0", f->key);
		return -EINVAL;
	}
	return 0;
}

/* The bounds of an F_UINT or F_SIZE field as the user writes them ("1 to 1024", "1B to 1GiB",
 * "4KiB, 2MiB or 1GiB"). */
static void count_range(char *buf, size_t len, const struct field *f)
{
	char lo[32], hi[32];

	if (f->allowed) {
		list_allowed(buf, len, f);
	} else if (f->type == F_SIZE) {
		snprintf(buf, len, "%s to %s", units_fmt_size(f->min, lo, sizeof(lo)),
			 units_fmt_size(f->max, hi, sizeof(hi)));
	} else {
		snprintf(buf, len, "%llu to %llu", (unsigned long long)f->min,
			 (unsigned long long)f->max);
	}
}

/* F_UINT, F_SIZE: a whole number (of bytes). A negative one, or one too large to hold, is
 * out of range rather than malformed, so the message gives the range. */
static int load_count(struct ctx *c, const struct field *f, int node, const char *s,
		      uint64_t *out)
{
	int sized = f->type == F_SIZE;
	int neg = s[0] == '-';
	char range[160];
	uint64_t v = 0;
	int err = sized ? units_parse_size(s + neg, &v) : units_parse_uint(s + neg, UINT64_MAX, &v);

	if (err && err != -ERANGE) {
		diags_error(c->d, at(c, node), sized ?
			    "%s: expected a size such as 256B, 16KiB or 1MB, got '%s'" :
			    "%s: expected a whole number, got '%s'", f->key, s);
		return -EINVAL;
	}
	if (!neg && !err && (f->allowed ? in_set(f->allowed, v) : v >= f->min && v <= f->max)) {
		*out = v;
		return 0;
	}
	if (!f->allowed && f->max == UINT64_MAX && (neg || (!err && v < f->min))) {
		diags_error(c->d, at(c, node), "%s: must be at least %llu, got '%s'", f->key,
			    (unsigned long long)f->min, s);
		return -EINVAL;
	}
	count_range(range, sizeof(range), f);
	diags_error(c->d, at(c, node), "%s: expected %s, got '%s'", f->key, range, s);
	return -EINVAL;
}

static int load_field(struct ctx *c, const struct field *f, int node, void *obj)
{
	char *p = (char *)obj + f->off;
	const char *s;
	char allowed[160];

	if (f->loc_off != NOLOC)
		*(struct loc *)((char *)obj + f->loc_off) = at_use(c, node);
	if (f->type == F_CUSTOM)
		return f->custom(c, node, obj);
	s = want_scalar(c, node, f->key);
	if (!s)
		return -EINVAL;
	switch (f->type) {
	case F_STR:
	case F_NAME: {
		char **dst = (char **)p;
		if (f->type == F_NAME && !valid_name(s, 0)) {
			diags_error(c->d, at(c, node), "%s: '%s' is not a valid name "
				    "(letters, digits, '_' and '-')", f->key, s);
			return -EINVAL;
		}
		free(*dst);
		*dst = strdup(s);
		return *dst ? 0 : -ENOMEM;
	}
	case F_REF: {
		struct topo_ref *r = (struct topo_ref *)p;
		free(r->name);
		r->name = strdup(s);
		r->loc = at_use(c, node);
		r->idx = -1;
		return r->name ? 0 : -ENOMEM;
	}
	case F_TIME:
	case F_RATE:
		return load_quantity(c, f, node, s, (double *)p);
	case F_SIZE:
	case F_UINT:
		return load_count(c, f, node, s, (uint64_t *)p);
	case F_ENUM:
		for (int i = 0; f->names[i]; i++) {
			if (strcmp(f->names[i], s) == 0) {
				*(int *)p = i;
				return 0;
			}
		}
		list_allowed(allowed, sizeof(allowed), f);
		diags_error(c->d, at(c, node), "%s: expected %s, got '%s'", f->key, allowed, s);
		return -EINVAL;
	case F_BOOL:
		if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "on") == 0) {
			*(bool *)p = true;
			return 0;
		}
		if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0 || strcmp(s, "off") == 0) {
			*(bool *)p = false;
			return 0;
		}
		diags_error(c->d, at(c, node), "%s: expected true or false, got '%s'", f->key, s);
		return -EINVAL;
	case F_CUSTOM:
		break;
	}
	return -EINVAL;
}

/* Load mapping node into obj through the field table; what names the mapping in messages. */
static int load_mapping(struct ctx *c, int node, const struct field *tab, void *obj,
			const char *what)
{
	yaml_node_t *m = ydoc_node(c->y, node);
	uint64_t seen = 0, suggested = 0;
	int err = 0;
	size_t ntab = 0;

	if (visit(c, node))
		return -E2BIG;
	if (!m || m->type != YAML_MAPPING_NODE) {
		diags_error(c->d, at(c, node), "%s: expected a mapping, got %s", what,
			    m ? type_name(m) : "nothing");
		return -EINVAL;
	}
	while (tab[ntab].key)
		ntab++;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *key = ydoc_scalar(c->y, p->key);
		size_t i;

		if (visit(c, p->value))
			return -E2BIG;
		if (!key) {
			diags_error(c->d, at(c, p->key), "%s: keys must be plain names", what);
			err = -EINVAL;
			continue;
		}
		for (i = 0; i < ntab; i++)
			if (strcmp(tab[i].key, key) == 0)
				break;
		if (i == ntab) {
			const char *s = suggest(key, &tab[0].key, sizeof(tab[0]), ntab);
			if (s) {
				/* the suggestion already says what is missing: no second message */
				for (size_t j = 0; j < ntab; j++)
					if (tab[j].key == s)
						suggested |= 1ull << j;
				diags_error(c->d, at(c, p->key), "unknown key '%s' in %s; did you mean "
					    "'%s'?", key, what, s);
			} else
				diags_error(c->d, at(c, p->key), "unknown key '%s' in %s", key, what);
			err = -EINVAL;
			continue;
		}
		if (seen & (1ull << i)) {
			diags_error(c->d, at(c, p->key), "duplicate key '%s' in %s", key, what);
			err = -EINVAL;
			continue;
		}
		seen |= 1ull << i;
		struct loc prev = enter_use(c, node, 2 * (int)(p - m->data.mapping.pairs.start) + 1,
					    p->value);
		int e = load_field(c, &tab[i], p->value, obj);
		c->via = prev;
		if (e == -ENOMEM || e == -E2BIG)
			return e;
		if (e)
			err = e;
	}
	for (size_t i = 0; i < ntab; i++) {
		if (tab[i].required && !((seen | suggested) & (1ull << i))) {
			diags_error(c->d, at(c, node), "%s: missing required key '%s'", what, tab[i].key);
			err = -EINVAL;
		}
	}
	return err;
}

/* ---- value sets of the contract ---- */
static const uint64_t payload_sizes[] = {128, 256, 512, 1024, 2048, 4096, 0};
static const uint64_t rcb_sizes[] = {64, 128, 0};
static const uint64_t addr_bits[] = {32, 64, 0};
static const uint64_t widths[] = {1, 2, 4, 8, 12, 16, 32, 0};
static const uint64_t page_sizes[] = {4096, 2097152, 1073741824, 0};
static const char *const arb_names[] = {"rr", "wrr", "strict", NULL};
static const char *const fc_names[] = {"per_vh", "shared", NULL};
static const char *const op_names[] = {"write", "read", NULL};
static const char *const arrival_names[] = {"poisson", "constant", NULL};
static const char *const pattern_names[] = {"sequential", "random", NULL};
static const char *const atc_policy_names[] = {"lru", "fifo", "random", NULL};
static const char *const atc_scope_names[] = {"per_vf", "shared", NULL};
static const char *const cpl_names[] = {"mps", "rcb", NULL};
static const char *const kind_names[] = {"nic", "nvme", "hba", "gpu", "generic", NULL};

const char *topo_arb_name(int p) { return p >= 0 && p < 3 ? arb_names[p] : "?"; }
const char *topo_op_name(int op) { return op >= 0 && op < 2 ? op_names[op] : "?"; }

/* ---- custom handlers ---- */

static int load_weights(struct ctx *c, int node, void *obj)
{
	struct topo_arb *a = obj;
	yaml_node_t *m = ydoc_node(c->y, node);
	size_t n;
	int err = 0;

	if (!m || m->type != YAML_MAPPING_NODE) {
		diags_error(c->d, at(c, node), "weights: expected a mapping of host names to weights");
		return -EINVAL;
	}
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	a->weights = calloc(n ? n : 1, sizeof(*a->weights));
	if (!a->weights)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &m->data.mapping.pairs.start[i];
		const char *host = ydoc_scalar(c->y, p->key);
		const char *w = want_scalar(c, p->value, "weights");
		struct topo_weight *tw = &a->weights[a->nweights];
		if (!host) {
			diags_error(c->d, at(c, p->key), "weights: keys must be host names");
			err = -EINVAL;
			continue;
		}
		if (!w) {
			err = -EINVAL;
			continue;
		}
		if (units_parse_uint(w, 1000000, &tw->weight) || tw->weight == 0) {
			diags_error(c->d, at(c, p->value), "weights: expected a whole number from 1 to "
				    "1000000, got '%s'", w);
			err = -EINVAL;
			continue;
		}
		tw->host.name = strdup(host);
		if (!tw->host.name)
			return -ENOMEM;
		tw->host.loc = at(c, p->key);
		tw->host.idx = -1;
		a->nweights++;
	}
	return err;
}

static int load_priority(struct ctx *c, int node, void *obj)
{
	struct topo_arb *a = obj;
	yaml_node_t *s = ydoc_node(c->y, node);
	size_t n;
	int err = 0;

	if (!s || s->type != YAML_SEQUENCE_NODE) {
		diags_error(c->d, at(c, node), "priority: expected a list of host names");
		return -EINVAL;
	}
	n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	a->priority = calloc(n ? n : 1, sizeof(*a->priority));
	if (!a->priority)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int it = s->data.sequence.items.start[i];
		const char *h = want_scalar(c, it, "priority");
		if (!h) {
			err = -EINVAL;
			continue;
		}
		a->priority[a->npriority].name = strdup(h);
		if (!a->priority[a->npriority].name)
			return -ENOMEM;
		a->priority[a->npriority].loc = at(c, it);
		a->priority[a->npriority].idx = -1;
		a->npriority++;
	}
	return err;
}

static const struct field arb_fields[] = {
	{"policy", F_ENUM, offsetof(struct topo_arb, policy), LOC(struct topo_arb, policy_loc),
	 arb_names, NULL, 0, 0, NULL, 0},
	{"weights", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_weights, 0},
	{"priority", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_priority, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static int load_arb(struct ctx *c, int node, struct topo_arb *a)
{
	return load_mapping(c, node, arb_fields, a, "arbitration");
}

static int load_switch_arb(struct ctx *c, int node, void *obj)
{
	return load_arb(c, node, &((struct topo_switch *)obj)->arb);
}

static int load_device_arb(struct ctx *c, int node, void *obj)
{
	return load_arb(c, node, &((struct topo_device *)obj)->arb);
}

static const struct field iommu_fields[] = {
	{"page_size", F_SIZE, offsetof(struct topo_iommu, page_size), NOLOC, NULL, page_sizes, 0, 0,
	 NULL, 0},
	{"iotlb_entries", F_UINT, offsetof(struct topo_iommu, iotlb_entries), NOLOC, NULL, NULL, 1,
	 1u << 20, NULL, 0},
	{"walk_latency", F_TIME, offsetof(struct topo_iommu, walk_latency), NOLOC, NULL, NULL, 0, 0,
	 NULL, 0},
	{"walkers", F_UINT, offsetof(struct topo_iommu, walkers), NOLOC, NULL, NULL, 1, 1024, NULL,
	 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static int load_iommu(struct ctx *c, int node, void *obj)
{
	return load_mapping(c, node, iommu_fields, &((struct topo_host *)obj)->iommu, "iommu");
}

static const struct field atc_fields[] = {
	{"entries", F_UINT, offsetof(struct topo_atc, entries), NOLOC, NULL, NULL, 1, 1u << 20, NULL,
	 0},
	{"policy", F_ENUM, offsetof(struct topo_atc, policy), NOLOC, atc_policy_names, NULL, 0, 0,
	 NULL, 0},
	{"scope", F_ENUM, offsetof(struct topo_atc, scope), NOLOC, atc_scope_names, NULL, 0, 0, NULL,
	 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static int load_atc(struct ctx *c, int node, void *obj)
{
	struct topo_atc *a = &((struct topo_device *)obj)->atc;

	a->present = true;
	return load_mapping(c, node, atc_fields, a, "atc");
}

/* assign.vfs: a count, or an explicit list of VF indices. */
static int load_assign_vfs(struct ctx *c, int node, void *obj)
{
	struct topo_assign *a = obj;
	yaml_node_t *n = ydoc_node(c->y, node);
	int err = 0;

	if (n && n->type == YAML_SEQUENCE_NODE) {
		size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
		a->explicit_list = true;
		a->vfs = calloc(cnt ? cnt : 1, sizeof(*a->vfs));
		a->vf_locs = calloc(cnt ? cnt : 1, sizeof(*a->vf_locs));
		if (!a->vfs || !a->vf_locs)
			return -ENOMEM;
		for (size_t i = 0; i < cnt; i++) {
			int it = n->data.sequence.items.start[i];
			const char *s = want_scalar(c, it, "vfs");
			if (visit(c, it))
				return -E2BIG;
			if (!s) {
				err = -EINVAL;
				continue;
			}
			if (units_parse_uint(s, 65535, &a->vfs[a->nvfs])) {
				diags_error(c->d, at(c, it), "vfs: expected a VF index from 0 to 65535, "
					    "got '%s'", s);
				err = -EINVAL;
				continue;
			}
			a->vf_locs[a->nvfs++] = at(c, it);
		}
		a->count = a->nvfs;
		if (!cnt) {
			diags_error(c->d, at(c, node), "vfs: the list of VF indices is empty");
			return -EINVAL;
		}
		return err;
	}
	const char *s = want_scalar(c, node, "vfs");
	if (!s)
		return -EINVAL;
	if (units_parse_uint(s, 65535, &a->count) || a->count == 0) {
		diags_error(c->d, at(c, node), "vfs: expected a number of VFs from 1 to 65535 or a "
			    "list of VF indices, got '%s'", s);
		return -EINVAL;
	}
	return 0;
}

/* workload.vfs: all | N */
static int load_workload_vfs(struct ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = want_scalar(c, node, "vfs");

	if (!s)
		return -EINVAL;
	if (strcmp(s, "all") == 0) {
		w->vfs_all = true;
		return 0;
	}
	if (units_parse_uint(s, 65535, &w->vfs_n) || w->vfs_n == 0) {
		diags_error(c->d, at(c, node), "vfs: expected all or a number of VFs from 1, got '%s'",
			    s);
		return -EINVAL;
	}
	w->vfs_all = false;
	return 0;
}

static int load_rate(struct ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = want_scalar(c, node, "rate");

	if (!s)
		return -EINVAL;
	if (units_parse_rate(s, &w->rate) || w->rate <= 0) {
		diags_error(c->d, at(c, node), "rate: expected a rate greater than 0 such as 25Gbps, "
			    "got '%s'", s);
		return -EINVAL;
	}
	w->has_rate = true;
	return 0;
}

static int load_outstanding(struct ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = want_scalar(c, node, "outstanding");

	if (!s)
		return -EINVAL;
	if (units_parse_uint(s, 65536, &w->outstanding) || w->outstanding == 0) {
		diags_error(c->d, at(c, node), "outstanding: expected a number of DMAs from 1 to "
			    "65536, got '%s'", s);
		return -EINVAL;
	}
	w->has_outstanding = true;
	return 0;
}

static int load_arrival(struct ctx *c, int node, void *obj)
{
	static const struct field f = {"arrival", F_ENUM, offsetof(struct topo_workload, arrival),
				       NOLOC, arrival_names, NULL, 0, 0, NULL, 0};
	((struct topo_workload *)obj)->arrival_given = true;
	return load_field(c, &f, node, obj);
}

/* pcie.link_overhead: spec | fraction of the raw rate in [0, 1). */
static int load_overhead(struct ctx *c, int node, void *obj)
{
	struct topo_pcie *p = obj;
	const char *s = want_scalar(c, node, "link_overhead");
	double v;

	if (!s)
		return -EINVAL;
	if (strcmp(s, "spec") == 0) {
		p->overhead_spec = true;
		return 0;
	}
	if (units_parse_time(s, &v) == 0 && strspn(s, "0123456789.eE+-") == strlen(s) && v < 1) {
		p->overhead_spec = false;
		p->overhead_fraction = v;
		return 0;
	}
	diags_error(c->d, at(c, node), "link_overhead: expected spec or a fraction from 0 to below 1, "
		    "got '%s'", s);
	return -EINVAL;
}

/* workload.unmap_rate (extension): pages the host unmaps per second, a plain number. */
static int load_unmap_rate(struct ctx *c, int node, void *obj)
{
	struct topo_workload *w = obj;
	const char *s = want_scalar(c, node, "unmap_rate");
	double v;

	if (!s)
		return -EINVAL;
	if (strspn(s, "0123456789.eE+") != strlen(s) || units_parse_rate(s, &v) || v > 1e12) {
		diags_error(c->d, at(c, node), "unmap_rate: expected a number of unmaps per second "
			    "from 0 to 1e12, got '%s'", s);
		return -EINVAL;
	}
	w->unmap_rate = v;
	return 0;
}

static const struct field host_fields[] = {
	{"name", F_NAME, offsetof(struct topo_host, name), LOC(struct topo_host, loc), NULL, NULL, 0,
	 0, NULL, 1},
	{"memory_latency", F_TIME, offsetof(struct topo_host, memory_latency), NOLOC, NULL, NULL, 0, 0,
	 NULL, 0},
	{"iommu", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_iommu, 0},
	{"buffer", F_SIZE, offsetof(struct topo_host, buffer), NOLOC, NULL, NULL, 1, 1ull << 30, NULL,
	 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field switch_fields[] = {
	{"name", F_NAME, offsetof(struct topo_switch, name), LOC(struct topo_switch, loc), NULL, NULL,
	 0, 0, NULL, 1},
	{"latency", F_TIME, offsetof(struct topo_switch, latency), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"buffer", F_SIZE, offsetof(struct topo_switch, buffer), NOLOC, NULL, NULL, 1, 1ull << 30,
	 NULL, 0},
	{"flow_control", F_ENUM, offsetof(struct topo_switch, flow_control), NOLOC, fc_names, NULL, 0,
	 0, NULL, 0},
	{"arbitration", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_switch_arb, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field device_fields[] = {
	{"name", F_NAME, offsetof(struct topo_device, name), LOC(struct topo_device, loc), NULL, NULL,
	 0, 0, NULL, 1},
	{"kind", F_ENUM, offsetof(struct topo_device, kind), NOLOC, kind_names, NULL, 0, 0, NULL, 0},
	{"total_vfs", F_UINT, offsetof(struct topo_device, total_vfs),
	 LOC(struct topo_device, total_vfs_loc), NULL, NULL, 1, 65535, NULL, 0},
	{"max_vhs", F_UINT, offsetof(struct topo_device, max_vhs), LOC(struct topo_device, max_vhs_loc),
	 NULL, NULL, 1, 255, NULL, 0},
	{"atc", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_atc, 0},
	{"arbitration", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_device_arb, 0},
	{"max_rate", F_RATE, offsetof(struct topo_device, max_rate), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field link_fields[] = {
	{"a", F_REF, offsetof(struct topo_link, a), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"b", F_REF, offsetof(struct topo_link, b), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"gen", F_UINT, offsetof(struct topo_link, gen), NOLOC, NULL, NULL, 1, 6, NULL, 1},
	{"width", F_UINT, offsetof(struct topo_link, width), NOLOC, NULL, widths, 0, 0, NULL, 1},
	{"latency", F_TIME, offsetof(struct topo_link, latency), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"name", F_NAME, offsetof(struct topo_link, name), LOC(struct topo_link, name_loc), NULL, NULL,
	 0, 0, NULL, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field assign_fields[] = {
	{"host", F_REF, offsetof(struct topo_assign, host), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"device", F_REF, offsetof(struct topo_assign, device), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"vfs", F_CUSTOM, 0, LOC(struct topo_assign, count_loc), NULL, NULL, 0, 0, load_assign_vfs, 1},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field workload_fields[] = {
	{"name", F_NAME, offsetof(struct topo_workload, name), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"host", F_REF, offsetof(struct topo_workload, host), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"device", F_REF, offsetof(struct topo_workload, device), NOLOC, NULL, NULL, 0, 0, NULL, 1},
	{"vfs", F_CUSTOM, 0, LOC(struct topo_workload, vfs_loc), NULL, NULL, 0, 0, load_workload_vfs,
	 0},
	{"op", F_ENUM, offsetof(struct topo_workload, op), NOLOC, op_names, NULL, 0, 0, NULL, 1},
	{"size", F_SIZE, offsetof(struct topo_workload, size), NOLOC, NULL, NULL, 1, 1ull << 30, NULL,
	 1},
	{"rate", F_CUSTOM, 0, LOC(struct topo_workload, rate_loc), NULL, NULL, 0, 0, load_rate, 0},
	{"arrival", F_CUSTOM, 0, LOC(struct topo_workload, arrival_loc), NULL, NULL, 0, 0,
	 load_arrival, 0},
	{"outstanding", F_CUSTOM, 0, LOC(struct topo_workload, outstanding_loc), NULL, NULL, 0, 0,
	 load_outstanding, 0},
	{"pattern", F_ENUM, offsetof(struct topo_workload, pattern), NOLOC, pattern_names, NULL, 0, 0,
	 NULL, 0},
	{"footprint", F_SIZE, offsetof(struct topo_workload, footprint),
	 LOC(struct topo_workload, footprint_loc), NULL, NULL, 1, 1ull << 50, NULL, 0},
	{"start", F_TIME, offsetof(struct topo_workload, start), LOC(struct topo_workload, start_loc),
	 NULL, NULL, 0, 0, NULL, 0},
	{"stop", F_TIME, offsetof(struct topo_workload, stop), LOC(struct topo_workload, stop_loc),
	 NULL, NULL, 0, 0, NULL, 0},
	{"unmap_rate", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_unmap_rate, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field run_fields[] = {
	{"duration", F_TIME, offsetof(struct topo_run, duration), NOLOC, NULL, NULL, 1, 0, NULL, 0},
	{"warmup", F_TIME, offsetof(struct topo_run, warmup), LOC(struct topo_run, warmup_loc), NULL,
	 NULL, 0, 0, NULL, 0},
	{"seed", F_UINT, offsetof(struct topo_run, seed), NOLOC, NULL, NULL, 0, UINT64_MAX, NULL, 0},
	{"bin", F_TIME, offsetof(struct topo_run, bin), LOC(struct topo_run, bin_loc), NULL, NULL, 0,
	 0, NULL, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static const struct field pcie_fields[] = {
	{"mps", F_UINT, offsetof(struct topo_pcie, mps), NOLOC, NULL, payload_sizes, 0, 0, NULL, 0},
	{"mrrs", F_UINT, offsetof(struct topo_pcie, mrrs), NOLOC, NULL, payload_sizes, 0, 0, NULL, 0},
	{"rcb", F_UINT, offsetof(struct topo_pcie, rcb), NOLOC, NULL, rcb_sizes, 0, 0, NULL, 0},
	{"tags", F_UINT, offsetof(struct topo_pcie, tags), NOLOC, NULL, NULL, 1, 1024, NULL, 0},
	{"address_bits", F_UINT, offsetof(struct topo_pcie, address_bits), NOLOC, NULL, addr_bits, 0,
	 0, NULL, 0},
	{"ecrc", F_BOOL, offsetof(struct topo_pcie, ecrc), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"completions", F_ENUM, offsetof(struct topo_pcie, completions), NOLOC, cpl_names, NULL, 0, 0,
	 NULL, 0},
	{"link_overhead", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_overhead, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

/* ---- defaults (contract §1 "Defaults") ---- */

static void arb_defaults(struct topo_arb *a)
{
	a->policy = ARB_RR;
}

static void host_defaults(struct topo_host *h)
{
	h->memory_latency = 100e-9;
	h->buffer = 16384;
	h->iommu.page_size = 4096;
	h->iommu.iotlb_entries = 64;
	h->iommu.walk_latency = 250e-9;
	h->iommu.walkers = 4;
	h->link = -1;
}

static void switch_defaults(struct topo_switch *s)
{
	s->latency = 150e-9;
	s->buffer = 16384;
	s->flow_control = FC_PER_VH;
	arb_defaults(&s->arb);
}

static void device_defaults(struct topo_device *d)
{
	d->kind = DEV_GENERIC;
	d->total_vfs = 64;
	d->max_vhs = 8;
	d->atc.entries = 32;
	d->atc.policy = ATC_LRU;
	d->atc.scope = ATC_PER_VF;
	arb_defaults(&d->arb);
	d->link = -1;
}

static void link_defaults(struct topo_link *l)
{
	l->latency = 20e-9;
	l->a.idx = l->b.idx = -1;
}

static void workload_defaults(struct topo_workload *w)
{
	w->vfs_all = true;
	w->arrival = ARRIVAL_POISSON;
	w->pattern = PATTERN_SEQUENTIAL;
	w->footprint = 1048576;
}

/* ---- top level ---- */

#define DEFINE_LIST_LOADER(fn, T, arr, cnt, tab, what, defaults)                             \
	static int fn(struct ctx *c, int node, void *obj)                                      \
	{                                                                                       \
		struct topo *t = obj;                                                           \
		yaml_node_t *s = ydoc_node(c->y, node);                                         \
		size_t n;                                                                       \
		int err = 0;                                                                    \
		if (!s || s->type != YAML_SEQUENCE_NODE) {                                      \
			diags_error(c->d, at(c, node), "%s: expected a list, got %s", what,     \
				    s ? type_name(s) : "nothing");                              \
			return -EINVAL;                                                         \
		}                                                                               \
		n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);        \
		t->arr = calloc(n ? n : 1, sizeof(T));                                       \
		if (!t->arr)                                                                    \
			return -ENOMEM;                                                         \
		for (size_t i = 0; i < n; i++) {                                                \
			T *o = &t->arr[i];                                                   \
			int it = s->data.sequence.items.start[i];                               \
			struct loc prev = enter_use(c, node, (int)i, it);                       \
			int e;                                                                  \
			defaults(o);                                                            \
			t->cnt = i + 1;                                                         \
			o->loc = at_use(c, it);                                                 \
			e = load_mapping(c, it, tab, o, what);                                  \
			c->via = prev;                                                          \
			if (e == -ENOMEM || e == -E2BIG)                                        \
				return e;                                                       \
			if (e)                                                                  \
				err = e;                                                        \
		}                                                                               \
		return err;                                                                     \
	}

static void assign_defaults(struct topo_assign *a)
{
	a->host.idx = a->device.idx = -1;
}

DEFINE_LIST_LOADER(load_host_list, struct topo_host, hosts, nhosts, host_fields, "hosts",
		   host_defaults)
DEFINE_LIST_LOADER(load_switches, struct topo_switch, switches, nswitches, switch_fields,
		   "switches", switch_defaults)
DEFINE_LIST_LOADER(load_devices, struct topo_device, devices, ndevices, device_fields, "devices",
		   device_defaults)
DEFINE_LIST_LOADER(load_links, struct topo_link, links, nlinks, link_fields, "links",
		   link_defaults)
DEFINE_LIST_LOADER(load_assigns, struct topo_assign, assigns, nassigns, assign_fields, "assign",
		   assign_defaults)
DEFINE_LIST_LOADER(load_workloads, struct topo_workload, workloads, nworkloads, workload_fields,
		   "workloads", workload_defaults)

/* Every VH belongs to a host: a chassis without one has nothing to simulate. */
static int load_hosts(struct ctx *c, int node, void *obj)
{
	int err = load_host_list(c, node, obj);
	yaml_node_t *s = ydoc_node(c->y, node);

	if (!err && s->data.sequence.items.top == s->data.sequence.items.start) {
		diags_error(c->d, at(c, node), "hosts: at least one host is required");
		return -EINVAL;
	}
	return err;
}

static int load_run(struct ctx *c, int node, void *obj)
{
	return load_mapping(c, node, run_fields, &((struct topo *)obj)->run, "run");
}

static int load_pcie(struct ctx *c, int node, void *obj)
{
	return load_mapping(c, node, pcie_fields, &((struct topo *)obj)->pcie, "pcie");
}

static int load_topo_name(struct ctx *c, int node, void *obj)
{
	struct topo *t = obj;
	const char *s = want_scalar(c, node, "name");

	if (!s)
		return -EINVAL;
	if (!valid_name(s, 1)) {
		diags_error(c->d, at(c, node), "name: '%s' is not a valid topology name "
			    "(letters, digits, '_', '.' and '-')", s);
		return -EINVAL;
	}
	t->name = strdup(s);
	return t->name ? 0 : -ENOMEM;
}

static const struct field top_fields[] = {
	{"name", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_topo_name, 1},
	{"description", F_STR, offsetof(struct topo, description), NOLOC, NULL, NULL, 0, 0, NULL, 0},
	{"run", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_run, 0},
	{"pcie", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_pcie, 0},
	{"hosts", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_hosts, 1},
	{"switches", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_switches, 0},
	{"devices", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_devices, 1},
	{"links", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_links, 1},
	{"assign", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_assigns, 0},
	{"workloads", F_CUSTOM, 0, NOLOC, NULL, NULL, 0, 0, load_workloads, 0},
	{NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, 0}};

static void topo_defaults(struct topo *t)
{
	t->run.duration = 1e-3;
	t->run.seed = 1;
	t->pcie.mps = 256;
	t->pcie.mrrs = 512;
	t->pcie.rcb = 64;
	t->pcie.tags = 256;
	t->pcie.address_bits = 64;
	t->pcie.completions = CPL_MPS;
	t->pcie.overhead_spec = true;
}

/* Default names: links "<a>-<b>", workloads "w<index>". */
static int default_names(struct topo *t)
{
	for (size_t i = 0; i < t->nlinks; i++) {
		struct topo_link *l = &t->links[i];
		if (!l->name && l->a.name && l->b.name) {
			size_t n = strlen(l->a.name) + strlen(l->b.name) + 2;
			l->name = malloc(n);
			if (!l->name)
				return -ENOMEM;
			snprintf(l->name, n, "%s-%s", l->a.name, l->b.name);
			l->name_loc = l->loc;
		}
	}
	for (size_t i = 0; i < t->nworkloads; i++) {
		struct topo_workload *w = &t->workloads[i];
		if (!w->name) {
			char buf[32];
			snprintf(buf, sizeof(buf), "w%zu", i);
			w->name = strdup(buf);
			if (!w->name)
				return -ENOMEM;
		}
	}
	return 0;
}

/* Whether the character at m is a tab with only blanks before it on its line. */
static int tab_in_indentation(const char *buf, size_t len, yaml_mark_t m)
{
	size_t i = 0;

	for (size_t line = 0; line < m.line && i < len; i++)
		if (buf[i] == '\n')
			line++;
	if (m.column >= len - i)
		return 0;
	for (size_t k = 0; k < m.column; k++)
		if (buf[i + k] != ' ' && buf[i + k] != '\t')
			return 0;
	return buf[i + m.column] == '\t';
}

/* libyaml's explanation, in other words for two common mistakes: an unclosed bracket, which
 * libyaml reports where it gave up (often lines later) rather than at the bracket, and a tab
 * in the indentation, which it mostly calls a character that cannot start any token. */
static void syntax_error(struct diags *d, const char *file, yaml_parser_t *p, const char *buf,
			 size_t len)
{
	struct loc l = {file, (int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1};
	const char *what = p->problem ? p->problem : "cannot read the YAML";
	const char *ctx = p->context ? p->context : "";
	int flow_map = strcmp(ctx, "while parsing a flow mapping") == 0;

	if ((flow_map || strcmp(ctx, "while parsing a flow sequence") == 0) &&
	    strncmp(what, "did not find expected ',' or ", 29) == 0) {
		struct loc open = {file, (int)p->context_mark.line + 1,
				   (int)p->context_mark.column + 1};
		diags_error(d, open, "YAML syntax: '%c' is not closed: %s before line %d, column %d",
			    flow_map ? '{' : '[', what, l.line, l.col);
	} else if ((strcmp(what, "found character that cannot start any token") == 0 &&
		    tab_in_indentation(buf, len, p->problem_mark)) ||
		   strncmp(what, "found a tab character ", 22) == 0) {
		diags_error(d, l, "YAML syntax: tab character in indentation; indent with spaces");
	} else if (*ctx) {
		diags_error(d, l, "YAML syntax: %s %s", what, ctx);
	} else {
		diags_error(d, l, "YAML syntax: %s", what);
	}
}

/* First pass (ydoc_scan): nesting too deep for libyaml's loader is refused before the loader
 * sees it, and aliases are located. Returns 0, -EINVAL after reporting, or -ENOMEM. */
static int prescan(struct ydoc *y, const char *buf, size_t len, struct diags *d)
{
	yaml_parser_t p;
	yaml_mark_t deep;
	int err;

	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	err = ydoc_scan(&p, y, &deep);
	if (err == -EINVAL)
		syntax_error(d, y->file, &p, buf, len);
	if (err == -E2BIG) {
		diags_error(d, (struct loc){y->file, (int)deep.line + 1, (int)deep.column + 1},
			    "nesting deeper than %d levels", YDOC_MAX_DEPTH);
		err = -EINVAL;
	}
	yaml_parser_delete(&p);
	return err;
}

/* Parse buf into y->doc (*loaded: y->doc is to be deleted). One document holding a topology,
 * nothing after it. Returns 0, -EINVAL after reporting, or -ENOMEM. */
static int read_document(struct ydoc *y, const char *buf, size_t len, struct diags *d,
			 int *loaded)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	yaml_node_t *r2;
	int err = prescan(y, buf, len, d);

	if (err)
		return err;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		err = parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
		if (err == -EINVAL)
			syntax_error(d, y->file, &parser, buf, len);
		yaml_parser_delete(&parser);
		return err;
	}
	*loaded = 1;
	y->nfile_nodes = (int)(y->doc.nodes.top - y->doc.nodes.start);
	/* "---" alone is a document whose root is null: no more a topology than an empty file */
	r2 = yaml_document_get_root_node(&y->doc);
	if (!r2 || is_null_scalar(r2)) {
		diags_error(d, (struct loc){y->file, 1, 1}, "the file holds no topology");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		syntax_error(d, y->file, &parser, buf, len);
		err = -EINVAL;
	} else {
		/* A second document in the stream is an error: one topology per file. */
		r2 = yaml_document_get_root_node(&extra);
		if (r2) {
			diags_error(d, (struct loc){y->file, (int)r2->start_mark.line + 1,
						    (int)r2->start_mark.column + 1},
				    "only one YAML document per topology file");
			err = -EINVAL;
		}
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	return err;
}

struct topo *topo_load_buffer(const char *buf, size_t len, const char *file, char *const *sets,
			      size_t nsets, struct diags *diags)
{
	struct ydoc y;
	struct ctx c;
	struct topo *t;
	int err, have_doc = 0;

	memset(&y, 0, sizeof(y));
	t = calloc(1, sizeof(*t));
	if (!t || !(t->file = strdup(file))) {
		free(t);
		diags_error(diags, (struct loc){file, 0, 0}, "out of memory");
		return NULL;
	}
	y.file = t->file;
	topo_defaults(t);
	err = read_document(&y, buf, len, diags, &have_doc);
	if (err)
		goto fail;
	/* A path that names nothing is reported, and the file's values are still read and
	 * checked; the rules across keys are not (the topology is not the one meant). */
	int set_err = ydoc_apply_sets(&y, sets, (int)nsets, diags);
	if (set_err == -ENOMEM) {
		err = set_err;
		goto fail;
	}
	c = (struct ctx){.y = &y, .t = t, .d = diags};
	err = load_mapping(&c, 1, top_fields, t, "the topology");
	if (!err)
		err = set_err;
	if (err)
		goto fail;
	err = default_names(t);
	if (err)
		goto fail;
	yaml_document_delete(&y.doc);
	ydoc_release(&y);
	if (topo_validate(t, diags) || vh_build(t, diags) || func_build(t, diags) ||
	    isolation_check(t, diags)) {
		topo_destroy(t);
		return NULL;
	}
	return t;
fail:
	if (err == -ENOMEM)
		diags_error(diags, (struct loc){y.file, 0, 0}, "out of memory");
	if (have_doc)
		yaml_document_delete(&y.doc);
	ydoc_release(&y);
	topo_destroy(t);
	return NULL;
}

struct topo *topo_load_file(const char *path, char *const *sets, size_t nsets,
			    struct diags *diags)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct topo *t;

	if (!f) {
		diags_error(diags, (struct loc){path, 0, 0}, "cannot open: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > (64u << 20)) {
				diags_error(diags, (struct loc){path, 0, 0}, "file larger than 64 MiB");
				goto fail;
			}
			nb = realloc(buf, cap);
			if (!nb)
				goto fail;
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diags_error(diags, (struct loc){path, 0, 0}, "cannot read: %s", strerror(errno));
		goto fail;
	}
	fclose(f);
	t = topo_load_buffer(buf, len, path, sets, nsets, diags);
	free(buf);
	return t;
fail:
	fclose(f);
	free(buf);
	return NULL;
}
