/* SPDX-License-Identifier: MIT */
/*
 * Console output through the console_write hypercall on the cap named
 * "console" (core/console.c). print() and, in the picolibc layer, stdout
 * and stderr write here (console_getc, stdin, is in runtime.h). Bytes are gathered and sent
 * CLOISON_CONSOLE_WRITE_MAX (40) at a time or at each '\n'; the hypervisor
 * assembles whole lines and prefixes each with "[domain-name] ". Write
 * whole lines: the hypervisor rate-limits each domain by lines.
 *
 * Not for interrupt handlers: the line buffer is shared with the main
 * flow, so a handler's bytes would land in the middle of its line.
 */
#ifndef DOMAIN_CONSOLE_H
#define DOMAIN_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_putc(char c);
void console_write(const char *s, size_t len);
/* Send what is buffered (a partial line) now. */
void console_flush(void);
/* False if the domain holds no "console" cap with the write right: output
 * is then dropped (and counted). */
bool console_available(void);
/* console_write calls the hypervisor refused (or bytes dropped without a
 * console): a domain that floods sees the rate limit only in the
 * hypervisor's own report, not here. */
uint64_t console_errors(void);

#endif
