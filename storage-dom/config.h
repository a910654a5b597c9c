/* SPDX-License-Identifier: MIT */
/*
 * The back end's extent table: which client channel is which extent of the
 * physical disk. Written by the toolstack from the [[disk]] tables of the
 * system description (toolstack/cloison/disks.py) into the last-but-one
 * page of storage-dom's RAM; layout in docs/block-protocol.md.
 */
#ifndef STORAGE_CONFIG_H
#define STORAGE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define CONFIG_OFFSET_FROM_END 8192u
#define CONFIG_MAX_DISKS 85u
#define CONFIG_NAME_LEN 32u

struct config_disk {
	/* the back end's cap on the channel, or '@' and the name of a disk
	 * served to a guest made at run time (connect.c) */
	char cap[CONFIG_NAME_LEN];
	uint64_t start;            /* first sector on the physical disk */
	uint64_t sectors;
};

/* Read and check the table (magic, version, count, names terminated,
 * extents inside a disk of `capacity` sectors, no two overlapping). Fills
 * out[], *n and *inbox (its connect inbox's slot count); false with *why
 * otherwise. */
bool config_read(const struct cloison_start_info *si, uint64_t capacity,
		 struct config_disk *out, uint32_t *n, uint32_t *inbox, const char **why);

#endif
