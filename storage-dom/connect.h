/* SPDX-License-Identifier: MIT */
/*
 * Clients made at run time (connect.c, docs/dynamic-guests.md): a guest a
 * control domain creates gets one of the run-time disks of the extent table
 * over a channel the core put into this domain's connect inbox
 * (domain_connect); dom0 says which disk goes with which inbox slot over the
 * control channel (<diskctl.h>), and the client is forgotten when dom0
 * detaches it or its end's slot empties (the guest destroyed).
 */
#ifndef STORAGE_CONNECT_H
#define STORAGE_CONNECT_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "config.h"

/* Serve the channel end in `slot` (mapped at `ipa`, `size` bytes) as client
 * c, its notifications as `vintid`: the end must be the back end's, with a
 * data area. Used for the clients of the policy too (storage.c). */
bool client_attach(struct client *c, uint64_t slot, uint64_t ipa, uint64_t size,
		   uint32_t vintid, const char **why);

/* The run-time disks of the table ('@' names), the inbox, the control
 * channel ("ctl", if the description gives one); clients[*n ..] are free
 * for run-time clients, up to max, their vIRQs first_vintid + index. */
void connect_init(const struct config_disk *table, uint32_t n, uint32_t inbox,
		  struct client *clients, uint32_t *n_clients, uint32_t max,
		  uint32_t first_vintid);
/* Serve dom0's requests and finish detaching; notice clients whose end is
 * gone. True if anything happened. */
bool connect_poll(void);
/* Before sleeping: true if a request arrived meanwhile. */
bool connect_arm(void);

#endif
