/* simtest.h - run one simulation inside a Check test (each test is a forked child, and
 * SimGrid allows one engine per process). */
#ifndef MRIOV_SIMTEST_H
#define MRIOV_SIMTEST_H

#include "sim.h"
#include "testutil.h"

/* Load yaml (with sets), simulate, and return the finished run; fails the test on error. */
struct sim *st_run(const char *yaml, char *const *sets, size_t nsets);
/* st_run, with hook called on the built engine before it starts (it files work). */
struct sim *st_run_hook(const char *yaml, char *const *sets, size_t nsets,
			int (*hook)(void *arg, struct eng *e), void *arg);
/* st_run in a child process (SimGrid allows one engine a process, so a test compares two
 * runs this way): measure(s, out) fills len bytes of out from the child's finished run,
 * which come back to the caller's out; fails the test when the child does. */
void st_run_in_child(const char *yaml, char *const *sets, size_t nsets,
		     void (*measure)(struct sim *s, void *out), void *out, size_t len);
/* One host, one ATS device on Gen3 x8 (25 ns links), 256-B writes at 1 Gb/s over 2 VFs and
 * 200 000 unmaps/s: the invalidation round trips of check_sim_ats and check_sim_overhead. */
extern const char st_inval_chassis[];
/* Run yaml in a child process (with the ready structures, or a full scan of every source
 * when full_scan), and read back the ST_NVAL values collect puts in o (it returns how many
 * it filled, at most ST_NVAL): for differential tests of the ready structures. */
#define ST_NVAL 64
void st_outcome(const char *yaml, bool full_scan, int (*collect)(const struct sim *s, double *o),
		double *v);
/* st_outcome, and with slot_wake_all a DMA slot's return wakes every DMA engine of its
 * device (the reference of models/dev_dma.c's slot waiters). */
void st_outcome_with(const char *yaml, bool full_scan, bool slot_wake_all,
		     int (*collect)(const struct sim *s, double *o), double *v);
/* st_outcome with the references opts chooses (its SimGrid options are the tests'). */
void st_outcome_opts(const char *yaml, const struct sim_opts *opts,
		     int (*collect)(const struct sim *s, double *o), double *v);
/* The engine's four counts (TLP-hops, DMAs issued and completed, bytes) and then each
 * port's seven statistics (busy, payload, wire, TLPs, credit stall, queue integral and
 * maximum), for differential tests that compare runs value by value: fills v (room for
 * 4 + 7 * nports) and returns how many. */
int st_engine_values(const struct eng *e, double *v);
/* From v[n] on, per port while n + 4 <= max: its busy time, TLPs, queue integral and queue
 * maximum. Returns the new n. */
int st_port_values(const struct eng *e, double *v, int n, int max);
/* Total throughput over hosts, Gb/s. */
double st_total_gbps(struct sim *s);
/* Summary of host h. */
struct stat_summary st_host(struct sim *s, int h);
/* The port of the link direction from -> to (node names); fails the test if none. */
const struct port *st_port(struct sim *s, const char *from, const char *to);
/* pcie-bench's model of saturated DMA throughput (domain.md §4.5), Gb/s of payload:
 *   write: BW_tlp * sz / (ceil(sz/MPS) * MWr_hdr + sz)
 *   read:  BW_tlp * sz / max(ceil(sz/MPS) * CplD_hdr + sz, ceil(sz/MRRS) * MRd_hdr)
 * with BW_tlp = raw * (1 - 8/ack - 8/fc - 4/1538) and headers of 24, 20 and 24 bytes. */
double st_pcie_bench_gbps(int gen, int width, int mps, int mrrs, int sz, int read);

#endif
