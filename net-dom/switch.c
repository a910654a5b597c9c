/* SPDX-License-Identifier: MIT */
/* The switch's pipeline and the ways out of it (switch.h). */
#include <domain/core.h>

#include "bridge.h"
#include "clock.h"
#include "ctl.h"
#include "router.h"
#include "spoof.h"
#include "switch.h"
#include "uplink.h"
#include "vlan.h"

/* Copy n bytes between a guest's data area, a NIC buffer and private
 * memory: 8 at a time when both sides allow it (the MMU is off: every
 * access is Device memory, -mstrict-align). */
static void copy(volatile uint8_t *dst, const volatile uint8_t *src, uint32_t n)
{
	/* Equally misaligned (a frame's payload after its 34-byte headers,
	 * in both buffers): bytes up to the boundary, then words. */
	if ((((uintptr_t)dst ^ (uintptr_t)src) & 7) == 0)
		for (; n && ((uintptr_t)dst & 7); n--)
			*dst++ = *src++;
	if ((((uintptr_t)dst | (uintptr_t)src) & 7) == 0)
		for (; n >= 8; n -= 8, dst += 8, src += 8)
			*(volatile uint64_t *)(volatile void *)dst =
				*(const volatile uint64_t *)(const volatile void *)src;
	while (n--)
		*dst++ = *src++;
}

static bool held; /* the current input's source is referenced by the NIC */

static void out_guest(struct port *q, const struct pkt *k, bool tag)
{
	_Alignas(8) uint8_t h[PKT_HDR_MAX + 4];
	uint32_t n = pkt_write_hdr(k, h, tag);
	uint32_t len = n + k->rest_len;
	struct posted *b;

	if (q->disabled) {
		port_drop(q, DROP_DISABLED);
		return;
	}
	/* The port's queue is its posted buffers and its response slots:
	 * a guest that does not drain them loses frames, nobody else (C-4). */
	if (q->posted_n == 0 || !port_resp_room(q, 1)) {
		port_drop(q, DROP_QUEUE_FULL);
		return;
	}
	b = &q->posted[q->posted_head];
	if (len > b->len) {
		port_drop(q, DROP_LEN);
		return;
	}
	copy(q->data + b->offset, h, n);
	copy(q->data + b->offset + n, k->rest, k->rest_len);
	q->posted_head = (q->posted_head + 1) % POSTED_MAX;
	q->posted_n--;
	q->hdr_copied += n;
	q->payload_copied += k->rest_len;
	q->out_frames++;
	q->out_bytes += len;
	port_rx_done(q, b->id, len);
}

static void out_uplink(const struct pkt *k, bool tag)
{
	struct port *u = &ports[UPLINK];
	uint8_t *s = vnet_tx_scratch(&nic);
	uint64_t t = TAG_NONE;
	uint32_t n;

	if (!s) {
		port_drop(u, DROP_QUEUE_FULL);
		return;
	}
	n = pkt_write_hdr(k, s, tag);
	if (k->rest_len)
		t = k->in->guest ? TAG_GUEST(k->in->index, k->src_id) : TAG_RXBUF(k->src_id);
	if (!vnet_tx(&nic, n, k->rest_pa, k->rest_len, t)) {
		port_drop(u, DROP_LEN);
		return;
	}
	held = t != TAG_NONE;
	u->out_frames++;
	u->out_bytes += n + k->rest_len;
	u->hdr_copied += n;
}

static struct switch_ways *recording;

void switch_record(struct switch_ways *w)
{
	recording = w;
	if (w)
		w->n = 0;
}

void switch_send(struct port *q, struct pkt *k, bool tag)
{
	if (q->guest)
		out_guest(q, k, tag);
	else
		out_uplink(k, tag);
}

void switch_out(struct port *q, struct pkt *k)
{
	bool tag;

	if ((q == k->in && !k->reflect) || !vlan_egress(q, k->vid, &tag))
		return;
	if (recording && recording->n < MAX_PORTS) {
		recording->port[recording->n] = (uint8_t)q->index;
		recording->tag[recording->n++] = tag;
	}
	switch_send(q, k, tag);
}

void switch_flood(struct pkt *k)
{
	/* Guests first: the uplink's send may hold the source buffer. */
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].guest && ports[i].cfg.mode == MODE_BRIDGE)
			switch_out(&ports[i], k);
	switch_out(&ports[UPLINK], k);
}

