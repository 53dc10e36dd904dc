/* wholefile.h - write a file whole or not at all: a temporary name in the same directory,
 * then rename(2), so that an interrupted writer never leaves a half-written file. */
#ifndef MRIOV_WHOLEFILE_H
#define MRIOV_WHOLEFILE_H

#include <stdio.h>

/* Call fill(arg, f) on a temporary file beside path and rename it to path when fill returns
 * 0 and every write succeeded. Returns 0 or a negative errno; on failure path is untouched
 * and the temporary file is removed. */
int wholefile_write(const char *path, int (*fill)(void *arg, FILE *f), void *arg);

#endif
