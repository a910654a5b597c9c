/* SPDX-License-Identifier: MIT */
/* The switch's port table (config.h, docs/net-dom.md). */
#include <domain/core.h>

#include "config.h"

#define CONFIG_VERSION 2u

struct config_header {
	char magic[8]; /* "CLNTCFG1" */
	uint32_t version;
	uint32_t count;
};

_Static_assert(sizeof(struct config_header) == 16, "config header");

static bool entry_ok(const struct config_port *p)
{
	if (p->cap[CONFIG_NAME_LEN - 1] || p->irq_cap[CONFIG_NAME_LEN - 1] ||
	    p->mode > MODE_NAT || p->n_ip > CONFIG_MAX_IPS || p->n_ranges > CONFIG_MAX_RANGES ||
	    p->pvid > 4094)
		return false;
	for (uint32_t r = 0; r < p->n_ranges; r++)
		if (p->ranges[r].lo < 1 || p->ranges[r].lo > p->ranges[r].hi ||
		    p->ranges[r].hi > 4094)
			return false;
	return true;
}

bool config_read(const struct cloison_start_info *si, struct config_port *out, uint32_t *n,
		 struct config_nat *nat, const char **why)
{
	const uint8_t *page =
		(const uint8_t *)(uintptr_t)(si->mem_ipa + si->mem_size - NET_CONFIG_OFFSET);
	struct config_header h;

	memcpy(&h, page, sizeof(h));
	if (memcmp(h.magic, "CLNTCFG1", 8) != 0 || h.version != CONFIG_VERSION) {
		*why = "no port table (no [[uplink]] names this switch's NIC?)";
		return false;
	}
	if (h.count == 0 || h.count > CONFIG_MAX_PORTS) {
		*why = "port table: bad count";
		return false;
	}
	memcpy(out, page + sizeof(h), h.count * sizeof(*out));
	for (uint32_t i = 0; i < h.count; i++)
		if (!entry_ok(&out[i])) {
			*why = "port table: an entry is out of range";
			return false;
		}
	if (out[0].irq_cap[0] == 0) {
		*why = "port table: the first entry is not the uplink";
		return false;
	}
	memcpy(nat, page + CONFIG_NAT_OFFSET, sizeof(*nat));
	if (nat->n_forwards > CONFIG_NAT_FORWARDS || nat->filter > 1) {
		*why = "port table: NAT settings out of range";
		return false;
	}
	for (uint32_t i = 0; i < nat->n_forwards; i++)
		if (nat->fwd[i].port == 0 || nat->fwd[i].port >= h.count ||
		    out[nat->fwd[i].port].mode != MODE_NAT || out[nat->fwd[i].port].n_ip == 0) {
			*why = "port table: a NAT forward names no NAT port";
			return false;
		}
	*n = h.count;
	return true;
}
