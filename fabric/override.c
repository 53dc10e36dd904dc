/* override.c - `--set PATH=VALUE`: edit the parsed YAML document before validation. */
#include "yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char ydoc_cmdline[] = "command line";

yaml_node_t *ydoc_node(struct ydoc *y, int idx)
{
	return yaml_document_get_node(&y->doc, idx);
}

struct loc ydoc_loc(const struct ydoc *y, int idx)
{
	struct loc l = {y->file, 0, 0};
	yaml_node_t *n;

	if (idx > y->nfile_nodes) {
		int k = y->nsets - 1;
		while (k > 0 && idx < y->set_first_node[k])
			k--;
		l.file = ydoc_cmdline;
		l.line = k + 1;
		l.col = y->set_value_col ? y->set_value_col[k] : 1;
		return l;
	}
	n = yaml_document_get_node((yaml_document_t *)&y->doc, idx);
	if (n) {
		l.line = (int)n->start_mark.line + 1;
		l.col = (int)n->start_mark.column + 1;
	}
	return l;
}

const char *ydoc_scalar(struct ydoc *y, int idx)
{
	yaml_node_t *n = ydoc_node(y, idx);

	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

int ydoc_map_key(struct ydoc *y, int map, const char *key)
{
	yaml_node_t *m = ydoc_node(y, map);

	if (!m || m->type != YAML_MAPPING_NODE)
		return 0;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(y, p->key);
		if (k && strcmp(k, key) == 0)
			return p->key;
	}
	return 0;
}

int ydoc_map_get(struct ydoc *y, int map, const char *key)
{
	yaml_node_t *m = ydoc_node(y, map);

	if (!m || m->type != YAML_MAPPING_NODE)
		return 0;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(y, p->key);
		if (k && strcmp(k, key) == 0)
			return p->value;
	}
	return 0;
}

