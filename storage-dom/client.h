/* SPDX-License-Identifier: MIT */
/*
 * One client of the back end: a virtual disk served over one channel
 * (docs/block-protocol.md). Each request is copied once from the block
 * ring (blkif.h) into private memory and only the copy is checked
 * (check.c); a client that forges an index of its ring is disconnected
 * alone, with the reason.
 */
#ifndef STORAGE_CLIENT_H
#define STORAGE_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "blkif.h"

/* This side of a client's block ring: private, never in shared memory. */
struct client_ring {
	volatile struct blkif_page *p;
	uint32_t req_cons;       /* requests taken */
	uint32_t req_prod_seen;  /* the last producer index the front end showed */
	uint32_t rsp_prod;       /* responses written */
	uint32_t rsp_published;  /* responses the front end was shown */
	uint32_t rsp_cons_seen;  /* the last consumer index the front end showed */
	bool version_ok;         /* the front end's version word was seen right */
	bool dead;
	const char *why;
};

struct client {
	char name[32];
	uint64_t slot;           /* channel cap */
	uint32_t vintid;         /* its notifications arrive as this vIRQ */
	struct client_ring ring;
	uint64_t data_pa;        /* physical address of the data area */
	uint64_t data_size;
	uint64_t start, sectors; /* the extent on the physical disk */
	uint32_t in_flight;      /* requests at the device */
	/* A request taken (copied, checked) that waits for room at the device. */
	struct blkif_req held;
	bool holding;
	bool reported_dead;
	uint64_t served, refused;
};

/* client_check's answer for INFO: reply BLKIF_OK with *value, no I/O. */
#define CLIENT_ANSWER_NOW 0x100u

/*
 * Check a request (a private copy) against the client's extent and data
 * area. BLKIF_OK: submit it (op READ/WRITE/FLUSH); CLIENT_ANSWER_NOW: reply
 * OK with *value (INFO); otherwise the error status to reply with.
 */
static inline uint32_t client_check(const struct client *c, const struct blkif_req *r, uint64_t *value)
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

/* Start serving the ring page at `page` (zeroed by whoever made the
 * channel): writes the back end's version word. */
void client_ring_init(struct client_ring *r, void *page);

/* Mark the ring dead with the first reason; 0 (nothing to take). */
static inline uint32_t client_kill(struct client_ring *r, const char *why)
{
	if (!r->dead) {
		r->dead = true;
		r->why = why;
	}
	return 0;
}

/*
 * How many requests may be taken now: those published and not taken, as
 * far as the front end has room for their answers (taken and not consumed
 * at most BLKIF_RING_SIZE, so every answer has its response entry). Reads
 * and checks the front end's producer index, version and response consumer
 * index, once each; a forged one makes the ring dead (0, r->why says why).
 */
static inline uint32_t client_avail(struct client_ring *r)
{
	uint32_t prod, cons, room;

	if (r->dead)
		return 0;
	prod = r->p->front.req_prod;
	if (!blkring_prod_ok(prod, r->req_prod_seen, r->req_cons, BLKIF_RING_SIZE))
		return client_kill(r, "request producer index went back or ran ahead of the ring");
	r->req_prod_seen = prod;
	if (!r->version_ok) {
		/* A front end writes its version before it publishes its first
		 * request; any other value, or none under a request, is another
		 * version (version 2's producer index lies on the word). */
		uint32_t v;

		blkring_mb(); /* the index before the version it covers */
		v = r->p->front.version;
		if (v != BLKIF_VERSION && (v != 0 || prod != r->req_cons))
			return client_kill(r, "the front end speaks another block protocol version "
					      "(its version word is not 3)");
		r->version_ok = v == BLKIF_VERSION;
	}
	if (prod == r->req_cons)
		return 0;
	blkring_mb(); /* the index before the entries it publishes */
	cons = r->p->front.rsp_cons;
	if (!blkring_cons_ok(cons, r->rsp_cons_seen, r->rsp_prod))
		return client_kill(r, "response consumer index went back or past the responses");
	r->rsp_cons_seen = cons;
	/* Taken and not consumed: at most BLKIF_RING_SIZE (cons <= rsp_prod <=
	 * req_cons, and nothing is taken past that), so each answer finds its
	 * response entry free. */
	room = BLKIF_RING_SIZE - (r->req_cons - cons);
	return prod - r->req_cons < room ? prod - r->req_cons : room;
}

/* Copy the next request once into *out (only after client_avail said so). */
static inline void client_take(struct client_ring *r, struct blkif_req *out)
{
	blkif_req_read(&r->p->req[r->req_cons++ & (BLKIF_RING_SIZE - 1)], out);
}

/* Write an answer into the response array (room is certain, see
 * client_avail); nothing on a dead ring. */
static inline void client_answer(struct client_ring *r, uint32_t id, uint32_t status, uint64_t value)
{
	if (r->dead)
		return;
	blkif_rsp_write(&r->p->rsp[r->rsp_prod++ & (BLKIF_RING_SIZE - 1)], id, status, value);
}

/* Publish the answers written and the requests taken; true if the front
 * end asked to be told (its event index crossed). */
static inline bool client_publish(struct client_ring *r)
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

/* Before sleeping: ask to be told of the next request; true if one that
 * can be taken arrived meanwhile (then do not sleep). */
static inline bool client_arm(struct client_ring *r)
{
	if (r->dead)
		return false;
	r->p->back.req_event = r->req_cons + 1;
	blkring_mb(); /* the event before the second look at the index */
	return client_avail(r) != 0;
}

#endif
