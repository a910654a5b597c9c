/* SPDX-License-Identifier: MIT */
/* virtio-blk driver (virtio 1.x §5.2); see blk.h. */
#include "blk.h"

/* Device configuration layout, §5.2.4. */
#define BLK_CFG_CAPACITY 0x00

bool vblk_init(struct vblk *b, volatile void *mmio, void *dma, uint64_t dma_pa,
	       const char **why)
{
	volatile uint8_t *p = (volatile uint8_t *)dma + 4096;
	uint64_t required = 1ull << VIRTIO_F_VERSION_1;
	uint64_t optional = 1ull << VIRTIO_BLK_F_FLUSH | 1ull << VIRTIO_BLK_F_RO |
			    1ull << VIRTIO_F_EVENT_IDX;

	if ((uintptr_t)dma % 4096 || dma_pa % 4096) {
		*why = "DMA memory not page aligned";
		return false;
	}
	b->dma = (volatile struct vblk_dma_page *)p;
	b->dma_pa = dma_pa + 4096;
	for (uint32_t i = 0; i < 4096; i++)
		p[i] = 0;
	b->submitted = b->completed = b->notifies = b->interrupts = 0;
	if (!virtio_mmio_probe(&b->dev, mmio, VIRTIO_ID_BLOCK, why) ||
	    !virtio_mmio_negotiate(&b->dev, required, optional, why))
		return false;
	b->can_flush = b->dev.features & (1ull << VIRTIO_BLK_F_FLUSH);
	b->read_only = b->dev.features & (1ull << VIRTIO_BLK_F_RO);
	virtq_init(&b->q, dma, dma_pa, b->dev.features & (1ull << VIRTIO_F_EVENT_IDX));
	if (!virtio_mmio_queue(&b->dev, 0, VIRTQ_SIZE, dma_pa + VIRTQ_DESC_OFF,
			       dma_pa + VIRTQ_AVAIL_OFF, dma_pa + VIRTQ_USED_OFF, why)) {
		virtio_mmio_fail(&b->dev);
		return false;
	}
	b->capacity = virtio_mmio_config64(&b->dev, BLK_CFG_CAPACITY);
	virtio_mmio_ready(&b->dev);
	virtq_arm(&b->q);
	return true;
}

enum vblk_status vblk_submit(struct vblk *b, enum vblk_op op, uint64_t sector,
			     uint64_t buf_pa, uint32_t len, uint64_t tag)
{
	struct virtq_buf bufs[3];
	unsigned n = 0;
	int head;

	if (b->q.broken)
		return VBLK_BROKEN;
	switch (op) {
	case VBLK_READ:
	case VBLK_WRITE:
		if (len == 0 || len % VBLK_SECTOR || len > VBLK_MAX_LEN ||
		    sector > b->capacity || len / VBLK_SECTOR > b->capacity - sector ||
		    (op == VBLK_WRITE && b->read_only))
			return VBLK_INVALID;
		break;
	case VBLK_FLUSH:
		if (len != 0 || !b->can_flush)
			return VBLK_INVALID;
		sector = 0; /* §5.2.6.1: sector is 0 for a flush */
		break;
	default:
		return VBLK_INVALID;
	}
	if (virtq_in_flight(&b->q) + 3 > VIRTQ_SIZE)
		return VBLK_BUSY;
	/* The header and status slots of a request are those of its chain's
	 * head, known only once added: take the head the queue will use. */
	bufs[n++] = (struct virtq_buf){ b->dma_pa + 16u * b->q.free_head, 16, false };
	if (len)
		bufs[n++] = (struct virtq_buf){ buf_pa, len, op == VBLK_READ };
	bufs[n++] = (struct virtq_buf){ b->dma_pa + __builtin_offsetof(struct vblk_dma_page, status) +
						b->q.free_head,
					1, true };
	b->dma->hdr[b->q.free_head].type = op;
	b->dma->hdr[b->q.free_head].reserved = 0;
	b->dma->hdr[b->q.free_head].sector = sector;
	b->dma->status[b->q.free_head] = 0xff; /* not written yet */
	head = virtq_add(&b->q, bufs, n);
	if (head < 0)
		return VBLK_BUSY;
	b->tag[head] = tag;
	b->submitted++;
	return VBLK_OK;
}

void vblk_kick(struct vblk *b)
{
	if (virtq_publish(&b->q)) {
		virtio_mmio_notify(&b->dev, 0);
		b->notifies++;
	}
}

bool vblk_complete(struct vblk *b, uint64_t *tag, enum vblk_status *status)
{
	uint32_t head, len;
	uint8_t st;

	if (!virtq_get(&b->q, &head, &len))
		return false;
	st = b->dma->status[head];
	*tag = b->tag[head];
	/* Anything but the three status values of §5.2.6 is an I/O error. */
	*status = st <= VBLK_UNSUPP ? (enum vblk_status)st : VBLK_IOERR;
	b->completed++;
	return true;
}

void vblk_interrupt(struct vblk *b)
{
	virtio_mmio_ack(&b->dev);
	b->interrupts++;
}

bool vblk_arm(struct vblk *b)
{
	return virtq_arm(&b->q);
}
