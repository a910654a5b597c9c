/* SPDX-License-Identifier: MIT */
/*
 * The block protocol between a guest's front end and a block back end
 * (storage-dom, or any alternative): docs/block-protocol.md is the
 * contract; this header is its C form.
 *
 * One virtual disk per channel. The channel's first 4 KiB page holds the
 * block ring (struct blkif_page): a header written by each side, an array
 * of BLKIF_RING_SIZE requests (front end to back end) and one of
 * BLKIF_RING_SIZE responses, with free-running indices and event indices
 * (blkring.h's rules). The rest of the channel is the data area: the front
 * end puts write data there and gets read data there, and the back end has
 * the device DMA straight to and from it (no copy). A request names its
 * buffer by offset in the data area.
 */
#ifndef CLOISON_BLKIF_H
#define CLOISON_BLKIF_H

#include <stddef.h>
#include <stdint.h>

#include "blkring.h"

#define BLKIF_VERSION 3u
#define BLKIF_SECTOR 512u
#define BLKIF_DATA_OFFSET 4096u /* the data area starts after the ring page */
#define BLKIF_BACKEND_END 0u    /* channel end of the back end */
#define BLKIF_FRONTEND_END 1u
#define BLKIF_RING_SIZE 32u       /* entries each way, a power of two */
#define BLKIF_MAX_OUTSTANDING 32u /* requests sent and not answered, per disk */

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
#define BLKIF_INVALID 4u  /* bad length, offset or alignment */

/* A request: three 8-byte words. */
struct blkif_req {
	uint32_t id;      /* the front end's, echoed in the response */
	uint32_t op;
	uint64_t sector;  /* 512-byte sectors from the start of the virtual disk */
	uint32_t len;     /* bytes: a non-zero multiple of 512 (0 for FLUSH/INFO) */
	uint32_t offset;  /* in the data area: a multiple of 512 */
};

/* A response: two 8-byte words. */
struct blkif_rsp {
	uint32_t id;      /* the request's */
	uint32_t status;
	uint64_t value;   /* INFO: sectors; otherwise 0 */
};

/* Written by the back end only. */
struct blkif_back_hdr {
	uint32_t version;   /* BLKIF_VERSION, from attaching on */
	uint32_t req_cons;  /* requests taken (informative: no front end needs it) */
	uint32_t req_event; /* signal me when req_prod passes this */
	uint32_t rsp_prod;  /* responses written */
	uint32_t reserved[12];
};

/* Written by the front end only. */
struct blkif_front_hdr {
	uint32_t version;   /* BLKIF_VERSION, before its first request */
	uint32_t req_prod;  /* requests written */
	uint32_t rsp_cons;  /* responses taken */
	uint32_t rsp_event; /* signal me when rsp_prod passes this */
	uint32_t reserved[12];
};

/* The ring page. The front end's header sits where version 2's request
 * ring header was (its producer index at 1088): a version-2 front end's
 * first request writes 1 into the version word and is refused. */
struct blkif_page {
	struct blkif_back_hdr back;                     /* 0 */
	uint8_t pad0[1088 - sizeof(struct blkif_back_hdr)];
	struct blkif_front_hdr front;                   /* 1088 */
	struct blkif_req req[BLKIF_RING_SIZE];          /* 1152 */
	uint8_t pad1[2048 - 1152 - BLKIF_RING_SIZE * sizeof(struct blkif_req)];
	struct blkif_rsp rsp[BLKIF_RING_SIZE];          /* 2048 */
	uint8_t pad2[4096 - 2048 - BLKIF_RING_SIZE * sizeof(struct blkif_rsp)];
};

_Static_assert(sizeof(struct blkif_req) == 24, "blkif request layout");
_Static_assert(sizeof(struct blkif_rsp) == 16, "blkif response layout");
_Static_assert(offsetof(struct blkif_page, front) == 1088, "front header");
_Static_assert(offsetof(struct blkif_page, req) == 1152, "request array");
_Static_assert(offsetof(struct blkif_page, rsp) == 2048, "response array");
_Static_assert(sizeof(struct blkif_page) == 4096, "the ring is one page");
_Static_assert((BLKIF_RING_SIZE & (BLKIF_RING_SIZE - 1)) == 0, "ring size: a power of two");
_Static_assert(BLKIF_MAX_OUTSTANDING <= BLKIF_RING_SIZE,
	       "a front end's outstanding requests fit its request array, their answers the response array");

/* Entries move between private and shared memory as aligned 8-byte words:
 * each shared word read (or written) once. may_alias: a view of the
 * entries. */
typedef uint64_t __attribute__((may_alias)) blkif_word;

static inline void blkif_req_read(const volatile struct blkif_req *e, struct blkif_req *out)
{
	const volatile blkif_word *s = (const volatile blkif_word *)e;
	blkif_word *d = (blkif_word *)out;

	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
}

static inline void blkif_req_write(volatile struct blkif_req *e, const struct blkif_req *r)
{
	volatile blkif_word *d = (volatile blkif_word *)e;
	const blkif_word *s = (const blkif_word *)r;

	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
}

static inline void blkif_rsp_read(const volatile struct blkif_rsp *e, struct blkif_rsp *out)
{
	const volatile blkif_word *s = (const volatile blkif_word *)e;
	blkif_word *d = (blkif_word *)out;

	d[0] = s[0];
	d[1] = s[1];
}

static inline void blkif_rsp_write(volatile struct blkif_rsp *e, uint32_t id, uint32_t status,
				   uint64_t value)
{
	volatile blkif_word *d = (volatile blkif_word *)e;

	d[0] = (blkif_word)id | (blkif_word)status << 32; /* little-endian: id, status */
	d[1] = value;
}

#endif
