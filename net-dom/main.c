/* SPDX-License-Identifier: MIT */
/*
 * net-dom: the virtual switch (docs/net-dom.md). It owns the uplink NIC
 * (a virtio-net device: registers and interrupt are caps) and serves one
 * port per guest channel (docs/net-protocol.md); the ports, their modes
 * and addresses come from the system description ([[uplink]],
 * [[netport]]). Guests are served in turn, a bounded batch each, so a
 * guest that floods waits behind its own frames; one that breaks the
 * protocol is disabled alone.
 */
#include <domain/core.h>

#include "clock.h"
#include "config.h"
#include "connect.h"
#include "natport.h"
#include "port.h"
#include "stats.h"
#include "switch.h"
#include "uplink.h"

#define NIC_VIRQ 40u
#define GUEST_VIRQ 41u   /* every port's channel: the handler only wakes us */
#define STRAY_VIRQ 42u   /* channels the table does not name (C-1) */
#define BATCH 8u         /* frames taken from one source per round */

uint64_t clock_skew;
uint64_t stray_notifications;
static volatile bool console_input;
void uplink_irq(void);

void irq_handler(uint32_t vintid)
{
	if (vintid == NIC_VIRQ)
		uplink_irq();
	else if (vintid == CLOISON_VIRQ_CONSOLE_INPUT)
		console_input = true;
	else if (vintid == CLOISON_VIRQ_VTIMER) /* lower the (level) output (D11.2) */
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(3ull));
	else if (vintid == STRAY_VIRQ)
		stray_notifications++;
}

/* WFI, and with `poll` no longer than a millisecond: the EL1 virtual
 * timer (Arm ARM D11.2: CNTV_TVAL_EL0 counts down, CNTV_CTL_EL0 bit 0
 * ENABLE, bit 1 IMASK) wakes us then. */
static void sleep(bool poll)
{
	if (poll)
		__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
				 : : "r"(clock_us(1000)), "r"(1ull));
	__asm__ volatile("wfi");
	if (poll)
		__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
}

static bool configured(uint64_t slot)
{
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].slot == slot)
			return true;
	return false;
}

/* C-1: a channel net-dom holds but no port names is never read; its
 * notifications are only counted. */
static uint32_t bind_strays(const struct cloison_start_info *si)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < si->n_caps; i++) {
		const struct cloison_start_info_cap *c = &si->caps[i];

		if (c->type != CLOISON_TYPE_CHANNEL || configured(c->slot) || connect_owns(c->slot))
			continue;
		if (cloison_channel_bind(c->slot, STRAY_VIRQ) == CLOISON_ERR_OK)
			n++;
	}
	return n;
}

int domain_main(const struct cloison_start_info *si)
{
	static struct config_port table[CONFIG_MAX_PORTS];
	static struct config_nat nat;
	const char *why = "";
	uint32_t n = 0, strays;

	if (!config_read(si, table, &n, &nat, &why))
		runtime_panic("%s", why);
	ports[UPLINK].cfg = table[0];
	if (!uplink_init(&why))
		runtime_panic("cannot drive the uplink NIC: %s", why);
	n_ports = 1;
	for (uint32_t i = 1; i < n; i++) {
		if (connect_is_runtime(&table[i])) {
			connect_port(&ports[n_ports], &table[i], n_ports);
			n_ports++;
		} else if (port_attach(&ports[n_ports], &table[i], n_ports, GUEST_VIRQ)) {
			n_ports++;
		}
	}
	connect_init(nat.connect_inbox, GUEST_VIRQ);
	if (!natport_init(table, &nat, &why))
		runtime_panic("%s", why);
	strays = bind_strays(si);
	stats_init();
	irq_enable(GUEST_VIRQ, 0x90);
	irq_enable(STRAY_VIRQ, 0xa0);
	irq_enable(CLOISON_VIRQ_VTIMER, 0xb0);
	print("switching %u port%s, uplink %02x:%02x:%02x:%02x:%02x:%02x%s\n", n_ports,
	      n_ports == 1 ? "" : "s", ports[0].cfg.mac[0], ports[0].cfg.mac[1], ports[0].cfg.mac[2],
	      ports[0].cfg.mac[3], ports[0].cfg.mac[4], ports[0].cfg.mac[5],
	      strays ? " (unconfigured channels ignored)" : "");
	irq_unmask();
	for (;;) {
		/* Run-time clients first: a port whose guest went is not
		 * touched again (connect.c). */
		bool stalled, progress = connect_poll();

		progress |= uplink_poll(BATCH * 4);

		for (uint32_t i = 1; i < n_ports; i++)
			progress |= port_serve(&ports[i], BATCH);
		if (console_input) {
			console_input = false;
			stats_input();
		}
		vnet_kick(&nic);
		for (uint32_t i = 1; i < n_ports; i++) {
			port_flush(&ports[i]);
			if (ports[i].notify) {
				ports[i].notify = false;
				cloison_channel_signal(ports[i].slot);
			}
		}
		if (progress)
			continue;
		irq_mask();
		progress = vnet_arm(&nic) || console_input || connect_arm();
		stalled = false;
		for (uint32_t i = 1; i < n_ports; i++) {
			struct port *p = &ports[i];

			/* A port with requests but no room for their responses
			 * waits for its guest to take some. A front end that
			 * found the ring nearly full signals once it has
			 * (docs/net-protocol.md); one that does not is polled
			 * each millisecond meanwhile, so it stalls only itself
			 * and only for so long. */
			if (!p->disabled && ring_arm(&p->ring)) {
				if (port_can_take(p))
					progress = true;
				else
					stalled = true;
			}
		}
		if (!progress)
			sleep(stalled);
		irq_unmask();
	}
}
