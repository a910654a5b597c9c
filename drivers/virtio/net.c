/* SPDX-License-Identifier: MIT */
/* virtio-net driver (virtio 1.x §5.1); see net.h. */
#include "net.h"

/* Device configuration layout, §5.1.4: mac[6] first. */
#define NET_CFG_MAC 0x00

static volatile uint8_t *tx_slot(const struct vnet *n, uint32_t head)
{
	return n->dma + VNET_TXSLOTS_OFF + head * VNET_TX_SLOT;
}

static uint64_t rx_buf_pa(const struct vnet *n, uint32_t buf)
{
	return n->dma_pa + VNET_RXBUFS_OFF + (uint64_t)buf * VNET_RX_BUF;
}

static void post_rx(struct vnet *n, uint32_t buf)
{
	struct virtq_buf b = { rx_buf_pa(n, buf), VNET_RX_BUF, true };
	int head = virtq_add(&n->rxq, &b, 1);

	/* The queue has VIRTQ_SIZE descriptors for VNET_RX_BUFS buffers: a
	 * buffer released once always finds one. */
	if (head >= 0)
		n->rx_buf_of[head] = (uint16_t)buf;
}

bool vnet_init(struct vnet *n, volatile void *mmio, void *dma, uint64_t dma_pa, const char **why)
{
	uint64_t required = 1ull << VIRTIO_F_VERSION_1;
	/* Pinned (net.h): only the MAC and event suppression are optional. */
	uint64_t optional = 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_F_EVENT_IDX;
	bool event_idx;

	if ((uintptr_t)dma % 4096 || dma_pa % 4096) {
		*why = "DMA memory not page aligned";
		return false;
	}
	n->dma = dma;
	n->dma_pa = dma_pa;
	n->broken = false;
	n->tx_frames = n->rx_frames = n->rx_bad = n->notifies = n->interrupts = 0;
	if (!virtio_mmio_probe(&n->dev, mmio, VIRTIO_ID_NET, why) ||
	    !virtio_mmio_negotiate(&n->dev, required, optional, why))
		return false;
	event_idx = n->dev.features & (1ull << VIRTIO_F_EVENT_IDX);
	virtq_init(&n->rxq, dma, dma_pa, event_idx);
	virtq_init(&n->txq, (uint8_t *)dma + 4096, dma_pa + 4096, event_idx);
	if (!virtio_mmio_queue(&n->dev, VNET_RXQ, VIRTQ_SIZE, dma_pa + VIRTQ_DESC_OFF,
			       dma_pa + VIRTQ_AVAIL_OFF, dma_pa + VIRTQ_USED_OFF, why) ||
	    !virtio_mmio_queue(&n->dev, VNET_TXQ, VIRTQ_SIZE, dma_pa + 4096 + VIRTQ_DESC_OFF,
			       dma_pa + 4096 + VIRTQ_AVAIL_OFF, dma_pa + 4096 + VIRTQ_USED_OFF,
			       why)) {
		virtio_mmio_fail(&n->dev);
		return false;
	}
	n->has_mac = n->dev.features & (1ull << VIRTIO_NET_F_MAC);
	if (n->has_mac) {
		uint32_t lo = virtio_mmio_config32(&n->dev, NET_CFG_MAC);
		uint32_t hi = virtio_mmio_config32(&n->dev, NET_CFG_MAC + 4);

		for (uint32_t i = 0; i < 4; i++)
			n->mac[i] = (uint8_t)(lo >> (8 * i));
		n->mac[4] = (uint8_t)hi;
		n->mac[5] = (uint8_t)(hi >> 8);
	}
	/* The TX slots' virtio headers: all zero (no offload, §5.1.6), and
	 * never written again. */
	for (uint32_t i = 0; i < VIRTQ_SIZE * VNET_TX_SLOT; i++)
		n->dma[VNET_TXSLOTS_OFF + i] = 0;
	virtio_mmio_ready(&n->dev);
	for (uint32_t b = 0; b < VNET_RX_BUFS; b++)
		post_rx(n, b);
	if (virtq_publish(&n->rxq))
		virtio_mmio_notify(&n->dev, VNET_RXQ);
	vnet_arm(n);
	return true;
}

