/* SPDX-License-Identifier: MIT */
/*
 * A guest port's side of the network protocol (port.h,
 * docs/net-protocol.md): requests are copied once into private memory by
 * the ring library and checked there. A request that breaks the protocol
 * (a buffer outside the data area, a receive buffer too small, too many
 * posted, a malformed message, a forged ring index) disables that port
 * alone.
 */
#include <domain/core.h>

#include "clock.h"
#include "port.h"
#include "switch.h"

struct port ports[MAX_PORTS];
uint32_t n_ports;
uint32_t ports_gen;

const char *const drop_names[DROP_REASONS] = {
	"spoof-mac", "spoof-ip", "spoof-arp", "ethertype", "vlan", "len", "queue-full",
	"rate", "arp-pending", "fragment", "nat-quota", "no-mapping", "ttl", "no-route",
	"disabled", "nat-proto", "too-big",
};

static void flush_rx(struct port *p);

bool port_has_vid(const struct port *p, uint16_t vid)
{
	for (uint32_t r = 0; r < p->cfg.n_ranges; r++)
		if (vid >= p->cfg.ranges[r].lo && vid <= p->cfg.ranges[r].hi)
			return true;
	return false;
}

bool port_has_ip(const struct port *p, const uint8_t ip[4])
{
	for (uint32_t i = 0; i < p->cfg.n_ip; i++)
		if (p->cfg.ip[i][0] == ip[0] && p->cfg.ip[i][1] == ip[1] &&
		    p->cfg.ip[i][2] == ip[2] && p->cfg.ip[i][3] == ip[3])
			return true;
	return false;
}

void port_reset_state(struct port *p)
{
	ports_gen++;
	/* Frames already delivered are answered. */
	flush_rx(p);
	p->posted_head = p->posted_n = 0;
	p->tx_held = 0;
	port_reset_counters(p);
}

void port_reset_counters(struct port *p)
{
	p->credit = p->cfg.rate_bytes;
	p->credit_next = 0;
	p->credit_ticks = clock_us(p->cfg.rate_us);
	for (uint32_t d = 0; d < DROP_REASONS; d++)
		p->drops[d] = 0;
	p->in_frames = p->out_frames = p->in_bytes = p->out_bytes = 0;
	p->hdr_copied = p->payload_copied = 0;
	p->first_in = p->last_in = 0;
}

bool port_attach(struct port *p, const struct config_port *c, uint32_t index, uint32_t vintid)
{
	const struct cloison_start_info_cap *cap = si_find(c->cap);
	uint64_t badge = 0, pa = 0, size = 0;

	ports_gen++; /* a port's configuration changes where frames go */
	p->index = index;
	p->cfg = *c;
	p->guest = true;
	if (!cap || cap->type != CLOISON_TYPE_CHANNEL || cap->ipa == ~0ull) {
		print("port %s: no mapped channel cap of that name\n", c->cap);
		return false;
	}
	p->slot = cap->slot;
	p->vintid = vintid;
	if (cloison_cap_identify(p->slot, NULL, NULL, &badge) != CLOISON_ERR_OK ||
	    badge != NETIF_BACKEND_END ||
	    cloison_memory_phys(p->slot, &pa, &size) != CLOISON_ERR_OK ||
	    size <= NETIF_DATA_OFFSET || size != cap->size) {
		print("port %s: the channel is not a back-end end with a data area\n", c->cap);
		return false;
	}
	p->data = (volatile uint8_t *)(uintptr_t)(cap->ipa + NETIF_DATA_OFFSET);
	p->data_pa = pa + NETIF_DATA_OFFSET;
	p->data_size = size - NETIF_DATA_OFFSET;
	ring_init(&p->ring, (void *)(uintptr_t)cap->ipa, NETIF_BACKEND_END, false);
	port_reset_state(p);
	cloison_channel_bind(p->slot, vintid);
	return true;
}

void port_disable(struct port *p, const char *why)
{
	if (p->disabled)
		return;
	p->disabled = true;
	p->why = why;
	p->posted_n = 0;
	p->rx_n = 0;
	print("port %s disabled: %s\n", p->cfg.cap, why);
}

bool port_resp_room(struct port *p, uint32_t n)
{
	return !p->disabled && ring_space(&p->ring) >= p->tx_held + (p->done_n ? 1u : 0u) +
							   (p->rx_n ? 1u : 0u) + n;
}

