/* check_sim_mmio.c - host-initiated MMIO and MSI-X with interrupt remapping (contract §5)
 * against analysis: a doorbell lands one TLP time and a link latency after it is written; a
 * register read completes after two TLP times, two latencies and the device's mmio_latency;
 * mmio_tags bound the reads in flight; an interrupt is delivered after its TLP, an IRTE miss
 * (miss_latency) and delivery_latency; an interrupt entry cache smaller than the vectors
 * cycled misses every time (LRU); one host's MMIO never touches another's tags or links.
 * The work is filed into the engine before it starts (st_run_hook), as a device model
 * would file it while running. */
#include <math.h>
#include <stdio.h>

#include "mmio.h"
#include "pcie.h"
#include "simtest.h"

#define MAXEV 256
static double done_at[MAXEV];
static int ndone;

static void record(struct eng *e, struct tlp *t, double when)
{
	(void)e;
	if (t->key < MAXEV)
		done_at[t->key] = when;
	ndone++;
}

/* Seconds one TLP of this type and payload takes on a Gen3 x8 link of one VH. */
static double tlp_time(enum pcie_tlp_type type, unsigned payload)
{
	double r = pcie_raw_bps(3, 8) * (1 - pcie_spec_overhead(3, 8, 256));
	return pcie_tlp_wire_bytes(type, payload, 3, 64, false, false) * 8 / r;
}

static int fn_of(const struct eng *e, const char *name)
{
	return (int)(tu_function_named(e->t, name) - e->t->functions);
}

static const char direct[] =
	"name: mmio\nrun: {duration: 200us, warmup: 0}\n"
	"hosts: [{name: h, mmio_tags: 4, interrupts: {cache_entries: 2}}]\n"
	"devices: [{name: d, total_vfs: 2, mmio_latency: 1us}]\n"
	"links: [{a: h, b: d, gen: 3, width: 8, latency: 50ns}]\n"
	"assign: [{host: h, device: d, vfs: 2}]\n";

static int one_read_one_doorbell(void *arg, struct eng *e)
{
	int fn = fn_of(e, "d.vf0");
	(void)arg;
	return mmio_read(e, fn, 10e-6, 0, record) || mmio_doorbell(e, fn, 20e-6, 1, record);
}

START_TEST(test_a_register_read_and_a_doorbell_take_their_round_trip)
{
	struct sim *s = st_run_hook(direct, NULL, 0, one_read_one_doorbell, NULL);
	double mrd = tlp_time(PCIE_MRD, 0), cpl = tlp_time(PCIE_CPLD, 4);
	double mwr = tlp_time(PCIE_MWR, 4);

	ck_assert_int_eq(ndone, 2);
	/* exact up to rounding: 1 ps */
	ck_assert_double_eq_tol(done_at[0], 10e-6 + mrd + 50e-9 + 1e-6 + cpl + 50e-9, 1e-12);
	ck_assert_double_eq_tol(done_at[1], 20e-6 + mwr + 50e-9, 1e-12);
	ck_assert_uint_eq(st_port(s, "h", "d")->st.purpose_tlps[PURPOSE_REGISTER], 1);
	ck_assert_uint_eq(st_port(s, "d", "h")->st.purpose_tlps[PURPOSE_REGISTER], 1);
	ck_assert_uint_eq(st_port(s, "h", "d")->st.purpose_tlps[PURPOSE_DOORBELL], 1);
	ck_assert_int_eq(tpool_in_use(&s->e.hosts[0].mmio_tags), 0);
}
END_TEST

/* 64 reads filed at once with 4 tags: 16 rounds of one round trip each (the 4 requests of
 * a round leave back to back, so a round may end up to 3 request times and 3 completion
 * times later); with 1024 tags they all overlap within one round trip and 64 TLP times. */
static int reads_at_once(void *arg, struct eng *e)
{
	int fn = fn_of(e, "d.vf0");
	(void)arg;
	for (int i = 0; i < 64; i++)
		if (mmio_read(e, fn, 1e-6, (uint64_t)i, record))
			return -1;
	return 0;
}

static double last_done(void)
{
	double m = 0;
	for (int i = 0; i < 64; i++)
		m = fmax(m, done_at[i]);
	return m;
}

START_TEST(test_mmio_tags_bound_the_reads_in_flight)
{
	double mrd = tlp_time(PCIE_MRD, 0), cpl = tlp_time(PCIE_CPLD, 4);
	double rtt = mrd + 50e-9 + 1e-6 + cpl + 50e-9;

	st_run_hook(direct, NULL, 0, reads_at_once, NULL);
	ck_assert_int_eq(ndone, 64);
	double end = last_done() - 1e-6;
	ck_assert_msg(end >= 16 * rtt - 1e-12 && end <= 16 * rtt + 16 * 3 * (mrd + cpl),
		      "64 reads with 4 tags took %.4f us, 16 round trips %.4f us", end * 1e6,
		      16 * rtt * 1e6);
}
END_TEST

START_TEST(test_more_mmio_tags_overlap_the_reads)
{
	double mrd = tlp_time(PCIE_MRD, 0), cpl = tlp_time(PCIE_CPLD, 4);
	double rtt = mrd + 50e-9 + 1e-6 + cpl + 50e-9;
	char *sets[] = {"hosts.h.mmio_tags=1024"};

	st_run_hook(direct, sets, 1, reads_at_once, NULL);
	ck_assert_int_eq(ndone, 64);
	ck_assert_double_le(last_done() - 1e-6, rtt + 64 * (mrd + cpl));
}
END_TEST

