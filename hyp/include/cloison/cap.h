/* SPDX-License-Identifier: MIT */
/*
 * Capabilities and capability table entries (slots).
 *
 * A cap is CLOISON_CAP_WORDS explicit 64-bit words, laid out as
 * <cloison/abi/cap.h> says; fields are reached only through the accessors
 * below, never through C bitfields, so the layout is the same everywhere.
 *
 * A slot (struct cte) adds the links of the derivation tree: a copy, mint or
 * retype makes the new cap a child of its source; revoke deletes every
 * descendant; deleting a cap hands its children to its own parent, so a
 * revoke further up still reaches them.
 */
#ifndef CLOISON_CAP_H
#define CLOISON_CAP_H

#include <cloison/abi/cap.h>
#include <cloison/types.h>

struct object;

struct cap {
	uint64_t w[CLOISON_CAP_WORDS];
};

struct arch_stage2;

struct cte {
	struct cap cap;
	struct cte *parent;
	struct cte *first_child;
	struct cte *next_sibling, *prev_sibling;
	/* Where memory_map mapped this cap's memory (map_s2 NULL: nowhere):
	 * [map_ipa, map_ipa + map_len) is still mapped. Deleting the cap
	 * (delete, revoke, domain destroy) unmaps it, a bounded chunk at a
	 * time from the start (memmap_unmap_step), so the range shrinks. */
	struct arch_stage2 *map_s2;
	uint64_t map_ipa;
	/* Page-aligned, so map_ipa's low bits also say whether a memory_map
	 * is still under way (MEMMAP_BUSY) and with which prot (memmap.c):
	 * only the same call continues it. Ten words: the slot index scales
	 * in two instructions on every hypercall's lookup. */
	uint64_t map_len;
};

static inline uint32_t cap_type(const struct cap *c)
{
	return (uint32_t)((c->w[0] >> CLOISON_CAP_TYPE_SHIFT) & CLOISON_CAP_TYPE_MASK);
}

static inline uint32_t cap_rights(const struct cap *c)
{
	return (uint32_t)((c->w[0] >> CLOISON_CAP_RIGHTS_SHIFT) & CLOISON_CAP_RIGHTS_MASK);
}

static inline struct object *cap_object(const struct cap *c)
{
	return (struct object *)(uintptr_t)c->w[1];
}

static inline uint64_t cap_badge(const struct cap *c)
{
	return c->w[2];
}

static inline bool cap_is_null(const struct cap *c)
{
	return cap_type(c) == 0;
}

static inline bool cap_has_rights(const struct cap *c, uint32_t rights)
{
	return (cap_rights(c) & rights) == rights;
}

struct cap cap_make(uint32_t type, uint32_t rights, struct object *obj, uint64_t badge);

/* Word 0 as the ABI shows it (type and rights). */
static inline uint64_t cap_word0(const struct cap *c)
{
	return c->w[0];
}

static inline bool cte_is_empty(const struct cte *cte)
{
	return cap_is_null(&cte->cap);
}

/*
 * Put cap into the empty slot dst as a child of parent (NULL: a root, as
 * for caps the boot policy installs). Takes a reference on the object.
 */
void cte_insert(struct cte *dst, struct cap cap, struct cte *parent);

/* Move the cap in src to the empty slot dst, keeping its tree position. */
void cte_move(struct cte *dst, struct cte *src);

/*
 * Empty a slot: its children go to its parent, the object loses a
 * reference (and may be finalised, possibly deferred: object.h).
 */
void cte_delete(struct cte *cte);

/* Delete every descendant of cte, wherever it is. */
void cte_revoke(struct cte *cte);

/*
 * At most `steps` steps of a revoke of cte (each O(1): a deletion or the
 * lift of a subtree to hang from cte). Returns true when no descendant is
 * left. Calling it again continues: the progress is the tree itself.
 */
bool cte_revoke_chunk(struct cte *cte, uint32_t steps);

#endif
