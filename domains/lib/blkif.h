/* SPDX-License-Identifier: MIT */
/*
 * The block protocol between a guest's front end and a block back end
 * (storage-dom, or any alternative): docs/block-protocol.md is the
 * contract; this header is its C form.
 *
 * One virtual disk per channel. The channel's first 4 KiB page holds the
 * two one-way rings of the ring library (ring.h): requests from the front
 * end (end 1) to the back end (end 0), responses back. The rest of the
 * channel is the data area: the front end puts write data there and gets
 * read data there, and the back end has the device DMA straight to and
 * from it (no copy). A request names its buffer by offset in the data area.
 *
 * A ring message carries a batch: up to BLKIF_REQS_PER_MSG requests (ids
 * the message's id, +1, ...) or up to BLKIF_RSPS_PER_MSG responses (each
 * with its id), so one ring operation moves several and a front end can
 * keep BLKIF_MAX_OUTSTANDING requests in flight over the 16 slots.
 */
#ifndef CLOISON_BLKIF_H
#define CLOISON_BLKIF_H

#include <stdint.h>

#include "ring.h"

#define BLKIF_VERSION 2u
#define BLKIF_SECTOR 512u
#define BLKIF_DATA_OFFSET 4096u /* the data area starts after the ring page */
#define BLKIF_BACKEND_END 0u    /* channel end of the back end */
#define BLKIF_FRONTEND_END 1u
#define BLKIF_MAX_OUTSTANDING 32u /* requests sent and not answered, per disk */
#define BLKIF_REQS_PER_MSG 2u
#define BLKIF_RSPS_PER_MSG 3u

/* Operations (the values of virtio-blk's request types, §5.2.6). */
#define BLKIF_OP_READ 0u   /* sector, len, offset: disk -> data area */
#define BLKIF_OP_WRITE 1u  /* sector, len, offset: data area -> disk */
#define BLKIF_OP_FLUSH 4u  /* writes answered before it was sent are stable */
#define BLKIF_OP_INFO 8u   /* value = the disk's size in sectors */

/* Status of a response. */
#define BLKIF_OK 0u
#define BLKIF_IOERR 1u    /* the device failed the request */
#define BLKIF_UNSUPP 2u   /* unknown operation */
#define BLKIF_RANGE 3u    /* sectors outside the virtual disk */
#define BLKIF_INVALID 4u  /* bad length, offset or alignment; malformed message */

/* A request (id: the batch's id + its index in the batch). */
struct blkif_req {
	uint32_t op;
	uint32_t len;     /* bytes: a non-zero multiple of 512 (0 for FLUSH/INFO) */
	uint64_t sector;  /* 512-byte sectors from the start of the virtual disk */
	uint64_t offset;  /* in the data area: a multiple of 512 */
};

/* A response. */
struct blkif_rsp {
	uint32_t id;      /* the request's */
	uint32_t status;
	uint64_t value;   /* INFO: sectors; otherwise 0 */
};

/* The header of a ring message's payload, either way. */
struct blkif_batch {
	uint32_t count;   /* requests 1..2, responses 1..3 */
	uint32_t version; /* BLKIF_VERSION */
};

/* The payload of a request message (ring message id = the first request's
 * id) and of a response message (ring message id unused, 0): the header
 * and `count` entries, nothing after them (len = 8 + count * entry). */
struct blkif_req_msg {
	struct blkif_batch h;
	struct blkif_req req[BLKIF_REQS_PER_MSG];
};

struct blkif_rsp_msg {
	struct blkif_batch h;
	struct blkif_rsp rsp[BLKIF_RSPS_PER_MSG];
};

_Static_assert(sizeof(struct blkif_req) == 24, "blkif request layout");
_Static_assert(sizeof(struct blkif_rsp) == 16, "blkif response layout");
_Static_assert(sizeof(struct blkif_req_msg) <= RING_DATA, "a request batch fits a slot");
_Static_assert(sizeof(struct blkif_rsp_msg) <= RING_DATA, "a response batch fits a slot");
_Static_assert(BLKIF_MAX_OUTSTANDING <= RING_SLOTS * BLKIF_REQS_PER_MSG,
	       "a front end's outstanding requests fit its request ring");

/*
 * The count of a received batch (a private copy: ring_recv's), 0 when it is
 * malformed: count 0, count above `max`, a length that is not exactly the
 * header and `count` entries of `entry` bytes, another version. Shared by
 * both ends: each checks what the other sent before looking at an entry.
 */
static inline uint32_t blkif_batch_count(const struct ring_msg *m, uint32_t entry, uint32_t max)
{
	struct blkif_batch h;

	if (m->len < sizeof(h))
		return 0;
	__builtin_memcpy(&h, m->data, sizeof(h));
	if (h.count == 0 || h.count > max || h.version != BLKIF_VERSION ||
	    m->len != sizeof(h) + h.count * entry)
		return 0;
	return h.count;
}

#endif
