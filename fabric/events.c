/* events.c - the rules of contract §10 for `events`: one kind per event, `at` inside the run
 * and in time order, names that exist, links that are down before they come up, devices
 * that are not used after their removal, and reassignments that keep the rules of §1 (the
 * VFs are assigned, `to` reaches the device, the device's max_vhs). */
#include "validate.h"
#include "units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const event_names[EV_NKINDS] = {"link_down", "link_up", "reset", "reassign",
						   "remove"};


const char *topo_event_name(int kind)
{
	return kind >= 0 && kind < EV_NKINDS ? event_names[kind] : "?";
}

const char *topo_event_subject(const struct topo *t, const struct topo_event *ev)
{
	switch (ev->kind) {
	case EV_LINK_DOWN: return t->links[ev->link_down.idx].name;
	case EV_LINK_UP: return t->links[ev->link_up.idx].name;
	case EV_RESET: return t->hosts[ev->reset.idx].name;
	case EV_REASSIGN: return t->devices[ev->reassign.a.device.idx].name;
	default: return t->devices[ev->remove.idx].name;
	}
}

bool topo_event_affects(const struct topo *t, size_t ev, size_t h)
{
	const struct topo_event *e = &t->events[ev];
	int l = e->kind == EV_LINK_DOWN ? e->link_down.idx : e->link_up.idx;

	if (e->kind == EV_RESET)
		return e->reset.idx == (int)h;
	if (e->kind == EV_REMOVE) /* the hosts it serves */
		return t->vf_count[(size_t)e->remove.idx * t->nhosts + h] > 0;
	if (e->kind == EV_REASSIGN) { /* the hosts the VFs leave, and the one they join */
		for (size_t k = 0; k < e->reassign.a.nvfs; k++)
			if (e->from_host[k] == (int)h)
				return true;
		return e->reassign.to.idx == (int)h;
	}
	if (e->kind != EV_LINK_DOWN && e->kind != EV_LINK_UP)
		return false;
	for (int k = 0; k < t->links[l].nvhs; k++) /* every VH on the link loses it */
		if (t->links[l].vhs[k] == t->hosts[h].vh)
			return true;
	return false;
}

/* Where the key of kind k sits in ev (line 0: not given). */
static struct loc kind_loc(const struct topo_event *ev, int k)
{
	switch (k) {
	case EV_LINK_DOWN: return ev->link_down.name ? ev->link_down.loc : (struct loc){0};
	case EV_LINK_UP: return ev->link_up.name ? ev->link_up.loc : (struct loc){0};
	case EV_RESET: return ev->reset.name ? ev->reset.loc : (struct loc){0};
	case EV_REASSIGN: return ev->reassign_loc;
	default: return ev->remove.name ? ev->remove.loc : (struct loc){0};
	}
}

/* Exactly one kind per event: sets ev->kind. */
static int event_kind(struct topo_event *ev, size_t i, struct diags *d)
{
	ev->kind = -1;
	for (int k = 0; k < EV_NKINDS; k++) {
		if (kind_loc(ev, k).line == 0)
			continue;
		if (ev->kind >= 0) {
			diags_error(d, kind_loc(ev, k), "events[%zu]: '%s' and '%s' in one event; give "
				    "each its own item", i, event_names[ev->kind], event_names[k]);
			return -EINVAL;
		}
		ev->kind = k;
	}
	if (ev->kind < 0) {
		diags_error(d, ev->loc, "events[%zu]: expected one of link_down, link_up, reset, "
			    "reassign or remove", i);
		return -EINVAL;
	}
	return 0;
}

/* `at` inside [0, run.duration) and not before *last, the previous event's (in the run). */
static int event_time(const struct topo *t, const struct topo_event *ev, double *last,
		      struct diags *d)
{
	char a[32], b[32];

