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
 */
#include <domain/runtime.h>
#include <stdlib.h>
#include <string.h>

#define BEAT_MS 200u

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

	for (unsigned n = 1;; n++) {
		vtimer_sleep_ms(BEAT_MS);
		if (beat)
			printf("heartbeat %u (%.3f s)\n", n,
			       (double)vtimer_ticks_to_us(vtimer_now() - t0) / 1e6);
	}
}
