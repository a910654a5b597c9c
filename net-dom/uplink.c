/* SPDX-License-Identifier: MIT */
/* The uplink NIC (uplink.h). */
#include <domain/core.h>

#include "pkt.h"
#include "port.h"
#include "switch.h"
#include "uplink.h"

#define NIC_VIRQ 40u

struct vnet nic;
static _Alignas(4096) uint8_t nic_dma[VNET_DMA_SIZE];

void uplink_irq(void);
void uplink_irq(void)
{
	vnet_interrupt(&nic);
}

bool uplink_init(const char **why)
{
	struct port *u = &ports[UPLINK];
	const struct cloison_start_info_cap *dev = si_find(u->cfg.cap);

	u->index = UPLINK;
	u->guest = false;
	if (!dev || dev->ipa == ~0ull) {
		*why = "no mapped device cap for the uplink";
		return false;
	}
	if (!vnet_init(&nic, (volatile void *)(uintptr_t)dev->ipa, nic_dma, si_ram_pa(nic_dma), why))
		return false;
	/* The switch's own MAC on the uplink: the table's, else the NIC's. */
	if (!(u->cfg.flags & CFG_F_HAS_MAC))
		memcpy(u->cfg.mac, nic.mac, 6);
	port_reset_state(u);
	if (cloison_irq_bind(si_cap(u->cfg.irq_cap), NIC_VIRQ) != CLOISON_ERR_OK) {
		*why = "cannot take the NIC's interrupt";
		return false;
	}
	irq_enable(NIC_VIRQ, 0x80);
	return true;
}

bool uplink_poll(uint32_t budget)
{
	static struct pkt k;
	const uint8_t *frame;
	uint32_t len, h;
	uint64_t tag;
	bool any = false;

	while (vnet_tx_done(&nic, &tag)) {
		switch_tx_done(tag);
		any = true;
	}
	while (budget-- && vnet_rx(&nic, &frame, &len, &h)) {
		enum fate f = FATE_DROPPED;

		any = true;
		k.in = &ports[UPLINK];
		k.src_id = h;
		if (len < ETH_HLEN || len > NETIF_FRAME_MAX ||
		    !pkt_parse(&k, frame, vnet_rx_pa(&nic, h, 0), len))
			port_drop(k.in, DROP_LEN);
		else
			f = switch_input(&k, len);
		if (f != FATE_HELD)
			vnet_rx_release(&nic, h);
	}
	return any;
}
