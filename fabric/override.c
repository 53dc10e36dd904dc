/* override.c - `--set PATH=VALUE`: edit the parsed YAML document before validation. */
#include "override.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The style is kept so that a plain "~" or empty VALUE is null, as in a file. */
static int add_scalar(struct ydoc *y, const char *s, size_t len, yaml_scalar_style_t style)
{
	return yaml_document_add_scalar(&y->doc, NULL, (const yaml_char_t *)s, (int)len, style);
}

/* Room a VALUE's aliases get beyond its own nodes: "&w 3 ... *w" is fine, a billion laughs
 * (each alias repeating the anchor before it) is not. */
#define COPY_EXTRA_NODES 65536

/* Copy node src of a parsed VALUE document into y. Depth-limited (VALUE may alias itself)
 * and size-limited (*budget nodes at most: aliases may repeat a node exponentially often);
 * *deep says which limit stopped the copy: 1 depth, 2 size. */
static int copy_node(struct ydoc *y, yaml_document_t *src, int idx, int depth, int *deep,
		     long *budget)
{
	yaml_node_t *n = yaml_document_get_node(src, idx);
	int out;

	if (!n)
		return 0;
	if (depth > 16) {
		*deep = 1;
		return 0;
	}
	if (--*budget < 0) {
		*deep = 2;
		return 0;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return add_scalar(y, (const char *)n->data.scalar.value, n->data.scalar.length,
				  n->data.scalar.style);
	case YAML_SEQUENCE_NODE:
		out = yaml_document_add_sequence(&y->doc, NULL, YAML_FLOW_SEQUENCE_STYLE);
		if (!out)
			return 0;
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			int c = copy_node(y, src, *it, depth + 1, deep, budget);
			if (!c || !yaml_document_append_sequence_item(&y->doc, out, c))
				return 0;
		}
		return out;
	case YAML_MAPPING_NODE:
		out = yaml_document_add_mapping(&y->doc, NULL, YAML_FLOW_MAPPING_STYLE);
		if (!out)
			return 0;
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
		     p++) {
			int k = copy_node(y, src, p->key, depth + 1, deep, budget);
			int v = k ? copy_node(y, src, p->value, depth + 1, deep, budget) : 0;
			if (!v || !yaml_document_append_mapping_pair(&y->doc, out, k, v))
				return 0;
		}
		return out;
	default:
		return 0;
	}
}

/* VALUE is YAML too ("8", "wrr", "{blade0: 3}", "[blade1, blade0]"); an empty VALUE, or one
 * that holds only a comment, is null, like "key:" in a file. Returns the new node, or
 * -ENOMEM; -EINVAL when VALUE is not YAML; -E2BIG when it nests deeper than YDOC_MAX_DEPTH
 * as written (*deep_col: the 0-based column where); -ELOOP when it nests deeper than any
 * key of the topology (an alias that names itself does); -EOVERFLOW when its aliases expand
 * it to too many nodes. */
static int parse_value(struct ydoc *y, const char *value, int *deep_col)
{
	yaml_parser_t p;
	yaml_document_t vdoc;
	yaml_mark_t deep_at;
	int out, deep = 0;
	long budget;

	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)value, strlen(value));
	out = ydoc_scan(&p, NULL, &deep_at);
	yaml_parser_delete(&p);
	if (out == -E2BIG)
		*deep_col = (int)deep_at.column;
	if (out)
		return out;
	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)value, strlen(value));
	if (!yaml_parser_load(&p, &vdoc)) {
		out = p.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
	} else {
		budget = (long)(vdoc.nodes.top - vdoc.nodes.start) + COPY_EXTRA_NODES;
		if (!yaml_document_get_root_node(&vdoc))
			out = add_scalar(y, "", 0, YAML_PLAIN_SCALAR_STYLE);
		else
			out = copy_node(y, &vdoc, 1, 0, &deep, &budget);
		yaml_document_delete(&vdoc);
		if (deep)
			out = deep == 1 ? -ELOOP : -EOVERFLOW;
		else if (!out)
			out = -ENOMEM;
	}
	yaml_parser_delete(&p);
	return out;
}