void port_respond(struct port *p, uint32_t op, uint32_t id, uint32_t status, uint32_t len)
{
	/* 8-aligned: the ring library copies it by words. */
	_Alignas(8) struct netif_rsp r = { op, status, len, NETIF_VERSION, { 0 }, 0, 0 };
	bool n = false;

	if (p->disabled)
		return;
	if (op == NETIF_RSP_INFO) {
		memcpy(r.mac, p->cfg.mac, 6);
		r.mtu = NETIF_MTU;
	}
	if (ring_send(&p->ring, &r, sizeof(r), id, &n) == RING_OK && n)
		p->notify = true;
}

/* Responses a request may need: a TXV's frames (a malformed count is
 * taken, to be refused), else one. */
static uint32_t needs(const struct ring_msg *m)
{
	const struct netif_txv *v = (const struct netif_txv *)(const void *)m->data;

	if (m->len >= 8 && v->op == NETIF_OP_TXV && v->n >= 1 && v->n <= NETIF_TXV_MAX)
		return v->n;
	return 1;
}

bool port_can_take(struct port *p)
{
	struct ring_msg m;
	enum ring_status st;

	if (p->disabled)
		return false;
	st = ring_peek(&p->ring, &m);
	/* A dead ring is taken at once: port_serve disables the port. */
	return st == RING_DEAD || (st == RING_OK && port_resp_room(p, needs(&m)));
}

/* One response for the gathered TX_DONEs: the first id as the message's,
 * the others after the response (netif.h). The slot was kept for it: by
 * port_resp_room before the first frame was taken, or by tx_held. */
/* The gathered RXV (the slot kept for it, as for the TX_DONEs). */
static void flush_rx(struct port *p)
{
	_Alignas(8) struct {
		struct netif_rsp r;
		struct netif_rxd d[NETIF_RXV_MAX];
	} m;
	bool n = false;
	uint32_t k = p->rx_n;

	if (!k)
		return;
	p->rx_n = 0;
	if (p->disabled)
		return;
	m.r = (struct netif_rsp){ NETIF_RSP_RXV, NETIF_OK, k, NETIF_VERSION, { 0 }, 0, 0 };
	for (uint32_t i = 0; i < k; i++)
		m.d[i] = p->rx_done[i];
	if (ring_send(&p->ring, &m, sizeof(m.r) + 4 * k, 0, &n) == RING_OK && n)
		p->notify = true;
}

void port_rx_done(struct port *p, uint32_t id, uint32_t len)
{
	/* An id an RXV cannot carry (the front end's choice): alone. */
	if (id > 0xffffu) {
		port_respond(p, NETIF_RSP_RX, id, NETIF_OK, len);
		return;
	}
	if (p->rx_n == NETIF_RXV_MAX)
		flush_rx(p);
	p->rx_done[p->rx_n++] = (struct netif_rxd){ (uint16_t)id, (uint16_t)len };
}

void port_flush(struct port *p)
{
	_Alignas(8) struct {
		struct netif_rsp r;
		uint32_t more[NETIF_TX_DONE_MORE];
	} m;
	bool n = false;
	uint32_t more = p->done_n - 1;

	flush_rx(p);
	if (!p->done_n)
		return;
	p->done_n = 0;
	if (p->disabled)
		return;
	m.r = (struct netif_rsp){ NETIF_RSP_TX_DONE, p->done_status, more, NETIF_VERSION,
				  { 0 }, 0, 0 };
	for (uint32_t i = 0; i < more; i++)
		m.more[i] = p->done_id[1 + i];
	if (ring_send(&p->ring, &m, sizeof(m.r) + 4 * more, p->done_id[0], &n) == RING_OK && n)
		p->notify = true;
}

void port_tx_done(struct port *p, uint32_t id, uint32_t status)
{
	if (p->done_n && (p->done_status != status || p->done_n == NETIF_TX_DONE_MORE + 1))
		port_flush(p);
	p->done_status = status;
	p->done_id[p->done_n++] = id;
}

bool port_credit(struct port *p, uint32_t len)
{
	uint64_t now;

	if (!p->cfg.rate_bytes)
		return true;
	now = clock_now();
	/* Xen's credit scheduler: a full credit each interval, never more. */
	if (now >= p->credit_next) {
		p->credit = p->cfg.rate_bytes;
		p->credit_next = now + p->credit_ticks;
	}
	if (len > p->credit)
		return false;
	p->credit -= len;
	return true;
}

