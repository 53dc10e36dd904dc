/* check_oom.c - running out of memory while loading is reported as such: the program's own
 * allocations (malloc, calloc, realloc, wrapped at link time with ld --wrap) fail one at a
 * time, the N-th for N = 1, 2, ... until a load makes fewer than N, and every load must end
 * either with the topology or with "out of memory", never with a crash or a false error
 * about the input. libyaml's and libc's own allocations are not wrapped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static long fail_at; /* the allocation that fails, counted from 1; 0: none */
static long calls;

static int fails(void)
{
	return fail_at > 0 && ++calls == fail_at;
}

void *__wrap_malloc(size_t n)
{
	return fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fails() ? NULL : __real_realloc(p, n);
}

static const char oom[] = "t.yaml: error: out of memory\n";

/* Load yaml with allocation n failing; the diagnostics go to err. 1 when the load made
 * fewer than n allocations (nothing failed). */
static int load_failing(const char *yaml, long n, struct topo **t, char *err, size_t len)
{
	err[0] = '\0';
	calls = 0;
	fail_at = n;
	*t = tu_load(yaml, NULL, 0, err, len);
	fail_at = 0;
	return calls < n;
}

/* A valid chassis: each failure gives exactly one "out of memory" line and no topology. */
START_TEST(test_every_allocation_failure_says_out_of_memory)
{
	char err[4096];
	long n;
	struct topo *t;

	for (n = 1; n < 100000; n++) {
		int done = load_failing(tu_two_hosts, n, &t, err, sizeof(err));
		if (done) {
			ck_assert_msg(t != NULL && err[0] == '\0', "without a failure: %s", err);
			topo_destroy(t);
			break;
		}
		if (t) { /* a failure the loader may absorb: none is expected in the loader */
			topo_destroy(t);
			ck_abort_msg("allocation %ld failed and the load still succeeded", n);
		}
		ck_assert_msg(strcmp(err, oom) == 0, "allocation %ld failed: '%s'", n, err);
	}
	ck_assert_int_gt(n, 20); /* the load allocates: the loop above tested something */
}
END_TEST

/* A chassis whose links form a cycle: the cycle is reported, or memory ran out (before it:
 * only that; after it: both; while storing its message: diag.c's own line), but never a
 * half-made cycle message or none at all. */
START_TEST(test_cycle_search_out_of_memory_is_not_a_false_cycle)
{
	static const char yaml[] =
		"name: c\n"
		"hosts: [{name: h0}]\n"
		"switches: [{name: s1}, {name: s2}]\n"
		"devices: [{name: d, total_vfs: 2}]\n"
		"links: [{a: h0, b: s1, gen: 3, width: 4}, {a: s1, b: s2, gen: 3, width: 4, name: p},"
		" {a: s2, b: s1, gen: 3, width: 4, name: q}, {a: s2, b: d, gen: 3, width: 4}]\n"
		"assign: [{host: h0, device: d, vfs: 1}]\n";
	static const char cycle[] = "t.yaml:5:86: error: links form a cycle: p, q\n";
	static const char storing[] = "mriovsim: error: out of memory while reporting errors\n";
	char err[4096], both[256];
	long n;
	struct topo *t;

	snprintf(both, sizeof(both), "%s%s", oom, cycle);
	ck_assert_int_eq(load_failing(yaml, 0, &t, err, sizeof(err)), 0);
	ck_assert_str_eq(err, cycle);
	for (n = 1; n < 100000; n++) {
		int done = load_failing(yaml, n, &t, err, sizeof(err));
		ck_assert_ptr_null(t);
		if (done) {
			ck_assert_str_eq(err, cycle);
			break;
		}
		ck_assert_msg(strcmp(err, cycle) == 0 || strcmp(err, oom) == 0 ||
			      strcmp(err, both) == 0 || strcmp(err, storing) == 0,
			      "allocation %ld failed: '%s'", n, err);
	}
	ck_assert_int_gt(n, 20);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, test_every_allocation_failure_says_out_of_memory);
	tcase_add_test(tc, test_cycle_search_out_of_memory_is_not_a_false_cycle);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
