/* check_ready.c - the ports' ready structures (models/ready.c): the bitmap and parking heap
 * against a plain array model, and the engine with them against the engine that looks at
 * every source at every decision, on randomly generated chassis, with the ports stepped
 * from main and in their one actor (models/engine.c): the results must be the same to the
 * last bit. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ready.h"
#include "sim.h"
#include "testutil.h"

START_TEST(test_sources_start_active_and_iterate_in_index_order)
{
	struct ready r;
	int seen = 0;

	ck_assert_int_eq(ready_init(&r, 130), 0);
	for (int i = ready_next_active(&r, 0); i >= 0; i = ready_next_active(&r, i + 1))
		ck_assert_int_eq(i, seen++);
	ck_assert_int_eq(seen, 130);
	ready_clear(&r, 0);
	ready_clear(&r, 64);
	ready_clear(&r, 129);
	ck_assert_int_eq(ready_next_active(&r, 0), 1);
	ck_assert_int_eq(ready_next_active(&r, 64), 65);
	ck_assert_int_eq(ready_next_active(&r, 129), -1);
	ck_assert_int_eq(ready_next_active(&r, 130), -1);
	ready_destroy(&r);
	ready_destroy(&r); /* twice: a no-op */
}
END_TEST

START_TEST(test_parked_source_comes_back_at_its_date_not_before)
{
	struct ready r;

	ck_assert_int_eq(ready_init(&r, 4), 0);
	ck_assert_int_eq(ready_park(&r, 2, 5.0), 0);
	ck_assert_int_eq(ready_park(&r, 1, 3.0), 0);
	ck_assert(!ready_is_active(&r, 2));
	ck_assert(ready_next(&r) == 3.0);
	ready_due(&r, 2.999);
	ck_assert(!ready_is_active(&r, 1));
	ready_due(&r, 3.0); /* due at its date exactly */
	ck_assert(ready_is_active(&r, 1));
	ck_assert(!ready_is_active(&r, 2));
	ck_assert(ready_next(&r) == 5.0);
	ready_destroy(&r);
}
END_TEST

START_TEST(test_activated_source_drops_its_parking_date)
{
	struct ready r;

	ck_assert_int_eq(ready_init(&r, 3), 0);
	ck_assert_int_eq(ready_park(&r, 0, 1.0), 0);
	ck_assert_int_eq(ready_park(&r, 1, INFINITY), 0); /* until activated, no date */
	ready_activate(&r, 0); /* work came earlier: the date 1.0 is stale */
	ck_assert(isinf(ready_next(&r)));
	ck_assert_int_eq(ready_park(&r, 0, 2.0), 0);
	ck_assert(ready_next(&r) == 2.0);
	ready_due(&r, 10.0);
	ck_assert(ready_is_active(&r, 0));
	ck_assert(!ready_is_active(&r, 1)); /* parked without date: only activation */
	ready_destroy(&r);
}
END_TEST

/* Random operations against an array model: active flags and parking dates. */
START_TEST(test_random_operations_match_an_array_model)
{
	enum { N = 200 };
	struct ready r;
	bool active[N];
	double parked[N];
	unsigned short rng[3] = {1, 2, 3};
	double now = 0;

	ck_assert_int_eq(ready_init(&r, N), 0);
	for (int i = 0; i < N; i++) {
		active[i] = true;
		parked[i] = -1;
	}
	for (int step = 0; step < 20000; step++) {
		int i = (int)(erand48(rng) * N), op = (int)(erand48(rng) * 4);
		if (op == 0) {
			ready_activate(&r, i);
			active[i] = true;
			parked[i] = -1;
		} else if (op == 1 && active[i]) {
			double t = now + erand48(rng) * 10;
			ck_assert_int_eq(ready_park(&r, i, t), 0);
			active[i] = false;
			parked[i] = t;
		} else if (op == 2) {
			now += erand48(rng);
			ready_due(&r, now);
			for (int k = 0; k < N; k++)
				if (!active[k] && parked[k] >= 0 && parked[k] <= now) {
					active[k] = true;
					parked[k] = -1;
				}
		} else {
			double m = INFINITY;
			for (int k = 0; k < N; k++)
				if (!active[k] && parked[k] >= 0 && parked[k] < m)
					m = parked[k];
			ck_assert(ready_next(&r) == m);
		}
		for (int k = 0, j = ready_next_active(&r, 0); k < N; k++) {
			ck_assert_int_eq(ready_is_active(&r, k), active[k]);
			if (active[k]) {
				ck_assert_int_eq(j, k);
				j = ready_next_active(&r, j + 1);
			}
		}
	}
	ready_destroy(&r);
}
END_TEST

