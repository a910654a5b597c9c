/* SPDX-License-Identifier: MIT */
/*
 * Example guest on the domain runtime: a banner with what the start-info
 * page says about this domain, then a numbered heartbeat line every
 * BEAT_MS of virtual time, sleeping in WFI in between (the hypervisor
 * charges a sleeping domain nothing). Several of these in one system show
 * their lines interleaving on the console, each prefixed with its name.
 *
 * The heartbeat lines are printed only by a domain that holds a cap named
 * "heartbeat" (a console cap with the write right): five lines a second
 * per guest would scroll dom0's prompt away, so the default system leaves
 * them out and toolstack/systems/default-verbose.toml (`toolstack/run
 * --verbose`) adds the cap. A quiet guest still wakes every BEAT_MS.
 *
 * A guest whose "console" cap has the input right (dom0 gives it to the
 * guests it creates) echoes the keys it reads and answers each line with
 * `heard 'LINE'`: what dom0's `console NAME` shows (docs/dom0.md); the
 * line `stop` stops it (the core stops a domain that faults on purpose).
 */
#include <domain/runtime.h>
#include <stdlib.h>
#include <string.h>

#define BEAT_MS 200u

static volatile bool input_ready;

void irq_handler(uint32_t intid)
{
	if (intid == CLOISON_VIRQ_CONSOLE_INPUT)
		input_ready = true;
}

/* Echo what was typed; a line ends with Enter. */
static void take_input(uint64_t console)
{
	static char line[64];
	static unsigned n;
	uint64_t len, b[5];

	while (cloison_console_read(console, &len, &b[0], &b[1], &b[2], &b[3], &b[4]) ==
		       CLOISON_ERR_OK &&
	       len) {
		for (unsigned i = 0; i < len; i++) {
			char c = (char)(b[i / 8] >> (8 * (i % 8)));

			if (c == '\r' || c == '\n') {
				line[n] = '\0';
				printf("\nheard '%s'\n", line);
				if (strcmp(line, "stop") == 0) {
					fflush(stdout);
					runtime_fault(); /* the core stops it */
				}
				n = 0;
			} else if (c >= ' ' && c <= '~' && n + 1 < sizeof(line)) {
				line[n++] = c;
				putchar(c);
			}
		}
		fflush(stdout);
	}
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t t0 = vtimer_now();
	bool beat = si_find("heartbeat") != NULL;
	char *caps = calloc(1, CLOISON_START_INFO_MAX_CAPS * CLOISON_START_INFO_NAME_LEN);

	if (!caps)
		runtime_panic("out of memory");
	for (uint32_t i = 0; i < si->n_caps && i < CLOISON_START_INFO_MAX_CAPS; i++) {
		strcat(caps, i ? ", " : "");
		strncat(caps, si->caps[i].name, CLOISON_START_INFO_NAME_LEN - 1);
	}
	printf("hello from %s: domain %u, %llu MiB of RAM at 0x%llx, ABI %u.%u, caps: %s\n",
	       si_name(), si->domain_id - 1, /* the policy's domain index (docs/dom0.md) */
	       (unsigned long long)(si->mem_size >> 20),
	       (unsigned long long)si->mem_ipa, si->abi_major, si->abi_minor,
	       caps[0] ? caps : "(none)");
	free(caps);

	const struct cloison_start_info_cap *con = si_find("console");
	bool input = con && (con->rights & CLOISON_RIGHT_CONSOLE_INPUT);

	if (input && irq_enable(CLOISON_VIRQ_CONSOLE_INPUT, 0x80) != CLOISON_ERR_OK)
		input = false;
	for (unsigned n = 1;; n++) {
		uint64_t until = vtimer_now() + vtimer_freq() * BEAT_MS / 1000u, now;

		/* A key wakes it early; the beat keeps its period (a key that
		 * comes just before the wait is read at the latest a beat later). */
		while ((now = vtimer_now()) < until) {
			input_ready = false;
			if (input)
				take_input(con->slot);
			if (!input_ready)
				vtimer_wait_us(vtimer_ticks_to_us(until - now) + 1);
		}
		if (beat)
			printf("heartbeat %u (%.3f s)\n", n,
			       (double)vtimer_ticks_to_us(vtimer_now() - t0) / 1e6);
	}
}
