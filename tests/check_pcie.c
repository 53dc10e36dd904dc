/* check_pcie.c - link rates, link-layer overhead and TLP wire sizes against domain.md §4. */
#include "pcie.h"
#include "testutil.h"

/* domain.md §4.1: Gb/s per lane after encoding */
START_TEST(test_raw_rates_per_generation)
{
	ck_assert_double_eq_tol(pcie_raw_bps(1, 1), 2.0e9, 1);
	ck_assert_double_eq_tol(pcie_raw_bps(2, 1), 4.0e9, 1);
	ck_assert_double_eq_tol(pcie_raw_bps(3, 8), 8e9 * 128 / 130 * 8, 1);
	ck_assert_double_eq_tol(pcie_raw_bps(4, 16), 15.754e9 * 16, 0.001e9 * 16);
	ck_assert_double_eq_tol(pcie_raw_bps(5, 1), 31.508e9, 0.001e9);
	ck_assert_double_eq_tol(pcie_raw_bps(6, 1), 59.0e9, 0.01e9);
	ck_assert_double_eq(pcie_raw_bps(7, 1), 0);
}
END_TEST

/* domain.md §4.4-4.5: pcie-bench's TLP-layer bandwidth. Gen3 x8 MPS 256 is 57.88 Gb/s,
 * Gen4 x16 MPS 256 is 227.4 Gb/s, Gen5 x16 MPS 512 is 458.5 Gb/s (0.05 % tolerance: the
 * reference figures are rounded to 4 digits). */
START_TEST(test_tlp_layer_rate_matches_pcie_bench)
{
	struct { int gen, width, mps; double gbps; } cases[] = {
		{3, 8, 256, 57.88}, {4, 16, 256, 227.4}, {5, 16, 512, 458.5}};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double r = pcie_raw_bps(cases[i].gen, cases[i].width) *
			   (1 - pcie_spec_overhead(cases[i].gen, cases[i].width, cases[i].mps));
		ck_assert_double_eq_tol(r / 1e9, cases[i].gbps, cases[i].gbps * 5e-4);
	}
}
END_TEST

START_TEST(test_ack_and_fc_tables)
{
	ck_assert_int_eq(pcie_ack_limit(3, 16, 256), 168); /* domain.md §4.4 */
	ck_assert_int_eq(pcie_ack_limit(4, 8, 256), 203);
	ck_assert_int_eq(pcie_ack_limit(1, 1, 4096), 4143);
	ck_assert_int_eq(pcie_ack_limit(1, 32, 2048), 148);
	ck_assert_int_eq(pcie_fc_limit(1, 32, 2048), 248); /* the cells where they differ */
	ck_assert_int_eq(pcie_fc_limit(2, 32, 4096), 327);
	ck_assert_int_eq(pcie_ack_limit(2, 32, 4096), 237);
	/* x12 lies between x8 and x16 */
	ck_assert_int_le(pcie_ack_limit(4, 12, 256), 203);
	ck_assert_int_ge(pcie_ack_limit(4, 12, 256), 168);
	ck_assert_double_eq(pcie_spec_overhead(6, 16, 256), 0);
}
END_TEST

/* domain.md §4.2: MWr = 24 B + payload, MRd = 24 B, CplD = 20 B + payload with 64-bit
 * addresses and no ECRC; +4 B for ECRC and for the MR-IOV prefix; 3DW headers with 32-bit. */
START_TEST(test_tlp_wire_sizes)
{
	ck_assert_uint_eq(pcie_tlp_wire_bytes(PCIE_MWR, 256, 4, 64, false, false), 280);
	ck_assert_uint_eq(pcie_tlp_wire_bytes(PCIE_MRD, 0, 4, 64, false, false), 24);
	ck_assert_uint_eq(pcie_tlp_wire_bytes(PCIE_CPLD, 64, 3, 64, false, false), 84);
	ck_assert_uint_eq(pcie_tlp_wire_bytes(PCIE_MWR, 256, 4, 32, false, false), 276);
	ck_assert_uint_eq(pcie_tlp_wire_bytes(PCIE_MWR, 256, 4, 64, true, true), 288);
	ck_assert_uint_eq(pcie_tlp_wire_bytes(PCIE_MWR, 256, 6, 64, false, false), 272);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pcie");
	TCase *tc = tcase_create("link");
	tcase_add_test(tc, test_raw_rates_per_generation);
	tcase_add_test(tc, test_tlp_layer_rate_matches_pcie_bench);
	tcase_add_test(tc, test_ack_and_fc_tables);
	tcase_add_test(tc, test_tlp_wire_sizes);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