/* On a port of 10 000 sources (more than one summary word of 4096), few of them active
 * and far apart: the next active source from every position is the one a plain scan of
 * the bits finds. */
START_TEST(test_next_active_skips_empty_words_as_a_scan_would)
{
	enum { N = 10000 };
	struct ready r;
	unsigned short rng[3] = {4, 5, 6};

	ck_assert_int_eq(ready_init(&r, N), 0);
	for (int round = 0; round < 40; round++) {
		for (int i = 0; i < N; i++)
			ready_clear(&r, i);
		int k = (int)(erand48(rng) * 6);
		for (int j = 0; j < k; j++)
			ready_activate(&r, (int)(erand48(rng) * N));
		int expect = -1;
		for (int i = N - 1; i >= 0; i--) {
			if (ready_is_active(&r, i))
				expect = i;
			ck_assert_int_eq(ready_next_active(&r, i), expect);
		}
	}
	ready_destroy(&r);
}
END_TEST

/* A source parked on credits comes back when they are re-initialised (ready_credit) on its
 * index only, or at the next known return (its date, or the one fc_return announces with
 * ready_credit_at); a passive date brings it back at the first look from then on, without
 * being a date the port waits for. */
START_TEST(test_credit_waiter_comes_back_on_its_credits_or_dates)
{
	struct ready r;

	ck_assert_int_eq(ready_init(&r, 4), 0);
	ck_assert_int_eq(ready_init_credits(&r, 6, NULL, NULL), 0);
	ck_assert_int_eq(ready_park_credit(&r, 1, 2, INFINITY, -1), 0);
	ck_assert_int_eq(ready_park_credit(&r, 3, 2, INFINITY, -1), 0);
	ck_assert(!ready_is_active(&r, 1) && r.nwaiting == 2);
	ready_credit(&r, 0); /* another credit index */
	ready_credit(&r, 5);
	ck_assert(!ready_is_active(&r, 1) && !ready_is_active(&r, 3));
	ready_credit(&r, 2);
	ck_assert(ready_is_active(&r, 1) && ready_is_active(&r, 3) && r.nwaiting == 0);
	ck_assert_int_eq(r.nw[2], 0);

	ck_assert_int_eq(ready_park_credit(&r, 0, 4, 5.0, 3.0), 0);
	ck_assert(ready_next(&r) == 5.0); /* the passive date is not one to wake for */
	ready_due(&r, 2.999);
	ck_assert(!ready_is_active(&r, 0));
	ready_due(&r, 3.0);
	ck_assert(ready_is_active(&r, 0) && r.nwaiting == 0);
	ck_assert(isinf(ready_next(&r))); /* its credit date went stale with it */

	/* parked again on the same index: listed once; activated otherwise, it leaves the count */
	ck_assert_int_eq(ready_park_credit(&r, 2, 1, INFINITY, -1), 0);
	ready_activate(&r, 2);
	ck_assert_int_eq(ready_park_credit(&r, 2, 1, 7.0, -1), 0);
	ck_assert_int_eq(r.nw[1], 1);
	ck_assert_int_eq(r.nwaiting, 1);
	ready_due(&r, 7.0);
	ck_assert(ready_is_active(&r, 2) && r.nwaiting == 0);
	ready_credit(&r, 1); /* a stale entry: nothing to do */
	ck_assert_int_eq(r.nwaiting, 0);

	/* a return on its way: the waiter comes back when it is due, and not for a later one */
	ck_assert_int_eq(ready_park_credit(&r, 3, 5, INFINITY, -1), 0);
	ready_credit_at(&r, 4, 1.0); /* another index */
	ck_assert(isinf(ready_next(&r)));
	ready_credit_at(&r, 5, 9.0);
	ready_credit_at(&r, 5, 12.0);
	ck_assert(ready_next(&r) == 9.0 && !ready_is_active(&r, 3));
	ready_due(&r, 8.999);
	ck_assert(!ready_is_active(&r, 3));
	ready_due(&r, 9.0);
	ck_assert(ready_is_active(&r, 3) && r.nwaiting == 0);
	ready_destroy(&r);
	ready_destroy(&r);
}
END_TEST

/* A port as the looks at matured credit indices see it: where its round-robin order
 * starts, what a decision would find at each source, and its next credit return. */
struct fake_port {
	int start;
	enum ready_look at[16];
	double next;
	int looks;
};

static int fake_start(void *arg, int idx)
{
	(void)idx;
	return ((struct fake_port *)arg)->start;
}

static enum ready_look fake_look(void *arg, int i, int idx, double now)
{
	struct fake_port *fp = arg;

	(void)idx;
	(void)now;
	fp->looks++;
	return fp->at[i];
}

static double fake_next(void *arg, int idx, double now)
{
	(void)idx;
	(void)now;
	return ((struct fake_port *)arg)->next;
}

