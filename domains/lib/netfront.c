/* SPDX-License-Identifier: MIT */
/* Network front end (netfront.h, netif.h). */
#include "netfront.h"

#include <cloison/std/string.h>

#define INFO_ID 0u

_Static_assert(NETIF_RSP_KICK == RING_SLOTS - NETIF_TXV_MAX + 1,
	       "the back end's room for a TXV's responses (netif.h)");

static int die(struct netfront *f, const char *why)
{
	if (!f->dead) {
		f->dead = true;
		f->why = why;
	}
	return -1;
}

static uint64_t buf_offset(uint32_t buf)
{
	return (uint64_t)buf * NETFRONT_BUF_SIZE;
}

static bool request(struct netfront *f, uint32_t op, uint32_t len, uint64_t offset, uint32_t id)
{
	struct netif_req r = { op, len, offset };
	bool notify = false;

	if (ring_send(&f->ring, &r, sizeof(r), id, &notify) != RING_OK)
		return false;
	f->kick |= notify;
	return true;
}

bool netfront_setup(struct netfront *f, void *ring_page, volatile uint8_t *data,
		    uint32_t data_size, uint32_t rx_bufs, void (*notify)(void *), void *arg,
		    const char **why)
{
	uint32_t n = data_size / NETFRONT_BUF_SIZE;

	memset(f, 0, sizeof(*f));
	if (n > NETFRONT_BUFS_MAX)
		n = NETFRONT_BUFS_MAX;
	if (n < 2) {
		*why = "the channel's data area holds fewer than two buffers";
		return false;
	}
	if (rx_bufs == 0 || rx_bufs > n / 2)
		rx_bufs = n / 2;
	f->data = data;
	f->data_size = data_size;
	f->nbufs = n;
	f->rx_bufs = rx_bufs;
	f->notify = notify;
	f->notify_arg = arg;
	f->tx_next = rx_bufs;
	f->tx_idle = n - rx_bufs;
	f->rx_idle = rx_bufs;
	if (ring_init(&f->ring, ring_page, NETIF_FRONTEND_END, false) != RING_OK) {
		*why = "ring setup failed";
		return false;
	}
	if (!request(f, NETIF_OP_INFO, 0, 0, INFO_ID)) {
		*why = "the ring has no room for INFO";
		return false;
	}
	f->info_sent = true;
	netfront_kick(f);
	return true;
}

/* Send the committed frames as one TXV; false if the ring has no room
 * (they stay for the next try). */
static bool tx_flush(struct netfront *f)
{
	bool notify = false;

	if (!f->txv.n)
		return true;
	f->txv.op = NETIF_OP_TXV;
	if (ring_send(&f->ring, &f->txv, 8u + 8u * f->txv.n, 0, &notify) != RING_OK)
		return false;
	f->txv.n = 0;
	f->kick |= notify;
	return true;
}

void netfront_kick(struct netfront *f)
{
	if (!f->dead)
		tx_flush(f);
	if (f->kick && !f->dead) {
		f->kick = false;
		f->st.notifies++;
		if (f->notify)
			f->notify(f->notify_arg);
	}
}

/* Offer every idle RX buffer while the ring has room. */
static void post_rx(struct netfront *f)
{
	for (uint32_t b = 0; b < f->rx_bufs && f->rx_idle && !f->down; b++) {
		if (f->state[b] != NETFRONT_IDLE)
			continue;
		if (!request(f, NETIF_OP_RX_POST, NETFRONT_BUF_SIZE, buf_offset(b), b + 1))
			break;
		f->state[b] = NETFRONT_POSTED;
		f->rx_idle--;
	}
}

