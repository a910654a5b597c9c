/* SPDX-License-Identifier: MIT */
/*
 * The back end's side of a client's block ring (client.h,
 * docs/block-protocol.md "The ring"): intake, checking and answering. Only
 * private copies are looked at; each index the front end writes is read
 * once per use and checked (blkring.h) before anything is read on its
 * strength. Freestanding: also built on the host by the unit tests and the
 * fuzzer (tests/unit/test_blkif.c, tests/fuzz/fuzz_blkif.c).
 */
#include "client.h"

#define MASK (BLKIF_RING_SIZE - 1)

static uint32_t kill(struct client_ring *r, const char *why)
{
	if (!r->dead) {
		r->dead = true;
		r->why = why;
	}
	return 0;
}

void client_ring_init(struct client_ring *r, void *page)
{
	r->p = page;
	r->req_cons = r->req_prod_seen = 0;
	r->rsp_prod = r->rsp_published = r->rsp_cons_seen = 0;
	r->version_ok = r->dead = false;
	r->why = 0;
	r->p->back.version = BLKIF_VERSION;
}

uint32_t client_avail(struct client_ring *r)
{
	uint32_t prod, cons, room;

	if (r->dead)
		return 0;
	prod = r->p->front.req_prod;
	if (!blkring_prod_ok(prod, r->req_prod_seen, r->req_cons, BLKIF_RING_SIZE))
		return kill(r, "request producer index went back or ran ahead of the ring");
	r->req_prod_seen = prod;
	if (prod == r->req_cons)
		return 0;
	blkring_mb(); /* the index before what it publishes: the version, the entries */
	if (!r->version_ok) {
		/* A front end writes its version before its first request. */
		if (r->p->front.version != BLKIF_VERSION)
			return kill(r, "the front end speaks another block protocol version "
				       "(its version word is not 3)");
		r->version_ok = true;
	}
	cons = r->p->front.rsp_cons;
	if (!blkring_cons_ok(cons, r->rsp_cons_seen, r->rsp_prod))
		return kill(r, "response consumer index went back or past the responses");
	r->rsp_cons_seen = cons;
	/* Taken and not consumed: at most BLKIF_RING_SIZE (cons <= rsp_prod <=
	 * req_cons, and nothing is taken past that), so each answer finds its
	 * response entry free. */
	room = BLKIF_RING_SIZE - (r->req_cons - cons);
	return prod - r->req_cons < room ? prod - r->req_cons : room;
}

void client_take(struct client_ring *r, struct blkif_req *out)
{
	blkif_req_read(&r->p->req[r->req_cons++ & MASK], out);
}

void client_answer(struct client_ring *r, uint32_t id, uint32_t status, uint64_t value)
{
	if (r->dead)
		return;
	blkif_rsp_write(&r->p->rsp[r->rsp_prod++ & MASK], id, status, value);
}

bool client_publish(struct client_ring *r)
{
	uint32_t old = r->rsp_published;

	if (r->dead)
		return false;
	r->p->back.req_cons = r->req_cons;
	if (r->rsp_prod == old)
		return false;
	blkring_mb(); /* the responses before the index that publishes them */
	r->p->back.rsp_prod = r->rsp_prod;
	r->rsp_published = r->rsp_prod;
	blkring_mb(); /* the index before reading the front end's event */
	return blkring_crossed(r->rsp_prod, old, r->p->front.rsp_event);
}

bool client_arm(struct client_ring *r)
{
	if (r->dead)
		return false;
	r->p->back.req_event = r->req_cons + 1;
	blkring_mb(); /* the event before the second look at the index */
	return client_avail(r) != 0;
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