/* The key that identifies an item of a top-level list in a path: links by name or
 * "<a>-<b>", assign and events by index, everything else by name. */
static int find_item(struct ydoc *y, const char *list, int seq, const char *id)
{
	yaml_node_t *s = ydoc_node(y, seq);
	int i = 0;

	if (!s || s->type != YAML_SEQUENCE_NODE)
		return 0;
	for (yaml_node_item_t *it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	     it++, i++) {
		const char *name = ydoc_scalar(y, ydoc_map_get(y, *it, "name"));
		if (strcmp(list, "assign") == 0 || strcmp(list, "events") == 0) {
			char buf[24];
			snprintf(buf, sizeof(buf), "%d", i);
			if (strcmp(buf, id) == 0)
				return *it;
			continue;
		}
		if (name && strcmp(name, id) == 0)
			return *it;
		if (!name && strcmp(list, "links") == 0) {
			const char *a = ydoc_scalar(y, ydoc_map_get(y, *it, "a"));
			const char *b = ydoc_scalar(y, ydoc_map_get(y, *it, "b"));
			size_t la = a ? strlen(a) : 0;
			if (a && b && strncmp(id, a, la) == 0 && id[la] == '-' &&
			    strcmp(id + la + 1, b) == 0)
				return *it;
		}
		if (!name && strcmp(list, "workloads") == 0) {
			char buf[24];
			snprintf(buf, sizeof(buf), "w%d", i);
			if (strcmp(buf, id) == 0)
				return *it;
		}
	}
	return 0;
}

/* The identifier of item i of a top-level list, as find_item() matches it, in buf. */
static const char *item_id(struct ydoc *y, const char *list, int item, int i, char *buf,
			   size_t len)
{
	const char *name = ydoc_scalar(y, ydoc_map_get(y, item, "name"));

	if (strcmp(list, "assign") == 0 || strcmp(list, "events") == 0) {
		snprintf(buf, len, "%d", i);
		return buf;
	}
	if (name)
		return name;
	if (strcmp(list, "links") == 0) {
		const char *a = ydoc_scalar(y, ydoc_map_get(y, item, "a"));
		const char *b = ydoc_scalar(y, ydoc_map_get(y, item, "b"));
		if (!a || !b)
			return NULL;
		snprintf(buf, len, "%s-%s", a, b);
		return buf;
	}
	if (strcmp(list, "workloads") == 0) {
		snprintf(buf, len, "w%d", i);
		return buf;
	}
	return NULL;
}

/* The item identifier of list seq closest to id, copied to out (empty when none is near). */
static void nearest_item(struct ydoc *y, const char *list, int seq, const char *id, char *out,
			 size_t len)
{
	yaml_node_t *s = ydoc_node(y, seq);
	struct diag_suggest sg;
	char buf[256];
	int i = 0;

	out[0] = '\0';
	if (!s || s->type != YAML_SEQUENCE_NODE || strcmp(list, "assign") == 0 ||
	    strcmp(list, "events") == 0)
		return;
	diag_suggest_init(&sg, id);
	for (yaml_node_item_t *it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	     it++, i++) {
		const char *cand = item_id(y, list, *it, i, buf, sizeof(buf));
		diag_suggest_offer(&sg, cand);
		if (sg.best == cand) {
			snprintf(out, len, "%s", cand);
			sg.best = out; /* buf is reused: keep the best where it stays */
		}
	}
}

static int is_list_key(const char *k)
{
	static const char *const lists[] = {"hosts", "switches", "devices", "links",
					    "assign", "workloads", "events", NULL};
	for (int i = 0; lists[i]; i++)
		if (strcmp(k, lists[i]) == 0)
			return 1;
	return 0;
}

/* One override being applied. */
struct set_arg {
	struct ydoc *y;
	int k;             /* 0-based index among the --set arguments */
	char *path;        /* PATH, split at its dots in place: offsets are columns */
	const char *shown; /* PATH as given, for messages */
	const char *value; /* VALUE */
	struct diags *diags;
};

