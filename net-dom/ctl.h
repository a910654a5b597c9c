/* SPDX-License-Identifier: MIT */
/*
 * Test builds only (net-dom-test.elf): control frames from the test rig on
 * the uplink (docs/net-dom.md, "Test rig"): a frame of EtherType 0x88B5
 * addressed to net-dom's uplink MAC whose first payload byte is a command:
 * reset the switch's state (tables, counters, credit, clock offset),
 * report a port's counters, advance the clock. The answer goes back to
 * the sender, command | 0x80, then the data.
 */
#ifndef NETDOM_CTL_H
#define NETDOM_CTL_H

#include "pkt.h"

#define CTL_RESET 1u
#define CTL_COUNTERS 2u   /* byte 1: the port index */
#define CTL_ADVANCE 3u    /* bytes 1..4: seconds, little-endian */

void ctl_input(const struct pkt *k);

#endif
