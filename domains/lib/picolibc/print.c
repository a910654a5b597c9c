/* SPDX-License-Identifier: MIT */
/*
 * The core's formatter interface (<cloison/std/print.h>: print(), used by
 * runtime_panic, si_cap, the test-result lines...) on picolibc's printf,
 * so that an image has one formatter: the shared library's (hyp/abi/std/print.c)
 * on the core alone, picolibc's here, with all of printf's conversions.
 */
#include <cloison/std/print.h>
#include <stdio.h>

void vprint(const char *fmt, va_list ap)
{
	vfprintf(stdout, fmt, ap);
}

void print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

size_t vprint_to_buf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	return n < 0 ? 0 : (size_t)n;
}

size_t print_to_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vprint_to_buf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
