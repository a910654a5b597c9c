/* SPDX-License-Identifier: MIT */
/*
 * virtio-net driver (virtio 1.x spec §5.1) on the virtio-mmio transport:
 * one receive queue and one transmit queue, several frames in flight each
 * way, no allocation per frame. Written once for every domain that drives
 * a NIC: net-dom (the uplink), the test rig's relay domains and the
 * direct-driver benchmark.
 *
 * Pinned feature set: VIRTIO_F_VERSION_1 (required), VIRTIO_NET_F_MAC and
 * VIRTIO_F_EVENT_IDX when offered; nothing else. In particular not
 * CTRL_VQ / CTRL_RX / CTRL_VLAN (so the device stays promiscuous and
 * passes tagged frames of every VID: a device told about VLANs drops the
 * unregistered ones), no checksum or segmentation offload (a frame is
 * sent and received as it is), and no MRG_RXBUF: each receive buffer holds
 * a whole frame after the 12-byte header of §5.1.6 (virtio 1.x always has
 * num_buffers, so the header is 12 bytes).
 *
 * Memory: the caller gives VNET_DMA_SIZE bytes of its RAM (page aligned)
 * at a physical address; the queues, the transmit headers and the receive
 * buffers live there. A transmitted frame is a header part the caller
 * writes into the slot's scratch (vnet_tx_scratch: up to VNET_TX_SCRATCH
 * bytes, copied headers) and an optional second part given by physical
 * address (scatter-gather: the rest of a frame, sent from where it is).
 */
#ifndef DRIVERS_VIRTIO_NET_H
#define DRIVERS_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "mmio.h"
#include "virtq.h"

#define VIRTIO_ID_NET 1u

/* Feature bits, §5.1.3. */
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_CTRL_VQ 17
#define VIRTIO_NET_F_CTRL_RX 18
#define VIRTIO_NET_F_CTRL_VLAN 19

#define VNET_HDR_LEN 12u        /* struct virtio_net_hdr, §5.1.6, VERSION_1 */
#define VNET_FRAME_MAX 1518u    /* a tagged 1500-byte-MTU frame, no FCS */
#define VNET_RX_BUF 2048u       /* >= VNET_HDR_LEN + VNET_FRAME_MAX */
#define VNET_RX_BUFS 64u        /* receive buffers posted to the device */
#define VNET_TX_SCRATCH 240u    /* header bytes a frame's first part may hold */
#define VNET_TX_MAX (VIRTQ_SIZE / 2) /* two descriptors per frame */

/* Queue indexes, §5.1.2. */
#define VNET_RXQ 0u
#define VNET_TXQ 1u

/* The DMA area: RX ring page, TX ring page, TX slots (virtio header and
 * scratch, one per descriptor index), RX buffers. */
#define VNET_TX_SLOT (VNET_HDR_LEN + VNET_TX_SCRATCH + 4u) /* 256: aligned */
#define VNET_TXSLOTS_OFF 8192u
#define VNET_RXBUFS_OFF (VNET_TXSLOTS_OFF + VIRTQ_SIZE * VNET_TX_SLOT)
#define VNET_DMA_SIZE (VNET_RXBUFS_OFF + VNET_RX_BUFS * VNET_RX_BUF)

_Static_assert(VNET_RX_BUF >= VNET_HDR_LEN + VNET_FRAME_MAX, "an RX buffer holds a tagged frame");
_Static_assert(VNET_TX_SLOT % 16 == 0, "TX slots stay aligned");
_Static_assert(VNET_RXBUFS_OFF % 4096 == 0, "RX buffers start on a page");

struct vnet {
	struct virtio_mmio dev;
	struct virtq rxq, txq;
	volatile uint8_t *dma;
	uint64_t dma_pa;
	uint8_t mac[6];
	bool has_mac;              /* VIRTIO_NET_F_MAC: mac[] is the device's */
	bool broken;               /* a queue returned an impossible entry */
	uint16_t rx_buf_of[VIRTQ_SIZE]; /* RX head -> buffer index */
	uint64_t tx_tag[VIRTQ_SIZE];
	/* counters */
	uint64_t tx_frames, rx_frames, rx_bad, notifies, interrupts;
};

/*
 * Probe and set up the device at `mmio` (a mapped device cap). dma:
 * VNET_DMA_SIZE bytes, 4 KiB aligned, at physical address dma_pa. Posts
 * every receive buffer. False with *why (a sentence) for a device it
 * cannot drive: not a virtio 1.x network device, a queue too small.
 */
bool vnet_init(struct vnet *n, volatile void *mmio, void *dma, uint64_t dma_pa, const char **why);

/* Frames the transmit queue can take now. */
uint32_t vnet_tx_room(const struct vnet *n);

/* Where the next frame's first part goes (VNET_TX_SCRATCH bytes), NULL if
 * the queue is full. Write it, then vnet_tx. */
uint8_t *vnet_tx_scratch(struct vnet *n);

/*
 * Queue one frame: the `first` bytes written at vnet_tx_scratch, then
 * `rest_len` bytes at physical address rest_pa (none if 0). The frame
 * (first + rest_len) must be 14..VNET_FRAME_MAX bytes. `tag` comes back
 * from vnet_tx_done once the device has read the frame (then the rest's
 * memory may be reused). Not sent before vnet_kick. False if full or the
 * lengths are out of range.
 */
bool vnet_tx(struct vnet *n, uint32_t first, uint64_t rest_pa, uint32_t rest_len, uint64_t tag);

/* Send what was queued, notifying the device only if it asked. */
void vnet_kick(struct vnet *n);

/* One transmitted frame the device is done with: its tag. */
bool vnet_tx_done(struct vnet *n, uint64_t *tag);

/*
 * One received frame: its bytes (after the virtio header, in the DMA
 * area) and length, and a handle to give back with vnet_rx_release once
 * the frame is no longer needed. A used length shorter than the header
 * or beyond the buffer is counted (rx_bad) and the buffer reposted; any
 * other length (even 0 or above VNET_FRAME_MAX) is the caller's to judge.
 */
bool vnet_rx(struct vnet *n, const uint8_t **frame, uint32_t *len, uint32_t *handle);
/* Give a receive buffer back to the device (posted at the next kick). */
void vnet_rx_release(struct vnet *n, uint32_t handle);
/* Physical address of a received frame's byte `off` (for scatter-gather). */
uint64_t vnet_rx_pa(const struct vnet *n, uint32_t handle, uint32_t off);

/* The device's interrupt: acknowledge it (§4.2.2 InterruptACK). */
void vnet_interrupt(struct vnet *n);

/* Before sleeping: ask for interrupts on both queues; true if work
 * arrived meanwhile (do not sleep). */
bool vnet_arm(struct vnet *n);

#endif
