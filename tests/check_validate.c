/* check_validate.c - the rules across keys (validate.c, assign.c): a valid chassis passes with
 * what validation derives (node references, host and device links, VF indices, arbitration
 * tables), and each broken rule gives its own message at its own place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* gen and width are required on every link; their values play no part in validation */
#define LW "gen: 3, width: 4"

/* The base chassis, one key per line so that a case can replace one line. */
static const char *const base[] = {
	"name: v",                                                                  /* 1 */
	"run: {duration: 100us, warmup: 10us}",                                     /* 2 */
	"hosts: [{name: h0}, {name: h1}, {name: h2}]",                              /* 3 */
	"switches: [{name: sw, arbitration: {policy: wrr, weights: {h1: 3}}}]",     /* 4 */
	"devices: [{name: nic, total_vfs: 8, max_vhs: 3}, {name: ssd, total_vfs: 2}]", /* 5 */
	"links: [{a: h0, b: sw, " LW "}, {a: h1, b: sw, " LW "}, {a: h2, b: sw, " LW "}, "
	"{a: sw, b: nic, " LW "}, {a: sw, b: ssd, " LW "}]",                             /* 6 */
	"assign: [{host: h0, device: nic, vfs: 2}, {host: h1, device: nic, vfs: [1, 5]}, "
	"{host: h2, device: ssd, vfs: 1}]",                                         /* 7 */
	"workloads: [{name: w, host: h0, device: nic, op: write, size: 256B, rate: 10Gbps}]", /* 8 */
	NULL,
};

/* A case: the base with line n (1-based; 0 for none) replaced by text, and line n2 by
 * text2, must give exactly the diagnostics want. */
struct rule {
	int n;
	const char *text;
	const char *want;
	int n2;
	const char *text2;
};

static char *chassis(const struct rule *r)
{
	static char buf[8192];
	size_t used = 0;

	for (int i = 0; base[i]; i++) {
		const char *line = i + 1 == r->n ? r->text : i + 1 == r->n2 ? r->text2 : base[i];
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s\n", line);
	}
	return buf;
}

static void rejected(const struct rule *r)
{
	char err[4096] = "";
	struct topo *t = tu_load(chassis(r), NULL, 0, err, sizeof(err));

	ck_assert_msg(t == NULL, "accepted with line %d = %s", r->n, r->text);
	ck_assert_str_eq(err, r->want);
}

static struct topo *accepted(int n, const char *text)
{
	char err[4096] = "";
	struct topo *t = tu_load(chassis(&(struct rule){n, text, NULL, 0, NULL}), NULL, 0, err,
				 sizeof(err));

	ck_assert_msg(t != NULL, "rejected: %s", err);
	return t;
}

START_TEST(test_valid_chassis_resolves_every_reference)
{
	struct topo *t = accepted(0, NULL);

	/* node ids: hosts 0-2, switch 3, devices 4-5 */
	ck_assert_int_eq(t->links[3].a.idx, 3);
	ck_assert_int_eq(t->links[3].b.idx, 4);
	ck_assert_int_eq(t->assigns[2].host.idx, 2);
	ck_assert_int_eq(t->assigns[2].device.idx, 1);
	ck_assert_int_eq(t->workloads[0].device.idx, 0);
	for (int h = 0; h < 3; h++)
		ck_assert_int_eq(t->hosts[h].link, h);
	ck_assert_int_eq(t->devices[0].link, 3);
	ck_assert_int_eq(t->devices[1].link, 4);
	topo_destroy(t);
}
END_TEST

/* Lists are applied before counts: h0's "2" takes the lowest indices h1's list leaves. */
START_TEST(test_counts_take_the_lowest_indices_lists_leave_free)
{
	struct topo *t = accepted(0, NULL);
	static const int owner[8] = {0, 1, 0, -1, -1, 1, -1, -1};

	for (int v = 0; v < 8; v++)
		ck_assert_msg(t->devices[0].vf_host[v] == owner[v], "VF %d owned by %d", v,
			      t->devices[0].vf_host[v]);
	ck_assert_uint_eq(t->assigns[0].nvfs, 2);
	ck_assert_uint_eq(t->assigns[0].vfs[0], 0);
	ck_assert_uint_eq(t->assigns[0].vfs[1], 2);
	topo_destroy(t);
}
END_TEST

/* An explicit list is kept sorted whatever order the file gives. */
START_TEST(test_explicit_vf_list_is_sorted)
{
	struct topo *t = accepted(7, "assign: [{host: h0, device: nic, vfs: [6, 0, 3]}]");

	ck_assert_uint_eq(t->assigns[0].vfs[0], 0);
	ck_assert_uint_eq(t->assigns[0].vfs[1], 3);
	ck_assert_uint_eq(t->assigns[0].vfs[2], 6);
	topo_destroy(t);
}
END_TEST

