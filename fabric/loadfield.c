/* loadfield.c - the generic part of the table-driven loader: values of each type with their
 * units and ranges, mappings through field tables, alias-aware locations. */
#include "loadfield.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct loc load_at(struct load_ctx *c, int node)
{
	return ydoc_loc(c->y, node);
}

/* Where a value is used, for the locations kept in struct topo: through an alias ("- *h")
 * that is the alias, not the anchored text, so that "name 'h0' is already used" points at
 * the second use. Messages about the text itself still use load_at(). */
struct loc load_at_use(struct load_ctx *c, int node)
{
	return c->via.line ? c->via : load_at(c, node);
}

/* Enter child pos of parent (node): returns the previous alias location, to be restored when
 * the child is done. An outer alias wins: all of its content is used at that alias. */
struct loc load_enter_use(struct load_ctx *c, int parent, int pos, int node)
{
	struct loc prev = c->via, l;

	if (!prev.line && ydoc_alias_at(c->y, parent, pos, node, &l))
		c->via = l;
	return prev;
}

int load_visit(struct load_ctx *c, int node)
{
	if (++c->visits > LOADER_MAX_VISITS) {
		if (!c->too_big)
			diags_error(c->d, load_at(c, node), "the document is too large (more than %d nodes "
				    "after expanding aliases)", LOADER_MAX_VISITS);
		c->too_big = 1;
		return -E2BIG;
	}
	return 0;
}

const char *load_type_name(yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

/* YAML's null written plainly ("key:", "key: ~", "key: null"); a quoted "~" is text. */
int load_is_null(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = (const char *)n->data.scalar.value;
	return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0;
}

/* Scalar text of a value, or NULL after reporting what is wrong with it. */
const char *load_want_scalar(struct load_ctx *c, int node, const char *key)
{
	yaml_node_t *n = ydoc_node(c->y, node);
	const char *s;

	if (!n || n->type != YAML_SCALAR_NODE) {
		diags_error(c->d, load_at(c, node), "%s: expected a value, got %s", key,
			    n ? load_type_name(n) : "nothing");
		return NULL;
	}
	s = (const char *)n->data.scalar.value;
	if (load_is_null(n)) {
		diags_error(c->d, load_at(c, node), "%s: a value is required", key);
		return NULL;
	}
	if (strlen(s) != n->data.scalar.length) {
		diags_error(c->d, load_at(c, node), "%s: the value contains a NUL character", key);
		return NULL;
	}
	return s;
}

/* The closest of names to s, when close enough to be a likely typo; else NULL. */
const char *load_suggest(const char *s, const char *const *names, size_t stride, size_t n)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, s);
	for (size_t i = 0; i < n; i++)
		diag_suggest_offer(&sg, *(const char *const *)((const char *)names + i * stride));
	return sg.best;
}

