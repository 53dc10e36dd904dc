/* platform.h - the chassis as a SimGrid platform (XML 4.1). */
#ifndef MRIOV_PLATFORM_H
#define MRIOV_PLATFORM_H

#include <stdio.h>

#include "topo.h"

/*
 * Write t as SimGrid platform XML: one SimGrid host per root complex, switch and device (a
 * host with `cpu` or vswitch work has cpu.cores cores of cpu.frequency flop/s, contract
 * §11; the others one core of 1 Gflop/s, on which nothing computes); two
 * SHARED links per PCIe link, "<link>.fwd" (a to b) and "<link>.rev" (b to a), with the
 * link's TLP-layer rate and latency; one FATPIPE "<switch>.xbar" per switch carrying its
 * cut-through latency; routes between neighbours and along every VH path. CM02 with
 * crosstraffic off is configured inside the file (reference/simgrid.md §3). Returns 0, or
 * -EIO when writing fails.
 */
int platform_write(const struct topo *t, FILE *f);

/* The TLP-layer rate of link l in bit/s: the raw rate less the link-layer overhead chosen
 * by pcie.link_overhead (the spec intervals for the link's gen, width and MPS, or a
 * fraction of the raw rate). */
double platform_link_tlp_bps(const struct topo *t, int l);

#endif
