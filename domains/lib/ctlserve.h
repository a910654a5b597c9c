/* SPDX-License-Identifier: MIT */
/*
 * A driver domain's side of its control channel with dom0 (docs/dynamic-
 * guests.md, "Serving a guest made at run time"): the channel whose end 1
 * the description names "ctl", over which dom0 asks the driver to serve a
 * guest made at run time (diskctl.h for storage-dom, netctl.h for net-dom),
 * and the connect inbox the core puts the guests' channel ends into (the
 * last slots of the driver's CSpace). The protocols' messages are the
 * drivers' own; what they share is here.
 */
#ifndef DOMAIN_CTLSERVE_H
#define DOMAIN_CTLSERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "ring.h"

struct ctl_server {
	struct ring_end ring;
	uint64_t slot;                 /* the channel's end 1 */
	bool open;
	uint32_t inbox_first, inbox_slots;
};

/* Open "ctl" (end 1, mapped), bound to `vintid`, and note the inbox of
 * `inbox` slots; false if there is no such channel or no inbox (the caller
 * says so and serves no run-time client). */
bool ctl_server_open(struct ctl_server *s, uint32_t inbox, uint32_t vintid);
/* Send an answer of `len` bytes to request `id`. */
void ctl_server_answer(struct ctl_server *s, uint32_t id, const void *rsp, uint32_t len);
/* Hand each request that came to `request`, at most RING_SLOTS a call (the
 * rest next round); true if any did. */
bool ctl_server_poll(struct ctl_server *s, void (*request)(const struct ring_msg *m));
/* Before sleeping: true if a request came meanwhile. */
bool ctl_server_arm(struct ctl_server *s);
/* An empty inbox slot that `taken` (the driver's reservations) does not
 * claim, or 0 when the inbox is full. */
uint32_t ctl_server_free_slot(const struct ctl_server *s, bool (*taken)(uint32_t slot));

#endif
