/* SPDX-License-Identifier: MIT */
/*
 * The disk control protocol between a control domain (dom0) and a block
 * back end (storage-dom) that takes clients at run time
 * (docs/dynamic-guests.md, "Serving a guest made at run time"). It runs over
 * a channel the system description declares (dom0's cap "storage-ctl",
 * storage-dom's "ctl"), with the ring library: dom0 sends one request and
 * waits for its answer (same id).
 *
 *   ATTACH disk        reserve the named run-time disk for a new client and
 *                      an empty slot of the back end's connect inbox: the
 *                      answer gives the slot and the channel size dom0 then
 *                      passes to domain_connect
 *   READY slot         domain_connect put a channel end in that slot: serve
 *                      it (the back end checks the end and its size)
 *   DETACH slot        forget the client: take no more requests, wait for
 *                      what is at the device, delete the end; also undoes an
 *                      ATTACH that was never READY
 *   LIST index         the index-th client (END past the last)
 *
 * dom0 never holds an end of a client's channel: the core puts them there
 * (domain_connect); this protocol only tells the back end which disk the
 * end in a slot is for.
 */
#ifndef DOMAIN_DISKCTL_H
#define DOMAIN_DISKCTL_H

#include <stdint.h>

#define DISKCTL_NAME 32u
/* What a control domain takes on trust from the back end's answers: a disk
 * channel (ATTACH's value) of more than a ring page and at most this many
 * bytes of its pool, and at most this many LIST entries (a CSpace's slots). */
#define DISKCTL_CHANNEL_MAX (1ull << 20)
#define DISKCTL_LIST_MAX 4096u

enum diskctl_op {
	DISKCTL_ATTACH = 1,
	DISKCTL_READY = 2,
	DISKCTL_DETACH = 3,
	DISKCTL_LIST = 4,
};

enum diskctl_status {
	DISKCTL_OK = 0,
	DISKCTL_UNKNOWN_DISK = 1, /* no run-time disk of that name */
	DISKCTL_IN_USE = 2,       /* the disk is attached to another client */
	DISKCTL_INBOX_FULL = 3,   /* no free slot in the connect inbox, or no client entry */
	DISKCTL_BAD_SLOT = 4,     /* not a slot ATTACH gave, or not the end it expected */
	DISKCTL_END = 5,          /* LIST: no client of that index */
	DISKCTL_INVALID = 6,      /* a message that is not a request */
};

struct diskctl_req {
	uint32_t op;
	uint32_t arg;             /* READY, DETACH: the slot; LIST: the index */
	char disk[DISKCTL_NAME];  /* ATTACH: the disk's name, NUL-terminated */
};

struct diskctl_rsp {
	uint32_t status;
	uint32_t slot;            /* ATTACH, LIST: the inbox slot */
	uint64_t value;           /* ATTACH: channel bytes; LIST: sectors served */
	char disk[DISKCTL_NAME];  /* LIST: the disk's name */
};

_Static_assert(sizeof(struct diskctl_req) <= 56 && sizeof(struct diskctl_rsp) <= 56,
	       "one ring message each (RING_DATA)");

static inline const char *diskctl_status_name(uint32_t s)
{
	static const char *const names[] = {
		"ok", "no run-time disk of that name", "the disk is attached to another guest",
		"storage-dom's connect inbox is full", "not a slot storage-dom gave",
		"no such client", "not a request",
	};

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown status";
}

#endif
