/* check_diag.c - diagnostics: what is recorded, the order and the exact text they are printed
 * in, the cap on their number, and "did you mean" suggestions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* diags_print's output as one string (caller frees). */
static char *printed(struct diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	diags_print(d, f);
	fclose(f);
	return buf;
}

START_TEST(test_diag_error_is_printed_in_compiler_format)
{
	struct diags d;
	char *out;

	diags_init(&d);
	ck_assert_uint_eq(diags_count(&d), 0);
	diags_error(&d, (struct loc){"a.yaml", 3, 7}, "width: %d is not a PCIe width", 5);
	ck_assert_uint_eq(diags_count(&d), 1);
	out = printed(&d);
	ck_assert_str_eq(out, "a.yaml:3:7: error: width: 5 is not a PCIe width\n");
	free(out);
	diags_free(&d);
}
END_TEST

/* line 0 means "no position": the line names the file only; no file names the program */
START_TEST(test_diag_without_position_names_the_file_only)
{
	struct diags d;
	char *out;

	diags_init(&d);
	diags_error(&d, (struct loc){"b.yaml", 0, 0}, "cannot open: %s", "No such file");
	diags_error(&d, (struct loc){NULL, 0, 0}, "out of memory");
	out = printed(&d);
	ck_assert_str_eq(out, "b.yaml: error: cannot open: No such file\n"
			      "mriovsim: error: out of memory\n");
	free(out);
	diags_free(&d);
}
END_TEST

/* Sorted by file name, then line, then column, whatever order they were found in. */
START_TEST(test_diags_are_sorted_by_file_line_and_column)
{
	struct diags d;
	char *out;

	diags_init(&d);
	diags_error(&d, (struct loc){"t.yaml", 9, 1}, "fourth");
	diags_error(&d, (struct loc){"t.yaml", 2, 5}, "third");
	diags_error(&d, (struct loc){"command line", 1, 8}, "first");
	diags_error(&d, (struct loc){"t.yaml", 2, 3}, "second");
	out = printed(&d);
	ck_assert_str_eq(out, "command line:1:8: error: first\n"
			      "t.yaml:2:3: error: second\n"
			      "t.yaml:2:5: error: third\n"
			      "t.yaml:9:1: error: fourth\n");
	free(out);
	diags_free(&d);
}
END_TEST

/* Two errors at one place keep the order they were found in (the sort is stable). */
START_TEST(test_diags_at_one_place_keep_their_order)
{
	struct diags d;
	char *out;

	diags_init(&d);
	diags_error(&d, (struct loc){"t.yaml", 4, 2}, "b comes first");
	diags_error(&d, (struct loc){"t.yaml", 1, 1}, "before both");
	diags_error(&d, (struct loc){"t.yaml", 4, 2}, "a comes second");
	out = printed(&d);
	ck_assert_str_eq(out, "t.yaml:1:1: error: before both\n"
			      "t.yaml:4:2: error: b comes first\n"
			      "t.yaml:4:2: error: a comes second\n");
	free(out);
	diags_free(&d);
}
END_TEST

/* The loc's file is copied: the caller's buffer may change or go away after the call. */
START_TEST(test_diag_keeps_its_own_copy_of_the_file_name)
{
	struct diags d;
	char name[16] = "x.yaml";
	char *out;

	diags_init(&d);
	diags_error(&d, (struct loc){name, 1, 1}, "m");
	strcpy(name, "changed");
	out = printed(&d);
	ck_assert_str_eq(out, "x.yaml:1:1: error: m\n");
	free(out);
	diags_free(&d);
}
END_TEST

/* 1000 errors are kept; the 1001st says the rest are not shown, and later ones are dropped. */
START_TEST(test_diags_stop_after_1000_with_one_last_line)
{
	struct diags d;
	char *out, *last;
	size_t lines = 0;

	diags_init(&d);
	for (int i = 0; i < 5000; i++)
		diags_error(&d, (struct loc){"t.yaml", i + 1, 1}, "error %d", i);
	ck_assert_uint_eq(diags_count(&d), 1001);
	out = printed(&d);
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	ck_assert_uint_eq(lines, 1001);
	/* the note has no position, so it sorts before "t.yaml:" lines only by file name:
	 * both name t.yaml, and line 0 comes first */
	ck_assert_msg(strncmp(out, "t.yaml: error: too many errors; the rest are not shown\n",
			      55) == 0, "%.80s", out);
	last = strstr(out, "t.yaml:1000:1: error: error 999\n");
	ck_assert_ptr_nonnull(last);
	ck_assert_ptr_null(strstr(out, "error 1000\n"));
	free(out);
	diags_free(&d);
}
END_TEST

