/* SPDX-License-Identifier: MIT */
/*
 * Kernel objects: the header every object starts with, and object lifetime.
 *
 * Memory model (docs/capabilities.md): every object lives in memory carved
 * out of an untyped pool by retype (or, for objects the boot policy makes,
 * out of the kernel's own boot pool). An object stays alive while a
 * capability names it; an untyped pool also while objects carved from it
 * live. When both counts reach zero the object is finalised (its own caps
 * deleted, its hold on the parent pool dropped). Finalisation can cascade
 * (a CNode holds caps to other objects), so it runs from a worklist, never
 * by recursion. Memory is never freed piecemeal: a pool's allocation mark
 * drops back to zero when its last carved object dies, and memory is zeroed
 * when it is handed out again.
 *
 * Locking: none yet; the core runs on one CPU with interrupts masked at EL2.
 */
#ifndef CLOISON_OBJECT_H
#define CLOISON_OBJECT_H

#include <cloison/types.h>

struct untyped;

/*
 * Kept alive without a cap: the domains the boot policy makes (the roots of
 * the system; dom0 usually holds no cap to itself). They can still be
 * destroyed through a cap with the destroy right.
 */
#define OBJECT_PINNED 1u
/*
 * Nothing keeps it alive any more and it is on the finalisation worklist,
 * which is worked off in bounded chunks (object_reap): a CNode's slots are
 * deleted a few at a time, so it can stay in this state across hypercalls.
 * No cap names it, so no domain can reach it; it still holds what its slots
 * hold, and its memory stays in use until it is finalised.
 */
#define OBJECT_DYING 2u

struct object {
	uint32_t type; /* CLOISON_TYPE_* */
	uint32_t flags; /* OBJECT_* */
	/* Capabilities naming this object. 64 bits: no number of slots can wrap it. */
	uint64_t ncaps;
	uint64_t id; /* unique while the system lives; shown in audit dumps */
	struct untyped *parent; /* pool the memory came from */
	struct object *next, *prev; /* all live objects (audit, invariants) */
	struct object *reap_next; /* finalisation worklist */
	paddr_t mem_base; /* memory this object occupies in its pool */
	uint64_t mem_size;
};

/* Set up the header of a freshly carved, zeroed object and list it. */
void object_init(struct object *obj, uint32_t type, struct untyped *parent,
		 paddr_t mem_base, uint64_t mem_size);

/* A cap to obj was created / deleted. The last release finalises it. */
void object_get(struct object *obj);
void object_put(struct object *obj);

/*
 * Defer finalisation between begin and end (nesting allowed); end runs the
 * worklist. Revoke uses this so that no CNode it is walking disappears
 * under it.
 */
void object_defer_begin(void);
void object_defer_end(void);

/*
 * Work off the finalisation worklist, at most `budget` units (a deleted cap
 * counts 8, a slot looked at 1). Returns true when it is empty. When a
 * hypercall leaves it non-empty, the scheduler has the caller finish it
 * chunk by chunk, on the caller's budget, before the caller runs again
 * (sched.c, "teardown"); host tests call it until it returns true.
 */
bool object_reap(uint64_t budget);
bool object_reap_pending(void);

/* Does a cap (or, for a pool, a live carved object) keep obj alive? */
bool object_alive(const struct object *obj);

/* Finalise obj if nothing keeps it alive (boot: objects no cap was made for). */
void object_release_unused(struct object *obj);

/* Iteration over live objects, oldest first. */
struct object *object_first(void);
struct object *object_next(const struct object *obj);
uint64_t object_count(void);

/* Forget every object (test fixtures and boot only). */
void object_reset_all(void);

#endif
