/* SPDX-License-Identifier: MIT */
/*
 * Router mode and net-dom's own addresses (docs/net-dom.md, "Router
 * mode"): a host route per guest /32 to its port; on a guest port, ARP
 * answered for the gateway address only (with net-dom's guest-side MAC
 * fe:ff:ff:ff:ff:ff, Xen's backend MAC), never for the guest's own; on the
 * uplink, proxy ARP for every routed guest's /32 and nothing else; TTL
 * decremented with the IPv4 checksum updated incrementally (RFC 1624);
 * the uplink's next hop resolved by ARP with a bounded pending queue.
 * Also ICMP echo to net-dom's own addresses, in every mode (C-6).
 */
#ifndef NETDOM_ROUTER_H
#define NETDOM_ROUTER_H

#include <stdbool.h>
#include <stdint.h>

#include "pkt.h"
#include "port.h"

#define ARP_ENTRIES 8u
#define ARP_PENDING_MAX 4u   /* packets held per unresolved next hop (RT-6) */
#define ARP_TTL_S 60u        /* a resolved entry's life */
#define ARP_PENDING_S 3u     /* an unanswered next hop's, when the cache is needed */

/* net-dom's MAC on routed and NAT guest ports (Xen's backend MAC). */
extern const uint8_t guest_side_mac[6];

/* The pieces NAT mode (natport.c) shares with router mode: */
/* send k out of q with these MACs; */
void router_send(struct port *q, struct pkt *k, const uint8_t *dst, const uint8_t *src);
/* send an ARP packet (op, sender, target) to dst out of q; */
void router_arp(struct port *q, uint16_t op, const uint8_t *sha, const uint8_t *spa,
		const uint8_t *tha, const uint8_t *tpa, const uint8_t *dst);
/* answer an ICMP echo request to net-dom in place (false: not one); */
bool router_echo(struct port *p, struct pkt *k, const uint8_t *our_mac);
/* send a packet to the uplink's next hop, resolving it by ARP (RT-6); */
void router_to_uplink(struct pkt *k);
/* decrement the TTL (checksum updated), or drop (`ttl`) and say false. */
bool router_ttl(struct pkt *k);

/* Handle k if it is layer-3 traffic for the router or for net-dom itself:
 * everything from a router port, and on the uplink frames to net-dom's
 * MAC and ARP for its or a routed guest's address. False: bridge it. */
bool router_input(struct pkt *k);
/* Forget the ARP cache and pending packets (test reset). */
void router_reset(void);
/* The NIC sent a pending packet (TAG_PENDING). */
void router_tx_done(uint32_t slot);

#endif
