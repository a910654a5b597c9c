/* SPDX-License-Identifier: MIT */
/*
 * A second domain holding the console input (tests/system/scenarios/
 * console-focus.toml): it prints each line it reads as `read 'LINE'`, so the
 * test sees which domain the keys reached, and shows a prompt while it waits.
 */
#include <domain/core.h>

static volatile bool input_ready;

void irq_handler(uint32_t vintid)
{
	if (vintid == CLOISON_VIRQ_CONSOLE_INPUT)
		input_ready = true;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t console = si_cap("console"), len, b[5];
	char line[64];
	unsigned n = 0;

	(void)si;
	irq_enable(CLOISON_VIRQ_CONSOLE_INPUT, 0x80);
	irq_unmask();
	print("typist> ");
	console_flush();
	for (;;) {
		input_ready = false;
		if (cloison_console_read(console, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) !=
		    CLOISON_ERR_OK)
			len = 0;
		if (len == 0) {
			while (!input_ready)
				__asm__ volatile("wfi");
			continue;
		}
		for (unsigned i = 0; i < len; i++) {
			char c = (char)(b[i / 8] >> (8 * (i % 8)));

			if (c == '\r') {
				line[n] = '\0';
				print("\nread '%s'\ntypist> ", line);
				console_flush();
				n = 0;
			} else if (n + 1 < sizeof(line)) {
				line[n++] = c;
			}
		}
	}
}
