/* plots.c - run gnuplot over a results directory. */
#include "plots.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void write_script(FILE *f, const char *title, char *const *hosts, size_t nhosts)
{
	fprintf(f, "set datafile separator ','\n"
		   "set terminal svg size 900,500 dynamic enhanced font 'sans,12' background '#ffffff'\n"
		   "set key outside right top\n"
		   "set grid ytics\n"
		   "set output 'throughput.svg.tmp'\n"
		   "set title '%s: throughput per host'\n"
		   "set ylabel 'throughput (Gb/s, payload)'\n"
		   "set xlabel 'host'\n"
		   "set style fill solid 0.8 border -1\n"
		   "set boxwidth 0.6\n"
		   "set yrange [0:*]\n"
		   "set xtics rotate by 45 right\n"
		   "plot 'hosts.csv' skip 1 using 0:3:xtic(1) with boxes lc rgb '#3b75af' "
		   "title 'achieved'\n"
		   "unset xtics\nset xtics\n"
		   "set output 'timeseries.svg.tmp'\n"
		   "set title '%s: throughput over time'\n"
		   "set xlabel 'simulated time (us)'\n"
		   "set ylabel 'throughput (Gb/s, payload)'\n"
		   "hosts = \"",
		title, title);
	for (size_t i = 0; i < nhosts; i++)
		fprintf(f, "%s%s", i ? " " : "", hosts[i]);
	/* timeseries.csv holds one row per (bin, host), hosts in file order within a bin */
	fprintf(f, "\"\n"
		   "plot for [i=0:%zu] 'timeseries.csv' skip 1 every %zu::i using 1:3 "
		   "with lines lw 2 title word(hosts, i + 1)\n"
		   "set output\n",
		nhosts ? nhosts - 1 : 0, nhosts ? nhosts : 1);
}

static int run_gnuplot(const char *dir)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = {"gnuplot", "plots.gp", NULL};
	pid_t pid;
	int status, err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "plots.log", O_WRONLY | O_CREAT | O_TRUNC, 0666);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	/* gnuplot reads and writes relative to the results directory */
	char *cwd = getcwd(NULL, 0);
	if (!cwd || chdir(dir) != 0) {
		err = -errno;
		free(cwd);
		posix_spawn_file_actions_destroy(&fa);
		return err;
	}
	err = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	if (chdir(cwd) != 0 && !err)
		err = errno;
	free(cwd);
	posix_spawn_file_actions_destroy(&fa);
	if (err)
		return -err;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPROTO;
}

int plots_draw(const char *dir, const char *title, char *const *hosts, size_t nhosts)
{
	static const char *const outs[] = {"throughput.svg", "timeseries.svg"};
	char path[4096], tmp[4096];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/plots.gp", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	write_script(f, title, hosts, nhosts);
	if (fclose(f) != 0)
		return -EIO;
	err = run_gnuplot(dir);
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outs[i]);
		snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, outs[i]);
		if (!err && rename(tmp, path) != 0)
			err = -errno;
		unlink(tmp);
	}
	if (!err) {
		snprintf(path, sizeof(path), "%s/plots.log", dir);
		unlink(path);
	}
	return err;
}
