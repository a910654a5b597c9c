/* SPDX-License-Identifier: MIT */
/*
 * The test registry (test.h): TEST() cases run in source order, their
 * first failure kept as the message of their result line. The lines
 * themselves are the core's (core/result.c).
 */
#include <stdarg.h>
#include <string.h>

#include <domain/test.h>

#include "internal.h"

extern const struct test_case __domain_tests_start[], __domain_tests_end[];

/*
 * The hypervisor rate-limits each domain's console by lines (a burst of
 * 256, then 1000 lines/s) and drops the excess; a lost result line would
 * turn a run into a CRASH. core/result.c calls this before each result
 * line, to keep them below that: a burst of PACE_BURST, then one per
 * PACE_US (sleeping on the virtual timer, which this layer owns).
 */
#define PACE_BURST 100u
#define PACE_US 2000u
static uint64_t pace_tokens = PACE_BURST, pace_last;

void test_pace(void)
{
	uint64_t per = vtimer_freq() * PACE_US / 1000000u, now = vtimer_now(), add;

	if (per == 0)
		return;
	if (pace_last == 0)
		pace_last = now;
	add = (now - pace_last) / per;
	if (add) {
		pace_tokens = pace_tokens + add > PACE_BURST ? PACE_BURST : pace_tokens + add;
		pace_last += add * per;
	}
	if (pace_tokens == 0) {
		vtimer_sleep_us(PACE_US);
		pace_last = vtimer_now();
		pace_tokens = 1;
	}
	pace_tokens--;
}

/* The running test: its first failure, and how many more followed. */
static struct {
	bool failed;
	unsigned more;
	char msg[200];
} cur;

void test_fail_at(const char *file, int line, const char *fmt, ...)
{
	const char *base = strrchr(file, '/');
	va_list ap;
	int n;

	if (cur.failed) {
		cur.more++;
		return;
	}
	cur.failed = true;
	n = snprintf(cur.msg, sizeof(cur.msg), "%s:%d: ", base ? base + 1 : file, line);
	if (n < 0 || (size_t)n >= sizeof(cur.msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(cur.msg + n, sizeof(cur.msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

static int order(const struct test_case *a, const struct test_case *b)
{
	int c = strcmp(a->file, b->file);

	return c ? c : a->line - b->line;
}

/* Registration order in the section is whatever the compiler and linker
 * chose; run in (file, line) order so tests that build on each other's
 * effects see them. Selection of the next one: O(n^2), n is small and
 * this needs no memory. */
static const struct test_case *next_after(const struct test_case *prev)
{
	const struct test_case *best = NULL;

	for (const struct test_case *t = __domain_tests_start; t < __domain_tests_end; t++) {
		if (prev && order(t, prev) <= 0)
			continue;
		if (!best || order(t, best) < 0)
			best = t;
	}
	return best;
}

unsigned test_run(const char *name)
{
	char full[96];

	test_begin(name);
	for (const struct test_case *t = next_after(NULL); t; t = next_after(t)) {
		memset(&cur, 0, sizeof(cur));
		t->fn();
		if (cur.more) {
			size_t len = strlen(cur.msg);

			snprintf(cur.msg + len, sizeof(cur.msg) - len, " (+%u more)", cur.more);
		}
		snprintf(full, sizeof(full), "%s.%s", t->group, t->name);
		test_report(full, !cur.failed, "%s", cur.msg);
	}
	return test_end();
}