	if (ev->at >= t->run.duration) {
		diags_error(d, ev->at_loc, "at: %s is not before the end of the run (run.duration "
			    "%s)", units_fmt_time(ev->at, a, sizeof(a)),
			    units_fmt_time(t->run.duration, b, sizeof(b)));
		return -EINVAL;
	}
	if (ev->at < *last) {
		diags_error(d, ev->at_loc, "at: %s is before the previous event's %s (events are "
			    "listed in time order)", units_fmt_time(ev->at, a, sizeof(a)),
			    units_fmt_time(*last, b, sizeof(b)));
		return -EINVAL;
	}
	*last = ev->at;
	return 0;
}

/* A link by its name, with the nearest one on a typo. */
static int resolve_link(const struct topo *t, struct topo_ref *r, const char *key,
			struct diags *d)
{
	struct diag_suggest sg;

	diag_suggest_init(&sg, r->name);
	for (size_t l = 0; l < t->nlinks; l++) {
		if (strcmp(t->links[l].name, r->name) == 0) {
			r->idx = (int)l;
			return 0;
		}
		diag_suggest_offer(&sg, t->links[l].name);
	}
	diags_error(d, r->loc, "%s: no link named '%s'%s%s%s", key, r->name,
		    sg.best ? "; did you mean '" : "", sg.best ? sg.best : "", sg.best ? "'?" : "");
	return -EINVAL;
}

/* The state the events leave the chassis in, as the list is walked in time order. */
struct ev_state {
	double *down_since;   /* per link: < 0 up */
	double *removed_at;   /* per device: < 0 present */
	int *vf_host;         /* [device][total_vfs] flattened: the owner, -1 free */
	size_t *vf_base;      /* per device: its first entry in vf_host */
};

static void state_free(struct ev_state *s)
{
	free(s->down_since);
	free(s->removed_at);
	free(s->vf_host);
	free(s->vf_base);
}

static int state_init(struct ev_state *s, const struct topo *t)
{
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	s->down_since = malloc((t->nlinks + 1) * sizeof(double));
	s->removed_at = malloc((t->ndevices + 1) * sizeof(double));
	s->vf_base = malloc((t->ndevices + 1) * sizeof(size_t));
	if (!s->down_since || !s->removed_at || !s->vf_base)
		return -ENOMEM;
	for (size_t l = 0; l < t->nlinks; l++)
		s->down_since[l] = -1;
	for (size_t dv = 0; dv < t->ndevices; dv++) {
		s->removed_at[dv] = -1;
		s->vf_base[dv] = n;
		n += t->devices[dv].total_vfs;
	}
	if (!(s->vf_host = malloc((n + 1) * sizeof(int))))
		return -ENOMEM;
	for (size_t dv = 0; dv < t->ndevices; dv++)
		for (size_t v = 0; v < t->devices[dv].total_vfs; v++)
			s->vf_host[s->vf_base[dv] + v] = t->devices[dv].vf_host[v];
	return 0;
}

/* Can host h reach device dv through switches only (the only nodes that forward)? */
static bool reaches(const struct topo *t, int h, int dv)
{
	int nn = topo_nnodes(t), target = topo_node_of_device(t, dv), n = 0;
	int *queue = malloc((size_t)nn * sizeof(int));
	bool *seen = calloc((size_t)nn, sizeof(bool)), found = false;

	if (queue && seen) {
		queue[n++] = topo_node_of_host(t, h);
		seen[queue[0]] = true;
	}
	for (int k = 0; k < n && !found; k++) {
		int u = queue[k];
		if (k > 0 && topo_node_kind(t, u) != NODE_SWITCH)
			continue; /* hosts and devices end a path */
		for (size_t l = 0; l < t->nlinks; l++) {
			if (t->links[l].a.idx != u && t->links[l].b.idx != u)
				continue;
			int v = topo_link_peer(t, (int)l, u);
			if (seen[v])
				continue;
			seen[v] = true;
			found |= v == target;
			queue[n++] = v;
		}
	}
	free(queue);
	free(seen);
	return found;
}

