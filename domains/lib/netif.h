/* SPDX-License-Identifier: MIT */
/*
 * The network protocol between a guest's front end and a network back end
 * (net-dom, or any alternative): docs/net-protocol.md is the contract; this
 * header is its C form.
 *
 * One port per channel. The channel's first 4 KiB page holds the two one-way
 * rings of the ring library (ring.h): messages from the front end (end 1) to
 * the back end (end 0) and back. The rest of the channel is the data area,
 * cut by the front end into buffers it names by offset: it puts frames to
 * send there (TX) and offers empty buffers for frames to receive (RX_POST).
 * The back end copies into private memory only the headers it checks or
 * rewrites; the rest of a transmitted frame goes to the device from the data
 * area, and a received frame is copied once into a posted buffer.
 */
#ifndef CLOISON_NETIF_H
#define CLOISON_NETIF_H

#include <stdint.h>

#define NETIF_VERSION 3u
#define NETIF_DATA_OFFSET 4096u /* the data area starts after the ring page */
#define NETIF_BACKEND_END 0u    /* channel end of the back end */
#define NETIF_FRONTEND_END 1u
#define NETIF_MTU 1500u
#define NETIF_FRAME_MAX (NETIF_MTU + 18u) /* a tagged frame, no FCS */
#define NETIF_BUF_MIN NETIF_FRAME_MAX     /* the least an RX buffer may offer */

/* Front end -> back end (ring_msg.id: the front end's tag for the buffer). */
#define NETIF_OP_TX 1u      /* send the len-byte frame at offset */
#define NETIF_OP_RX_POST 2u /* offset..offset+len is free for one received frame */
#define NETIF_OP_INFO 3u    /* ask for version, MTU and the port's MAC (len, offset 0) */
#define NETIF_OP_TXV 4u     /* send 1..NETIF_TXV_MAX frames: struct netif_txv */

/* Back end -> front end (ring_msg.id: the id of the request answered). */
#define NETIF_RSP_TX_DONE 1u /* the TX buffers are the front end's again: the
			      * ring message's id, then `len` more ids (u32)
			      * after the response, all with its status */
#define NETIF_RSP_RX 2u      /* the posted buffer holds a len-byte frame */
#define NETIF_RSP_INFO 3u
#define NETIF_RSP_RXV 4u    /* frames delivered: `len` (1..7) struct netif_rxd
			     * after the response (ring_msg.id 0), status OK */

/* Status of a response. */
#define NETIF_OK 0u
#define NETIF_DROPPED 1u  /* refused by policy (spoofing, VLAN, rate, ...): counted */
#define NETIF_INVALID 2u  /* malformed request: the port is disabled */
#define NETIF_UNSUPP 3u   /* unknown op */
#define NETIF_DOWN 4u     /* the port is disabled or detached: buffer returned unused */

struct netif_req {
	uint32_t op;
	uint32_t len;    /* TX: frame bytes, 14..NETIF_FRAME_MAX; RX_POST: >= NETIF_BUF_MIN */
	uint64_t offset; /* in the data area; the buffer must lie inside it */
};

struct netif_rsp {
	uint32_t op;      /* NETIF_RSP_* */
	uint32_t status;  /* NETIF_OK ... */
	uint32_t len;     /* RX: frame bytes written at the buffer's start;
			   * TX_DONE: how many more ids follow */
	uint32_t version; /* NETIF_VERSION */
	uint8_t mac[6];   /* INFO: the port's configured MAC */
	uint16_t mtu;     /* INFO: NETIF_MTU */
	uint32_t reserved; /* zero */
};

/* Several frames to send in one ring message (version 3): `n` (1..6)
 * descriptors, in increasing offset order and not overlapping; the
 * message is 8 + 8 * n bytes. Each is answered as a TX of its id. A
 * message that breaks any of this disables the port before any of its
 * frames is taken. */
struct netif_txd {
	uint32_t offset; /* in the data area */
	uint16_t len;    /* frame bytes, as a TX's */
	uint16_t id;     /* the front end's tag, echoed by the TX_DONE */
};

#define NETIF_TXV_MAX 6u

/* The back end takes a request only while the response ring (16 slots)
 * has room for NETIF_TXV_MAX responses beyond those it owes: a front end
 * that finds this many responses waiting signals it after taking them
 * (a ring already past its event index would not notify). */
#define NETIF_RSP_KICK (16u - NETIF_TXV_MAX + 1u)

struct netif_txv {
	uint32_t op; /* NETIF_OP_TXV */
	uint32_t n;
	struct netif_txd d[NETIF_TXV_MAX];
};

/* A TX_DONE answers up to 1 + NETIF_TX_DONE_MORE requests in one ring
 * message: sizeof(struct netif_rsp) + 4 * len bytes (len <= this). */
#define NETIF_TX_DONE_MORE 7u

/* One frame of an RXV (version 3): the posted buffer `id` holds a
 * `len`-byte frame at its start. */
struct netif_rxd {
	uint16_t id;
	uint16_t len;
};

#define NETIF_RXV_MAX 7u

_Static_assert(sizeof(struct netif_req) == 16, "netif request layout");
_Static_assert(sizeof(struct netif_rsp) == 28, "netif response layout");
_Static_assert(sizeof(struct netif_txd) == 8, "netif TX descriptor layout");
_Static_assert(sizeof(struct netif_txv) <= 56, "a TXV fits one ring message (RING_DATA)");
_Static_assert(sizeof(struct netif_rsp) + NETIF_RXV_MAX * sizeof(struct netif_rxd) <= 56,
	       "an RXV fits one ring message (RING_DATA)");

#endif
