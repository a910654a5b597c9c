/* SPDX-License-Identifier: MIT */
/* The capability invariant checker (see capcheck.h). */
#include "capcheck.h"

#include <arch/mem.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/cap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/object.h>
#include <cloison/sysobj.h>
#include <cloison/untyped.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"
#include "hypercall_dispatch.h"

#define CK_MAX_OBJ 4096
#define CK_MAX_CTE 65536

struct ck_obj {
	const struct object *obj;
	uint64_t caps;
	uint64_t kids;
};

struct ck_mem {
	const struct untyped *parent;
	uint64_t base, end;
};

static struct ck_obj ck_objs[CK_MAX_OBJ];
static struct ck_mem ck_mems[CK_MAX_OBJ];
static const struct cte *ck_ctes[CK_MAX_CTE];
static size_t ck_nobj, ck_nmem, ck_ncte;

static bool ck_fail(char *msg, size_t n, const char *fmt, ...) PRINTF_LIKE(3, 4);

static bool ck_fail(char *msg, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, n, fmt, ap);
	va_end(ap);
	return false;
}

static int ck_cmp_obj(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct ck_obj *)a)->obj;
	uintptr_t y = (uintptr_t)((const struct ck_obj *)b)->obj;

	return x < y ? -1 : x > y;
}

static int ck_cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const struct cte *const *)a;
	uintptr_t y = (uintptr_t)*(const struct cte *const *)b;

	return x < y ? -1 : x > y;
}

static int ck_cmp_mem(const void *a, const void *b)
{
	const struct ck_mem *x = a, *y = b;

	if (x->parent != y->parent)
		return (uintptr_t)x->parent < (uintptr_t)y->parent ? -1 : 1;
	return x->base < y->base ? -1 : x->base > y->base;
}

static struct ck_obj *ck_find(const struct object *obj)
{
	struct ck_obj key = { .obj = obj };

	return bsearch(&key, ck_objs, ck_nobj, sizeof(key), ck_cmp_obj);
}

static bool ck_cte_known(const struct cte *cte)
{
	return bsearch(&cte, ck_ctes, ck_ncte, sizeof(cte), ck_cmp_ptr) != NULL;
}

static bool ck_add_cte(const struct cte *cte)
{
	if (ck_ncte == CK_MAX_CTE)
		return false;
	ck_ctes[ck_ncte++] = cte;
	return true;
}

/* Is obj carved (directly or through nested pools) from pool? */
static bool ck_carved_from(const struct object *obj, const struct object *pool)
{
	const struct untyped *p;

	for (p = obj->parent; p; p = p->obj.parent)
		if (&p->obj == pool)
			return true;
	return false;
}

