/* SPDX-License-Identifier: MIT */
/*
 * Object headers and lifetime: reference counting by caps (and, for pools,
 * by live carved objects), the list of live objects, and the finalisation
 * worklist that keeps cascading deletes iterative (the EL2 stack is small
 * and a chain of CNodes holding caps to CNodes can be long).
 */
#include <cloison/abi/objects.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/object.h>
#include <cloison/panic.h>
#include <cloison/untyped.h>

static struct object *object_head, *object_tail;
static uint64_t object_live;
static uint64_t object_next_id = 1;
static struct object *reap_head;
static unsigned int defer_depth;

void object_reset_all(void)
{
	object_head = object_tail = NULL;
	object_live = 0;
	object_next_id = 1;
	reap_head = NULL;
	defer_depth = 0;
}

void object_init(struct object *obj, uint32_t type, struct untyped *parent,
		 paddr_t mem_base, uint64_t mem_size)
{
	obj->type = type;
	obj->ncaps = 0;
	obj->flags = 0;
	obj->id = object_next_id++;
	obj->parent = parent;
	obj->mem_base = mem_base;
	obj->mem_size = mem_size;
	obj->reap_next = NULL;
	obj->next = NULL;
	obj->prev = object_tail;
	if (object_tail)
		object_tail->next = obj;
	else
		object_head = obj;
	object_tail = obj;
	object_live++;
}

bool object_alive(const struct object *obj)
{
	if (obj->ncaps || (obj->flags & OBJECT_PINNED))
		return true;
	return obj->type == CLOISON_TYPE_UNTYPED &&
	       ((const struct untyped *)(const void *)obj)->nlive != 0;
}

static void object_unlist(struct object *obj)
{
	if (obj->prev)
		obj->prev->next = obj->next;
	else
		object_head = obj->next;
	if (obj->next)
		obj->next->prev = obj->prev;
	else
		object_tail = obj->prev;
	obj->next = obj->prev = NULL;
	CHECK(object_live > 0);
	object_live--;
}

/*
 * Type-specific teardown, in steps paid from *budget; may release further
 * objects (queued, not recursed). Returns false when budget ran out first
 * (only a CNode takes more than one step: one per slot).
 */
static bool object_finalise(struct object *obj, uint64_t *budget)
{
	struct untyped *parent = obj->parent;

	switch (obj->type) {
	case CLOISON_TYPE_CNODE:
		if (!cnode_finalise_step((struct cnode *)(void *)obj, budget))
			return false;
		break;
	case CLOISON_TYPE_DOMAIN:
		domain_finalise((struct domain *)(void *)obj);
		break;
	case CLOISON_TYPE_NOTIFICATION:
		notification_finalise((struct notification *)(void *)obj);
		break;
	case CLOISON_TYPE_CHANNEL:
		channel_finalise((struct channel *)(void *)obj);
		break;
	case CLOISON_TYPE_IRQ:
		irq_finalise((struct irqobj *)(void *)obj);
		break;
	default:
		/* Frames, channels, notifications, pools...: nothing held. */
		break;
	}
	*budget -= *budget < 8 ? *budget : 8;
	object_unlist(obj);
	obj->type = CLOISON_TYPE_NONE;
	obj->flags &= ~OBJECT_DYING;
	if (parent)
		untyped_child_died(parent);
	return true;
}

bool object_reap_pending(void)
{
	return reap_head != NULL;
}

/* The worklist, at most `budget` units of it; defer_depth is held. */
static bool object_reap_some(uint64_t budget)
{
	while (reap_head) {
		struct object *obj = reap_head;

		if (!budget)
			return false;
		reap_head = obj->reap_next;
		obj->reap_next = NULL;
		if (!object_finalise(obj, &budget)) {
			/* Not done: back on the list (behind nothing, ahead of
			 * what its own slots queued meanwhile). */
			obj->reap_next = reap_head;
			reap_head = obj;
		}
	}
	return true;
}

bool object_reap(uint64_t budget)
{
	bool done;

	if (defer_depth)
		return reap_head == NULL;
	defer_depth++;
	done = object_reap_some(budget);
	defer_depth--;
	return done;
}

/* A chunk of the worklist at the end of a call; what is left makes the
 * scheduler look (the caller finishes it before running again). */
static void object_reap_chunk(void)
{
	if (!object_reap_some(hc_chunk.reap_units))
		sched_epoch_counter++;
}

void object_defer_begin(void)
{
	defer_depth++;
}

void object_defer_end(void)
{
	CHECK(defer_depth > 0);
	if (--defer_depth == 0) {
		/* Finalising may release more objects: keep them on the list. */
		defer_depth++;
		object_reap_chunk();
		defer_depth--;
	}
}

/* Queue obj for finalisation if nothing keeps it alive any more. */
static void object_maybe_release(struct object *obj)
{
	if (object_alive(obj))
		return;
	CHECK(!(obj->flags & OBJECT_DYING));
	obj->flags |= OBJECT_DYING;
	obj->reap_next = reap_head;
	reap_head = obj;
	if (defer_depth == 0) {
		defer_depth++;
		object_reap_chunk();
		defer_depth--;
	}
}

void object_release_unused(struct object *obj)
{
	object_maybe_release(obj);
	/* Boot: nobody is waiting, finish now. */
	while (!object_reap(UINT64_MAX))
		;
}

void object_get(struct object *obj)
{
	obj->ncaps++;
}

void object_put(struct object *obj)
{
	CHECK(obj->ncaps > 0);
	obj->ncaps--;
	object_maybe_release(obj);
}

void untyped_child_died(struct untyped *ut)
{
	CHECK(ut->nlive > 0);
	if (--ut->nlive == 0) {
		/* Nothing carved lives: the whole pool can be handed out again. */
		ut->mark = 0;
		ut->zeroed = 0; /* what was handed out is dirty now */
		object_maybe_release(&ut->obj);
	}
}

struct object *object_first(void)
{
	return object_head;
}

struct object *object_next(const struct object *obj)
{
	return obj->next;
}

uint64_t object_count(void)
{
	return object_live;
}
