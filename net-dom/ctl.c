/* SPDX-License-Identifier: MIT */
/* The test rig's control frames (ctl.h); built into test images only. */
#include <domain/core.h>

#include "bridge.h"
#include "clock.h"
#include "natport.h"
#include "ctl.h"
#include "port.h"
#include "router.h"
#include "uplink.h"

extern uint64_t stray_notifications;

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void reply(const struct pkt *k, uint8_t cmd, const struct port *p)
{
	/* The counters follow the 16-byte header from private memory (more
	 * than the TX scratch holds); one answer at a time, the rig waits
	 * for each. */
	static _Alignas(64) uint8_t body[(DROP_REASONS + 16) * 8];
	uint8_t *s = vnet_tx_scratch(&nic);
	uint32_t n = 0;

	if (!s)
		return;
	memcpy(s, pkt_src(k), 6);
	memcpy(s + 6, ports[UPLINK].cfg.mac, 6);
	put16(s + 12, ETH_P_BARRIER);
	s[14] = cmd | 0x80;
	s[15] = p ? (uint8_t)p->index : 0;
	if (p) {
		uint64_t v[] = { p->disabled, p->in_frames, p->in_bytes, p->out_frames,
				 p->out_bytes, p->hdr_copied, p->payload_copied, p->first_in,
				 p->last_in, vtimer_freq(), bridge_learned(), p->posted_n,
				 stray_notifications };

		for (uint32_t d = 0; d < DROP_REASONS; d++, n += 8)
			put64(body + n, p->drops[d]);
		for (uint32_t i = 0; i < sizeof(v) / sizeof(v[0]); i++, n += 8)
			put64(body + n, v[i]);
	}
	vnet_tx(&nic, 16, n ? si_ram_pa(body) : 0, n, TAG_NONE);
}

void ctl_input(const struct pkt *k)
{
	uint8_t cmd[5] = { 0 };

	for (uint32_t i = 0; i < 5 && i < k->rest_len; i++)
		cmd[i] = k->rest[i];
	switch (cmd[0]) {
	case CTL_RESET:
		clock_skew = 0;
		bridge_flush(NULL);
		router_reset();
		natport_reset();
		for (uint32_t i = 0; i < n_ports; i++)
			port_reset_counters(&ports[i]);
		reply(k, cmd[0], NULL);
		break;
	case CTL_COUNTERS:
		if (cmd[1] < n_ports)
			reply(k, cmd[0], &ports[cmd[1]]);
		break;
	case CTL_ADVANCE:
		clock_skew += clock_seconds((uint64_t)cmd[1] | (uint64_t)cmd[2] << 8 |
					    (uint64_t)cmd[3] << 16 | (uint64_t)cmd[4] << 24);
		reply(k, cmd[0], NULL);
		break;
	default:
		break;
	}
}
