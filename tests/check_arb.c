/* check_arb.c - rr, wrr and strict arbitration (models/arb.c): grant orders, weighted
 * shares, decide without commit, bitmaps across word boundaries. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "arb.h"
#include "testutil.h"

#define NVH 255

static uint64_t elig[NVH / 64 + 1];

static void set_all(int n)
{
	memset(elig, 0, sizeof(elig));
	for (int v = 1; v <= n; v++)
		elig[v >> 6] |= (uint64_t)1 << (v & 63);
}

static void set_only(const int *vhs, int k)
{
	memset(elig, 0, sizeof(elig));
	for (int i = 0; i < k; i++)
		elig[vhs[i] >> 6] |= (uint64_t)1 << (vhs[i] & 63);
}

static int grant(struct arb *a)
{
	int v = arb_decide(a, elig);
	if (v)
		arb_commit(a, elig, v);
	return v;
}

START_TEST(test_rr_cycles_over_eligible_vhs_starting_at_1)
{
	struct arb a;

	ck_assert_int_eq(arb_init(&a, ARB_KIND_RR, 4, NULL, NULL), 0);
	set_all(4);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(grant(&a), i % 4 + 1);
	static const int some[] = {2, 4};
	set_only(some, 2); /* last granted 4: next is 2, then 4 */
	ck_assert_int_eq(grant(&a), 2);
	ck_assert_int_eq(grant(&a), 4);
	set_only(NULL, 0);
	ck_assert_int_eq(arb_decide(&a, elig), 0);
	arb_destroy(&a);
}
END_TEST

START_TEST(test_decide_does_not_move_the_arbiter)
{
	struct arb a;

	ck_assert_int_eq(arb_init(&a, ARB_KIND_RR, 3, NULL, NULL), 0);
	set_all(3);
	ck_assert_int_eq(arb_decide(&a, elig), 1);
	ck_assert_int_eq(arb_decide(&a, elig), 1); /* no commit: same decision */
	arb_commit(&a, elig, 1);
	ck_assert_int_eq(arb_decide(&a, elig), 2);
	arb_destroy(&a);
}
END_TEST

START_TEST(test_rr_crosses_bitmap_words)
{
	static const int vhs[] = {63, 64, 130, 255};
	struct arb a;

	ck_assert_int_eq(arb_init(&a, ARB_KIND_RR, NVH, NULL, NULL), 0);
	set_only(vhs, 4);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 4; i++)
			ck_assert_int_eq(grant(&a), vhs[i]);
	arb_destroy(&a);
}
END_TEST

START_TEST(test_wrr_shares_follow_weights_interleaved)
{
	static const uint64_t w[] = {5, 1, 1};
	/* smooth weighted round robin for weights 5, 1, 1: the heavy VH never runs more than
	 * its share ahead (the well-known a a b a c a a cycle) */
	static const int cycle[] = {1, 1, 2, 1, 3, 1, 1};
	struct arb a;
	int count[4] = {0};

	ck_assert_int_eq(arb_init(&a, ARB_KIND_WRR, 3, w, NULL), 0);
	set_all(3);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(grant(&a), cycle[i]);
	for (int i = 0; i < 700; i++)
		count[grant(&a)]++;
	ck_assert_int_eq(count[1], 500); /* exact over whole cycles */
	ck_assert_int_eq(count[2], 100);
	ck_assert_int_eq(count[3], 100);
	arb_destroy(&a);
}
END_TEST

START_TEST(test_wrr_idle_vh_earns_nothing)
{
	static const uint64_t w[] = {1, 3};
	static const int only1[] = {1};
	struct arb a;
	int count[3] = {0};

	ck_assert_int_eq(arb_init(&a, ARB_KIND_WRR, 2, w, NULL), 0);
	set_only(only1, 1);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(grant(&a), 1); /* work-conserving */
	set_all(2); /* VH 2 did not bank credit while idle: shares 1:3 from now on */
	for (int i = 0; i < 400; i++)
		count[grant(&a)]++;
	ck_assert_int_eq(count[1], 100);
	ck_assert_int_eq(count[2], 300);
	arb_destroy(&a);
}
END_TEST

