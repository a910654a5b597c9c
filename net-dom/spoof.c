/* SPDX-License-Identifier: MIT */
/* Anti-spoofing checks on a guest's frame (spoof.h). */
#include "spoof.h"

static bool zero_ip(const uint8_t *ip)
{
	return !(ip[0] | ip[1] | ip[2] | ip[3]);
}

/* A port without addresses takes any (bridge mode, Xen-compatible; the
 * toolstack requires addresses for router ports). */
static bool ip_ok(const struct port *p, const uint8_t *ip)
{
	return p->cfg.n_ip == 0 || port_has_ip(p, ip);
}

/* DHCP client broadcast: 0.0.0.0:68 -> 255.255.255.255:67 over UDP. */
static bool dhcp_discover(const struct pkt *k)
{
	const uint8_t *ip = k->hdr + L3;
	uint32_t ihl = (ip[0] & 0xfu) * 4u;
	const volatile uint8_t *udp = k->rest;

	if (ip[9] != 17 || k->rest_len < 8 || ihl + ETH_HLEN != k->hdr_len)
		return false;
	for (int i = 0; i < 4; i++)
		if (ip[16 + i] != 0xff)
			return false;
	/* The ports are outside the copied headers: read them once each. */
	return udp[0] == 0 && udp[1] == 68 && udp[2] == 0 && udp[3] == 67;
}

enum drop spoof_check(const struct port *p, const struct pkt *k)
{
	const uint8_t *l3 = k->hdr + L3;

	if (mac_multicast(pkt_src(k)))
		return DROP_SPOOF_MAC;
	/* The common frame: IPv4 from the port's MAC and its first address. */
	if (k->type == ETH_P_IP && k->hdr_len >= ETH_HLEN + 20 && p->cfg.n_ip &&
	    mac_key(pkt_src(k)) == mac_key(p->cfg.mac) && ip_key(l3 + 12) == ip_key(p->cfg.ip[0]))
		return DROP_REASONS;
	if (!mac_eq(pkt_src(k), p->cfg.mac))
		return DROP_SPOOF_MAC;
	switch (k->type) {
	case ETH_P_IP:
		if (k->hdr_len < ETH_HLEN + 20)
			return DROP_LEN;
		if (ip_ok(p, l3 + 12))
			return DROP_REASONS;
		if (zero_ip(l3 + 12) && (p->cfg.flags & CFG_F_DHCP) && dhcp_discover(k))
			return DROP_REASONS;
		return DROP_SPOOF_IP;
	case ETH_P_ARP:
		if (k->hdr_len < ETH_HLEN + 28)
			return DROP_LEN;
		/* Ethernet/IPv4 ARP only (htype 1, ptype 0x0800, 6, 4). */
		if (get16(l3) != 1 || get16(l3 + 2) != ETH_P_IP || l3[4] != 6 || l3[5] != 4)
			return DROP_SPOOF_ARP;
		if (!mac_eq(l3 + 8, p->cfg.mac))
			return DROP_SPOOF_ARP;
		if (!zero_ip(l3 + 14) && !ip_ok(p, l3 + 14))
			return DROP_SPOOF_ARP;
		return DROP_REASONS;
	case ETH_P_IPV6:
		return (p->cfg.flags & CFG_F_IPV6) ? DROP_REASONS : DROP_ETHERTYPE;
	default:
		return DROP_ETHERTYPE;
	}
}
