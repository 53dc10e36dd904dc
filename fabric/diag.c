/* diag.c - collect and print compiler-style diagnostics. */
#include "diag.h"

#include <errno.h>
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
	free(d->src_file);
	free(d->src);
	for (size_t i = 0; i < d->ncmdline; i++)
		free(d->cmdline[i]);
	free(d->cmdline);
	diags_init(d);
}

/* Errors kept per list. Aliases let a small file repeat one bad node a million times; past
 * this many, one last error says that the rest are not shown (and printing stays fast). */
#define DIAGS_MAX 1000

/* Store msg (owned) at loc; on failure frees it and notes the loss of an error. */
static void diags_put(struct diags *d, struct loc loc, bool warning, char *msg)
{
	if (msg && d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct diag *v = realloc(d->v, cap * sizeof(*v));
		if (!v) {
			free(msg);
			msg = NULL;
		} else {
			d->v = v;
			d->cap = cap;
		}
	}
	if (msg) {
		d->v[d->n].loc = loc;
		d->v[d->n].loc.file = strdup(loc.file ? loc.file : "mriovsim");
		if (!d->v[d->n].loc.file) {
			free(msg);
			msg = NULL;
		}
	}
	if (!msg) {
		if (!warning)
			d->oom = 1;
		return;
	}
	d->v[d->n].warning = warning;
	d->v[d->n].msg = msg;
	d->n++;
	d->nwarn += warning;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list aq;
	int len;
	char *msg;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (msg)
		vsnprintf(msg, (size_t)len + 1, fmt, ap);
	return msg;
}

void diags_error(struct diags *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (d->n > DIAGS_MAX)
		return;
	if (d->n == DIAGS_MAX) {
		msg = strdup("too many errors; the rest are not shown");
		loc.line = loc.col = 0;
	} else {
		va_start(ap, fmt);
		msg = vformat(fmt, ap);
		va_end(ap);
	}
	diags_put(d, loc, false, msg);
}

void diags_warning(struct diags *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (d->n >= DIAGS_MAX)
		return;
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	diags_put(d, loc, true, msg);
}

size_t diags_count(const struct diags *d)
{
	return d->n - d->nwarn + (d->oom ? 1 : 0);
}

int diags_copy_warnings(struct diags *dst, const struct diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (!src->v[i].warning)
			continue;
		size_t before = dst->n;
		diags_warning(dst, src->v[i].loc, "%s", src->v[i].msg);
		if (dst->n == before)
			return -ENOMEM;
	}
	return 0;
}

int diags_set_source(struct diags *d, const char *file, const char *buf, size_t len,
		     char *const *args, size_t nargs)
{
	free(d->src_file);
	free(d->src);
	for (size_t i = 0; i < d->ncmdline; i++)
		free(d->cmdline[i]);
	free(d->cmdline);
	d->ncmdline = 0;
	d->src_file = strdup(file);
	d->src = malloc(len + 1);
	d->cmdline = calloc(nargs ? nargs : 1, sizeof(*d->cmdline));
	if (!d->src_file || !d->src || !d->cmdline)
		return -ENOMEM;
	memcpy(d->src, buf, len);
	d->src[len] = '\0';
	d->src_len = len;
	for (; d->ncmdline < nargs; d->ncmdline++)
		if (!(d->cmdline[d->ncmdline] = strdup(args[d->ncmdline])))
			return -ENOMEM;
	return 0;
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

/* The text of line `line` (1-based) of the source loc points into, and its length; NULL
 * when it is not known. */
static const char *source_line(const struct diags *d, const struct loc *l, size_t *len)
{
	const char *p, *end;

	if (l->line <= 0)
		return NULL;
	if (strcmp(l->file, "command line") == 0) {
		if ((size_t)l->line > d->ncmdline)
			return NULL;
		*len = strlen(d->cmdline[l->line - 1]);
		return d->cmdline[l->line - 1];
	}
	if (!d->src || !d->src_file || strcmp(l->file, d->src_file) != 0)
		return NULL;
	p = d->src;
	end = d->src + d->src_len;
	for (int n = 1; n < l->line && p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p >= end)
		return NULL;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

/* The line, then a caret under column col (counted in characters: UTF-8 continuation
 * bytes take no column; a tab stays a tab so that the caret lines up). */
static void print_caret(FILE *f, const char *line, size_t len, int col)
{
	int c = 1;

	fprintf(f, "  %.*s\n  ", (int)len, line);
	for (size_t i = 0; i < len && c < col; i++) {
		unsigned char ch = (unsigned char)line[i];
		if ((ch & 0xc0) == 0x80)
			continue;
		fputc(ch == '\t' ? '\t' : ' ', f);
		c++;
	}
	fputs("^\n", f);
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
		const char *sev = d->v[i].warning ? "warning" : "error", *line;
		size_t len;
		if (l->line > 0)
			fprintf(f, "%s:%d:%d: %s: %s\n", l->file, l->line, l->col, sev, d->v[i].msg);
		else
			fprintf(f, "%s: %s: %s\n", l->file ? l->file : "mriovsim", sev, d->v[i].msg);
		if (d->show_source && (line = source_line(d, l, &len)))
			print_caret(f, line, len, l->col);
	}
	if (d->oom)
		fprintf(f, "mriovsim: error: out of memory while reporting errors\n");
}

/* Edit distance with adjacent transpositions ("vray" -> "vary" is one edit: optimal string
 * alignment), capped by the short strings used as keys and names. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int r0[64], r1[64], r2[64], *pp = r0, *prev = r1, *row = r2;

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			row[j] = best;
		}
		int *t = pp;
		pp = prev;
		prev = row;
		row = t;
	}
	return prev[lb];
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