/* wrr: named hosts get their weight, the others 1; strict: listed hosts first, in list order,
 * then the others in file order. */
START_TEST(test_arbitration_tables_follow_the_names)
{
	struct topo *t = accepted(0, NULL);
	const struct topo_arb *a = &t->switches[0].arb;

	ck_assert_uint_eq(a->host_weight[0], 1);
	ck_assert_uint_eq(a->host_weight[1], 3);
	ck_assert_uint_eq(a->host_weight[2], 1);
	topo_destroy(t);
	t = accepted(4, "switches: [{name: sw, arbitration: {policy: strict, priority: [h2, h0]}}]");
	a = &t->switches[0].arb;
	ck_assert_int_eq(a->host_order[0], 2);
	ck_assert_int_eq(a->host_order[1], 0);
	ck_assert_int_eq(a->host_order[2], 1);
	topo_destroy(t);
}
END_TEST

static const struct rule name_rules[] = {
	{3, "hosts: [{name: h0}, {name: h1}, {name: h2}, {name: h0}]",
	 "t.yaml:3:52: error: name 'h0' is already used by the host at line 3\n", 0, NULL},
	{4, "switches: [{name: h1}]",
	 "t.yaml:4:19: error: name 'h1' is already used by the host at line 3\n", 0, NULL},
	{6, "links: [{a: h0, b: sw, " LW ", name: up}, {a: h1, b: sw, " LW ", name: up}, "
	 "{a: h2, b: sw, " LW "}, {a: sw, b: nic, " LW "}, {a: sw, b: ssd, " LW "}]",
	 "t.yaml:6:92: error: link name 'up' is already used by the link at line 6\n", 0, NULL},
	{8, "workloads: [{name: w, host: h0, device: nic, op: write, "
	 "size: 256B, rate: 1Gbps}, {name: w, host: h0, device: nic, op: read, size: 256B, rate: "
	 "1Gbps}]", "t.yaml:8:83: error: workload name 'w' is already used by the workload at "
	 "line 8\n", 0, NULL},
};

START_TEST(test_names_must_be_unique)
{
	rejected(&name_rules[_i]);
}
END_TEST

static const struct rule link_rules[] = {
	{6, "links: [{a: h0, b: sw, " LW "}, {a: h1, b: sw, " LW "}, {a: h2, b: sw, " LW "}, "
	 "{a: sw, b: nic, " LW "}, {a: sw, b: sdd, " LW "}]",
	 "t.yaml:6:157: error: b: no host, switch or device named 'sdd'; did you mean 'ssd'?\n", 0, NULL},
	{6, "links: [{a: h0, b: sw, " LW "}, {a: h1, b: sw, " LW "}, "
	 "{a: h2, b: sw, " LW "}, {a: sw, b: nic, " LW "}, {a: quux, b: ssd, " LW "}]",
	 "t.yaml:6:150: error: a: no host, switch or device named 'quux'\n", 0, NULL},
	{6, "links: [{a: h0, b: sw, " LW "}, {a: h1, b: sw, " LW "}, {a: h2, b: sw, " LW "}, "
	 "{a: sw, b: nic, " LW "}, {a: sw, b: ssd, " LW "}, {a: sw, b: sw, " LW ", name: loop}]",
	 "t.yaml:6:192: error: b: link 'loop' joins 'sw' to itself\n", 0, NULL},
	{6, "links: [{a: h0, b: h1, " LW "}, {a: h2, b: sw, " LW "}, {a: sw, b: nic, " LW "}, "
	 "{a: sw, b: ssd, " LW "}]",
	 "t.yaml:6:9: error: link 'h0-h1' joins two hosts; hosts connect to switches or to the "
	 "other kind\n", 0, NULL},
	{6, "links: [{a: h0, b: sw, " LW "}, {a: h1, b: sw, " LW "}, {a: h2, b: sw, " LW "}, "
	 "{a: sw, b: nic, " LW "}, {a: sw, b: ssd, " LW "}, {a: nic, b: h0, " LW "}]",
	 "t.yaml:6:181: error: device 'nic' has a second link ('nic-h0' after 'sw-nic'); a device "
	 "has one link toward the hosts\n"
	 "t.yaml:6:181: error: host 'h0' has a second link ('nic-h0' after 'h0-sw'); a host has "
	 "exactly one link into the fabric\n"
	 "t.yaml:6:181: error: links form a cycle: sw-nic, h0-sw, nic-h0\n", 0, NULL},
	{6, "links: [{a: h0, b: sw, " LW "}, {a: h1, b: sw, " LW "}, {a: h2, b: sw, " LW "}, "
	 "{a: sw, b: nic, " LW "}, {a: sw, b: ssd, " LW "}, {a: sw, b: s2, " LW ", name: p}, "
	 "{a: s2, b: s3, " LW ", name: q}, {a: s3, b: sw, " LW ", name: r}]",
	 "t.yaml:6:267: error: links form a cycle: q, p, r\n",
	 4, "switches: [{name: sw}, {name: s2}, {name: s3}]"},
	{6, "links: [{a: h0, b: sw, " LW "}, {a: h2, b: sw, " LW "}, {a: sw, b: nic, " LW "}, "
	 "{a: sw, b: ssd, " LW "}]",
	 "t.yaml:3:28: error: host 'h1' has no link into the fabric\n", 0, NULL},
};

