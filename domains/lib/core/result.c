/* SPDX-License-Identifier: MIT */
/* Test-result lines in the system-test runner's format (result.h). */
#include <stdarg.h>

#include <domain/result.h>

#include "internal.h"

static const char *suite;
static unsigned passed, failed;

/*
 * Called before each result line. Nothing here: a test domain on the core
 * alone prints fewer lines than the hypervisor's console rate limit lets
 * through at once, and pacing would need the timer interrupt, which such a
 * domain handles itself. The picolibc layer paces (picolibc/test.c).
 */
__attribute__((weak)) void test_pace(void)
{
}

void test_begin(const char *name)
{
	suite = name;
	passed = failed = 0;
	console_flush();
	print("TEST-BEGIN %s\n", name);
}

unsigned test_end(void)
{
	print("TEST-END %s passed=%u failed=%u\n", suite, passed, failed);
	console_flush();
	return failed;
}

unsigned test_passed(void)
{
	return passed;
}

unsigned test_failed(void)
{
	return failed;
}

void test_report(const char *name, bool ok, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	test_pace();
	if (ok) {
		passed++;
		print("TEST %s PASS\n", name);
		return;
	}
	failed++;
	va_start(ap, fmt);
	vprint_to_buf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print("TEST %s FAIL ", name);
	if (!msg[0])
		print("(no message)");
	/* The runner reads one line per result: no line break in a message. */
	for (const char *s = msg; *s; s++)
		console_putc(*s == '\n' || *s == '\r' ? ' ' : *s);
	console_putc('\n');
}
