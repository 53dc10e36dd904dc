/* engine_ready.c - each port's ready set (ready.h) and what its decisions use, built at
 * load once the ports and their sources are: VH groups, a shared credit set's order, the
 * calendar, trusted candidates' scratch, the sources' owners, queue groups, FIFOs of many
 * ports (engine_build.c calls it last). */
#include "engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* A port whose sources are all FIFOs of one VH each (switch ingress buffers with per-VH
 * flow control), under an arbiter that grants the first eligible VH in its order, decides
 * VH by VH (engine.c): its sources grouped by VH, in index order. 0 or -ENOMEM. */
static int build_vh_groups(struct eng *e, struct port *p)
{
	int nvh = (int)e->t->nhosts;

	bool wrr = p->arb.kind == ARB_KIND_WRR;

	if (p->nsrcs < 6)
		return 0; /* one VH's classes: a scan costs less */
	for (int i = 0; i < p->nsrcs; i++) /* wrr keeps picks: tags would change them unseen */
		if (p->srcs[i]->ops != &eng_fifo_ops || p->srcs[i]->vh < 1 ||
		    (wrr && p->srcs[i]->tags))
			return 0;
	if (wrr) {
		size_t nq = (size_t)p->fc.nsets * TLP_NCLASS;
		p->wpick = mriov_calloc((size_t)nvh + 1, sizeof(*p->wpick));
		p->wq = mriov_calloc((size_t)nvh + 1, sizeof(*p->wq));
		p->wpay = mriov_calloc((size_t)nvh + 1, sizeof(*p->wpay));
		p->wneed = mriov_calloc(nq, sizeof(*p->wneed));
		p->wtaken = -1;
		if (!p->wpick || !p->wq || !p->wpay || !p->wneed ||
		    ready_init_known(&p->ready, nvh + 1))
			return -ENOMEM;
	}
	p->vh_first = mriov_calloc((size_t)nvh + 2, sizeof(int));
	p->vh_srcs = mriov_malloc((size_t)p->nsrcs * sizeof(int));
	p->vh_of = mriov_malloc((size_t)p->nsrcs * sizeof(int));
	if (!p->vh_first || !p->vh_srcs || !p->vh_of)
		return -ENOMEM;
	for (int i = 0; i < p->nsrcs; i++)
		p->vh_of[i] = p->srcs[i]->vh;
	for (int i = 0; i < p->nsrcs; i++)
		p->vh_first[p->srcs[i]->vh + 1]++;
	for (int v = 1; v <= nvh; v++)
		p->vh_first[v + 1] += p->vh_first[v];
	/* counting sort, stable (ascending within a VH), vh_first[v] as v's cursor */
	for (int i = 0; i < p->nsrcs; i++)
		p->vh_srcs[p->vh_first[p->srcs[i]->vh]++] = i;
	for (int v = nvh + 1; v >= 2; v--) /* each cursor ended at the next VH's start */
		p->vh_first[v] = p->vh_first[v - 1];
	p->vh_first[1] = 0;
	/* a decision skips the VHs with no active source without looking at them */
	return ready_init_groups(&p->ready, p->vh_of, nvh + 1);
}

/* Do ports a and b send from the same sources, in the same order? */
static bool same_sources(const struct port *a, const struct port *b)
{
	return a->nsrcs == b->nsrcs && a->nsrcs &&
	       !memcmp(a->srcs, b->srcs, (size_t)a->nsrcs * sizeof(*a->srcs));
}

/* Ports that send from the same sources count the same TLPs waiting at the same dates, so
 * one of them (the group's first) keeps the queue integral for all: a switch's shared
 * ingress buffers feed each of its egress ports, and a TLP filed there would otherwise
 * touch every one (docs/performance.md, "wrr and shared flow control at 255 hosts").
 * Each source counts into the first port of each group among its owners. 0 or -ENOMEM. */
static void build_queue_groups(struct eng *e)
{
	for (size_t i = 0; i < e->nports; i++)
		for (size_t j = 0; j < i; j++)
			if (!e->ports[j].qlead && same_sources(&e->ports[i], &e->ports[j])) {
				e->ports[i].qlead = &e->ports[j];
				break;
			}
	for (size_t i = 0; i < e->nports; i++) {
		const struct port *p = &e->ports[i];
		for (int k = 0; k < p->nsrcs; k++) {
			struct src *s = p->srcs[k];
			if (s->qown)
				continue;
			s->qown = (struct port **)(s->own + s->nown); /* (eng_build_ready) */
			for (int o = 0; o < s->nown; o++) {
				struct port *lead = s->own[o].p->qlead ? s->own[o].p->qlead : s->own[o].p;
				int x = 0;
				while (x < s->nqown && s->qown[x] != lead)
					x++;
				if (x == s->nqown)
					s->qown[s->nqown++] = lead;
			}
		}
	}
}

/* FIFOs of many ports (a switch's shared ingress buffers of a link of many VHs feed every
 * egress port): each port catches up with their activations of all ports at its next
 * decision (engine.h, SRC_BCAST_OWNERS; port_catch_up). 0 or -ENOMEM. */
static int build_bcast(struct eng *e)
{
	for (size_t i = 0; i < e->nports; i++) {
		struct port *p = &e->ports[i];
		for (int k = 0; k < p->nsrcs; k++) {
			struct src *s = p->srcs[k];
			if (s->ops != &eng_fifo_ops || s->nown < SRC_BCAST_OWNERS)
				continue;
			if (!p->bc && (!(p->bc = mriov_malloc((size_t)p->nsrcs * sizeof(*p->bc))) ||
				       !(p->bc_seen = mriov_calloc((size_t)p->nsrcs,
								   sizeof(*p->bc_seen)))))
				return -ENOMEM;
			p->bc[p->nbc++] = k;
		}
	}
	return 0;
}