uint32_t vnet_tx_room(const struct vnet *n)
{
	return n->txq.broken ? 0 : n->txq.num_free / 2u;
}

uint8_t *vnet_tx_scratch(struct vnet *n)
{
	if (vnet_tx_room(n) == 0)
		return 0;
	return (uint8_t *)(uintptr_t)(tx_slot(n, n->txq.free_head) + VNET_HDR_LEN);
}

bool vnet_tx(struct vnet *n, uint32_t first, uint64_t rest_pa, uint32_t rest_len, uint64_t tag)
{
	uint32_t head = n->txq.free_head;
	struct virtq_buf b[2] = {
		{ n->dma_pa + VNET_TXSLOTS_OFF + head * VNET_TX_SLOT, VNET_HDR_LEN + first, false },
		{ rest_pa, rest_len, false },
	};
	int got;

	if (vnet_tx_room(n) == 0 || first > VNET_TX_SCRATCH || rest_len > VNET_FRAME_MAX ||
	    first + rest_len < 14 || first + rest_len > VNET_FRAME_MAX)
		return false;
	got = virtq_add(&n->txq, b, rest_len ? 2 : 1);
	if (got < 0)
		return false;
	n->tx_tag[got] = tag;
	n->tx_frames++;
	return true;
}

void vnet_kick(struct vnet *n)
{
	if (virtq_publish(&n->txq)) {
		virtio_mmio_notify(&n->dev, VNET_TXQ);
		n->notifies++;
	}
	if (virtq_publish(&n->rxq)) {
		virtio_mmio_notify(&n->dev, VNET_RXQ);
		n->notifies++;
	}
}

bool vnet_tx_done(struct vnet *n, uint64_t *tag)
{
	uint32_t head, len;

	if (!virtq_get(&n->txq, &head, &len)) {
		n->broken |= n->txq.broken;
		return false;
	}
	*tag = n->tx_tag[head];
	return true;
}

bool vnet_rx(struct vnet *n, const uint8_t **frame, uint32_t *len, uint32_t *handle)
{
	uint32_t head, used;

	while (virtq_get(&n->rxq, &head, &used)) {
		uint32_t buf = n->rx_buf_of[head];

		/* The device wrote `used` bytes: the header and the frame. Its
		 * length against the MTU is the caller's policy (a frame of
		 * any length that fits the buffer is passed up). */
		if (used < VNET_HDR_LEN || used > VNET_RX_BUF) {
			n->rx_bad++;
			post_rx(n, buf);
			continue;
		}
		*frame = (const uint8_t *)(uintptr_t)(n->dma + VNET_RXBUFS_OFF +
						      (uint64_t)buf * VNET_RX_BUF + VNET_HDR_LEN);
		*len = used - VNET_HDR_LEN;
		*handle = buf;
		n->rx_frames++;
		return true;
	}
	n->broken |= n->rxq.broken;
	return false;
}

void vnet_rx_release(struct vnet *n, uint32_t handle)
{
	if (handle < VNET_RX_BUFS)
		post_rx(n, handle);
}

uint64_t vnet_rx_pa(const struct vnet *n, uint32_t handle, uint32_t off)
{
	return rx_buf_pa(n, handle) + VNET_HDR_LEN + off;
}

void vnet_interrupt(struct vnet *n)
{
	virtio_mmio_ack(&n->dev);
	n->interrupts++;
}

bool vnet_arm(struct vnet *n)
{
	bool rx = virtq_arm(&n->rxq);
	bool tx = virtq_arm(&n->txq);

	return rx || tx;
}
