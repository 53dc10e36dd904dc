/* check_yamldoc.c - the parsed document's helpers: node lookups, each node's place, the first
 * pass (nesting limit with its position, where aliases are used), and freeing. */
#include <errno.h>
#include <string.h>

#include "testutil.h"
#include "yamldoc.h"

/* Scan then load text into y (as the loader does); returns ydoc_scan's result. */
static int parse(struct ydoc *y, const char *text, yaml_mark_t *deep)
{
	yaml_parser_t p;
	int err;

	memset(y, 0, sizeof(*y));
	y->file = "t.yaml";
	ck_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
	err = ydoc_scan(&p, y, deep);
	yaml_parser_delete(&p);
	if (err)
		return err;
	ck_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
	ck_assert(yaml_parser_load(&p, &y->doc));
	yaml_parser_delete(&p);
	y->nfile_nodes = (int)(y->doc.nodes.top - y->doc.nodes.start);
	return 0;
}

static void done(struct ydoc *y)
{
	yaml_document_delete(&y->doc);
	ydoc_free(y);
	ck_assert_ptr_null(y->aliases);
	ck_assert_uint_eq(y->naliases, 0);
}

START_TEST(test_map_get_and_scalar_and_place)
{
	struct ydoc y;
	yaml_mark_t deep;
	int v;

	ck_assert_int_eq(parse(&y, "name: t\nrun:\n  seed: 7\n", &deep), 0);
	v = ydoc_map_get(&y, 1, "run");
	ck_assert_int_gt(v, 0);
	ck_assert_ptr_null(ydoc_scalar(&y, v)); /* a mapping */
	ck_assert_str_eq(ydoc_scalar(&y, ydoc_map_get(&y, v, "seed")), "7");
	ck_assert_int_eq(ydoc_map_get(&y, v, "nope"), 0);
	ck_assert_int_eq(ydoc_map_get(&y, ydoc_map_get(&y, 1, "name"), "x"), 0); /* a scalar */
	struct loc l = ydoc_loc(&y, ydoc_map_get(&y, v, "seed"));
	ck_assert_str_eq(l.file, "t.yaml");
	ck_assert_int_eq(l.line, 3);
	ck_assert_int_eq(l.col, 9);
	l = ydoc_loc(&y, 9999); /* no such node: no position */
	ck_assert_int_eq(l.line, 0);
	done(&y);
}
END_TEST

/* "*a" used as item 1 of the list (node 3 in event order) is recorded where it is written. */
START_TEST(test_alias_uses_are_located)
{
	struct ydoc y;
	yaml_mark_t deep;
	struct loc l;
	int list, first;

	ck_assert_int_eq(parse(&y, "l:\n  - &a {x: 1}\n  - *a\n", &deep), 0);
	ck_assert_uint_eq(y.naliases, 1);
	list = ydoc_map_get(&y, 1, "l");
	first = y.doc.nodes.start[list - 1].data.sequence.items.start[0];
	ck_assert(ydoc_alias_at(&y, list, 1, first, &l));
	ck_assert_int_eq(l.line, 3);
	ck_assert_int_eq(l.col, 5);
	ck_assert(!ydoc_alias_at(&y, list, 0, first, &l)); /* item 0 is the anchor itself */
	done(&y);
}
END_TEST

/* Nesting deeper than YDOC_MAX_DEPTH is refused by the first pass, at the opening bracket. */
START_TEST(test_deep_nesting_is_refused_with_its_place)
{
	char text[256];
	struct ydoc y;
	yaml_mark_t deep;

	memset(text, '[', YDOC_MAX_DEPTH + 1);
	text[YDOC_MAX_DEPTH + 1] = '\0';
	ck_assert_int_eq(parse(&y, text, &deep), -E2BIG);
	ck_assert_uint_eq(deep.line, 0);
	ck_assert_uint_eq(deep.column, YDOC_MAX_DEPTH); /* 0-based: the 65th '[' */
	ydoc_free(&y);
	/* one level less is only a syntax error (unclosed), not too deep */
	text[YDOC_MAX_DEPTH] = '\0';
	ck_assert_int_eq(parse(&y, text, &deep), -EINVAL);
	ydoc_free(&y);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("yamldoc");
	TCase *tc = tcase_create("document");

	tcase_add_test(tc, test_map_get_and_scalar_and_place);
	tcase_add_test(tc, test_alias_uses_are_located);
	tcase_add_test(tc, test_deep_nesting_is_refused_with_its_place);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
