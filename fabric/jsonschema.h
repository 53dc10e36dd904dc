/* jsonschema.h - the topology format as a JSON Schema (draft 2020-12), generated from the
 * loader's key tables (contract §9 `mriovsim schema`). */
#ifndef MRIOV_JSONSCHEMA_H
#define MRIOV_JSONSCHEMA_H

#include <stdio.h>

/* Write the schema to f. Returns 0, or -EIO when writing failed. */
int jsonschema_write(FILE *f);

#endif
