/* diag.h - compiler-style diagnostics ("FILE:LINE:COL: error: MESSAGE", and warnings)
 * collected by the loader; with the source they point into, printed as compilers print them. */
#ifndef MRIOV_DIAG_H
#define MRIOV_DIAG_H

#include <stdbool.h>
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
	bool warning; /* valid but almost certainly not meant (contract §13) */
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t nwarn; /* how many of v are warnings */
	int oom; /* set when a message could not be stored; diags_count() still reports >0 */
	/* the text the locations point into, for the source lines (diags_set_source) */
	char *src_file, *src;
	size_t src_len;
	char **cmdline; /* the --set arguments: "command line:N" is cmdline[N-1] */
	size_t ncmdline;
	bool show_source; /* diags_print: each line followed by its source line and a caret */
};

/* An empty list; diags_free frees what it holds and leaves it empty (NULL: a no-op). */
void diags_init(struct diags *d);
void diags_free(struct diags *d);

/* Record an error at loc. Never fails from the caller's view: on allocation failure the
 * list remembers that an error happened (oom) and prints a generic line for it. */
void diags_error(struct diags *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record a warning at loc ("FILE:LINE:COL: warning: MESSAGE"); never fails, as above (a
 * warning lost for memory is dropped silently: it changes nothing). */
void diags_warning(struct diags *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Errors recorded (warnings do not count). */
size_t diags_count(const struct diags *d);

/* Keep a copy of the input the locations point into: file's text (len bytes) and the
 * command-line arguments of file "command line" (line N is args[N-1]). 0 or -ENOMEM. */
int diags_set_source(struct diags *d, const char *file, const char *buf, size_t len,
		     char *const *args, size_t nargs);

/* Sort by file, line, column (stable) and print one line per error or warning to f; with
 * d->show_source, each followed by its source line and a caret under the column. */
void diags_print(struct diags *d, FILE *f);

/* Append copies of src's warnings to dst. 0 or -ENOMEM. */
int diags_copy_warnings(struct diags *dst, const struct diags *src);

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
