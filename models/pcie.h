/* pcie.h - PCIe link rates, link-layer overhead and TLP wire sizes (domain.md §4). */
#ifndef MRIOV_PCIE_H
#define MRIOV_PCIE_H

#include <stdbool.h>

enum pcie_tlp_type {
	PCIE_MWR,  /* memory write (posted) */
	PCIE_MRD,  /* memory read request (non-posted); also ATS translation requests */
	PCIE_CPLD, /* completion with data */
	PCIE_CPL,  /* completion without data */
	PCIE_MSG,  /* message, 4 DW header (e.g. ATS invalidate request/completion) */
};

/* Flow-control classes (PCIe Base Spec §2.6.1): posted, non-posted, completions. */
enum tlp_class { TLP_P, TLP_NP, TLP_CPL, TLP_NCLASS };

/* Bits per second per direction after line encoding (8b/10b for gen 1-2, 128b/130b for
 * gen 3-5, 236/256 TLP bytes per flit for gen 6). gen 1..6, width 1..32 lanes. */
double pcie_raw_bps(int gen, int width);

/* The spec's Ack latency limit and UpdateFC interval in symbol times (domain.md Appendix A;
 * PCIe Base Spec 5.0 Tables 3-7..3-9 and 2-46..2-48) for gen 1..5, width, MPS. */
int pcie_ack_limit(int gen, int width, int mps);
int pcie_fc_limit(int gen, int width, int mps);

/* Fraction of the raw rate taken by ACK and UpdateFC DLLPs and SKP ordered sets, as the
 * pcie-bench model charges them: 8/ack + 8/fc + 4/1538 (0 for gen 6, whose DLLP content
 * travels inside every flit and is already in pcie_raw_bps). */
double pcie_spec_overhead(int gen, int width, int mps);

/* Bytes a TLP occupies on the wire: framing + header + payload (+ ECRC, + the MR-IOV prefix
 * on MR-Links). Gen 1-5: 8 B framing/sequence/LCRC; gen 6 (flit mode): no per-TLP framing. */
unsigned pcie_tlp_wire_bytes(enum pcie_tlp_type type, unsigned payload, int gen,
			     int address_bits, bool ecrc, bool mr_prefix);

/* Header bytes of a TLP (3 DW or 4 DW, from the type and address width). */
unsigned pcie_tlp_header_bytes(enum pcie_tlp_type type, int address_bits);

#endif
