/* SPDX-License-Identifier: MIT */
/*
 * The switch's pipeline: a frame taken from a port (a guest's TX, a NIC
 * receive) is checked (length, VLAN, anti-spoofing, TX credit) and handed
 * to its mode (bridge.c, router.c); the modes send it out with switch_out
 * or switch_flood. A guest port gets one copy of the frame into a
 * receive buffer its guest posted; the uplink gets the private headers and
 * the rest of the frame by scatter-gather, from where it arrived (the
 * source buffer is then held until the NIC has sent it).
 */
#ifndef NETDOM_SWITCH_H
#define NETDOM_SWITCH_H

#include <stdbool.h>

#include "pkt.h"
#include "port.h"

/* What switch_input did with the source buffer. */
enum fate {
	FATE_DONE,      /* delivered or not: the source buffer is free now */
	FATE_DROPPED,   /* dropped by policy (counted): free now */
	FATE_HELD,      /* the NIC still reads it: freed at its TX completion */
};

/* A frame arrived on k->in (parsed into k). */
enum fate switch_input(struct pkt *k, uint32_t len);

/* Send k out of port q (VLAN egress rules applied; counted if dropped). */
void switch_out(struct port *q, struct pkt *k);
/* The ports a frame went out of, in order, and whether tagged: what
 * switch_out did, recorded (switch_record) for the bridge's decision cache. */
struct switch_ways {
	uint32_t n;
	uint8_t port[MAX_PORTS];
	bool tag[MAX_PORTS];
};
/* Record every port switch_out sends out of into w from now on (NULL:
 * stop recording). */
void switch_record(struct switch_ways *w);
/* Send k out of q as switch_out decided before (VLAN rules already
 * applied: `tag` is what vlan_egress said). */
void switch_send(struct port *q, struct pkt *k, bool tag);
/* Send k to every bridge port and the uplink in its VLAN but its ingress. */
void switch_flood(struct pkt *k);
/* Send a frame net-dom made itself (whole in k->hdr, no rest) out of q,
 * untagged unless q's VLAN rules say otherwise for k->vid. */
void switch_emit(struct port *q, struct pkt *k);

/* The NIC is done with a frame: release what it held (TX_DONE to a guest). */
void switch_tx_done(uint64_t tag);

#endif
