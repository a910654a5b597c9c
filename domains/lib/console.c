/* SPDX-License-Identifier: MIT */
/*
 * Console output and input over the console hypercalls, and picolibc's
 * stdin/stdout/stderr on top of them (console.h).
 */
#include <string.h>

#include "internal.h"

static uint64_t slot = CLOISON_SLOT_NONE;
static bool can_read;
static char buf[CLOISON_CONSOLE_WRITE_MAX];
static unsigned buf_len;
static uint64_t errors;

void console_init(void)
{
	const struct cloison_start_info_cap *c = si_find("console");

	if (c && c->type == CLOISON_TYPE_CONSOLE &&
	    (c->rights & CLOISON_RIGHT_CONSOLE_WRITE)) {
		slot = c->slot;
		can_read = (c->rights & CLOISON_RIGHT_CONSOLE_INPUT) != 0;
	}
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

int console_getc(void)
{
	static uint8_t in[CLOISON_CONSOLE_WRITE_MAX];
	static unsigned in_len, in_pos;

	if (!can_read)
		return -1;
	while (in_pos == in_len) {
		uint64_t len = 0, b[5] = { 0 };

		console_flush(); /* a prompt should be visible before we wait */
		if (cloison_console_read(slot, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) !=
			    CLOISON_ERR_OK ||
		    len > sizeof(in))
			return -1;
		if (len == 0) {
			cloison_yield();
			continue;
		}
		for (unsigned i = 0; i < len; i++)
			in[i] = (uint8_t)(b[i / 8] >> (8 * (i % 8)));
		in_len = (unsigned)len;
		in_pos = 0;
	}
	return in[in_pos++];
}

/* picolibc tinystdio hooks. */
static int stdio_put(char c, FILE *f)
{
	(void)f;
	console_putc(c);
	return (unsigned char)c;
}

static int stdio_get(FILE *f)
{
	int c = console_getc();

	(void)f;
	return c < 0 ? EOF : c;
}

static int stdio_flush(FILE *f)
{
	(void)f;
	console_flush();
	return 0;
}

static FILE console_file = FDEV_SETUP_STREAM(stdio_put, stdio_get, stdio_flush, _FDEV_SETUP_RW);
FILE *const stdin = &console_file;
FILE *const stdout = &console_file;
FILE *const stderr = &console_file;