static bool ck_objects(char *msg, size_t n)
{
	const struct object *o, *prev = NULL;
	size_t i;

	ck_nobj = ck_nmem = 0;
	for (o = object_first(); o; prev = o, o = object_next(o)) {
		if (ck_nobj == CK_MAX_OBJ)
			return ck_fail(msg, n, "checker: too many objects");
		if (o->prev != prev)
			return ck_fail(msg, n, "object list: bad prev link at id %llu",
				       (unsigned long long)o->id);
		if (o->type == CLOISON_TYPE_NONE || o->type >= CLOISON_TYPE_COUNT)
			return ck_fail(msg, n, "object %llu: bad type %u",
				       (unsigned long long)o->id, o->type);
		ck_objs[ck_nobj++] = (struct ck_obj){ .obj = o };
	}
	if (ck_nobj != object_count())
		return ck_fail(msg, n, "object count %llu, list has %zu",
			       (unsigned long long)object_count(), ck_nobj);
	qsort(ck_objs, ck_nobj, sizeof(ck_objs[0]), ck_cmp_obj);
	for (i = 0; i < ck_nobj; i++) {
		const struct object *obj = ck_objs[i].obj;
		const struct untyped *p = obj->parent;

		if (i && ck_objs[i - 1].obj == obj)
			return ck_fail(msg, n, "object listed twice");
		if (obj->type == CLOISON_TYPE_UNTYPED) {
			const struct untyped *ut = (const void *)obj;

			if (ut->mark > ut->size || !IS_ALIGNED(pa_addr(ut->base), PAGE_SIZE))
				return ck_fail(msg, n, "pool %llu: mark %llu beyond size %llu",
					       (unsigned long long)obj->id,
					       (unsigned long long)ut->mark,
					       (unsigned long long)ut->size);
		}
		if (!p)
			continue;
		struct ck_obj *po = ck_find(&p->obj);

		if (!po || p->obj.type != CLOISON_TYPE_UNTYPED)
			return ck_fail(msg, n, "object %llu: parent pool is not a live pool",
				       (unsigned long long)obj->id);
		po->kids++;
		if (pa_addr(obj->mem_base) < pa_addr(p->base) ||
		    pa_addr(obj->mem_base) - pa_addr(p->base) > p->mark ||
		    obj->mem_size > p->mark - (pa_addr(obj->mem_base) - pa_addr(p->base)))
			return ck_fail(msg, n,
				       "object %llu: memory outside the used part of its pool",
				       (unsigned long long)obj->id);
		ck_mems[ck_nmem++] = (struct ck_mem){ p, pa_addr(obj->mem_base),
						      pa_addr(obj->mem_base) + obj->mem_size };
	}
	/* The memory of domains made at run time (object/build.c): a live
	 * child of its pool too, until the kernel releases it. */
	for (const struct domain_build *b = domain_build_first(); b; b = b->next) {
		struct ck_obj *po = ck_find(&b->pool->obj);

		if (!po || ck_nmem == CK_MAX_OBJ)
			return ck_fail(msg, n, "a domain's memory: its pool is not live");
		po->kids++;
		ck_mems[ck_nmem++] = (struct ck_mem){ b->pool, pa_addr(b->base),
						      pa_addr(b->base) + b->size };
	}
	qsort(ck_mems, ck_nmem, sizeof(ck_mems[0]), ck_cmp_mem);
	for (i = 1; i < ck_nmem; i++)
		if (ck_mems[i].parent == ck_mems[i - 1].parent &&
		    ck_mems[i].base < ck_mems[i - 1].end)
			return ck_fail(msg, n, "two live objects share memory at 0x%llx",
				       (unsigned long long)ck_mems[i].base);
	return true;
}

static bool ck_collect_ctes(char *msg, size_t n)
{
	size_t i;
	uint32_t s;

	ck_ncte = 0;
	for (i = 0; i < ck_nobj; i++) {
		const struct object *obj = ck_objs[i].obj;

		if (obj->type == CLOISON_TYPE_CNODE) {
			const struct cnode *cn = (const void *)obj;

			for (s = 0; s < cn->nslots; s++)
				if (!ck_add_cte(&cn->slots[s]))
					return ck_fail(msg, n, "checker: too many slots");
		} else if (obj->type == CLOISON_TYPE_DOMAIN) {
			if (!ck_add_cte(&((const struct domain *)(const void *)obj)->cspace))
				return ck_fail(msg, n, "checker: too many slots");
		}
	}
	qsort(ck_ctes, ck_ncte, sizeof(ck_ctes[0]), ck_cmp_ptr);
	return true;
}

