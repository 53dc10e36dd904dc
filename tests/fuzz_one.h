/* fuzz_one.h - one fuzz input through the loader, shared by the libFuzzer harness
 * (fuzz_loader.c) and the regression suite over its corpus (check_fuzz_regress.c). */
#ifndef MRIOV_FUZZ_ONE_H
#define MRIOV_FUZZ_ONE_H

#include <stddef.h>
#include <stdint.h>

/* What the loader made of one input. */
struct fuzz_result {
	int loaded;    /* topo_load_buffer returned a topology */
	size_t ndiags; /* diagnostics it recorded */
	size_t nsets;  /* "#set " lines passed as --set strings */
};

/*
 * Load data as a topology file. Every line that starts with "#set " (a YAML comment, so the
 * file itself is unchanged) also passes the rest of that line as one --set PATH=VALUE string.
 * The diagnostics are also sorted and printed (to /dev/null), as `mriovsim check` does.
 * Everything is freed before returning. Returns 0 when the outcome keeps the loader's
 * contract (loaded with no diagnostic, or failed with at least one), -1 otherwise.
 */
int fuzz_one(const uint8_t *data, size_t size, struct fuzz_result *res);

#endif
