/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's output sink for the shared formatter (<cloison/std/print.h>):
 * every character print() produces goes to the board's UART. A domain's
 * console output takes another path (console.c: line buffered, prefixed,
 * rate limited) and ends here too.
 *
 * While the console shows a domain's partial line (the prompt of the domain
 * that has the console input), the hypervisor's own messages must not be
 * glued to it: the first character printed by anyone but console.c ends
 * that line first and tells console.c it is no longer on screen.
 */
#include <arch/console.h>
#include <cloison/console.h>
#include <cloison/std/print.h>

static void (*partial_broken)(void);

void print_sink_partial(void (*broken)(void))
{
	partial_broken = broken;
}

void print_putc(char c)
{
	if (partial_broken) {
		void (*broken)(void) = partial_broken;

		partial_broken = NULL;
		arch_console_putc('\n');
		broken();
	}
	arch_console_putc(c);
}
