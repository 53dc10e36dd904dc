/* check_fc.c - flow-control credits (models/fc.c): FC units, the credit index, dated
 * UpdateFC returns, infinite classes and per-VH credit sets. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "fc.h"
#include "testutil.h"

/* 4 header credits and 32 data units (512 B) for P and NP; infinite completions. */
static const struct fc_limits lim = {{4, 4, -1}, {32, 32, -1}};

START_TEST(test_data_units_round_up_to_16_bytes)
{
	ck_assert_int_eq(fc_data_units(0), 0);
	ck_assert_int_eq(fc_data_units(1), 1);
	ck_assert_int_eq(fc_data_units(16), 1);
	ck_assert_int_eq(fc_data_units(17), 2);
	ck_assert_int_eq(fc_data_units(4096), 256);
}
END_TEST

START_TEST(test_a_tlp_needs_one_header_and_its_data_units)
{
	struct fc f;
	double next = INFINITY;

	ck_assert_int_eq(fc_init(&f, 2, 1, NULL, &lim, 1e-6), 0);
	int p = fc_index(&f, 1, TLP_P);
	ck_assert(fc_can_send(&f, p, 512, 0, &next));
	ck_assert(!fc_can_send(&f, p, 513, 0, &next)); /* 33 units of 32 */
	ck_assert(isinf(next)); /* nothing is coming back */
	for (int i = 0; i < 4; i++) {
		ck_assert(fc_can_send(&f, p, 0, 0, &next));
		fc_take(&f, p, 0, 0);
	}
	ck_assert(!fc_can_send(&f, p, 0, 0, &next)); /* headers gone, data left */
	fc_destroy(&f);
}
END_TEST

START_TEST(test_returns_count_one_link_latency_after_the_buffer_frees)
{
	struct fc f;
	double next = INFINITY;

	ck_assert_int_eq(fc_init(&f, 1, 1, NULL, &lim, 1e-6), 0);
	int np = fc_index(&f, 1, TLP_NP);
	fc_take(&f, np, 512, 0);
	ck_assert(!fc_can_send(&f, np, 16, 0, &next));
	ck_assert_int_eq(fc_return(&f, np, 512, 2e-6), 0);
	next = INFINITY;
	ck_assert(!fc_can_send(&f, np, 16, 2.9e-6, &next));
	ck_assert(next == 3e-6); /* 2 us + 1 us of UpdateFC travel */
	ck_assert(fc_can_send(&f, np, 512, 3e-6, &next));
	fc_destroy(&f);
}
END_TEST

START_TEST(test_infinite_class_never_blocks)
{
	struct fc f;
	double next = INFINITY;

	ck_assert_int_eq(fc_init(&f, 1, 1, NULL, &lim, 0), 0);
	int c = fc_index(&f, 1, TLP_CPL);
	for (int i = 0; i < 10000; i++)
		fc_take(&f, c, 4096, 0);
	ck_assert(fc_can_send(&f, c, 4096, 0, &next));
	fc_destroy(&f);
}
END_TEST

START_TEST(test_per_vh_sets_are_independent)
{
	static const int vhs[] = {2, 5};
	struct fc f;
	double next = INFINITY;

	ck_assert_int_eq(fc_init(&f, 5, 2, vhs, &lim, 0), 0);
	ck_assert_int_eq(fc_index(&f, 2, TLP_P), 0 * TLP_NCLASS + TLP_P);
	ck_assert_int_eq(fc_index(&f, 5, TLP_NP), 1 * TLP_NCLASS + TLP_NP);
	fc_take(&f, fc_index(&f, 2, TLP_P), 512, 0);
	ck_assert(!fc_can_send(&f, fc_index(&f, 2, TLP_P), 16, 0, &next));
	ck_assert(fc_can_send(&f, fc_index(&f, 5, TLP_P), 512, 0, &next));
	fc_destroy(&f);
	fc_destroy(&f); /* twice: a no-op */
	fc_destroy(NULL);
}
END_TEST

