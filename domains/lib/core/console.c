/* SPDX-License-Identifier: MIT */
/*
 * Console output through the console_write hypercall on the cap named
 * "console" (console.h). Everything a domain prints ends here: the core's
 * formatter (print(), through print_putc) and, in the picolibc
 * layer, stdout and stderr (picolibc/stdio.c).
 */
#include <cloison/std/print.h>

#include "internal.h"

static uint64_t slot = CLOISON_SLOT_NONE;
static char buf[CLOISON_CONSOLE_WRITE_MAX];
static unsigned buf_len;
static uint64_t errors;

void console_init(void)
{
	const struct cloison_start_info_cap *c = si_find("console");

	if (c && c->type == CLOISON_TYPE_CONSOLE && (c->rights & CLOISON_RIGHT_CONSOLE_WRITE))
		slot = c->slot;
}

bool console_available(void)
{
	return slot != CLOISON_SLOT_NONE;
}

uint64_t console_errors(void)
{
	return errors;
}

void console_flush(void)
{
	uint64_t w[5] = { 0 };

	if (buf_len == 0)
		return;
	/* console_write takes the bytes little-endian in x3..x7. */
	for (unsigned i = 0; i < buf_len; i++)
		w[i / 8] |= (uint64_t)(uint8_t)buf[i] << (8 * (i % 8));
	if (slot == CLOISON_SLOT_NONE ||
	    cloison_console_write(slot, buf_len, w[0], w[1], w[2], w[3], w[4]) != CLOISON_ERR_OK)
		errors++;
	buf_len = 0;
}

void console_putc(char c)
{
	buf[buf_len++] = c;
	if (c == '\n' || buf_len == sizeof(buf))
		console_flush();
}

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		console_putc(s[i]);
}

/* The shared formatter's output sink (<cloison/std/print.h>). */
void print_putc(char c)
{
	console_putc(c);
}
