/* check_units.c - quantities of the contract: time, size, rate, integers. */
#include <errno.h>
#include <math.h>

#include "testutil.h"
#include "units.h"

START_TEST(test_time_units_scale_to_seconds)
{
	double t;
	ck_assert_int_eq(units_parse_time("150ns", &t), 0);
	ck_assert_double_eq_tol(t, 150e-9, 1e-21);
	ck_assert_int_eq(units_parse_time("2.5us", &t), 0);
	ck_assert_double_eq_tol(t, 2.5e-6, 1e-18);
	ck_assert_int_eq(units_parse_time("10ms", &t), 0);
	ck_assert_double_eq_tol(t, 10e-3, 1e-15);
	ck_assert_int_eq(units_parse_time("3", &t), 0); /* bare number = seconds */
	ck_assert_double_eq(t, 3.0);
	ck_assert_int_eq(units_parse_time("1e-3", &t), 0);
	ck_assert_double_eq_tol(t, 1e-3, 1e-18);
}
END_TEST

START_TEST(test_time_rejects_garbage)
{
	double t;
	const char *bad[] = {"", "ns", "-1ns", "1 ns", " 1ns", "1nss", "1h", "inf", "nan", "0x10",
			     "1.2.3us", "1e400", NULL};
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(units_parse_time(bad[i], &t) == -EINVAL, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_size_binary_and_decimal_prefixes)
{
	uint64_t b;
	ck_assert_int_eq(units_parse_size("16KiB", &b), 0);
	ck_assert_uint_eq(b, 16384);
	ck_assert_int_eq(units_parse_size("1MB", &b), 0);
	ck_assert_uint_eq(b, 1000000);
	ck_assert_int_eq(units_parse_size("2GiB", &b), 0);
	ck_assert_uint_eq(b, 2147483648ull);
	ck_assert_int_eq(units_parse_size("1500B", &b), 0);
	ck_assert_uint_eq(b, 1500);
	ck_assert_int_eq(units_parse_size("256", &b), 0);
	ck_assert_uint_eq(b, 256);
	ck_assert_int_eq(units_parse_size("1.5KiB", &b), 0);
	ck_assert_uint_eq(b, 1536);
}
END_TEST

START_TEST(test_size_must_be_whole_bytes)
{
	uint64_t b;
	ck_assert_int_eq(units_parse_size("0.5B", &b), -EINVAL);
	ck_assert_int_eq(units_parse_size("1KIB", &b), -EINVAL);
	ck_assert_int_eq(units_parse_size("1e30GiB", &b), -ERANGE);
}
END_TEST

START_TEST(test_rate_bits_and_bytes)
{
	double r;
	ck_assert_int_eq(units_parse_rate("25Gbps", &r), 0);
	ck_assert_double_eq(r, 25e9);
	ck_assert_int_eq(units_parse_rate("3GBps", &r), 0);
	ck_assert_double_eq(r, 24e9);
	ck_assert_int_eq(units_parse_rate("100Mbps", &r), 0);
	ck_assert_double_eq(r, 100e6);
	ck_assert_int_eq(units_parse_rate("8KBps", &r), 0);
	ck_assert_double_eq(r, 64e3);
	ck_assert_int_eq(units_parse_rate("1000", &r), 0);
	ck_assert_double_eq(r, 1000);
	ck_assert_int_eq(units_parse_rate("25gbps", &r), -EINVAL);
}
END_TEST

START_TEST(test_uint_bounds)
{
	uint64_t v;
	ck_assert_int_eq(units_parse_uint("18446744073709551615", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(units_parse_uint("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(units_parse_uint("300", 255, &v), -ERANGE);
	ck_assert_int_eq(units_parse_uint("-1", 255, &v), -EINVAL);
	ck_assert_int_eq(units_parse_uint("+1", 255, &v), -EINVAL);
	ck_assert_int_eq(units_parse_uint("", 255, &v), -EINVAL);
}
END_TEST

/* clock frequencies (contract §11): Hz with decimal prefixes, a bare number is Hz */
START_TEST(test_frequency_units_scale_to_hz)
{
	double f;
	ck_assert_int_eq(units_parse_freq("2.5GHz", &f), 0);
	ck_assert_double_eq_tol(f, 2.5e9, 1e-3);
	ck_assert_int_eq(units_parse_freq("800MHz", &f), 0);
	ck_assert_double_eq_tol(f, 8e8, 1e-4);
	ck_assert_int_eq(units_parse_freq("100kHz", &f), 0);
	ck_assert_double_eq_tol(f, 1e5, 1e-9);
	ck_assert_int_eq(units_parse_freq("100KHz", &f), 0);
	ck_assert_double_eq_tol(f, 1e5, 1e-9);
	ck_assert_int_eq(units_parse_freq("3e9", &f), 0);
	ck_assert_double_eq(f, 3e9);
	ck_assert_int_eq(units_parse_freq("2.5Ghz", &f), -EINVAL);
	ck_assert_int_eq(units_parse_freq("2.5 GHz", &f), -EINVAL);
	ck_assert_int_eq(units_parse_freq("-1GHz", &f), -EINVAL);
	ck_assert_int_eq(units_parse_freq("GHz", &f), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_time_units_scale_to_seconds);
	tcase_add_test(tc, test_time_rejects_garbage);
	tcase_add_test(tc, test_size_binary_and_decimal_prefixes);
	tcase_add_test(tc, test_size_must_be_whole_bytes);
	tcase_add_test(tc, test_rate_bits_and_bytes);
	tcase_add_test(tc, test_uint_bounds);
	tcase_add_test(tc, test_frequency_units_scale_to_hz);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
