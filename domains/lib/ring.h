/* SPDX-License-Identifier: MIT */
/*
 * Message rings over a channel's shared pages (docs/architecture.md, "Channels and rings").
 *
 * The page holds two one-way rings, one per direction: end 0 produces into
 * dir[0] and consumes dir[1], end 1 the other way round. Each ring has a
 * header (prod, cons, event) and RING_SLOTS fixed-size slots.
 *
 * The peer is not trusted. Following the lessons of Xen's ring advisories:
 *  - a slot is copied once into private memory, and only the copy is
 *    checked and used (a peer rewriting the slot meanwhile changes nothing);
 *  - an index the peer wrote is read once per use and checked: a producer
 *    index that runs ahead of the consumer by more than the ring size, or
 *    goes backwards, or a consumer index beyond what was produced, marks the
 *    ring dead with the reason: a misbehaving peer is disconnected, and only
 *    that peer;
 *  - every byte this end writes to shared memory is deterministic (whole
 *    slots, padding zeroed);
 *  - notifications are batched: a consumer asks for one (event index) only
 *    when it runs out of work, and a producer notifies only when its new
 *    messages cross that index, so a busy ring takes no notification at all.
 */
#ifndef CLOISON_RING_H
#define CLOISON_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RING_SLOTS 16u        /* power of two */
#define RING_DATA 56u         /* payload bytes per message */

struct ring_msg {
	/* 8-aligned, so the ring moves a slot as 8 aligned words (ring.c). */
	_Alignas(8) uint32_t id;
	uint32_t len;         /* bytes of data used, <= RING_DATA */
	uint8_t data[RING_DATA];
};

struct ring_dir {
	uint32_t prod;        /* written by the producer */
	uint32_t cons;        /* written by the consumer */
	uint32_t event;       /* consumer: notify me when prod passes this */
	uint32_t reserved[13];
	struct ring_msg slot[RING_SLOTS];
};

struct ring_page {
	struct ring_dir dir[2];
};

_Static_assert(sizeof(struct ring_msg) == 64, "one slot is 64 bytes");
_Static_assert(_Alignof(struct ring_msg) == 8, "a slot is whole aligned words");
_Static_assert(sizeof(struct ring_dir) == 64 + 64 * RING_SLOTS, "ring layout");
_Static_assert(sizeof(struct ring_page) <= 4096, "a ring page fits a 4 KiB channel");
_Static_assert((RING_SLOTS & (RING_SLOTS - 1)) == 0, "slots: a power of two");

enum ring_status {
	RING_OK = 0,
	RING_EMPTY,   /* nothing to receive */
	RING_FULL,    /* no room to send */
	RING_DEAD,    /* the peer misbehaved; see ring_end.why */
	RING_INVALID, /* bad argument from this end's own code */
};

/* This end's private state: never in shared memory. */
struct ring_end {
	volatile struct ring_dir *tx, *rx;
	uint32_t tx_prod;      /* what we produced */
	uint32_t tx_cons_seen; /* last consumer index the peer showed us */
	uint32_t rx_cons;      /* what we consumed */
	uint32_t rx_prod_seen; /* last producer index the peer showed us */
	bool dead;
	const char *why;
	uint64_t sent, received, notifies;
};

/* end: 0 or 1, which end of the channel this domain holds. When `reset`,
 * also zero the page (the side that sets the ring up). */
enum ring_status ring_init(struct ring_end *e, void *page, unsigned end, bool reset);

/* Send one message; *notify says whether the peer asked to be told. */
enum ring_status ring_send(struct ring_end *e, const void *data, uint32_t len,
			   uint32_t id, bool *notify);

/* Free slots for sending right now (0 if full or dead). */
uint32_t ring_space(struct ring_end *e);

/* Receive one message into *out (a private copy, already checked). */
enum ring_status ring_recv(struct ring_end *e, struct ring_msg *out);

/* The next message into *out as ring_recv does, left in the ring: the
 * consumer decides from the copy whether it can take it now, then
 * ring_consume hands the slot back (the copy stays the only one used). */
enum ring_status ring_peek(struct ring_end *e, struct ring_msg *out);
void ring_consume(struct ring_end *e);

/* Before sleeping: ask to be notified of the next message. Returns true if
 * one arrived meanwhile (then do not sleep, receive again). */
bool ring_arm(struct ring_end *e);

#endif
