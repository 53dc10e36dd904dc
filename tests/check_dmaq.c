/* check_dmaq.c - a DMA engine's queue of whole DMAs and records (models/dmaq.c) against a
 * plain model: an array kept in issue order, a DMA issued at a date going after every one
 * issued at or before it. Random issues (mostly later than the last, some earlier, some
 * at the same date), departures of the head and unpacks, compared after each step: the
 * order, that the head is whole, and that every record comes after every whole DMA. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "testutil.h"

enum { NOPS = 4000, MAXQ = 4096 };

struct model {
	double issue[MAXQ];
	uint64_t id[MAXQ];
	int n;
};

static void model_add(struct model *m, double t, uint64_t id)
{
	int k = m->n++;

	while (k > 0 && m->issue[k - 1] > t) {
		m->issue[k] = m->issue[k - 1];
		m->id[k] = m->id[k - 1];
		k--;
	}
	m->issue[k] = t;
	m->id[k] = id;
}

/* The queue, whole DMAs then records, against the model (an id rides in the address);
 * the place of the first difference, or -1 (Check's asserts cost a write each: one at
 * the end). */
static int first_difference(const struct dma_engine *de, const struct model *m)
{
	int k = 0;

	if (m->n && !de->q)
		return 0;
	for (const struct dma *d = de->q; d; d = d->next, k++)
		if (k >= m->n || d->addr != m->id[k] || d->issue != m->issue[k] ||
		    (!d->next && de->q_tail != d))
			return k;
	for (uint32_t r = 0; r < de->rq_n; r++, k++) {
		const struct dma_rec *x = &de->rq[(de->rq_head + r) & (de->rq_cap - 1)];
		if (k >= m->n || x->addr != m->id[k] || x->issue != m->issue[k] ||
		    x->ready != x->issue + 1) /* what the issue drew, kept */
			return k;
	}
	return k == m->n ? -1 : k;
}

static void compare(const struct dma_engine *de, const struct model *m, int step)
{
	int k = first_difference(de, m);

	if (k >= 0)
		ck_abort_msg("step %d: the queue differs from the model at place %d of %d", step,
			     k, m->n);
}

START_TEST(test_queue_keeps_issue_order_with_the_head_whole)
{
	static struct topo_workload wl;
	static struct topo t;
	static struct eng e;
	static struct vf vf;
	static struct model m;
	struct stream g = {.wl = 0};
	struct dma_engine *de = &vf.eng[0];
	unsigned short rng[3] = {1, 2, 3};
	double last = 0;
	uint64_t id = 0;

	wl.size = 64;
	t.workloads = &wl;
	t.nworkloads = 1;
	e.t = &t;
	slab_init(&e.dmas, sizeof(struct dma));
	slab_init(&e.recs, DMAQ_SMALL * sizeof(struct dma_rec));
	vf.fn = 3;
	de->vf = &vf;
	for (int step = 0; step < NOPS; step++) {
		double u = erand48(rng);
		if (u < 0.6 && m.n < MAXQ - 1) { /* an issue: later, at the same date, or earlier */
			double v = erand48(rng), at = v < 0.7 ? last + erand48(rng)
						     : v < 0.85 ? last : last - 3 * erand48(rng);
			last = at > last ? at : last;
			struct dma_rec r = {at, at + 1, ++id, &g, 7};
			dmaq_add(&e, de, &r);
			model_add(&m, at, id);
		} else if (u < 0.97 && de->q) { /* the head leaves (dev.c, vf_pop) */
			struct dma *d = de->q;
			if (d->ready != d->issue + 1 || d->epoch != 7 || d->fn != 3 || d->size != 64 ||
			    d->stream != &g)
				ck_abort_msg("step %d: the head is not what its issue drew", step);
			de->q = d->next;
			if (!de->q)
				de->q_tail = NULL;
			slab_free(&e.dmas, d);
			dmaq_refill(&e, de);
			memmove(m.issue, m.issue + 1, (size_t)(m.n - 1) * sizeof(*m.issue));
			memmove(m.id, m.id + 1, (size_t)(m.n - 1) * sizeof(*m.id));
			m.n--;
		} else { /* before a walk of the queue (fault.c) */
			dmaq_unpack(&e, de);
			if (de->rq_n)
				ck_abort_msg("step %d: records left after an unpack", step);
		}
		if (e.err)
			ck_abort_msg("step %d: out of memory", step);
		compare(de, &m, step);
	}
	ck_assert_uint_gt(e.c.dma_recs, NOPS / 4); /* records were made, and dropped */
	ck_assert_uint_gt(e.c.recs_dropped, 0);
	dmaq_destroy(de);
	slab_destroy(&e.dmas);
	slab_destroy(&e.recs);
}
END_TEST

/* The reference (eng_dmaq_whole): no record, every DMA whole in the same order. */
START_TEST(test_whole_reference_makes_no_record)
{
	static struct topo_workload wl;
	static struct topo t;
	static struct eng e;
	static struct vf vf;
	struct stream g = {.wl = 0};
	struct dma_engine *de = &vf.eng[1];
	static const double at[] = {1, 3, 2, 3, 0.5};

	wl.size = 4096;
	t.workloads = &wl;
	t.nworkloads = 1;
	t.nfunctions = 1;
	e.t = &t;
	e.vfs = &vf;
	slab_init(&e.dmas, sizeof(struct dma));
	slab_init(&e.recs, DMAQ_SMALL * sizeof(struct dma_rec));
	de->vf = &vf;
	de->op = 1;
	struct dma_rec r0 = {at[0], at[0], 0, &g, 0};
	dmaq_add(&e, de, &r0);
	struct dma_rec r1 = {at[1], at[1], 1, &g, 0};
	dmaq_add(&e, de, &r1); /* a record behind the head */
	ck_assert_uint_eq(de->rq_n, 1);
	eng_dmaq_whole(&e); /* made whole; from now on none */
	ck_assert_uint_eq(de->rq_n, 0);
	ck_assert_uint_eq(e.c.dma_recs, 0);
	for (int k = 2; k < 5; k++) {
		struct dma_rec r = {at[k], at[k], (uint64_t)k, &g, 0};
		dmaq_add(&e, de, &r);
	}
	static const uint64_t order[] = {4, 0, 2, 1, 3}; /* 0.5, 1, 2, 3, 3 (first issued first) */
	int k = 0;
	for (const struct dma *d = de->q; d; d = d->next, k++)
		ck_assert_uint_eq(d->addr, order[k]);
	ck_assert_int_eq(k, 5);
	ck_assert_uint_eq(de->rq_n, 0);
	ck_assert_uint_eq(eng_dmas_live(&e), 5);
	dmaq_destroy(de);
	slab_destroy(&e.dmas);
	slab_destroy(&e.recs);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dmaq");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, test_queue_keeps_issue_order_with_the_head_whole);
	tcase_add_test(tc, test_whole_reference_makes_no_record);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
