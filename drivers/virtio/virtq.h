/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueue, driver side (virtio 1.x spec §2.7). The rings live in
 * one 4 KiB page the caller provides (its virtual and physical address:
 * the device reads and writes it by DMA at the physical one). Several
 * descriptor chains can be in flight; notifications both ways are
 * suppressed with VIRTIO_F_EVENT_IDX when negotiated (§2.7.7, §2.7.10).
 */
#ifndef DRIVERS_VIRTQ_H
#define DRIVERS_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_SIZE 128u /* entries: a power of two (§2.7) */

/* §2.7.5 descriptor flags. */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u /* device writes (else reads) the buffer */

struct virtq_desc {      /* §2.7.5 */
	uint64_t addr;       /* physical address */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {     /* §2.7.6, "driver area" */
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VIRTQ_SIZE];
	uint16_t used_event; /* with EVENT_IDX: interrupt me past this */
};

struct virtq_used_elem { /* §2.7.8 */
	uint32_t id;         /* head of the completed chain */
	uint32_t len;        /* bytes the device wrote */
};

struct virtq_used {      /* §2.7.8, "device area" */
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[VIRTQ_SIZE];
	uint16_t avail_event; /* with EVENT_IDX: notify me past this */
};

/* The page the rings share: alignments of §2.7 (16, 2, 4) are met. */
struct virtq_page {
	struct virtq_desc desc[VIRTQ_SIZE];
	struct virtq_avail avail;
	uint8_t pad[512 - sizeof(struct virtq_avail)];
	struct virtq_used used;
};

_Static_assert(sizeof(struct virtq_desc) == 16, "virtq descriptor is 16 bytes");
_Static_assert(sizeof(struct virtq_page) <= 4096, "the rings fit one page");
_Static_assert((VIRTQ_SIZE & (VIRTQ_SIZE - 1)) == 0, "queue size: a power of two");

#define VIRTQ_DESC_OFF 0u
#define VIRTQ_AVAIL_OFF ((uint32_t)__builtin_offsetof(struct virtq_page, avail))
#define VIRTQ_USED_OFF ((uint32_t)__builtin_offsetof(struct virtq_page, used))

struct virtq_buf {
	uint64_t pa;
	uint32_t len;
	bool device_writes;
};

/* Driver-private state (never in shared memory). */
struct virtq {
	volatile struct virtq_page *page;
	uint64_t page_pa;
	bool event_idx;
	bool broken;             /* the device returned an impossible entry */
	uint16_t free_head, num_free;
	uint16_t avail_idx;      /* next avail->idx to publish */
	uint16_t kicked_idx;     /* avail idx at the last notify decision */
	uint16_t last_used;      /* used entries consumed */
	uint16_t chain_len[VIRTQ_SIZE]; /* per head in flight, 0 if free */
	uint16_t next_free[VIRTQ_SIZE];
};

/* page: zeroed by this call, 4 KiB aligned, at physical address page_pa. */
void virtq_init(struct virtq *q, void *page, uint64_t page_pa, bool event_idx);

/* Queue one chain (device-read buffers first, §2.7.4.1); returns its head
 * or -1 when fewer than n descriptors are free. Not visible to the device
 * until virtq_publish. */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n);

/* Make the added chains visible; true if the device must be notified
 * (§2.7.10: avail_event, or used->flags without EVENT_IDX). */
bool virtq_publish(struct virtq *q);

/* Take one completed chain: its head and the bytes written. False if none
 * (or the queue is broken: a head not in flight). */
bool virtq_get(struct virtq *q, uint32_t *head, uint32_t *len);

/* Before sleeping: ask for an interrupt at the next completion. True if
 * completions arrived meanwhile (do not sleep). */
bool virtq_arm(struct virtq *q);

static inline uint32_t virtq_in_flight(const struct virtq *q)
{
	return VIRTQ_SIZE - q->num_free;
}

#endif
