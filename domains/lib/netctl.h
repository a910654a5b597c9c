/* SPDX-License-Identifier: MIT */
/*
 * The port control protocol between a control domain (dom0) and the
 * switch (net-dom) for guests made at run time (docs/dynamic-guests.md,
 * "Serving a guest made at run time"; docs/net-dom.md, "Run-time ports").
 * The same shape as the disk control protocol (diskctl.h), over a channel
 * the system description declares (dom0's cap "net-ctl", net-dom's "ctl"),
 * with the ring library: dom0 sends one request and waits for its answer
 * (same id).
 *
 *   ATTACH port vlan   reserve the run-time port numbered `port` (a
 *                      [[netport]] with runtime = true) for a new client in
 *                      VLAN `vlan` (0: the port's own), and an empty slot of
 *                      net-dom's connect inbox: the answer gives the slot
 *                      and the channel size dom0 passes to domain_connect
 *   READY slot         domain_connect put a channel end in that slot: serve
 *                      it (net-dom checks the end and its size)
 *   DETACH slot        forget the client: take no more requests, wait until
 *                      the NIC has sent what it holds of the guest's
 *                      buffers, delete the end, forget what the switch
 *                      learned of the port; also undoes an ATTACH that was
 *                      never READY
 *   LIST index         the index-th run-time port, attached or free (END
 *                      past the last)
 *
 * The port's identity (MAC, addresses, mode, VLANs, rate) is the
 * description's: dom0 only names a port and a VLAN the description allows
 * for it, so it can never give a guest another identity.
 */
#ifndef DOMAIN_NETCTL_H
#define DOMAIN_NETCTL_H

#include <stdint.h>

/* What a control domain takes on trust from the switch's answers: a port
 * channel (ATTACH's value) of more than a ring page and at most this many
 * bytes of its pool, and at most this many LIST entries. */
#define NETCTL_CHANNEL_MAX (1ull << 20)
#define NETCTL_LIST_MAX 64u

enum netctl_op {
	NETCTL_ATTACH = 1,
	NETCTL_READY = 2,
	NETCTL_DETACH = 3,
	NETCTL_LIST = 4,
};

enum netctl_status {
	NETCTL_OK = 0,
	NETCTL_UNKNOWN_PORT = 1, /* no run-time port of that number */
	NETCTL_IN_USE = 2,       /* the port serves another client */
	NETCTL_BAD_VLAN = 3,     /* not a VLAN the description allows on the port */
	NETCTL_INBOX_FULL = 4,   /* no free slot in the connect inbox */
	NETCTL_BAD_SLOT = 5,     /* not a slot ATTACH gave, or not the end it expected */
	NETCTL_END = 6,          /* LIST: no run-time port of that index */
	NETCTL_INVALID = 7,      /* a message that is not a request */
};

/* LIST: a port's state. */
enum netctl_state {
	NETCTL_FREE = 0,         /* no client: frames to its MAC are dropped */
	NETCTL_RESERVED = 1,     /* ATTACH answered, READY not yet */
	NETCTL_ATTACHED = 2,     /* serving a guest */
	NETCTL_CLOSING = 3,      /* detached or gone, the NIC still holds its frames */
};

struct netctl_req {
	uint32_t op;
	uint32_t arg;            /* READY, DETACH: the slot; LIST: the index */
	uint16_t port;           /* ATTACH: the run-time port's number */
	uint16_t vlan;           /* ATTACH: the guest's VLAN; 0: the port's */
	uint32_t pad;
};

struct netctl_rsp {
	uint32_t status;
	uint32_t slot;           /* ATTACH, LIST: the inbox slot (LIST: 0 if free) */
	uint64_t value;          /* ATTACH: channel bytes; LIST: frames in */
	uint64_t frames_out;     /* LIST: frames out */
	uint16_t port, vlan;     /* LIST: the port's number and VLAN (its PVID) */
	uint8_t mac[6];          /* LIST: the port's MAC */
	uint8_t state;           /* LIST: enum netctl_state */
	uint8_t pad[5];
};

_Static_assert(sizeof(struct netctl_req) <= 56 && sizeof(struct netctl_rsp) <= 56,
	       "one ring message each (RING_DATA)");

static inline const char *netctl_status_name(uint32_t s)
{
	static const char *const names[] = {
		"ok", "no run-time port of that number", "the port serves another guest",
		"the port does not allow that VLAN", "net-dom's connect inbox is full",
		"not a slot net-dom gave", "no such port", "not a request",
	};

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown status";
}

static inline const char *netctl_state_name(uint32_t s)
{
	static const char *const names[] = { "free", "reserved", "attached", "closing" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

#endif