START_TEST(test_strict_serves_the_highest_eligible_priority)
{
	static const int order[] = {2, 0, 1}; /* host indices: VH 3 first, then 1, then 2 */
	static const int v12[] = {1, 2};
	struct arb a;

	ck_assert_int_eq(arb_init(&a, ARB_KIND_STRICT, 3, NULL, order), 0);
	set_all(3);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(grant(&a), 3);
	set_only(v12, 2);
	ck_assert_int_eq(grant(&a), 1);
	arb_destroy(&a);
	arb_destroy(&a); /* twice: a no-op */
	arb_destroy(NULL);
}
END_TEST

/* arb_nth lists the VHs in the order an ordered arbiter prefers them: for every eligible
 * set, arb_decide grants the first eligible VH of that list (here: every subset of 5 VHs,
 * rr after each possible last grant, and strict). */
START_TEST(test_nth_is_the_order_decide_follows)
{
	int order[] = {2, 0, 4, 1, 3};
	struct arb a;

	for (int kind = 0; kind < 2; kind++) {
		ck_assert_int_eq(arb_init(&a, kind ? ARB_KIND_STRICT : ARB_KIND_RR, 5, NULL, order), 0);
		ck_assert(arb_ordered(&a));
		for (int last = 1; last <= 5; last++) {
			a.last = last;
			for (uint64_t set = 1; set < 32; set++) {
				uint64_t bits = set << 1; /* VHs 1..5 */
				int first = 0;
				for (int k = 0; k < 5 && !first; k++)
					if (bits >> arb_nth(&a, k) & 1)
						first = arb_nth(&a, k);
				ck_assert_int_eq(arb_decide(&a, &bits), first);
			}
		}
		arb_destroy(&a);
	}
	ck_assert_int_eq(arb_init(&a, ARB_KIND_WRR, 2, NULL, NULL), 0);
	ck_assert(!arb_ordered(&a));
	arb_destroy(&a);
}
END_TEST

/* Smooth WRR written out plainly: every eligible VH earns its weight, the richest (the
 * lowest VH of equal credits) wins and pays the eligible total. */
struct wmodel {
	int64_t cur[NVH + 1];
	uint64_t w[NVH];
};

static int model_decide(const struct wmodel *m, int n, const uint64_t *e)
{
	int best = 0;

	for (int v = 1; v <= n; v++)
		if (e[v >> 6] >> (v & 63) & 1 &&
		    (!best || m->cur[v] + (int64_t)m->w[v - 1] > m->cur[best] + (int64_t)m->w[best - 1]))
			best = v;
	return best;
}

static void model_commit(struct wmodel *m, int n, const uint64_t *e, int vh)
{
	int64_t total = 0;

	for (int v = 1; v <= n; v++)
		if (e[v >> 6] >> (v & 63) & 1) {
			m->cur[v] += (int64_t)m->w[v - 1];
			total += (int64_t)m->w[v - 1];
		}
	m->cur[vh] -= total;
}

/* wrr over 32 VHs or more keeps its credits lazily (arb.c, struct arb_lazy): over random
 * eligible sets that change a few VHs at a time, empty ones, sets of one VH (decided VH by
 * VH, the members kept), and decisions left without a commit, it grants what the plain
 * walk grants, grant by grant, with one weight for all, three classes of weights, and nine
 * (too many: the walk itself), and below 32 VHs. */
