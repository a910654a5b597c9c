/* SPDX-License-Identifier: MIT */
/*
 * Formatted output, shared by the hypervisor and the domains (the shared
 * freestanding library, hyp/abi/std). Self-contained: it needs only the
 * compiler's <stddef.h> and <stdarg.h>.
 */
#ifndef CLOISON_STD_PRINT_H
#define CLOISON_STD_PRINT_H

#include <stdarg.h>
#include <stddef.h>

#ifndef PRINTF_LIKE
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#endif

/* The output sink: print() and vprint() write every character through it.
 * Each side defines it once: the hypervisor on its UART (hyp/core/kernel/
 * console.c), a domain through its console capability (domains/lib/core/
 * console.c). */
void print_putc(char c);

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
