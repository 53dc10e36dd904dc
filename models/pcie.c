/* pcie.c - PCIe link rates, DLLP/SKP overhead and TLP wire sizes. */
#include "pcie.h"

/* Symbol-time tables, domain.md Appendix A (pcie-bench model/pcie.py, PCIe Base Spec 5.0).
 * Rows x1 x2 x4 x8 x16 x32; columns MPS 128..4096. Gen 3, 4 and 5 share one table. */
static const short ack_tab[3][6][6] = {
	{{237, 416, 559, 1071, 2095, 4143}, {128, 217, 289, 545, 1057, 2081},
	 {73, 118, 154, 282, 538, 1050}, {67, 107, 86, 150, 278, 534},
	 {48, 72, 86, 150, 278, 534}, {33, 45, 52, 84, 148, 276}},
	{{288, 467, 610, 1122, 2146, 4194}, {179, 268, 340, 596, 1108, 2132},
	 {124, 169, 205, 333, 589, 1101}, {118, 158, 137, 201, 329, 585},
	 {99, 123, 137, 201, 329, 585}, {84, 96, 103, 135, 199, 237}},
	{{333, 512, 655, 1167, 2191, 4239}, {224, 313, 385, 641, 1153, 2177},
	 {169, 214, 250, 378, 634, 1146}, {163, 203, 182, 246, 374, 630},
	 {144, 168, 182, 246, 374, 630}, {129, 141, 148, 180, 244, 372}},
};

/* Framing and DLL bytes per TLP in non-flit mode: STP/sequence/LCRC/END (gen 1-2) or STP
 * token + LCRC (gen 3-5), 8 B either way (domain.md §4.1; pcie-bench DLLP_Hdr). */
#define PCIE_FRAMING_BYTES 8
#define PCIE_DLLP_BYTES 8
#define PCIE_SKP_SYMBOLS 4
#define PCIE_SKP_INTERVAL 1538
#define PCIE_ECRC_BYTES 4
#define PCIE_MR_PREFIX_BYTES 4 /* MR-IOV Local TLP Prefix, 1 DW (domain.md §1.3) */

static int width_row(int width)
{
	switch (width) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	case 8: return 3;
	case 16: return 4;
	case 32: return 5;
	default: return -1;
	}
}

static int mps_col(int mps)
{
	int c = 0;

	for (int m = 128; m < mps && c < 5; m <<= 1)
		c++;
	return c;
}

static int table_gen(int gen)
{
	return gen <= 1 ? 0 : gen == 2 ? 1 : 2;
}

/* x12 is not in the tables we have (domain.md Appendix A): take the mean of x8 and x16,
 * rounded down, which errs toward more overhead. */
static int lookup(int gen, int width, int mps, int fc)
{
	int g = table_gen(gen), c = mps_col(mps), r = width_row(width), v;

	if (width == 12)
		return (lookup(gen, 8, mps, fc) + lookup(gen, 16, mps, fc)) / 2;
	if (r < 0)
		return 0;
	v = ack_tab[g][r][c];
	/* the two cells where the UpdateFC interval differs from the Ack limit */
	if (fc && g == 0 && r == 5 && c == 4)
		v = 248;
	if (fc && g == 1 && r == 5 && c == 5)
		v = 327;
	return v;
}

int pcie_ack_limit(int gen, int width, int mps)
{
	return lookup(gen, width, mps, 0);
}

int pcie_fc_limit(int gen, int width, int mps)
{
	return lookup(gen, width, mps, 1);
}

double pcie_raw_bps(int gen, int width)
{
	static const double gts[] = {0, 2.5e9, 5e9, 8e9, 16e9, 32e9, 64e9};
	double lane;

	if (gen < 1 || gen > 6)
		return 0;
	if (gen <= 2)
		lane = gts[gen] * 8.0 / 10.0;
	else if (gen <= 5)
		lane = gts[gen] * 128.0 / 130.0;
	else
		lane = gts[gen] * 236.0 / 256.0; /* 236 TLP bytes per 256-B flit (domain.md §4.1) */
	return lane * width;
}

double pcie_spec_overhead(int gen, int width, int mps)
{
	int ack = pcie_ack_limit(gen, width, mps), fc = pcie_fc_limit(gen, width, mps);

	if (gen >= 6 || ack <= 0 || fc <= 0)
		return 0;
	return (double)PCIE_DLLP_BYTES / ack + (double)PCIE_DLLP_BYTES / fc +
	       (double)PCIE_SKP_SYMBOLS / PCIE_SKP_INTERVAL;
}

unsigned pcie_tlp_header_bytes(enum pcie_tlp_type type, int address_bits)
{
	switch (type) {
	case PCIE_MWR:
	case PCIE_MRD:
		return address_bits > 32 ? 16 : 12;
	case PCIE_MSG:
		return 16;
	default:
		return 12; /* completions: 3 DW */
	}
}

unsigned pcie_tlp_wire_bytes(enum pcie_tlp_type type, unsigned payload, int gen,
			     int address_bits, bool ecrc, bool mr_prefix)
{
	unsigned b = pcie_tlp_header_bytes(type, address_bits) + payload;

	if (gen < 6)
		b += PCIE_FRAMING_BYTES;
	if (ecrc)
		b += PCIE_ECRC_BYTES;
	if (mr_prefix)
		b += PCIE_MR_PREFIX_BYTES;
	return b;
}
