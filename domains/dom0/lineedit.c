/* SPDX-License-Identifier: MIT */
/*
 * dom0's line editor: the shell's keys, applied to the bytes the terminal
 * sends, and echoed as they are typed. dom0 has the console input (the
 * hypervisor's focus, docs/dom0.md), so the hypervisor shows its partial
 * line at once and turns a backspace into an erase on screen (hyp/core/
 * kernel/console.c): the editor writes the characters typed, '\b' for each
 * one removed, and '\n' when Enter ends the line.
 *
 * Keys: printable characters, backspace (0x7f or 0x08), Ctrl-U (erase the
 * line), Ctrl-C (drop it), up/down arrows (history). Escape sequences (ESC [
 * or ESC O, parameters, one final byte, ECMA-48 §5.4) are read whole, so an
 * arrow key is never taken for the text "[A".
 */
#include <domain/core.h>

#include "lineedit.h"

#define LINE_MAX 64

static uint64_t console;
static volatile bool input_ready;
/* The last LINE_HISTORY lines run, oldest overwritten first. */
static char history[LINE_HISTORY][LINE_MAX];
static unsigned nhistory;

void line_init(uint64_t console_slot)
{
	console = console_slot;
}

void line_input_ready(void)
{
	input_ready = true;
}

/* Take the next input byte, sleeping until input arrives. */
static char getc_wait(void)
{
	static uint64_t b[5];
	static uint64_t len, pos;

	while (pos == len) {
		input_ready = false;
		pos = 0;
		if (cloison_console_read(console, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) !=
		    CLOISON_ERR_OK)
			len = 0;
		if (len == 0)
			while (!input_ready)
				__asm__ volatile("wfi");
	}
	pos++;
	return (char)(b[(pos - 1) / 8] >> (8 * ((pos - 1) % 8)));
}

static void erase(size_t n)
{
	while (n--)
		print("\b");
}

/* Replace the n characters being edited by history entry `back` (1 = the
 * last line run; 0 = an empty line); returns the new length. */
static size_t recall(char *buf, size_t n, size_t size, unsigned back)
{
	const char *h = back ? history[(nhistory - back) % LINE_HISTORY] : "";

	erase(n);
	for (n = 0; h[n] && n + 1 < size; n++)
		buf[n] = h[n];
	buf[n] = '\0';
	print("%s", buf);
	return n;
}

void line_read(const char *prompt, char *buf, size_t size)
{
	size_t n = 0;
	unsigned back = 0, esc = 0;
	bool too_long = false;

	print("%s> ", prompt);
	for (;;) {
		char c;

		console_flush(); /* what was echoed shows now, not at the line's end */
		c = getc_wait();
		if (esc == 1) {
			esc = (c == '[' || c == 'O') ? 2 : 0;
			continue;
		}
		if (esc == 2) {
			if (c >= 0x40 && c <= 0x7e) {
				esc = 0;
				if (c == 'A' && back < nhistory && back < LINE_HISTORY)
					n = recall(buf, n, size, ++back);
				else if (c == 'B' && back > 0)
					n = recall(buf, n, size, --back);
				else
					continue;
				too_long = false;
			}
			continue;
		}
		if (c == 0x1b) {
			esc = 1;
		} else if (c == '\r' || c == '\n') {
			buf[n] = '\0';
			print("\n");
			if (n && !too_long)
				return;
			if (too_long)
				print("line too long: at most %lu characters\n", size - 1);
			print("%s> ", prompt);
			n = 0;
			too_long = false;
			back = 0;
		} else if (c == 0x7f || c == '\b') {
			if (n) {
				n--;
				erase(1);
			}
		} else if (c == 0x15) { /* Ctrl-U */
			erase(n);
			n = 0;
			too_long = false;
		} else if (c == 0x03) { /* Ctrl-C */
			print("^C\n%s> ", prompt);
			n = 0;
			back = 0;
			too_long = false;
		} else if (c >= ' ' && c < 0x7f) {
			if (n + 1 < size) {
				buf[n++] = c;
				print("%c", c);
			} else {
				too_long = true;
			}
		}
	}
}

void line_remember(const char *line)
{
	if (nhistory && strcmp(history[(nhistory - 1) % LINE_HISTORY], line) == 0)
		return;
	memcpy(history[nhistory % LINE_HISTORY], line, strlen(line) + 1); /* fits: < LINE_MAX */
	nhistory++;
}
