/* SPDX-License-Identifier: MIT */
/*
 * Boot-time construction of objects and caps (the policy loader's API).
 *
 * Boot objects are carved from the kernel pool given to bootcap_init. That
 * pool is not an object and has no cap: its memory is never reused, so boot
 * objects have no parent pool (object.parent == NULL) and their death frees
 * nothing. Untyped pools made here are separate ranges, handed to domains
 * by cap; everything carved from them is reclaimed as usual.
 */
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/hypercall.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/panic.h>
#include <cloison/untyped.h>


static struct untyped bootcap_kmem;

void bootcap_init(paddr_t kmem, uint64_t size)
{
	CHECK(IS_ALIGNED(pa_addr(kmem), PAGE_SIZE));
	object_reset_all();
	domain_reset_ids();
	untyped_setup(&bootcap_kmem, kmem, size);
}

uint64_t bootcap_kmem_free(void)
{
	return bootcap_kmem.size - bootcap_kmem.mark;
}

static struct object *bootcap_carve(uint32_t type, uint64_t hdr_size)
{
	struct untyped_plan plan;
	struct object *obj;

	if (untyped_plan(&bootcap_kmem, hdr_size, 0, PAGE_SIZE, &plan))
		return NULL;
	obj = untyped_carve(&bootcap_kmem, &plan);
	object_init(obj, type, NULL, untyped_pa(&bootcap_kmem, plan.hdr_off),
		    plan.end - plan.hdr_off);
	return obj;
}

static bool bootcap_range_ok(paddr_t base, uint64_t size)
{
	return size != 0 && IS_ALIGNED(pa_addr(base), PAGE_SIZE) && IS_ALIGNED(size, PAGE_SIZE) &&
	       pa_addr(base) <= UINT64_MAX - size;
}

struct untyped *bootcap_untyped(paddr_t base, uint64_t size)
{
	struct untyped *ut;

	if (!bootcap_range_ok(base, size))
		return NULL;
	ut = (struct untyped *)(void *)bootcap_carve(CLOISON_TYPE_UNTYPED, sizeof(*ut));
	if (ut)
		untyped_setup(ut, base, size);
	return ut;
}

struct object *bootcap_cnode(uint32_t nslots)
{
	struct cnode *cn;

	if (nslots == 0 || nslots > CLOISON_CNODE_MAX_SLOTS)
		return NULL;
	cn = (struct cnode *)(void *)bootcap_carve(CLOISON_TYPE_CNODE, cnode_size(nslots));
	if (cn)
		cnode_setup(cn, nslots);
	return cn ? &cn->obj : NULL;
}

struct domain *bootcap_domain(uint32_t nslots)
{
	struct object *cn;
	struct domain *d;

	if (nslots == 0 || nslots > CLOISON_CNODE_MAX_SLOTS ||
	    bootcap_kmem_free() < cnode_size(nslots) + sizeof(*d) + 128)
		return NULL;
	cn = bootcap_cnode(nslots);
	d = (struct domain *)(void *)bootcap_carve(CLOISON_TYPE_DOMAIN, sizeof(*d));
	CHECK(cn && d); /* the space was checked above */
	domain_setup(d);
	d->obj.flags |= OBJECT_PINNED;
	cte_insert(&d->cspace, cap_make(CLOISON_TYPE_CNODE, CLOISON_RIGHTS_CNODE_ALL, cn, 0), NULL);
	((struct cnode *)(void *)cn)->bound = &d->cspace;
	return d;
}

struct object *bootcap_notification(void)
{
	return bootcap_carve(CLOISON_TYPE_NOTIFICATION, sizeof(struct notification));
}

static struct object *bootcap_memobj(uint32_t type, paddr_t base, uint64_t size)
{
	struct memobj *m;

	if (!bootcap_range_ok(base, size))
		return NULL;
	m = (struct memobj *)(void *)bootcap_carve(type, type == CLOISON_TYPE_CHANNEL
							   ? sizeof(struct channel)
							   : sizeof(*m));
	if (!m)
		return NULL;
	m->base = base;
	m->size = size;
	return &m->obj;
}

struct object *bootcap_frame(paddr_t base, uint64_t size)
{
	return bootcap_memobj(CLOISON_TYPE_FRAME, base, size);
}

struct object *bootcap_device(paddr_t base, uint64_t size)
{
	return bootcap_memobj(CLOISON_TYPE_DEVICE, base, size);
}

struct object *bootcap_channel(paddr_t base, uint64_t size)
{
	return bootcap_memobj(CLOISON_TYPE_CHANNEL, base, size);
}

struct object *bootcap_irq(uint32_t intid)
{
	struct irqobj *irq = (struct irqobj *)(void *)bootcap_carve(CLOISON_TYPE_IRQ, sizeof(*irq));

	if (irq)
		irq->intid = intid;
	return irq ? &irq->obj : NULL;
}

struct object *bootcap_console(void)
{
	return bootcap_carve(CLOISON_TYPE_CONSOLE, sizeof(struct object));
}

struct object *bootcap_system(void)
{
	return bootcap_carve(CLOISON_TYPE_SYSTEM, sizeof(struct object));
}

uint64_t bootcap_install(struct domain *d, uint64_t slot, struct object *obj, uint32_t rights,
			 uint64_t badge)
{
	struct cte *cte;

	if (!d || !obj || obj->type == CLOISON_TYPE_NONE)
		return CLOISON_ERR_INVALID_ARGUMENT;
	cte = cnode_slot(domain_cspace(d), slot);
	if (!cte)
		return CLOISON_ERR_INVALID_SLOT;
	if (!cte_is_empty(cte))
		return CLOISON_ERR_SLOT_OCCUPIED;
	if (rights & ~cloison_rights_all(obj->type))
		return CLOISON_ERR_INVALID_ARGUMENT;
	/* A badge on a notification cap; on a channel cap, its end (0 or 1). */
	if (badge && obj->type != CLOISON_TYPE_NOTIFICATION &&
	    !(obj->type == CLOISON_TYPE_CHANNEL && badge == 1))
		return CLOISON_ERR_INVALID_ARGUMENT;
	cte_insert(cte, cap_make(obj->type, rights, obj, badge), NULL);
	return CLOISON_ERR_OK;
}

uint64_t bootcap_map(struct domain *d, uint64_t slot, uint64_t ipa, uint64_t prot)
{
	/* Exactly what the domain's own memory_map call would do. */
	uint64_t regs[8] = { slot, CLOISON_HC_MEMORY_MAP, ipa, prot, 0, 0, 0, 0 };

	hypercall_run(d, regs);
	return regs[0];
}

void bootcap_finish(void)
{
	struct object *obj;
	bool again = true;

	/* Finalising one object can finalise others: restart after each. */
	while (again) {
		again = false;
		for (obj = object_first(); obj; obj = object_next(obj)) {
			if (!object_alive(obj)) {
				object_release_unused(obj);
				again = true;
				break;
			}
		}
	}
}
