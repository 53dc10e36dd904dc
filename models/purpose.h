/* purpose.h - what a TLP is for (contract §7, overhead.csv): every TLP of the engine carries
 * one, set by the model that makes it, and every link direction counts its TLPs and wire
 * bytes per purpose. */
#ifndef MRIOV_PURPOSE_H
#define MRIOV_PURPOSE_H

enum tlp_purpose {
	PURPOSE_DATA,         /* DMA payload: writes, read requests for data, their completions */
	PURPOSE_DESCRIPTOR,   /* descriptor and submission-entry reads, their completions */
	PURPOSE_WRITEBACK,    /* descriptor write-backs, completion entries */
	PURPOSE_DOORBELL,     /* host tail/head register writes */
	PURPOSE_REGISTER,     /* host register reads and their completions */
	PURPOSE_INTERRUPT,    /* MSI-X writes */
	PURPOSE_TRANSLATION,  /* ATS Translation Requests and their completions */
	PURPOSE_INVALIDATION, /* ATS Invalidate Requests and Invalidate Completions */
	PURPOSE_N
};

/* The contract's name of purpose p ("data", ...), or "?" out of range. */
static inline const char *tlp_purpose_name(int p)
{
	static const char *const names[PURPOSE_N] = {"data",      "descriptor", "writeback",
						     "doorbell",  "register",   "interrupt",
						     "translation", "invalidation"};
	return p >= 0 && p < PURPOSE_N ? names[p] : "?";
}

#endif
