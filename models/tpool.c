/* tpool.c - dated unit counts for credits and tags. */
#include "tpool.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

int tpool_init(struct tpool *p, int64_t limit)
{
	memset(p, 0, sizeof(*p));
	p->infinite = limit < 0;
	p->limit = limit < 0 ? INT64_MAX / 4 : limit;
	p->avail = p->limit;
	return 0;
}

void tpool_destroy(struct tpool *p)
{
	if (p)
		free(p->ret);
}

int64_t tpool_avail(struct tpool *p, double now)
{
	while (p->count && p->ret[p->head].t <= now) {
		p->avail += p->ret[p->head].n;
		p->pending -= p->ret[p->head].n;
		p->head = (p->head + 1) % p->cap;
		p->count--;
	}
	return p->avail;
}

double tpool_next_return(const struct tpool *p)
{
	return p->count ? p->ret[p->head].t : INFINITY;
}

void tpool_take(struct tpool *p, int64_t n)
{
	if (!p->infinite)
		p->avail -= n;
}

static int grow(struct tpool *p)
{
	uint32_t cap = p->cap ? p->cap * 2 : 16;
	struct tpool_ret *r = mriov_malloc(cap * sizeof(*r));

	if (!r)
		return -ENOMEM;
	for (uint32_t i = 0; i < p->count; i++)
		r[i] = p->ret[(p->head + i) % p->cap];
	free(p->ret);
	p->ret = r;
	p->cap = cap;
	p->head = 0;
	return 0;
}

int tpool_give(struct tpool *p, int64_t n, double t)
{
	uint32_t i;

	if (p->infinite)
		return 0;
	if (p->count == p->cap && grow(p))
		return -ENOMEM;
	/* returns come nearly in time order: insert from the tail */
	i = p->count;
	while (i > 0 && p->ret[(p->head + i - 1) % p->cap].t > t) {
		p->ret[(p->head + i) % p->cap] = p->ret[(p->head + i - 1) % p->cap];
		i--;
	}
	p->ret[(p->head + i) % p->cap] = (struct tpool_ret){t, n};
	p->count++;
	p->pending += n;
	return 0;
}

int64_t tpool_in_use(const struct tpool *p)
{
	return p->limit - p->avail - p->pending;
}
