/* SPDX-License-Identifier: MIT */
/*
 * The back end's side of a client's block ring (client.h,
 * docs/block-protocol.md "The ring"): setting it up (the intake, the
 * checks and the answers are inline in client.h, on the hot path). Only
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
