/* yamldoc.h - helpers over libyaml's document API shared by the loader and --set overrides. */
#ifndef MRIOV_YAMLDOC_H
#define MRIOV_YAMLDOC_H

#include <yaml.h>

#include "diag.h"

/* Where nodes came from: the file, or one of the --set arguments (nodes added to the
 * document after it was parsed, in ranges recorded per override). */
struct ydoc {
	yaml_document_t doc;
	const char *file;
	int nfile_nodes;     /* nodes 1..nfile_nodes come from the file */
	int nsets;
	int *set_first_node; /* per override: first node it added (nodes are never removed) */
	int *set_value_col;  /* per override: 1-based column of VALUE in "PATH=VALUE" */
};

extern const char ydoc_cmdline[]; /* "command line": the file name of --set diagnostics */

yaml_node_t *ydoc_node(struct ydoc *y, int idx);
/* Location of node idx: its file position, or "command line:N:COL" for override N. */
struct loc ydoc_loc(const struct ydoc *y, int idx);
/* The scalar text of a node, or NULL when it is not a scalar. */
const char *ydoc_scalar(struct ydoc *y, int idx);
/* Value node of key in mapping node map, 0 when absent (or map not a mapping). */
int ydoc_map_get(struct ydoc *y, int map, const char *key);
/* Index of the key node for key in mapping map, 0 when absent. */
int ydoc_map_key(struct ydoc *y, int map, const char *key);

/* Apply "PATH=VALUE" overrides (contract §2) to the document; errors go to diags. */
int ydoc_apply_sets(struct ydoc *y, char *const *sets, int nsets, struct diags *diags);

#endif
