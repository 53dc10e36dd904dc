/* fuzz_loader.c - libFuzzer harness for the topology loader: any bytes, plus --set strings
 * taken from "#set PATH=VALUE" lines, must load or fail with diagnostics, never crash, hang,
 * leak or exhaust memory (contract §1 "No input file may make it crash, hang ..."). */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_result res;

	/* a failure without a diagnostic, or a success with one, breaks the contract */
	if (fuzz_one(data, size, &res))
		abort();
	return 0;
}
