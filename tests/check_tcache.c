/* check_tcache.c - translation caches (models/tcache.c): LRU, FIFO and random replacement,
 * entries in flight until their date, invalidation, and hit ratios against analysis. */
#include <check.h>

#include "tcache.h"
#include "testutil.h"

START_TEST(test_lru_evicts_the_least_recently_used)
{
	struct tcache c;
	double r;

	ck_assert_int_eq(tcache_init(&c, 2, TCACHE_LRU, 1), 0);
	tcache_insert(&c, 1, 0);
	tcache_insert(&c, 2, 0);
	ck_assert_int_ge(tcache_lookup(&c, 1, &r), 0); /* 1 is now the most recent */
	tcache_insert(&c, 3, 0);
	ck_assert_int_ge(tcache_lookup(&c, 1, &r), 0);
	ck_assert_int_eq(tcache_lookup(&c, 2, &r), -1);
	tcache_destroy(&c);
}
END_TEST

START_TEST(test_fifo_evicts_the_first_inserted_even_if_used)
{
	struct tcache c;
	double r;

	ck_assert_int_eq(tcache_init(&c, 2, TCACHE_FIFO, 1), 0);
	tcache_insert(&c, 1, 0);
	tcache_insert(&c, 2, 0);
	ck_assert_int_ge(tcache_lookup(&c, 1, &r), 0);
	tcache_insert(&c, 3, 0);
	ck_assert_int_eq(tcache_lookup(&c, 1, &r), -1);
	ck_assert_int_ge(tcache_lookup(&c, 2, &r), 0);
	tcache_destroy(&c);
}
END_TEST

START_TEST(test_entry_carries_the_date_its_translation_is_usable)
{
	struct tcache c;
	double r = 0;

	ck_assert_int_eq(tcache_init(&c, 4, TCACHE_LRU, 1), 0);
	tcache_insert(&c, 7, 2.5e-6); /* a walk under way until 2.5 us */
	ck_assert_int_ge(tcache_lookup(&c, 7, &r), 0);
	ck_assert(r == 2.5e-6);
	ck_assert_int_eq(tcache_invalidate(&c, 7), 1);
	ck_assert_int_eq(tcache_invalidate(&c, 7), 0);
	ck_assert_int_eq(tcache_lookup(&c, 7, &r), -1);
	tcache_destroy(&c);
}
END_TEST

/* Hit ratio of a cyclic scan over k keys in a cache of n entries, after warm-up. */
static double cyclic_hits(enum tcache_policy pol, int n, int k, int rounds)
{
	struct tcache c;
	double r;
	int hits = 0, total = 0;

	ck_assert_int_eq(tcache_init(&c, (uint32_t)n, pol, 42), 0);
	for (int round = 0; round < rounds; round++)
		for (int key = 0; key < k; key++) {
			int hit = tcache_lookup(&c, (uint64_t)key, &r) >= 0;
			if (!hit)
				tcache_insert(&c, (uint64_t)key, 0);
			if (round > 0) {
				hits += hit;
				total++;
			}
		}
	tcache_destroy(&c);
	return (double)hits / total;
}

START_TEST(test_cyclic_scan_hit_ratios_match_analysis)
{
	/* fits: every access after the first round hits */
	ck_assert(cyclic_hits(TCACHE_LRU, 8, 8, 50) == 1.0);
	/* one key more than entries: LRU and FIFO evict exactly the key needed next (0 hits) */
	ck_assert(cyclic_hits(TCACHE_LRU, 8, 9, 50) == 0.0);
	ck_assert(cyclic_hits(TCACHE_FIFO, 8, 9, 50) == 0.0);
	/* random replacement keeps a fraction of the scan: strictly between the two, and
	 * for n = 8, k = 9 well above 0 (each miss evicts the next-needed key with
	 * probability 1/8 only); 2000 rounds: the estimate is within +-0.05 of its mean */
	double h = cyclic_hits(TCACHE_RANDOM, 8, 9, 2000);
	ck_assert_msg(h > 0.3 && h < 0.95, "random replacement hit ratio %.3f", h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tcache");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_lru_evicts_the_least_recently_used);
	tcase_add_test(tc, test_fifo_evicts_the_first_inserted_even_if_used);
	tcase_add_test(tc, test_entry_carries_the_date_its_translation_is_usable);
	tcase_add_test(tc, test_cyclic_scan_hit_ratios_match_analysis);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