/* 100 interrupts 1 us apart cycling over nvec vectors of one function. */
static int nvec;

static int interrupts(void *arg, struct eng *e)
{
	int fn = fn_of(e, "d.vf1");
	(void)arg;
	for (int i = 0; i < 100; i++) {
		double t = 5e-6 + i * 1e-6;
		if (mmio_msix(e, fn, i % nvec, t, t, NULL, record))
			return -1;
	}
	return 0;
}

/* Mean interrupt latency of d.vf1, and the host's remapping misses. */
static void run_interrupts(int vectors, const char *set, double *lat, uint64_t *miss)
{
	char *sets[] = {(char *)set};
	nvec = vectors;
	struct sim *s = st_run_hook(direct, sets, set ? 1 : 0, interrupts, NULL);
	const struct vf *vf = &s->e.vfs[fn_of(&s->e, "d.vf1")];

	ck_assert_uint_eq(s->e.hosts[0].interrupts, 100);
	ck_assert_uint_eq(vf->interrupts, 100);
	ck_assert_uint_eq(st_port(s, "d", "h")->st.purpose_tlps[PURPOSE_INTERRUPT], 100);
	*lat = vf->irq_lat_sum / 100;
	*miss = s->e.hosts[0].irq_remap_misses;
}

START_TEST(test_a_cache_smaller_than_the_vectors_misses_every_time)
{
	double lat;
	uint64_t miss;

	run_interrupts(4, NULL, &lat, &miss); /* 2 entries, LRU, 4 vectors in a cycle */
	ck_assert_uint_eq(miss, 100);
	ck_assert_double_eq_tol(lat, tlp_time(PCIE_MWR, 4) + 50e-9 + 200e-9 + 100e-9, 1e-12);
}
END_TEST

START_TEST(test_a_cache_that_holds_the_vectors_misses_once_per_vector)
{
	double lat;
	uint64_t miss;

	run_interrupts(4, "hosts.h.interrupts.cache_entries=4", &lat, &miss);
	ck_assert_uint_eq(miss, 4);
	ck_assert_double_eq_tol(lat, tlp_time(PCIE_MWR, 4) + 50e-9 + 0.04 * 200e-9 + 100e-9, 1e-12);
}
END_TEST

START_TEST(test_without_remapping_an_interrupt_only_pays_delivery)
{
	double lat;
	uint64_t miss;

	run_interrupts(4, "hosts.h.interrupts.remapping=false", &lat, &miss);
	ck_assert_uint_eq(miss, 0);
	ck_assert_double_eq_tol(lat, tlp_time(PCIE_MWR, 4) + 50e-9 + 100e-9, 1e-12);
}
END_TEST

/* Two hosts share d through a switch; h0 reads its VF and takes interrupts from it. */
static const char shared[] =
	"name: iso\nrun: {duration: 200us, warmup: 0}\n"
	"hosts: [{name: h0, mmio_tags: 2}, {name: h1, mmio_tags: 2}]\nswitches: [{name: s}]\n"
	"devices: [{name: d, total_vfs: 4}]\n"
	"links: [{a: h0, b: s, gen: 3, width: 8}, {a: h1, b: s, gen: 3, width: 8},\n"
	"        {a: s, b: d, gen: 3, width: 8}]\n"
	"assign: [{host: h0, device: d, vfs: 2}, {host: h1, device: d, vfs: 2}]\n";

static int h0_traffic(void *arg, struct eng *e)
{
	int fn = fn_of(e, "d.vf0");
	(void)arg;
	for (int i = 0; i < 64; i++)
		if (mmio_read(e, fn, 1e-6, (uint64_t)i, record) ||
		    mmio_doorbell(e, fn, 1e-6, MAXEV, record) ||
		    mmio_msix(e, fn, i % 8, 2e-6, 2e-6, NULL, NULL))
			return -1;
	return 0;
}

START_TEST(test_one_hosts_mmio_stays_in_its_vh)
{
	struct sim *s = st_run_hook(shared, NULL, 0, h0_traffic, NULL);

	ck_assert_int_eq(ndone, 128);
	ck_assert_uint_eq(s->e.hosts[0].interrupts, 64);
	ck_assert_uint_eq(s->e.hosts[1].interrupts, 0);
	ck_assert_uint_eq(st_port(s, "h1", "s")->st.tlps + st_port(s, "s", "h1")->st.tlps, 0);
	ck_assert_uint_eq(st_port(s, "h0", "s")->st.purpose_tlps[PURPOSE_REGISTER], 64);
	ck_assert_uint_eq(st_port(s, "s", "d")->st.purpose_tlps[PURPOSE_DOORBELL], 64);
	ck_assert_int_eq(tpool_in_use(&s->e.hosts[0].mmio_tags), 0);
	ck_assert_int_eq(s->e.hosts[1].mmio_tags.avail, 2); /* never taken */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_mmio");
	TCase *tc = tcase_create("mmio");

	tcase_add_test(tc, test_a_register_read_and_a_doorbell_take_their_round_trip);
	tcase_add_test(tc, test_mmio_tags_bound_the_reads_in_flight);
	tcase_add_test(tc, test_more_mmio_tags_overlap_the_reads);
	tcase_add_test(tc, test_a_cache_smaller_than_the_vectors_misses_every_time);
	tcase_add_test(tc, test_a_cache_that_holds_the_vectors_misses_once_per_vector);
	tcase_add_test(tc, test_without_remapping_an_interrupt_only_pays_delivery);
	tcase_add_test(tc, test_one_hosts_mmio_stays_in_its_vh);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
