/* fc.c - flow-control credit accounting of one receiver. */
#include "fc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

#include "alloc.h"

#define FC_MAX_HDR 2032 /* scaled flow control's largest header credit count */
#define FC_NPD_CREDITS 64

void fc_limits_of_buffer(int64_t buffer, bool endpoint, struct fc_limits *l)
{
	int64_t hdr = buffer / 64 < FC_MAX_HDR ? buffer / 64 : FC_MAX_HDR;

	for (int c = 0; c < TLP_NCLASS; c++)
		l->hdr[c] = hdr > 0 ? hdr : 1;
	l->data[TLP_P] = buffer / FC_UNIT;
	l->data[TLP_CPL] = buffer / FC_UNIT;
	l->data[TLP_NP] = FC_NPD_CREDITS;
	if (endpoint)
		l->hdr[TLP_CPL] = l->data[TLP_CPL] = -1;
}

_Static_assert(sizeof(struct fc_pool) <= 64, "a credit index spans one cache line");

int fc_init(struct fc *f, int nvh, int nsets, const int *vhs, const struct fc_limits *lim,
	    double lat)
{
	size_t n = (size_t)nsets * TLP_NCLASS;

	memset(f, 0, sizeof(*f));
	f->nsets = nsets;
	f->lat = lat;
	f->pool = mriov_calloc_lines(n ? n : 1, sizeof(*f->pool));
	if (!f->pool)
		return -ENOMEM;
	for (size_t q = 0; q < n; q++) {
		struct fc_pool *p = &f->pool[q];
		p->hdr_limit = lim->hdr[q % TLP_NCLASS];
		p->data_limit = lim->data[q % TLP_NCLASS];
		p->hdr = p->hdr_limit < 0 ? INT64_MAX / 4 : p->hdr_limit;
		p->data = p->data_limit < 0 ? INT64_MAX / 4 : p->data_limit;
	}
	if (vhs) {
		/* one set: every VH's is 0, as without the map (whose line a TLP then need not
		 * read: docs/performance.md, "Flatness by memory layout") */
		if (nsets > 1 && !(f->set_of_vh = mriov_calloc((size_t)nvh + 1, sizeof(int))))
			return -ENOMEM;
		f->vh_of_set = mriov_malloc((size_t)nsets * sizeof(int));
		if (!f->vh_of_set)
			return -ENOMEM;
		for (int i = 0; i < nsets; i++) {
			if (f->set_of_vh)
				f->set_of_vh[vhs[i]] = i;
			f->vh_of_set[i] = vhs[i];
		}
	}
	return 0;
}

void fc_destroy(struct fc *f)
{
	if (!f)
		return;
	for (int q = 0; f->pool && q < f->nsets * TLP_NCLASS; q++)
		free(f->pool[q].ret);
	free(f->pool);
	free(f->set_of_vh);
	free(f->vh_of_set);
	f->pool = NULL;
	f->set_of_vh = f->vh_of_set = NULL;
	f->nsets = 0;
}

/* Apply the returns of q due by now. */
static inline void apply_due(struct fc_pool *q, double now)
{
	while (q->count && q->ret[q->head].t <= now) {
		const struct fc_ret *r = &q->ret[q->head];
		q->hdr += r->hdr;
		q->hdr_pend -= r->hdr;
		q->data += r->data;
		q->data_pend -= r->data;
		q->head = (uint16_t)((q->head + 1) & (q->cap - 1));
		q->count--;
	}
}

bool fc_can_send(struct fc *f, int idx, uint32_t payload, double now, double *next)
{
	struct fc_pool *q = &f->pool[idx];
	int64_t units = fc_data_units(payload);

	apply_due(q, now);
	if (q->hdr >= 1 && (units == 0 || q->data >= units))
		return true;
	double r = fc_next_return(f, idx);
	if (r < *next)
		*next = r;
	return false;
}

double fc_next_change(struct fc *f, int idx, double now)
{
	apply_due(&f->pool[idx], now); /* what is left is later */
	return fc_next_return(f, idx);
}

double fc_return_from(const struct fc *f, int idx, double from)
{
	const struct fc_pool *q = &f->pool[idx];

	for (uint32_t i = 0; i < q->count; i++) /* sorted by date */
		if (q->ret[(q->head + i) & (q->cap - 1u)].t >= from)
			return q->ret[(q->head + i) & (q->cap - 1u)].t;
	return INFINITY;
}

void fc_take(struct fc *f, int idx, uint32_t payload, double now)
{
	struct fc_pool *q = &f->pool[idx];
	int64_t units = fc_data_units(payload);

	/* invariants: a TLP goes only with credits, and never more than advertised are out */
	apply_due(q, now);
	xbt_assert(q->hdr >= 1 && q->data >= units, "sending without credits");
	if (q->hdr_limit >= 0)
		q->hdr--;
	if (q->data_limit >= 0)
		q->data -= units;
	xbt_assert((q->hdr_limit < 0 || fc_hdr_in_use(q) <= q->hdr_limit) &&
		   (q->data_limit < 0 || fc_data_in_use(q) <= q->data_limit),
		   "credits above the limit");
}

#define FC_RING_FIRST (MRIOV_LINE / sizeof(struct fc_ret))

/* Room for one more return in q's ring (a power of two, at a line): first one cache line,
 * then twice as many each time. With few returns on their way, the head and the tail come
 * back to the same lines, which stay warm (docs/performance.md, "Flatness by memory
 * layout"). 0 or -ENOMEM. */
static int ring_room(struct fc_pool *q)
{
	if (q->count < q->cap)
		return 0;
	uint32_t cap = q->cap ? 2u * q->cap : FC_RING_FIRST;
	struct fc_ret *r = cap <= 32768 ? mriov_calloc_lines(cap, sizeof(*r)) : NULL;

	if (!r)
		return -ENOMEM;
	for (uint32_t i = 0; i < q->count; i++)
		r[i] = q->ret[(q->head + i) & (q->cap - 1)];
	free(q->ret);
	q->ret = r;
	q->cap = (uint16_t)cap;
	q->head = 0;
	return 0;
}

int fc_return(struct fc *f, int idx, uint32_t payload, double t_free)
{
	struct fc_pool *q = &f->pool[idx];
	int32_t h = q->hdr_limit < 0 ? 0 : 1;
	int32_t d = q->data_limit < 0 ? 0 : (int32_t)fc_data_units(payload);
	double t = t_free + f->lat;

	if (!h && !d)
		return 0;
	if (ring_room(q))
		return -ENOMEM;
	/* returns come nearly in date order: insert from the tail */
	uint32_t i = q->count, m = q->cap - 1u;
	while (i > 0 && q->ret[(q->head + i - 1) & m].t > t) {
		q->ret[(q->head + i) & m] = q->ret[(q->head + i - 1) & m];
		i--;
	}
	q->ret[(q->head + i) & m] = (struct fc_ret){t, h, d};
	q->count++;
	q->hdr_pend += h;
	q->data_pend += d;
	/* the waiters' next look: the date fc_can_send would give them now */
	if (f->waiters && f->waiters->nwaiting)
		ready_credit_at(f->waiters, idx, fc_next_return(f, idx));
	return 0;
}
