/* check_wholefile.c - a file written through wholefile_write is there whole, with the mode a
 * plain fopen gives it, or not at all: a failing writer leaves the old file untouched and no
 * temporary file behind. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "wholefile.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mriov-wholefile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *in_dir(const char *name)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* The whole content of path ("" when missing), in a static buffer. */
static const char *content(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* Entries of dir, the given one excepted. */
static int others(const char *except)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && strcmp(e->d_name, except) != 0)
			n++;
	closedir(d);
	return n;
}

static int fill_text(void *arg, FILE *f)
{
	fputs(arg, f);
	return 0;
}

/* Writes half of its text, then fails as a writer out of disk space would. */
static int fill_then_fail(void *arg, FILE *f)
{
	fwrite(arg, 1, strlen(arg) / 2, f);
	return -ENOSPC;
}

START_TEST(test_written_file_holds_what_fill_wrote)
{
	const char *p = in_dir("a.csv");
	struct stat st;
	mode_t mask = umask(022);

	ck_assert_int_eq(wholefile_write(p, fill_text, "x,y\n1,2\n"), 0);
	umask(mask);
	ck_assert_str_eq(content(p), "x,y\n1,2\n");
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644); /* 0666 less the umask, not mkstemp's 0600 */
	ck_assert_int_eq(others("a.csv"), 0);
}
END_TEST

START_TEST(test_new_content_replaces_the_old_whole)
{
	const char *p = in_dir("a.csv");

	ck_assert_int_eq(wholefile_write(p, fill_text, "a much longer old content\n"), 0);
	ck_assert_int_eq(wholefile_write(p, fill_text, "new\n"), 0);
	ck_assert_str_eq(content(p), "new\n");
}
END_TEST

/* The writer's error is returned, the old file stays as it was, nothing is left behind. */
START_TEST(test_failing_writer_leaves_the_old_file)
{
	const char *p = in_dir("a.csv");

	ck_assert_int_eq(wholefile_write(p, fill_text, "old\n"), 0);
	ck_assert_int_eq(wholefile_write(p, fill_then_fail, "half of this is written"), -ENOSPC);
	ck_assert_str_eq(content(p), "old\n");
	ck_assert_int_eq(others("a.csv"), 0);
	ck_assert_int_eq(wholefile_write(in_dir("b.csv"), fill_then_fail, "abcd"), -ENOSPC);
	ck_assert_int_eq(access(in_dir("b.csv"), F_OK), -1);
	ck_assert_int_eq(others("a.csv"), 0);
}
END_TEST

START_TEST(test_missing_directory_is_an_errno)
{
	ck_assert_int_eq(wholefile_write(in_dir("no/such/a.csv"), fill_text, "x"), -ENOENT);
}
END_TEST

/* A stream error the writer did not notice (here: reading from the write-only stream) still
 * fails the write: -EIO, and no file. */
static int fill_with_stream_error(void *arg, FILE *f)
{
	fputs(arg, f);
	(void)fgetc(f);
	return 0;
}

START_TEST(test_stream_error_after_fill_is_reported)
{
	ck_assert_int_eq(wholefile_write(in_dir("c.csv"), fill_with_stream_error, "x"), -EIO);
	ck_assert_int_eq(access(in_dir("c.csv"), F_OK), -1);
	ck_assert_int_eq(others(""), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wholefile");
	TCase *tc = tcase_create("write");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_written_file_holds_what_fill_wrote);
	tcase_add_test(tc, test_new_content_replaces_the_old_whole);
	tcase_add_test(tc, test_failing_writer_leaves_the_old_file);
	tcase_add_test(tc, test_missing_directory_is_an_errno);
	tcase_add_test(tc, test_stream_error_after_fill_is_reported);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
