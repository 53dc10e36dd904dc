/* check_platform.c - the exported platform loads in SimGrid (one engine per process, so
 * every test runs in Check's forked child) with the links, rates and routes of the chassis. */
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xbt/dynar.h>

#include "casc.h"
#include "pcie.h"
#include "platform.h"
#include "testutil.h"

static struct topo *t;

static void load_with(char *const *sets, size_t nsets);

static void load_into_simgrid(void)
{
	load_with(NULL, 0);
}

static void load_with(char *const *sets, size_t nsets)
{
	char err[2048] = "", path[64];
	int argc = 2;
	char *argv[] = {"t", "--log=root.thres:critical", NULL};
	int fd;
	FILE *f;

	t = tu_load(casc_yaml, sets, nsets, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	fd = memfd_create("platform.xml", 0);
	ck_assert_int_ge(fd, 0);
	f = fdopen(dup(fd), "w");
	ck_assert_int_eq(platform_write(t, f), 0);
	fclose(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	simgrid_init(&argc, argv);
	simgrid_load_platform(path);
	close(fd);
}

START_TEST(test_one_simgrid_host_per_node_and_two_links_per_pcie_link)
{
	load_into_simgrid();
	ck_assert_uint_eq(sg_host_count(), (size_t)topo_nnodes(t));
	/* + SimGrid's own __loopback__ link */
	ck_assert_uint_eq(sg_link_count(), 2 * t->nlinks + t->nswitches + 1);
	ck_assert_ptr_nonnull(sg_link_by_name("trunk.fwd"));
	ck_assert_ptr_nonnull(sg_host_by_name("h0"));
	ck_assert_ptr_nonnull(sg_host_by_name("low"));
	ck_assert_str_eq(sg_host_get_property_value(sg_host_by_name("h2"), "vh"), "3");
	ck_assert_str_eq(sg_host_get_property_value(sg_host_by_name("ssd"), "kind"), "device");
	topo_destroy(t);
}
END_TEST

START_TEST(test_link_rates_are_tlp_layer_rates)
{
	load_into_simgrid();
	/* Gen3 x4, MPS 256: raw 31.5 Gb/s less 8/214 + 8/214 + 4/1538 (domain.md Appendix A) */
	double want = pcie_raw_bps(3, 4) * (1 - 16.0 / 214 - 4.0 / 1538) / 8;
	ck_assert_double_eq_tol(sg_link_get_bandwidth(sg_link_by_name("low-ssd.fwd")), want,
				want * 1e-12);
	ck_assert_double_eq_tol(sg_link_get_latency(sg_link_by_name("trunk.rev")), 30e-9, 1e-18);
	ck_assert_double_eq_tol(sg_link_get_latency(sg_link_by_name("low.xbar")), 100e-9, 1e-18);
	topo_destroy(t);
}
END_TEST

START_TEST(test_routes_follow_the_vh_paths)
{
	xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
	const char *want[] = {"h2-low.fwd", "low.xbar", "trunk.rev", "top.xbar", "top-nic.fwd"};

	load_into_simgrid();
	sg_host_get_route(sg_host_by_name("h2"), sg_host_by_name("nic"), links);
	ck_assert_uint_eq(xbt_dynar_length(links), 5);
	for (unsigned i = 0; i < 5; i++)
		ck_assert_str_eq(sg_link_get_name(xbt_dynar_get_as(links, i, sg_link_t)), want[i]);
	/* 20 + 100 + 30 + 150 + 20 ns */
	ck_assert_double_eq_tol(sg_host_get_route_latency(sg_host_by_name("h2"),
							  sg_host_by_name("nic")), 320e-9, 1e-18);
	/* completions come back the reverse way */
	xbt_dynar_reset(links);
	sg_host_get_route(sg_host_by_name("nic"), sg_host_by_name("h2"), links);
	ck_assert_str_eq(sg_link_get_name(xbt_dynar_get_as(links, 0, sg_link_t)), "top-nic.rev");
	xbt_dynar_free(&links);
	topo_destroy(t);
}
END_TEST

static double done_at;

static void sender(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sg_host_sendto(sg_host_by_name("h0"), sg_host_by_name("ssd"), 1e6);
	done_at = simgrid_get_clock();
}

/* With the CM02 settings in the file, a transfer takes sum(latency) + bytes / min(rate)
 * exactly (simgrid.md §3); the default LV08 model would stretch latency 13-fold. */
START_TEST(test_engine_settings_give_exact_transfer_time)
{
	load_into_simgrid();
	sg_actor_create("s", sg_host_by_name("h0"), sender, 0, NULL);
	simgrid_run();
	double lat = 20e-9 + 150e-9 + 30e-9 + 100e-9 + 20e-9;
	double bw = pcie_raw_bps(3, 4) * (1 - 16.0 / 214 - 4.0 / 1538) / 8;
	ck_assert_double_eq_tol(done_at, lat + 1e6 / bw, 1e-12);
	topo_destroy(t);
}
END_TEST

/* hosts[].cpu (contract §11) is the host's core count and speed (a cycle per flop); a
 * host without it keeps one core of 1 Gflop/s */
START_TEST(test_host_cpu_is_its_cores_and_speed)
{
	char *sets[] = {"hosts.h0.cpu.cores=12", "hosts.h0.cpu.frequency=3.2GHz"};

	load_with(sets, 2);
	ck_assert_int_eq(sg_host_core_count(sg_host_by_name("h0")), 12);
	ck_assert_double_eq(sg_host_get_speed(sg_host_by_name("h0")), 3.2e9);
	ck_assert_int_eq(sg_host_core_count(sg_host_by_name("h1")), 1);
	ck_assert_double_eq(sg_host_get_speed(sg_host_by_name("h1")), 1e9);
	topo_destroy(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("platform");
	TCase *tc = tcase_create("simgrid");
	tcase_add_test(tc, test_one_simgrid_host_per_node_and_two_links_per_pcie_link);
	tcase_add_test(tc, test_link_rates_are_tlp_layer_rates);
	tcase_add_test(tc, test_routes_follow_the_vh_paths);
	tcase_add_test(tc, test_engine_settings_give_exact_transfer_time);
	tcase_add_test(tc, test_host_cpu_is_its_cores_and_speed);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