static const struct ready_credit_ops fake_ops = {fake_start, fake_look, fake_next};

static int nactive(const struct ready *r)
{
	int n = 0;

	for (int i = 0; i < r->n; i++)
		n += ready_is_active(r, i);
	return n;
}

/* When a credit index's return is due, its waiters are looked at in the port's round-robin
 * order until the first that can send, and only it comes back (with those found waiting for
 * something else than credits); the index is looked at again when its VH is served, when
 * the candidate leaves, or at its next return; a shared index brings every waiter back. */
START_TEST(test_matured_index_activates_the_first_waiter_that_can_send)
{
	struct ready r;
	struct fake_port fp = {.start = 4, .next = 20};
	static const int w[] = {1, 3, 5, 9, 12};

	ck_assert_int_eq(ready_init(&r, 16), 0);
	ck_assert_int_eq(ready_init_credits(&r, 2, &fake_ops, &fp), 0);
	for (int i = 0; i < 16; i++)
		ready_clear(&r, i);
	for (int k = 0; k < 5; k++)
		ck_assert_int_eq(ready_park_credit(&r, w[k], 0, 10.0, -1), 0);
	fp.at[1] = fp.at[9] = fp.at[12] = READY_SENDS;
	fp.at[3] = READY_OTHER;
	fp.at[5] = READY_LACKS;
	ck_assert(ready_next(&r) == 10.0 && r.nwaiting == 5);
	ready_due(&r, 9.5);
	ck_assert_int_eq(fp.looks, 0);
	ready_due(&r, 10.0); /* from 4: 5 lacks credits, 9 can send; 12, 1, 3 stay parked */
	ck_assert_int_eq(fp.looks, 2);
	ck_assert(ready_is_active(&r, 9) && nactive(&r) == 1 && r.nwaiting == 4);
	ck_assert_uint_eq(r.behind, 4);
	ck_assert(ready_next(&r) == 20.0); /* looked at again at its next return */

	fp.looks = 0;
	ready_due(&r, 15.0); /* nothing changed: no look */
	ck_assert_int_eq(fp.looks, 0);
	ready_credit_look(&r, 0); /* the candidate can still send, none before it: it stays */
	ready_due(&r, 15.0);
	ck_assert(fp.looks == 2 && nactive(&r) == 1 && r.cand[0] == 9);
	fp.looks = 0;
	fp.start = 10; /* the port served the VH up to 9: its order starts at 10 */
	ready_credit_look(&r, 0);
	ready_due(&r, 15.0); /* 9 can still send, but 12 comes before it now */
	ck_assert(ready_is_active(&r, 12) && nactive(&r) == 2 && fp.looks == 2);
	ck_assert(r.cand[0] == 12 && r.s[9].candof < 0);

	ck_assert_int_eq(ready_park(&r, 12, 30.0), 0); /* the candidate leaves: the next one */
	ready_due(&r, 15.0);
	ck_assert(ready_is_active(&r, 1) && !ready_is_active(&r, 3) && r.nwaiting == 2);

	fp.at[3] = READY_LACKS;
	ready_clear(&r, 1); /* none left that can send: the index waits for its next return */
	fp.looks = 0;
	ready_due(&r, 16.0);
	ck_assert(fp.looks == 2 && r.nwaiting == 2 && nactive(&r) == 1);
	fp.looks = 0;
	ready_due(&r, 19.0);
	ck_assert_int_eq(fp.looks, 0);
	fp.next = 25;
	ready_due(&r, 20.0);
	ck_assert(fp.looks == 2 && ready_next(&r) == 25.0);
	fp.at[3] = READY_OTHER; /* found waiting for something else: back, and the look goes on */
	fp.at[5] = READY_SENDS;
	ready_due(&r, 25.0);
	ck_assert(ready_is_active(&r, 3) && ready_is_active(&r, 5) && r.nwaiting == 0);

	/* one that could send but lost a decision waits behind the candidate */
	fp.start = 4;
	fp.at[3] = READY_SENDS;
	ready_clear(&r, 3);
	ready_clear(&r, 5);
	ck_assert_int_eq(ready_park_behind(&r, 5, 1, -1), 0);
	ck_assert_int_eq(ready_park_behind(&r, 3, 1, 28.0), 0);
	ck_assert(!ready_is_active(&r, 3) && !ready_is_active(&r, 5) && r.nwaiting == 2);
	ready_due(&r, 26.0); /* from 4: 5 first; 3 behind it */
	ck_assert(ready_is_active(&r, 5) && !ready_is_active(&r, 3) && r.cand[1] == 5);
	ready_due(&r, 28.0); /* its passive date: back */
	ck_assert(ready_is_active(&r, 3) && r.nwaiting == 0);

	fp.start = -1; /* an index of several VHs: every waiter comes back */
	for (int i = 0; i < 6; i += 2)
		ck_assert_int_eq(ready_park_credit(&r, i, 1, 40.0, -1), 0);
	ready_due(&r, 40.0);
	ck_assert(ready_is_active(&r, 0) && ready_is_active(&r, 2) && ready_is_active(&r, 4));
	ck_assert_int_eq(r.nwaiting, 0);
	ready_destroy(&r);
}
END_TEST

