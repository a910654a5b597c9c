/* SPDX-License-Identifier: MIT */
/* Host console: the core's print() goes to stdout. */
#include <arch/console.h>

#include <stdio.h>

void arch_console_init(uint64_t base)
{
	(void)base;
}

void arch_console_putc(char c)
{
	putchar(c);
}