void switch_emit(struct port *q, struct pkt *k)
{
	switch_out(q, k);
}

void switch_tx_done(uint64_t tag)
{
	uint32_t kind = (uint32_t)(tag >> 56);

	if (kind == 1) {
		struct port *p = &ports[(tag >> 32) & 0xff];

		if (p->tx_held)
			p->tx_held--;
		port_tx_done(p, (uint32_t)tag, NETIF_OK);
	} else if (kind == 2) {
		vnet_rx_release(&nic, (uint32_t)tag);
	} else if (kind == 3) {
		router_tx_done((uint32_t)tag);
	}
}

#ifdef NETDOM_TEST
/* The test rig's barrier (docs/net-dom.md, "Test rig"): a broadcast of
 * EtherType 0x88B5 goes where a broadcast of its ingress would go, and to
 * every routed port, without learning, credit or counters. */
static uint16_t any_vid(const struct port *q)
{
	return q->cfg.pvid ? q->cfg.pvid : q->cfg.ranges[0].lo;
}

/* Out of q without leaving a trace in q's counters (barriers are not
 * counted, whether they get through or not). */
static void quiet_out(struct port *q, struct pkt *k)
{
	uint64_t drops[DROP_REASONS];
	uint64_t frames = q->out_frames, bytes = q->out_bytes, hdr = q->hdr_copied,
		 pay = q->payload_copied;

	memcpy(drops, q->drops, sizeof(drops));
	switch_out(q, k);
	memcpy(q->drops, drops, sizeof(drops));
	q->out_frames = frames;
	q->out_bytes = bytes;
	q->hdr_copied = hdr;
	q->payload_copied = pay;
}

static void barrier(struct pkt *k)
{
	struct port *p = k->in;
	bool routed = p->guest && p->cfg.mode != MODE_BRIDGE;
	uint16_t vid = 0;

	if (!routed) {
		if (!vlan_ingress(p, k))
			return;
		vid = k->vid;
	}
	for (uint32_t i = 0; i < n_ports; i++) {
		struct port *q = &ports[i];

		if (q == p)
			continue;
		if (routed || (q->guest && q->cfg.mode != MODE_BRIDGE))
			k->vid = any_vid(q);
		else
			k->vid = vid;
		if (q->guest)
			quiet_out(q, k);
	}
	k->vid = routed ? any_vid(&ports[UPLINK]) : vid;
	quiet_out(&ports[UPLINK], k);
}
#endif

enum fate switch_input(struct pkt *k, uint32_t len)
{
	struct port *p = k->in;
	enum drop d;

	held = false;
#ifdef NETDOM_TEST
	if (k->type == ETH_P_BARRIER && !p->guest && mac_eq(pkt_dst(k), ports[UPLINK].cfg.mac)) {
		ctl_input(k);
		return FATE_DONE;
	}
	if (k->type == ETH_P_BARRIER && mac_multicast(pkt_dst(k))) {
		barrier(k);
		return held ? FATE_HELD : FATE_DONE;
	}
#endif
	/* C-2: 14 bytes at least, MTU + 14 untagged, MTU + 18 tagged. */
	if (len < ETH_HLEN || len > NETIF_MTU + ETH_HLEN + (k->tagged ? 4u : 0u)) {
		port_drop(p, DROP_LEN);
		return FATE_DROPPED;
	}
	if (!vlan_ingress(p, k)) {
		port_drop(p, DROP_VLAN);
		return FATE_DROPPED;
	}
	if (p->guest) {
		d = spoof_check(p, k);
		if (d != DROP_REASONS) {
			port_drop(p, d);
			return FATE_DROPPED;
		}
		if (!port_credit(p, len)) {
			port_drop(p, DROP_RATE);
			return FATE_DROPPED;
		}
	}
	p->in_frames++;
	p->in_bytes += len;
	p->last_in = clock_now();
	if (!p->first_in)
		p->first_in = p->last_in;
	/* A bridge port's frame is the bridge's (router_input would say
	 * so too, a call later). */
	if ((p->guest && p->cfg.mode == MODE_BRIDGE) || !router_input(k))
		bridge_input(k);
	return held ? FATE_HELD : FATE_DONE;
}
