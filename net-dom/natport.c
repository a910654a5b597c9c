/* SPDX-License-Identifier: MIT */
/* NAT mode's ports around the translation of nat.c (natport.h). */
#include <domain/core.h>

#include "clock.h"
#include "nat.h"
#include "natport.h"
#include "port.h"
#include "router.h"

static struct nat nat;
static struct nat_guest guests[MAX_PORTS]; /* by port index */
static bool active;                        /* some port is in NAT mode */
static uint8_t gateway[4];                 /* the inside gateway, network order */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool ip_eq(const uint8_t *a, const uint8_t *b)
{
	return be32(a) == be32(b);
}

/* nat.c keeps time in milliseconds of any monotonic clock: net-dom's. */
static uint64_t now_ms(void)
{
	return clock_now() / (vtimer_freq() / 1000u);
}

static struct port *nat_port_named(const char *cap)
{
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].cfg.mode == MODE_NAT && memcmp(ports[i].cfg.cap, cap, CONFIG_NAME_LEN) == 0)
			return &ports[i];
	return NULL;
}

bool natport_init(const struct config_port *table, const struct config_nat *c, const char **why)
{
	struct port *u = &ports[UPLINK];
	struct nat_config cfg = { 0 };

	for (uint32_t i = 1; i < n_ports; i++)
		active |= ports[i].cfg.mode == MODE_NAT;
	if (!active)
		return true;
	if (!u->cfg.n_ip) {
		*why = "NAT ports need the uplink's address";
		return false;
	}
	memcpy(gateway, c->gateway, 4);
	cfg.uplink_ip = be32(u->cfg.ip[0]);
	cfg.gateway_ip = be32(c->gateway);
	cfg.uplink_mtu = c->mtu;
	cfg.filter = c->filter ? NAT_FILTER_ENDPOINT : NAT_FILTER_ADDRESS;
	cfg.inbound_refresh = c->inbound_refresh;
	cfg.udp_ms = c->udp_s * 1000ull;
	cfg.tcp_est_ms = c->tcp_est_s * 1000ull;
	cfg.tcp_trans_ms = c->tcp_trans_s * 1000ull;
	cfg.icmp_ms = c->icmp_s * 1000ull;
	if (!nat_init(&nat, &cfg)) {
		*why = "NAT: unusable settings";
		return false;
	}
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].cfg.mode == MODE_NAT &&
		    !nat_guest_init(&nat, &guests[i], i, ports[i].cfg.quota)) {
			*why = "NAT: the ports' quotas add up to more than the 512 mappings";
			return false;
		}
	/* Forwards name table entries; a port that failed to attach (and
	 * was reported) takes none. */
	for (uint32_t f = 0; f < c->n_forwards; f++) {
		struct port *q = nat_port_named(table[c->fwd[f].port].cap);
		struct nat_forward fw;

		if (!q)
			continue;
		fw = (struct nat_forward){ .proto = c->fwd[f].proto, .ext_port = c->fwd[f].ext_port,
					   .inside_ip = be32(q->cfg.ip[0]),
					   .inside_port = c->fwd[f].inside_port,
					   .guest = &guests[q->index] };
		if (!nat_add_forward(&nat, &fw)) {
			*why = "NAT: a forward is refused (duplicate or zero port)";
			return false;
		}
	}
	return true;
}

static bool icmp_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* Copy into k->hdr the headers nat.c reads or rewrites: the L4 header of
 * TCP (20), UDP (8) and ICMP (8; an error's quoted packet up to
 * NAT_HDR_MAX); nothing more of a non-first fragment. The payload stays
 * where it arrived. */
static void pull_l4(struct pkt *k)
{
	const uint8_t *ip = k->hdr + L3;
	uint32_t ihl = (ip[0] & 0xfu) * 4u, have = k->hdr_len - L3, want = ihl;

	if (get16(ip + 6) & 0x1fffu)
		return;
	if (ip[9] == NAT_PROTO_TCP)
		want += 20;
	else if (ip[9] == NAT_PROTO_UDP)
		want += 8;
	else if (ip[9] == 1)
		want = have > ihl && icmp_error(ip[ihl]) ? NAT_HDR_MAX : ihl + 8;
	if (want > have)
		pkt_pull(k, want - have);
}

