/* SPDX-License-Identifier: MIT */
/*
 * A guest's network front end (domains/lib/netfront.c) against a hostile
 * back end (netbad.c, tests/system/systems/netfront.toml): one port per
 * attack. Each hostile port must be disconnected alone with its reason,
 * nothing handed to the guest from it; the honest port echoes frames
 * byte for byte before and after the others are disconnected.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "netfront.h"

#define PORTS 7
#define SPIN_LIMIT 200000u /* yields before giving up: a hang becomes a failure */

static const char *const names[PORTS] = { "honest", "len", "unposted", "txdone",
					   "info", "size", "jump" };
static const char *const reasons[PORTS] = { "", "frame length", "not posted", "not in flight",
					     "INFO", "wrong size", "jumped" };
static const char *const tests[PORTS] = {
	"", "netfront.len_disconnected", "netfront.unposted_disconnected",
	"netfront.txdone_disconnected", "netfront.info_disconnected",
	"netfront.size_disconnected", "netfront.jump_disconnected",
};
static struct netfront nf[PORTS];
static uint64_t slot[PORTS];
static unsigned frames[PORTS];
static uint8_t got[64];
static uint32_t got_len;

static void notify(void *arg)
{
	cloison_channel_signal(*(const uint64_t *)arg);
}

static void on_rx(void *arg, const volatile uint8_t *frame, uint32_t len)
{
	unsigned i = (unsigned)(uintptr_t)arg;

	frames[i]++;
	got_len = len;
	for (uint32_t k = 0; k < len && k < sizeof(got); k++)
		got[k] = frame[k];
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

static void frame(uint8_t *f, uint8_t tag)
{
	for (unsigned k = 0; k < 60; k++)
		f[k] = (uint8_t)(tag + k * 7);
	f[0] = 0x02; /* a unicast destination */
}

/* Poll port i until cond(i) holds or the limit; the other ports too. */
static bool wait(bool (*cond)(unsigned), unsigned i)
{
	for (unsigned spins = 0; spins < SPIN_LIMIT; spins++) {
		for (unsigned p = 0; p < PORTS; p++)
			netfront_poll(&nf[p], on_rx, (void *)(uintptr_t)p, 16);
		if (cond(i))
			return true;
		cloison_yield();
	}
	return false;
}

static bool has_info(unsigned i)
{
	return nf[i].info || nf[i].dead;
}

static bool is_dead(unsigned i)
{
	return nf[i].dead;
}

static unsigned want_frames;

static bool echoed(unsigned i)
{
	return frames[i] >= want_frames && nf[i].st.tx_done >= want_frames;
}

static bool echo_once(uint8_t tag)
{
	uint8_t f[60];

	frame(f, tag);
	want_frames = frames[0] + 1;
	if (!netfront_send(&nf[0], f, sizeof(f)) || !wait(echoed, 0))
		return false;
	for (unsigned k = 0; k < sizeof(f); k++)
		if (got[k] != f[k])
			return false;
	return got_len == sizeof(f);
}

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	uint8_t f[60];

	(void)si;
	test_begin("netfront");
	for (unsigned i = 0; i < PORTS; i++) {
		const struct cloison_start_info_cap *c = si_find(names[i]);

		if (!c || c->ipa == ~0ull)
			runtime_panic("netvictim: no channel %s", names[i]);
		slot[i] = c->slot;
		if (!netfront_setup(&nf[i], (void *)(uintptr_t)c->ipa,
				    (volatile uint8_t *)(uintptr_t)(c->ipa + NETIF_DATA_OFFSET),
				    (uint32_t)(c->size - NETIF_DATA_OFFSET), 0, notify, &slot[i], &why))
			runtime_panic("netvictim: %s: %s", names[i], why);
	}
	for (unsigned i = 0; i < PORTS; i++)
		if (!wait(has_info, i) || nf[i].dead)
			runtime_panic("netvictim: %s: no INFO (%s)", names[i],
				      nf[i].why ? nf[i].why : "timeout");
	test_report("netfront.honest_echo", echo_once(1), "the honest port's echo did not come back");

	for (unsigned i = 1; i < PORTS; i++) {
		bool ok;

		frame(f, (uint8_t)(i * 16));
		netfront_send(&nf[i], f, sizeof(f));
		ok = wait(is_dead, i) && frames[i] == 0 && contains(nf[i].why, reasons[i]);
		test_report(tests[i], ok, "port %s: dead %d, frames %u, reason '%s'", names[i],
			    nf[i].dead, frames[i], nf[i].why ? nf[i].why : "");
		if (nf[i].dead)
			print("netvictim: port %s disconnected: %s\n", names[i], nf[i].why);
	}
	test_report("netfront.honest_after_disconnects", echo_once(99) && !nf[0].dead,
		    "the honest port stopped working");
	test_end();
	runtime_poweroff();
}
