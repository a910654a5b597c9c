/* SPDX-License-Identifier: MIT */
/*
 * memory_map / memory_unmap: a frame, device or channel cap's memory mapped
 * into the caller's own stage 2. The mapping is recorded in the slot
 * (struct cte) so that deleting the cap - by delete, revoke or the
 * destruction of the domain - always unmaps it.
 */
#ifndef CLOISON_MEMMAP_H
#define CLOISON_MEMMAP_H

#include <cloison/types.h>

struct cte;

/* Undo the slot's mapping, if it has one, all of it (cte_delete; every
 * hypercall path has unmapped in chunks before it gets there). */
void memmap_unmap_cte(struct cte *cte);

/*
 * Undo one bounded chunk of the slot's mapping: up to the next multiple of
 * hc_chunk.unmap_bytes in IPA (2 MiB: one level-3 table's worth, never half
 * a block). Returns true when nothing is mapped through the slot any more.
 */
bool memmap_unmap_step(struct cte *cte);

#endif