/* A trusted candidate leaves the bits (a scan skips it) and counts for its VH until its
 * date, a look at its index, an activation from outside or its loss; trusting it again at
 * the same date adds no heap entry. */
START_TEST(test_trusted_candidate_is_skipped_until_its_date_or_a_change)
{
	struct ready r;
	struct fake_port fp = {.start = 0, .next = INFINITY};

	ck_assert_int_eq(ready_init(&r, 16), 0);
	ck_assert_int_eq(ready_init_credits(&r, 2, &fake_ops, &fp), 0);
	ck_assert_int_eq(ready_init_trust(&r, 4), 0);
	for (int i = 0; i < 16; i++)
		ready_clear(&r, i);
	fp.at[3] = fp.at[7] = READY_SENDS;
	ck_assert_int_eq(ready_park_credit(&r, 3, 0, 10.0, -1), 0);
	ck_assert_int_eq(ready_park_credit(&r, 7, 0, 10.0, -1), 0);
	ready_due(&r, 10.0);
	ck_assert(ready_is_active(&r, 3) && r.cand[0] == 3);

	ck_assert_int_eq(ready_trust(&r, 3, 2, 20.0), 0);
	ck_assert(!ready_is_active(&r, 3) && ready_trusted(&r, 3) && r.ntrust == 1);
	ck_assert(r.tcount[2] == 1 && (r.telig[0] >> 2 & 1) && ready_next_active(&r, 0) == -1);
	ready_due(&r, 19.0);
	ck_assert(ready_trusted(&r, 3));
	ready_due(&r, 20.0); /* its date: an active source again */
	ck_assert(!ready_trusted(&r, 3) && ready_is_active(&r, 3) && r.tcount[2] == 0);
	ck_assert_uint_eq(r.telig[0], 0);

	ck_assert_int_eq(ready_trust(&r, 3, 2, 30.0), 0);
	ready_credit_look(&r, 0); /* a look: active again, still the candidate */
	ready_due(&r, 21.0);
	ck_assert(!ready_trusted(&r, 3) && ready_is_active(&r, 3) && r.cand[0] == 3);
	ck_assert_int_eq(ready_trust(&r, 3, 2, 30.0), 0);
	ready_activate(&r, 3); /* activated from outside */
	ck_assert(!ready_trusted(&r, 3) && ready_is_active(&r, 3) && r.ntrust == 0);
	for (int k = 0; k < 100; k++) { /* the same date again and again: one entry */
		ck_assert_int_eq(ready_trust(&r, 3, 2, 30.0), 0);
		ready_cand_changed(&r, 3);
	}
	ck_assert(r.ntheap <= 2 && !ready_trusted(&r, 3) && ready_is_active(&r, 3));
	ck_assert_int_eq(ready_trust(&r, 3, 2, 30.0), 0);
	ready_clear(&r, 3); /* it stops: not trusted, not the candidate; 7 is next */
	ck_assert(!ready_trusted(&r, 3) && !ready_is_active(&r, 3) && r.cand[0] < 0);
	ready_due(&r, 22.0);
	ck_assert(ready_is_active(&r, 7) && r.cand[0] == 7 && r.ntrust == 0);
	ready_destroy(&r);
}
END_TEST

/* On a port that trusts candidates, a waiter whose passive date comes is put in the bits
 * for the scan to make its side effects while it still waits; done, it waits on until its
 * next passive date; activated, it stops waiting. */