START_TEST(test_limits_follow_the_buffer)
{
	struct fc_limits l;

	fc_limits_of_buffer(FC_EP_BUFFER, true, &l); /* 16 KiB endpoint */
	ck_assert_int_eq(l.hdr[TLP_P], 256);         /* 16384 / 64-byte TLPs */
	ck_assert_int_eq(l.data[TLP_P], 1024);       /* 16384 / 16 */
	ck_assert_int_eq(l.data[TLP_NP], 64);
	ck_assert_int_lt(l.hdr[TLP_CPL], 0);         /* infinite completions (Table 2-50) */
	ck_assert_int_lt(l.data[TLP_CPL], 0);
	fc_limits_of_buffer(1 << 20, false, &l);     /* 1 MiB switch buffer */
	ck_assert_int_eq(l.hdr[TLP_NP], 2032);       /* scaled-FC maximum */
	ck_assert_int_eq(l.data[TLP_CPL], 65536);    /* a switch's completions are finite */
	fc_limits_of_buffer(32, false, &l);
	ck_assert_int_eq(l.hdr[TLP_P], 1);           /* never less than one header */
}
END_TEST

/* Random sends and returns (dates out of order, TLPs without data, hundreds on their way at
 * once) against a plain model: each return a (date, header, data) triple kept in a list,
 * available = limit - taken + the returns dated by now. What fc_can_send, fc_next_change
 * and the in-use counts say is the model's. */
START_TEST(test_credits_follow_a_plain_model_of_dated_returns)
{
	enum { NR = 3000 };
	static const struct fc_limits big = {{600, 600, -1}, {4000, 64, -1}};
	struct { double t; int d; } ret[NR];
	unsigned short g[3] = {3, 5, 8};
	struct fc f;
	int nret = 0;
	int64_t taken_h = 0, taken_d = 0;
	double now = 0;

	ck_assert_int_eq(fc_init(&f, 1, 1, NULL, &big, 1e-7), 0);
	for (int step = 0; step < 20000 && nret < NR; step++) {
		now += erand48(g) * 2e-8;
		uint32_t pay = erand48(g) < 0.3 ? 0 : (uint32_t)(erand48(g) * 512);
		int64_t avail_h = big.hdr[TLP_P] - taken_h, avail_d = big.data[TLP_P] - taken_d;
		double first = INFINITY;
		for (int k = 0; k < nret; k++) {
			if (ret[k].t <= now) {
				avail_h += 1;
				avail_d += ret[k].d;
			} else if (ret[k].t < first) {
				first = ret[k].t;
			}
		}
		double next = INFINITY;
		bool can = avail_h >= 1 && (avail_d >= fc_data_units(pay) || !fc_data_units(pay));
		ck_assert(fc_can_send(&f, TLP_P, pay, now, &next) == can);
		ck_assert(can || next == first);
		ck_assert(fc_next_change(&f, TLP_P, now) == first);
		const struct fc_pool *q = &f.pool[TLP_P];
		ck_assert_int_eq(q->hdr, avail_h);
		ck_assert_int_eq(q->data, avail_d);
		if (can && erand48(g) < 0.7) { /* it goes, and its buffer frees later */
			fc_take(&f, TLP_P, pay, now);
			taken_h++;
			taken_d += fc_data_units(pay);
			double t_free = now + erand48(g) * 3e-6; /* out of order */
			ck_assert_int_eq(fc_return(&f, TLP_P, pay, t_free), 0);
			ret[nret].t = t_free + 1e-7;
			ret[nret++].d = (int)fc_data_units(pay);
		}
		/* in use: taken and not given back yet */
		int64_t back_h = 0, back_d = 0;
		for (int k = 0; k < nret; k++) {
			back_h++;
			back_d += ret[k].d;
		}
		ck_assert_int_eq(fc_hdr_in_use(q), taken_h - back_h);
		ck_assert_int_eq(fc_data_in_use(q), taken_d - back_d);
	}
	ck_assert_int_gt(nret, 1000);
	ck_assert(fc_can_send(&f, TLP_CPL, 4096, now, &now)); /* infinite: never blocks */
	fc_destroy(&f);
	fc_destroy(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_data_units_round_up_to_16_bytes);
	tcase_add_test(tc, test_a_tlp_needs_one_header_and_its_data_units);
	tcase_add_test(tc, test_returns_count_one_link_latency_after_the_buffer_frees);
	tcase_add_test(tc, test_infinite_class_never_blocks);
	tcase_add_test(tc, test_per_vh_sets_are_independent);
	tcase_add_test(tc, test_limits_follow_the_buffer);
	tcase_add_test(tc, test_credits_follow_a_plain_model_of_dated_returns);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
