/* SPDX-License-Identifier: MIT */
/* On the host a broken invariant aborts the test process (and shows up under ASan/gdb). */
#include <cloison/panic.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "PANIC: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}
