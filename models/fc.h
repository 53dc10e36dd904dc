/* fc.h - flow-control credits a PCIe receiver advertises to the transmitter at the other
 * end of its link (PCIe Base Spec §2.6.1; domain.md §5.4): header and data credits per
 * credit set and class. A credit set is one VH's buffers (per-VH flow control) or the one
 * set shared by all VHs. Credits given back travel to the transmitter in an UpdateFC DLLP
 * and count there one link latency later; until then a decision cannot use them. */
#ifndef MRIOV_FC_H
#define MRIOV_FC_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "pcie.h"
#include "ready.h"

/* 16-byte flow-control data unit (PCIe Base Spec §2.6.1; domain.md §5.4) */
#define FC_UNIT 16

/* What a receiver advertises per class: header credits, and data credits in FC units;
 * < 0 means infinite. */
struct fc_limits {
	int64_t hdr[TLP_NCLASS];
	int64_t data[TLP_NCLASS];
};

/* An endpoint's receive buffer: 16 KiB, the PD of 1024 units (16 KB) that the calibration
 * table of domain.md §7 gives per VC at a switch ingress, and the contract's default host
 * `buffer` (topology.md). */
#define FC_EP_BUFFER 16384

/* What a receiver with `buffer` bytes per credit set advertises (domain.md §5.4, §7.1):
 * header credits enough to fill it with 64-byte TLPs (buffer / 64, at most 2032, the
 * scaled-FC maximum of Base-DLL Table 3-4, at least 1); posted and completion data credits
 * for `buffer` bytes each; 64 non-posted data credits (domain.md §7's NPD 64: only
 * AtomicOps would use them). An endpoint or root complex (endpoint = true) advertises
 * infinite completion credits, as a requester without peer-to-peer does (Table 2-50). */
void fc_limits_of_buffer(int64_t buffer, bool endpoint, struct fc_limits *l);

/* A return on its way: a TLP's buffer frees its header and its data credits at once. */
struct fc_ret {
	double t;
	int32_t hdr, data;
};

/* One credit index: its header and data credits, and their returns in one ring sorted by
 * date, all that a decision asks in one cache line (64 bytes). A limit < 0 is infinite:
 * nothing is taken or given back. */
struct fc_pool {
	int64_t hdr, data;              /* available, returns due so far applied */
	int64_t hdr_limit, data_limit;  /* advertised */
	int64_t hdr_pend, data_pend;    /* given back, not due yet */
	struct fc_ret *ret;
	uint16_t head, count, cap;      /* (a return per header credit: at most 2 032) */
};

/* Credits of index q in use: neither available nor on their way back. */
static inline int64_t fc_hdr_in_use(const struct fc_pool *q)
{
	return q->hdr_limit < 0 ? 0 : q->hdr_limit - q->hdr - q->hdr_pend;
}

static inline int64_t fc_data_in_use(const struct fc_pool *q)
{
	return q->data_limit < 0 ? 0 : q->data_limit - q->data - q->data_pend;
}

struct fc {
	int nsets;            /* 1 (shared) or one per VH on the link */
	int *set_of_vh;       /* [vh] (1-based) -> set; NULL with one set (shared or not) */
	int *vh_of_set;       /* [set] -> its VH; NULL with one shared set */
	struct fc_pool *pool; /* [fc_index()] */
	double lat;           /* UpdateFC travel time back to the transmitter */
	struct ready *waiters; /* the transmitter's sources parked on these credits (ready.h),
				* told by fc_return when their next return is due; NULL: none */
};

/* nsets credit sets with limits lim; with vhs != NULL set i holds VH vhs[i] (1..nvh).
 * lat: the link latency. Returns 0 or -ENOMEM (f is then safe to fc_destroy). */
int fc_init(struct fc *f, int nvh, int nsets, const int *vhs, const struct fc_limits *lim,
	    double lat);
/* No-op on a zeroed or half-initialised struct fc. */
void fc_destroy(struct fc *f);

/* The one credit index: (credit set of vh) * TLP_NCLASS + class. */
static inline int fc_index(const struct fc *f, int vh, int cls)
{
	return (f->set_of_vh ? f->set_of_vh[vh] : 0) * TLP_NCLASS + cls;
}

/* Data credits a TLP of `payload` bytes needs (whole FC units). */
static inline int64_t fc_data_units(uint32_t payload)
{
	return (payload + FC_UNIT - 1) / FC_UNIT;
}

/* May a TLP of `payload` bytes use credits idx at `now`? When not, lowers *next to the
 * earliest date a credit it lacks comes back (INFINITY when none is on its way). */
bool fc_can_send(struct fc *f, int idx, uint32_t payload, double now, double *next);
/* When the credits of idx next change after now (a return due), or INFINITY. */
double fc_next_change(struct fc *f, int idx, double now);
/* The date of idx's earliest return on its way (due or not), or INFINITY. */
static inline double fc_next_return(const struct fc *f, int idx)
{
	const struct fc_pool *q = &f->pool[idx];

	return q->count ? q->ret[q->head].t : INFINITY;
}
/* The date of idx's earliest return on its way at or after from, or INFINITY. */
double fc_return_from(const struct fc *f, int idx, double from);
/* Take the credits of a TLP that goes now (the caller asked fc_can_send). Asserts that
 * never more than advertised are out. */
void fc_take(struct fc *f, int idx, uint32_t payload, double now);
/* The receiver frees a TLP's buffer at t_free: its credits count at the transmitter from
 * t_free + lat. Returns 0 or -ENOMEM. */
int fc_return(struct fc *f, int idx, uint32_t payload, double t_free);

#endif
