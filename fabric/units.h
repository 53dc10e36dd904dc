/* units.h - parse the quantities of the topology contract (time, size, rate). */
#ifndef MRIOV_UNITS_H
#define MRIOV_UNITS_H

#include <stdint.h>

/*
 * Each parser takes a NUL-terminated string and stores the value in SI base units:
 * seconds, bytes, bits per second. They return 0 on success and -EINVAL when the text
 * is not a non-negative finite quantity with one of the contract's units (a bare
 * number means seconds, bytes or bit/s). Leading and trailing blanks are not allowed.
 */
int units_parse_time(const char *s, double *seconds);
int units_parse_size(const char *s, uint64_t *bytes);
int units_parse_rate(const char *s, double *bps);
/* A packet rate: NUMBER followed by pps, Kpps or Mpps (the unit is required). */
int units_parse_pps(const char *s, double *pps);
/* An I/O command rate: NUMBER followed by iops, Kiops or Miops (the unit is required). */
int units_parse_iops(const char *s, double *iops);

/* A clock frequency: NUMBER with Hz, KHz (or kHz), MHz or GHz; a bare number is Hz. */
int units_parse_freq(const char *s, double *hz);

/* Decimal unsigned integer without sign, exponent or radix prefix; -ERANGE above max. */
int units_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* Format a size in the largest binary unit that holds it exactly ("4KiB", "1GiB", "1500B"). */
const char *units_fmt_size(uint64_t bytes, char *buf, int len);

/* Format a time in the largest unit in which it is at least 1 ("10us", "1.5ms", "150ns"),
 * as a user would write it. */
const char *units_fmt_time(double seconds, char *buf, int len);

#endif
