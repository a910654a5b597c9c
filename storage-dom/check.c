/* SPDX-License-Identifier: MIT */
/* Request checking (client.h): only the private copy is looked at. */
/* Freestanding: also built on the host by the fuzzer (tests/fuzz/fuzz_blkif.c). */
#include "client.h"

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
