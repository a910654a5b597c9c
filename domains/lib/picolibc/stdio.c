/* SPDX-License-Identifier: MIT */
/*
 * picolibc's stdin, stdout and stderr on the console: output through the
 * core's line buffer (core/console.c), input with the console_read
 * hypercall (console.h).
 */
#include "internal.h"

int console_getc(void)
{
	static uint8_t in[CLOISON_CONSOLE_WRITE_MAX];
	static unsigned in_len, in_pos;
	const struct cloison_start_info_cap *c = si_find("console");

	/* console_available(): the cap is a console with the write right. */
	if (!console_available() || !(c->rights & CLOISON_RIGHT_CONSOLE_INPUT))
		return -1;
	while (in_pos == in_len) {
		uint64_t len = 0, b[5] = { 0 };

		console_flush(); /* a prompt should be visible before we wait */
		if (cloison_console_read(c->slot, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) !=
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