static bool ck_cte(const struct cte *cte, char *msg, size_t n)
{
	const struct cap *c = &cte->cap;
	uint32_t type = cap_type(c);
	const struct object *obj = cap_object(c);
	const struct cte *p = cte->parent, *a;
	struct ck_obj *co;
	size_t depth;

	if (cte_is_empty(cte)) {
		if (c->w[0] || c->w[1] || c->w[2] || cte->parent || cte->first_child ||
		    cte->next_sibling || cte->prev_sibling)
			return ck_fail(msg, n, "empty slot %p with stale words or links",
				       (const void *)cte);
		return true;
	}
	if (c->w[0] & ~((CLOISON_CAP_TYPE_MASK << CLOISON_CAP_TYPE_SHIFT) |
			(CLOISON_CAP_RIGHTS_MASK << CLOISON_CAP_RIGHTS_SHIFT)))
		return ck_fail(msg, n, "cap word 0 has reserved bits set");
	if (type >= CLOISON_TYPE_COUNT)
		return ck_fail(msg, n, "cap of unknown type %u", type);
	if (cap_rights(c) & ~cloison_rights_all(type))
		return ck_fail(msg, n, "%s cap with rights 0x%x beyond its type",
			       cloison_type_name(type), cap_rights(c));
	/* Badges are for notifications; a channel cap's badge word is its end. */
	if (cap_badge(c) && type != CLOISON_TYPE_NOTIFICATION &&
	    !(type == CLOISON_TYPE_CHANNEL && cap_badge(c) == 1))
		return ck_fail(msg, n, "badge on a %s cap", cloison_type_name(type));
	co = ck_find(obj);
	if (!co)
		return ck_fail(msg, n, "%s cap names a dead object", cloison_type_name(type));
	if (obj->type != type)
		return ck_fail(msg, n, "cap type %u names an object of type %u", type, obj->type);
	co->caps++;

	/* links */
	if (cte->prev_sibling) {
		if (!ck_cte_known(cte->prev_sibling) || cte->prev_sibling->next_sibling != cte ||
		    cte->prev_sibling->parent != p)
			return ck_fail(msg, n, "bad prev_sibling link");
	} else if (p) {
		if (p->first_child != cte)
			return ck_fail(msg, n, "first child not linked from its parent");
	}
	if (cte->next_sibling && (!ck_cte_known(cte->next_sibling) ||
				  cte->next_sibling->prev_sibling != cte))
		return ck_fail(msg, n, "bad next_sibling link");
	if (!p && cte->next_sibling)
		return ck_fail(msg, n, "a root cap has siblings");
	if (cte->first_child && (!ck_cte_known(cte->first_child) ||
				 cte->first_child->parent != cte ||
				 cte->first_child->prev_sibling))
		return ck_fail(msg, n, "bad first_child link");
	if (!p)
		return true;
	if (!ck_cte_known(p) || cte_is_empty(p))
		return ck_fail(msg, n, "parent is not a live slot");
	for (a = p, depth = 0; a; a = a->parent)
		if (++depth > ck_ncte || a == cte)
			return ck_fail(msg, n, "derivation tree has a cycle");

	/* derivation */
	if (cap_object(&p->cap) == obj) {
		if (cap_rights(c) & ~cap_rights(&p->cap))
			return ck_fail(msg, n, "%s cap has rights 0x%x beyond its parent's 0x%x",
				       cloison_type_name(type), cap_rights(c),
				       cap_rights(&p->cap));
		if (cap_badge(&p->cap) && cap_badge(c) != cap_badge(&p->cap))
			return ck_fail(msg, n, "a badged cap was re-badged");
	} else if (type == CLOISON_TYPE_CHANNEL && cap_badge(c) == 0 &&
		   cap_type(&p->cap) == CLOISON_TYPE_CNODE &&
		   ((const struct cnode *)(const void *)cap_object(&p->cap))->bound == p) {
		/* domain_connect: a driver's end 0 hangs below the guest's hold
		 * on its CSpace (object/build.c), so the guest's end takes it. */
	} else if (cap_type(&p->cap) != CLOISON_TYPE_UNTYPED ||
		   !ck_carved_from(obj, cap_object(&p->cap))) {
		return ck_fail(msg, n, "%s cap is the child of a %s cap it was not made from",
			       cloison_type_name(type), cloison_type_name(cap_type(&p->cap)));
	} else if (type == CLOISON_TYPE_UNTYPED && (cap_rights(c) & ~cap_rights(&p->cap))) {
		/* a pool split off another has at most the rights of the cap used */
		return ck_fail(msg, n, "pool cap has retype rights 0x%x beyond its parent's 0x%x",
			       cap_rights(c), cap_rights(&p->cap));
	}
	return true;
}

