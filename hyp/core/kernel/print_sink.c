/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's output sink for the shared formatter (<cloison/std/print.h>):
 * every character print() produces goes to the board's UART. A domain's
 * console output takes another path (console.c: line buffered, prefixed,
 * rate limited) and ends here too.
 */
#include <arch/console.h>
#include <cloison/std/print.h>

void print_putc(char c)
{
	arch_console_putc(c);
}
