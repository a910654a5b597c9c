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

void arch_console_rx_enable(void)
{
}

bool arch_console_getc(char *c)
{
	(void)c;
	return false;
}
