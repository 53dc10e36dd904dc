/* mmio.c - host-initiated MMIO (doorbells, register reads) and MSI-X with interrupt
 * remapping at the root complex (contract §5, domain.md §10.3). */
#include "mmio.h"
#include "fault.h"

#include <errno.h>
#include <math.h>

#define MMIO_BYTES 4 /* a doorbell, a register, an MSI-X message: one DWORD (domain.md §10) */

/* A 4-byte TLP of function fn's VH, ready at t, going down (host to function) or up. */
static struct tlp *dword_tlp(struct eng *e, int fn, double t, bool up, uint64_t key,
			     mmio_done_fn done)
{
	struct tlp *x = eng_tlp_new(e);

	if (!x)
		return NULL;
	x->vh = e->t->functions[fn].vh;
	x->fn = fn;
	x->key = key;
	x->route = eng_fn_route(e, fn, up);
	x->ready = t;
	x->landed = done;
	x->epoch = e->vfs[fn].epoch; /* a reset since makes it stale (fault_model_stale) */
	x->at = AT_TRANSLATED; /* MMIO is not translated (§6); MSI-X goes to the remapping unit */
	return x;
}

static int host_send(struct eng *e, int fn, double t, uint64_t key, mmio_done_fn done, int cls)
{
	struct eng_host *eh = &e->hosts[e->t->functions[fn].host];
	struct tlp *x = dword_tlp(e, fn, t, false, key, done);

	if (!x)
		return -ENOMEM;
	x->cls = (uint8_t)cls;
	if (cls == TLP_P) {
		x->type = PCIE_MWR;
		x->purpose = PURPOSE_DOORBELL;
		x->payload = MMIO_BYTES;
	} else {
		x->type = PCIE_MRD; /* the host's NP FIFO takes one of its mmio_tags per read */
		x->purpose = PURPOSE_REGISTER;
		x->len = MMIO_BYTES;
	}
	src_push(&eh->cpl_q[cls], x);
	eng_signal_at(eh->port, t);
	return 0;
}

int mmio_doorbell(struct eng *e, int fn, double t, uint64_t key, mmio_done_fn done)
{
	return host_send(e, fn, t, key, done, TLP_P);
}

int mmio_read(struct eng *e, int fn, double t, uint64_t key, mmio_done_fn done)
{
	return host_send(e, fn, t, key, done, TLP_NP);
}

int mmio_msix(struct eng *e, int fn, int vector, double t_event, double t, struct src *q,
	      mmio_done_fn done)
{
	struct vf *vf = &e->vfs[fn];
	struct tlp *x = dword_tlp(e, fn, t, true, (uint64_t)vector, done);

	if (!x)
		return -ENOMEM;
	x->type = PCIE_MWR;
	x->cls = TLP_P;
	x->purpose = PURPOSE_INTERRUPT;
	x->payload = MMIO_BYTES;
	x->t0 = t_event;
	src_push(q ? q : &vf->msix_q, x);
	eng_signal_at(vf->port, t);
	return 0;
}

void mmio_dev_receive(struct eng *e, struct tlp *t, double tail)
{
	struct vf *vf = &e->vfs[t->fn];

	if (t->type == PCIE_MWR) {
		if (t->landed && !fault_model_stale(e, t))
			t->landed(e, t, tail);
		eng_tlp_free(e, t);
		return;
	}
	/* a register read: the same TLP becomes its 4-byte completion, after mmio_latency */
	double ready = tail + e->t->devices[vf->device].mmio_latency;
	t->type = PCIE_CPLD;
	t->cls = TLP_CPL;
	t->payload = MMIO_BYTES;
	t->route = eng_fn_route(e, t->fn, true);
	t->hop = 0;
	t->ready = ready;
	t->tail_in = 0;
	src_push(&vf->mmio_cpl, t);
	eng_signal_at(vf->port, ready);
}

/* The interrupt entry cache (VT-d IEC, domain.md §10.3): when interrupt t, taken in at
 * done, reaches the CPU. A hit on an entry still being fetched waits for the fetch. */
static double remap(struct eng *e, struct eng_host *eh, const struct tlp *t, double done)
{
	uint64_t key = eng_page_key(t->fn, t->key);
	double ready;

	if (!eh->irq_remap)
		return done;
	if (tcache_lookup(&eh->irte, key, &ready) >= 0)
		return fmax(ready, done);
	if (eng_in_window(e, done))
		eh->irq_remap_misses++;
	tcache_insert(&eh->irte, key, done + eh->irq_miss_latency);
	return done + eh->irq_miss_latency;
}

void mmio_rc_receive(struct eng *e, int h, struct tlp *t, double done)
{
	struct eng_host *eh = &e->hosts[h];

	if (t->purpose == PURPOSE_REGISTER) {
		/* its tag is back: the next read may go (one waits only if none was free) */
		bool waited = tpool_exhausted(&eh->mmio_tags, e->now);
		if (tpool_give(&eh->mmio_tags, 1, done))
			e->err = -ENOMEM;
		if (waited)
			eng_signal_at(eh->port, done);
		if (t->landed && !fault_model_stale(e, t))
			t->landed(e, t, done);
		return;
	}
	if (fault_model_stale(e, t))
		return; /* an MSI-X of a function reset since: it interrupts nobody */
	double at = remap(e, eh, t, done) + eh->irq_delivery_latency;
	if (eng_in_window(e, at)) {
		struct vf *vf = &e->vfs[t->fn];
		eh->interrupts++;
		vf->interrupts++;
		vf->irq_lat_sum += at - t->t0;
	}
	if (t->landed)
		t->landed(e, t, at);
}

int mmio_build(struct eng *e)
{
	const struct topo *t = e->t;

	for (size_t h = 0; h < t->nhosts; h++) {
		struct eng_host *eh = &e->hosts[h];
		const struct topo_interrupts *ir = &t->hosts[h].interrupts;
		if (tpool_init(&eh->mmio_tags, (int64_t)t->hosts[h].mmio_tags))
			return -ENOMEM;
		eh->cpl_q[TLP_NP].tags = &eh->mmio_tags;
		eh->irq_remap = ir->remapping;
		eh->irq_miss_latency = ir->miss_latency;
		eh->irq_delivery_latency = ir->delivery_latency;
		/* LRU: the seed is unused */
		if (ir->remapping && tcache_init(&eh->irte, (uint32_t)ir->cache_entries, TCACHE_LRU, 0))
			return -ENOMEM;
	}
	for (size_t f = 0; f < t->nfunctions; f++)
		if (!t->functions[f].is_pf && mmio_fn_init(e, (int)f))
			return -ENOMEM;
	return 0;
}

int mmio_fn_init(struct eng *e, int fn)
{
	struct vf *vf = &e->vfs[fn];
	int vh = e->t->functions[fn].vh;

	src_init_fifo(&vf->mmio_cpl, TLP_CPL, vh);
	src_init_fifo(&vf->msix_q, TLP_P, vh);
	vf->mmio_cpl.posted = &vf->msix_q; /* a completion may not pass a posted write */
	vf->msix_q.behind[1] = &vf->mmio_cpl;
	if (eng_add_src(vf->port, &vf->msix_q) || eng_add_src(vf->port, &vf->mmio_cpl))
		return -ENOMEM;
	return 0;
}

void mmio_destroy(struct eng *e)
{
	for (size_t h = 0; e->hosts && h < e->t->nhosts; h++) {
		tpool_destroy(&e->hosts[h].mmio_tags);
		tcache_destroy(&e->hosts[h].irte);
	}
}