bool capcheck_verify(char *msg, size_t n)
{
	size_t i;

	if (!ck_objects(msg, n) || !ck_collect_ctes(msg, n))
		return false;
	for (i = 0; i < ck_ncte; i++)
		if (!ck_cte(ck_ctes[i], msg, n))
			return false;
	for (i = 0; i < ck_nobj; i++) {
		const struct object *obj = ck_objs[i].obj;

		if (ck_objs[i].caps != obj->ncaps)
			return ck_fail(msg, n, "%s %llu: ncaps %llu but %llu caps name it",
				       cloison_type_name(obj->type), (unsigned long long)obj->id,
				       (unsigned long long)obj->ncaps,
				       (unsigned long long)ck_objs[i].caps);
		if (obj->type == CLOISON_TYPE_UNTYPED &&
		    ck_objs[i].kids != ((const struct untyped *)(const void *)obj)->nlive)
			return ck_fail(msg, n, "pool %llu: nlive %llu but %llu live children",
				       (unsigned long long)obj->id,
				       (unsigned long long)((const struct untyped *)(const void *)obj)
					       ->nlive,
				       (unsigned long long)ck_objs[i].kids);
		/* A dying object (on the finalisation worklist, worked off in
		 * chunks) has no cap and is not alive; anything else must be. */
		if ((obj->flags & OBJECT_DYING) && object_alive(obj))
			return ck_fail(msg, n, "%s %llu dying but alive",
				       cloison_type_name(obj->type), (unsigned long long)obj->id);
		if (!(obj->flags & OBJECT_DYING) && !object_alive(obj))
			return ck_fail(msg, n, "%s %llu outlives its last cap",
				       cloison_type_name(obj->type), (unsigned long long)obj->id);
		if (obj->type == CLOISON_TYPE_DOMAIN) {
			const struct domain *d = (const void *)obj;

			if (d->state < CLOISON_DOMAIN_CREATED || d->state > CLOISON_DOMAIN_DESTROYED)
				return ck_fail(msg, n, "domain %u: bad state %u", d->id, d->state);
			if (d->state == CLOISON_DOMAIN_DESTROYED && !cte_is_empty(&d->cspace))
				return ck_fail(msg, n, "destroyed domain %u keeps a CSpace", d->id);
			/* The dispatcher reads the CSpace with one load, relying on it. */
			if (cte_is_empty(&d->cspace) && domain_cspace(d) != NULL)
				return ck_fail(msg, n, "domain %u: empty CSpace slot names an object",
					       d->id);
			if (!cte_is_empty(&d->cspace)) {
				const struct cnode *cn = domain_cspace(d);

				if (cap_type(&d->cspace.cap) != CLOISON_TYPE_CNODE ||
				    cn->bound != &d->cspace)
					return ck_fail(msg, n, "domain %u: CSpace binding broken",
						       d->id);
			}
		}
		if (obj->type == CLOISON_TYPE_CNODE) {
			const struct cnode *cn = (const void *)obj;

			if (cn->bound && (!ck_cte_known(cn->bound) || cte_is_empty(cn->bound) ||
					  cap_object(&cn->bound->cap) != obj))
				return ck_fail(msg, n, "cnode %llu: bound to a slot not naming it",
					       (unsigned long long)obj->id);
		}
	}
	return true;
}

/* ---- per-call checks ---- */

static const struct cte *ck_desc[CK_MAX_CTE];

static size_t ck_descendants(const struct cte *root)
{
	size_t nd = 0;
	const struct cte *c = root->first_child;

	/* Pre-order walk without recursion. */
	while (c && nd < CK_MAX_CTE) {
		ck_desc[nd++] = c;
		if (c->first_child) {
			c = c->first_child;
			continue;
		}
		while (c != root && !c->next_sibling)
			c = c->parent;
		c = c == root ? NULL : c->next_sibling;
	}
	return nd;
}