START_TEST(test_waiter_touched_at_its_passive_date_waits_on)
{
	struct ready r;
	struct fake_port fp = {.start = 0, .next = INFINITY};

	ck_assert_int_eq(ready_init(&r, 8), 0);
	ck_assert_int_eq(ready_init_credits(&r, 1, &fake_ops, &fp), 0);
	ck_assert_int_eq(ready_init_trust(&r, 2), 0);
	for (int i = 0; i < 8; i++)
		ready_clear(&r, i);
	fp.at[2] = fp.at[6] = READY_LACKS;
	ck_assert_int_eq(ready_park_credit(&r, 2, 0, INFINITY, 5.0), 0);
	ck_assert_int_eq(ready_park_credit(&r, 6, 0, INFINITY, 9.0), 0);
	ready_due(&r, 4.0);
	ck_assert(!ready_is_active(&r, 2) && !r.s[2].touch);
	ready_due(&r, 5.0);
	ck_assert(ready_is_active(&r, 2) && r.s[2].touch && r.s[2].on == 0 && r.nwaiting == 2);
	ck_assert_int_eq(ready_next_active(&r, 0), 2);
	ready_touched(&r, 2, 7.0); /* its arrivals made: it waits on until 7 */
	ck_assert(!ready_is_active(&r, 2) && !r.s[2].touch && r.nwaiting == 2);
	ready_due(&r, 7.0);
	ck_assert(ready_is_active(&r, 2) && r.s[2].touch);
	ready_activate(&r, 2); /* its offer changed: a source like the others */
	ck_assert(ready_is_active(&r, 2) && !r.s[2].touch && r.s[2].on < 0 && r.nwaiting == 1);
	ready_due(&r, 9.0);
	ck_assert(r.s[6].touch);
	ready_touched(&r, 6, -1); /* no next arrival: it waits for credits only */
	ready_due(&r, 100.0);
	ck_assert(!ready_is_active(&r, 6) && r.nwaiting == 1);
	ready_destroy(&r);
}
END_TEST

/* Per-group counts follow every way a source leaves and comes back (cleared, parked until a
 * date, parked on credits, activated twice), against a count of the bits. */
START_TEST(test_group_counts_follow_the_bits)
{
	enum { NS = 130, NG = 3 };
	static int group[NS];
	struct ready r;

	for (int i = 0; i < NS; i++)
		group[i] = i % NG;
	ck_assert_int_eq(ready_init(&r, NS), 0);
	ck_assert_int_eq(ready_init_credits(&r, 4, NULL, NULL), 0);
	ck_assert_int_eq(ready_init_groups(&r, group, NG), 0);
	ck_assert_int_eq(ready_group_active(&r, 0), 44);
	ck_assert_int_eq(ready_group_active(&r, 1), 43);
	for (int i = 0; i < NS; i += 2) {
		if (i % 6 == 0)
			ready_clear(&r, i);
		else if (i % 6 == 2)
			ck_assert_int_eq(ready_park(&r, i, 1.0 + i), 0);
		else
			ck_assert_int_eq(ready_park_credit(&r, i, i % 4, 50.0, -1), 0);
	}
	ready_clear(&r, 0); /* cleared twice: counted once */
	ready_activate(&r, 1); /* active already: counted once */
	for (double now = 0; now <= 200; now += 25) {
		int n[NG] = {0};
		ready_due(&r, now);
		for (int i = 0; i < NS; i++)
			n[group[i]] += ready_is_active(&r, i);
		for (int g = 0; g < NG; g++) {
			ck_assert_int_eq(ready_group_active(&r, g), n[g]);
			/* the next group with an active source, as a scan of the counts finds it */
			int x = g;
			while (x < NG && !n[x])
				x++;
			ck_assert_int_eq(ready_next_group(&r, g, NG), x < NG ? x : -1);
		}
	}
	for (int i = 0; i < NS; i++)
		ready_activate(&r, i);
	ck_assert_int_eq(ready_group_active(&r, 2), 43);
	ready_destroy(&r);
}
END_TEST

/* ---- differential: ready structures against the full scan ---- */

/* A random chassis; starved: switch and host buffers of 1 to 4 KiB per credit set, so that
 * sources wait for credits often (they park on the credit sets, ready.h); 1 to maxvfs VFs
 * per host on each device, and with more than 3 a DMA engine model on half the devices. */
