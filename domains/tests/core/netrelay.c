/* SPDX-License-Identifier: MIT */
/*
 * The test rig's relay domain (docs/net-dom.md, "Test rig"): test
 * descriptions only; the auditor flags it. For each k with a channel cap
 * "net<k>" it drives the virtio-net NIC at transport k of its device page
 * (cap "nics", interrupt cap "nic<k>-irq") and copies frames unmodified
 * between that NIC and its net-dom port, as a guest front end would
 * (docs/net-protocol.md): a frame the NIC receives is sent to net-dom (TX),
 * a frame net-dom delivers (RX) is sent by the NIC. So the host script
 * that owns the NIC's socket owns the guest port. It makes no traffic of
 * its own.
 *
 * A frame of EtherType 0x88B6 reaching the NIC is a command to the relay
 * itself (never forwarded), payload byte 0: 1 publish a producer index
 * far ahead (a forged ring), 2 send a TX whose buffer lies outside the
 * data area, 3 stop taking net-dom's responses (a port that does not
 * drain), 4 take them again, 5 signal the channel cap "stray" (one net-dom
 * holds but no port names) three times; 6-9 send a broken TXV (network
 * protocol version 3, netif.h) naming the rest of the command frame as a
 * frame to send: 6 a count of 0, 7 a count above what the message holds,
 * 8 one buffer twice, 9 a good frame then one outside the data area.
 */
#include <domain/core.h>

#include "netif.h"
#include "ring.h"
#include "virtio/net.h"

#define MAX_RELAYS 8u
#define FIRST_VIRQ 33u
#define BUFS 16u /* receive and transmit buffers, each, in the data area */
#define BUF 2048u
#define ETH_P_RELAY_CMD 0x88b6u

struct relay {
	bool up;
	struct vnet nic;
	uint64_t slot;
	struct ring_end ring;
	volatile uint8_t *data;
	uint64_t data_pa;
	uint32_t tx_free[BUFS], n_tx_free; /* TX buffers not at net-dom */
	uint32_t rx_done[BUFS], n_rx_done; /* RX buffers sent, to post again */
	bool stalled;                      /* command 3: not draining */
	bool notify;
};

static struct relay relays[MAX_RELAYS];
static _Alignas(4096) uint8_t dma[MAX_RELAYS][VNET_DMA_SIZE];

void irq_handler(uint32_t vintid)
{
	uint32_t k = (vintid - FIRST_VIRQ) / 2;

	if (k < MAX_RELAYS && (vintid - FIRST_VIRQ) % 2 == 0 && relays[k].up)
		vnet_interrupt(&relays[k].nic);
}

static bool send(struct relay *r, uint32_t op, uint64_t offset, uint32_t len, uint32_t id)
{
	struct netif_req q = { op, len, offset };
	bool n = false;

	if (ring_send(&r->ring, &q, sizeof(q), id, &n) != RING_OK)
		return false;
	r->notify |= n;
	return true;
}

/* A TXV of n descriptors (netif.h) whose message says `count`; the first
 * `good` name TX buffer 0 holding `frame` (so each would be a frame sent),
 * the others lie at `bad_offset`. */
static void send_txv(struct relay *r, uint32_t count, uint32_t n, uint32_t good,
		     uint64_t bad_offset, const uint8_t *frame, uint32_t len)
{
	_Alignas(8) struct netif_txv v = { NETIF_OP_TXV, count, { { 0, 0, 0 } } };
	bool no = false;

	for (uint32_t i = 0; i < len; i++)
		r->data[BUFS * BUF + i] = frame[i];
	for (uint32_t i = 0; i < n; i++)
		v.d[i] = (struct netif_txd){ i < good ? BUFS * BUF : (uint32_t)bad_offset,
					     (uint16_t)len, (uint16_t)(BUFS + i) };
	if (ring_send(&r->ring, &v, 8u + 8u * n, 0, &no) == RING_OK)
		r->notify |= no;
}