static enum drop reason(enum nat_reason r)
{
	switch (r) {
	case NAT_R_FRAGMENT:
		return DROP_FRAGMENT;
	case NAT_R_NO_MAPPING:
		return DROP_NO_MAPPING;
	case NAT_R_QUOTA:
		return DROP_NAT_QUOTA;
	case NAT_R_PROTO:
		return DROP_NAT_PROTO;
	case NAT_R_TOO_BIG:
		return DROP_TOO_BIG;
	default:
		return DROP_LEN;
	}
}

static void to_guest(struct pkt *k, const struct nat_guest *g)
{
	struct port *q = &ports[g->port];

	if (router_ttl(k))
		router_send(q, k, q->cfg.mac, guest_side_mac);
}

/* An ICMP error nat.c made (NAT-10's 3/13, NAT-12's 3/4), back to the
 * guest that sent k, from the inside gateway. */
static void reply(struct port *p, const struct pkt *k, const struct nat_result *res)
{
	static struct pkt r;

	r.in = NULL;
	r.reflect = false;
	r.rest_len = 0;
	r.pcp = 0;
	put16(r.hdr + 12, ETH_P_IP);
	memcpy(r.hdr + L3, res->reply, res->reply_len);
	r.hdr_len = ETH_HLEN + (uint32_t)res->reply_len;
	router_send(p, &r, pkt_src(k), guest_side_mac);
}

bool natport_from_guest(struct pkt *k)
{
	struct port *p = k->in;
	uint8_t *l3 = k->hdr + L3;
	struct nat_result res;

	if (k->type == ETH_P_ARP) {
		/* The inside gateway only (NAT-1); never the guest's own
		 * address (duplicate-address detection). */
		if (get16(l3 + 6) == 1 && ip_eq(l3 + 24, gateway))
			router_arp(p, 2, guest_side_mac, l3 + 24, l3 + 8, l3 + 14, pkt_src(k));
		return true;
	}
	/* Layer 3 only: a guest's broadcasts reach nobody. */
	if (k->type != ETH_P_IP || mac_multicast(pkt_dst(k)) || !active)
		return true;
	pull_l4(k);
	switch (nat_outbound(&nat, &guests[p->index], l3, k->hdr_len - L3, pkt_len(k) - L3,
			     now_ms(), &res)) {
	case NAT_FORWARD:
		if (res.to)
			to_guest(k, res.to); /* hairpinned (NAT-13) */
		else if (router_ttl(k))
			router_to_uplink(k);
		break;
	case NAT_REPLY:
		port_drop(p, reason(res.reason));
		reply(p, k, &res);
		break;
	case NAT_DROP:
		port_drop(p, reason(res.reason));
		break;
	case NAT_LOCAL:
		/* net-dom's own addresses answer echo (C-6); nothing else
		 * addressed to them goes anywhere. */
		if (!router_echo(p, k, guest_side_mac))
			port_drop(p, DROP_NO_ROUTE);
		break;
	}
	return true;
}

bool natport_from_uplink(struct pkt *k)
{
	struct nat_result res;

	if (!active)
		return false;
	pull_l4(k);
	switch (nat_inbound(&nat, k->hdr + L3, k->hdr_len - L3, pkt_len(k) - L3, now_ms(), &res)) {
	case NAT_FORWARD:
		to_guest(k, res.to);
		return true;
	case NAT_DROP:
	case NAT_REPLY:
		port_drop(&ports[UPLINK], reason(res.reason));
		return true;
	case NAT_LOCAL:
	default:
		return false;
	}
}

bool natport_owner(const uint8_t *ip)
{
	for (uint32_t i = 1; active && i < n_ports; i++)
		if (ports[i].cfg.mode == MODE_NAT && port_has_ip(&ports[i], ip))
			return true;
	return false;
}

void natport_reset(void)
{
	if (!active)
		return;
	nat_reset(&nat);
	for (uint32_t i = 1; i < n_ports; i++)
		if (ports[i].cfg.mode == MODE_NAT) {
			guests[i].used = 0;
			guests[i].refused = 0;
		}
}

void natport_forget(const struct port *p)
{
	if (active && p->cfg.mode == MODE_NAT)
		nat_flush_guest(&nat, &guests[p->index]);
}
