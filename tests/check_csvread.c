/* check_csvread.c - the reader of mriovsim's own CSV files: fields, RFC 4180 quotes, empty
 * fields, CRLF line ends, lookups by column name, a missing file, and running out of memory
 * (allocations wrapped with ld --wrap, as in check_oom.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "testutil.h"

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);

static long fail_at, calls; /* the allocation that fails, from 1; 0: none */

void *__wrap_malloc(size_t n)
{
	return fail_at > 0 && ++calls == fail_at ? NULL : __real_malloc(n);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_at > 0 && ++calls == fail_at ? NULL : __real_realloc(p, n);
}

static char path[64];

/* Write text to a fresh temporary file; its name is in path. */
static const char *file_with(const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/mriov-csv-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(test_rows_and_fields_are_split_at_commas)
{
	struct csv c;

	ck_assert_int_eq(csv_read(file_with("host,vh,gbps\nh0,1,7.5\nh1,2,\n"), &c), 0);
	unlink(path);
	ck_assert_uint_eq(c.nrows, 3);
	ck_assert_uint_eq(c.nfields[0], 3);
	ck_assert_int_eq(csv_col(&c, "gbps"), 2);
	ck_assert_int_eq(csv_col(&c, "host"), 0);
	ck_assert_int_eq(csv_col(&c, "nope"), -1);
	ck_assert_str_eq(csv_get(&c, 1, 2), "7.5");
	ck_assert_str_eq(csv_get(&c, 2, 0), "h1");
	ck_assert_str_eq(csv_get(&c, 2, 2), ""); /* an empty last field is a field */
	ck_assert_uint_eq(c.nfields[2], 3);
	/* outside the table: "" */
	ck_assert_str_eq(csv_get(&c, 3, 0), "");
	ck_assert_str_eq(csv_get(&c, 1, 3), "");
	ck_assert_str_eq(csv_get(&c, 1, -1), "");
	csv_free(&c);
	ck_assert_uint_eq(c.nrows, 0);
	csv_free(NULL);
}
END_TEST

/* RFC 4180: a quoted field may hold commas, and "" stands for one quote. */
START_TEST(test_quoted_fields_keep_commas_and_quotes)
{
	struct csv c;

	ck_assert_int_eq(csv_read(file_with("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n"), &c), 0);
	unlink(path);
	ck_assert_uint_eq(c.nrows, 2);
	ck_assert_uint_eq(c.nfields[1], 2);
	ck_assert_str_eq(csv_get(&c, 1, 0), "x, y");
	ck_assert_str_eq(csv_get(&c, 1, 1), "say \"hi\"");
	ck_assert_str_eq(csv_get(&c, 0, 1), "b"); /* no \r left at the end of a CRLF line */
	csv_free(&c);
}
END_TEST

START_TEST(test_missing_file_is_enoent)
{
	struct csv c;

	ck_assert_int_eq(csv_read("/nonexistent/mriov/x.csv", &c), -ENOENT);
	ck_assert_uint_eq(c.nrows, 0);
	csv_free(&c);
}
END_TEST

/* Each allocation failing in turn: -ENOMEM and nothing kept (ASan would see a leak or a
 * read past the arrays), until a read makes fewer allocations than the one that fails. */
START_TEST(test_out_of_memory_is_enomem_and_leaks_nothing)
{
	const char *p = file_with("a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
	struct csv c;
	long n;
	int err;

	for (n = 1; n < 1000; n++) {
		calls = 0;
		fail_at = n;
		err = csv_read(p, &c);
		fail_at = 0;
		if (calls < n)
			break;
		ck_assert_int_eq(err, -ENOMEM);
		ck_assert_uint_eq(c.nrows, 0);
	}
	unlink(p);
	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(c.nrows, 4);
	csv_free(&c);
	ck_assert_int_gt(n, 8); /* 4 rows of 3 fields: the loop failed every one of them */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csvread");
	TCase *tc = tcase_create("read");

	tcase_add_test(tc, test_rows_and_fields_are_split_at_commas);
	tcase_add_test(tc, test_quoted_fields_keep_commas_and_quotes);
	tcase_add_test(tc, test_missing_file_is_enoent);
	tcase_add_test(tc, test_out_of_memory_is_enomem_and_leaks_nothing);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
