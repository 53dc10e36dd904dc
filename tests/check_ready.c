/* check_ready.c - the ports' ready structures (models/ready.c): the bitmap and parking heap
 * against a plain array model, the credit sets' waiters and candidates, trusted candidates
 * and touched waiters against a fake port. The engine with them against the engine that
 * looks at every source at every decision is check_ready_diff.c. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ready.h"
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

/* Random operations against an array model: active flags and parking dates; in the
 * second run with a calendar in front of the heap (rcal.h) of rings of 64 buckets of 0.05
 * (3.2 the fine ring, 205 the coarse one), so that dates up to 10 ahead cross fine and
 * coarse buckets and the few far ones (50 to 550 ahead) its overflow. */
START_TEST(test_random_operations_match_an_array_model)
{
	enum { N = 200 };
	struct ready r;
	bool active[N];
	double parked[N];
	unsigned short rng[3] = {1, 2, 3};
	double now = 0;

	ck_assert_int_eq(ready_init(&r, N), 0);
	if (_i) /* buckets of 0.05, 3.2 a ring: dates cross both rings and the overflow */
		ck_assert_int_eq(ready_init_calendar(&r, 0.05, 64), 0);
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
			double t = now + (erand48(rng) < 0.05 ? 50 + erand48(rng) * 500
							       : erand48(rng) * 10);
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

static int fail_every_allocation(void)
{
	return 1;
}

/* A calendar whose next bucket cannot join the heap (its growth fails) lets the dates that
 * found no room come due at once: their sources are looked at early, which is safe, and
 * none is lost. */
START_TEST(test_calendar_out_of_memory_activates_early)
{
	enum { N = 101 };
	struct ready r;

	ck_assert_int_eq(ready_init(&r, N), 0);
	ck_assert_int_eq(ready_init_calendar(&r, 0.25, 64), 0);
	for (int i = 0; i < N; i++)
		ready_clear(&r, i);
	ck_assert_int_eq(ready_park(&r, 0, 1.0), 0); /* into the empty heap at once */
	for (int i = 1; i < N; i++) /* a later bucket: they wait in the calendar */
		ck_assert_int_eq(ready_park(&r, i, 5.0), 0);
	ck_assert(ready_next(&r) == 1.0);
	mriov_alloc_fail_hook = fail_every_allocation;
	ready_activate(&r, 0);
	ck_assert_int_eq(ready_park(&r, 0, 7.0), -ENOMEM); /* a push that fails: still active */
	ck_assert(ready_is_active(&r, 0));
	ready_clear(&r, 0);
	ck_assert_int_eq(ready_park(&r, 0, 1.0), 0); /* its old entry again: no allocation */
	ready_due(&r, 1.0); /* 0 is due; the heap cannot grow to the next bucket's 100 */
	mriov_alloc_fail_hook = NULL;
	int early = 0;
	for (int i = 1; i < N; i++)
		early += ready_is_active(&r, i);
	ck_assert(ready_is_active(&r, 0));
	/* those the heap had room for (16, its first size) wait for their date, the others
	 * came at once */
	ck_assert_int_eq(early, N - 1 - 16);
	ck_assert(ready_next(&r) == 5.0);
	ready_due(&r, 5.0);
	for (int i = 0; i < N; i++)
		ck_assert(ready_is_active(&r, i));
	ck_assert(isinf(ready_next(&r)));
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

static const struct ready_credit_ops fake_ops = {.start = fake_start, .look = fake_look, .next = fake_next};

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

/* A port whose waiters make their side effects themselves (ready_credit_ops.touch): the
 * touches it made, and per source whether it can and its next passive date. */
struct touch_port {
	struct fake_port fp;
	bool can[8];
	double lazy[8];
	int touched[8];
};

static bool fake_touch(void *arg, int i, double now, double *lazy)
{
	struct touch_port *tp = arg;

	(void)now;
	if (!tp->can[i])
		return false;
	tp->touched[i]++;
	*lazy = tp->lazy[i];
	return true;
}

static enum ready_look touch_look(void *arg, int i, int idx, double now)
{
	return fake_look(&((struct touch_port *)arg)->fp, i, idx, now);
}

static int touch_start(void *arg, int idx)
{
	return fake_start(&((struct touch_port *)arg)->fp, idx);
}

static double touch_next(void *arg, int idx, double now)
{
	return fake_next(&((struct touch_port *)arg)->fp, idx, now);
}

static const struct ready_credit_ops touch_ops = {.start = touch_start, .look = touch_look,
						  .next = touch_next, .touch = fake_touch};

/* At a decision (ready_due_decide) a waiter whose passive date came and whose ops can make
 * its side effects makes them there and waits on, never in the bits, until its next date;
 * one that cannot goes to the bits for the scan, as at any ready_due (outside a decision:
 * a busy port's look ahead makes nobody's side effects). */
START_TEST(test_waiter_touched_directly_at_a_decision_stays_out_of_the_bits)
{
	struct ready r;
	struct touch_port tp = {.fp = {.start = 0, .next = INFINITY}};

	ck_assert_int_eq(ready_init(&r, 8), 0);
	ck_assert_int_eq(ready_init_credits(&r, 1, &touch_ops, &tp), 0);
	ck_assert_int_eq(ready_init_trust(&r, 2), 0);
	for (int i = 0; i < 8; i++)
		ready_clear(&r, i);
	tp.fp.at[2] = tp.fp.at[6] = READY_LACKS;
	tp.can[2] = true;
	tp.lazy[2] = 7.0;
	ck_assert_int_eq(ready_park_credit(&r, 2, 0, INFINITY, 5.0), 0);
	ck_assert_int_eq(ready_park_credit(&r, 6, 0, INFINITY, 5.0), 0);
	ready_due_decide(&r, 6.0); /* 2 touched at once; 6 cannot: to the scan */
	ck_assert(tp.touched[2] == 1 && !ready_is_active(&r, 2) && !r.s[2].touch);
	ck_assert(r.s[2].on == 0 && r.s[2].lazy == 7.0 && r.nwaiting == 2);
	ck_assert(ready_is_active(&r, 6) && r.s[6].touch && tp.touched[6] == 0);
	ck_assert_int_eq(ready_next_active(&r, 0), 6);
	ready_touched(&r, 6, -1);
	ready_due(&r, 7.0); /* not a decision: to the bits, untouched */
	ck_assert(tp.touched[2] == 1 && ready_is_active(&r, 2) && r.s[2].touch);
	ready_touched(&r, 2, 8.0);
	tp.lazy[2] = -1; /* no next arrival: it waits for credits only */
	ready_due_decide(&r, 8.0);
	ck_assert(tp.touched[2] == 2 && !ready_is_active(&r, 2) && r.s[2].lazy < 0);
	ready_due_decide(&r, 100.0);
	ck_assert(tp.touched[2] == 2 && nactive(&r) == 0 && r.nwaiting == 2);
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

static Suite *ready_suite(void)
{
	Suite *s = suite_create("ready");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sources_start_active_and_iterate_in_index_order);
	tcase_add_test(tc, test_parked_source_comes_back_at_its_date_not_before);
	tcase_add_test(tc, test_activated_source_drops_its_parking_date);
	tcase_add_loop_test(tc, test_random_operations_match_an_array_model, 0, 2);
	tcase_add_test(tc, test_calendar_out_of_memory_activates_early);
	tcase_add_test(tc, test_next_active_skips_empty_words_as_a_scan_would);
	tcase_add_test(tc, test_credit_waiter_comes_back_on_its_credits_or_dates);
	tcase_add_test(tc, test_group_counts_follow_the_bits);
	tcase_add_test(tc, test_matured_index_activates_the_first_waiter_that_can_send);
	tcase_add_test(tc, test_trusted_candidate_is_skipped_until_its_date_or_a_change);
	tcase_add_test(tc, test_waiter_touched_at_its_passive_date_waits_on);
	tcase_add_test(tc, test_waiter_touched_directly_at_a_decision_stays_out_of_the_bits);
	tcase_set_timeout(tc, 60); /* the random model takes ~2 s of CPU: a loaded machine */
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(ready_suite());
}
