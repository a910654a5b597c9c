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
 */
#ifndef CLOISON_BLKIF_H
#define CLOISON_BLKIF_H

#include <stdint.h>

#define BLKIF_VERSION 1u
#define BLKIF_SECTOR 512u
#define BLKIF_DATA_OFFSET 4096u /* the data area starts after the ring page */
#define BLKIF_BACKEND_END 0u    /* channel end of the back end */
#define BLKIF_FRONTEND_END 1u

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

/* A request: the payload of one ring message (id = the front end's tag). */
struct blkif_req {
	uint32_t op;
	uint32_t len;     /* bytes: a non-zero multiple of 512 (0 for FLUSH/INFO) */
	uint64_t sector;  /* 512-byte sectors from the start of the virtual disk */
	uint64_t offset;  /* in the data area: a multiple of 512 */
};

/* A response: id = the request's id. */
struct blkif_rsp {
	uint32_t status;
	uint32_t version; /* BLKIF_VERSION */
	uint64_t value;   /* INFO: sectors; otherwise 0 */
};

_Static_assert(sizeof(struct blkif_req) == 24, "blkif request layout");
_Static_assert(sizeof(struct blkif_rsp) == 16, "blkif response layout");

#endif
