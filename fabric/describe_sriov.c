/* describe_sriov.c - what `mriovsim check` says about SR-IOV (contract §11), in the terms
 * of seed 002's Hyper-V host: per device NumVFs and NumAllocatedVFs (Get-NetAdapterSriov),
 * per host and device whether SR-IOV is in use and, when it is not, why
 * (IovSupportReasons); and the CPU side of the hosts that run the vswitch path. */
#include "describe.h"

#include <stdbool.h>
#include <stdlib.h>

#define REASON_ACL "ACLs are enabled on the host's virtual switch"
#define REASON_NO_VFS "no VFs of this device are assigned to the host"

/* Can host h reach device d through the fabric (only switches forward)? */
static bool reaches(const struct topo *t, int h, int d)
{
	int nn = topo_nnodes(t), target = topo_node_of_device(t, d), n = 0;
	int *queue = malloc((size_t)nn * sizeof(int));
	bool *seen = calloc((size_t)nn, sizeof(bool)), found = false;

	if (!queue || !seen) {
		free(queue);
		free(seen);
		return false;
	}
	queue[n++] = topo_node_of_host(t, h);
	seen[queue[0]] = true;
	for (int i = 0; i < n && !found; i++) {
		int at = queue[i];
		if (i > 0 && topo_node_kind(t, at) != NODE_SWITCH)
			continue; /* a device or another host ends the way */
		for (size_t l = 0; l < t->nlinks; l++) {
			if (t->links[l].a.idx != at && t->links[l].b.idx != at)
				continue;
			int peer = topo_link_peer(t, (int)l, at);
			if (seen[peer])
				continue;
			seen[peer] = true;
			found |= peer == target;
			queue[n++] = peer;
		}
	}
	free(queue);
	free(seen);
	return found;
}

static uint64_t assigned(const struct topo *t, int d)
{
	uint64_t n = 0;

	for (size_t h = 0; h < t->nhosts; h++)
		n += t->vf_count[(size_t)d * t->nhosts + h];
	return n;
}

/* The workloads of host h on device d that take the vswitch path by their own choice. */
static void chosen_vswitch(const struct topo *t, int h, int d, FILE *f)
{
	int n = 0;

	for (size_t w = 0; w < t->nworkloads; w++) {
		const struct topo_workload *wl = &t->workloads[w];
		if (wl->host.idx == h && wl->device.idx == d && wl->vswitch)
			fprintf(f, "%s%s", n++ ? ", " : "; on the vswitch path (path: vswitch): ",
				wl->name);
	}
}

static void host_on_device(const struct topo *t, int h, int d, FILE *f)
{
	const struct topo_host *th = &t->hosts[h];
	const struct topo_device *dev = &t->devices[d];
	uint64_t vfs = t->vf_count[(size_t)d * t->nhosts + (size_t)h];

	fprintf(f, "  %s on %s: ", th->name, dev->name);
	if (!vfs)
		fprintf(f, "SR-IOV not in use (IovSupportReasons: %s)", REASON_NO_VFS);
	else if (dev->nic.present && th->vswitch.acl)
		fprintf(f, "SR-IOV not in use (IovSupportReasons: %s); its %llu VF%s idle, "
			   "its frames take the vswitch path on its PF", REASON_ACL,
			(unsigned long long)vfs, vfs == 1 ? " stays" : "s stay");
	else
		fprintf(f, "SR-IOV in use (%llu VF%s)", (unsigned long long)vfs, vfs == 1 ? "" : "s");
	if (vfs && !th->vswitch.acl)
		chosen_vswitch(t, h, d, f);
	fputc('\n', f);
}

static void host_cpu(const struct topo_host *h, FILE *f)
{
	if (!h->cpu.present && !h->uses_vswitch && !h->vswitch.present)
		return;
	fprintf(f, "  %s: %llu cores at %.4g GHz%s", h->name, (unsigned long long)h->cpu.cores,
		h->cpu.frequency / 1e9, h->cpu.present ? "" : " (cpu defaults)");
	if (h->uses_vswitch || h->vswitch.present)
		fprintf(f, "; vswitch on at most %llu of them, %llu cycles per frame + %.4g per "
			   "data byte, ACLs %s", (unsigned long long)h->vswitch.cores,
			(unsigned long long)h->vswitch.cycles_per_packet, h->vswitch.cycles_per_byte,
			h->vswitch.acl ? "on" : "off");
	fputc('\n', f);
}

void describe_sriov(const struct topo *t, FILE *f)
{
	fprintf(f, "SR-IOV (as Get-NetAdapterSriov and Get-VMSwitch show it):\n");
	for (size_t d = 0; d < t->ndevices; d++)
		fprintf(f, "  %s: NumVFs %llu, NumAllocatedVFs %llu\n", t->devices[d].name,
			(unsigned long long)t->devices[d].total_vfs,
			(unsigned long long)assigned(t, (int)d));
	for (size_t h = 0; h < t->nhosts; h++)
		for (size_t d = 0; d < t->ndevices; d++)
			if (t->vf_count[d * t->nhosts + h] || reaches(t, (int)h, (int)d))
				host_on_device(t, (int)h, (int)d, f);
	for (size_t h = 0; h < t->nhosts; h++)
		host_cpu(&t->hosts[h], f);
}
