/* wholefile.c - whole-file writes through a temporary name and rename(2). */
#include "wholefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int wholefile_write(const char *path, int (*fill)(void *arg, FILE *f), void *arg)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f;
	int fd, err;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	/* mkstemp makes the file 0600; give it the mode a plain fopen would */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		err = -errno;
		close(fd);
		goto fail;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto fail;
	}
	err = fill(arg, f);
	if (fflush(f) != 0 && !err)
		err = -errno;
	if (ferror(f) && !err)
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (err)
		goto fail;
	if (rename(tmp, path) != 0) {
		err = -errno;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return err;
}
