/* SPDX-License-Identifier: MIT */
/*
 * The peer of test-hypercalls (test-hypercalls.toml): built but not
 * started at boot. Once test-hypercalls starts it, it
 *  1. signals "ping" (a badged cap on test-hypercalls' "note"),
 *  2. blocks in notification_wait on "gate" until test-hypercalls opens it,
 *  3. echoes on the channel for ever: each time its end is signalled it
 *     writes shared[1] = shared[0] + 1 in the channel page and signals
 *     back, waiting for the next in the same call (channel_signal_wait).
 */
#include <domain/runtime.h>

int domain_main(const struct cloison_start_info *si)
{
	uint64_t chan = si_cap("chan"), ping = si_cap("ping"), gate = si_cap("gate");
	volatile uint64_t *shared = (volatile uint64_t *)(uintptr_t)si_find("chan")->ipa;
	uint64_t word = 0, err, n = 0;

	printf("started\n");
	err = cloison_notification_signal(ping);
	printf("signalled ping: %s; waiting on gate\n", cloison_err_name(err));
	err = cloison_notification_wait(gate, &word);
	printf("gate: %s, word 0x%llx; echoing on the channel\n", cloison_err_name(err),
	       (unsigned long long)word);
	/* Answer and wait for the next one in a single call, as a driver. */
	err = cloison_channel_wait(chan, &word);
	while (err == CLOISON_ERR_OK) {
		shared[1] = shared[0] + 1;
		n++;
		err = cloison_channel_signal_wait(chan, chan, &word);
	}
	printf("channel_signal_wait: %s after %llu echoes\n", cloison_err_name(err),
	       (unsigned long long)n);
	return 0;
}
