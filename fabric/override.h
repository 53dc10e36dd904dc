/* override.h - `--set PATH=VALUE` (contract §2): overrides applied to the parsed document
 * before its values are read (override.c). */
#ifndef MRIOV_OVERRIDE_H
#define MRIOV_OVERRIDE_H

#include "diag.h"
#include "yamldoc.h"

/* Apply the nsets "PATH=VALUE" strings to y's document, in order. A PATH that names nothing
 * or a VALUE that is not YAML is reported at its place on the command line (file "command
 * line", line k+1 for the k-th) and the other overrides are still applied. Nodes added are
 * marked with their place for ydoc_loc(). Returns 0, -EINVAL after reporting, or -ENOMEM. */
int override_apply(struct ydoc *y, char *const *sets, int nsets, struct diags *diags);

#endif
