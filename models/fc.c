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

int fc_init(struct fc *f, int nvh, int nsets, const int *vhs, const struct fc_limits *lim,
	    double lat)
{
	size_t n = (size_t)nsets * TLP_NCLASS;

	memset(f, 0, sizeof(*f));
	f->nsets = nsets;
	f->lat = lat;
	f->hdr = mriov_calloc(n, sizeof(*f->hdr));
	f->data = mriov_calloc(n, sizeof(*f->data));
	if (!f->hdr || !f->data)
		return -ENOMEM;
	for (size_t q = 0; q < n; q++) {
		tpool_init(&f->hdr[q], lim->hdr[q % TLP_NCLASS]);
		tpool_init(&f->data[q], lim->data[q % TLP_NCLASS]);
	}
	if (vhs) {
		f->set_of_vh = mriov_calloc((size_t)nvh + 1, sizeof(int));
		f->vh_of_set = mriov_malloc((size_t)nsets * sizeof(int));
		if (!f->set_of_vh || !f->vh_of_set)
			return -ENOMEM;
		for (int i = 0; i < nsets; i++) {
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
	for (int q = 0; f->hdr && q < f->nsets * TLP_NCLASS; q++)
		tpool_destroy(&f->hdr[q]);
	for (int q = 0; f->data && q < f->nsets * TLP_NCLASS; q++)
		tpool_destroy(&f->data[q]);
	free(f->hdr);
	free(f->data);
	free(f->set_of_vh);
	free(f->vh_of_set);
	f->hdr = f->data = NULL;
	f->set_of_vh = f->vh_of_set = NULL;
	f->nsets = 0;
}

bool fc_can_send(struct fc *f, int idx, uint32_t payload, double now, double *next)
{
	struct tpool *h = &f->hdr[idx], *d = &f->data[idx];
	int64_t units = fc_data_units(payload);

	if (tpool_avail(h, now) >= 1 && (units == 0 || tpool_avail(d, now) >= units))
		return true;
	double r = fmin(tpool_next_return(h), tpool_next_return(d));
	if (r < *next)
		*next = r;
	return false;
}

double fc_next_change(struct fc *f, int idx, double now)
{
	struct tpool *h = &f->hdr[idx], *d = &f->data[idx];

	tpool_avail(h, now); /* the returns due by now are applied: what is left is later */
	tpool_avail(d, now);
	return fmin(tpool_next_return(h), tpool_next_return(d));
}

void fc_take(struct fc *f, int idx, uint32_t payload, double now)
{
	struct tpool *h = &f->hdr[idx], *d = &f->data[idx];
	int64_t units = fc_data_units(payload);

	/* invariants: a TLP goes only with credits, and never more than advertised are out */
	xbt_assert(tpool_avail(h, now) >= 1 && tpool_avail(d, now) >= units,
		   "sending without credits");
	tpool_take(h, 1);
	tpool_take(d, units);
	xbt_assert(tpool_in_use(h) <= h->limit && tpool_in_use(d) <= d->limit,
		   "credits above the limit");
}

int fc_return(struct fc *f, int idx, uint32_t payload, double t_free)
{
	int64_t units = fc_data_units(payload);

	if (tpool_give(&f->hdr[idx], 1, t_free + f->lat) ||
	    (units && tpool_give(&f->data[idx], units, t_free + f->lat)))
		return -ENOMEM;
	/* the waiters' next look: the date fc_can_send would give them now */
	if (f->waiters && f->waiters->nwaiting)
		ready_credit_at(f->waiters, idx, fmin(tpool_next_return(&f->hdr[idx]),
						      tpool_next_return(&f->data[idx])));
	return 0;
}
