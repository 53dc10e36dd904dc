/* describe.c - `mriovsim check` output. */
#include "describe.h"

#include <math.h>

#include "units.h"

const char *describe_rid(unsigned rid, char *buf)
{
	/* bus:device.function; with ARI the 8-bit function number spans device and function */
	snprintf(buf, 8, "%02x:%02x.%x", (rid >> 8) & 0xff, (rid >> 3) & 0x1f, rid & 7);
	return buf;
}

/* A VF a reassign moves (contract §10): when it serves this VH. */
static void describe_moved(const struct topo_function *fn, FILE *f)
{
	char tm[32];

	if (fn->from > 0)
		fprintf(f, " (from %s)", units_fmt_time(fn->from, tm, sizeof(tm)));
	else if (!isinf(fn->until))
		fprintf(f, " (until %s)", units_fmt_time(fn->until, tm, sizeof(tm)));
}

/* The VF indices of a reassign in runs: "VF 3", "VFs 24-31", "VFs 1,3,5-7". */
static void describe_vf_list(const uint64_t *vfs, size_t n, FILE *f)
{
	fprintf(f, "VF%s ", n == 1 ? "" : "s");
	for (size_t i = 0, j; i < n; i = j + 1) {
		for (j = i; j + 1 < n && vfs[j + 1] == vfs[j] + 1;)
			j++;
		fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)vfs[i]);
		if (j > i)
			fprintf(f, "-%llu", (unsigned long long)vfs[j]);
	}
}

/* The runtime events (contract §10), with the hosts each affects. */
static void describe_events(const struct topo *t, FILE *f)
{
	char a[32], b[32], c[32];

	if (!t->nevents)
		return;
	fprintf(f, "events (pcie.flr %s, retrain %s, completion_timeout %s):\n",
		units_fmt_time(t->pcie.flr, a, sizeof(a)), units_fmt_time(t->pcie.retrain, b, sizeof(b)),
		units_fmt_time(t->pcie.completion_timeout, c, sizeof(c)));
	for (size_t i = 0; i < t->nevents; i++) {
		const struct topo_event *ev = &t->events[i];
		fprintf(f, "  at %s: %s %s, hosts", units_fmt_time(ev->at, a, sizeof(a)),
			topo_event_name(ev->kind), topo_event_subject(t, ev));
		for (size_t h = 0; h < t->nhosts; h++)
			if (topo_event_affects(t, i, h))
				fprintf(f, " %s", t->hosts[h].name);
		if (ev->kind == EV_REASSIGN) {
			fputs("; ", f);
			describe_vf_list(ev->reassign.a.vfs, ev->reassign.a.nvfs, f);
			fprintf(f, " to %s", t->hosts[ev->reassign.to.idx].name);
		}
		fputc('\n', f);
	}
}

static void print_path(const struct topo *t, const struct topo_path *p, FILE *f)
{
	int mr = 0;

	fprintf(f, "  path to %s:", t->devices[p->device].name);
	for (int i = 0; i <= p->nhops; i++) {
		fprintf(f, " %s", topo_node_name(t, p->nodes[i]));
		if (i < p->nhops) {
			const struct topo_link *k = &t->links[p->links[i]];
			fprintf(f, " -(%s, Gen%llu x%llu%s)->", k->name, (unsigned long long)k->gen,
				(unsigned long long)k->width, k->mr_link ? ", MR-Link" : "");
			mr += k->mr_link;
		}
	}
	fprintf(f, "\n    MR-Links on it:");
	for (int i = 0; i < p->nhops; i++)
		if (t->links[p->links[i]].mr_link)
			fprintf(f, " %s (VHs %d)", t->links[p->links[i]].name,
				t->links[p->links[i]].nvhs);
	fprintf(f, "%s\n", mr ? "" : " none");
}

static void print_vswitch(const struct topo *t, const struct topo_vswitch *vs, FILE *f)
{
	fprintf(f, "  virtual switch %s/vs%d: upstream port %s (bus %d), internal bus %d",
		t->switches[vs->sw].name, vs->vh, t->links[vs->up_link].name, vs->up_bus,
		vs->internal_bus);
	for (int k = 0; k < vs->ndown; k++)
		fprintf(f, "%s %s (buses %d-%d)", k ? "," : "; downstream", t->links[vs->down_links[k]].name,
			vs->down_secondary[k], vs->down_subordinate[k]);
	fprintf(f, "\n");
}

void describe_chassis(const struct topo *t, FILE *f)
{
	size_t mr = 0;

	for (size_t l = 0; l < t->nlinks; l++)
		mr += t->links[l].mr_link;
	fprintf(f, "%s: %zu hosts, %zu switches, %zu devices, %zu links (%zu MR-Links), "
		   "%zu functions\n", t->name, t->nhosts, t->nswitches, t->ndevices, t->nlinks, mr,
		t->nfunctions);
	for (size_t h = 0; h < t->nhosts; h++) {
		const struct topo_vh *vh = &t->vhs[h];
		fprintf(f, "VH %d: host %s, link %s\n", vh->id, t->hosts[h].name,
			t->links[t->hosts[h].link].name);
		if (!vh->npaths)
			fprintf(f, "  no VFs assigned\n");
		for (int p = 0; p < vh->npaths; p++)
			print_path(t, &vh->paths[p], f);
		for (int s = 0; s < vh->nvswitches; s++)
			print_vswitch(t, &vh->vswitches[s], f);
		for (int p = 0; p < vh->npaths; p++) {
			int dev = vh->paths[p].device, n = 0;
			fprintf(f, "  functions on %s:", t->devices[dev].name);
			for (size_t i = 0; i < t->nfunctions; i++) {
				const struct topo_function *fn = &t->functions[i];
				char rid[8];
				if (fn->device != dev || fn->vh != vh->id)
					continue;
				fprintf(f, "%s %s %s", n++ % 4 ? "," : "\n   ", fn->name,
					describe_rid(fn->rid, rid));
				describe_moved(fn, f);
			}
			fprintf(f, "\n");
		}
	}
	describe_events(t, f);
	describe_profiles(t, f);
}
