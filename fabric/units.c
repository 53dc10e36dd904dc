/* units.c - quantities of the topology contract: time, size and rate with their units. */
#include "units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
	const char *suffix;
	double factor;
};

/* Contract §"Units of measure": time in ns/us/ms/s, bare number = seconds. */
static const struct unit time_units[] = {
	{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {NULL, 0}};
/* Sizes: binary KiB/MiB/GiB and decimal KB/MB/GB, bare number = bytes. */
static const struct unit size_units[] = {
	{"B", 1.0}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {NULL, 0}};
/* Rates: bits (bps) and bytes (Bps) per second with decimal prefixes. */
static const struct unit rate_units[] = {
	{"bps", 1.0}, {"Kbps", 1e3}, {"Mbps", 1e6}, {"Gbps", 1e9},
	{"Bps", 8.0}, {"KBps", 8e3}, {"MBps", 8e6}, {"GBps", 8e9}, {NULL, 0}};
/* Packet rates (contract §6): frames per second; the unit is required. */
static const struct unit packet_units[] = {{"pps", 1.0}, {"Kpps", 1e3}, {"Mpps", 1e6}, {NULL, 0}};
/* Clock frequencies (contract §11, hosts[].cpu): decimal prefixes, bare number = Hz. */
static const struct unit freq_units[] = {
	{"Hz", 1.0}, {"KHz", 1e3}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}, {NULL, 0}};
/* Command rates (contract §6): I/O commands per second; the unit is required. */
static const struct unit iops_units[] = {{"iops", 1.0}, {"Kiops", 1e3}, {"Miops", 1e6}, {NULL, 0}};

/*
 * Scan a plain decimal number: digits, optional fraction, optional exponent. strtod alone
 * would also take "inf", "nan", hex floats and leading blanks, none of which is a quantity.
 * Returns the length of the number, or 0 when s does not start with one.
 */
static size_t scan_number(const char *s)
{
	size_t i = 0, digits = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (s[j] >= '0' && s[j] <= '9') {
			while (s[j] >= '0' && s[j] <= '9')
				j++;
			i = j;
		}
	}
	return i;
}

static int parse_with_units(const char *s, const struct unit *units, double *out)
{
	size_t n = scan_number(s);
	char num[64];
	double v;

	if (!n || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	v = strtod(num, NULL);
	if (!isfinite(v))
		return -EINVAL;
	if (s[n] == '\0') {
		*out = v;
		return 0;
	}
	for (const struct unit *u = units; u->suffix; u++) {
		if (strcmp(s + n, u->suffix) == 0) {
			v *= u->factor;
			if (!isfinite(v))
				return -EINVAL;
			*out = v;
			return 0;
		}
	}
	return -EINVAL;
}

int units_parse_time(const char *s, double *seconds)
{
	return parse_with_units(s, time_units, seconds);
}

int units_parse_rate(const char *s, double *bps)
{
	return parse_with_units(s, rate_units, bps);
}

int units_parse_freq(const char *s, double *hz)
{
	return parse_with_units(s, freq_units, hz);
}

int units_parse_pps(const char *s, double *pps)
{
	size_t n = strlen(s);

	if (n < 3 || strcmp(s + n - 3, "pps") != 0)
		return -EINVAL; /* a bare number is a bit rate, not a packet rate */
	return parse_with_units(s, packet_units, pps);
}

int units_parse_iops(const char *s, double *iops)
{
	size_t n = strlen(s);

	if (n < 4 || strcmp(s + n - 4, "iops") != 0)
		return -EINVAL; /* a bare number is a bit rate, not a command rate */
	return parse_with_units(s, iops_units, iops);
}

int units_parse_size(const char *s, uint64_t *bytes)
{
	double v;
	int err = parse_with_units(s, size_units, &v);

	if (err)
		return err;
	/* A size is a whole number of bytes; 2^53 keeps the conversion exact. */
	if (v > 9007199254740992.0)
		return -ERANGE;
	if (v != floor(v))
		return -EINVAL;
	*bytes = (uint64_t)v;
	return 0;
}

int units_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		uint64_t digit = (uint64_t)(*s - '0');
		if (v > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		v = v * 10 + digit;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *units_fmt_size(uint64_t bytes, char *buf, int len)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB"};
	int u = 0;

	while (u < 3 && bytes && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)bytes, unit[u]);
	return buf;
}

const char *units_fmt_time(double s, char *buf, int len)
{
	int u = 3; /* the largest unit in which s is at least 1, nanoseconds at the least */

	while (u > 0 && s < time_units[u].factor)
		u--;
	snprintf(buf, len, "%.6g%s", s / time_units[u].factor, time_units[u].suffix);
	return buf;
}
