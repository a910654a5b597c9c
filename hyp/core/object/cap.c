/* SPDX-License-Identifier: MIT */
/*
 * Capability words and the derivation tree.
 *
 * Tree shape: every slot has a parent pointer and a doubly linked list of
 * children. Deleting a slot splices its children into its parent's list, so
 * "descendant of X" survives the deletion of anything between X and the
 * descendant: a revoke of X still finds it. Revoke works in bounded,
 * restartable chunks of O(1) steps and loops instead of recursing (bounded
 * EL2 stack): cte_revoke_chunk.
 */
#include <cloison/abi/objects.h>
#include <cloison/cap.h>
#include <cloison/memmap.h>
#include <cloison/cnode.h>
#include <cloison/object.h>
#include <cloison/panic.h>
#include <cloison/std/string.h>

struct cap cap_make(uint32_t type, uint32_t rights, struct object *obj, uint64_t badge)
{
	struct cap c;

	c.w[0] = (((uint64_t)type & CLOISON_CAP_TYPE_MASK) << CLOISON_CAP_TYPE_SHIFT) |
		 (((uint64_t)rights & CLOISON_CAP_RIGHTS_MASK) << CLOISON_CAP_RIGHTS_SHIFT);
	c.w[1] = (uint64_t)(uintptr_t)obj;
	c.w[2] = badge;
	return c;
}

static void cte_link_child(struct cte *parent, struct cte *child)
{
	child->parent = parent;
	child->prev_sibling = NULL;
	if (!parent) {
		child->next_sibling = NULL;
		return;
	}
	child->next_sibling = parent->first_child;
	if (parent->first_child)
		parent->first_child->prev_sibling = child;
	parent->first_child = child;
}

static void cte_unlink(struct cte *cte)
{
	if (cte->prev_sibling)
		cte->prev_sibling->next_sibling = cte->next_sibling;
	else if (cte->parent)
		cte->parent->first_child = cte->next_sibling;
	if (cte->next_sibling)
		cte->next_sibling->prev_sibling = cte->prev_sibling;
	cte->prev_sibling = cte->next_sibling = NULL;
	cte->parent = NULL;
}

void cte_insert(struct cte *dst, struct cap cap, struct cte *parent)
{
	CHECK(cte_is_empty(dst) && !cap_is_null(&cap));
	dst->cap = cap;
	dst->first_child = NULL;
	cte_link_child(parent, dst);
	object_get(cap_object(&cap));
}

void cte_move(struct cte *dst, struct cte *src)
{
	struct cte *c;
	struct object *obj = cap_object(&src->cap);

	CHECK(cte_is_empty(dst) && !cte_is_empty(src) && dst != src);
	*dst = *src;
	if (dst->prev_sibling)
		dst->prev_sibling->next_sibling = dst;
	else if (dst->parent)
		dst->parent->first_child = dst;
	if (dst->next_sibling)
		dst->next_sibling->prev_sibling = dst;
	for (c = dst->first_child; c; c = c->next_sibling)
		c->parent = dst;
	/* A domain's CSpace slot lives in the domain object, never in a CNode. */
	CHECK(obj->type != CLOISON_TYPE_CNODE || ((struct cnode *)(void *)obj)->bound != src);
	memset(src, 0, sizeof(*src));
}

void cte_delete(struct cte *cte)
{
	struct cte *parent = cte->parent;
	struct cte *c, *next;
	struct object *obj = cap_object(&cte->cap);

	CHECK(!cte_is_empty(cte));
	memmap_unmap_cte(cte);
	cte_unlink(cte);
	for (c = cte->first_child; c; c = next) {
		next = c->next_sibling;
		cte_link_child(parent, c);
	}
	memset(cte, 0, sizeof(*cte));
	if (obj->type == CLOISON_TYPE_CNODE) {
		struct cnode *cn = (struct cnode *)(void *)obj;

		if (cn->bound == cte)
			cn->bound = NULL;
	}
	object_put(obj);
}

bool cte_revoke_chunk(struct cte *cte, uint32_t steps)
{
	/*
	 * Every step is O(1) and needs no walk from the root: look at the
	 * first child c of cte. A leaf is deleted. Otherwise c's own first
	 * child g is deleted if it is a leaf, or else lifted to hang from cte
	 * directly (it and its subtree stay descendants of cte, and rights
	 * still shrink along the new edge: cte covers c, which covers g). Each
	 * descendant is lifted at most once and deleted once, so a revoke is
	 * linear in the number of descendants, whatever the tree's shape (a
	 * chain N deep cost N^2 when every deletion walked down from cte).
	 * The only state is the tree itself: after a preemption the next
	 * chunk starts again at cte->first_child and continues.
	 *
	 * Finalisation is deferred to the end of the chunk, so that no CNode
	 * holding a slot this loop touches disappears under it.
	 */
	object_defer_begin();
	while (cte->first_child && steps) {
		struct cte *c = cte->first_child, *g = c->first_child;
		struct cte *victim = !g ? c : !g->first_child ? g : NULL;

		steps--;
		if (!victim) {
			cte_unlink(g);
			cte_link_child(cte, g);
			continue;
		}
		/* A large mapping is undone a chunk per step before the cap
		 * goes (each chunk of unmapping is bounded too). */
		if (memmap_unmap_step(victim))
			cte_delete(victim);
	}
	object_defer_end();
	/* Finalisation may have emptied cte itself (its CNode died): then it
	 * reads as all zero and the revoke is complete. */
	return cte->first_child == NULL;
}

void cte_revoke(struct cte *cte)
{
	while (!cte_revoke_chunk(cte, UINT32_MAX))
		;
}
