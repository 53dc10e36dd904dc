/* check_slab.c - the fixed-size object allocator (models/slab.c). */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "slab.h"
#include "testutil.h"

START_TEST(test_objects_are_zeroed_distinct_and_reused)
{
	struct slab s;
	unsigned char *a, *b;

	slab_init(&s, 40);
	a = slab_alloc(&s);
	b = slab_alloc(&s);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	ck_assert_int_ge((intptr_t)(b > a ? b - a : a - b), 40); /* they do not overlap */
	memset(a, 0xab, 40);
	ck_assert_int_eq(s.live, 2);
	slab_free(&s, a);
	ck_assert_int_eq(s.live, 1);
	unsigned char *c = slab_alloc(&s);
	ck_assert_ptr_eq(c, a); /* the freed object comes back first */
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(c[i], 0); /* and zeroed again */
	slab_destroy(&s);
}
END_TEST

START_TEST(test_many_objects_span_blocks)
{
	struct slab s;
	void *p[3000];

	slab_init(&s, 1); /* rounded up to hold the free-list link */
	ck_assert_uint_ge(s.size, sizeof(void *));
	for (int i = 0; i < 3000; i++) {
		p[i] = slab_alloc(&s);
		ck_assert_ptr_nonnull(p[i]);
		*(int *)p[i] = i;
	}
	ck_assert_uint_ge(s.nblocks, 3);
	for (int i = 0; i < 3000; i++)
		ck_assert_int_eq(*(int *)p[i], i); /* no object overwrote another */
	slab_destroy(&s);
	ck_assert_int_eq(s.nblocks, 0);
}
END_TEST

/* Each object starts where it spans no more cache lines than its size needs: objects up to
 * 64 bytes within one line, larger ones from the start of a line (a TLP of 120 bytes in two
 * lines, not three). */
START_TEST(test_objects_do_not_straddle_cache_lines)
{
	static const size_t sizes[] = {8, 24, 40, 64, 104, 120, 136};

	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		struct slab s;
		slab_init(&s, sizes[k]);
		ck_assert_uint_ge(s.size, sizes[k]);
		for (int i = 0; i < 2100; i++) { /* three blocks */
			uintptr_t a = (uintptr_t)slab_alloc(&s);
			ck_assert_uint_ne(a, 0);
			if (sizes[k] <= 64)
				ck_assert_uint_eq(a / 64, (a + sizes[k] - 1) / 64);
			else
				ck_assert_uint_eq(a % 64, 0);
		}
		slab_destroy(&s);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("slab");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_objects_are_zeroed_distinct_and_reused);
	tcase_add_test(tc, test_many_objects_span_blocks);
	tcase_add_test(tc, test_objects_do_not_straddle_cache_lines);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