/* Hosts that own at least one VF of device dv in state s. */
static int hosts_served(const struct topo *t, const struct ev_state *s, int dv)
{
	int n = 0;

	for (size_t h = 0; h < t->nhosts; h++)
		for (size_t v = 0; v < t->devices[dv].total_vfs; v++)
			if (s->vf_host[s->vf_base[dv] + v] == (int)h) {
				n++;
				break;
			}
	return n;
}

/* Has host h served VF v of device dv before event ev (from the start, or by a move)? */
static bool served_before(const struct topo *t, size_t ev, int dv, uint64_t v, int h)
{
	if (t->devices[dv].vf_host[v] == h)
		return true;
	for (size_t i = 0; i < ev; i++) {
		const struct topo_reassign *r = &t->events[i].reassign;
		if (t->events[i].kind != EV_REASSIGN || r->a.device.idx != dv || r->to.idx != h)
			continue;
		for (size_t k = 0; k < r->a.nvfs; k++)
			if (r->a.vfs[k] == v)
				return true;
	}
	return false;
}

/* reassign: every VF listed exists, is assigned and not to `to`, is listed once; `to`
 * reaches the device and the device serves at most max_vhs hosts afterwards. */
static int check_reassign(const struct topo *t, struct topo_event *ev, struct ev_state *s,
			  struct diags *d)
{
	struct topo_reassign *r = &ev->reassign;
	const struct topo_device *dev = &t->devices[r->a.device.idx];
	int *owner = &s->vf_host[s->vf_base[r->a.device.idx]], err = 0;

	if (!(ev->from_host = malloc((r->a.nvfs + 1) * sizeof(int))))
		return -ENOMEM;
	for (size_t i = 0; i < r->a.nvfs; i++) {
		uint64_t v = r->a.vfs[i];
		ev->from_host[i] = -1;
		if (v >= dev->total_vfs) {
			diags_error(d, r->a.vf_locs[i], "vfs: %s has VFs 0 to %llu, not %llu", dev->name,
				    (unsigned long long)dev->total_vfs - 1, (unsigned long long)v);
			err = -EINVAL;
		} else if (owner[v] == r->to.idx) {
			diags_error(d, r->a.vf_locs[i], "vfs: VF %llu of %s already belongs to %s",
				    (unsigned long long)v, dev->name, t->hosts[r->to.idx].name);
			err = -EINVAL;
		} else if (owner[v] < 0) {
			diags_error(d, r->a.vf_locs[i], "vfs: VF %llu of %s is assigned to no host "
				    "(nothing to move)", (unsigned long long)v, dev->name);
			err = -EINVAL;
		} else if (served_before(t, (size_t)(ev - t->events), r->a.device.idx, v,
					 r->to.idx)) {
			diags_error(d, r->a.vf_locs[i], "vfs: VF %llu of %s served %s before; a VF "
				    "serves a host once in a run", (unsigned long long)v, dev->name,
				    t->hosts[r->to.idx].name);
			err = -EINVAL;
		} else {
			ev->from_host[i] = owner[v];
			owner[v] = r->to.idx;
		}
	}
	if (err)
		return err;
	if (!reaches(t, r->to.idx, r->a.device.idx)) {
		diags_error(d, r->to.loc, "to: %s has no path to %s through switches",
			    t->hosts[r->to.idx].name, dev->name);
		return -EINVAL;
	}
	if (hosts_served(t, s, r->a.device.idx) > (int)dev->max_vhs) {
		diags_error(d, r->to.loc, "to: %s would serve %d hosts, more than its max_vhs %llu",
			    dev->name, hosts_served(t, s, r->a.device.idx),
			    (unsigned long long)dev->max_vhs);
		return -EINVAL;
	}
	/* the host's VH holds the VF from then on: its paths, buses and functions count it */
	t->vf_count[(size_t)r->a.device.idx * t->nhosts + (size_t)r->to.idx] += r->a.nvfs;
	return 0;
}

