/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk driver (virtio 1.x spec §5.2) on the virtio-mmio transport:
 * read, write, flush, capacity; up to VBLK_MAX_IN_FLIGHT requests in
 * flight on one split virtqueue, completed by interrupt (or polling).
 * Written once for every domain that drives a disk: storage-dom and the
 * direct-driver benchmark. Buffers are given by physical address: there
 * is no IOMMU, the device sees physical memory (docs/driver-domains.md).
 */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "mmio.h"
#include "virtq.h"

#define VIRTIO_ID_BLOCK 2u
#define VBLK_SECTOR 512u
/* Three descriptors per request (header, data, status: §5.2.6). */
#define VBLK_MAX_IN_FLIGHT (VIRTQ_SIZE / 3)
/* Largest data buffer of one request (QEMU takes any; a bound keeps a
 * length from overflowing anything). */
#define VBLK_MAX_LEN (4u << 20)
/* DMA memory vblk_init needs: the ring page and the request headers. */
#define VBLK_DMA_SIZE 8192u

/* Request types, §5.2.6. */
#define VIRTIO_BLK_T_IN 0u
#define VIRTIO_BLK_T_OUT 1u
#define VIRTIO_BLK_T_FLUSH 4u

/* Feature bits, §5.2.3. */
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9

enum vblk_op {
	VBLK_READ = VIRTIO_BLK_T_IN,
	VBLK_WRITE = VIRTIO_BLK_T_OUT,
	VBLK_FLUSH = VIRTIO_BLK_T_FLUSH,
};

/* Results: the device's status byte (§5.2.6) and the driver's own. */
enum vblk_status {
	VBLK_OK = 0,        /* VIRTIO_BLK_S_OK */
	VBLK_IOERR = 1,     /* VIRTIO_BLK_S_IOERR */
	VBLK_UNSUPP = 2,    /* VIRTIO_BLK_S_UNSUPP */
	VBLK_BUSY = 16,     /* no room in the queue: retry after a completion */
	VBLK_INVALID = 17,  /* refused before reaching the device */
	VBLK_BROKEN = 18,   /* the device misbehaved; the driver stopped */
};

/* §5.2.6 request header, read by the device. */
struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct vblk_dma_page {
	struct vblk_hdr hdr[VIRTQ_SIZE];
	uint8_t status[VIRTQ_SIZE];
};

_Static_assert(sizeof(struct vblk_hdr) == 16, "virtio-blk request header");
_Static_assert(sizeof(struct vblk_dma_page) <= 4096, "headers fit a page");

struct vblk {
	struct virtio_mmio dev;
	struct virtq q;
	volatile struct vblk_dma_page *dma;
	uint64_t dma_pa;
	uint64_t capacity;       /* in 512-byte sectors (§5.2.4) */
	bool can_flush, read_only;
	uint64_t tag[VIRTQ_SIZE];
	/* counters */
	uint64_t submitted, completed, notifies, interrupts;
};

/*
 * Probe and set up the device at `mmio` (a mapped device cap). dma: VBLK_DMA_SIZE
 * bytes, 4 KiB aligned, at physical address dma_pa. False with *why (a
 * sentence) for a device it cannot drive.
 */
bool vblk_init(struct vblk *b, volatile void *mmio, void *dma, uint64_t dma_pa,
	       const char **why);

/*
 * Queue one request: read or write `len` bytes (a non-zero multiple of
 * 512, at most VBLK_MAX_LEN) at `sector` from/to physical buffer buf_pa,
 * or a flush (sector, buf_pa, len 0). tag comes back with the completion.
 * VBLK_OK when queued; VBLK_BUSY when full; VBLK_INVALID for a request
 * outside the disk, a bad length, a write to a read-only disk, a flush the
 * device does not offer; VBLK_BROKEN. Not sent before vblk_kick.
 */
enum vblk_status vblk_submit(struct vblk *b, enum vblk_op op, uint64_t sector,
			     uint64_t buf_pa, uint32_t len, uint64_t tag);

/* Send what was queued, notifying the device only if it asked (EVENT_IDX). */
void vblk_kick(struct vblk *b);

/* One completion: its tag and status (VBLK_OK, VBLK_IOERR, VBLK_UNSUPP).
 * False if none is ready. */
bool vblk_complete(struct vblk *b, uint64_t *tag, enum vblk_status *status);

/* The device's interrupt: acknowledge it at the transport (§4.2.2
 * InterruptACK). Call from the IRQ handler, then vblk_complete. */
void vblk_interrupt(struct vblk *b);

/* Before sleeping for an interrupt: true if completions are already there. */
bool vblk_arm(struct vblk *b);

static inline uint32_t vblk_in_flight(const struct vblk *b)
{
	return virtq_in_flight(&b->q) / 3;
}

#endif