static void command(struct relay *r, uint8_t cmd, const uint8_t *frame, uint32_t len)
{
	switch (cmd) {
	case 1:
		r->ring.tx->prod = r->ring.tx_prod + 1000; /* an index jump */
		r->notify = true;
		break;
	case 2:
		send(r, NETIF_OP_TX, 1ull << 40, 64, 99);
		break;
	case 3:
		r->stalled = true;
		break;
	case 4:
		r->stalled = false;
		r->notify = true;
		break;
	case 5:
		for (int i = 0; i < 3; i++)
			cloison_channel_signal(si_cap("stray"));
		break;
	/* Version 3's TXV, broken, with the command's payload after its
	 * first byte as the frame the good descriptors name. */
	case 6: /* a TXV of no frame */
		send_txv(r, 0, 0, 0, 0, frame, len);
		break;
	case 7: /* a TXV claiming 3 frames, holding 2 */
		send_txv(r, 3, 2, 2, 0, frame, len);
		break;
	case 8: /* one buffer twice in one TXV */
		send_txv(r, 2, 2, 2, 0, frame, len);
		break;
	case 9: /* a good frame, then one outside the data area */
		send_txv(r, 2, 2, 1, 1ull << 31, frame, len);
		break;
	default:
		break;
	}
}

/* Frames from the NIC to net-dom. */
static bool from_nic(struct relay *r)
{
	const uint8_t *f;
	uint32_t len, h;
	bool any = false;

	while (r->n_tx_free && ring_space(&r->ring) && vnet_rx(&r->nic, &f, &len, &h)) {
		any = true;
		if (len >= 15 && f[12] == (ETH_P_RELAY_CMD >> 8) && f[13] == (ETH_P_RELAY_CMD & 0xff)) {
			command(r, f[14], f + 15, len - 15);
		} else if (len <= BUF) {
			uint32_t b = r->tx_free[--r->n_tx_free];

			for (uint32_t i = 0; i < len; i++)
				r->data[(BUFS + b) * BUF + i] = f[i];
			send(r, NETIF_OP_TX, (BUFS + b) * BUF, len, BUFS + b);
		}
		vnet_rx_release(&r->nic, h);
	}
	return any;
}

/* A frame net-dom delivered into buffer `id` goes out of the NIC; the
 * buffer is posted again once the NIC has sent it (or at once). */
static void deliver(struct relay *r, uint32_t id, uint32_t status, uint32_t len)
{
	if (id < BUFS && (status != NETIF_OK || !vnet_tx(&r->nic, 0, r->data_pa + id * BUF, len, id)))
		r->rx_done[r->n_rx_done++] = id;
}

/* Responses from net-dom: delivered frames go to the NIC. */
static bool from_port(struct relay *r)
{
	struct ring_msg m;
	struct netif_rsp rsp;
	uint64_t tag;
	bool any = false;

	while (vnet_tx_done(&r->nic, &tag)) {
		r->rx_done[r->n_rx_done++] = (uint32_t)tag;
		any = true;
	}
	while (r->n_rx_done && ring_space(&r->ring)) {
		uint32_t b = r->rx_done[--r->n_rx_done];

		send(r, NETIF_OP_RX_POST, b * BUF, BUF, b);
		any = true;
	}
	/* Room on the NIC for a whole RXV's frames before taking a response. */
	while (!r->stalled && vnet_tx_room(&r->nic) >= NETIF_RXV_MAX &&
	       ring_recv(&r->ring, &m) == RING_OK) {
		any = true;
		/* The response ring was nearly full (NETIF_RSP_KICK): net-dom
		 * stopped reading our requests until it has room again; tell
		 * it (net-protocol.md). */
		if (r->ring.rx_prod_seen - r->ring.rx_cons >= NETIF_RSP_KICK - 1)
			r->notify = true;
		memcpy(&rsp, m.data, sizeof(rsp));
		if (rsp.op == NETIF_RSP_TX_DONE) {
			/* The message's id, then rsp.len more (netif.h). */
			for (uint32_t i = 0; i <= rsp.len && i <= NETIF_TX_DONE_MORE; i++) {
				uint32_t id = m.id;

				if (i)
					memcpy(&id, m.data + sizeof(rsp) + 4 * (i - 1), 4);
				if (id >= BUFS && id < 2 * BUFS && r->n_tx_free < BUFS)
					r->tx_free[r->n_tx_free++] = id - BUFS;
			}
		} else if (rsp.op == NETIF_RSP_RX) {
			deliver(r, m.id, rsp.status, rsp.len);
		} else if (rsp.op == NETIF_RSP_RXV) {
			/* rsp.len frames after the response (netif.h). */
			for (uint32_t i = 0; i < rsp.len && i < NETIF_RXV_MAX; i++) {
				struct netif_rxd d;

				memcpy(&d, m.data + sizeof(rsp) + 4 * i, 4);
				deliver(r, d.id, NETIF_OK, d.len);
			}
		}
	}
	return any;
}

