/* SPDX-License-Identifier: MIT */
/* Router mode, proxy ARP, ICMP echo (router.h). */
#include <domain/core.h>

#include "clock.h"
#include "nat.h"
#include "natport.h"
#include "port.h"
#include "router.h"
#include "switch.h"
#include "uplink.h"

const uint8_t guest_side_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct arp_entry {
	uint8_t ip[4];
	uint8_t mac[6];
	bool used, resolved;
	uint64_t when;         /* resolved: when learned; pending: asked */
	uint64_t since;        /* pending: first asked (ARP_PENDING_S) */
	uint32_t n_pending;
	uint32_t slot[ARP_PENDING_MAX];
};

/* Pending packets: whole frames in private memory, DMA-able. */
#define SLOTS (ARP_ENTRIES * ARP_PENDING_MAX)
static _Alignas(64) uint8_t slot_buf[SLOTS][NETIF_FRAME_MAX + 2];
static uint32_t slot_len[SLOTS];
static bool slot_busy[SLOTS];
static struct arp_entry cache[ARP_ENTRIES];

static struct port *uplink(void)
{
	return &ports[UPLINK];
}

static bool ip_eq(const uint8_t *a, const uint8_t *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static bool ip_zero(const uint8_t *a)
{
	return !(a[0] | a[1] | a[2] | a[3]);
}

/* The routed guest port owning an address, or NULL. */
static struct port *route(const uint8_t *ip)
{
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].guest && ports[i].cfg.mode == MODE_ROUTER && port_has_ip(&ports[i], ip))
			return &ports[i];
	return NULL;
}

/* The gateway address a router port's guest uses: its own, or the
 * uplink's address (Xen's default). */
static const uint8_t *gateway_of(const struct port *p)
{
	return ip_zero(p->cfg.gateway) ? uplink()->cfg.ip[0] : p->cfg.gateway;
}

static bool own_ip(const uint8_t *ip)
{
	if (uplink()->cfg.n_ip && ip_eq(ip, uplink()->cfg.ip[0]))
		return true;
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].guest && ports[i].cfg.mode == MODE_ROUTER && ip_eq(ip, gateway_of(&ports[i])))
			return true;
	return false;
}

/* Checksums: the NAT module's (RFC 1624 eqn. 3 for one word changed, and
 * the full one's complement sum). */
static void csum_update(uint8_t *sum, uint16_t old, uint16_t new)
{
	put16(sum, nat_csum_update16(get16(sum), old, new));
}

static void ip_csum(uint8_t *ip)
{
	put16(ip + 10, 0);
	put16(ip + 10, nat_csum(ip, (ip[0] & 0xfu) * 4u, 0));
}

/* Send k (headers private, rest where it is) out of q with new MACs. */
void router_send(struct port *q, struct pkt *k, const uint8_t *dst, const uint8_t *src)
{
	memcpy(k->hdr, dst, 6);
	memcpy(k->hdr + 6, src, 6);
	k->vid = q->cfg.pvid;
	switch_out(q, k);
}

/* A frame net-dom makes itself: an ARP packet (RFC 826). */
void router_arp(struct port *q, uint16_t op, const uint8_t *sha, const uint8_t *spa,
		     const uint8_t *tha, const uint8_t *tpa, const uint8_t *dst)
{
	static struct pkt a;
	uint8_t *p = a.hdr + L3;

	a.in = NULL;
	a.reflect = false;
	a.rest_len = 0;
	a.hdr_len = ETH_HLEN + 28;
	a.pcp = 0;
	put16(a.hdr + 12, ETH_P_ARP);
	put16(p, 1);
	put16(p + 2, ETH_P_IP);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, op);
	memcpy(p + 8, sha, 6);
	memcpy(p + 14, spa, 4);
	memcpy(p + 18, tha, 6);
	memcpy(p + 24, tpa, 4);
	router_send(q, &a, dst, sha);
}

/* ICMP echo request to net-dom: answer it in place (C-6): addresses
 * swapped, TTL 64, type 0, checksums updated; payload untouched. */
