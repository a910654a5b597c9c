/* SPDX-License-Identifier: MIT */
/*
 * A hostile network back end (tests/system/systems/netfront.toml): end 0
 * of one channel per kind of attack on a guest's front end
 * (domains/lib/netfront.c), each named after it. It answers INFO, takes
 * the posted receive buffers, then, at the guest's first frame:
 *   honest    echoes every frame into a posted buffer (RX), then TX_DONE;
 *   len       answers RX with a length past the buffer (5000 bytes);
 *   unposted  answers RX for a buffer id never posted;
 *   txdone    answers TX_DONE for a receive buffer;
 *   info      answers INFO a second time, unasked;
 *   size      sends a 2-byte message;
 *   jump      moves its producer index 1000 ahead.
 * The victim (netvictim.c) must disconnect each hostile port alone, with
 * the reason, and keep talking over the honest one.
 */
#include <domain/core.h>

#include "netif.h"
#include "ring.h"

#define PORTS 7
#define POSTED 64

static const char *const names[PORTS] = { "honest", "len", "unposted", "txdone",
					   "info", "size", "jump" };
static struct {
	uint64_t slot;
	struct ring_end ring;
	volatile uint8_t *data;
	uint32_t posted_id[POSTED];
	uint64_t posted_off[POSTED];
	uint32_t n_posted;
	bool attacked;
} port[PORTS];

static void respond(unsigned i, uint32_t op, uint32_t id, uint32_t status, uint32_t len)
{
	struct netif_rsp r = { op, status, len, NETIF_VERSION, { 0x02, 0, 0, 0, 0x0b, (uint8_t)i },
			       NETIF_MTU, 0 };
	bool notify = false;

	if (ring_send(&port[i].ring, &r, sizeof(r), id, &notify) == RING_OK && notify)
		cloison_channel_signal(port[i].slot);
}

/* The attack of port i, once its victim has sent a frame. */
static void attack(unsigned i)
{
	bool notify = false;

	port[i].attacked = true;
	switch (i) {
	case 1:
		respond(i, NETIF_RSP_RX, port[i].posted_id[0], NETIF_OK, 5000);
		break;
	case 2:
		respond(i, NETIF_RSP_RX, 1000, NETIF_OK, 60);
		break;
	case 3:
		respond(i, NETIF_RSP_TX_DONE, port[i].posted_id[0], NETIF_OK, 0);
		break;
	case 4:
		respond(i, NETIF_RSP_INFO, 0, NETIF_OK, 0);
		break;
	case 5:
		ring_send(&port[i].ring, "xx", 2, port[i].posted_id[0], &notify);
		cloison_channel_signal(port[i].slot);
		break;
	case 6:
		port[i].ring.tx->prod += 1000;
		cloison_channel_signal(port[i].slot);
		break;
	}
}

/* Echo a TX frame into the oldest posted buffer (honest port). */
static void echo(unsigned i, const struct netif_req *q, uint32_t id)
{
	if (port[i].n_posted && q->len <= NETIF_FRAME_MAX && q->offset + q->len > q->offset) {
		uint32_t rid = port[i].posted_id[0];
		uint64_t off = port[i].posted_off[0];

		for (uint32_t k = 0; k < q->len; k++)
			port[i].data[off + k] = port[i].data[q->offset + k];
		for (uint32_t k = 1; k < port[i].n_posted; k++) {
			port[i].posted_id[k - 1] = port[i].posted_id[k];
			port[i].posted_off[k - 1] = port[i].posted_off[k];
		}
		port[i].n_posted--;
		respond(i, NETIF_RSP_RX, rid, NETIF_OK, q->len);
	}
	respond(i, NETIF_RSP_TX_DONE, id, NETIF_OK, 0);
}

static bool serve(unsigned i)
{
	struct ring_msg m;
	struct netif_req q;
	bool any = false;

	/* Room for an echo of every frame of a TXV (RX and TX_DONE each). */
	while (ring_space(&port[i].ring) >= 2 * NETIF_TXV_MAX &&
	       ring_recv(&port[i].ring, &m) == RING_OK) {
		const struct netif_txv *v = (const struct netif_txv *)(const void *)m.data;

		any = true;
		if (m.len >= 8 && v->op == NETIF_OP_TXV) {
			/* Version 3: each frame of the TXV as a TX. */
			for (uint32_t k = 0; k < v->n && k < NETIF_TXV_MAX && 8 + 8 * k < m.len; k++) {
				q = (struct netif_req){ NETIF_OP_TX, v->d[k].len, v->d[k].offset };
				if (i == 0)
					echo(i, &q, v->d[k].id);
				else if (!port[i].attacked)
					attack(i);
			}
			continue;
		}
		if (m.len != sizeof(q))
			continue;
		memcpy(&q, m.data, sizeof(q));
		if (q.op == NETIF_OP_INFO) {
			respond(i, NETIF_RSP_INFO, m.id, NETIF_OK, 0);
		} else if (q.op == NETIF_OP_RX_POST && port[i].n_posted < POSTED) {
			port[i].posted_id[port[i].n_posted] = m.id;
			port[i].posted_off[port[i].n_posted++] = q.offset;
		} else if (q.op == NETIF_OP_TX) {
			if (i == 0)
				echo(i, &q, m.id);
			else if (!port[i].attacked)
				attack(i);
		}
	}
	return any;
}

int domain_main(const struct cloison_start_info *si)
{
	(void)si;
	for (unsigned i = 0; i < PORTS; i++) {
		const struct cloison_start_info_cap *c = si_find(names[i]);

		if (!c || c->ipa == ~0ull)
			runtime_panic("netbad: no channel %s", names[i]);
		port[i].slot = c->slot;
		port[i].data = (volatile uint8_t *)(uintptr_t)(c->ipa + NETIF_DATA_OFFSET);
		ring_init(&port[i].ring, (void *)(uintptr_t)c->ipa, NETIF_BACKEND_END, false);
	}
	for (;;) {
		bool any = false;

		for (unsigned i = 0; i < PORTS; i++)
			any |= serve(i);
		if (!any)
			cloison_yield();
	}
}
