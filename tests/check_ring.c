/* check_ring.c - growing a FIFO ring (models/ring.c). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "ring.h"
#include "testutil.h"

static int fail_all(void)
{
	return 1;
}

/* A ring that has wrapped grows with its entries in FIFO order from 0, twice the room. */
START_TEST(test_grow_keeps_fifo_order)
{
	uint32_t head = 0, n = 0, cap = 0, next_in = 0, next_out = 0;
	int *r = NULL;

	/* push 300 and pop 200 interleaved (3 in, 2 out), so the ring wraps before each growth */
	for (int step = 0; step < 100; step++) {
		for (int k = 0; k < 3; k++) {
			if (n == cap) {
				uint32_t before = cap;
				void *w = ring_grow(r, sizeof(*r), &head, n, &cap);
				ck_assert_ptr_nonnull(w);
				r = w;
				ck_assert_uint_eq(cap, before ? 2 * before : 64);
				ck_assert_uint_eq(head, 0);
			}
			r[(head + n++) % cap] = (int)next_in++;
		}
		for (int k = 0; k < 2; k++) {
			ck_assert_int_eq(r[head], (int)next_out++); /* FIFO: out in the order in */
			head = (head + 1) % cap;
			n--;
		}
	}
	ck_assert_uint_eq(n, 100);
	ck_assert_uint_eq(cap, 128); /* 64 filled once with entries still waiting, then doubled */
	free(r);
}
END_TEST

/* Out of memory: NULL, and the ring as it was (still usable, still owned by the caller). */
START_TEST(test_grow_out_of_memory_leaves_the_ring)
{
	uint32_t head = 0, cap = 0, n = 0;
	int *r = ring_grow(NULL, sizeof(int), &head, 0, &cap);

	ck_assert_ptr_nonnull(r);
	for (n = 0; n < 64; n++)
		r[n] = (int)n;
	head = 10;
	mriov_alloc_fail_hook = fail_all;
	void *w = ring_grow(r, sizeof(*r), &head, n, &cap);
	mriov_alloc_fail_hook = NULL;
	ck_assert_ptr_null(w);
	ck_assert_uint_eq(cap, 64);
	ck_assert_uint_eq(head, 10);
	ck_assert_int_eq(r[63], 63);
	free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_grow_keeps_fifo_order);
	tcase_add_test(tc, test_grow_out_of_memory_leaves_the_ring);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