START_TEST(test_wrr_over_many_vhs_grants_what_the_plain_walk_grants)
{
	static const int sizes[] = {31, 32, 64, 100, 255};
	static const int classes[] = {1, 3, 9};
	unsigned short g[3] = {3, 5, 7};

	for (size_t si = 0; si < sizeof(sizes) / sizeof(*sizes); si++)
		for (size_t ci = 0; ci < sizeof(classes) / sizeof(*classes); ci++) {
			int n = sizes[si], nc = classes[ci];
			struct wmodel m = {{0}, {0}};
			struct arb a;
			uint64_t e[NVH / 64 + 1] = {0};

			for (int v = 0; v < n; v++)
				m.w[v] = 1 + (uint64_t)((int)(erand48(g) * nc) * 1000 + (v % 7 == 0));
			if (nc == 1)
				for (int v = 0; v < n; v++)
					m.w[v] = 2;
			ck_assert_int_eq(arb_init(&a, ARB_KIND_WRR, n, m.w, NULL), 0);
			ck_assert_msg((a.lazy != NULL) == (n >= 32 && nc < 9), "n %d, %d classes", n, nc);
			for (int step = 0; step < 20000; step++) {
				double u = erand48(g);
				if (u < 0.02) {
					memset(e, 0, sizeof(e));
				} else if (u < 0.04) { /* one VH, a decision between two of many */
					memset(e, 0, sizeof(e));
					int v = 1 + (int)(erand48(g) * n);
					e[v >> 6] |= (uint64_t)1 << (v & 63);
				} else if (u < 0.07) {
					for (int v = 1; v <= n; v++)
						e[v >> 6] |= (uint64_t)1 << (v & 63);
				} else {
					for (int k = (int)(erand48(g) * 4); k > 0; k--) {
						int v = 1 + (int)(erand48(g) * n);
						e[v >> 6] ^= (uint64_t)1 << (v & 63);
					}
				}
				int want = model_decide(&m, n, e), got = arb_decide(&a, e);
				ck_assert_msg(got == want, "n %d, %d classes, step %d: %d, the walk %d",
					      n, nc, step, got, want);
				if (got && erand48(g) < 0.9) {
					model_commit(&m, n, e, got);
					arb_commit(&a, e, got);
				}
			}
			arb_destroy(&a);
		}
}
END_TEST

static int fail_at, ncalls;

static int fail_kth(void)
{
	return ++ncalls == fail_at;
}

/* wrr over 64 VHs allocates its lazy form (arb.c): each of its allocations failing makes
 * arb_init say -ENOMEM, and the arbiter it leaves destroys cleanly (no leak under ASan). */
START_TEST(test_wrr_init_allocation_failures_are_clean)
{
	uint64_t w[64];
	struct arb a;
	int n;

	for (int v = 0; v < 64; v++)
		w[v] = 1 + (uint64_t)(v % 3);
	ncalls = 0;
	fail_at = -1;
	mriov_alloc_fail_hook = fail_kth;
	ck_assert_int_eq(arb_init(&a, ARB_KIND_WRR, 64, w, NULL), 0);
	mriov_alloc_fail_hook = NULL;
	n = ncalls;
	ck_assert(a.lazy != NULL);
	arb_destroy(&a);
	ck_assert_int_ge(n, 6); /* current, the record, its four arrays, the trees */
	for (int k = 1; k <= n; k++) {
		ncalls = 0;
		fail_at = k;
		mriov_alloc_fail_hook = fail_kth;
		int r = arb_init(&a, ARB_KIND_WRR, 64, w, NULL);
		mriov_alloc_fail_hook = NULL;
		ck_assert_msg(r == -ENOMEM, "allocation %d of %d failed, arb_init gave %d", k, n, r);
		arb_destroy(&a);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("arb");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_rr_cycles_over_eligible_vhs_starting_at_1);
	tcase_add_test(tc, test_decide_does_not_move_the_arbiter);
	tcase_add_test(tc, test_rr_crosses_bitmap_words);
	tcase_add_test(tc, test_wrr_shares_follow_weights_interleaved);
	tcase_add_test(tc, test_wrr_idle_vh_earns_nothing);
	tcase_add_test(tc, test_strict_serves_the_highest_eligible_priority);
	tcase_add_test(tc, test_nth_is_the_order_decide_follows);
	tcase_add_test(tc, test_wrr_over_many_vhs_grants_what_the_plain_walk_grants);
	tcase_add_test(tc, test_wrr_init_allocation_failures_are_clean);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