static bool ck_zero(const void *p, uint64_t len)
{
	const unsigned char *b = p;
	uint64_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static bool ck_new_object(const struct object *obj, char *msg, size_t n)
{
	switch (obj->type) {
	case CLOISON_TYPE_FRAME:
	case CLOISON_TYPE_CHANNEL:
	case CLOISON_TYPE_UNTYPED: {
		paddr_t base;
		uint64_t size;
		void *p;

		if (obj->type == CLOISON_TYPE_UNTYPED) {
			base = ((const struct untyped *)(const void *)obj)->base;
			size = ((const struct untyped *)(const void *)obj)->size;
		} else {
			base = ((const struct memobj *)(const void *)obj)->base;
			size = ((const struct memobj *)(const void *)obj)->size;
		}
		p = arch_mem_ptr(base, (size_t)size);
		if (!ck_zero(p, size))
			return ck_fail(msg, n, "new %s memory is not zero",
				       cloison_type_name(obj->type));
		/* Use it as a domain would: a later reuse must zero it again. */
		memset(p, 0xa5, (size_t)size);
		return true;
	}
	case CLOISON_TYPE_CNODE: {
		const struct cnode *cn = (const void *)obj;

		if (!ck_zero(cn->slots, cn->nslots * sizeof(struct cte)) || cn->bound)
			return ck_fail(msg, n, "new cnode is not empty");
		return true;
	}
	case CLOISON_TYPE_NOTIFICATION:
		if (((const struct notification *)(const void *)obj)->word != 0)
			return ck_fail(msg, n, "new notification word not zero");
		return true;
	default:
		return true;
	}
}

/*
 * The authority rules, restated independently of the decoder: a call that
 * succeeded must have been allowed. Filled before the call from the caller's
 * CSpace as it was.
 */
struct ck_auth {
	bool places_cap; /* copy, mint, move, retype */
	struct cap src; /* the cap in x0 */
	struct cap dest_cnode; /* cap named by dest_cnode (w[0] == 0: own CSpace) */
	const struct cnode *dest; /* CNode the new cap lands in */
	uint64_t dest_index;
	uint64_t retype_type;
};

static void ck_auth_before(const struct cnode *cs, const uint64_t regs[8], struct ck_auth *a)
{
	const struct cte *src = cnode_slot((struct cnode *)(uintptr_t)cs, regs[0]);
	uint64_t dc, di;

	memset(a, 0, sizeof(*a));
	switch (regs[1]) {
	case CLOISON_HC_CAP_COPY:
	case CLOISON_HC_CAP_MINT:
	case CLOISON_HC_CAP_MOVE:
		dc = regs[2];
		di = regs[3];
		break;
	case CLOISON_HC_UNTYPED_RETYPE:
		a->retype_type = regs[2];
		dc = regs[4];
		di = regs[5];
		break;
	default:
		return;
	}
	if (!src)
		return;
	a->places_cap = true;
	a->src = src->cap;
	a->dest = cs;
	a->dest_index = di;
	if (dc != CLOISON_SLOT_NONE) {
		const struct cte *c = cnode_slot((struct cnode *)(uintptr_t)cs, dc);

		if (!c)
			return;
		a->dest_cnode = c->cap;
		a->dest = (const struct cnode *)(const void *)cap_object(&c->cap);
	}
}

static uint32_t ck_retype_right(uint64_t type)
{
	switch (type) {
	case CLOISON_TYPE_FRAME:
		return CLOISON_RIGHT_UNTYPED_RETYPE_FRAME;
	case CLOISON_TYPE_CNODE:
		return CLOISON_RIGHT_UNTYPED_RETYPE_CNODE;
	case CLOISON_TYPE_NOTIFICATION:
		return CLOISON_RIGHT_UNTYPED_RETYPE_NOTIFICATION;
	case CLOISON_TYPE_DOMAIN:
		return CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN;
	case CLOISON_TYPE_CHANNEL:
		return CLOISON_RIGHT_UNTYPED_RETYPE_CHANNEL;
	case CLOISON_TYPE_UNTYPED:
		return 0;
	default:
		return UINT32_MAX; /* nothing else may be made */
	}
}

static bool ck_auth_after(const struct cnode *cs, const struct ck_auth *a, char *msg, size_t n)
{
	const struct cte *dst;

	if (!a->places_cap)
		return true;
	if (a->dest_cnode.w[0] && (cap_type(&a->dest_cnode) != CLOISON_TYPE_CNODE ||
				   !cap_has_rights(&a->dest_cnode, CLOISON_RIGHT_CNODE_WRITE)))
		return ck_fail(msg, n, "a cap was placed through a cnode cap without write");
	if (a->dest != cs && !cap_has_rights(&a->src, CLOISON_RIGHT_GRANT))
		return ck_fail(msg, n, "a cap went to another CSpace without grant");
	if (a->retype_type) {
		uint32_t r = ck_retype_right(a->retype_type);

		if (r == UINT32_MAX || !cap_has_rights(&a->src, r))
			return ck_fail(msg, n, "retype to %s without its retype right",
				       cloison_type_name(a->retype_type));
	}
	dst = cnode_slot((struct cnode *)(uintptr_t)a->dest, a->dest_index);
	if (!dst || cte_is_empty(dst))
		return ck_fail(msg, n, "successful call left its destination empty");
	return true;
}

uint64_t capcheck_restarts;

bool capcheck_call(struct domain *caller, uint64_t regs[8], char *msg, size_t n)
{
	uint64_t op = regs[1];
	const struct object *last = NULL, *o;
	const struct cte *target = NULL;
	size_t nd = 0, i;
	struct cnode *cs = caller ? domain_cspace(caller) : NULL;
	struct ck_auth auth;

	if (op == CLOISON_HC_CAP_REVOKE) {
		target = cnode_slot(cs, regs[0]);
		if (target && !cte_is_empty(target))
			nd = ck_descendants(target);
	}
	ck_auth_before(cs, regs, &auth);
	for (o = object_first(); o; o = object_next(o))
		last = o;
	/* A preemptible call runs chunk by chunk (hypercall.h), as a domain
	 * re-executing its hvc would: every invariant must hold at every
	 * boundary, where another domain could run. */
	for (;;) {
		hypercall_dispatch(caller, regs);
		if (!hypercall_take_restart(regs))
			break;
		capcheck_restarts++;
		if (regs[1] != op)
			return ck_fail(msg, n, "restarted call %llu came back as %llu",
				       (unsigned long long)op, (unsigned long long)regs[1]);
		if (!capcheck_verify(msg, n))
			return false;
	}
	/* The teardown a call leaves is finished in chunks before the caller
	 * runs again (sched.c): check at every boundary of it too. */
	while (!object_reap(hc_chunk.reap_units)) {
		capcheck_restarts++;
		if (!capcheck_verify(msg, n))
			return false;
	}
	if (regs[0] >= CLOISON_ERR_COUNT)
		return ck_fail(msg, n, "call %llu returned undefined error %llu",
			       (unsigned long long)op, (unsigned long long)regs[0]);
	if (regs[0] != CLOISON_ERR_OK)
		for (i = 1; i < 8; i++)
			if (regs[i])
				return ck_fail(msg, n, "failed call left x%zu = 0x%llx", i,
					       (unsigned long long)regs[i]);
	if (regs[0] == CLOISON_ERR_OK && !ck_auth_after(cs, &auth, msg, n))
		return false;
	if (op == CLOISON_HC_CAP_REVOKE && regs[0] == CLOISON_ERR_OK) {
		for (i = 0; i < nd; i++)
			if (!cte_is_empty(ck_desc[i]))
				return ck_fail(msg, n, "revoke left descendant %zu of %zu", i, nd);
		if (!cte_is_empty(target) && target->first_child)
			return ck_fail(msg, n, "revoked cap still has children");
	}
	if (op == CLOISON_HC_UNTYPED_RETYPE && regs[0] == CLOISON_ERR_OK) {
		o = last ? object_next(last) : object_first();
		if (!o || object_next(o))
			return ck_fail(msg, n, "retype did not make exactly one object");
		if (!ck_new_object(o, msg, n))
			return false;
	}
	return capcheck_verify(msg, n);
}

/* ---- the shared small system ---- */

char capfix_console[256];
size_t capfix_console_len;
unsigned int capfix_poweroffs;

static void capfix_console_write(const char *buf, size_t len)
{
	size_t room = sizeof(capfix_console) - capfix_console_len;

	if (len > room)
		len = room;
	memcpy(capfix_console + capfix_console_len, buf, len);
	capfix_console_len += len;
}

static void capfix_poweroff(void)
{
	capfix_poweroffs++;
}

#define CAPFIX_KMEM_SIZE (1ull << 20)

/* Stand-ins for the kernel's side of domains made at run time (the real one,
 * kernel/dynvm.c, is tested in test_build.c): a VMID is always free, a
 * caller's "RAM" is the first 64 KiB after the fixture's pools, its
 * scheduling 2000 us of 10000 at priority 200; nothing runs. */
static bool capfix_vm_available(void)
{
	return true;
}

static void capfix_vm_attach(struct domain *d)
{
	(void)d;
}

static bool capfix_caller_ram(const struct domain *caller, uint64_t ipa, uint64_t len,
			      paddr_t *pa)
{
	(void)caller;
	if (ipa < 0x40000000ull || ipa - 0x40000000ull > 0x10000 ||
	    len > 0x10000 - (ipa - 0x40000000ull))
		return false;
	*pa = pa_init(FAKE_RAM_BASE + FAKE_RAM_SIZE - 0x10000 + (ipa - 0x40000000ull));
	return true;
}

static bool capfix_sched_limits(const struct domain *caller, uint64_t *budget_us,
				uint64_t *period_us, uint32_t *priority)
{
	(void)caller;
	*budget_us = 2000;
	*period_us = 10000;
	*priority = 200;
	return true;
}

static void capfix_vm_ready(struct domain *d)
{
	(void)d;
}

void capfix_base(paddr_t *pool_base, uint64_t pool_size)
{
	static const struct sysobj_hooks hooks = {
		.console_write = capfix_console_write,
		.poweroff = capfix_poweroff,
		.vm_available = capfix_vm_available,
		.vm_attach = capfix_vm_attach,
		.caller_ram = capfix_caller_ram,
		.sched_limits = capfix_sched_limits,
		.vm_ready = capfix_vm_ready,
	};

	bootcap_init(pa_init(FAKE_RAM_BASE), CAPFIX_KMEM_SIZE);
	sysobj_set_hooks(&hooks);
	capfix_console_len = 0;
	capfix_poweroffs = 0;
	*pool_base = pa_init(FAKE_RAM_BASE + CAPFIX_KMEM_SIZE);
	if (pool_size > FAKE_RAM_SIZE - CAPFIX_KMEM_SIZE)
		abort();
}

static void capfix_install(struct domain *d, uint64_t slot, struct object *obj, uint32_t rights)
{
	if (bootcap_install(d, slot, obj, rights, 0) != CLOISON_ERR_OK)
		abort();
}

void capfix_small(struct capfix *f)
{
	paddr_t pool;
	int i;

	capfix_base(&pool, CAPFIX_POOL_SIZE);
	f->pool = bootcap_untyped(pool, CAPFIX_POOL_SIZE);
	for (i = 0; i < 3; i++)
		f->d[i] = bootcap_domain(CAPFIX_SLOTS);
	if (!f->pool || !f->d[0] || !f->d[1] || !f->d[2])
		abort();
	capfix_install(f->d[0], 0, &f->pool->obj, CLOISON_RIGHTS_UNTYPED_ALL);
	capfix_install(f->d[0], 1, &domain_cspace(f->d[1])->obj, CLOISON_RIGHTS_CNODE_ALL);
	capfix_install(f->d[1], 2, bootcap_notification(), CLOISON_RIGHTS_NOTIFICATION_ALL);
	capfix_install(f->d[1], 3, &domain_cspace(f->d[2])->obj, CLOISON_RIGHT_CNODE_WRITE);
	capfix_install(f->d[2], 0, bootcap_console(), CLOISON_RIGHT_CONSOLE_WRITE);
	bootcap_finish();
}
