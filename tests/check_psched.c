/* check_psched.c - the ports' schedule (models/psched.c): items come out by date, those of
 * one date in the order they were scheduled, and lowering an item moves it only earlier. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "psched.h"
#include "testutil.h"

#define N 500

static int fail_all(void)
{
	return 1;
}

/* Random dates (few distinct, so many ties), some lowered, with the items at or after
 * `horizon` set aside: every pop is the smallest (date, order scheduled) left, checked
 * against a scan of what is still scheduled. */
static void pops_by_date_then_order(double horizon)
{
	struct sched s;
	struct sched_item it[N];
	unsigned seed = 12345;

	ck_assert_int_eq(sched_init(&s, N), 0);
	sched_set_horizon(&s, horizon);
	for (int i = 0; i < N; i++) {
		it[i].pos = -1;
		sched_push(&s, &it[i], (double)(rand_r(&seed) % 20));
	}
	for (int i = 0; i < N; i += 7) { /* lower some (across the horizon too), raise none */
		double before = it[i].at;
		uint64_t seq = it[i].seq;
		sched_lower(&s, &it[i], before - 3);
		ck_assert(it[i].at == before - 3 && it[i].seq > seq); /* after the others then */
		sched_lower(&s, &it[i], before); /* later: left alone */
		ck_assert(it[i].at == before - 3);
	}
	for (int left = N, k = 1; left > 0; k++) {
		struct sched_item *best = NULL;
		for (int i = 0; i < N; i++)
			if (it[i].pos != -1 && (!best || it[i].at < best->at ||
						(it[i].at == best->at && it[i].seq < best->seq)))
				best = &it[i];
		ck_assert_ptr_eq(sched_top(&s), best);
		if (k % 50 == 0) { /* pushed again at once: after the others of its date */
			sched_push(&s, sched_pop(&s), best->at);
			continue;
		}
		ck_assert_ptr_eq(sched_pop(&s), best);
		left--;
		ck_assert_int_eq(best->pos, -1);
		sched_lower(&s, best, -100); /* not scheduled: nothing happens */
		ck_assert_int_eq(best->pos, -1);
	}
	ck_assert_ptr_null(sched_top(&s));
	sched_free(&s);
	sched_free(&s); /* freed twice: a no-op */
	sched_free(NULL);
}

/* Pushes, lowers and pops interleaved while the schedule holds from none to 40 items (a
 * few are scanned, more searched: psched.c, place), every top the scan's. */
START_TEST(test_interleaved_operations_at_every_size)
{
	enum { M = 40 };
	struct sched s;
	struct sched_item it[M];
	unsigned seed = 777;
	double now = 0;

	ck_assert_int_eq(sched_init(&s, M), 0);
	for (int i = 0; i < M; i++)
		it[i].pos = -1;
	for (int step = 0; step < 40000; step++) {
		int target = 1 + (step / 500) % M, n = 0; /* the size drifts up and down */
		for (int i = 0; i < M; i++)
			n += it[i].pos != -1;
		int i = rand_r(&seed) % M, op = rand_r(&seed) % 3;
		if (op == 0 && it[i].pos == -1 && n < target) {
			sched_push(&s, &it[i], now + (double)(rand_r(&seed) % 8));
		} else if (op == 1 && it[i].pos != -1) {
			sched_lower(&s, &it[i], it[i].at - (double)(rand_r(&seed) % 3));
		} else if (n) {
			struct sched_item *best = NULL;
			for (int k = 0; k < M; k++)
				if (it[k].pos != -1 && (!best || it[k].at < best->at ||
							(it[k].at == best->at && it[k].seq < best->seq)))
					best = &it[k];
			ck_assert_ptr_eq(sched_top(&s), best);
			if (n > target / 2 || rand_r(&seed) % 2) {
				ck_assert_ptr_eq(sched_pop(&s), best);
				now = best->at;
			}
		}
	}
	sched_free(&s);
}
END_TEST

START_TEST(test_pops_by_date_then_order)
{
	pops_by_date_then_order(INFINITY);
}
END_TEST

/* The same order when the items from date 12 on wait aside (a port waiting until the end of
 * the run), some lowered below it, others lowered but still after it. */
START_TEST(test_items_set_aside_come_out_in_order)
{
	struct sched s;
	struct sched_item it[3];

	pops_by_date_then_order(12);
	pops_by_date_then_order(0); /* every item aside */
	/* lowered while aside, it becomes the first of them */
	ck_assert_int_eq(sched_init(&s, 3), 0);
	sched_set_horizon(&s, 10);
	sched_push(&s, &it[0], 20);
	sched_push(&s, &it[1], 30);
	sched_push(&s, &it[2], 5);
	ck_assert_ptr_eq(sched_pop(&s), &it[2]);
	ck_assert_ptr_eq(sched_top(&s), &it[0]);
	sched_lower(&s, &it[1], 15);
	ck_assert_ptr_eq(sched_top(&s), &it[1]);
	sched_lower(&s, &it[0], 8); /* below the horizon: back in the heap, first */
	ck_assert_ptr_eq(sched_pop(&s), &it[0]);
	ck_assert_ptr_eq(sched_pop(&s), &it[1]);
	ck_assert_ptr_null(sched_top(&s));
	sched_free(&s);
}
END_TEST

/* Ties keep first come, first served across pops and pushes (a port woken again at the
 * same date runs after those already due then). */
START_TEST(test_same_date_is_first_come_first_served)
{
	struct sched s;
	struct sched_item it[4];

	ck_assert_int_eq(sched_init(&s, 4), 0);
	for (int i = 0; i < 4; i++)
		sched_push(&s, &it[i], 5.0);
	ck_assert_ptr_eq(sched_pop(&s), &it[0]);
	sched_push(&s, &it[0], 5.0);
	for (int i = 1; i < 4; i++)
		ck_assert_ptr_eq(sched_pop(&s), &it[i]);
	ck_assert_ptr_eq(sched_pop(&s), &it[0]);
	sched_free(&s);
}
END_TEST

START_TEST(test_init_out_of_memory)
{
	struct sched s;

	mriov_alloc_fail_hook = fail_all;
	ck_assert_int_eq(sched_init(&s, 8), -ENOMEM);
	mriov_alloc_fail_hook = NULL;
	sched_free(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("psched");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_pops_by_date_then_order);
	tcase_add_test(tc, test_interleaved_operations_at_every_size);
	tcase_add_test(tc, test_items_set_aside_come_out_in_order);
	tcase_add_test(tc, test_same_date_is_first_come_first_served);
	tcase_add_test(tc, test_init_out_of_memory);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