static int node_count(const struct ydoc *y)
{
	return (int)(y->doc.nodes.top - y->doc.nodes.start);
}

/* Nodes first.. were added by override k for what starts at 1-based column col of its
 * argument: record that in their marks, for ydoc_loc(). */
static void mark_added(struct ydoc *y, int first, int k, int col)
{
	for (yaml_node_t *n = y->doc.nodes.start + first - 1; n < y->doc.nodes.top; n++) {
		n->start_mark.line = (size_t)k;
		n->start_mark.column = (size_t)(col - 1);
		n->start_mark.index = 0;
	}
}

/* Where a component of PATH is on the command line. */
static struct loc at_tok(const struct set_arg *s, const char *tok)
{
	return (struct loc){ydoc_cmdline, s->k + 1, (int)(tok - s->path) + 1};
}

/* The value of key tok in mapping cur, created as an empty mapping when it is missing (so
 * that `devices.nic0.atc.entries=128` adds an ATC); list items must exist. Sets *list when
 * tok is a top-level list. Returns the node, -EINVAL after reporting an error, or -ENOMEM. */
static int step_into(struct set_arg *s, int cur, const char *tok, const char **list)
{
	struct ydoc *y = s->y;
	int v = ydoc_map_get(y, cur, tok), key, first = node_count(y) + 1;
	yaml_node_t *m;

	if (v) {
		if (cur == 1 && is_list_key(tok))
			*list = tok;
		return v;
	}
	m = ydoc_node(y, cur);
	if (!m || m->type != YAML_MAPPING_NODE || is_list_key(tok)) {
		diags_error(s->diags, at_tok(s, tok), "--set %s: '%s' names nothing here", s->shown,
			    tok);
		return -EINVAL;
	}
	key = add_scalar(y, tok, strlen(tok), YAML_PLAIN_SCALAR_STYLE);
	v = yaml_document_add_mapping(&y->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
	if (!key || !v || !yaml_document_append_mapping_pair(&y->doc, cur, key, v))
		return -ENOMEM;
	mark_added(y, first, s->k, (int)(tok - s->path) + 1);
	return v;
}

/* Follow PATH to the mapping that holds its last key (*last). Returns that mapping, -EINVAL after
 * reporting an error at the offending component, or -ENOMEM. */
static int walk_path(struct set_arg *s, const char **last)
{
	char *save = NULL, *tok = strtok_r(s->path, ".", &save), *next;
	const char *list = NULL, *prev = s->path;
	int cur = 1;

	for (; tok; prev = tok, tok = next) {
		next = strtok_r(NULL, ".", &save);
		if (list) {
			int item = find_item(s->y, list, cur, tok);
			if (!item) {
				char near[256];
				nearest_item(s->y, list, cur, tok, near, sizeof(near));
				diags_error(s->diags, at_tok(s, tok), "--set %s: no item '%s' in %s%s%s%s",
					    s->shown, tok, list, near[0] ? "; did you mean '" : "", near,
					    near[0] ? "'?" : "");
				return -EINVAL;
			}
			cur = item;
			list = NULL;
		} else if (!next) {
			break;
		} else if ((cur = step_into(s, cur, tok, &list)) < 0) {
			return cur;
		}
	}
	if (!tok) {
		diags_error(s->diags, at_tok(s, prev), "--set %s: the path must end with a key",
			    s->shown);
		return -EINVAL;
	}
	yaml_node_t *m = ydoc_node(s->y, cur);
	if (!m || m->type != YAML_MAPPING_NODE) {
		diags_error(s->diags, at_tok(s, tok), "--set %s: '%s' is not inside a mapping",
			    s->shown, tok);
		return -EINVAL;
	}
	*last = tok;
	return cur;
}

/* Parse VALUE into nodes marked with its column. Returns the node, -EINVAL after reporting
 * an error, or -ENOMEM. */
static int value_nodes(struct set_arg *s)
{
	struct loc l = {ydoc_cmdline, s->k + 1, s->y->set_value_col[s->k]};
	int first = node_count(s->y) + 1, deep_col = 0;
	int value = parse_value(s->y, s->value, &deep_col);

	switch (value) {
	case -ENOMEM:
		return value;
	case -E2BIG:
		l.col += deep_col;
		diags_error(s->diags, l, "--set %s: nesting deeper than %d levels", s->shown,
			    YDOC_MAX_DEPTH);
		return -EINVAL;
	case -EINVAL:
		diags_error(s->diags, l, "--set %s: VALUE '%s' is not valid YAML", s->shown, s->value);
		return value;
	case -ELOOP:
		diags_error(s->diags, l, "--set %s: VALUE '%s' nests too deeply", s->shown, s->value);
		return -EINVAL;
	case -EOVERFLOW:
		diags_error(s->diags, l, "--set %s: VALUE '%s' is too large after expanding aliases",
			    s->shown, s->value);
		return -EINVAL;
	}
	mark_added(s->y, first, s->k, l.col);
	return value;
}

/* Set key tok of mapping map to value: replaced where the key is, else added. */
static int put_value(struct set_arg *s, int map, const char *tok, int value)
{
	struct ydoc *y = s->y;
	yaml_node_t *m = ydoc_node(y, map);
	int replaced = 0, key, first = node_count(y) + 1;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(y, p->key);
		if (k && strcmp(k, tok) == 0) {
			p->value = value;
			replaced = 1;
		}
	}
	if (replaced)
		return 0;
	key = add_scalar(y, tok, strlen(tok), YAML_PLAIN_SCALAR_STYLE);
	if (!key || !yaml_document_append_mapping_pair(&y->doc, map, key, value))
		return -ENOMEM;
	mark_added(y, first, s->k, (int)(tok - s->path) + 1);
	return 0;
}

