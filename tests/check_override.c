/* check_override.c - `--set PATH=VALUE` (contract §2): values replaced or added before
 * validation, list items by name (links by "<a>-<b>", assign by index), errors located. */
#include <string.h>

#include "testutil.h"

static struct topo *load_set(const char *set, char *err, size_t len)
{
	char *sets[] = {(char *)set};
	return tu_load(tu_two_hosts, sets, 1, err, len);
}

START_TEST(test_set_replaces_a_link_width_by_default_name)
{
	struct topo *t = load_set("links.h0-sw.width=4", NULL, 0);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->links[0].width, 4);
	ck_assert_uint_eq(t->links[1].width, 8); /* untouched */
	topo_destroy(t);
}
END_TEST

START_TEST(test_set_creates_missing_mappings)
{
	char err[1024] = "";
	struct topo *t = load_set("devices.nic.atc.entries=128", err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert(t->devices[0].atc.present);
	ck_assert_uint_eq(t->devices[0].atc.entries, 128);
	topo_destroy(t);
	t = load_set("run.duration=5ms", err, sizeof(err));
	ck_assert_ptr_nonnull(t);
	ck_assert_double_eq_tol(t->run.duration, 5e-3, 1e-15);
	topo_destroy(t);
}
END_TEST

START_TEST(test_set_takes_yaml_values)
{
	char *sets[] = {"switches.sw.arbitration.policy=wrr",
			"switches.sw.arbitration.weights={h1: 5}"};
	struct topo *t = tu_load(tu_two_hosts, sets, 2, NULL, 0);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->switches[0].arb.policy, ARB_WRR);
	ck_assert_uint_eq(t->switches[0].arb.host_weight[1], 5);
	topo_destroy(t);
}
END_TEST

START_TEST(test_set_assign_by_index_and_workload_by_default_name)
{
	char *sets[] = {"assign.0.vfs=4", "workloads.w0.size=1KiB"};
	struct topo *t = tu_load(tu_two_hosts, sets, 2, NULL, 0);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->assigns[0].count, 4);
	ck_assert_uint_eq(t->workloads[0].size, 1024);
	topo_destroy(t);
}
END_TEST

START_TEST(test_set_later_wins)
{
	char *sets[] = {"pcie.mps=128", "pcie.mps=512"};
	struct topo *t = tu_load(tu_two_hosts, sets, 2, NULL, 0);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->pcie.mps, 512);
	topo_destroy(t);
}
END_TEST

START_TEST(test_set_path_naming_nothing_is_an_error)
{
	char err[1024] = "";
	ck_assert_ptr_null(load_set("links.nope.width=4", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:7: error: --set links.nope.width: no item 'nope' in "
			      "links\n");
	ck_assert_ptr_null(load_set("bogus.x=1", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:1: error: unknown key 'bogus' in the topology\n");
	ck_assert_ptr_null(load_set("hosts=1", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "hosts: expected a list"));
	ck_assert_ptr_null(load_set("noequals", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:1: error: --set 'noequals': expected PATH=VALUE\n");
}
END_TEST

START_TEST(test_set_value_errors_point_at_the_value)
{
	char err[1024] = "";
	ck_assert_ptr_null(load_set("links.h0-sw.gen=9", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:17: error: gen: expected 1 to 6, got '9'\n");
	ck_assert_ptr_null(load_set("hosts.h0.memroy_latency=1ns", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "did you mean 'memory_latency'?"));
}
END_TEST

START_TEST(test_set_cannot_break_out_through_an_alias_loop)
{
	char err[1024] = "";
	ck_assert_ptr_null(load_set("run=&a [*a]", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "command line:1:5: error:"));
}
END_TEST

START_TEST(test_set_malformed_argument_keeps_other_positions)
{
	char *sets[] = {"pcie.mps=100", "noequals", "devices.nic.atc.entires=1"};
	char err[1024] = "";
	ck_assert_ptr_null(tu_load(tu_two_hosts, sets, 3, err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:10: error: mps: expected 128, 256, 512, 1024, 2048 "
			      "or 4096, got '100'\n"
			      "command line:2:1: error: --set 'noequals': expected PATH=VALUE\n"
			      "command line:3:17: error: unknown key 'entires' in atc; did you mean "
			      "'entries'?\n");
}
END_TEST

START_TEST(test_set_empty_or_tilde_value_is_null)
{
	char err[1024] = "";
	ck_assert_ptr_null(load_set("run.seed=", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:10: error: seed: a value is required\n");
	ck_assert_ptr_null(load_set("run.seed=~", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:10: error: seed: a value is required\n");
	/* a VALUE that is only a comment is an empty document: null too, not out of memory */
	ck_assert_ptr_null(load_set("run.seed=# 3", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:10: error: seed: a value is required\n");
}
END_TEST

/* Each limit on a VALUE has its own message, at the VALUE. */
START_TEST(test_set_value_limits_have_their_messages)
{
	char err[1024] = "", deep[200];

	ck_assert_ptr_null(load_set("run.seed=[1", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:10: error: --set run.seed: VALUE '[1' is not valid "
			      "YAML\n");
	memset(deep, '[', 70);
	deep[70] = '\0';
	char arg[256];
	snprintf(arg, sizeof(arg), "run.seed=%s", deep);
	ck_assert_ptr_null(load_set(arg, err, sizeof(err)));
	/* the 65th '[' opens level 65: column 10 + 64 */
	ck_assert_str_eq(err, "command line:1:74: error: --set run.seed: nesting deeper than 64 "
			      "levels\n");
}
END_TEST

START_TEST(test_set_rate_and_outstanding_conflict_is_at_the_set)
{
	char err[1024] = "";
	/* the file's rate is on line 17; the --set comes after it whatever its line number */
	ck_assert_ptr_null(load_set("workloads.w0.outstanding=4", err, sizeof(err)));
	ck_assert_str_eq(err, "command line:1:26: error: workload 'w0' gives both rate (open "
			      "loop) and outstanding (closed loop); give one\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("override");
	TCase *tc = tcase_create("set");
	tcase_add_test(tc, test_set_replaces_a_link_width_by_default_name);
	tcase_add_test(tc, test_set_creates_missing_mappings);
	tcase_add_test(tc, test_set_takes_yaml_values);
	tcase_add_test(tc, test_set_assign_by_index_and_workload_by_default_name);
	tcase_add_test(tc, test_set_later_wins);
	tcase_add_test(tc, test_set_path_naming_nothing_is_an_error);
	tcase_add_test(tc, test_set_value_errors_point_at_the_value);
	tcase_add_test(tc, test_set_cannot_break_out_through_an_alias_loop);
	tcase_add_test(tc, test_set_malformed_argument_keeps_other_positions);
	tcase_add_test(tc, test_set_empty_or_tilde_value_is_null);
	tcase_add_test(tc, test_set_value_limits_have_their_messages);
	tcase_add_test(tc, test_set_rate_and_outstanding_conflict_is_at_the_set);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
