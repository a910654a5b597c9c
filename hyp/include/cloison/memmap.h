/* SPDX-License-Identifier: MIT */
/*
 * memory_map / memory_unmap: a frame, device or channel cap's memory mapped
 * into the caller's own stage 2. The mapping is recorded in the slot
 * (struct cte) so that deleting the cap - by delete, revoke or the
 * destruction of the domain - always unmaps it.
 */
#ifndef CLOISON_MEMMAP_H
#define CLOISON_MEMMAP_H

struct cte;

/* Undo the slot's mapping, if it has one (called by cte_delete). */
void memmap_unmap_cte(struct cte *cte);

#endif
