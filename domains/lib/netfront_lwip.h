/* SPDX-License-Identifier: MIT */
/*
 * lwIP on the network front end (docs/net-guests.md): one lwIP netif per
 * port, the port's address from the guest's network configuration page,
 * and an event loop that sleeps until the back end notifies or lwIP's next
 * timeout is due. For domains on the picolibc layer with lwIP
 * (domain_lwip_dep).
 *
 * The configuration page: the toolstack writes it from the system
 * description's [[netport]] (the guest's first `ip`, the port's gateway
 * and the uplink's gateway to ping) as a read-only segment
 * NETGUEST_CONFIG_OFFSET below the end of the guest's RAM
 * (toolstack/cloison/netguest.py has the layout's other half).
 */
#ifndef CLOISON_NETFRONT_LWIP_H
#define CLOISON_NETFRONT_LWIP_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "netfront.h"

#define NETGUEST_CONFIG_OFFSET 20480u /* below net-dom's table (16 KiB, 8 KiB long) */
#define NETGUEST_CONFIG_MAX 16u

struct netguest_config {
	char cap[32];     /* the channel cap's name, NUL-terminated */
	uint32_t ip;      /* host byte order */
	uint32_t prefix;  /* netmask length: 32 routes everything through the gateway */
	uint32_t gateway; /* 0: none */
	uint32_t ping;    /* an address to ping at start (the uplink's gateway), 0: none */
	uint32_t reserved[4];
};

_Static_assert(sizeof(struct netguest_config) == 64, "netguest config entry");

/* The configuration of the port whose cap is `cap`; false with *why when
 * the page is absent, malformed, or has no such entry. */
bool netguest_config_read(const char *cap, struct netguest_config *out, const char **why);

struct netfront_lwip {
	struct netfront nf;
	struct netif netif;
	uint64_t slot;    /* the channel cap */
	uint32_t vintid;  /* the channel's virtual interrupt */
	uint64_t rx_nomem; /* frames lost for want of a pbuf */
};

/* Attach to the port whose channel cap is `cfg->cap`, bind its notifications
 * to virtual interrupt vintid (33..63), wait for INFO, and add it to lwIP
 * (lwip_init must have run) as the default netif, up, with cfg's address.
 * False with *why. */
bool netfront_lwip_attach(struct netfront_lwip *n, const struct netguest_config *cfg,
			  uint32_t vintid, const char **why);

/* One turn of the event loop: take the back end's responses into lwIP,
 * run lwIP's timers, kick the back end; when there was nothing to do,
 * sleep until a notification or lwIP's next timeout (at most max_ms).
 * False once the port is dead (n->nf.why). */
bool netfront_lwip_step(struct netfront_lwip *n, uint32_t max_ms);

#endif