static void gen_chassis(char *buf, size_t len, unsigned seed, bool starved, int maxvfs)
{
	unsigned short g[3] = {(unsigned short)seed, (unsigned short)(seed >> 16), 7};
	int nh = 1 + (int)(erand48(g) * 5), nd = 1 + (int)(erand48(g) * 3);
	int cascade = erand48(g) < 0.4; /* the devices behind a second switch */
	static const char *const pol[] = {"rr", "wrr", "strict"};
	static const char *const sizes[] = {"64B", "256B", "1500B", "4KiB", "9000B"};
	FILE *f = fmemopen(buf, len, "w");

	fprintf(f, "name: rnd%u\nrun: {duration: 40us, warmup: 5us, seed: %u}\n", seed, seed);
	fprintf(f, "pcie: {mps: %d}\n", erand48(g) < 0.5 ? 256 : 128);
	char buffer[32] = "";
	if (starved)
		snprintf(buffer, sizeof(buffer), ", buffer: %dKiB", 1 << (seed % 3));
	fprintf(f, "hosts:\n");
	for (int h = 0; h < nh; h++)
		fprintf(f, "  - {name: h%d%s}\n", h, buffer);
	fprintf(f, "switches:\n  - {name: sw, flow_control: %s, arbitration: {policy: %s, "
		   "weights: {h0: 3}}%s}\n", erand48(g) < 0.5 ? "per_vh" : "shared",
		pol[(int)(erand48(g) * 3)], buffer);
	if (cascade)
		fprintf(f, "  - {name: sw1, flow_control: %s, arbitration: {policy: %s}%s}\n",
			erand48(g) < 0.5 ? "per_vh" : "shared", pol[(int)(erand48(g) * 3)], buffer);
	fprintf(f, "devices:\n");
	for (int d = 0; d < nd; d++) {
		double a = erand48(g);
		char eng[96] = ""; /* crowded: a DMA engine model on some (its arrivals' order matters) */
		if (maxvfs > 3 && erand48(g) < 0.5)
			snprintf(eng, sizeof(eng), ", dma_cost: %dns, write_interval: %dns, "
				 "dma_concurrency: %d", 5 + (int)(erand48(g) * 40),
				 (int)(erand48(g) * 20), (int)(erand48(g) * 16));
		fprintf(f, "  - {name: d%d, total_vfs: %d, arbitration: {policy: %s}%s%s}\n", d,
			maxvfs > 3 ? 64 : 16, pol[(int)(erand48(g) * 3)],
			a < 0.3 ? ", atc: {entries: 8, scope: per_vf}"
				: a < 0.6 ? ", atc: {entries: 16, scope: shared}" : "", eng);
	}
	fprintf(f, "links:\n");
	for (int h = 0; h < nh; h++)
		fprintf(f, "  - {a: h%d, b: sw, gen: %d, width: %d}\n", h, 3 + (int)(erand48(g) * 2),
			erand48(g) < 0.5 ? 4 : 8);
	if (cascade)
		fprintf(f, "  - {a: sw, b: sw1, gen: 4, width: %d}\n", erand48(g) < 0.5 ? 8 : 16);
	for (int d = 0; d < nd; d++)
		fprintf(f, "  - {a: %s, b: d%d, gen: 4, width: %d}\n", cascade ? "sw1" : "sw", d,
			erand48(g) < 0.5 ? 4 : 16);
	fprintf(f, "assign:\n");
	for (int h = 0; h < nh; h++)
		for (int d = 0; d < nd; d++)
			fprintf(f, "  - {host: h%d, device: d%d, vfs: %d}\n", h, d,
				1 + (int)(erand48(g) * maxvfs));
	fprintf(f, "workloads:\n");
	for (int h = 0; h < nh; h++)
		for (int d = 0; d < nd; d++)
			for (int op = 0; op < 2; op++) {
				if (erand48(g) < 0.3 && (h || d || op)) /* h0's first stays */
					continue;
				fprintf(f, "  - {host: h%d, device: d%d, op: %s, size: %s, ", h, d,
					op ? "read" : "write", sizes[(int)(erand48(g) * 5)]);
				if (erand48(g) < 0.5)
					fprintf(f, "rate: %dGbps", 1 + (int)(erand48(g) * 20));
				else
					fprintf(f, "outstanding: %d", 1 + (int)(erand48(g) * 8));
				fprintf(f, "%s}\n", erand48(g) < 0.2 ? ", unmap_rate: 100000" : "");
			}
	fclose(f);
}

/* What a run's progress reports were (sim.h). */
struct progress_log {
	int n;
	double last, end;
	bool ordered;
};

static void note_progress(void *arg, double now, double end, double wall_s)
{
	struct progress_log *l = arg;

	(void)wall_s;
	l->ordered &= now >= l->last;
	/* each report at its own 0.5 % step, within a 1/1024 of the run (tolerance) */
	l->ordered &= fabs(now - fmin(end, end * (l->n + 1) / 200.0)) <= end / 1024 + 1e-12;
	l->last = now;
	l->end = end;
	l->n++;
}

/* What a run measured, as numbers to compare bit for bit. */
#define MAXV 4096
struct outcome {
	int rc, n;
	double v[MAXV];
	uint64_t behind; /* waiters left parked behind a candidate (ready.h), not compared */
	struct progress_log progress;
};

static void put(struct outcome *o, double x)
{
	if (o->n < MAXV)
		o->v[o->n++] = x;
}

