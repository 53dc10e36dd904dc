/* diag.h - compiler-style diagnostics ("FILE:LINE:COL: error: MESSAGE") collected by the loader. */
#ifndef MRIOV_DIAG_H
#define MRIOV_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* A place in an input: 1-based line and column; line 0 means "no position known". */
struct loc {
	const char *file; /* in a struct diag: an owned copy; elsewhere borrowed */
	int line;
	int col;
};

struct diag {
	struct loc loc;
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, cap;
	int oom; /* set when a message could not be stored; diags_count() still reports >0 */
};

/* An empty list; diags_free frees what it holds and leaves it empty (NULL: a no-op). */
void diags_init(struct diags *d);
void diags_free(struct diags *d);

/* Record an error at loc. Never fails from the caller's view: on allocation failure the
 * list remembers that an error happened (oom) and prints a generic line for it. */
void diags_error(struct diags *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

size_t diags_count(const struct diags *d);

/* Sort by file, line, column (stable) and print one line per error to f. */
void diags_print(struct diags *d, FILE *f);

/* "Did you mean": offer each known name; best is then the closest to word when it is near
 * enough to be a likely typo (1 edit for names of up to 4 characters, else 2), or NULL. */
struct diag_suggest {
	const char *word;
	const char *best;
	int bestd;
};

void diag_suggest_init(struct diag_suggest *s, const char *word);
void diag_suggest_offer(struct diag_suggest *s, const char *cand);

#endif
