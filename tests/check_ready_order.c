/* check_ready_order.c - the waiters of a credit index shared by several VHs, kept in the
 * decision's order (models/ready_order.c), against a model of that order written out
 * plainly: the keys of the VHs from the one the arbiter prefers, cyclically, and in each key
 * its sources from the one after the last served, cyclically. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "ready.h"
#include "testutil.h"

enum { NS = 150, NK = 7 };

/* A port with one shared credit index (0): what a decision would find at each source
 * (READY_OTHER, or its payload against the credits: avail), its keys' order and the last
 * source served in each key's VH. */
struct oport {
	bool other[NS];
	uint32_t pay[NS];
	uint32_t avail;
	int kstart;
	int last[NK];
	int looks;
};

static int o_start(void *arg, int idx)
{
	(void)arg;
	(void)idx;
	return -1; /* shared */
}

static enum ready_look o_look(void *arg, int i, int idx, double now)
{
	struct oport *p = arg;

	(void)idx;
	(void)now;
	p->looks++;
	if (p->other[i])
		return READY_OTHER;
	return p->pay[i] <= p->avail ? READY_SENDS : READY_LACKS;
}

static double o_next(void *arg, int idx, double now)
{
	(void)arg;
	(void)idx;
	(void)now;
	return INFINITY;
}

static int o_key_start(void *arg)
{
	return ((struct oport *)arg)->kstart;
}

static int o_key_last(void *arg, int key)
{
	return ((struct oport *)arg)->last[key];
}

static uint32_t o_need(void *arg, int i)
{
	return ((struct oport *)arg)->pay[i];
}

static bool o_can(void *arg, int idx, uint32_t need, double now)
{
	(void)idx;
	(void)now;
	return need <= ((struct oport *)arg)->avail;
}

static const struct ready_credit_ops o_ops = {o_start,	   o_look, o_next, o_key_start,
					      o_key_last, o_need, o_can, NULL, NULL};

/* The model: the sources in the decision's order. */
static int model_order(const struct oport *p, const int *key, int *out)
{
	int n = 0;

	for (int d = 0; d < NK; d++) {
		int k = (p->kstart + d) % NK;
		for (int e = 1; e <= NS; e++) {
			int i = (p->last[k] + e) % NS;
			if (key[i] == k)
				out[n++] = i;
		}
	}
	return n;
}

/* What a look at the waiters must do: the first waiter able to send in the order is the
 * candidate (unless the kept candidate c comes first); the waiters waiting for something
 * else before it are activated; nothing else changes. */
static void expect(const struct oport *p, const int *key, const bool *waits, int c,
		   bool *active_after, int *cand)
{
	int ord[NS], n = model_order(p, key, ord);

	*cand = -1;
	for (int k = 0; k < n; k++) {
		int i = ord[k];
		if (i == c) {
			*cand = c;
			return;
		}
		if (!waits[i])
			continue;
		if (p->other[i]) {
			active_after[i] = true;
		} else if (p->pay[i] <= p->avail) {
			active_after[i] = true;
			*cand = i;
			return;
		}
	}
}

static void check_against_model(struct ready *r, const struct oport *p, const int *key,
				const bool *waits, const bool *was_active, int c)
{
	bool act[NS];
	int cand;

	for (int i = 0; i < NS; i++)
		act[i] = was_active[i];
	expect(p, key, waits, c, act, &cand);
	for (int i = 0; i < NS; i++)
		ck_assert_msg(ready_is_active(r, i) == act[i], "source %d: active %d, model %d", i,
			      ready_is_active(r, i), act[i]);
	ck_assert_int_eq(r->cand[0], cand);
}

/* Random waiters, payloads, credits and orders: a look activates what the model says, the
 * candidate is the model's, and a look again after the order moved keeps or replaces it as
 * the model does. */
