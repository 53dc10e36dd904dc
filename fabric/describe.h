/* describe.h - the human description of a validated chassis printed by `mriovsim check`. */
#ifndef MRIOV_DESCRIBE_H
#define MRIOV_DESCRIBE_H

#include <stdio.h>

#include "topo.h"

/* Print, per VH: its host, the path to each device with the MR-Links on it, the virtual
 * switches it occupies, and the functions it owns with their routing IDs. */
void describe_chassis(const struct topo *t, FILE *f);

/* Print every arbitration point (describe_arb.c): each device's and each switch port's
 * egress that carries traffic, its policy, weights or priority, and what it orders. */
void describe_arbitration(const struct topo *t, FILE *f);

/* The calibration values (contract §12) in effect for each host and device with a profile
 * or one of its keys, each with where it came from: default, profile, file or --set. */
void describe_profiles(const struct topo *t, FILE *f);

/* SR-IOV per device and per host (describe_sriov.c, contract §11): NumVFs, NumAllocatedVFs,
 * whether SR-IOV is in use and why not (IovSupportReasons), and the hosts' CPUs. */
void describe_sriov(const struct topo *t, FILE *f);

/* Format a routing ID as bus:device.function ("03:00.1"); buf holds at least 8 bytes. */
const char *describe_rid(unsigned rid, char *buf);

#endif
