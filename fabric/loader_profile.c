/* loader_profile.c - the `profile:` keys of hosts and devices (contract §12): a known
 * profile's values go to the keys the file has not set (profile.c); an unknown one is an
 * error that suggests the closest name or lists them all. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loadfield.h"
#include "profile.h"

/* host.profile / device.profile (contract §12): the profile's values go to every key the
 * file has not set yet; keys after it in the file override them as they load. */
static const char *want_profile(struct load_ctx *c, int node, const char *const *names, size_t stride,
				size_t n, int *idx, int (*find)(const char *))
{
	const char *s = load_want_scalar(c, node, "profile");
	const char *near;
	char list[256] = "";

	if (!s)
		return NULL;
	*idx = find(s);
	if (*idx >= 0)
		return s;
	near = load_suggest(s, names, stride, n);
	if (near) {
		diags_error(c->d, load_at(c, node), "profile: no profile '%s'; did you mean '%s'?", s, near);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = *(const char *const *)((const char *)names + i * stride);
		size_t len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", name);
	}
	diags_error(c->d, load_at(c, node), "profile: no profile '%s' (there are: %s)", s, list);
	return NULL;
}

int load_host_profile(struct load_ctx *c, int node, void *obj)
{
	int p;

	if (!want_profile(c, node, &host_profiles[0].name, sizeof(host_profiles[0]),
			  nhost_profiles, &p, profile_host_find))
		return -EINVAL;
	profile_apply_host(obj, p);
	return 0;
}

int load_device_profile(struct load_ctx *c, int node, void *obj)
{
	int p;

	if (!want_profile(c, node, &device_profiles[0].name, sizeof(device_profiles[0]),
			  ndevice_profiles, &p, profile_device_find))
		return -EINVAL;
	profile_apply_device(obj, p);
	return 0;
}