START_TEST(test_shared_index_look_finds_the_first_waiter_in_the_decisions_order)
{
	unsigned short g[3] = {7, 11, 13};
	int key[NS];

	for (int round = 0; round < 300; round++) {
		struct ready r;
		struct oport p = {.avail = (uint32_t)(erand48(g) * 600)};
		bool waits[NS];

		for (int i = 0; i < NS; i++)
			key[i] = (int)(erand48(g) * NK); /* a VH's sources scattered */
		ck_assert_int_eq(ready_init(&r, NS), 0);
		ck_assert_int_eq(ready_init_credits(&r, 1, &o_ops, &p), 0);
		ck_assert_int_eq(ready_init_order(&r, key, NK), 0);
		double share = erand48(g);
		for (int i = 0; i < NS; i++) {
			ready_clear(&r, i);
			p.pay[i] = 64 * (uint32_t)(erand48(g) * 8);
			waits[i] = erand48(g) < share;
			if (waits[i])
				ck_assert_int_eq(ready_park_credit(&r, i, 0, 1.0, -1), 0);
		}
		p.kstart = (int)(erand48(g) * NK);
		for (int k = 0; k < NK; k++)
			p.last[k] = (int)(erand48(g) * NS);
		ready_due(&r, 1.0); /* its return is due: it matures and is looked at */
		bool was[NS] = {false}; /* every source cleared, the waiters parked */
		check_against_model(&r, &p, key, waits, was, -1);

		/* the port served a VH: the order moved, credits may have gone; a waiter may
		 * wait for something else now (only when some waiter's TLP fits: else the look
		 * may read none of them, which is as right) */
		int c = r.cand[0];
		uint32_t least = UINT32_MAX;
		for (int i = 0; i < NS; i++) {
			waits[i] = waits[i] && !ready_is_active(&r, i); /* (the others: cleared) */
			if (waits[i] && p.pay[i] < least)
				least = p.pay[i];
		}
		p.kstart = (int)(erand48(g) * NK);
		p.last[(int)(erand48(g) * NK)] = (int)(erand48(g) * NS);
		if (erand48(g) < 0.5)
			p.avail = (uint32_t)(erand48(g) * 600);
		for (int i = 0; i < NS; i++)
			p.other[i] = waits[i] && least <= p.avail && erand48(g) < 0.1;
		bool keep = c >= 0 && p.pay[c] <= p.avail;
		for (int i = 0; i < NS; i++)
			was[i] = ready_is_active(&r, i);
		ready_credit_look(&r, 0);
		ready_due(&r, 1.0);
		if (c >= 0) {
			check_against_model(&r, &p, key, waits, was, keep ? c : -1);
		} else { /* no candidate: it waits for its next return, untouched */
			for (int i = 0; i < NS; i++)
				ck_assert(ready_is_active(&r, i) == was[i]);
		}
		ready_destroy(&r);
	}
}
END_TEST

/* When the credits cannot carry the least payload of the waiters, a look reads none of
 * them; once a look has seen them all, the bound is theirs again, not the payload of one
 * that has left. */
START_TEST(test_shared_index_look_reads_no_waiter_when_none_can_send)
{
	struct ready r;
	struct oport p = {.avail = 100};
	int key[NS];

	for (int i = 0; i < NS; i++) {
		key[i] = i % NK;
		p.pay[i] = 256;
	}
	p.pay[5] = 64;
	ck_assert_int_eq(ready_init(&r, NS), 0);
	ck_assert_int_eq(ready_init_credits(&r, 1, &o_ops, &p), 0);
	ck_assert_int_eq(ready_init_order(&r, key, NK), 0);
	for (int i = 0; i < NS; i++)
		ready_clear(&r, i);
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(ready_park_credit(&r, i, 0, 1.0, -1), 0);
	p.avail = 32;
	ready_due(&r, 1.0); /* 32 bytes carry no waiter's TLP: nothing read */
	ck_assert_int_eq(p.looks, 0);
	ck_assert_int_eq(r.nwaiting, 40);
	p.avail = 100;
	ready_credit_at(&r, 0, 1.5); /* a return */
	ready_due(&r, 1.5); /* 5 can send: its key (5) from key 0, source 5 first in it */
	ck_assert_int_eq(r.cand[0], 5);
	ck_assert(ready_is_active(&r, 5) && r.nwaiting == 39);
	ready_clear(&r, 5); /* 5 leaves: its look finds none, having read all 39 */
	p.looks = 0;
	ready_due(&r, 1.5);
	ck_assert_int_eq(p.looks, 39);
	ck_assert_int_eq(r.cand[0], -1);
	p.looks = 0;
	p.avail = 200; /* more credits, still short of 256: the bound is 256 now */
	ready_credit_look(&r, 0);
	ready_credit_at(&r, 0, 2.0);
	ready_due(&r, 2.0);
	ck_assert_int_eq(p.looks, 0);
	ready_destroy(&r);
}
END_TEST

/* Under wrr (ready_init_weighed): a port of three shared credit indices, each with its own
 * credits; keys are VHs 1..NK-1 (some sources of none). */
struct wport {
	bool other[NS];
	uint32_t pay[NS];
	uint32_t avail[3];
	int last[NK];
	int looks;
};

static enum ready_look w_look(void *arg, int i, int idx, double now)
{
	struct wport *p = arg;

	(void)now;
	p->looks++;
	if (p->other[i])
		return READY_OTHER;
	return p->pay[i] <= p->avail[idx] ? READY_SENDS : READY_LACKS;
}

static int w_key_last(void *arg, int key)
{
	return ((struct wport *)arg)->last[key];
}

static uint32_t w_need(void *arg, int i)
{
	return ((struct wport *)arg)->pay[i];
}

static bool w_can(void *arg, int idx, uint32_t need, double now)
{
	(void)now;
	return need <= ((struct wport *)arg)->avail[idx];
}

static const struct ready_credit_ops w_ops = {o_start, w_look, o_next, o_key_start,
					      w_key_last, w_need, w_can, NULL, NULL};

