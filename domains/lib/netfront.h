/* SPDX-License-Identifier: MIT */
/*
 * Network front end (netif.h, docs/net-protocol.md; docs/net-guests.md): a
 * guest's side of one port of a network back end (net-dom), over a channel
 * whose end 1 it holds.
 *
 * The data area is cut into NETFRONT_BUF_SIZE buffers (at most
 * NETFRONT_BUFS_MAX): the first rx_bufs receive (kept posted to the back
 * end), the rest transmit. A buffer is
 * named to the back end by its offset and tagged with its index + 1 (the
 * request id the response carries; 0 is INFO's).
 *
 * The back end is not trusted. Every response is copied once (the ring
 * library) and checked before use: its size, op and version, that its id
 * names a buffer of the right kind that is waiting for exactly that
 * response, that a received length fits the buffer and the protocol's
 * limits, that INFO's MTU and MAC are sane. A response that fails any
 * check disconnects the front end (dead, with the reason): it never reads
 * or writes outside its data area and never takes a buffer back twice.
 * A frame handed to the caller lies inside its own buffer; the back end
 * can still change its bytes meanwhile, so the caller copies it once
 * (netfront_lwip.c copies it into a pbuf).
 *
 * This file is pure (rings and memory): the host unit test runs it against
 * a fake back end. Notifying the back end is the `notify` callback;
 * netfront_attach() (netfront_lwip.c, in a domain) wires it to
 * channel_signal.
 */
#ifndef CLOISON_NETFRONT_H
#define CLOISON_NETFRONT_H

#include <stdbool.h>
#include <stdint.h>

#include "netif.h"
#include "ring.h"

#define NETFRONT_BUF_SIZE 2048u /* >= NETIF_BUF_MIN; two per 4 KiB page */
#define NETFRONT_BUFS_MAX 64u /* half of them receive at most: within net-dom's 64 posted */

_Static_assert(NETFRONT_BUF_SIZE >= NETIF_BUF_MIN, "an RX buffer takes a tagged frame");
_Static_assert(NETFRONT_BUFS_MAX < 0xffffu, "a buffer's id (index + 1) fits a TXV's u16");

enum netfront_buf {
	NETFRONT_IDLE = 0,  /* ours: an RX buffer not posted, a free TX buffer */
	NETFRONT_POSTED,    /* RX: offered to the back end */
	NETFRONT_INFLIGHT,  /* TX: handed to the back end */
	NETFRONT_FILLING,   /* TX: taken by netfront_tx_begin, not sent yet */
};

struct netfront_stats {
	uint64_t tx, tx_done, tx_dropped, tx_full; /* tx_full: no buffer or ring room */
	uint64_t rx, rx_returned;                   /* returned: a posted buffer given back unused */
	uint64_t notifies;
};

struct netfront {
	struct ring_end ring;
	volatile uint8_t *data;
	uint32_t data_size;
	uint32_t nbufs, rx_bufs;
	uint8_t state[NETFRONT_BUFS_MAX];
	/* Hints, never trusted over state[]: where the next free TX buffer
	 * is looked for first (completions come in order, so it is usually
	 * free), how many TX buffers are idle (none: fail at once, without
	 * looking at each) and how many RX buffers are (post_rx looks only
	 * then). */
	uint32_t tx_next, tx_idle, rx_idle;
	uint8_t mac[6];
	uint16_t mtu;
	bool info;      /* INFO answered */
	bool info_sent; /* INFO asked, not answered yet */
	bool down;      /* the back end said the port is down: nothing posted */
	bool kick;      /* requests queued that the back end asked to hear of */
	/* Committed frames not sent yet: one TXV message (netif.h) is
	 * filled, then sent when full, when the next buffer lies below the
	 * last (a TXV's buffers go in increasing order) or at the kick. */
	_Alignas(8) struct netif_txv txv;
	bool dead;      /* the back end broke the protocol: why */
	const char *why;
	void (*notify)(void *arg);
	void *notify_arg;
	struct netfront_stats st;
};

/* Set up on a channel's pages (ring page, data area of data_size bytes)
 * whose end 1 this domain holds: rx_bufs receive buffers (0 or more than
 * half the buffers: half), and asks INFO. Nothing is posted yet: the
 * caller waits for info with netfront_poll, which then posts them. False
 * with *why when the data area is too small. */
bool netfront_setup(struct netfront *f, void *ring_page, volatile uint8_t *data,
		    uint32_t data_size, uint32_t rx_bufs, void (*notify)(void *), void *arg,
		    const char **why);

/* A received frame, inside its buffer; copy it before returning. */
typedef void (*netfront_rx_fn)(void *arg, const volatile uint8_t *frame, uint32_t len);

/* Take up to `budget` responses: TX buffers come back, received frames go
 * to rx, INFO is recorded; the RX buffers are posted again. Returns how
 * many were taken; on a protocol violation f->dead is set and -1 returned
 * (and every later call returns -1). Kicks the back end if it asked. */
int netfront_poll(struct netfront *f, netfront_rx_fn rx, void *arg, unsigned budget);

/* A free TX buffer to write a frame into (NETFRONT_BUF_SIZE bytes), or
 * NULL (none free, dead, or no INFO yet); *buf names it for commit. */
volatile uint8_t *netfront_tx_begin(struct netfront *f, uint32_t *buf);

/* Send the len-byte frame written into buf (14..NETIF_FRAME_MAX bytes).
 * False: the buffer is free again and the frame not sent (a bad length, or
 * the ring full). Frames go up to NETIF_TXV_MAX to a ring message: with
 * kick, the message is sent at once and the back end kicked when it
 * asked; queue several with kick = false, then netfront_kick (or
 * netfront_poll) sends what is left. */
bool netfront_tx_commit(struct netfront *f, uint32_t buf, uint32_t len, bool kick);

/* Copy and send a frame: tx_begin + tx_commit. */
bool netfront_send(struct netfront *f, const void *frame, uint32_t len);

/* Send the frames committed and not sent yet, and notify the back end if
 * it asked for it (one notification per batch). */
void netfront_kick(struct netfront *f);

/* Before sleeping: ask to be notified of the next response. True if one
 * arrived meanwhile (poll again, do not sleep). */
bool netfront_arm(struct netfront *f);

#endif