bool router_echo(struct port *p, struct pkt *k, const uint8_t *our_mac)
{
	uint8_t *ip = k->hdr + L3, *icmp, tmp[6];
	uint32_t ihl = (ip[0] & 0xfu) * 4u;

	if (ip[9] != 1 || k->hdr_len != ETH_HLEN + ihl + 8)
		return false;
	icmp = ip + ihl;
	if (icmp[0] != 8 || icmp[1] != 0)
		return false;
	for (int i = 0; i < 4; i++) {
		tmp[i] = ip[12 + i];
		ip[12 + i] = ip[16 + i];
		ip[16 + i] = tmp[i];
	}
	ip[8] = 64;
	ip_csum(ip);
	icmp[0] = 0;
	csum_update(icmp + 2, 8u << 8, 0);
	memcpy(tmp, pkt_src(k), 6);
	k->reflect = true;
	router_send(p, k, tmp, our_mac);
	return true;
}

static struct arp_entry *arp_find(const uint8_t *ip)
{
	uint64_t now = clock_now();

	for (uint32_t i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &cache[i];

		if (!e->used || !ip_eq(e->ip, ip))
			continue;
		if (e->resolved && now - e->when >= clock_seconds(ARP_TTL_S)) {
			e->used = false; /* aged out (RT-6) */
			return NULL;
		}
		return e;
	}
	return NULL;
}

static void flush_pending(struct arp_entry *e)
{
	for (uint32_t i = 0; i < e->n_pending; i++) {
		uint32_t s = e->slot[i];
		uint8_t *f = slot_buf[s];
		uint8_t *scratch = vnet_tx_scratch(&nic);

		memcpy(f, e->mac, 6);
		if (!scratch || !vnet_tx(&nic, 0, si_ram_pa(f), slot_len[s], 3ull << 56 | s)) {
			slot_busy[s] = false;
			port_drop(uplink(), DROP_QUEUE_FULL);
			continue;
		}
		uplink()->out_frames++;
	}
	e->n_pending = 0;
}

void router_tx_done(uint32_t slot)
{
	if (slot < SLOTS)
		slot_busy[slot] = false;
}

/* Hold a copy of k for the next hop `ip` until its ARP reply (RT-6). */
static void pend(struct arp_entry *e, const struct pkt *k)
{
	uint32_t s;

	if (e->n_pending == ARP_PENDING_MAX) {
		port_drop(uplink(), DROP_ARP_PENDING);
		return;
	}
	for (s = 0; s < SLOTS && slot_busy[s]; s++)
		;
	if (s == SLOTS) {
		port_drop(uplink(), DROP_ARP_PENDING);
		return;
	}
	/* The frame as it leaves: untagged on the uplink's native VLAN. */
	memcpy(slot_buf[s], k->hdr, k->hdr_len);
	for (uint32_t i = 0; i < k->rest_len; i++)
		slot_buf[s][k->hdr_len + i] = k->rest[i];
	slot_len[s] = k->hdr_len + k->rest_len;
	slot_busy[s] = true;
	e->slot[e->n_pending++] = s;
}

void router_to_uplink(struct pkt *k)
{
	struct port *u = uplink();
	const uint8_t *dip = k->hdr + L3 + 16;
	const uint8_t *hop = ip_zero(u->cfg.gateway) ? dip : u->cfg.gateway;
	struct arp_entry *e = arp_find(hop);
	uint64_t now = clock_now();

	memcpy(k->hdr + 6, u->cfg.mac, 6);
	if (e && e->resolved) {
		router_send(u, k, e->mac, u->cfg.mac);
		return;
	}
	if (!e) {
		uint32_t i;

		/* A next hop that has not answered for ARP_PENDING_S gives its
		 * entry and held frames up: a guest asking for hops that never
		 * answer cannot keep the cache full for the others. */
		for (i = 0; i < ARP_ENTRIES; i++)
			if (cache[i].used && !cache[i].resolved &&
			    now - cache[i].since >= clock_seconds(ARP_PENDING_S)) {
				for (uint32_t j = 0; j < cache[i].n_pending; j++) {
					slot_busy[cache[i].slot[j]] = false;
					port_drop(u, DROP_ARP_PENDING);
				}
				cache[i].used = false;
			}
		for (i = 0; i < ARP_ENTRIES && cache[i].used; i++)
			;
		if (i == ARP_ENTRIES) {
			/* Every entry busy: take the oldest resolved one. */
			uint32_t old = 0;

			for (i = 0; i < ARP_ENTRIES; i++)
				if (cache[i].resolved && (!cache[old].resolved ||
							  cache[i].when < cache[old].when))
					old = i;
			if (!cache[old].resolved) {
				port_drop(u, DROP_ARP_PENDING);
				return;
			}
			i = old;
		}
		e = &cache[i];
		*e = (struct arp_entry){ .used = true };
		memcpy(e->ip, hop, 4);
		e->when = now;
		e->since = now;
		router_arp(u, 1, u->cfg.mac, u->cfg.ip[0], (const uint8_t[6]){ 0 }, hop, bcast);
	} else if (now - e->when >= clock_seconds(1)) {
		e->when = now; /* ask again, at most once a second */
		router_arp(u, 1, u->cfg.mac, u->cfg.ip[0], (const uint8_t[6]){ 0 }, hop, bcast);
	}
	pend(e, k);
}