/* A buffer [offset, offset + len) inside the data area, without overflow. */
static bool inside(const struct port *p, uint64_t offset, uint32_t len)
{
	return offset <= p->data_size && len <= p->data_size - offset;
}

/* One frame of a TX or a TXV, its buffer checked to be inside. */
static void transmit(struct port *p, uint64_t offset, uint32_t len, uint32_t id)
{
	static struct pkt k;
	enum fate f = FATE_DROPPED;

	k.in = p;
	k.src_id = id;
	if (len < ETH_HLEN || len > NETIF_FRAME_MAX ||
	    !pkt_parse(&k, p->data + offset, p->data_pa + offset, len))
		port_drop(p, DROP_LEN);
	else
		f = switch_input(&k, len);
	if (f == FATE_HELD)
		p->tx_held++;
	else
		port_tx_done(p, id, f == FATE_DONE ? NETIF_OK : NETIF_DROPPED);
}

/*
 * A TXV (netif.h): the whole message is checked, on its private copy,
 * before any of its frames is taken, so a broken one changes nothing but
 * the port's state: a count of 0 or above NETIF_TXV_MAX, a count that is
 * not the message's length, a buffer outside the data area, buffers out of
 * order or overlapping (one buffer twice in flight). Returns the frames
 * taken.
 */
static uint32_t transmit_many(struct port *p, const struct ring_msg *m)
{
	const struct netif_txv *v = (const struct netif_txv *)(const void *)m->data;
	uint64_t end = 0;
	const char *why = NULL;

	if (v->n == 0 || v->n > NETIF_TXV_MAX)
		why = v->n ? "a TXV of more than 6 frames" : "a TXV of no frame";
	else if (m->len != 8u + 8u * v->n)
		why = "a TXV whose count is not its length";
	for (uint32_t i = 0; !why && i < v->n; i++) {
		const struct netif_txd *d = &v->d[i];

		if (!inside(p, d->offset, d->len))
			why = "TX buffer outside the data area";
		else if (d->offset < end)
			why = "TXV buffers out of order or overlapping";
		end = (uint64_t)d->offset + d->len;
	}
	if (why) {
		port_disable(p, why);
		return 0;
	}
	for (uint32_t i = 0; i < v->n; i++)
		transmit(p, v->d[i].offset, v->d[i].len, v->d[i].id);
	return v->n;
}

bool port_serve(struct port *p, uint32_t budget)
{
	bool progress = false;
	struct ring_msg m;
	struct netif_req r;

	while (!p->disabled && budget) {
		/* Looked at first: taken only with room for every response it
		 * may need (a RX_POST needs none now, but is not told apart
		 * here: one). */
		enum ring_status st = ring_peek(&p->ring, &m);
		uint32_t n;

		if (st == RING_DEAD) {
			port_disable(p, p->ring.why);
			break;
		}
		if (st != RING_OK || !port_resp_room(p, needs(&m)))
			break;
		ring_consume(&p->ring);
		progress = true;
		if (m.len >= 8 && ((const struct netif_txv *)(const void *)m.data)->op == NETIF_OP_TXV) {
			n = transmit_many(p, &m);
			budget -= n < budget ? n : budget;
			continue;
		}
		if (m.len != sizeof(r)) {
			port_disable(p, "a request that is not a netif_req");
			break;
		}
		memcpy(&r, m.data, sizeof(r));
		switch (r.op) {
		case NETIF_OP_TX:
			budget--;
			if (!inside(p, r.offset, r.len))
				port_disable(p, "TX buffer outside the data area");
			else
				transmit(p, r.offset, r.len, m.id);
			break;
		case NETIF_OP_RX_POST:
			if (r.len < NETIF_BUF_MIN || !inside(p, r.offset, r.len) ||
			    p->posted_n == POSTED_MAX) {
				port_disable(p, r.len < NETIF_BUF_MIN ? "receive buffer too small"
						: p->posted_n == POSTED_MAX ? "too many receive buffers posted"
						: "receive buffer outside the data area");
				break;
			}
			p->posted[(p->posted_head + p->posted_n++) % POSTED_MAX] =
				(struct posted){ m.id, r.offset, r.len };
			break;
		case NETIF_OP_INFO:
			port_respond(p, NETIF_RSP_INFO, m.id, NETIF_OK, 0);
			break;
		default:
			port_respond(p, r.op, m.id, NETIF_UNSUPP, 0);
			break;
		}
	}
	if (p->ring.dead)
		port_disable(p, p->ring.why);
	return progress;
}
