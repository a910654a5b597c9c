/* SPDX-License-Identifier: MIT */
/*
 * Run-time ports (docs/net-dom.md, "Run-time ports"): ports the description
 * declares with `runtime = true` and no channel, served to guests made at
 * run time. dom0 names a port and a VLAN over the control channel "ctl"
 * (<netctl.h>); the core puts the guest's channel end 0 into a slot of our
 * connect inbox (domain_connect); we check it and serve it as any port.
 */
#ifndef NETDOM_CONNECT_H
#define NETDOM_CONNECT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct cloison_start_info;
struct port;

/* Is the table entry a run-time port? */
bool connect_is_runtime(const struct config_port *c);
/* Set up a run-time port (free: disabled, frames to it dropped). */
void connect_port(struct port *p, const struct config_port *c, uint32_t index);
/* The control channel and the inbox (`inbox` slots at the end of the
 * CSpace); run-time ports' channels are bound to `vintid`. */
void connect_init(uint32_t inbox, uint32_t vintid);
/* Is `slot` the control channel's (not a port, not a stray)? */
bool connect_owns(uint64_t slot);
/* Requests and ends gone with their guest, at the start of each round
 * (before any port is touched). True if anything was done. */
bool connect_poll(void);
/* Before sleeping: true if a request came meanwhile. */
bool connect_arm(void);

#endif
