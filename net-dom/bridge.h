/* SPDX-License-Identifier: MIT */
/*
 * The learning bridge (docs/net-dom.md, "Bridge mode"). Guest MACs are
 * static, from the configuration, bound to their port in each of its
 * VLANs; learning happens on the uplink only, per (VID, MAC), in a table
 * bounded in total and per port; entries age out. A guest MAC is never
 * learned on the uplink (AS-6).
 */
#ifndef NETDOM_BRIDGE_H
#define NETDOM_BRIDGE_H

#include <stdint.h>

#include "pkt.h"
#include "port.h"

#ifdef NETDOM_TEST
#define FDB_SIZE 64u        /* small, so the tests fill it */
#define FDB_PORT_QUOTA 48u
#else
#define FDB_SIZE 1024u
#define FDB_PORT_QUOTA 768u
#endif

/* Switch a frame that arrived on a bridge port or the uplink. */
void bridge_input(struct pkt *k);
/* The port a (VID, MAC) is on, or NULL if unknown (static first). */
struct port *bridge_lookup(uint16_t vid, const uint8_t *mac);
/* Forget every learned entry (test reset), or those of one port. */
void bridge_flush(const struct port *p);
/* Learned entries now (tests). */
uint32_t bridge_learned(void);

#endif
