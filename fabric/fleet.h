/* fleet.h - fleets (contract §8): a name or reference with one range [N-M] stands for one
 * list item per value, expanded in the YAML document before it is loaded. Private to the
 * loader. */
#ifndef MRIOV_FLEET_H
#define MRIOV_FLEET_H

#include <stddef.h>

#include "diag.h"
#include "yamldoc.h"

/* Expand the ranges of the first document's top-level lists in place, in file order, for
 * the keys the tables of schema.c mark FL_RANGE. A copy keeps the line and column of what
 * it was copied from, so diagnostics about an expanded item point at the item in the file;
 * afterwards every node counts as the file's (y->nfile_nodes). Call before --set is
 * applied. Returns 0; -EINVAL after reporting bad ranges (nothing is expanded then); or
 * -ENOMEM. */
int fleet_expand(struct ydoc *y, struct diags *d);

/* Whether the YAML syntax error at 0-based (line, col) of buf is an unquoted name with a
 * range inside a flow collection ("{name: blade[0-7]}"): then 1, with the name in word
 * (NUL-terminated, truncated to wlen) and *start_col its 0-based column; else 0. */
int fleet_unquoted_range(const char *buf, size_t len, size_t line, size_t col, char *word,
			 size_t wlen, size_t *start_col);

/* Drop diagnostics identical to an earlier one (same place, same message): the items of
 * one fleet share their lines and columns, so a mistake in one is made by all. Keeps the
 * order diags_print() gives. */
void fleet_dedup(struct diags *d);

#endif
