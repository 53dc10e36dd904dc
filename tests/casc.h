/* casc.h - a cascaded two-switch chassis shared by the VH, isolation and platform suites. */
#ifndef MRIOV_TEST_CASC_H
#define MRIOV_TEST_CASC_H

static const char casc_yaml[] =
	"name: casc\n"
	"hosts: [{name: h0}, {name: h1}, {name: h2}]\n"
	"switches: [{name: top}, {name: low, latency: 100ns}]\n"
	"devices: [{name: nic, total_vfs: 300}, {name: ssd, total_vfs: 8}]\n"
	"links:\n"
	"  - {a: h0, b: top, gen: 4, width: 16}\n"
	"  - {a: h1, b: top, gen: 4, width: 16}\n"
	"  - {a: top, b: low, gen: 4, width: 16, name: trunk, latency: 30ns}\n"
	"  - {a: h2, b: low, gen: 4, width: 8}\n"
	"  - {a: top, b: nic, gen: 4, width: 16}\n"
	"  - {a: low, b: ssd, gen: 3, width: 4}\n"
	"assign:\n"
	"  - {host: h0, device: nic, vfs: 260}\n"
	"  - {host: h0, device: ssd, vfs: 2}\n"
	"  - {host: h1, device: ssd, vfs: [7]}\n"
	"  - {host: h2, device: nic, vfs: 1}\n";

#endif
