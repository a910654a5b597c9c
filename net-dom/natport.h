/* SPDX-License-Identifier: MIT */
/*
 * NAT mode's ports (docs/net-nat.md, "How net-dom calls it"): the frames
 * around the translation of nat.c. On a NAT port net-dom answers ARP for
 * the inside gateway only, copies the headers NAT reads or rewrites into
 * private memory (pkt_pull), calls nat_outbound / nat_inbound on that copy
 * and sends the frame on as router mode does (TTL, next hop by ARP, the
 * guest's configured MAC); the payload stays where it arrived.
 */
#ifndef NETDOM_NATPORT_H
#define NETDOM_NATPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "pkt.h"

struct port;

/* Set NAT up from the table's NAT block, for every NAT port. False with
 * *why if the configuration is unusable (a NAT port without the uplink's
 * address, a forward refused). table: the port table (forwards name
 * entries of it). */
bool natport_init(const struct config_port *table, const struct config_nat *c, const char **why);
/* A frame from a NAT port (past the common checks): always handled. */
bool natport_from_guest(struct pkt *k);
/* An IPv4 packet to the uplink address: true if NAT took it (translated
 * to a guest, or dropped); false: net-dom's own (ICMP echo). */
bool natport_from_uplink(struct pkt *k);
/* Is ip (network order) a NAT port's inside address (AS-6)? */
bool natport_owner(const uint8_t *ip);
/* Forget every mapping (the test build's reset). */
void natport_reset(void);
/* Forget a NAT port's mappings (its run-time client went, net-dom/connect.c). */
void natport_forget(const struct port *p);

#endif