static bool setup(struct relay *r, uint32_t k, volatile uint8_t *page)
{
	char name[16];
	const struct cloison_start_info_cap *cap;
	uint64_t pa = 0, size = 0;
	const char *why = "";

	print_to_buf(name, sizeof(name), "net%u", k);
	cap = si_find(name);
	if (!cap)
		return false;
	if (cloison_memory_phys(cap->slot, &pa, &size) != CLOISON_ERR_OK ||
	    size < NETIF_DATA_OFFSET + 2 * BUFS * BUF)
		runtime_panic("%s: no data area of %u bytes", name, 2 * BUFS * BUF);
	if (!vnet_init(&r->nic, page + 0x200 * k, dma[k], si_ram_pa(dma[k]), &why))
		runtime_panic("relay %u: %s", k, why);
	r->slot = cap->slot;
	r->data = (volatile uint8_t *)(uintptr_t)(cap->ipa + NETIF_DATA_OFFSET);
	r->data_pa = pa + NETIF_DATA_OFFSET;
	ring_init(&r->ring, (void *)(uintptr_t)cap->ipa, NETIF_FRONTEND_END, false);
	for (uint32_t b = 0; b < BUFS; b++) {
		r->tx_free[b] = b;
		r->rx_done[b] = b;
	}
	r->n_tx_free = r->n_rx_done = BUFS;
	print_to_buf(name, sizeof(name), "nic%u-irq", k);
	cloison_irq_bind(si_cap(name), FIRST_VIRQ + 2 * k);
	irq_enable(FIRST_VIRQ + 2 * k, 0x80);
	cloison_channel_bind(r->slot, FIRST_VIRQ + 2 * k + 1);
	irq_enable(FIRST_VIRQ + 2 * k + 1, 0x90);
	r->up = true;
	return true;
}

int domain_main(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *nics = si_find("nics");
	uint32_t n = 0;

	if (!nics)
		runtime_panic("no cap named \"nics\"");
	for (uint32_t k = 0; k < MAX_RELAYS; k++)
		n += setup(&relays[k], k, (volatile uint8_t *)(uintptr_t)nics->ipa);
	print("relaying %u port%s\n", n, n == 1 ? "" : "s");
	irq_unmask();
	for (;;) {
		bool progress = false;

		for (uint32_t k = 0; k < MAX_RELAYS; k++) {
			struct relay *r = &relays[k];

			if (!r->up)
				continue;
			progress |= from_port(r);
			progress |= from_nic(r);
			vnet_kick(&r->nic);
			if (r->notify) {
				r->notify = false;
				cloison_channel_signal(r->slot);
			}
		}
		if (progress)
			continue;
		irq_mask();
		for (uint32_t k = 0; k < MAX_RELAYS; k++)
			if (relays[k].up) {
				progress |= vnet_arm(&relays[k].nic);
				if (!relays[k].stalled)
					progress |= ring_arm(&relays[k].ring);
			}
		if (!progress)
			__asm__ volatile("wfi");
		irq_unmask();
	}
}