/* A port that sends on one credit set for every VH, under rr or strict: its ready set
 * keeps the waiters in the decision's order (ready_order.c; the keys: decide.c,
 * credit_key_start). Under wrr, a port that scans its sources (no VH groups) keeps them by
 * VH for its decision to weigh (ready_init_weighed; decide.c, port_decide). A source of no
 * one VH (a FIFO of several, a PF's) has no key and never waits there. 0 or -ENOMEM. */
static int build_order(struct eng *e, struct port *p)
{
	int nvh = (int)e->t->nhosts, nkeyed = 0;
	bool weigh = p->arb.kind == ARB_KIND_WRR && !p->vh_srcs;

	if (p->fc.nsets != 1 || (!arb_ordered(&p->arb) && !weigh) || p->nsrcs < 2)
		return 0;
	for (int i = 0; i < p->nsrcs; i++)
		nkeyed += p->srcs[i]->vh >= 1 && p->srcs[i]->vh <= nvh;
	if (2 * nkeyed < p->nsrcs) /* mostly sources of several VHs: looked at anyway */
		return 0;
	int *key = mriov_malloc((size_t)p->nsrcs * sizeof(*key));
	int *rank = mriov_malloc((size_t)nvh * sizeof(*rank) + sizeof(*rank));
	if (!key || !rank) {
		free(key);
		free(rank);
		return -ENOMEM;
	}
	for (int k = 0; k < nvh && !weigh; k++) /* strict: the rank of each VH */
		rank[arb_nth(&p->arb, k)] = k;
	for (int i = 0; i < p->nsrcs; i++) {
		int v = p->srcs[i]->vh;
		key[i] = v < 1 || v > nvh ? -1
			 : weigh		     ? v
			 : p->arb.kind == ARB_KIND_RR ? v - 1
						      : rank[v];
	}
	int err = weigh ? ready_init_weighed(&p->ready, key, nvh + 1)
			: ready_init_order(&p->ready, key, nvh);
	free(key);
	free(rank);
	return err;
}

/* Each port's ready set, and each source's owners (the ports that send from it), all in
 * one array: a first pass counts a source's owners, the second hands out slices. */
#define RCAL_MIN_SRCS 512

/* A scanning port's sources, then the ones a decision finds able to send and their passive
 * dates, in one block at a line, which p->srcs owns (no source joins p after this): a port
 * of few sources reads one line for all three (docs/performance.md, "Flatness by memory
 * layout"). 0 or -ENOMEM (p unchanged). */
static int scan_block(struct port *p, size_t n)
{
	size_t ns = n * sizeof(*p->srcs), nc = (n * sizeof(*p->could) + 7) & ~(size_t)7;
	char *b = mriov_calloc_lines(1, ns + nc + n * sizeof(*p->could_lazy));

	if (!b)
		return -ENOMEM;
	if (p->nsrcs)
		memcpy(b, p->srcs, (size_t)p->nsrcs * sizeof(*p->srcs));
	free(p->srcs);
	p->srcs = (struct src **)b;
	p->capsrcs = p->nsrcs;
	p->could = (int *)(b + ns);
	p->could_lazy = (double *)(b + ns + nc);
	return 0;
}

int eng_build_ready(struct eng *e)
{
	size_t total = 0, off = 0;

	for (size_t i = 0; i < e->nports; i++) {
		struct port *p = &e->ports[i];
		size_t n = p->nsrcs ? (size_t)p->nsrcs : 1;
		if (ready_init(&p->ready, p->nsrcs) ||
		    ready_init_credits(&p->ready, p->fc.nsets * TLP_NCLASS, &eng_credit_ops, p))
			return -ENOMEM;
		p->fc.waiters = &p->ready;
		/* thousands of DMA engines parked until their next arrival: a calendar of 1 024
		 * buckets of 128 ns (131 us) keeps the heap to the dates of one bucket */
		if (p->nsrcs >= RCAL_MIN_SRCS && ready_init_calendar(&p->ready, 128e-9, 1024))
			return -ENOMEM;
		if (build_vh_groups(e, p) || build_order(e, p))
			return -ENOMEM;
		if (!p->vh_srcs) { /* the scan of every active source (engine.c) keeps them */
			if (scan_block(p, n))
				return -ENOMEM;
			p->selig = mriov_calloc((size_t)arb_words((int)e->t->nhosts),
						sizeof(*p->selig));
			if (!p->could || !p->selig ||
			    ready_init_trust(&p->ready, (int)e->t->nhosts))
				return -ENOMEM;
		}
		for (int k = 0; k < p->nsrcs; k++)
			p->srcs[k]->nown++;
		total += (size_t)p->nsrcs;
	}
	/* each source's owners, then room for as many queue groups (build_queue_groups), in
	 * one block: an activation and a count of a source read one line of it
	 * (docs/performance.md, "Flatness by memory layout") */
	char *own = mriov_calloc(total ? total : 1, sizeof(struct src_owner) + sizeof(struct port *));
	if (!own)
		return -ENOMEM;
	e->owners = (struct src_owner *)own;
	for (size_t i = 0; i < e->nports; i++) {
		struct port *p = &e->ports[i];
		for (int k = 0; k < p->nsrcs; k++) {
			struct src *s = p->srcs[k];
			if (!s->own) {
				if (s->tags)
					tpool_add_taker(s->tags);
				s->own = (struct src_owner *)(own + off);
				off += (size_t)s->nown * (sizeof(struct src_owner) + sizeof(struct port *));
				s->nown = 0;
			}
			s->own[s->nown++] = (struct src_owner){p, k};
			p->nqueued += s->n;
		}
	}
	build_queue_groups(e);
	return build_bcast(e);
}

