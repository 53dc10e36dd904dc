/* fleet.c - fleets (contract §8): ranges [N-M] in names and references (the hostlist
 * notation of Slurm), expanded in the document before the loader reads it. Which keys may
 * hold a range is the FL_RANGE flag of the key tables (schema.c). */
#include "fleet.h"
#include "loadfield.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The MR-IOV prefix carries the VH in 8 bits, VH 0 is management: as validate.c. */
#define FLEET_MAX_HOSTS 255
/* One range stands for at most this many items. */
#define FLEET_MAX_VALUES 65536

struct range {
	size_t open, close;   /* offsets of '[' and ']' */
	unsigned long lo, hi;
	int width;            /* digits of zero-padded values ("[00-15]"), 0: not padded */
};

enum { RANGE_NONE = 0, RANGE_OK = 1, RANGE_BAD = -1, RANGE_TWO = -2, RANGE_DOWN = -3 };

/* Digits at s (at most 9, so that values fit), their count in *n. */
static int scan_uint(const char *s, unsigned long *v, size_t *n)
{
	*v = 0;
	for (*n = 0; s[*n] >= '0' && s[*n] <= '9'; (*n)++) {
		if (*n == 9)
			return -1;
		*v = *v * 10 + (unsigned long)(s[*n] - '0');
	}
	return *n ? 0 : -1;
}

/* "[N-M]" at s[i]: 1 with r filled, else 0. */
static int range_at(const char *s, size_t i, struct range *r)
{
	size_t n1, n2;

	if (s[i] != '[' || scan_uint(s + i + 1, &r->lo, &n1) || s[i + 1 + n1] != '-' ||
	    scan_uint(s + i + 2 + n1, &r->hi, &n2) || s[i + 2 + n1 + n2] != ']')
		return 0;
	r->open = i;
	r->close = i + 2 + n1 + n2;
	r->width = n1 > 1 && s[i + 1] == '0' ? (int)n1 : 0;
	return 1;
}

/* Classify s: no range, one good range (r), or what is wrong with it. */
static int range_parse(const char *s, struct range *r)
{
	struct range other;
	int found = 0, stray = 0;

	for (size_t i = 0; s[i]; i++) {
		if (range_at(s, i, found ? &other : r)) {
			if (found)
				return RANGE_TWO;
			found = 1;
			i = r->close;
		} else if (s[i] == '[' || s[i] == ']') {
			stray = 1;
		}
	}
	if (!found)
		return stray ? RANGE_BAD : RANGE_NONE;
	if (stray)
		return RANGE_BAD;
	return r->lo > r->hi ? RANGE_DOWN : RANGE_OK;
}

struct fleet {
	struct ydoc *y;
	struct diags *d;
	long budget;      /* nodes it may still create or visit (LOADER_MAX_VISITS) */
	int err;
	size_t nhosts;
	struct loc big_at;  /* the item whose copies went past the budget */
};

/* The keys of tab that take ranges, for messages: "a, b and name". */
static void range_keys(const struct field *tab, char *buf, size_t len)
{
	size_t n = 0, k = 0, used = 0;

	for (const struct field *f = tab; f->key; f++)
		n += !!(f->flags & FL_RANGE);
	buf[0] = '\0';
	for (const struct field *f = tab; f->key && used < len; f++) {
		if (!(f->flags & FL_RANGE))
			continue;
		k++;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 k == 1 ? "" : k == n ? " and " : ", ", f->key);
	}
}

static const struct field *find_key(const struct field *tab, const char *key)
{
	for (; key && tab->key; tab++)
		if (strcmp(tab->key, key) == 0)
			return tab;
	return NULL;
}

/* A range anywhere under node (at path, "arbitration.weights"), where none is expanded: an
 * error. Returns the number of errors reported. */
static int refuse_ranges(struct fleet *fl, int node, const char *path, const char *list,
			 const struct field *tab, int depth)
{
	yaml_node_t *n = ydoc_node(fl->y, node);
	struct range r;
	char keys[64], sub[128];
	int errs = 0;

	if (!n || --fl->budget < 0 || depth > YDOC_MAX_DEPTH) /* aliases may make cycles */
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		int k = range_parse((const char *)n->data.scalar.value, &r);
		if (k == RANGE_NONE || k == RANGE_BAD)
			return 0;
		range_keys(tab, keys, sizeof(keys));
		diags_error(fl->d, ydoc_loc(fl->y, node), "%s: a range [N-M] is expanded only in %s "
			    "of %s, not in %s", path, keys, list, path);
		return 1;
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			errs += refuse_ranges(fl, *it, path, list, tab, depth + 1);
	} else if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			const char *k = ydoc_scalar(fl->y, p->key);
			snprintf(sub, sizeof(sub), "%s.%s", path, k ? k : "?");
			errs += refuse_ranges(fl, p->key, path, list, tab, depth + 1);
			errs += refuse_ranges(fl, p->value, sub, list, tab, depth + 1);
		}
	}
	return errs;
}

