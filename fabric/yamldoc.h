/* yamldoc.h - helpers over libyaml's document API shared by the loader and --set overrides
 * (yamldoc.c). */
#ifndef MRIOV_YAMLDOC_H
#define MRIOV_YAMLDOC_H

#include <yaml.h>

#include "diag.h"

/* Deepest nesting of mappings and lists read. A topology needs 4 levels (hosts, a host, its
 * iommu, a key); libyaml 0.2.5 takes time quadratic in the depth of what it loads, so deeper
 * input is refused by ydoc_scan before yaml_parser_load sees it. */
#define YDOC_MAX_DEPTH 64

/* Where the file uses a node through an alias: child pos of node parent (item i of a list is
 * child i; key and value of pair i of a mapping are children 2i and 2i+1). */
struct ydoc_alias {
	int parent, pos;
	int line, col; /* 1-based, of the "*name" */
};

/* Where nodes came from: the file, or one of the --set arguments. A node added by override k
 * (after the file was parsed) carries its place in its own start_mark: line k (0-based) and
 * the 0-based column within that "PATH=VALUE" argument. */
struct ydoc {
	yaml_document_t doc;
	const char *file;
	int nfile_nodes;     /* nodes 1..nfile_nodes come from the file */
	int nsets;
	int *set_value_col;  /* per override: 1-based column of VALUE in "PATH=VALUE" */
	struct ydoc_alias *aliases; /* sorted by parent, pos; filled by ydoc_scan */
	size_t naliases, caliases;
};

extern const char ydoc_cmdline[]; /* "command line": the file name of --set diagnostics */

yaml_node_t *ydoc_node(struct ydoc *y, int idx);
/* Location of node idx: its file position, or "command line:N:COL" for override N. */
struct loc ydoc_loc(const struct ydoc *y, int idx);
/* The scalar text of a node, or NULL when it is not a scalar. */
const char *ydoc_scalar(struct ydoc *y, int idx);
/* Value node of key in mapping node map, 0 when absent (or map not a mapping). */
int ydoc_map_get(struct ydoc *y, int map, const char *key);

/* Read the input p was set up with through libyaml's event parser, without building nodes,
 * to the end of the second document (the last one the loader reads). Returns 0; -EINVAL on a
 * YAML syntax error (p's problem fields say which); -E2BIG when a mapping or list starts
 * deeper than YDOC_MAX_DEPTH, *deep_at being where; -ENOMEM. With y, also records where the
 * first document uses aliases (for ydoc_alias_at). */
int ydoc_scan(yaml_parser_t *p, struct ydoc *y, yaml_mark_t *deep_at);

/* 1 with *out the position of the alias when node idx, the child pos of parent, is used
 * there through an alias in the file; else 0. */
int ydoc_alias_at(const struct ydoc *y, int parent, int pos, int idx, struct loc *out);

/* Free what ydoc_scan and override_apply allocated (not the document). */
void ydoc_free(struct ydoc *y);

#endif
