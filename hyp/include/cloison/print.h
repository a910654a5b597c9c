/* SPDX-License-Identifier: MIT */
/* Formatted output on the hypervisor console. */
#ifndef CLOISON_PRINT_H
#define CLOISON_PRINT_H

#include <cloison/types.h>
#include <stdarg.h>

/*
 * Supported: %s %c %d %i %u %x %X %p %%, length modifiers l ll z, a field
 * width and the '0' and '-' flags. Anything else prints literally.
 */
void print(const char *fmt, ...) PRINTF_LIKE(1, 2);
void vprint(const char *fmt, va_list ap);
/* Format into buf (always NUL-terminated when size > 0); returns the length
 * the full output would have had. */
size_t print_to_buf(char *buf, size_t size, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
size_t vprint_to_buf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
