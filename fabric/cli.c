/* cli.c - helpers of the command line (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"

extern const char mriov_default_topology[];
extern const size_t mriov_default_topology_len;
extern const char mriov_default_topology_path[];

int cli_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "mriovsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'mriovsim --help'.\n");
	return EXIT_USAGE;
}

int cli_sets_add(struct cli_sets *s, char *arg)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	s->v[s->n++] = arg;
	return 0;
}

struct topo *cli_load(const char *path, const struct cli_sets *sets)
{
	struct diags d;
	struct topo *t;

	diags_init(&d);
	if (path)
		t = topo_load_file(path, sets->v, sets->n, &d);
	else
		t = topo_load_buffer(mriov_default_topology, mriov_default_topology_len,
				     mriov_default_topology_path, sets->v, sets->n, &d);
	if (!t)
		diags_print(&d, stderr);
	diags_free(&d);
	return t;
}

int cli_make_dirs(const char *dir)
{
	char buf[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, dir, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}
