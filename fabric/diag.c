/* diag.c - collect and print compiler-style diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void diags_free(struct diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].msg);
		free((char *)d->v[i].loc.file);
	}
	free(d->v);
	diags_init(d);
}

/* Errors kept per list. Aliases let a small file repeat one bad node a million times; past
 * this many, one last error says that the rest are not shown (and printing stays fast). */
#define DIAGS_MAX 1000

void diags_error(struct diags *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	int len;
	char *msg;

	if (d->n > DIAGS_MAX)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct diag *v = realloc(d->v, cap * sizeof(*v));
		if (!v) {
			d->oom = 1;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	if (d->n == DIAGS_MAX) {
		msg = strdup("too many errors; the rest are not shown");
		loc.line = loc.col = 0;
	} else {
		va_start(ap, fmt);
		len = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
		if (msg) {
			va_start(ap, fmt);
			vsnprintf(msg, (size_t)len + 1, fmt, ap);
			va_end(ap);
		}
	}
	if (!msg) {
		d->oom = 1;
		return;
	}
	d->v[d->n].loc = loc;
	d->v[d->n].loc.file = strdup(loc.file ? loc.file : "mriovsim");
	if (!d->v[d->n].loc.file) {
		free(msg);
		d->oom = 1;
		return;
	}
	d->v[d->n].msg = msg;
	d->n++;
}

size_t diags_count(const struct diags *d)
{
	return d->n + (d->oom ? 1 : 0);
}

static int cmp_loc(const struct loc *a, const struct loc *b)
{
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

void diags_print(struct diags *d, FILE *f)
{
	/* Insertion sort keeps equal positions in the order they were found. */
	for (size_t i = 1; i < d->n; i++) {
		struct diag x = d->v[i];
		size_t j = i;
		while (j > 0 && cmp_loc(&d->v[j - 1].loc, &x.loc) > 0) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct loc *l = &d->v[i].loc;
		if (l->line > 0)
			fprintf(f, "%s:%d:%d: error: %s\n", l->file, l->line, l->col, d->v[i].msg);
		else
			fprintf(f, "%s: error: %s\n", l->file ? l->file : "mriovsim", d->v[i].msg);
	}
	if (d->oom)
		fprintf(f, "mriovsim: error: out of memory while reporting errors\n");
}

/* Levenshtein distance, capped by the short strings used as keys and names. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

void diag_suggest_init(struct diag_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->bestd = 3;
}

void diag_suggest_offer(struct diag_suggest *s, const char *cand)
{
	int d, limit;

	if (!cand)
		return;
	d = edit_distance(s->word, cand);
	limit = strlen(cand) <= 4 ? 1 : 2;
	if (d <= limit && d < s->bestd) {
		s->bestd = d;
		s->best = cand;
	}
}
