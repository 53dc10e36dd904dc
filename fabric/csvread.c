/* csvread.c - a small CSV reader for mriovsim's own result files. */
#include "csvread.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push(void **v, size_t *n, size_t *cap, size_t size, const void *item)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		void *nv = realloc(*v, nc * size);
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	memcpy((char *)*v + *n * size, item, size);
	(*n)++;
	return 0;
}

/* Split one line (quotes may not span lines in our files) into fields. */
static int split(const char *line, char ***out, size_t *nout)
{
	char **f = NULL, *buf;
	size_t n = 0, cap = 0, len = strlen(line);

	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	for (const char *p = line;;) {
		size_t k = 0;
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				buf[k++] = *p;
			}
			if (*p == '"')
				p++;
		}
		while (*p && *p != ',' && *p != '\n' && *p != '\r')
			buf[k++] = *p++;
		buf[k] = '\0';
		char *field = strdup(buf);
		if (!field || push((void **)&f, &n, &cap, sizeof(*f), &field)) {
			free(field);
			goto fail;
		}
		if (*p != ',')
			break;
		p++;
	}
	free(buf);
	*out = f;
	*nout = n;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	free(f);
	free(buf);
	return -ENOMEM;
}

int csv_read(const char *path, struct csv *c)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, rcap = 0, ncap = 0, nn = 0;
	int err = 0;

	memset(c, 0, sizeof(*c));
	if (!fp)
		return -errno;
	while (getline(&line, &cap, fp) > 0) {
		char **fields;
		size_t n;
		if ((err = split(line, &fields, &n)))
			break;
		/* the count first: csv_free reads nfields[r] for every row r stored */
		if (push((void **)&c->nfields, &nn, &ncap, sizeof(*c->nfields), &n) ||
		    push((void **)&c->rows, &c->nrows, &rcap, sizeof(*c->rows), &fields)) {
			for (size_t k = 0; k < n; k++)
				free(fields[k]);
			free(fields);
			err = -ENOMEM;
			break;
		}
	}
	free(line);
	fclose(fp);
	if (err)
		csv_free(c);
	return err;
}

void csv_free(struct csv *c)
{
	if (!c)
		return;
	for (size_t r = 0; r < c->nrows; r++) {
		for (size_t k = 0; k < c->nfields[r]; k++)
			free(c->rows[r][k]);
		free(c->rows[r]);
	}
	free(c->rows);
	free(c->nfields);
	memset(c, 0, sizeof(*c));
}

int csv_col(const struct csv *c, const char *name)
{
	for (size_t k = 0; c->nrows && k < c->nfields[0]; k++)
		if (strcmp(c->rows[0][k], name) == 0)
			return (int)k;
	return -1;
}

const char *csv_get(const struct csv *c, size_t r, int k)
{
	if (r >= c->nrows || k < 0 || (size_t)k >= c->nfields[r])
		return "";
	return c->rows[r][k];
}
