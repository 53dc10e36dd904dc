/* schema_keys.c - print the path of every key the loader's tables know ("hosts[].iommu.
 * page_size"), one per line, for tests/schema.py to compare with `mriovsim schema`. */
#include <stdio.h>

#include "loadfield.h"

static void walk(const struct field *tab, const char *prefix)
{
	char path[256];

	for (const struct field *f = tab; f->key; f++) {
		snprintf(path, sizeof(path), "%s%s", prefix, f->key);
		puts(path);
		if (!f->sub)
			continue;
		snprintf(path, sizeof(path), "%s%s%s.", prefix, f->key, f->flags & FL_LIST ? "[]" : "");
		walk(f->sub, path);
	}
}

int main(void)
{
	walk(schema_top_fields, "");
	return 0;
}