/* A device used by an event after its removal. */
static int check_present(const struct topo *t, const struct ev_state *s, int dv, struct loc l,
			 const char *key, struct diags *d)
{
	char tm[32];

	if (s->removed_at[dv] < 0)
		return 0;
	diags_error(d, l, "%s: %s was removed at %s", key, t->devices[dv].name,
		    units_fmt_time(s->removed_at[dv], tm, sizeof(tm)));
	return -EINVAL;
}

/* A link of a device used by an event after the device's removal. */
static int check_link_present(const struct topo *t, const struct ev_state *s, int l,
			      struct loc loc, const char *key, struct diags *d)
{
	for (int end = 0; end < 2; end++) {
		int n = end ? t->links[l].b.idx : t->links[l].a.idx;
		if (topo_node_kind(t, n) == NODE_DEVICE &&
		    check_present(t, s, topo_node_index(t, n), loc, key, d))
			return -EINVAL;
	}
	return 0;
}

/* The names of one event, and its rule against the state the earlier ones left. */
static int check_event(struct topo *t, struct topo_event *ev, struct ev_state *s,
		       struct diags *d)
{
	char tm[32];
	int err;

	switch (ev->kind) {
	case EV_LINK_DOWN:
		if ((err = resolve_link(t, &ev->link_down, "link_down", d)) ||
		    (err = check_link_present(t, s, ev->link_down.idx, ev->link_down.loc, "link_down",
					      d)))
			return err;
		if (s->down_since[ev->link_down.idx] >= 0) {
			diags_error(d, ev->link_down.loc, "link_down: link '%s' is already down (since "
				    "%s)", ev->link_down.name, units_fmt_time(
					    s->down_since[ev->link_down.idx], tm, sizeof(tm)));
			return -EINVAL;
		}
		s->down_since[ev->link_down.idx] = ev->at;
		return 0;
	case EV_LINK_UP:
		if ((err = resolve_link(t, &ev->link_up, "link_up", d)) ||
		    (err = check_link_present(t, s, ev->link_up.idx, ev->link_up.loc, "link_up", d)))
			return err;
		if (s->down_since[ev->link_up.idx] < 0) {
			diags_error(d, ev->link_up.loc, "link_up: link '%s' is up (no link_down of it "
				    "before)", ev->link_up.name);
			return -EINVAL;
		}
		s->down_since[ev->link_up.idx] = -1;
		return 0;
	case EV_RESET:
		return validate_resolve(t, &ev->reset, NODE_HOST, "reset", d);
	case EV_REMOVE:
		if ((err = validate_resolve(t, &ev->remove, NODE_DEVICE, "remove", d)) ||
		    (err = check_present(t, s, ev->remove.idx, ev->remove.loc, "remove", d)))
			return err;
		s->removed_at[ev->remove.idx] = ev->at;
		return 0;
	default:
		err = validate_resolve(t, &ev->reassign.a.device, NODE_DEVICE, "device", d);
		if (validate_resolve(t, &ev->reassign.to, NODE_HOST, "to", d))
			err = -EINVAL;
		if (!err)
			err = check_present(t, s, ev->reassign.a.device.idx, ev->reassign.a.device.loc,
					    "device", d);
		return err ? err : check_reassign(t, ev, s, d);
	}
}

int events_validate(struct topo *t, struct diags *d)
{
	struct ev_state s;
	double last = 0;
	int err = state_init(&s, t);

	/* every event is checked (one run reports every problem it can); a later one is
	 * judged against the state the earlier valid ones left */
	for (size_t i = 0; i < t->nevents && err != -ENOMEM; i++) {
		struct topo_event *ev = &t->events[i];
		int e = event_kind(ev, i, d);
		if (!e)
			e = event_time(t, ev, &last, d);
		if (!e)
			e = check_event(t, ev, &s, d);
		if (e && err != -ENOMEM)
			err = e;
	}
	state_free(&s);
	return err;
}
