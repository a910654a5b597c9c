/* SPDX-License-Identifier: MIT */
/*
 * 802.1Q on the switch's ports (docs/net-dom.md, "VLANs"): ingress
 * classification into one VID, and the egress form of a frame (tagged or
 * not) per port. Access port: one VID, untagged. Trunk: a set of VIDs,
 * tagged, with an optional native VID (PVID) for untagged frames, itself
 * leaving untagged only when marked `u`.
 */
#ifndef NETDOM_VLAN_H
#define NETDOM_VLAN_H

#include <stdbool.h>

#include "pkt.h"
#include "port.h"

/* Give k its VID (k->vid) on ingress at port p. False: drop it (the
 * reason is counted as DROP_VLAN by the caller). */
bool vlan_ingress(const struct port *p, struct pkt *k);

/* May a frame of VID vid leave port q, and tagged or not? */
bool vlan_egress(const struct port *q, uint16_t vid, bool *tag);

#endif
