/* check_sim_overhead.c - what each TLP is for (contract §7, overhead.csv) and DMA remapping
 * switched off (§5): per link direction the purposes add up to its TLPs and wire bytes;
 * translation and invalidation TLPs are counted where analysis says they travel; a host
 * without an IOMMU makes no lookups and its functions' ATCs send no requests, so a DMA
 * workload that misses every page is bound by the link again, not by the page walkers. */
#include <math.h>
#include <stdio.h>

#include "simtest.h"

static uint64_t sum_tlps(const struct port *p)
{
	uint64_t n = 0;
	for (int u = 0; u < PURPOSE_N; u++)
		n += p->st.purpose_tlps[u];
	return n;
}

static double sum_wire(const struct port *p)
{
	double w = 0;
	for (int u = 0; u < PURPOSE_N; u++)
		w += p->st.purpose_wire[u];
	return w;
}

static void assert_purposes_add_up(struct sim *s)
{
	for (size_t i = 0; i < s->e.nports; i++) {
		const struct port *p = &s->e.ports[i];
		ck_assert_uint_eq(sum_tlps(p), p->st.tlps);
		/* the same products summed in another order: 1e-9 relative */
		ck_assert_double_eq_tol(sum_wire(p), p->st.wire, 1e-9 * fmax(p->st.wire, 1));
	}
}

/* Two hosts share an ATS device; h0 reads 512 B at random over 1 MiB (ATC misses), stops at
 * 150 us and drains in the 200-us run, so the whole run is the window: every miss is one
 * Translation Request up and one completion down; every DMA one 512-B read request and two
 * 256-B completions (MPS 256, addresses 512-B aligned). */
static const char shared_ats[] =
	"name: purposes\nrun: {duration: 200us, warmup: 0}\n"
	"hosts: [{name: h0, iommu: {page_size: 4KiB}}, {name: h1}]\nswitches: [{name: s}]\n"
	"devices: [{name: d, total_vfs: 4, atc: {entries: 8, scope: shared}}]\n"
	"links: [{a: h0, b: s, gen: 4, width: 8}, {a: h1, b: s, gen: 4, width: 8},\n"
	"        {a: s, b: d, gen: 4, width: 8}]\n"
	"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]\n"
	"workloads: [{host: h0, device: d, op: read, size: 512B, outstanding: 4,\n"
	"             pattern: random, footprint: 1MiB, stop: 150us}]\n";

START_TEST(test_translations_and_data_are_counted_by_purpose)
{
	struct sim *s = st_run(shared_ats, NULL, 0);
	const struct port *up = st_port(s, "s", "h0"), *down = st_port(s, "h0", "s");
	const struct eng_host *eh = &s->e.hosts[0];
	uint64_t lookups = eh->iotlb_hits + eh->iotlb_misses;
	uint64_t dmas = s->e.c.dmas_completed;

	assert_purposes_add_up(s);
	ck_assert_uint_gt(lookups, 100);
	ck_assert_uint_eq(s->e.c.dmas_issued, dmas); /* drained */
	/* with ATS every lookup at the host is a Translation Request (data is translated) */
	ck_assert_uint_eq(up->st.purpose_tlps[PURPOSE_TRANSLATION], lookups);
	ck_assert_uint_eq(down->st.purpose_tlps[PURPOSE_TRANSLATION], lookups);
	ck_assert_uint_eq(up->st.purpose_tlps[PURPOSE_DATA], dmas);
	ck_assert_uint_eq(down->st.purpose_tlps[PURPOSE_DATA], 2 * dmas);
	for (int u = PURPOSE_DESCRIPTOR; u <= PURPOSE_INTERRUPT; u++)
		ck_assert_uint_eq(up->st.purpose_tlps[u] + down->st.purpose_tlps[u], 0);
	ck_assert_uint_eq(up->st.purpose_tlps[PURPOSE_INVALIDATION], 0);
	/* h1's link carries nothing of h0's */
	ck_assert_uint_eq(st_port(s, "h1", "s")->st.tlps + st_port(s, "s", "h1")->st.tlps, 0);
}
END_TEST

/* Unmaps at 200 000/s on a host whose 2 VFs have ATCs: each is one Invalidate Request down
 * and one Invalidate Completion up, both counted as invalidation; the counts differ from
 * the completed invalidations only by those in flight at the window's two edges (at most
 * 32 ITags per function). */