/* One range-holding value of an item. */
struct ranged {
	int pair;          /* index of the pair in the item */
	const char *key, *text;
	struct range r;
};

/* Find the item's ranges (at most one per key of tab); 0 when there are none, the number of
 * values each stands for, or -1 after reporting what is wrong. */
static long item_ranges(struct fleet *fl, int item, const char *list, const struct field *tab,
			struct ranged *out, int *nout)
{
	yaml_node_t *m = ydoc_node(fl->y, item);
	long count = 0;
	int bad = 0;

	*nout = 0;
	for (int i = 0; m->data.mapping.pairs.start + i < m->data.mapping.pairs.top; i++) {
		yaml_node_pair_t *p = &m->data.mapping.pairs.start[i];
		const char *key = ydoc_scalar(fl->y, p->key);
		const char *s = ydoc_scalar(fl->y, p->value);
		const struct field *f = find_key(tab, key);
		struct ranged *rg = &out[*nout];
		if (!f)
			continue; /* an unknown key: the loader says so, with a suggestion */
		if (!(f->flags & FL_RANGE)) {
			bad |= refuse_ranges(fl, p->value, key, list, tab, 0) > 0;
			continue;
		}
		if (!s || *nout == 8)
			continue; /* not a scalar: the loader says so */
		struct loc l = ydoc_loc(fl->y, p->value);
		switch (range_parse(s, &rg->r)) {
		case RANGE_NONE:
			continue;
		case RANGE_BAD:
			diags_error(fl->d, l, "%s: '%s' is not a name with one range [N-M] of decimal "
				    "integers", key, s);
			bad = 1;
			continue;
		case RANGE_TWO:
			diags_error(fl->d, l, "%s: '%s' holds more than one range; a name may hold one "
				    "[N-M]", key, s);
			bad = 1;
			continue;
		case RANGE_DOWN:
			diags_error(fl->d, l, "%s: the range of '%s' counts down (%lu > %lu); write "
				    "[N-M] with N <= M", key, s, rg->r.lo, rg->r.hi);
			bad = 1;
			continue;
		}
		long n = (long)(rg->r.hi - rg->r.lo + 1);
		if (n > FLEET_MAX_VALUES) {
			diags_error(fl->d, l, "%s: '%s' stands for %ld items, more than the %d one range "
				    "may make", key, s, n, FLEET_MAX_VALUES);
			bad = 1;
			continue;
		}
		if (count && n != count) {
			diags_error(fl->d, l, "%s: '%s' stands for %ld values but %s '%s' of the same "
				    "item for %ld; the ranges of one item expand in lockstep and need as "
				    "many values", key, s, n, out[0].key, out[0].text, count);
			bad = 1;
			continue;
		}
		count = n;
		rg->pair = i;
		rg->key = key;
		rg->text = s;
		(*nout)++;
	}
	if (bad) {
		fl->err = -EINVAL;
		return -1;
	}
	return count;
}

/* A copy of node: mappings and lists copied (a --set into one copy must not change the
 * others), scalars shared, marks kept; below YDOC_MAX_DEPTH, where only an alias cycle can
 * reach, nodes are shared. 0 on failure (fl->err says why). */
