/* csvread.h - read the CSV files mriovsim writes (a header row; RFC 4180 quoting). */
#ifndef MRIOV_CSVREAD_H
#define MRIOV_CSVREAD_H

#include <stddef.h>

struct csv {
	char ***rows;  /* rows[0] is the header; fields are NUL-terminated strings */
	size_t *nfields;
	size_t nrows;
};

/* Read path. Returns 0, or a negative errno (-ENOENT when it does not exist). */
int csv_read(const char *path, struct csv *c);
/* Free what csv_read filled in; c is left empty. NULL is a no-op. */
void csv_free(struct csv *c);
/* Column index of a header name, or -1. */
int csv_col(const struct csv *c, const char *name);
/* Field (row r >= 1, column k), "" when missing. */
const char *csv_get(const struct csv *c, size_t r, int k);

#endif
