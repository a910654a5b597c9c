/* SPDX-License-Identifier: MIT */
/* The back end's extent table (config.h, docs/block-protocol.md). */
#include <domain/core.h>

#include "config.h"

#define CONFIG_VERSION 2u

struct config_header {
	char magic[8]; /* "CLBKCFG1" */
	uint32_t version;
	uint16_t count;
	uint16_t inbox; /* the connect inbox: the last `inbox` slots of the CSpace */
};

_Static_assert(sizeof(struct config_header) == 16, "config header");
_Static_assert(sizeof(struct config_disk) == 48, "config entry");

bool config_read(const struct cloison_start_info *si, uint64_t capacity,
		 struct config_disk *out, uint32_t *n, uint32_t *inbox, const char **why)
{
	const uint8_t *page = (const uint8_t *)(uintptr_t)(
		si->mem_ipa + si->mem_size - CONFIG_OFFSET_FROM_END);
	struct config_header h;

	memcpy(&h, page, sizeof(h));
	if (memcmp(h.magic, "CLBKCFG1", 8) != 0 || h.version != CONFIG_VERSION) {
		*why = "no extent table (no [[disk]] names this back end?)";
		return false;
	}
	if (h.count == 0 || h.count > CONFIG_MAX_DISKS) {
		*why = "extent table: bad count";
		return false;
	}
	memcpy(out, page + sizeof(h), h.count * sizeof(*out));
	for (uint32_t i = 0; i < h.count; i++) {
		if (out[i].cap[CONFIG_NAME_LEN - 1] != 0) {
			*why = "extent table: a name is not terminated";
			return false;
		}
		if (out[i].sectors == 0 || out[i].start > capacity ||
		    out[i].sectors > capacity - out[i].start) {
			*why = "extent table: an extent lies outside the disk";
			return false;
		}
		for (uint32_t j = 0; j < i; j++)
			if (out[i].start < out[j].start + out[j].sectors &&
			    out[j].start < out[i].start + out[i].sectors) {
				*why = "extent table: two extents overlap";
				return false;
			}
	}
	*n = h.count;
	*inbox = h.inbox;
	return true;
}
