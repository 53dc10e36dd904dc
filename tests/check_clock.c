/* check_clock.c - dated events run by a port's clock source (models/clock.c). */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "clock.h"
#include "testutil.h"

/* What the events ran: their ids in the order they ran, and their dates. */
static int ran[64], nran;
static double ran_t[64];

static void record(void *obj, double t, uint64_t arg)
{
	(void)obj;
	ran_t[nran] = t;
	ran[nran++] = (int)arg;
}

/* An object whose stamped events are stale once its epoch moved past the stamp. */
struct thing {
	uint32_t epoch;
};

static bool thing_stale(const void *obj, uint32_t stamp)
{
	return ((const struct thing *)obj)->epoch != stamp;
}

/* A clock on a port of an engine that has no actor (no SimGrid call is made). */
static void setup(struct eng *e, struct port *p, struct mclock *c)
{
	*e = (struct eng){0};
	*p = (struct port){.e = e};
	*c = (struct mclock){0};
	nran = 0;
	ck_assert_int_eq(mclock_init(c, p, 0), 0);
	ck_assert_ptr_eq(p->srcs[0], &c->src);
}

/* Looking at the clock at now: the events due run, the next date comes back. */
static double look(struct mclock *c, double now)
{
	double next = INFINITY;

	ck_assert_ptr_null(c->src.ops->peek(&c->src, now, &next));
	return next;
}

static void teardown(struct port *p, struct mclock *c)
{
	mclock_destroy(c);
	free(p->srcs);
}

/* Events run in date order and, at one date, in the order they were filed; those dated
 * after now wait, and the clock asks to be looked at again at the first of them. */
START_TEST(test_events_run_by_date_then_filing_order)
{
	struct eng e;
	struct port p;
	struct mclock c;

	setup(&e, &p, &c);
	mclock_at(&c, 3e-6, record, NULL, 1);
	mclock_at(&c, 1e-6, record, NULL, 2);
	mclock_at(&c, 2e-6, record, NULL, 3);
	mclock_at(&c, 1e-6, record, NULL, 4);
	mclock_at(&c, 5e-6, record, NULL, 5);
	ck_assert_double_eq(c.src.wake, 1e-6); /* the earliest filed */
	ck_assert_double_eq(look(&c, 2.5e-6), 3e-6);
	ck_assert_int_eq(nran, 3);
	ck_assert_int_eq(ran[0], 2);
	ck_assert_int_eq(ran[1], 4); /* same date as 2, filed after it */
	ck_assert_int_eq(ran[2], 3);
	ck_assert_double_eq(ran_t[2], 2e-6); /* an event runs with its own date */
	ck_assert_double_eq(c.src.wake, 3e-6);
	ck_assert_double_eq(look(&c, 10e-6), INFINITY);
	ck_assert_int_eq(nran, 5);
	ck_assert_int_eq(ran[3], 1);
	ck_assert_int_eq(ran[4], 5);
	ck_assert_double_eq(c.src.wake, INFINITY);
	teardown(&p, &c);
}
END_TEST

/* A stamped event does nothing when its object's epoch moved since it was filed; an
 * unstamped one of the same object, and a stamped one filed after the move, run. */
START_TEST(test_stale_stamped_events_do_nothing)
{
	struct eng e;
	struct port p;
	struct mclock c;
	struct thing x = {7};

	setup(&e, &p, &c);
	c.stale = thing_stale;
	mclock_at_stamped(&c, 1e-6, record, &x, 1, x.epoch);
	mclock_at(&c, 2e-6, record, &x, 2);
	mclock_at_stamped(&c, 3e-6, record, &x, 3, x.epoch);
	x.epoch++; /* a reset */
	mclock_at_stamped(&c, 4e-6, record, &x, 4, x.epoch);
	look(&c, 5e-6);
	ck_assert_int_eq(nran, 2);
	ck_assert_int_eq(ran[0], 2);
	ck_assert_int_eq(ran[1], 4);
	teardown(&p, &c);
}
END_TEST

/* Without a stale() (the NVMe model's clocks), stamps cancel nothing. */
START_TEST(test_stamps_without_stale_run)
{
	struct eng e;
	struct port p;
	struct mclock c;
	struct thing x = {1};

	setup(&e, &p, &c);
	mclock_at_stamped(&c, 1e-6, record, &x, 1, 0);
	look(&c, 1e-6);
	ck_assert_int_eq(nran, 1);
	teardown(&p, &c);
}
END_TEST

static int fail_all(void)
{
	return 1;
}

/* Out of memory while filing: the engine's error is set, the events filed before stay and
 * none runs after the error (the run stops at its first error). */
START_TEST(test_out_of_memory_sets_the_error)
{
	struct eng e;
	struct port p;
	struct mclock c;

	setup(&e, &p, &c);
	mclock_at(&c, 1e-6, record, NULL, 1);
	for (int i = 2; i <= 64; i++) /* fills the first 64 entries */
		mclock_at(&c, 1e-6, record, NULL, (uint64_t)i);
	mriov_alloc_fail_hook = fail_all;
	mclock_at(&c, 1e-6, record, NULL, 65);
	mriov_alloc_fail_hook = NULL;
	ck_assert_int_eq(e.err, -ENOMEM);
	ck_assert_uint_eq(c.n, 64);
	ck_assert_double_eq(look(&c, 1e-6), INFINITY);
	ck_assert_int_eq(nran, 0);
	teardown(&p, &c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_events_run_by_date_then_filing_order);
	tcase_add_test(tc, test_stale_stamped_events_do_nothing);
	tcase_add_test(tc, test_stamps_without_stale_run);
	tcase_add_test(tc, test_out_of_memory_sets_the_error);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