START_TEST(test_link_rules_are_enforced)
{
	rejected(&link_rules[_i]);
}
END_TEST

static const struct rule arb_rules[] = {
	/* weights name hosts; each at most once */
	{4, "switches: [{name: sw, arbitration: {policy: wrr, weights: {h9: 2}}}]",
	 "t.yaml:4:60: error: weights: no host named 'h9'\n", 0, NULL},
	{4, "switches: [{name: sw, arbitration: {policy: wrr, weights: {sw: 2}}}]",
	 "t.yaml:4:60: error: weights: 'sw' is a switch, not a host\n", 0, NULL},
	{4, "switches: [{name: sw, arbitration: {policy: strict, priority: [h1, h0, h1]}}]",
	 "t.yaml:4:72: error: priority: 'h1' is listed twice\n", 0, NULL},
};

START_TEST(test_arbitration_names_hosts_once)
{
	rejected(&arb_rules[_i]);
}
END_TEST

static const struct rule assign_rules[] = {
	{7, "assign: [{host: h0, device: nic, vfs: 2}, {host: h1, device: nic, vfs: [8]}]",
	 "t.yaml:7:73: error: vfs: VF 8 does not exist: 'nic' has total_vfs 8 (indices 0 to 7)\n",
	 0, NULL},
	{7, "assign: [{host: h0, device: nic, vfs: [2, 2]}]",
	 "t.yaml:7:43: error: vfs: VF 2 of 'nic' is listed twice\n", 0, NULL},
	{7, "assign: [{host: h0, device: nic, vfs: [4]}, {host: h1, device: nic, vfs: [4]}]",
	 "t.yaml:7:75: error: vfs: VF 4 of 'nic' is already assigned to 'h0'\n", 0, NULL},
	{7, "assign: [{host: h0, device: nic, vfs: 7}, {host: h1, device: nic, vfs: 2}]",
	 "t.yaml:7:72: error: vfs: 'nic' has only 1 free VFs left for 'h1' (total_vfs 8)\n", 0, NULL},
	{7, "assign: [{host: h0, device: nic, vfs: 1}, {host: h1, device: nic, vfs: 1}, "
	 "{host: h2, device: nic, vfs: 1}]",
	 "t.yaml:7:83: error: host: 'h2' would be host 3 of 'nic', which serves at most 2 hosts "
	 "(max_vhs)\n",
	 5, "devices: [{name: nic, total_vfs: 8, max_vhs: 2}, {name: ssd, total_vfs: 2}]"},
	{7, "assign: [{host: sw, device: nic, vfs: 1}]",
	 "t.yaml:7:17: error: host: 'sw' is a switch, not a host\n", 0, NULL},
};

START_TEST(test_vf_assignment_rules_are_enforced)
{
	rejected(&assign_rules[_i]);
}
END_TEST

static const struct rule workload_rules[] = {
	{8, "workloads: [{host: h2, device: nic, op: write, size: 256B, rate: 1Gbps}]",
	 "t.yaml:8:32: error: device: 'h2' has no VFs on 'nic'; a workload runs only where its "
	 "host owns VFs (see assign)\n", 0, NULL},
	{8, "workloads: [{host: h0, device: nic, op: write, size: 256B, rate: 1Gbps, vfs: 3}]",
	 "t.yaml:8:78: error: vfs: 'h0' owns 2 VFs on 'nic', not 3\n", 0, NULL},
	{8, "workloads: [{host: h0, device: nic, op: read, size: 4KiB, rate: 1Gbps, "
	 "outstanding: 2}]",
	 "t.yaml:8:85: error: workload 'w0' gives both rate (open loop) and outstanding (closed "
	 "loop); give one\n", 0, NULL},
	{8, "workloads: [{host: h0, device: nic, op: read, size: 4KiB}]",
	 "t.yaml:8:13: error: workload 'w0' needs rate (open loop) or outstanding (closed loop)\n",
	 0, NULL},
	{8, "workloads: [{host: h0, device: nic, op: read, size: 4KiB, outstanding: 2, "
	 "arrival: constant}]",
	 "t.yaml:8:84: error: arrival: applies to open-loop workloads (rate) only\n", 0, NULL},
	/* a 1500 B transfer takes a 2 KiB slot */
	{8, "workloads: [{host: h0, device: nic, op: read, size: 1500B, rate: 1Gbps, "
	 "footprint: 1KiB}]",
	 "t.yaml:8:84: error: footprint: 1024 B is smaller than one DMA slot of 2048 B\n", 0, NULL},
	{8, "workloads: [{host: h0, device: nic, op: read, size: 4KiB, rate: 1Gbps, start: 20us, "
	 "stop: 20us}]",
	 "t.yaml:8:91: error: stop: must be later than start\n", 0, NULL},
	{8, "workloads: [{host: h0, device: nic, op: read, size: 4KiB, rate: 1Gbps, start: 100us}]",
	 "t.yaml:8:79: error: workload 'w0' starts after the run ends\n", 0, NULL},
};

