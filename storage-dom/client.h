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
uint32_t client_check(const struct client *c, const struct blkif_req *r, uint64_t *value);

/* Start serving the ring page at `page` (zeroed by whoever made the
 * channel): writes the back end's version word. */
void client_ring_init(struct client_ring *r, void *page);

/*
 * How many requests may be taken now: those published and not taken, as
 * far as the front end has room for their answers (taken and not consumed
 * at most BLKIF_RING_SIZE, so every answer has its response entry). Reads
 * and checks the front end's producer index, version and response consumer
 * index, once each; a forged one makes the ring dead (0, r->why says why).
 */
uint32_t client_avail(struct client_ring *r);

/* Copy the next request once into *out (only after client_avail said so). */
void client_take(struct client_ring *r, struct blkif_req *out);

/* Write an answer into the response array (room is certain, see
 * client_avail); nothing on a dead ring. */
void client_answer(struct client_ring *r, uint32_t id, uint32_t status, uint64_t value);

/* Publish the answers written and the requests taken; true if the front
 * end asked to be told (its event index crossed). */
bool client_publish(struct client_ring *r);

/* Before sleeping: ask to be told of the next request; true if one that
 * can be taken arrived meanwhile (then do not sleep). */
bool client_arm(struct client_ring *r);

#endif
