/* rc.c - the root complex: it absorbs posted writes (a DMA write completes when its last
 * TLP arrives) and answers read requests after memory_latency with completions of at most
 * MPS bytes, the first one ending at the next RCB boundary when the request does not start
 * on one (PCIe Base Spec §2.3.1.1; contract §1 "DMA read"). With a host's line_time
 * (contract §12) it reads the requested memory one 64-byte cache line after another, and a
 * completion is ready memory_latency after its last line was read. */
#include "rc.h"

#include <errno.h>
#include <stdlib.h>
#include <math.h>

#include "alloc.h"
#include "ats.h"
#include "fault.h"
#include "mmio.h"

/* The translation agent (domain.md §3.6): an IOTLB hit is usable when its walk is
 * done; a miss takes the page walker that frees first. */

double rc_translate(struct eng *e, int h, uint64_t key, double t)
{
	struct eng_host *eh = &e->hosts[h];
	double ready;
	int w = 0;

	if (tcache_lookup(&eh->iotlb, key, &ready) >= 0) {
		if (eng_in_window(e, t))
			eh->iotlb_hits++;
		/* a walk for this page may still be under way: wait for it, start no other */
		return ready > t ? ready : t;
	}
	if (eng_in_window(e, t))
		eh->iotlb_misses++;
	/* at most `walkers` walks in flight: take the walker that frees first */
	for (int i = 1; i < eh->nwalkers; i++)
		if (eh->walker_free[i] < eh->walker_free[w])
			w = i;
	double done = fmax(t, eh->walker_free[w]) + eh->walk_latency;
	eh->walker_free[w] = done;
	tcache_insert(&eh->iotlb, key, done);
	return done;
}

static void serve_read(struct eng *e, int h, struct tlp *req, double tail)
{
	const struct topo_pcie *c = &e->t->pcie;
	struct eng_host *eh = &e->hosts[h];
	struct src *q = &eh->cpl_q[TLP_CPL];
	double ready = tail + eh->memory_latency;
	uint64_t addr = req->addr;
	uint32_t left = req->len;
	int was_empty = q->head == NULL;
	double first = -1;

	while (left) {
		uint32_t n;
		if (c->completions == CPL_RCB)
			n = (uint32_t)(c->rcb - addr % c->rcb);
		else if (addr % c->rcb)
			n = (uint32_t)(c->rcb - addr % c->rcb);
		else
			n = (uint32_t)c->mps;
		if (n > left)
			n = left;
		if (eh->line_time > 0) {
			/* one 64-byte line after another: a completion goes when its lines are read */
			uint64_t lines = (addr + n + 63) / 64 - addr / 64;
			eh->line_free = fmax(eh->line_free, tail) + (double)lines * eh->line_time;
			ready = eh->line_free + eh->memory_latency;
		}
		struct tlp *t = eng_tlp_new(e);
		if (!t)
			return;
		t->type = PCIE_CPLD;
		t->cls = TLP_CPL;
		t->purpose = req->purpose; /* a completion is for what its request was for */
		t->vh = req->vh;
		t->fn = req->fn;
		t->payload = n;
		t->addr = addr;
		t->route = eng_fn_route(e, req->fn, false);
		t->ready = ready;
		if (first < 0)
			first = ready;
		t->dma = req->dma;
		t->rreq = req->rreq;
		/* a device model's read says what its completions do when they land */
		t->landed = req->landed;
		t->key = req->key;
		t->epoch = req->epoch; /* a model's: its function reset since, it is stale */
		t->t0 = req->t0; /* when the request left (a lost completion times out from it) */
		t->last = left == n;
		src_push(q, t);
		addr += n;
		left -= n;
	}
	if (was_empty)
		eng_signal_at(eh->port, first);
}

