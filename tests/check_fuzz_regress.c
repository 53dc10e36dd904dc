/* check_fuzz_regress.c - every input of the fuzz corpus (tests/fuzz-corpus/regress: what the
 * fuzzer found and hand-written hostile files; tests/fuzz-corpus/seed: its seeds) goes through
 * the harness's own code (fuzz_one.c) and must load, or fail with at least one diagnostic,
 * within the test case's timeout: no crash, hang, leak or sanitizer report (docs/fuzzing.md). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_one.h"
#include "testutil.h"

#define MAX_FILES 256

/* Seconds per input; the slowest regression input takes well under one under ASan. */
#define INPUT_TIMEOUT 30

/* "regress/NAME" and "seed/NAME", found once in main() so that a new reproducer is covered
 * without editing this suite. */
static char *files[MAX_FILES];
static int nfiles, nregress, nseed;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int find_files(const char *sub)
{
	char rel[256];
	DIR *dir;
	struct dirent *e;
	int n = 0;

	snprintf(rel, sizeof(rel), "tests/fuzz-corpus/%s", sub);
	dir = opendir(tu_path(rel));
	if (!dir)
		return 0;
	while ((e = readdir(dir)) != NULL && nfiles < MAX_FILES) {
		char name[512];
		if (e->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "%s/%s", sub, e->d_name);
		files[nfiles++] = strdup(name);
		n++;
	}
	closedir(dir);
	qsort(files + nfiles - n, (size_t)n, sizeof(files[0]), cmp_str);
	return n;
}

/* The whole file (it may hold NUL bytes); fails the test when it cannot be read. */
static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	ck_assert_msg(!ferror(f), "cannot read %s", path);
	fclose(f);
	return buf;
}

START_TEST(test_input_loads_or_fails_with_a_diagnostic)
{
	char rel[600];
	struct fuzz_result res;
	unsigned char *data;
	size_t len;
	int rc;

	snprintf(rel, sizeof(rel), "tests/fuzz-corpus/%s", files[_i]);
	data = read_all(tu_path(rel), &len);
	rc = fuzz_one(data, len, &res);
	ck_assert_msg(rc == 0, "%s: %s with %zu diagnostic(s)", files[_i],
		      res.loaded ? "loaded" : "failed", res.ndiags);
	free(data);
}
END_TEST

START_TEST(test_corpus_is_present)
{
	/* an empty or moved corpus would make the loop above pass without testing anything */
	ck_assert_int_ge(nregress, 20);
	ck_assert_int_ge(nseed, 10);
	ck_assert_int_lt(nfiles, MAX_FILES);
}
END_TEST

START_TEST(test_set_lines_are_passed_as_overrides)
{
	/* the harness takes "#set PATH=VALUE" lines as --set strings: this one must fail */
	static const char in[] =
		"#set hosts.h0.nosuch.key=1\n"
		"#set =\n"
		"name: t\n"
		"hosts: [{name: h0}]\n"
		"devices: [{name: d}]\n"
		"links: [{a: h0, b: d, gen: 4, width: 1}]\n";
	struct fuzz_result res;

	ck_assert_int_eq(fuzz_one((const uint8_t *)in, sizeof(in) - 1, &res), 0);
	ck_assert_uint_eq(res.nsets, 2);
	ck_assert_int_eq(res.loaded, 0);
	ck_assert_uint_ge(res.ndiags, 2);
	/* and without them the same file loads */
	ck_assert_int_eq(fuzz_one((const uint8_t *)in + 34, sizeof(in) - 35, &res), 0);
	ck_assert_uint_eq(res.nsets, 0);
	ck_assert_int_eq(res.loaded, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz_regress");
	TCase *tc = tcase_create("corpus");
	int rc;

	nregress = find_files("regress");
	nseed = find_files("seed");
	tcase_set_timeout(tc, INPUT_TIMEOUT);
	tcase_add_test(tc, test_corpus_is_present);
	tcase_add_test(tc, test_set_lines_are_passed_as_overrides);
	tcase_add_loop_test(tc, test_input_loads_or_fails_with_a_diagnostic, 0, nfiles);
	suite_add_tcase(s, tc);
	rc = tu_run(s);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	return rc;
}
