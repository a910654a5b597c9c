/* SPDX-License-Identifier: MIT */
/*
 * One client of the back end: a virtual disk served over one channel
 * (docs/block-protocol.md). Each request is copied once into private
 * memory by the ring library and only the copy is checked (blkif.h's
 * blkif_batch_count for the batch, check.c for each request);
 * a client that forges its ring is disconnected alone.
 */
#ifndef STORAGE_CLIENT_H
#define STORAGE_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "blkif.h"
#include "ring.h"

struct client {
	char name[32];
	uint64_t slot;           /* channel cap */
	uint32_t vintid;         /* its notifications arrive as this vIRQ */
	struct ring_end ring;
	uint64_t data_pa;        /* physical address of the data area */
	uint64_t data_size;
	uint64_t start, sectors; /* the extent on the physical disk */
	uint32_t in_flight;      /* requests at the device */
	/* Requests taken and not answered into the ring yet (at the device,
	 * waiting for it, or answered in q): at most BLKIF_MAX_OUTSTANDING,
	 * the back end's bound on what one client holds. */
	uint32_t owed;
	bool stalled;            /* serving stopped at that bound */
	/* The request batch taken last (the ring's private copy, checked):
	 * its requests next..n-1 still wait for room at the device. */
	struct ring_msg take;
	uint32_t take_n, take_next;
	/* Answers not in the ring yet: sent BLKIF_RSPS_PER_MSG to a message
	 * at the end of each round, as far as the ring has room. */
	struct blkif_rsp q[BLKIF_MAX_OUTSTANDING];
	uint32_t q_head, q_n;
	bool reported_dead;
	uint64_t served, refused;
};

/* client_check's answer for INFO: reply BLKIF_OK with *value, no I/O. */
#define CLIENT_ANSWER_NOW 0x100u

/*
 * Check a request (a private copy, from a batch whose count, length and
 * version blkif_batch_count accepted) against the client's extent and data
 * area. BLKIF_OK: submit it (op READ/WRITE/FLUSH); CLIENT_ANSWER_NOW: reply
 * OK with *value (INFO); otherwise the error status to reply with.
 */
uint32_t client_check(const struct client *c, const struct blkif_req *r, uint64_t *value);

#endif