/* The options of `run` that stand for a --set (contract §2), written "--OPTION=VALUE" in
 * the list of overrides so that diagnostics can name the option the user gave. */
static const char *option_path(const char *arg, size_t len)
{
	static const char *const opts[][2] = {{"--duration", "run.duration"},
					      {"--warmup", "run.warmup"},
					      {"--seed", "run.seed"}};
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i][0]) == len && strncmp(arg, opts[i][0], len) == 0)
			return opts[i][1];
	return NULL;
}

/* Apply override k, "PATH=VALUE" (or "--OPTION=VALUE"). Errors point into the argument: at
 * the PATH component that names nothing, or at VALUE. */
static int apply_one(struct ydoc *y, int k, const char *arg, struct diags *diags)
{
	const char *eq = strchr(arg, '='), *tok = NULL, *opt;
	struct set_arg s = {y, k, NULL, NULL, eq ? eq + 1 : NULL, diags};
	int map, value, err = -EINVAL;
	char *shown;

	if (!eq || eq == arg) {
		diags_error(diags, (struct loc){ydoc_cmdline, k + 1, 1},
			    "--set '%s': expected PATH=VALUE", arg);
		return -EINVAL;
	}
	opt = option_path(arg, (size_t)(eq - arg));
	s.path = opt ? strdup(opt) : strndup(arg, (size_t)(eq - arg));
	s.shown = shown = strndup(arg, (size_t)(eq - arg));
	if (!s.path || !shown) {
		err = -ENOMEM;
		goto out;
	}
	y->set_value_col[k] = (int)(eq - arg) + 2;
	map = walk_path(&s, &tok);
	if (map < 0) {
		err = map;
		goto out;
	}
	value = value_nodes(&s);
	if (value < 0) {
		err = value;
		goto out;
	}
	err = put_value(&s, map, tok, value);
out:
	free(s.path);
	free(shown);
	return err;
}

int override_apply(struct ydoc *y, char *const *sets, int nsets, struct diags *diags)
{
	int err = 0;

	y->nsets = nsets;
	if (!nsets)
		return 0;
	y->set_value_col = calloc((size_t)nsets, sizeof(int));
	if (!y->set_value_col)
		return -ENOMEM;
	for (int k = 0; k < nsets; k++) {
		int e = apply_one(y, k, sets[k], diags);
		if (e == -ENOMEM)
			return e;
		if (e)
			err = e;
	}
	return err;
}
