/* SPDX-License-Identifier: MIT */
/*
 * The back end's side of a client's block ring (client.h,
 * docs/block-protocol.md "The ring"): setting it up and checking requests
 * (the intake and answering are inline in client.h, on the hot path). Only
 * private copies are looked at; each index the front end writes is read
 * once per use and checked (blkring.h) before anything is read on its
 * strength. Freestanding: also built on the host by the unit tests and the
 * fuzzer (tests/unit/test_blkif.c, tests/fuzz/fuzz_blkif.c).
 */
#include "client.h"

void client_ring_init(struct client_ring *r, void *page)
{
	r->p = page;
	r->req_cons = r->req_prod_seen = 0;
	r->rsp_prod = r->rsp_published = r->rsp_cons_seen = 0;
	r->version_ok = r->dead = false;
	r->why = 0;
	r->p->back.version = BLKIF_VERSION;
}

uint32_t client_check(const struct client *c, const struct blkif_req *r, uint64_t *value)
{
	*value = 0;
	switch (r->op) {
	case BLKIF_OP_INFO:
		if (r->len != 0)
			return BLKIF_INVALID;
		*value = c->sectors;
		return CLIENT_ANSWER_NOW;
	case BLKIF_OP_FLUSH:
		return r->len == 0 ? BLKIF_OK : BLKIF_INVALID;
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		break;
	default:
		return BLKIF_UNSUPP;
	}
	/* Length and buffer: whole sectors, inside the data area, no wrap. */
	if (r->len == 0 || r->len % BLKIF_SECTOR || r->offset % BLKIF_SECTOR ||
	    r->offset > c->data_size || r->len > c->data_size - r->offset)
		return BLKIF_INVALID;
	/* Sectors: inside the extent, no wrap. */
	if (r->sector >= c->sectors || r->len / BLKIF_SECTOR > c->sectors - r->sector)
		return BLKIF_RANGE;
	return BLKIF_OK;
}