bool router_ttl(struct pkt *k)
{
	uint8_t *ip = k->hdr + L3;

	if (ip[8] <= 1) {
		port_drop(k->in, DROP_TTL);
		return false;
	}
	csum_update(ip + 10, (uint16_t)(ip[8] << 8 | ip[9]), (uint16_t)((ip[8] - 1) << 8 | ip[9]));
	ip[8]--;
	return true;
}

/* Forward an IPv4 packet to its route (RT-4): TTL and checksum. */
static void forward(struct pkt *k)
{
	uint8_t *ip = k->hdr + L3;
	struct port *q = route(ip + 16);
	struct port *in = k->in;

	if (!router_ttl(k))
		return;
	if (q == in)
		return;
	if (q)
		router_send(q, k, q->cfg.mac, guest_side_mac);
	else if (in->guest)
		router_to_uplink(k);
	else
		port_drop(in, DROP_NO_ROUTE);
}

static bool from_guest(struct pkt *k)
{
	struct port *p = k->in;
	uint8_t *l3 = k->hdr + L3;

	if (k->type == ETH_P_ARP) {
		/* Only a request for the gateway is answered (RT-2); never one
		 * for the guest's own address (duplicate-address detection). */
		if (get16(l3 + 6) == 1 && ip_eq(l3 + 24, gateway_of(p)) && !port_has_ip(p, l3 + 24))
			router_arp(p, 2, guest_side_mac, l3 + 24, l3 + 8, l3 + 14, pkt_src(k));
		return true;
	}
	if (k->type != ETH_P_IP)
		return true;
	/* Layer 3 only: nothing a guest broadcasts reaches anyone (RT-5). */
	if (mac_multicast(pkt_dst(k)))
		return true;
	if (own_ip(l3 + 16)) {
		router_echo(p, k, guest_side_mac);
		return true;
	}
	forward(k);
	return true;
}

static bool from_uplink(struct pkt *k)
{
	struct port *u = uplink();
	uint8_t *l3 = k->hdr + L3;
	bool to_us = mac_eq(pkt_dst(k), u->cfg.mac);

	if (k->type == ETH_P_ARP && k->hdr_len >= ETH_HLEN + 28) {
		struct arp_entry *e = arp_find(l3 + 14);

		/* A reply (or request) from a next hop we wait for. */
		if (e && !mac_multicast(l3 + 8)) {
			memcpy(e->mac, l3 + 8, 6);
			e->resolved = true;
			e->when = clock_now();
			flush_pending(e);
		}
		/* Proxy ARP (RT-3): for routed guests' /32s and net-dom's own
		 * address, nothing else. */
		if (get16(l3 + 6) == 1 && (route(l3 + 24) || (u->cfg.n_ip && ip_eq(l3 + 24, u->cfg.ip[0]))))
			router_arp(u, 2, u->cfg.mac, l3 + 24, l3 + 8, l3 + 14, pkt_src(k));
		return to_us;
	}
	if (!to_us || k->type != ETH_P_IP || k->hdr_len < ETH_HLEN + 20)
		return to_us;
	/* A routed or NAT guest's address as a source from outside is a
	 * spoof (AS-6, Qubes' second rule). */
	if (route(l3 + 12) || natport_owner(l3 + 12)) {
		port_drop(u, DROP_SPOOF_IP);
		return true;
	}
	if (u->cfg.n_ip && ip_eq(l3 + 16, u->cfg.ip[0])) {
		if (natport_from_uplink(k))
			return true;
		router_echo(u, k, u->cfg.mac);
		return true;
	}
	forward(k);
	return true;
}

bool router_input(struct pkt *k)
{
	if (k->in->guest && k->in->cfg.mode == MODE_NAT)
		return natport_from_guest(k);
	if (k->in->guest)
		return k->in->cfg.mode == MODE_ROUTER ? from_guest(k) : false;
	return from_uplink(k);
}

void router_reset(void)
{
	for (uint32_t i = 0; i < ARP_ENTRIES; i++)
		cache[i].used = false;
	for (uint32_t s = 0; s < SLOTS; s++)
		slot_busy[s] = false;
}