static int add_scalar(struct ydoc *y, const char *s, size_t len)
{
	return yaml_document_add_scalar(&y->doc, NULL, (const yaml_char_t *)s, (int)len,
					YAML_ANY_SCALAR_STYLE);
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
		return add_scalar(y, (const char *)n->data.scalar.value, n->data.scalar.length);
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

/* VALUE is YAML too ("8", "wrr", "{blade0: 3}", "[blade1, blade0]"); an empty VALUE is "".
 * Returns the new node, 0 when out of memory, -1 when VALUE is not YAML, -2 when it nests
 * deeper than any key of the topology (an alias that names itself does), -3 when its aliases
 * expand it to too many nodes. */
static int parse_value(struct ydoc *y, const char *value)
{
	yaml_parser_t p;
	yaml_document_t vdoc;
	int out = 0, deep = 0;
	long budget;

	if (!*value)
		return add_scalar(y, "", 0);
	if (!yaml_parser_initialize(&p))
		return 0;
	yaml_parser_set_input_string(&p, (const unsigned char *)value, strlen(value));
	if (yaml_parser_load(&p, &vdoc)) {
		budget = (long)(vdoc.nodes.top - vdoc.nodes.start) + COPY_EXTRA_NODES;
		if (yaml_document_get_root_node(&vdoc))
			out = copy_node(y, &vdoc, 1, 0, &deep, &budget);
		yaml_document_delete(&vdoc);
		if (deep)
			out = -1 - deep;
	} else {
		out = -1;
	}
	yaml_parser_delete(&p);
	return out;
}

/* The key that identifies an item of a top-level list in a path: links by name or
 * "<a>-<b>", assign by index, everything else by name. */
static int find_item(struct ydoc *y, const char *list, int seq, const char *id)
{
	yaml_node_t *s = ydoc_node(y, seq);
	int i = 0;

	if (!s || s->type != YAML_SEQUENCE_NODE)
		return 0;
	for (yaml_node_item_t *it = s->data.sequence.items.start; it < s->data.sequence.items.top;
	     it++, i++) {
		const char *name = ydoc_scalar(y, ydoc_map_get(y, *it, "name"));
		if (strcmp(list, "assign") == 0) {
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

static int is_list_key(const char *k)
{
	static const char *const lists[] = {"hosts", "switches", "devices", "links",
					    "assign", "workloads", NULL};
	for (int i = 0; lists[i]; i++)
		if (strcmp(k, lists[i]) == 0)
			return 1;
	return 0;
}

/* Apply one override. Intermediate mappings that are missing are created (so that
 * `devices.nic0.atc.entries=128` adds an ATC); list items must exist. */
static int apply_one(struct ydoc *y, int k, const char *arg, struct diags *diags)
{
	struct loc l = {ydoc_cmdline, k + 1, 1};
	const char *eq = strchr(arg, '=');
	char *path, *shown, *save = NULL, *tok, *next;
	int cur = 1, value, err = -EINVAL;
	const char *list = NULL;

	if (!eq || eq == arg) {
		diags_error(diags, l, "--set '%s': expected PATH=VALUE", arg);
		return -EINVAL;
	}
	path = strndup(arg, (size_t)(eq - arg));
	shown = strndup(arg, (size_t)(eq - arg));
	if (!path || !shown) {
		free(path);
		free(shown);
		return -ENOMEM;
	}
	y->set_first_node[k] = (int)(y->doc.nodes.top - y->doc.nodes.start) + 1;
	y->set_value_col[k] = (int)(eq - arg) + 2;
	tok = strtok_r(path, ".", &save);
	while (tok) {
		next = strtok_r(NULL, ".", &save);
		if (list) {
			int item = find_item(y, list, cur, tok);
			if (!item) {
				diags_error(diags, l, "--set %s: no item '%s' in %s", shown, tok, list);
				goto out;
			}
			cur = item;
			list = NULL;
		} else if (!next) {
			break;
		} else {
			int v = ydoc_map_get(y, cur, tok);
			if (!v) {
				yaml_node_t *m = ydoc_node(y, cur);
				if (!m || m->type != YAML_MAPPING_NODE || is_list_key(tok)) {
					diags_error(diags, l, "--set %s: '%s' names nothing here", shown, tok);
					goto out;
				}
				int key = add_scalar(y, tok, strlen(tok));
				v = yaml_document_add_mapping(&y->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
				if (!key || !v || !yaml_document_append_mapping_pair(&y->doc, cur, key, v)) {
					err = -ENOMEM;
					goto out;
				}
			} else if (is_list_key(tok) && cur == 1) {
				list = tok;
			}
			cur = v;
		}
		tok = next;
	}
	if (!tok || list) {
		diags_error(diags, l, "--set %s: the path must end with a key", shown);
		goto out;
	}
	{
		yaml_node_t *m = ydoc_node(y, cur);
		if (!m || m->type != YAML_MAPPING_NODE) {
			diags_error(diags, l, "--set %s: '%s' is not inside a mapping", shown, tok);
			goto out;
		}
	}
	value = parse_value(y, eq + 1);
	if (value < 0) {
		l.col = y->set_value_col[k];
		diags_error(diags, l, value == -1 ? "--set %s: VALUE '%s' is not valid YAML"
				      : value == -2 ? "--set %s: VALUE '%s' nests too deeply"
						    : "--set %s: VALUE '%s' is too large after expanding aliases",
			    shown, eq + 1);
		goto out;
	}
	if (!value) {
		err = -ENOMEM;
		goto out;
	}
	{
		yaml_node_t *m = ydoc_node(y, cur);
		int replaced = 0;
		for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
		     p++) {
			const char *key = ydoc_scalar(y, p->key);
			if (key && strcmp(key, tok) == 0) {
				p->value = value;
				replaced = 1;
			}
		}
		if (!replaced) {
			int key = add_scalar(y, tok, strlen(tok));
			if (!key || !yaml_document_append_mapping_pair(&y->doc, cur, key, value)) {
				err = -ENOMEM;
				goto out;
			}
		}
	}
	err = 0;
out:
	free(path);
	free(shown);
	return err;
}

int ydoc_apply_sets(struct ydoc *y, char *const *sets, int nsets, struct diags *diags)
{
	int err = 0;

	y->nsets = nsets;
	if (!nsets)
		return 0;
	y->set_first_node = calloc((size_t)nsets, sizeof(int));
	y->set_value_col = calloc((size_t)nsets, sizeof(int));
	if (!y->set_first_node || !y->set_value_col)
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
