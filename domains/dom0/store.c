/* SPDX-License-Identifier: MIT */
/*
 * The guest store: guest configs and their images, which
 * `toolstack/bin/cloison pack` puts into dom0's memory at half its RAM as a
 * read-only segment (toolstack/cloison/store.py has the layout). The boot
 * image's hash covers it like dom0's own image. dom0 checks the header and
 * every entry's bounds before it uses anything.
 */
#include "guests.h"

#define STORE_MAGIC 0x3145524f54534c43ull /* "CLSTORE1", little-endian */
#define STORE_VERSION 1u

struct store_header {
	uint64_t magic;
	uint32_t version, count;
};

static const struct store_header *hdr;
static uint64_t store_ipa, store_room;

uint32_t store_open(const struct cloison_start_info *si)
{
	const struct store_guest *g;

	store_ipa = si->mem_ipa + si->mem_size / 2;
	store_room = si->mem_size / 2 - CLOISON_START_INFO_SIZE;
	hdr = (const struct store_header *)(uintptr_t)store_ipa;
	if (hdr->magic != STORE_MAGIC || hdr->version != STORE_VERSION ||
	    hdr->count > (store_room - sizeof(*hdr)) / sizeof(*g)) {
		hdr = NULL;
		return 0;
	}
	for (uint32_t i = 0; i < hdr->count; i++) {
		g = store_guest(i);
		if (g->name[31] || g->image[31] || g->disk[31] || g->image_off > store_room ||
		    g->image_size > store_room - g->image_off) {
			print("store: entry %u is broken; the store is not used\n", i);
			hdr = NULL;
			return 0;
		}
	}
	return hdr->count;
}

const struct store_guest *store_guest(uint32_t i)
{
	if (!hdr || i >= hdr->count)
		return NULL;
	return (const struct store_guest *)(uintptr_t)(store_ipa + sizeof(*hdr)) + i;
}

uint64_t store_image_ipa(const struct store_guest *g)
{
	return store_ipa + g->image_off;
}
