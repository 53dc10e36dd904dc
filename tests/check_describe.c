/* check_describe.c - the description `mriovsim check` prints, on a small chassis whose VHs,
 * buses and routing IDs are worked out by hand below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "testutil.h"

/* describe_chassis's output for yaml (caller frees). */
static char *described(const char *yaml)
{
	char err[2048] = "", *buf = NULL;
	size_t len = 0;
	struct topo *t = tu_load(yaml, NULL, 0, err, sizeof(err));
	FILE *f;

	ck_assert_msg(t != NULL, "%s", err);
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	describe_chassis(t, f);
	fclose(f);
	topo_destroy(t);
	return buf;
}

/*
 * tu_two_hosts: h0 and h1 on switch sw, which leads to nic. In each VH, bus 0 is the root
 * bus, the host's link is bus 1 (the upstream port of sw's virtual switch), sw's internal
 * bus is 2, and the port toward nic opens bus 3, where the PF sits at 03:00.0 and VF n at
 * function n (First VF Offset 1, VF Stride 1, ARI). The nic link carries both VHs: an
 * MR-Link. h0's count of 2 takes VFs 0 and 1, h1 lists 5, 6, 7.
 */
START_TEST(test_two_hosts_are_described_per_vh)
{
	char *out = described(tu_two_hosts);

	ck_assert_str_eq(out,
		"two: 2 hosts, 1 switches, 1 devices, 3 links (1 MR-Links), 7 functions\n"
		"VH 1: host h0, link h0-sw\n"
		"  path to nic: h0 -(h0-sw, Gen4 x16)-> sw -(sw-nic, Gen4 x16, MR-Link)-> nic\n"
		"    MR-Links on it: sw-nic (VHs 2)\n"
		"  virtual switch sw/vs1: upstream port h0-sw (bus 1), internal bus 2; downstream "
		"sw-nic (buses 3-3)\n"
		"  functions on nic:\n"
		"    nic.pf1 03:00.0, nic.vf0 03:00.1, nic.vf1 03:00.2\n"
		"VH 2: host h1, link h1-sw\n"
		"  path to nic: h1 -(h1-sw, Gen4 x8)-> sw -(sw-nic, Gen4 x16, MR-Link)-> nic\n"
		"    MR-Links on it: sw-nic (VHs 2)\n"
		"  virtual switch sw/vs2: upstream port h1-sw (bus 1), internal bus 2; downstream "
		"sw-nic (buses 3-3)\n"
		"  functions on nic:\n"
		"    nic.pf2 03:00.0, nic.vf5 03:00.1, nic.vf6 03:00.2, nic.vf7 03:00.3\n");
	free(out);
}
END_TEST

/* One host straight on its device: no switch, no MR-Link, the device on bus 1; a second
 * host without VFs is listed as such. Functions go four to a line. */
START_TEST(test_direct_link_and_host_without_vfs)
{
	static const char yaml[] =
		"name: direct\n"
		"hosts: [{name: a}, {name: b}]\n"
		"switches: [{name: s}]\n"
		"devices: [{name: d, total_vfs: 5}, {name: e, total_vfs: 1}]\n"
		"links: [{a: a, b: d, gen: 3, width: 4}, {a: b, b: s, gen: 3, width: 4},\n"
		"        {a: s, b: e, gen: 3, width: 4}]\n"
		"assign: [{host: a, device: d, vfs: 5}]\n";
	char *out = described(yaml);

	ck_assert_str_eq(out,
		"direct: 2 hosts, 1 switches, 2 devices, 3 links (0 MR-Links), 6 functions\n"
		"VH 1: host a, link a-d\n"
		"  path to d: a -(a-d, Gen3 x4)-> d\n"
		"    MR-Links on it: none\n"
		"  functions on d:\n"
		"    d.pf1 01:00.0, d.vf0 01:00.1, d.vf1 01:00.2, d.vf2 01:00.3\n"
		"    d.vf3 01:00.4, d.vf4 01:00.5\n"
		"VH 2: host b, link b-s\n"
		"  no VFs assigned\n");
	free(out);
}
END_TEST

/* With ARI the 8-bit function number spans the device and function fields. */
START_TEST(test_rid_is_bus_device_function)
{
	char buf[8];

	ck_assert_str_eq(describe_rid(0x0300, buf), "03:00.0");
	ck_assert_str_eq(describe_rid(0x0309, buf), "03:01.1");
	ck_assert_str_eq(describe_rid(0xffff, buf), "ff:1f.7");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("describe");
	TCase *tc = tcase_create("check output");

	tcase_add_test(tc, test_two_hosts_are_described_per_vh);
	tcase_add_test(tc, test_direct_link_and_host_without_vfs);
	tcase_add_test(tc, test_rid_is_bus_device_function);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
