/* SPDX-License-Identifier: MIT */
/*
 * Block front end (docs/block-protocol.md): a guest's side of a virtual
 * disk served over a channel by storage-dom or any back end speaking the
 * protocol. Data goes through the channel's data area (blkfront_data):
 * the back end's device reads and writes it directly, so put write data
 * there before the request and take read data from there after it.
 */
#ifndef CLOISON_BLKFRONT_H
#define CLOISON_BLKFRONT_H

#include <stdbool.h>
#include <stdint.h>

#include "blkif.h"
#include "ring.h" /* enum ring_status */

struct blkfront {
	uint64_t slot;           /* the channel cap */
	volatile struct blkif_page *ring;
	volatile uint8_t *data;  /* the data area */
	uint32_t data_size;
	uint64_t sectors;        /* the virtual disk's size */
	uint32_t next_id;
	uint64_t waits;          /* times it slept for a response */
	uint64_t signals;        /* notifications sent to the back end */
	/* Private indices: requests written, requests the back end was shown,
	 * responses taken, the last response index the back end showed. The
	 * request array never overflows: req_prod - rsp_cons is at most
	 * BLKIF_MAX_OUTSTANDING, and the back end takes a request before it
	 * answers it. */
	uint32_t req_prod, req_published, rsp_cons, rsp_prod_seen;
	bool dead;
	const char *why;
};

/* Attach to the disk whose channel cap is `cap` and ask its size (INFO).
 * False with *why when it cannot. */
bool blkfront_init(struct blkfront *f, const char *cap, const char **why);

static inline volatile uint8_t *blkfront_data(const struct blkfront *f)
{
	return f->data;
}

/* Requests sent or queued and not answered yet. */
static inline uint32_t blkfront_outstanding(const struct blkfront *f)
{
	return f->req_prod - f->rsp_cons;
}

/* Queue a request (id returned in *id) and send it; the back end is told
 * when it asked to be. RING_FULL: BLKIF_MAX_OUTSTANDING requests are
 * outstanding (the protocol's limit): take a response first. */
enum ring_status blkfront_submit(struct blkfront *f, uint32_t op, uint64_t sector,
				 uint32_t offset, uint32_t len, uint32_t *id);

/* The same, written into the ring but not published yet: queue several,
 * then blkfront_kick once (one notification per batch at most). */
enum ring_status blkfront_queue(struct blkfront *f, uint32_t op, uint64_t sector,
				uint32_t offset, uint32_t len, uint32_t *id);
void blkfront_kick(struct blkfront *f);

/* Take one response if there is one; `wait`: sleep until there is (what
 * is queued is published first). False when none (not waiting) or the ring
 * is dead. A back end that forges its response index (more answers than
 * requests outstanding) or another version makes the ring dead: it is not
 * followed further. */
bool blkfront_response(struct blkfront *f, bool wait, uint32_t *id, struct blkif_rsp *rsp);

/* One request, waited for: its status (BLKIF_*), *value for INFO. A dead
 * ring reads as BLKIF_IOERR. */
uint32_t blkfront_io(struct blkfront *f, uint32_t op, uint64_t sector, uint32_t offset,
		     uint32_t len, uint64_t *value);

#endif
