/* check_tpool.c - dated unit pools (models/tpool.c): units given back "at t" are usable from
 * t on, never before, in date order whatever the order they were given in. */
#include <check.h>
#include <math.h>

#include "testutil.h"
#include "tpool.h"

START_TEST(test_units_come_back_at_their_date_not_before)
{
	struct tpool p;

	ck_assert_int_eq(tpool_init(&p, 4), 0);
	ck_assert_int_eq(tpool_avail(&p, 0), 4);
	tpool_take(&p, 3);
	ck_assert_int_eq(tpool_avail(&p, 0), 1);
	ck_assert_int_eq(tpool_give(&p, 2, 5.0), 0);
	ck_assert_int_eq(tpool_in_use(&p), 1);
	ck_assert(tpool_next_return(&p) == 5.0);
	ck_assert_int_eq(tpool_avail(&p, 4.999), 1);
	ck_assert_int_eq(tpool_avail(&p, 5.0), 3);
	ck_assert(isinf(tpool_next_return(&p)));
	tpool_destroy(&p);
}
END_TEST

START_TEST(test_returns_given_out_of_order_apply_in_date_order)
{
	struct tpool p;

	ck_assert_int_eq(tpool_init(&p, 100), 0);
	tpool_take(&p, 100);
	/* 40 returns (more than the initial capacity of 16), dates 40, 39, ..., 1 */
	for (int i = 40; i >= 1; i--)
		ck_assert_int_eq(tpool_give(&p, 1, i), 0);
	for (int t = 1; t <= 40; t++) {
		ck_assert(tpool_next_return(&p) == t);
		ck_assert_int_eq(tpool_avail(&p, t), t);
	}
	ck_assert_int_eq(tpool_in_use(&p), 60); /* 100 taken, 40 back */
	tpool_destroy(&p);
}
END_TEST

START_TEST(test_infinite_pool_never_runs_out)
{
	struct tpool p;

	ck_assert_int_eq(tpool_init(&p, -1), 0);
	int64_t a = tpool_avail(&p, 0);
	tpool_take(&p, 1000000);
	ck_assert_int_eq(tpool_avail(&p, 0), a);
	ck_assert_int_eq(tpool_give(&p, 5, 1.0), 0); /* nothing to remember */
	ck_assert(isinf(tpool_next_return(&p)));
	tpool_destroy(&p);
	tpool_destroy(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tpool");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_units_come_back_at_their_date_not_before);
	tcase_add_test(tc, test_returns_given_out_of_order_apply_in_date_order);
	tcase_add_test(tc, test_infinite_pool_never_runs_out);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