static int copy_node(struct fleet *fl, int node, int depth)
{
	yaml_document_t *doc = &fl->y->doc;
	yaml_node_t *n = ydoc_node(fl->y, node);
	int out, type;

	/* every node of every copy counts, shared scalars too: the loader visits them all */
	if (--fl->budget < 0) {
		fl->err = -E2BIG;
		return 0;
	}
	if (!n || n->type == YAML_SCALAR_NODE || depth > YDOC_MAX_DEPTH)
		return node;
	type = n->type;
	out = type == YAML_MAPPING_NODE
		      ? yaml_document_add_mapping(doc, NULL, n->data.mapping.style)
		      : yaml_document_add_sequence(doc, NULL, n->data.sequence.style);
	if (!out) {
		fl->err = -ENOMEM;
		return 0;
	}
	n = ydoc_node(fl->y, node); /* the node array may have moved */
	ydoc_node(fl->y, out)->start_mark = n->start_mark;
	ydoc_node(fl->y, out)->end_mark = n->end_mark;
	size_t cnt = type == YAML_MAPPING_NODE
			     ? (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start)
			     : (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	for (size_t i = 0; i < cnt; i++) {
		n = ydoc_node(fl->y, node);
		if (type == YAML_SEQUENCE_NODE) {
			int it = copy_node(fl, n->data.sequence.items.start[i], depth + 1);
			if (!it || !yaml_document_append_sequence_item(doc, out, it))
				return fl->err = fl->err ? fl->err : -ENOMEM, 0;
			continue;
		}
		yaml_node_pair_t p = n->data.mapping.pairs.start[i];
		int v = --fl->budget < 0 ? (fl->err = -E2BIG, 0) : copy_node(fl, p.value, depth + 1);
		if (!v || !yaml_document_append_mapping_pair(doc, out, p.key, v))
			return fl->err = fl->err ? fl->err : -ENOMEM, 0;
	}
	return out;
}

/* Item k of an expanded item: a copy whose ranged values hold their k-th value. */
static int expand_one(struct fleet *fl, int item, const struct ranged *rg, int nrg, long k)
{
	int copy = copy_node(fl, item, 0);

	for (int j = 0; copy && j < nrg; j++) {
		const struct range *r = &rg[j].r;
		char num[16], *s;
		int len = snprintf(num, sizeof(num), "%0*lu", r->width, r->lo + (unsigned long)k);
		size_t tail = strlen(rg[j].text + r->close + 1);
		yaml_node_t *m = ydoc_node(fl->y, copy);
		int old = m->data.mapping.pairs.start[rg[j].pair].value;
		if (!(s = malloc(r->open + (size_t)len + tail + 1)))
			return fl->err = -ENOMEM, 0;
		memcpy(s, rg[j].text, r->open);
		memcpy(s + r->open, num, (size_t)len);
		memcpy(s + r->open + len, rg[j].text + r->close + 1, tail + 1);
		int v = yaml_document_add_scalar(&fl->y->doc, NULL, (yaml_char_t *)s, (int)strlen(s),
						 YAML_PLAIN_SCALAR_STYLE);
		free(s);
		if (!v)
			return fl->err = -ENOMEM, 0;
		ydoc_node(fl->y, v)->start_mark = ydoc_node(fl->y, old)->start_mark;
		ydoc_node(fl->y, v)->end_mark = ydoc_node(fl->y, old)->end_mark;
		ydoc_node(fl->y, copy)->data.mapping.pairs.start[rg[j].pair].value = v;
	}
	return copy;
}

/* Where the file uses items of seq through aliases: their positions move with the items
 * (new[i]: the position of old item i's first item). */
static void move_aliases(struct ydoc *y, int seq, const int *newpos)
{
	for (size_t i = 0; i < y->naliases; i++)
		if (y->aliases[i].parent == seq)
			y->aliases[i].pos = newpos[y->aliases[i].pos];
}

static int is_hosts(const struct field *f)
{
	return strcmp(f->key, "hosts") == 0;
}

/* Expand the items of list seq (the key f of the top level). */
static void expand_list(struct fleet *fl, int seq, const struct field *f)
{
	yaml_node_t *s = ydoc_node(fl->y, seq);
	size_t n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	int *old = malloc((n ? n : 1) * sizeof(*old)), *newpos = malloc((n ? n : 1) * sizeof(*old));
	struct ranged rg[8];
	int nrg;

	if (!old || !newpos) {
		fl->err = -ENOMEM;
		goto out;
	}
	memcpy(old, s->data.sequence.items.start, n * sizeof(*old));
	s->data.sequence.items.top = s->data.sequence.items.start;
	for (size_t i = 0; i < n && fl->err != -ENOMEM && fl->err != -E2BIG; i++) {
		yaml_node_t *it = ydoc_node(fl->y, old[i]);
		long cnt = it && it->type == YAML_MAPPING_NODE
				   ? item_ranges(fl, old[i], f->key, f->sub, rg, &nrg) : 0;
		s = ydoc_node(fl->y, seq);
		newpos[i] = (int)(s->data.sequence.items.top - s->data.sequence.items.start);
		if (is_hosts(f) && cnt > 0 && fl->nhosts + (size_t)cnt > FLEET_MAX_HOSTS) {
			diags_error(fl->d, ydoc_loc(fl->y, ydoc_node(fl->y, old[i])->data.mapping.pairs
						 .start[rg[0].pair].value),
				    "hosts: '%s' makes %zu hosts, more than the %d a chassis can have "
				    "(the MR-IOV prefix carries the VH in 8 bits, VH 0 is management)",
				    rg[0].text, fl->nhosts + (size_t)cnt, FLEET_MAX_HOSTS);
			fl->err = -EINVAL;
			cnt = -1;
		}
		if (cnt <= 0 || fl->err) {
			fl->nhosts++;
			if (!yaml_document_append_sequence_item(&fl->y->doc, seq, old[i]))
				fl->err = -ENOMEM;
			continue;
		}
		for (long k = 0; k < cnt && !fl->err; k++) {
			int copy = expand_one(fl, old[i], rg, nrg, k);
			if (copy && !yaml_document_append_sequence_item(&fl->y->doc, seq, copy))
				fl->err = -ENOMEM;
		}
		if (fl->err == -E2BIG)
			fl->big_at = ydoc_loc(fl->y, old[i]);
		fl->nhosts += (size_t)cnt;
	}
	if (fl->err != -ENOMEM && fl->err != -E2BIG)
		move_aliases(fl->y, seq, newpos);
out:
	free(old);
	free(newpos);
}

int fleet_expand(struct ydoc *y, struct diags *d)
{
	struct fleet fl = {y, d, LOADER_MAX_VISITS, 0, 0, {y->file, 1, 1}};
	int done[16], ndone = 0;

	for (const struct field *f = schema_top_fields; f->key; f++) {
		int seq = ydoc_map_get(y, 1, f->key);
		yaml_node_t *s = ydoc_node(y, seq);
		int again = 0;
		if (!(f->flags & FL_LIST) || !s || s->type != YAML_SEQUENCE_NODE)
			continue;
		for (int i = 0; i < ndone; i++)
			again |= done[i] == seq; /* one list used twice through an alias */
		if (again || ndone == 16)
			continue;
		done[ndone++] = seq;
		fl.nhosts = 0;
		expand_list(&fl, seq, f);
	}
	if (fl.err == -E2BIG) {
		diags_error(d, fl.big_at, "the document is too large (more than %d nodes after "
			    "expanding ranges and aliases)", LOADER_MAX_VISITS);
		fl.err = -EINVAL;
	}
	y->nfile_nodes = (int)(y->doc.nodes.top - y->doc.nodes.start);
	return fl.err;
}

static int name_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

int fleet_unquoted_range(const char *buf, size_t len, size_t line, size_t col, char *word,
			 size_t wlen, size_t *start_col)
{
	size_t i = 0, b, e;
	struct range r;

	for (size_t l = 0; l < line && i < len; i++)
		if (buf[i] == '\n')
			l++;
	if (col >= len - i || buf[i + col] != '[')
		return 0;
	b = i + col;
	e = b;
	while (e < len && buf[e] != ']' && buf[e] != '\n' && e - b < 24)
		e++;
	if (e >= len || buf[e] != ']')
		return 0;
	char tmp[32];
	memcpy(tmp, buf + b, e - b + 1);
	tmp[e - b + 1] = '\0';
	if (!range_at(tmp, 0, &r))
		return 0;
	while (b > i && name_char(buf[b - 1]))
		b--;
	e++;
	while (e < len && name_char(buf[e]))
		e++;
	snprintf(word, wlen, "%.*s", (int)(e - b), buf + b);
	*start_col = b - i;
	return 1;
}

struct keyed {
	const struct diag *dg;
	size_t order;
};

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	const struct loc *la = &a->dg->loc, *lb = &b->dg->loc;
	int c = strcmp(la->file ? la->file : "", lb->file ? lb->file : "");

	if (!c)
		c = la->line != lb->line ? (la->line < lb->line ? -1 : 1)
					 : la->col != lb->col ? (la->col < lb->col ? -1 : 1) : 0;
	return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

void fleet_dedup(struct diags *d)
{
	struct keyed *k = malloc((d->n ? d->n : 1) * sizeof(*k));
	struct diag *v = malloc((d->n ? d->n : 1) * sizeof(*v));
	size_t n = 0, run = 0, cap = d->n ? d->n : 1;

	if (!k || !v) {
		free(k);
		free(v);
		return; /* they are printed as they are */
	}
	for (size_t i = 0; i < d->n; i++)
		k[i] = (struct keyed){&d->v[i], i};
	qsort(k, d->n, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < d->n; i++) {
		int dup = 0;
		if (i && cmp_keyed(&(struct keyed){k[i].dg, 0}, &(struct keyed){k[i - 1].dg, 0}))
			run = n; /* a new position: the run of kept messages there starts */
		for (size_t j = run; j < n && !dup; j++)
			dup = strcmp(v[j].msg, k[i].dg->msg) == 0;
		if (!dup)
			v[n++] = *k[i].dg;
		else
			k[i].order = SIZE_MAX; /* freed below: later comparisons still read it */
	}
	for (size_t i = 0; i < d->n; i++) {
		if (k[i].order == SIZE_MAX) {
			free(k[i].dg->msg);
			free((char *)k[i].dg->loc.file);
		}
	}
	free(d->v);
	free(k);
	d->v = v;
	d->n = n;
	d->cap = cap;
}