START_TEST(test_invalidations_are_counted_by_purpose)
{
	struct sim *s = st_run(st_inval_chassis, NULL, 0);
	const struct port *down = st_port(s, "h", "d"), *up = st_port(s, "d", "h");
	double done = (double)s->e.hosts[0].inv_done;

	assert_purposes_add_up(s);
	ck_assert_double_gt(done, 100);
	ck_assert_double_le(fabs((double)down->st.purpose_tlps[PURPOSE_INVALIDATION] - done), 64);
	ck_assert_double_le(fabs((double)up->st.purpose_tlps[PURPOSE_INVALIDATION] - done), 64);
	/* Poisson writes at 1 Gb/s of 256 B over the 0.9-ms window: 439 +- 4 sd (84) */
	ck_assert_double_le(fabs((double)up->st.purpose_tlps[PURPOSE_DATA] - 439.45), 84);
	/* the writes' payload is only data */
	ck_assert_uint_eq(down->st.purpose_tlps[PURPOSE_DATA], 0);
}
END_TEST

START_TEST(test_iommu_disabled_makes_no_lookups_and_no_translation_requests)
{
	char *sets[] = {"hosts.h0.iommu.enabled=false"};
	struct sim *s = st_run(shared_ats, sets, 1);
	uint64_t atc = 0;

	for (size_t f = 0; f < s->t->nfunctions; f++)
		atc += s->e.vfs[f].atc_hits + s->e.vfs[f].atc_misses;
	assert_purposes_add_up(s);
	ck_assert_uint_gt(s->e.c.dmas_completed, 100);
	ck_assert_uint_eq(s->e.hosts[0].iotlb_hits + s->e.hosts[0].iotlb_misses, 0);
	ck_assert_uint_eq(atc, 0);
	for (size_t i = 0; i < s->e.nports; i++)
		ck_assert_uint_eq(s->e.ports[i].st.purpose_tlps[PURPOSE_TRANSLATION], 0);
}
END_TEST

/* 64-B writes at random over 1 GiB with 4 KiB pages miss the IOTLB every time: one walker
 * of 1 us bounds them at 1 M DMAs/s (0.512 Gb/s). Without DMA remapping the same case is a
 * pcie-bench saturation case (domain.md §4.5) with no 1 GiB-page workaround; 0.5 % as in
 * check_sim_throughput. */
static const char walk_bound[] =
	"name: nowalk\nrun: {duration: 100us, warmup: 10us}\n"
	"pcie: {mps: 256, mrrs: 512, tags: 256}\n"
	"hosts: [{name: h, buffer: 64KiB, iommu: {page_size: 4KiB, walk_latency: 1us, walkers: 1}}]\n"
	"devices: [{name: d, total_vfs: 8}]\n"
	"links: [{a: h, b: d, gen: 3, width: 8}]\n"
	"assign: [{host: h, device: d, vfs: 8}]\n"
	"workloads: [{host: h, device: d, op: write, size: 64B, outstanding: 256,\n"
	"             pattern: random, footprint: 1GiB}]\n";

START_TEST(test_walker_bound_case_is_link_bound_without_iommu)
{
	char *sets[] = {"hosts.h.iommu.enabled=false"};
	struct sim *s = st_run(walk_bound, sets, 1);
	double want = st_pcie_bench_gbps(3, 8, 256, 512, 64, 0), got = st_total_gbps(s);

	ck_assert_uint_eq(s->e.hosts[0].iotlb_hits + s->e.hosts[0].iotlb_misses, 0);
	ck_assert_msg(fabs(got - want) <= 0.005 * want, "%.4f Gb/s, pcie-bench %.4f", got, want);
}
END_TEST

START_TEST(test_walker_bound_case_is_walker_bound_with_iommu)
{
	struct sim *s = st_run(walk_bound, NULL, 0);
	double bound = 1 / 1e-6 * 64 * 8 / 1e9, got = st_total_gbps(s);

	/* 3 %, as check_sim_ats's walker bound */
	ck_assert_msg(fabs(got - bound) <= 0.03 * bound, "%.4f Gb/s, bound %.4f", got, bound);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_overhead");
	TCase *tc = tcase_create("purposes");

	tcase_add_test(tc, test_translations_and_data_are_counted_by_purpose);
	tcase_add_test(tc, test_invalidations_are_counted_by_purpose);
	tcase_add_test(tc, test_iommu_disabled_makes_no_lookups_and_no_translation_requests);
	tcase_add_test(tc, test_walker_bound_case_is_link_bound_without_iommu);
	tcase_add_test(tc, test_walker_bound_case_is_walker_bound_with_iommu);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