static void collect(const struct sim *s, struct outcome *o)
{
	const struct eng *e = &s->e;

	for (size_t i = 0; i < e->nports; i++)
		o->behind += e->ports[i].ready.behind;
	put(o, (double)e->c.tlp_hops);
	put(o, (double)e->c.dmas_issued);
	put(o, (double)e->c.dmas_completed);
	put(o, (double)e->c.bytes_completed);
	for (size_t i = 0; i < e->nports; i++) {
		const struct link_stats *st = &e->ports[i].st;
		put(o, st->busy);
		put(o, st->payload);
		put(o, st->wire);
		put(o, (double)st->tlps);
		put(o, st->stall);
		put(o, st->queue_area);
		put(o, st->queue_max);
	}
	for (size_t h = 0; h < s->t->nhosts; h++) {
		put(o, (double)e->hosts[h].iotlb_hits);
		put(o, (double)e->hosts[h].iotlb_misses);
		put(o, (double)e->hosts[h].inv_done);
		put(o, e->hosts[h].inv_lat_sum);
	}
	for (size_t f = 0; f < s->t->nfunctions; f++) {
		put(o, (double)e->vfs[f].atc_hits);
		put(o, e->vfs[f].xlat_wait_sum);
	}
}

/* Run yaml in a child, with or without the full scan, the ports stepped from main or in
 * their one actor (models/engine.c, eng_run). */
static void run_child(const char *yaml, bool full, bool one_actor, bool progress,
		      struct outcome *out)
{
	struct outcome *o = malloc(sizeof(*o));
	int fd[2];
	pid_t pid;

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *argv[] = {"test", "--log=root.thres:critical", NULL};
		struct sim_opts so = {.sg_argc = 2, .sg_argv = argv, .full_scan = full,
				      .one_actor = one_actor};
		char err[2048];
		struct topo *t = tu_load(yaml, NULL, 0, err, sizeof(err));
		static struct sim sim;
		memset(o, 0, sizeof(*o));
		o->progress.ordered = true;
		if (progress) {
			so.progress = note_progress;
			so.progress_arg = &o->progress;
		}
		o->rc = t ? sim_run(&sim, t, &so) : 99;
		if (t)
			collect(&sim, o);
		if (write(fd[1], o, sizeof(*o)) != (ssize_t)sizeof(*o))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	size_t got = 0;
	while (got < sizeof(*o)) {
		ssize_t r = read(fd[0], (char *)o + got, sizeof(*o) - got);
		ck_assert_int_gt(r, 0);
		got += (size_t)r;
	}
	close(fd[0]);
	waitpid(pid, NULL, 0);
	*out = *o;
	free(o);
}

/* The sum of the links' credit stalls a run measured (collect's layout). */
static double stalls(const struct outcome *o, size_t nports)
{
	double sum = 0;

	for (size_t i = 0; i < nports && 4 + 7 * i + 4 < (size_t)o->n; i++)
		sum += o->v[4 + 7 * i + 4];
	return sum;
}

/* On nseeds generated chassis, the full scan in the ports' one actor against the ready
 * structures, stepped and in the one actor: every value the same to the bit. Returns how
 * many chassis moved TLPs; *stalled: how many had a link stalled on credits; *crowded: in
 * how many a look left waiters parked behind a candidate. SEED_ONLY=N in the environment
 * runs chassis N alone, DIFF_ALL prints every value that differs (to debug a difference). */
static int differential(unsigned nseeds, bool starved, int maxvfs, int *stalled,
			int *crowded)
{
	static char yaml[16384];
	static struct outcome a, b, c;
	int moved = 0;

	*stalled = *crowded = 0;
	for (unsigned seed = 1; seed <= nseeds; seed++) {
		if (getenv("SEED_ONLY") && (unsigned)atoi(getenv("SEED_ONLY")) != seed)
			continue;
		gen_chassis(yaml, sizeof(yaml), seed, starved, maxvfs);
		run_child(yaml, true, true, false, &a);
		run_child(yaml, false, false, false, &b);
		run_child(yaml, false, true, false, &c);
		ck_assert_msg(a.rc != 99, "generated chassis %u rejected:\n%s", seed, yaml);
		ck_assert_int_eq(a.rc, b.rc);
		ck_assert_int_eq(a.n, b.n);
		ck_assert_int_eq(a.rc, c.rc);
		ck_assert_int_eq(a.n, c.n);
		moved += a.v[0] > 0; /* a slow open-loop workload may not start in 40 us */
		*stalled += stalls(&a, (size_t)a.n) > 0;
		*crowded += b.behind > 0;
		if (getenv("DIFF_ALL"))
			for (int i = 0; i < a.n; i++)
				if (memcmp(&a.v[i], &b.v[i], sizeof(double)))
					fprintf(stderr, "seed %u v%d (port %d field %d): %.17g %.17g\n",
						seed, i, (i - 4) / 7, (i - 4) % 7, a.v[i], b.v[i]);
		for (int i = 0; i < a.n; i++) {
			ck_assert_msg(memcmp(&a.v[i], &b.v[i], sizeof(double)) == 0,
				      "chassis %u, value %d: full scan %.17g, ready, stepped %.17g\n%s",
				      seed, i, a.v[i], b.v[i], yaml);
			ck_assert_msg(memcmp(&a.v[i], &c.v[i], sizeof(double)) == 0,
				      "chassis %u, value %d: full scan %.17g, ready, one actor %.17g\n"
				      "%s", seed, i, a.v[i], c.v[i], yaml);
		}
	}
	return moved;
}

