/* check_isolation.c - the isolation proof passes on valid chassis and catches tables that
 * would let one VH reach another's virtual switch, function or link. */
#include <string.h>

#include "casc.h"
#include "testutil.h"

static struct topo *load(void)
{
	char err[2048] = "";
	struct topo *t = tu_load(casc_yaml, NULL, 0, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	return t;
}

static int run_check(struct topo *t, char *out, size_t len)
{
	struct diags d;
	int rc;
	FILE *f = fmemopen(out, len, "w");

	diags_init(&d);
	rc = isolation_check(t, &d);
	diags_print(&d, f);
	fclose(f);
	diags_free(&d);
	return rc;
}

START_TEST(test_valid_chassis_is_isolated)
{
	char out[1024] = "";
	struct topo *t = load();
	ck_assert_int_eq(run_check(t, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	topo_destroy(t);
}
END_TEST

START_TEST(test_virtual_switch_claimed_by_two_vhs_is_caught)
{
	char out[1024] = "";
	struct topo *t = load();
	t->vhs[0].vswitches[0].vh = 2; /* VH1's virtual switch in top now answers for VH2 */
	ck_assert_int_ne(run_check(t, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "maps VH 2 to two virtual switches"));
	topo_destroy(t);
}
END_TEST

START_TEST(test_function_moved_to_another_vh_is_caught)
{
	char out[1024] = "";
	struct topo *t = load();
	for (size_t i = 0; i < t->nfunctions; i++)
		if (strcmp(t->functions[i].name, "nic.vf0") == 0)
			t->functions[i].vh = 3;
	ck_assert_int_ne(run_check(t, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "VH 3 cannot reach its function nic.vf0"));
	topo_destroy(t);
}
END_TEST

START_TEST(test_downstream_window_leaking_into_another_vh_is_caught)
{
	char out[2048] = "";
	struct topo *t = load();
	/* VH3 uses the same bus numbers for its own nic functions; widen nothing but give VH3's
	 * top switch a window over VH1's nic bus 6 and make the device decode VH1's table */
	struct topo_vswitch *vs = &t->vhs[2].vswitches[1];
	vs->down_subordinate[0] = 7;
	t->dev_pf[0 * t->nhosts + 2] = t->dev_pf[0 * t->nhosts + 0];
	ck_assert_int_ne(run_check(t, out, sizeof(out)), 0);
	topo_destroy(t);
}
END_TEST

START_TEST(test_shared_link_not_marked_mr_is_caught)
{
	char out[1024] = "";
	struct topo *t = load();
	for (size_t l = 0; l < t->nlinks; l++)
		if (strcmp(t->links[l].name, "trunk") == 0)
			t->links[l].mr_link = false;
	ck_assert_int_ne(run_check(t, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "link 'trunk' carries 3 VHs but is not an MR-Link"));
	topo_destroy(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("isolation");
	TCase *tc = tcase_create("proof");
	tcase_add_test(tc, test_valid_chassis_is_isolated);
	tcase_add_test(tc, test_virtual_switch_claimed_by_two_vhs_is_caught);
	tcase_add_test(tc, test_function_moved_to_another_vh_is_caught);
	tcase_add_test(tc, test_downstream_window_leaking_into_another_vh_is_caught);
	tcase_add_test(tc, test_shared_link_not_marked_mr_is_caught);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
