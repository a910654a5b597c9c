/* SPDX-License-Identifier: MIT */
/*
 * The network front end (domains/lib/netfront.c) against a hostile back
 * end: each input is a stream of responses (op, status, id, length,
 * version, MTU, MAC drawn from the input, biased towards plausible
 * values) and of front-end sends (at once, or committed to a TXV sent
 * later) and polls; every TXV the front end sends is checked as the back
 * end checks it. The data area is an
 * exact-size heap block, so ASan catches any access outside it. Checked
 * after every step: a frame handed to the caller lies inside one RX buffer
 * and has a protocol length; a dead front end stays dead and hands out
 * nothing; the buffers' states stay those the front end can be in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netfront.h"

#define DATA_SIZE (24u * NETFRONT_BUF_SIZE)

static struct netfront f;
static struct ring_end be;
static struct ring_page *page;
static uint8_t *data;

static void on_rx(void *arg, const volatile uint8_t *frame, uint32_t len)
{
	uintptr_t off = (uintptr_t)(frame - (const volatile uint8_t *)data);

	(void)arg;
	if (off % NETFRONT_BUF_SIZE || off / NETFRONT_BUF_SIZE >= f.rx_bufs || len < 14 ||
	    len > NETIF_FRAME_MAX)
		abort();
	volatile uint8_t sink = 0;

	for (uint32_t i = 0; i < len; i++)
		sink ^= frame[i];
	(void)sink;
}

struct in {
	const uint8_t *d;
	size_t n;
};

static uint8_t take(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->d++;
}

static uint32_t take32(struct in *in)
{
	return (uint32_t)take(in) | (uint32_t)take(in) << 8 | (uint32_t)take(in) << 16 |
	       (uint32_t)take(in) << 24;
}

/* A request the front end sent: a TXV is what the back end accepts
 * (netif.h): 1..6 frames, its length, buffers in increasing order inside
 * the data area, each a TX buffer named by its id, a frame length. */
static void check_request(const struct ring_msg *m)
{
	struct netif_txv v;
	uint64_t end = 0;

	if (m->len < 8 || ((const struct netif_txv *)(const void *)m->data)->op != NETIF_OP_TXV)
		return;
	memcpy(&v, m->data, m->len);
	if (v.n < 1 || v.n > NETIF_TXV_MAX || m->len != 8u + 8u * v.n)
		abort();
	for (uint32_t i = 0; i < v.n; i++) {
		const struct netif_txd *t = &v.d[i];

		if (t->offset < end || (uint64_t)t->offset + t->len > DATA_SIZE || t->len < 14 ||
		    t->len > NETIF_FRAME_MAX || t->id <= f.rx_bufs || t->id > f.nbufs ||
		    t->offset != (t->id - 1u) * NETFRONT_BUF_SIZE)
			abort();
		end = (uint64_t)t->offset + t->len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct in in = { d, size };
	const char *why = NULL;
	uint8_t frame[320] = { 0 };

	if (!page) {
		page = malloc(sizeof(*page));
		data = malloc(DATA_SIZE);
		if (!page || !data)
			abort();
	}
	memset(data, 0, DATA_SIZE);
	ring_init(&be, page, NETIF_BACKEND_END, true);
	if (!netfront_setup(&f, page, data, DATA_SIZE, take(&in) % 20u, NULL, NULL, &why))
		abort();
	while (in.n) {
		uint8_t what = take(&in);

		if (what < 0x40) {
			struct netif_rsp r;
			uint8_t msg[RING_DATA] = { 0 };
			bool n;
			uint32_t id;

			memset(&r, 0, sizeof(r));
			r.op = what % 6u;
			r.status = take(&in) % 6u == 0 ? take(&in) : NETIF_OK;
			r.len = take(&in) & 1 ? take32(&in) : 14u + take(&in) * 6u;
			r.version = take(&in) == 0xee ? take32(&in) : NETIF_VERSION;
			r.mtu = (uint16_t)(take(&in) & 1 ? 1500 : take(&in) * 16);
			for (int i = 0; i < 6; i++)
				r.mac[i] = take(&in);
			id = take(&in) & 1 ? take32(&in) : take(&in) % 40u;
			memcpy(msg, &r, sizeof(r));
			if (r.op == NETIF_RSP_RXV && (take(&in) & 1)) {
				/* An RXV (netif.h): 0..8 frames, of plausible
				 * buffers and lengths mostly, sized by its count. */
				r.len = take(&in) % (NETIF_RXV_MAX + 2u);
				memcpy(msg, &r, sizeof(r));
				for (uint32_t i = 0; i < r.len && i < NETIF_RXV_MAX; i++) {
					struct netif_rxd x = { (uint16_t)(take(&in) % 40u),
							       (uint16_t)(14u + take(&in) * 6u) };

					memcpy(msg + sizeof(r) + 4 * i, &x, 4);
				}
				ring_send(&be, msg, (uint32_t)sizeof(r) + 4u * (r.len < NETIF_RXV_MAX
										   ? r.len
										   : NETIF_RXV_MAX),
					  0, &n);
			} else if (r.op == NETIF_RSP_TX_DONE && (take(&in) & 1)) {
				/* A batched TX_DONE (netif.h): 0..8 more ids, of
				 * plausible buffers mostly, sized by its count. */
				r.len = take(&in) % (NETIF_TX_DONE_MORE + 2u);
				memcpy(msg, &r, sizeof(r));
				for (uint32_t i = 0; i < r.len && i < NETIF_TX_DONE_MORE; i++) {
					uint32_t more = take(&in) % 40u;

					memcpy(msg + sizeof(r) + 4 * i, &more, 4);
				}
				ring_send(&be, msg, (uint32_t)sizeof(r) + 4u * (r.len < NETIF_TX_DONE_MORE
										   ? r.len
										   : NETIF_TX_DONE_MORE),
					  id, &n);
			} else {
				ring_send(&be, msg,
					  take(&in) == 0xaa ? take(&in) % RING_DATA : sizeof(r), id, &n);
			}
		} else if (what < 0x80) {
			struct ring_msg m;

			while (ring_recv(&be, &m) == RING_OK) /* the back end takes requests */
				check_request(&m);
		} else if (what < 0xc0) {
			bool dead = f.dead;

			if (netfront_poll(&f, on_rx, NULL, 1u + what % 32u) >= 0 && dead)
				abort();
		} else if (what < 0xf0) {
			bool dead = f.dead;

			uint32_t b;

			/* Sent at once, or committed to a TXV left for a later
			 * send, kick or poll. */
			if (what & 1) {
				if (netfront_send(&f, frame, 14u + what) && dead)
					abort();
			} else if (netfront_tx_begin(&f, &b) &&
				   netfront_tx_commit(&f, b, 14u + what, false) && dead) {
				abort();
			}
		} else {
			/* The back end writes its producer index. */
			page->dir[NETIF_BACKEND_END].prod = take32(&in);
		}
		for (uint32_t b = 0; b < f.nbufs; b++)
			if (b < f.rx_bufs ? f.state[b] > NETFRONT_POSTED
					  : f.state[b] != NETFRONT_IDLE && f.state[b] != NETFRONT_INFLIGHT)
				abort();
		if (f.dead && (netfront_poll(&f, on_rx, NULL, 16) != -1 ||
			       netfront_send(&f, frame, sizeof(frame))))
			abort();
	}
	return 0;
}
