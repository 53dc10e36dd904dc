/* loader.c - read a topology document (contract §1) and turn it into struct topo through the
 * field tables of schema.c; then validate and derive everything (validate.c, vh.c, func.c,
 * isolation.c). Every value keeps its line and column so that errors can point at it. */
#include "fleet.h"
#include "loadfield.h"
#include "override.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

	char word[64];
	size_t wcol;

	if ((flow_map || strcmp(ctx, "while parsing a flow sequence") == 0) &&
	    fleet_unquoted_range(buf, len, p->problem_mark.line, p->problem_mark.column, word,
				 sizeof(word), &wcol)) {
		l.col = (int)wcol + 1;
		diags_error(d, l, "YAML syntax: a name with a range must be quoted inside '%c...%c', "
			    "where brackets are YAML syntax: write '%s'", flow_map ? '{' : '[',
			    flow_map ? '}' : ']', word);
	} else if ((flow_map || strcmp(ctx, "while parsing a flow sequence") == 0) &&
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
	if (!r2 || load_is_null(r2)) {
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
	struct load_ctx c;
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
	if (diags_set_source(diags, file, buf, len, sets, nsets)) {
		err = -ENOMEM;
		goto fail;
	}
	t->sets = calloc(nsets ? nsets : 1, sizeof(*t->sets));
	for (; t->sets && t->nsets < nsets; t->nsets++)
		if (!(t->sets[t->nsets] = strdup(sets[t->nsets])))
			break;
	if (!t->sets || t->nsets < nsets) {
		err = -ENOMEM;
		goto fail;
	}
	err = schema_defaults(t); /* fails only when a table is wrong (tests/check_schema.c) */
	if (!err)
		err = read_document(&y, buf, len, diags, &have_doc);
	if (err)
		goto fail;
	/* A path that names nothing is reported, and the file's values are still read and
	 * checked; the rules across keys are not (the topology is not the one meant). */
	err = fleet_expand(&y, diags); /* contract §8: before --set, which uses expanded names */
	if (err)
		goto fail;
	int set_err = override_apply(&y, sets, (int)nsets, diags);
	if (set_err == -ENOMEM) {
		err = set_err;
		goto fail;
	}
	c = (struct load_ctx){.y = &y, .t = t, .d = diags};
	err = schema_load(&c, t);
	if (!err)
		err = set_err;
	if (err)
		goto fail;
	err = schema_default_names(t);
	if (err)
		goto fail;
	yaml_document_delete(&y.doc);
	have_doc = 0;
	ydoc_free(&y);
	/* each step reports what is wrong with the input; running out of memory is said here */
	err = topo_validate(t, diags);
	if (!err)
		err = vh_build(t, diags);
	if (!err)
		err = func_build(t, diags);
	if (!err)
		err = isolation_check(t, diags);
	if (!err)
		err = topo_lint(t, diags);
	if (!err)
		err = diags_copy_warnings(&t->lint, diags);
	if (!err)
		return t;
fail:
	fleet_dedup(diags);
	if (err == -ENOMEM)
		diags_error(diags, (struct loc){y.file, 0, 0}, "out of memory");
	if (have_doc)
		yaml_document_delete(&y.doc);
	ydoc_free(&y);
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
