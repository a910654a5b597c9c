/* SPDX-License-Identifier: MIT */
/* The counters on net-dom's console (stats.h). */
#include <domain/core.h>

#include "port.h"
#include "stats.h"

static uint64_t console_slot;
static char line[32];
static uint32_t line_len;

bool stats_init(void)
{
	const struct cloison_start_info_cap *c = si_find("console");

	if (!c || c->type != CLOISON_TYPE_CONSOLE || !(c->rights & CLOISON_RIGHT_CONSOLE_INPUT))
		return false;
	console_slot = c->slot;
	irq_enable(CLOISON_VIRQ_CONSOLE_INPUT, 0xb0);
	return true;
}

static const char *port_name(const struct port *p)
{
	return p->guest ? p->cfg.cap : "uplink";
}

void stats_print(void)
{
	for (uint32_t i = 0; i < n_ports; i++) {
		const struct port *p = &ports[i];
		char drops[24 * DROP_REASONS];
		uint32_t n = 0;

		drops[0] = 0;
		for (uint32_t d = 0; d < DROP_REASONS && n < sizeof(drops); d++)
			if (p->drops[d])
				n += (uint32_t)print_to_buf(drops + n, sizeof(drops) - n, " %s=%llu",
							    drop_names[d],
							    (unsigned long long)p->drops[d]);
		print("counters port %u %s%s: in %llu/%llu out %llu/%llu frames/bytes, copied "
		      "%llu header %llu payload bytes; drops%s\n",
		      i, port_name(p), p->disabled ? " (disabled)" : "",
		      (unsigned long long)p->in_frames, (unsigned long long)p->in_bytes,
		      (unsigned long long)p->out_frames, (unsigned long long)p->out_bytes,
		      (unsigned long long)p->hdr_copied, (unsigned long long)p->payload_copied,
		      n ? drops : " none");
	}
}

static void answer(void)
{
	line[line_len] = 0;
	if (strcmp(line, "counters") == 0)
		stats_print();
	else if (line_len)
		print("net-dom: '%s' is not a command; the only one is 'counters'\n", line);
	line_len = 0;
}

void stats_input(void)
{
	for (;;) {
		uint64_t len = 0, b[5] = { 0 };

		if (cloison_console_read(console_slot, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) !=
			    CLOISON_ERR_OK ||
		    len == 0 || len > sizeof(b))
			return;
		for (uint32_t i = 0; i < len; i++) {
			char c = (char)(b[i / 8] >> (8 * (i % 8)));

			if (c == '\r' || c == '\n')
				answer();
			else if (line_len < sizeof(line) - 1)
				line[line_len++] = c;
		}
	}
}
