/* check_fc.c - flow-control credits (models/fc.c): FC units, the credit index, dated
 * UpdateFC returns, infinite classes and per-VH credit sets. */
#include <check.h>
#include <math.h>

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
	suite_add_tcase(s, tc);
	return tu_run(s);
}