/* diags_free leaves an empty list that can be used again. */
START_TEST(test_diags_free_empties_the_list)
{
	struct diags d;
	char *out;

	diags_init(&d);
	diags_error(&d, (struct loc){"t.yaml", 1, 1}, "old");
	diags_free(&d);
	ck_assert_uint_eq(diags_count(&d), 0);
	diags_error(&d, (struct loc){"t.yaml", 2, 1}, "new");
	out = printed(&d);
	ck_assert_str_eq(out, "t.yaml:2:1: error: new\n");
	free(out);
	diags_free(&d);
	diags_free(NULL); /* a no-op */
}
END_TEST

static const char *suggest(const char *word, const char *const *cands)
{
	struct diag_suggest s;

	diag_suggest_init(&s, word);
	for (; *cands; cands++)
		diag_suggest_offer(&s, *cands);
	return s.best;
}

/* Names of up to 4 characters allow 1 edit, longer ones 2 (counted on the candidate). */
START_TEST(test_suggestion_distance_depends_on_length)
{
	static const char *const short_names[] = {"gen", NULL};
	static const char *const long_names[] = {"width", "latency", NULL};

	ck_assert_ptr_null(suggest("gne", short_names)); /* a swap costs 2 edits */
	ck_assert_str_eq(suggest("ge", short_names), "gen");          /* 1 deletion */
	ck_assert_ptr_null(suggest("g", short_names));                 /* 2 edits */
	ck_assert_str_eq(suggest("widht", long_names), "width");      /* 2 substitutions */
	ck_assert_str_eq(suggest("latncy", long_names), "latency");   /* 1 insertion */
	ck_assert_ptr_null(suggest("wd", long_names));                 /* 3 edits */
	ck_assert_ptr_null(suggest("bandwidth", long_names));
}
END_TEST

/* The closest candidate wins; among equally close ones, the first offered. */
START_TEST(test_suggestion_prefers_the_closest_then_the_first)
{
	ck_assert_str_eq(suggest("mra1", (const char *const[]){"mrb2", "mra2", "mra1x", NULL}),
			 "mra2");
	ck_assert_str_eq(suggest("nic9", (const char *const[]){"nic0", "nic1", NULL}), "nic0");
	ck_assert_str_eq(suggest("blade", (const char *const[]){"blade0", "blade", NULL}),
			 "blade");
}
END_TEST

/* A NULL candidate is skipped; words of 63 characters or more are never near anything. */
START_TEST(test_suggestion_ignores_null_and_overlong_words)
{
	char big[80];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_str_eq(suggest("wrr", (const char *const[]){"wr", NULL}), "wr");
	{
		struct diag_suggest s;
		diag_suggest_init(&s, "wrr");
		diag_suggest_offer(&s, NULL);
		ck_assert_ptr_null(s.best);
		diag_suggest_init(&s, big);
		diag_suggest_offer(&s, big);
		ck_assert_ptr_null(s.best);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diag");
	TCase *rec = tcase_create("record and print");
	TCase *sug = tcase_create("suggest");

	tcase_add_test(rec, test_diag_error_is_printed_in_compiler_format);
	tcase_add_test(rec, test_diag_without_position_names_the_file_only);
	tcase_add_test(rec, test_diags_are_sorted_by_file_line_and_column);
	tcase_add_test(rec, test_diags_at_one_place_keep_their_order);
	tcase_add_test(rec, test_diag_keeps_its_own_copy_of_the_file_name);
	tcase_add_test(rec, test_diags_stop_after_1000_with_one_last_line);
	tcase_add_test(rec, test_diags_free_empties_the_list);
	tcase_add_test(sug, test_suggestion_distance_depends_on_length);
	tcase_add_test(sug, test_suggestion_prefers_the_closest_then_the_first);
	tcase_add_test(sug, test_suggestion_ignores_null_and_overlong_words);
	suite_add_tcase(s, rec);
	suite_add_tcase(s, sug);
	return tu_run(s);
}
