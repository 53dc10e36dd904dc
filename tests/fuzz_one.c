/* fuzz_one.c - one fuzz input through the loader (see fuzz_one.h). */
#include "fuzz_one.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "topo.h"

#define SET_PREFIX "#set "
#define SET_PREFIX_LEN (sizeof(SET_PREFIX) - 1)

/* The --set strings of the "#set " lines of data (NUL-terminated copies; a NUL byte inside a
 * line ends that string early, as it would on a command line). */
static char **collect_sets(const uint8_t *data, size_t size, size_t *nsets)
{
	char **v = NULL;
	size_t n = 0;

	*nsets = 0;
	for (size_t pos = 0; pos < size;) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t end = nl ? (size_t)(nl - data) : size;
		if (end - pos >= SET_PREFIX_LEN && memcmp(data + pos, SET_PREFIX, SET_PREFIX_LEN) == 0) {
			char **nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
			v[n] = strndup((const char *)data + pos + SET_PREFIX_LEN,
				       end - pos - SET_PREFIX_LEN);
			if (!v[n])
				goto oom;
			n++;
		}
		pos = end + 1;
	}
	*nsets = n;
	return v;
oom:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return NULL;
}

int fuzz_one(const uint8_t *data, size_t size, struct fuzz_result *res)
{
	struct diags d;
	struct topo *t;
	size_t nsets;
	char **sets = collect_sets(data, size, &nsets);
	/* a private copy, so that ASan sees any read past the end of the input */
	char *buf = malloc(size ? size : 1);
	int ok;

	if (!buf) {
		for (size_t i = 0; i < nsets; i++)
			free(sets[i]);
		free(sets);
		return -1;
	}
	if (size)
		memcpy(buf, data, size);
	diags_init(&d);
	t = topo_load_buffer(buf, size, "fuzz.yaml", sets, nsets, &d);
	res->loaded = t != NULL;
	res->ndiags = diags_count(&d);
	/* sort and format them as `mriovsim check` would, to a stream that drops them */
	if (!t) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			diags_print(&d, null);
			fclose(null);
		}
	}
	res->nsets = nsets;
	ok = res->loaded ? res->ndiags == 0 : res->ndiags > 0;
	topo_destroy(t);
	diags_free(&d);
	for (size_t i = 0; i < nsets; i++)
		free(sets[i]);
	free(sets);
	free(buf);
	return ok ? 0 : -1;
}