START_TEST(test_workload_rules_are_enforced)
{
	rejected(&workload_rules[_i]);
}
END_TEST

static const struct rule run_rules[] = {
	{2, "run: {duration: 100us, warmup: 100us}",
	 "t.yaml:2:32: error: warmup: must be shorter than the duration (0.0001 s)\n", 0, NULL},
	{2, "run: {duration: 100us, warmup: 10us, bin: 91us}",
	 "t.yaml:2:43: error: run.bin: longer than the measured window\n", 0, NULL},
};

START_TEST(test_run_window_rules_are_enforced)
{
	rejected(&run_rules[_i]);
}
END_TEST

/* Independent rules are all reported in one pass, in file order. */
START_TEST(test_independent_errors_are_all_reported)
{
	rejected(&(struct rule){2, "run: {duration: 100us, warmup: 200us}",
		 "t.yaml:2:32: error: warmup: must be shorter than the duration (0.0001 s)\n"
		 "t.yaml:7:73: error: vfs: VF 9 does not exist: 'nic' has total_vfs 8 (indices 0 "
		 "to 7)\n",
		 7, "assign: [{host: h0, device: nic, vfs: 2}, {host: h1, device: nic, vfs: [9]}]"});
}
END_TEST

/* The MR-IOV prefix carries the VH in 8 bits, VH 0 is management: 255 hosts at most. */
START_TEST(test_more_than_255_hosts_are_refused)
{
	char hosts[8192] = "hosts: [";
	size_t used = strlen(hosts);

	for (int h = 0; h < 256; h++)
		used += (size_t)snprintf(hosts + used, sizeof(hosts) - used, "%s{name: h%d}",
					 h ? ", " : "", h);
	snprintf(hosts + used, sizeof(hosts) - used, "]");
	rejected(&(struct rule){3, hosts, "t.yaml:3:3476: error: hosts: at most 255 hosts (VH 1 "
		 "to 255: the MR-IOV prefix carries the VH in 8 bits, VH 0 is management)\n", 0, NULL});
}
END_TEST

int main(void)
{
	Suite *s = suite_create("validate");
	TCase *ok = tcase_create("valid");
	TCase *bad = tcase_create("rules");

	tcase_add_test(ok, test_valid_chassis_resolves_every_reference);
	tcase_add_test(ok, test_counts_take_the_lowest_indices_lists_leave_free);
	tcase_add_test(ok, test_explicit_vf_list_is_sorted);
	tcase_add_test(ok, test_arbitration_tables_follow_the_names);
	tcase_add_loop_test(bad, test_names_must_be_unique, 0,
			    sizeof(name_rules) / sizeof(name_rules[0]));
	tcase_add_loop_test(bad, test_link_rules_are_enforced, 0,
			    sizeof(link_rules) / sizeof(link_rules[0]));
	tcase_add_loop_test(bad, test_arbitration_names_hosts_once, 0,
			    sizeof(arb_rules) / sizeof(arb_rules[0]));
	tcase_add_loop_test(bad, test_vf_assignment_rules_are_enforced, 0,
			    sizeof(assign_rules) / sizeof(assign_rules[0]));
	tcase_add_loop_test(bad, test_workload_rules_are_enforced, 0,
			    sizeof(workload_rules) / sizeof(workload_rules[0]));
	tcase_add_loop_test(bad, test_run_window_rules_are_enforced, 0,
			    sizeof(run_rules) / sizeof(run_rules[0]));
	tcase_add_test(bad, test_independent_errors_are_all_reported);
	tcase_add_test(bad, test_more_than_255_hosts_are_refused);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	return tu_run(s);
}