/* Random waiters on three indices, payloads, credits, last-served sources, waiters that
 * leave and waiters that wait for something else: the eligible keys are those with a
 * waiter whose payload its index's credits carry (no waiter read), and a key's pick is its
 * first waiter able to send in round-robin order after its last served, over the three
 * indices, not activated; the waiters waiting for something else met before it (in the
 * walk of each index) are activated and said so. A look at a matured index activates
 * none. */
START_TEST(test_wrr_waiters_eligible_keys_and_picks_are_the_models)
{
	unsigned short g[3] = {17, 19, 23};
	int key[NS], on[NS];

	for (int round = 0; round < 300; round++) {
		struct ready r;
		struct wport p = {.looks = 0};
		bool waits[NS];

		for (int i = 0; i < NS; i++)
			key[i] = erand48(g) < 0.05 ? -1 : 1 + (int)(erand48(g) * (NK - 1));
		ck_assert_int_eq(ready_init(&r, NS), 0);
		ck_assert_int_eq(ready_init_credits(&r, 3, &w_ops, &p), 0);
		ck_assert_int_eq(ready_init_weighed(&r, key, NK), 0);
		ck_assert(ready_order_weighs(&r));
		for (int q = 0; q < 3; q++)
			p.avail[q] = 16 * (uint32_t)(erand48(g) * 40);
		double share = erand48(g);
		for (int i = 0; i < NS; i++) {
			ready_clear(&r, i);
			p.pay[i] = 16 * (uint32_t)(erand48(g) * 40);
			on[i] = (int)(erand48(g) * 3);
			waits[i] = erand48(g) < share;
			if (waits[i])
				ck_assert_int_eq(ready_park_credit(&r, i, on[i], 1.0, -1), 0);
			waits[i] = waits[i] && key[i] >= 0; /* (one of no VH stays active) */
		}
		bool left[NS];
		for (int i = 0; i < NS; i++) { /* some leave: activated from outside */
			left[i] = waits[i] && erand48(g) < 0.2;
			if (left[i]) {
				ready_activate(&r, i);
				waits[i] = false;
			}
		}
		ready_due(&r, 1.0); /* the returns are due: nothing activated, nothing read */
		for (int i = 0; i < NS; i++)
			ck_assert_msg(ready_is_active(&r, i) == left[i], "source %d activated by a look",
				      i);
		ck_assert_int_eq(p.looks, 0);
		for (int k = 0; k < NK; k++)
			p.last[k] = (int)(erand48(g) * NS);
		for (int i = 0; i < NS; i++)
			p.other[i] = waits[i] && erand48(g) < 0.05;

		uint64_t keys[NK / 64 + 1] = {0}, want[NK / 64 + 1] = {0};
		ready_order_eligible(&r, 1.0, keys);
		ck_assert_int_eq(p.looks, 0);
		for (int i = 0; i < NS; i++)
			if (waits[i] && p.pay[i] <= p.avail[on[i]])
				want[key[i] >> 6] |= (uint64_t)1 << (key[i] & 63);
		ck_assert_msg(keys[0] == want[0], "round %d: keys %llx, the model %llx", round,
			      (unsigned long long)keys[0], (unsigned long long)want[0]);
		ck_assert_int_eq(ready_order_any(&r, 1.0), want[0] != 0);

		int k = 1 + (int)(erand48(g) * (NK - 1));
		bool act[NS], other_want = false;
		int best = -1, bd = 0;
		for (int i = 0; i < NS; i++)
			act[i] = ready_is_active(&r, i);
		for (int q = 0; q < 3; q++) { /* the model: each index's walk, then the nearest */
			bool can = false;
			for (int i = 0; i < NS; i++)
				can |= waits[i] && key[i] == k && on[i] == q && p.pay[i] <= p.avail[q];
			if (!can)
				continue;
			for (int e = 1; e <= NS; e++) {
				int i = (p.last[k] + e) % NS;
				if (!waits[i] || key[i] != k || on[i] != q)
					continue;
				if (p.other[i]) {
					act[i] = true;
					other_want = true;
				} else if (p.pay[i] <= p.avail[q]) {
					if (best < 0 || e - 1 < bd) {
						best = i;
						bd = e - 1;
					}
					break;
				}
			}
		}
		bool other;
		int x = ready_order_pick(&r, k, 1.0, &other);
		ck_assert_msg(x == best, "round %d, key %d: pick %d, the model %d", round, k, x, best);
		ck_assert_int_eq(other, other_want);
		for (int i = 0; i < NS; i++)
			ck_assert_msg(ready_is_active(&r, i) == act[i], "round %d, source %d: "
				      "active %d, the model %d", round, i, ready_is_active(&r, i), act[i]);
		ready_destroy(&r);
	}
}
END_TEST

static Suite *order_suite(void)
{
	Suite *s = suite_create("ready_order");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_shared_index_look_finds_the_first_waiter_in_the_decisions_order);
	tcase_add_test(tc, test_shared_index_look_reads_no_waiter_when_none_can_send);
	tcase_add_test(tc, test_wrr_waiters_eligible_keys_and_picks_are_the_models);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(order_suite());
}
