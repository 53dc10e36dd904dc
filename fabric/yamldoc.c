/* yamldoc.c - the parsed YAML document with where its nodes came from: node lookups, their
 * places (file or --set), and the first pass over the input (depth limit, alias uses). */
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

	n = yaml_document_get_node((yaml_document_t *)&y->doc, idx);
	if (n && idx > y->nfile_nodes)
		l.file = ydoc_cmdline; /* its marks were set by mark_added() */
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

/* ---- first pass over the input (ydoc_scan) ---- */

/* Beyond this many, alias uses are not recorded: their positions fall back to the anchored
 * text. Bounds the memory a file made of millions of "*a" takes. */
#define YDOC_MAX_ALIASES 65536

/* What ydoc_scan tracks while reading: the open collections of the first document, with the
 * node index yaml_parser_load will give each (it numbers scalars and collections in event
 * order, from 1; an alias adds no node) and how many children each has so far. */
struct scan_open {
	int node, children;
};

struct scan {
	struct ydoc *y;
	int docs, depth, nodes;
	struct scan_open open[YDOC_MAX_DEPTH];
};

static int record_alias(struct scan *sc, const yaml_event_t *e)
{
	struct ydoc *y = sc->y;

	if (y->naliases == YDOC_MAX_ALIASES)
		return 0;
	if (y->naliases == y->caliases) {
		size_t cap = y->caliases ? 2 * y->caliases : 64;
		struct ydoc_alias *v = realloc(y->aliases, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		y->aliases = v;
		y->caliases = cap;
	}
	y->aliases[y->naliases++] = (struct ydoc_alias){
		sc->open[sc->depth - 1].node, sc->open[sc->depth - 1].children,
		(int)e->start_mark.line + 1, (int)e->start_mark.column + 1};
	return 0;
}

/* One event. Returns 0, -E2BIG (too deep) or -ENOMEM. */
static int scan_event(struct scan *sc, const yaml_event_t *e)
{
	int first_doc = sc->y && sc->docs == 1;
	int opens = e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT;
	int err = 0;

	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		sc->docs++;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		sc->depth--;
		return 0;
	case YAML_ALIAS_EVENT:
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	default:
		return 0;
	}
	if (opens && sc->depth == YDOC_MAX_DEPTH)
		return -E2BIG;
	if (first_doc && e->type == YAML_ALIAS_EVENT && sc->depth > 0)
		err = record_alias(sc, e);
	if (sc->depth > 0)
		sc->open[sc->depth - 1].children++;
	if (e->type != YAML_ALIAS_EVENT)
		sc->nodes++;
	if (opens)
		sc->open[sc->depth++] = (struct scan_open){sc->nodes, 0};
	return err;
}

static int cmp_alias(const void *a, const void *b)
{
	const struct ydoc_alias *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

int ydoc_scan(yaml_parser_t *p, struct ydoc *y, yaml_mark_t *deep_at)
{
	struct scan sc = {.y = y};
	yaml_event_t e;
	int err = 0, done = 0;

	while (!err && !done) {
		if (!yaml_parser_parse(p, &e))
			return p->error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
		err = scan_event(&sc, &e);
		if (err == -E2BIG)
			*deep_at = e.start_mark;
		done = e.type == YAML_STREAM_END_EVENT ||
		       (e.type == YAML_DOCUMENT_END_EVENT && sc.docs == 2);
		yaml_event_delete(&e);
	}
	if (y && y->naliases)
		qsort(y->aliases, y->naliases, sizeof(*y->aliases), cmp_alias);
	return err;
}

int ydoc_alias_at(const struct ydoc *y, int parent, int pos, int idx, struct loc *out)
{
	size_t lo = 0, hi = y->naliases;
	struct ydoc_alias key = {parent, pos, 0, 0};

	/* a --set may have put its own node where the file had an alias */
	if (idx > y->nfile_nodes)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_alias(&y->aliases[mid], &key);
		if (c == 0) {
			*out = (struct loc){y->file, y->aliases[mid].line, y->aliases[mid].col};
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void ydoc_free(struct ydoc *y)
{
	free(y->set_value_col);
	free(y->aliases);
	y->set_value_col = NULL;
	y->aliases = NULL;
	y->naliases = y->caliases = 0;
}