int load_valid_name(const char *s, int allow_dot)
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
static int load_quantity(struct load_ctx *c, const struct field *f, int node, const char *s,
			 double *out)
{
	int (*parse)(const char *, double *) = f->type == F_TIME ? units_parse_time
								  : units_parse_rate;
	double v;

	if (s[0] == '-' && parse(s + 1, &v) == 0) {
		diags_error(c->d, load_at(c, node), "%s: must not be negative, got '%s'", f->key, s);
		return -EINVAL;
	}
	if (parse(s, out)) {
		diags_error(c->d, load_at(c, node), f->type == F_TIME ?
			    "%s: expected a time such as 150ns, 2.5us or 1ms, got '%s'" :
			    "%s: expected a rate such as 25Gbps or 3GBps, got '%s'", f->key, s);
		return -EINVAL;
	}
	if (f->min && *out <= 0) {
		diags_error(c->d, load_at(c, node), "%s: must be greater than 0", f->key);
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
static int load_count(struct load_ctx *c, const struct field *f, int node, const char *s,
		      uint64_t *out)
{
	int sized = f->type == F_SIZE;
	int neg = s[0] == '-';
	char range[160];
	uint64_t v = 0;
	int err = sized ? units_parse_size(s + neg, &v) : units_parse_uint(s + neg, UINT64_MAX, &v);

	if (err && err != -ERANGE) {
		diags_error(c->d, load_at(c, node), sized ?
			    "%s: expected a size such as 256B, 16KiB or 1MB, got '%s'" :
			    "%s: expected a whole number, got '%s'", f->key, s);
		return -EINVAL;
	}
	if (!neg && !err && (f->allowed ? in_set(f->allowed, v) : v >= f->min && v <= f->max)) {
		*out = v;
		return 0;
	}
	if (!f->allowed && f->max == UINT64_MAX && (neg || (!err && v < f->min))) {
		diags_error(c->d, load_at(c, node), "%s: must be at least %llu, got '%s'", f->key,
			    (unsigned long long)f->min, s);
		return -EINVAL;
	}
	count_range(range, sizeof(range), f);
	diags_error(c->d, load_at(c, node), "%s: expected %s, got '%s'", f->key, range, s);
	return -EINVAL;
}

int load_field(struct load_ctx *c, const struct field *f, int node, void *obj)
{
	char *p = (char *)obj + f->off;
	const char *s;
	char allowed[160];

	if (f->loc_off)
		*(struct loc *)((char *)obj + f->loc_off - 1) = load_at_use(c, node);
	if (f->type == F_CUSTOM)
		return f->custom(c, node, obj);
	if (f->type == F_MAP)
		return load_mapping(c, node, f->sub, p, f->key);
	s = load_want_scalar(c, node, f->key);
	if (!s)
		return -EINVAL;
	switch (f->type) {
	case F_STR:
	case F_NAME: {
		char **dst = (char **)p;
		if (f->type == F_NAME && !load_valid_name(s, 0)) {
			diags_error(c->d, load_at(c, node), "%s: '%s' is not a valid name "
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
		r->loc = load_at_use(c, node);
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
		diags_error(c->d, load_at(c, node), "%s: expected %s, got '%s'", f->key, allowed, s);
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
		diags_error(c->d, load_at(c, node), "%s: expected true or false, got '%s'", f->key, s);
		return -EINVAL;
	case F_MAP:
	case F_CUSTOM:
		break;
	}
	return -EINVAL;
}

static int field_default(const struct field *f, void *obj)
{
	char *p = (char *)obj + f->off;

	switch (f->type) {
	case F_TIME: return units_parse_time(f->def, (double *)p);
	case F_RATE: return units_parse_rate(f->def, (double *)p);
	case F_SIZE: return units_parse_size(f->def, (uint64_t *)p);
	case F_UINT: return units_parse_uint(f->def, UINT64_MAX, (uint64_t *)p);
	case F_BOOL:
		*(bool *)p = strcmp(f->def, "true") == 0;
		return *(bool *)p || strcmp(f->def, "false") == 0 ? 0 : -EINVAL;
	case F_ENUM:
		for (int i = 0; f->names[i]; i++) {
			if (strcmp(f->names[i], f->def) == 0) {
				*(int *)p = i;
				return 0;
			}
		}
		return -EINVAL;
	default:
		return 0; /* custom keys: their owner sets them */
	}
}

int fields_defaults(const struct field *tab, void *obj)
{
	int err = 0;

	for (const struct field *f = tab; f->key; f++) {
		if (f->sub && !(f->flags & FL_LIST)) {
			if (fields_defaults(f->sub, (char *)obj + f->off))
				err = -EINVAL;
		} else if (f->def && field_default(f, obj)) {
			err = -EINVAL;
		}
	}
	return err;
}

/* Load mapping node into obj through the field table; what names the mapping in messages. */
int load_mapping(struct load_ctx *c, int node, const struct field *tab, void *obj,
			const char *what)
{
	yaml_node_t *m = ydoc_node(c->y, node);
	uint64_t seen = 0, suggested = 0;
	int err = 0;
	size_t ntab = 0;

	if (load_visit(c, node))
		return -E2BIG;
	if (!m || m->type != YAML_MAPPING_NODE) {
		diags_error(c->d, load_at(c, node), "%s: expected a mapping, got %s", what,
			    m ? load_type_name(m) : "nothing");
		return -EINVAL;
	}
	while (tab[ntab].key)
		ntab++;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *key = ydoc_scalar(c->y, p->key);
		size_t i;

		if (load_visit(c, p->value))
			return -E2BIG;
		if (!key) {
			diags_error(c->d, load_at(c, p->key), "%s: keys must be plain names", what);
			err = -EINVAL;
			continue;
		}
		for (i = 0; i < ntab; i++)
			if (strcmp(tab[i].key, key) == 0)
				break;
		if (i == ntab) {
			const char *s = load_suggest(key, &tab[0].key, sizeof(tab[0]), ntab);
			if (s) {
				/* the suggestion already says what is missing: no second message */
				for (size_t j = 0; j < ntab; j++)
					if (tab[j].key == s)
						suggested |= 1ull << j;
				diags_error(c->d, load_at(c, p->key), "unknown key '%s' in %s; did you mean "
					    "'%s'?", key, what, s);
			} else
				diags_error(c->d, load_at(c, p->key), "unknown key '%s' in %s", key, what);
			err = -EINVAL;
			continue;
		}
		if (seen & (1ull << i)) {
			diags_error(c->d, load_at(c, p->key), "duplicate key '%s' in %s", key, what);
			err = -EINVAL;
			continue;
		}
		seen |= 1ull << i;
		struct loc prev = load_enter_use(c, node, 2 * (int)(p - m->data.mapping.pairs.start) + 1,
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
			diags_error(c->d, load_at(c, node), "%s: missing required key '%s'", what, tab[i].key);
			err = -EINVAL;
		}
	}
	return err;
}