static int info(struct netfront *f, uint32_t id, const struct netif_rsp *r)
{
	if (id != INFO_ID || !f->info_sent)
		return die(f, "an INFO response nobody asked for");
	if (r->status != NETIF_OK)
		return die(f, "the back end refused INFO");
	if (r->mtu < 576u || r->mtu > NETIF_MTU)
		return die(f, "INFO: an MTU outside 576..1500");
	if ((r->mac[0] & 1u) ||
	    !(r->mac[0] | r->mac[1] | r->mac[2] | r->mac[3] | r->mac[4] | r->mac[5]))
		return die(f, "INFO: a multicast or zero MAC");
	memcpy(f->mac, r->mac, sizeof(f->mac));
	f->mtu = r->mtu;
	f->info = true;
	f->info_sent = false;
	return 0;
}

static int tx_done(struct netfront *f, uint32_t id, const struct netif_rsp *r)
{
	uint32_t b = id - 1u;

	if (id == 0 || b < f->rx_bufs || b >= f->nbufs || f->state[b] != NETFRONT_INFLIGHT)
		return die(f, "TX_DONE for a buffer not in flight");
	f->state[b] = NETFRONT_IDLE;
	f->tx_idle++;
	if (r->status == NETIF_OK) {
		f->st.tx_done++;
	} else {
		f->st.tx_dropped++;
		if (r->status == NETIF_DOWN || r->status == NETIF_INVALID)
			f->down = true;
	}
	return 0;
}

static int rx(struct netfront *f, uint32_t id, uint32_t status, uint32_t len, netfront_rx_fn fn,
	      void *arg)
{
	uint32_t b = id - 1u;

	if (id == 0 || b >= f->rx_bufs || f->state[b] != NETFRONT_POSTED)
		return die(f, "RX for a buffer not posted");
	if (status != NETIF_OK) {
		/* Given back unused (the port went down): keep it until the
		 * port is up again. */
		f->state[b] = NETFRONT_IDLE;
		f->rx_idle++;
		f->st.rx_returned++;
		f->down = true;
		return 0;
	}
	if (len < 14u || len > NETIF_FRAME_MAX || len > NETFRONT_BUF_SIZE)
		return die(f, "RX: a frame length outside 14..1518");
	f->state[b] = NETFRONT_IDLE;
	f->rx_idle++;
	f->st.rx++;
	if (fn)
		fn(arg, f->data + buf_offset(b), len);
	return 0;
}

int netfront_poll(struct netfront *f, netfront_rx_fn fn, void *arg, unsigned budget)
{
	int done = 0;

	if (f->dead)
		return -1;
	while ((unsigned)done < budget) {
		struct ring_msg m;
		_Alignas(8) struct netif_rsp r; /* the library copies it by words */
		enum ring_status st = ring_recv(&f->ring, &m);
		int bad;

		if (st == RING_EMPTY)
			break;
		if (st != RING_OK)
			return die(f, f->ring.why ? f->ring.why : "the ring is dead");
		/* The response ring was nearly full (docs/net-protocol.md,
		 * NETIF_RSP_KICK): the back end stopped taking requests until
		 * there is room, so tell it once this batch is taken. From the producer index the ring library
		 * checked, not a second read of the shared page. */
		if (done == 0 && f->ring.rx_prod_seen - (f->ring.rx_cons - 1) >= NETIF_RSP_KICK)
			f->kick = true;
		if (m.len < sizeof(r))
			return die(f, "a response of the wrong size");
		memcpy(&r, m.data, sizeof(r));
		if (r.version != NETIF_VERSION)
			return die(f, "a response of another protocol version");
		/* Exactly one response; a TX_DONE with its `len` more ids, an
		 * RXV with its `len` frames. */
		if (r.op == NETIF_RSP_TX_DONE && r.len > NETIF_TX_DONE_MORE)
			return die(f, "TX_DONE: more than 8 ids");
		if (r.op == NETIF_RSP_RXV && (r.len == 0 || r.len > NETIF_RXV_MAX))
			return die(f, "RXV: not 1 to 7 frames");
		if (m.len != sizeof(r) + (r.op == NETIF_RSP_TX_DONE || r.op == NETIF_RSP_RXV
						  ? 4u * r.len : 0u))
			return die(f, "a response of the wrong size");
		switch (r.op) {
		case NETIF_RSP_INFO:
			bad = info(f, m.id, &r);
			break;
		case NETIF_RSP_TX_DONE:
			bad = tx_done(f, m.id, &r);
			for (uint32_t i = 0; !bad && i < r.len; i++) {
				uint32_t id;

				/* 4-aligned: the slot's data is 8-aligned. */
				id = ((const uint32_t *)(const void *)(m.data + sizeof(r)))[i];
				bad = tx_done(f, id, &r);
			}
			break;
		case NETIF_RSP_RX:
			bad = rx(f, m.id, r.status, r.len, fn, arg);
			break;
		case NETIF_RSP_RXV:
			/* 4-aligned: the slot's data is 8-aligned. */
			bad = r.status != NETIF_OK ? die(f, "RXV: a status other than OK") : 0;
			for (uint32_t i = 0; !bad && i < r.len; i++) {
				const struct netif_rxd *d =
					(const struct netif_rxd *)(const void *)(m.data + sizeof(r)) + i;

				bad = rx(f, d->id, NETIF_OK, d->len, fn, arg);
			}
			break;
		default:
			bad = die(f, "a response with an unknown op");
		}
		if (bad)
			return -1;
		done++;
	}
	if (f->info)
		post_rx(f);
	netfront_kick(f);
	return done;
}

