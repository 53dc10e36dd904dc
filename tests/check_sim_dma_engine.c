/* check_sim_dma_engine.c - the DMA engine's slots (dma_concurrency, contract §12) against
 * Little's law. VFs read 64 B at a time through an engine of c slots with a 4 µs
 * dma_latency and no other engine cost: a read holds its slot from its request to
 * dma_latency after its completion came back, H = round trip + 4 µs. With more reads
 * offered than c / H, a slot must never be free while a read waits for it (the first
 * waiter is woken when a slot comes back, models/dev_dma.c), so reads complete at exactly
 * c / H. H is measured where nobody waits (a slot per reader, closed loop); the round trip
 * of one 64-B read over two Gen4 x16 links and a switch is about 0.5 µs, under 2 µs. */
#include <math.h>
#include <stdio.h>

#include "simtest.h"

#define LAT 4e-6        /* dma_latency */
#define RTT_MAX 2e-6    /* a bound on a 64-B read's round trip here */
#define WINDOW 300e-6   /* duration 330 µs, warmup 30 µs */

static void measure(struct sim *s, void *out)
{
	*(double *)out = (double)st_host(s, 0).dmas / WINDOW;
}

/* Reads completed per second in the window, run in a child (one engine a process): nvfs
 * VFs each keeping one read outstanding (load NULL), or offered load (a rate) in all, at
 * constant intervals. */
static double read_rate(int slots, int nvfs, const char *load)
{
	char yaml[1024], work[64];
	double rate;

	if (load)
		snprintf(work, sizeof(work), "rate: %s, arrival: constant", load);
	else
		snprintf(work, sizeof(work), "outstanding: 1");
	snprintf(yaml, sizeof(yaml),
		 "name: slots\n"
		 "run: {duration: 330us, warmup: 30us}\n"
		 "hosts: [{name: h, iommu: {page_size: 1GiB}}]\n"
		 "switches: [{name: s}]\n"
		 "devices: [{name: d, total_vfs: %d, dma_latency: 4us, dma_concurrency: %d}]\n"
		 "links:\n"
		 "  - {a: h, b: s, gen: 4, width: 16}\n"
		 "  - {a: s, b: d, gen: 4, width: 16}\n"
		 "assign: [{host: h, device: d, vfs: %d}]\n"
		 "workloads: [{host: h, device: d, op: read, size: 64B, %s}]\n",
		 nvfs, slots, nvfs, work);
	st_run_in_child(yaml, NULL, 0, measure, &rate, sizeof(rate));
	return rate;
}

/* H, where no read waits for a slot: 8 readers, 8 slots, one read each at a time */
static double hold_time(void)
{
	double h = 8 / read_rate(8, 8, NULL);

	ck_assert_msg(h >= LAT && h <= LAT + RTT_MAX, "a slot held %.3f us", h * 1e6);
	return h;
}

/* 32 VFs offered 1.6 M reads/s, one every 20 µs each (each VF's next read comes long
 * after a slot comes back): every slot busy, c / H, within 2 % (the window's
 * quantization: 2c reads at most of 300 µs × c / H; an idle slot until the next arrival,
 * 0.3 µs on average, costs 7 %) */
START_TEST(test_slots_are_never_idle_while_reads_wait)
{
	static const int slots[] = {1, 3, 5};
	int c = slots[_i];
	double h = hold_time(), rate = read_rate(c, 32, "819.2Mbps");

	ck_assert_msg(fabs(rate * h / c - 1) <= 0.02,
		      "%d slots held %.3f us: %.0f reads/s, Little's law %.0f", c, h * 1e6, rate,
		      c / h);
}
END_TEST

/* the same hold time for any number of slots: twice the slots, twice the reads (the
 * round trip does not change with 8 reads in flight instead of 4: the link carries less
 * than 1 % of its rate), within 3 % (the count's quantization over the window) */
START_TEST(test_twice_the_slots_twice_the_reads)
{
	double r4 = read_rate(4, 32, NULL), r8 = read_rate(8, 32, NULL);

	ck_assert_msg(fabs(r8 / r4 - 2) <= 0.06, "4 slots %.0f reads/s, 8 slots %.0f (ratio %.3f)",
		      r4, r8, r8 / r4);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dma_engine");
	TCase *tc = tcase_create("slots");

	tcase_add_loop_test(tc, test_slots_are_never_idle_while_reads_wait, 0, 3);
	tcase_add_test(tc, test_twice_the_slots_twice_the_reads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