/* The progress report of a stepped run: the ports' dates run from the engine's schedule and
 * SimGrid's clock follows them 1 024 times a run (engine.c, eng_run), so the progress
 * daemon, SimGrid's only other actor, still wakes every 0.5 % of the run (sim.h: 200
 * reports and a last one at the end) with the clock where it should be, and the results are
 * those of the run without it. */
START_TEST(test_progress_reports_of_a_stepped_run_come_at_their_dates)
{
	static char yaml[16384];
	static struct outcome a, b;

	gen_chassis(yaml, sizeof(yaml), 5, false, 3);
	run_child(yaml, false, false, false, &a);
	run_child(yaml, false, false, true, &b);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_msg(b.progress.n >= 200 && b.progress.n <= 201 && b.progress.ordered &&
			      b.progress.last == b.progress.end,
		      "%d reports, in order and on time: %d, last at %g of %g", b.progress.n,
		      b.progress.ordered, b.progress.last, b.progress.end);
	ck_assert_int_eq(a.n, b.n);
	for (int i = 0; i < a.n; i++)
		ck_assert_msg(memcmp(&a.v[i], &b.v[i], sizeof(double)) == 0,
			      "value %d: %.17g without the report, %.17g with it", i, a.v[i], b.v[i]);
}
END_TEST

/* Sources parked on credit sets decide what a full scan decides when credits are short:
 * most of these chassis stall on credits somewhere (else the test would not test that). */
START_TEST(test_credit_waits_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 30 };
	int crowded, stalled, moved = differential(NSEEDS, true, 3, &stalled, &crowded);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
	ck_assert_msg(stalled >= NSEEDS / 2, "only %d of %d chassis stalled on credits", stalled,
		      NSEEDS);
}
END_TEST

/* Many VFs per host wait on one credit set: a look at the set activates the first that can
 * send and leaves the others parked behind it (ready.h), and the decisions are still those
 * of the full scan. Most chassis must have left some waiter behind a candidate, else this
 * would not test that. */
START_TEST(test_waiters_behind_a_candidate_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 24 };
	int crowded, stalled, moved = differential(NSEEDS, true, 8, &stalled, &crowded);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
	ck_assert_msg(crowded >= NSEEDS / 2, "only %d of %d chassis left waiters behind a candidate",
		      crowded, NSEEDS);
}
END_TEST

START_TEST(test_ready_structures_decide_what_a_full_scan_decides)
{
	enum { NSEEDS = 60 };
	int crowded, stalled, moved = differential(NSEEDS, false, 3, &stalled, &crowded);

	ck_assert_msg(moved >= NSEEDS * 9 / 10, "only %d of %d chassis moved TLPs", moved, NSEEDS);
}
END_TEST

static Suite *ready_suite(void)
{
	Suite *s = suite_create("ready");
	TCase *tc = tcase_create("core");
	TCase *diff = tcase_create("differential");

	tcase_add_test(tc, test_sources_start_active_and_iterate_in_index_order);
	tcase_add_test(tc, test_parked_source_comes_back_at_its_date_not_before);
	tcase_add_test(tc, test_activated_source_drops_its_parking_date);
	tcase_add_test(tc, test_random_operations_match_an_array_model);
	tcase_add_test(tc, test_next_active_skips_empty_words_as_a_scan_would);
	tcase_add_test(tc, test_credit_waiter_comes_back_on_its_credits_or_dates);
	tcase_add_test(tc, test_group_counts_follow_the_bits);
	tcase_add_test(tc, test_matured_index_activates_the_first_waiter_that_can_send);
	tcase_add_test(tc, test_trusted_candidate_is_skipped_until_its_date_or_a_change);
	tcase_add_test(tc, test_waiter_touched_at_its_passive_date_waits_on);
	tcase_set_timeout(tc, 60); /* the random model takes ~2 s of CPU: a loaded machine */
	tcase_set_timeout(diff, 900); /* ASan builds are ten times slower */
	tcase_add_test(diff, test_ready_structures_decide_what_a_full_scan_decides);
	tcase_add_test(diff, test_credit_waits_decide_what_a_full_scan_decides);
	tcase_add_test(diff, test_progress_reports_of_a_stepped_run_come_at_their_dates);
	tcase_add_test(diff, test_waiters_behind_a_candidate_decide_what_a_full_scan_decides);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, diff);
	return s;
}

int main(void)
{
	return tu_run(ready_suite());
}
