/* loadfield.h - the loader's table-driven field machinery, shared by loadfield.c (the
 * generic part), schema.c and schema_load.c (the contract's keys), fleet.c (ranges),
 * jsonschema.c (the tables as a JSON Schema) and loader.c (documents). Private to the
 * loader: nothing outside these files includes it. */
#ifndef MRIOV_LOADFIELD_H
#define MRIOV_LOADFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "topo.h"
#include "yamldoc.h"

/* Bounds the work on hostile input: aliases let a small file name one big node many times. */
#define LOADER_MAX_VISITS 2000000

/* F_MAP: a nested mapping at off, loaded through the table sub. F_CUSTOM: a handler loads it;
 * sub then names the keys of the mapping (or of the list items, FL_LIST) it reads. */
enum ftype { F_STR, F_NAME, F_REF, F_TIME, F_SIZE, F_RATE, F_UINT, F_ENUM, F_BOOL, F_MAP,
	     F_CUSTOM };

/* FL_LIST: a list of mappings whose keys are sub. FL_RANGE: the value may hold a fleet range
 * [N-M] (contract §8), expanded before the document is loaded. */
enum { FL_LIST = 1, FL_RANGE = 2 };

struct load_ctx;
typedef int (*custom_fn)(struct load_ctx *c, int node, void *obj);

/* One key of a mapping. Tables are written with designated initializers; what is left out
 * is 0/NULL (no location, no default). The loader, the defaults, fleet expansion and the JSON
 * Schema (`mriovsim schema`) all read these tables, so they cannot disagree. */
struct field {
	const char *key;
	enum ftype type;
	size_t off;
	long loc_off;               /* LOC(): 1 + offset of a struct loc to fill; 0: none */
	const char *const *names;   /* F_ENUM: NULL-terminated */
	const uint64_t *allowed;    /* F_UINT/F_SIZE: 0-terminated set, or NULL for min..max */
	uint64_t min, max;          /* F_UINT/F_SIZE range; F_TIME/F_RATE: min 1 = must be > 0 */
	custom_fn custom;
	int required;
	unsigned flags;             /* FL_* */
	const struct field *sub;    /* F_MAP, FL_LIST and custom mappings: their keys */
	const char *def;            /* the default as a file writes it ("20ns"), NULL: none */
	const char *doc;            /* what the key means (the schema's description) */
	const char *json;           /* F_CUSTOM scalars and lists of scalars: their JSON Schema */
};

struct load_ctx {
	struct ydoc *y;
	struct topo *t;
	struct diags *d;
	long visits;
	int too_big;
	struct loc via; /* line > 0: what is being loaded was reached through an alias here */
};

#define LOC(type, member) ((long)offsetof(type, member) + 1)

/* Location of node idx in the input; at_use: where it is used (an alias, when reached
 * through one); enter_use: entering child pos of parent, returns the location to restore. */
struct loc load_at(struct load_ctx *c, int node);
struct loc load_at_use(struct load_ctx *c, int node);
struct loc load_enter_use(struct load_ctx *c, int parent, int pos, int node);
/* Count a node against LOADER_MAX_VISITS; -E2BIG (reported once) past it. */
int load_visit(struct load_ctx *c, int node);
const char *load_type_name(yaml_node_t *n);
int load_is_null(const yaml_node_t *n);
/* The scalar text of a value, or NULL after reporting what is wrong with it. */
const char *load_want_scalar(struct load_ctx *c, int node, const char *key);
const char *load_suggest(const char *s, const char *const *names, size_t stride, size_t n);
int load_valid_name(const char *s, int allow_dot);
/* Load one value through its field entry; load a mapping through a table (unknown keys,
 * duplicates and missing required keys are reported). 0, -EINVAL, -ENOMEM or -E2BIG. */
int load_field(struct load_ctx *c, const struct field *f, int node, void *obj);
int load_mapping(struct load_ctx *c, int node, const struct field *tab, void *obj,
		 const char *what);

/* Set the defaults of tab's keys (field.def, nested tables included) in obj. Custom keys
 * with a default are set by their owner (schema_load.c). 0, or -EINVAL when a def does not
 * parse (a bug in a table, caught by tests). */
int fields_defaults(const struct field *tab, void *obj);

/* schema.c: the contract's keys; the table of the top-level mapping. */
extern const struct field schema_top_fields[];

/* schema_load.c: loading them. */
int schema_defaults(struct topo *t);
int schema_load(struct load_ctx *c, struct topo *t);
int schema_default_names(struct topo *t);

#endif
