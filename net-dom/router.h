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

#define ARP_ENTRIES 8u
#define ARP_PENDING_MAX 4u   /* packets held per unresolved next hop (RT-6) */
#define ARP_TTL_S 60u        /* a resolved entry's life */

/* Handle k if it is layer-3 traffic for the router or for net-dom itself:
 * everything from a router port, and on the uplink frames to net-dom's
 * MAC and ARP for its or a routed guest's address. False: bridge it. */
bool router_input(struct pkt *k);
/* Forget the ARP cache and pending packets (test reset). */
void router_reset(void);
/* The NIC sent a pending packet (TAG_PENDING). */
void router_tx_done(uint32_t slot);

#endif