/* A Translation Completion: 8 bytes of translation for the request's page. */
static void answer_xlat(struct eng *e, int h, struct tlp *req, double ready)
{
	struct src *q = &e->hosts[h].cpl_q[TLP_CPL];
	struct tlp *t = eng_tlp_new(e);

	if (!t)
		return;
	t->type = PCIE_CPLD;
	t->cls = TLP_CPL;
	t->at = AT_XLAT_REQ;
	t->purpose = PURPOSE_TRANSLATION;
	t->vh = req->vh;
	t->fn = req->fn;
	t->key = req->key;
	t->epoch = req->epoch;
	t->payload = req->len;
	t->route = eng_fn_route(e, req->fn, false);
	t->ready = ready;
	src_push(q, t);
	eng_signal_at(e->hosts[h].port, ready);
}

static void rc_receive(void *ep, struct port *in, struct tlp *t, double hdr, double tail)
{
	struct eng_host *eh = ep;
	struct eng *e = eh->e;
	int h = eh->index;
	double done = tail;

	(void)hdr;
	/* the translation agent: untranslated requests and ATS translation requests look up
	 * the IOTLB (and walk on a miss); translated requests bypass it (domain.md §3.2).
	 * Without DMA remapping untranslated requests pass, and no ATC asks (§5). */
	if (eh->iommu && t->at == AT_UNTRANSLATED && (t->type == PCIE_MWR || t->type == PCIE_MRD) &&
	    !mmio_purpose(t))
		done = rc_translate(e, h, eng_page_key(t->fn, t->addr / eh->page_size), tail);
	else if (t->at == AT_XLAT_REQ)
		done = rc_translate(e, h, t->key, tail);
	if (t->type == PCIE_MWR) {
		/* a function's posted writes are written in order; writes of other functions
		 * (other requester IDs) may pass them (ID-based ordering, domain.md §8.7) */
		if (done < e->posted_done[t->fn])
			done = e->posted_done[t->fn];
		e->posted_done[t->fn] = done;
	}
	/* the receive buffer is free once the TLP is translated and taken in */
	eng_rx_free(e, in, t, done);
	if (mmio_purpose(t)) {
		mmio_rc_receive(e, h, t, done); /* MSI-X, register-read completions (mmio.c) */
	} else if (t->type == PCIE_MWR) {
		if (t->landed && !fault_model_stale(e, t))
			t->landed(e, t, done);
	} else if (t->type == PCIE_MRD && t->at == AT_XLAT_REQ) {
		answer_xlat(e, h, t, done);
	} else if (t->type == PCIE_MRD) {
		serve_read(e, h, t, done);
	} else if (t->type == PCIE_MSG && t->at == AT_INV_CPL) {
		ats_inv_done(e, h, t, tail);
	}
	eng_tlp_free(e, t);
}

const struct eng_endpoint_ops rc_endpoint = {"root complex", rc_receive};

int rc_build(struct eng *e)
{
	const struct topo *t = e->t;

	e->hosts = mriov_calloc(t->nhosts ? t->nhosts : 1, sizeof(*e->hosts));
	e->posted_done = mriov_calloc(t->nfunctions ? t->nfunctions : 1, sizeof(double));
	if (!e->hosts || !e->posted_done)
		return -ENOMEM;
	for (size_t h = 0; h < t->nhosts; h++) {
		struct eng_host *eh = &e->hosts[h];
		eh->e = e;
		eh->index = (int)h;
		/* numa: remote puts the DMA buffers behind the other socket (contract §12) */
		eh->memory_latency = t->hosts[h].memory_latency +
				     (t->hosts[h].numa == NUMA_REMOTE ? t->hosts[h].remote_latency : 0);
		eh->line_time = t->hosts[h].line_time;
		eh->port = eng_port_of(e, t->hosts[h].link, (int)h);
		for (int c = 0; c < TLP_NCLASS; c++) {
			src_init_fifo(&eh->cpl_q[c], c, (int)h + 1);
			if (c != TLP_P) {
				eh->cpl_q[c].posted = &eh->cpl_q[TLP_P];
				eh->cpl_q[TLP_P].behind[c == TLP_NP ? 0 : 1] = &eh->cpl_q[c];
			}
			if (eng_add_src(eh->port, &eh->cpl_q[c]))
				return -ENOMEM;
		}
	}
	return 0;
}

void rc_destroy(struct eng *e)
{
	free(e->hosts);
	free(e->posted_done);
	e->hosts = NULL;
	e->posted_done = NULL;
}
