/* SPDX-License-Identifier: MIT */
/*
 * Anti-spoofing on guest ports, every mode (docs/net-dom.md,
 * "Anti-spoofing"): the source MAC is the port's, never multicast; an
 * IPv4 source is one of the port's addresses (or a DHCP client's
 * 0.0.0.0:68 -> 255.255.255.255:67 when DHCP is on); an ARP sender is the
 * port's MAC and one of its addresses or 0.0.0.0 (a probe); EtherTypes
 * other than IPv4 and ARP (IPv6 when configured, 802.1Q on trunks) are
 * dropped. Checked on the private header copy only.
 */
#ifndef NETDOM_SPOOF_H
#define NETDOM_SPOOF_H

#include <stdbool.h>

#include "pkt.h"
#include "port.h"

/* DROP_REASONS if k may enter from guest port p, else why not. */
enum drop spoof_check(const struct port *p, const struct pkt *k);

#endif