volatile uint8_t *netfront_tx_begin(struct netfront *f, uint32_t *buf)
{
	if (f->dead || !f->info)
		return NULL;
	/* From the hint round the TX buffers: in order of completion, the
	 * first one looked at is nearly always free. */
	for (uint32_t i = 0, b = f->tx_next; f->tx_idle && i < f->nbufs - f->rx_bufs; i++) {
		if (b >= f->nbufs)
			b = f->rx_bufs;
		if (f->state[b] == NETFRONT_IDLE) {
			f->state[b] = NETFRONT_FILLING;
			f->tx_idle--;
			f->tx_next = b + 1;
			*buf = b;
			return f->data + buf_offset(b);
		}
		b++;
	}
	f->st.tx_full++;
	return NULL;
}

bool netfront_tx_commit(struct netfront *f, uint32_t buf, uint32_t len, bool kick)
{
	if (buf < f->rx_bufs || buf >= f->nbufs || f->state[buf] != NETFRONT_FILLING)
		return false;
	f->state[buf] = NETFRONT_IDLE;
	f->tx_idle++;
	if (f->dead || len < 14u || len > NETIF_FRAME_MAX)
		return false;
	/* A TXV's buffers in increasing order: a full one, or one this
	 * buffer would not follow, is sent first. */
	if (f->txv.n == NETIF_TXV_MAX ||
	    (f->txv.n && f->txv.d[f->txv.n - 1].offset >= buf_offset(buf))) {
		if (!tx_flush(f)) {
			f->st.tx_full++;
			return false;
		}
	}
	f->txv.d[f->txv.n++] = (struct netif_txd){ (uint32_t)buf_offset(buf), (uint16_t)len,
						   (uint16_t)(buf + 1) };
	f->state[buf] = NETFRONT_INFLIGHT;
	f->tx_idle--;
	f->st.tx++;
	if (f->txv.n == NETIF_TXV_MAX)
		tx_flush(f);
	if (kick)
		netfront_kick(f);
	return true;
}

bool netfront_send(struct netfront *f, const void *frame, uint32_t len)
{
	uint32_t b;
	volatile uint8_t *p;

	if (len > NETFRONT_BUF_SIZE)
		return false;
	p = netfront_tx_begin(f, &b);
	if (!p)
		return false;
	for (uint32_t i = 0; i < len; i++)
		p[i] = ((const uint8_t *)frame)[i];
	return netfront_tx_commit(f, b, len, true);
}

bool netfront_arm(struct netfront *f)
{
	return !f->dead && ring_arm(&f->ring);
}
