/* SPDX-License-Identifier: MIT */
/*
 * Boot-time policy loader. The bundle (<cloison/abi/policy.h>) sits at
 * ALIGN_UP(__hyp_end, 64 KiB). policy_check() (policy_check.c, a pure
 * function tested on the host) checks all of it first: hashes, ranges,
 * overlaps, indices, limits. Only then, in this order: the core's pool is
 * carved into the domain table, the loader's object list, the boot object
 * pool and the stage-2 page allocator; every object is created; every cap
 * installed; each domain's RAM zeroed, its segments copied, its stage 2 built
 * and its start-info page written; the domains marked to start at boot are
 * made runnable.
 */
#include <arch/mem.h>
#include <arch/stage2.h>
#include <arch/vcpu.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/policy.h>
#include <cloison/abi/start_info.h>
#include <cloison/abi/version.h>
#include <cloison/bootcap.h>
#include <cloison/domain.h>
#include <cloison/loader.h>
#include <cloison/abi/boot_limits.h>
#include <cloison/cnode.h>
#include <cloison/memobj.h>
#include <cloison/palloc.h>
#include <cloison/platform.h>
#include <cloison/policy_check.h>
#include <cloison/untyped.h>
#include <cloison/std/print.h>
#include <cloison/std/string.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/console.h>

/* The pool's share for each item (hyp/abi/cloison-boot.toml, pool_*): the
 * toolstack and policy_check() reserve these bytes per domain, object and
 * slot, so the carving below never runs out on a checked policy. */
#define VM_SHARE 0x2000u /* of pool_per_domain; the rest is stage-2 tables */
#define MADE_SHARE sizeof(struct object *) /* of pool_per_object */
#define OBJECT_SHARE (CLOISON_LIMIT_POOL_PER_OBJECT - MADE_SHARE)
_Static_assert(sizeof(struct vm) <= VM_SHARE, "struct vm fits its pool share");
_Static_assert(VM_SHARE < CLOISON_LIMIT_POOL_PER_DOMAIN, "room for stage-2 tables");
_Static_assert(sizeof(struct cte) <= CLOISON_LIMIT_POOL_PER_SLOT, "a slot fits its share");
/* A domain object is a CNode header plus a domain (bootcap_domain keeps 128
 * bytes of slack), each header 64-byte aligned; the other objects are
 * smaller. */
_Static_assert(ALIGN_UP(sizeof(struct cnode), 64) + ALIGN_UP(sizeof(struct domain), 64) +
		       128 <= OBJECT_SHARE,
	       "a domain object fits its share");
_Static_assert(ALIGN_UP(sizeof(struct channel), 64) <= OBJECT_SHARE &&
		       ALIGN_UP(sizeof(struct untyped), 64) <= OBJECT_SHARE,
	       "an object fits its share");

extern char __hyp_start[], __hyp_end[];

struct load {
	struct policy_view v;
	uint64_t bundle;
	struct object **made; /* one per object, from the pool */
	const char *why;
	char whybuf[POLICY_WHY_LEN];
};

static char policy_hash_hex[65];
/* The objects the policy made, for audit dumps (names from the policy). */
static struct object *const *made_objects;
static const struct cloison_policy_object *made_records;
static uint32_t n_made;

const char *loader_object_name(const struct object *obj)
{
	for (uint32_t i = 0; i < n_made; i++)
		if (made_objects[i] == obj)
			return made_records[i].name;
	return NULL;
}

const char *loader_policy_hash(void)
{
	return policy_hash_hex;
}

static bool fail(struct load *l, const char *fmt, ...) PRINTF_LIKE(2, 3);
static bool fail(struct load *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_to_buf(l->whybuf, sizeof(l->whybuf), fmt, ap);
	va_end(ap);
	l->why = l->whybuf;
	return false;
}

static struct object *make_object(struct load *l, uint32_t i)
{
	const struct cloison_policy_object *o = &l->v.objs[i];

	switch (o->type) {
	case CLOISON_TYPE_DEVICE:
		return bootcap_device(pa_init(o->phys), o->size);
	case CLOISON_TYPE_CHANNEL:
		/* Shared pages start zeroed: nothing of a previous boot leaks. */
		memset(arch_mem_ptr(pa_init(o->phys), o->size), 0, o->size);
		arch_mem_clean(pa_init(o->phys), o->size);
		return bootcap_channel(pa_init(o->phys), o->size);
	case CLOISON_TYPE_UNTYPED:
		return (struct object *)bootcap_untyped(pa_init(o->phys), o->size);
	case CLOISON_TYPE_IRQ: {
		struct object *irq = bootcap_irq(o->number);

		if (irq && (o->flags & CLOISON_OBJECT_F_IRQ_EDGE))
			((struct irqobj *)(void *)irq)->flags |= IRQOBJ_F_EDGE;
		return irq;
	}
	case CLOISON_TYPE_DOMAIN: {
		const struct cloison_policy_domain *pd = &l->v.doms[o->number];
		struct domain *d = bootcap_domain(pd->cspace_slots);

		/* policy_check: the inbox is below the CSpace size, past every
		 * boot cap. */
		if (d) {
			d->inbox_first = pd->cspace_slots - pd->inbox_slots;
			d->inbox_slots = pd->inbox_slots;
		}
		return (struct object *)d;
	}
	case CLOISON_TYPE_NOTIFICATION:
		return bootcap_notification();
	case CLOISON_TYPE_CONSOLE:
		return bootcap_console();
	case CLOISON_TYPE_SYSTEM:
		return bootcap_system();
	default:
		return NULL;
	}
}

static void write_start_info(struct load *l, struct vm *vm, uint32_t di)
{
	const struct cloison_policy_domain *d = &l->v.doms[di];
	struct cloison_start_info *si = arch_mem_ptr(
		pa_add(vm->mem_phys, vm->mem_size - PAGE_SIZE), PAGE_SIZE);

	memset(si, 0, PAGE_SIZE);
	si->magic = CLOISON_START_INFO_MAGIC;
	si->version = CLOISON_START_INFO_VERSION;
	memcpy(si->name, d->name, CLOISON_POLICY_NAME_LEN);
	si->mem_ipa = d->mem_ipa;
	si->mem_size = d->mem_size;
	si->mem_pa = d->mem_phys;
	si->domain_id = (uint32_t)vm->domain->id; /* what domain_query reports */
	si->abi_major = CLOISON_ABI_VERSION_MAJOR;
	si->abi_minor = CLOISON_ABI_VERSION_MINOR;
	for (uint32_t i = 0; i < d->cap_count && i < CLOISON_START_INFO_MAX_CAPS; i++) {
		const struct cloison_policy_cap *c = &l->v.caps[d->cap_first + i];
		const struct cloison_policy_object *o = &l->v.objs[c->object];
		struct cloison_start_info_cap *e = &si->caps[si->n_caps++];

		memcpy(e->name, c->name, CLOISON_POLICY_NAME_LEN);
		e->slot = c->slot;
		e->type = o->type;
		e->rights = c->rights;
		e->ipa = c->ipa;
		e->size = c->ipa != CLOISON_POLICY_NO_IPA ? o->size : 0;
	}
}

static bool build_domain(struct load *l, uint32_t i)
{
	const struct cloison_policy_domain *d = &l->v.doms[i];
	struct vm *vm = vm_alloc();
	uint8_t *mem;

	if (!vm)
		return fail(l, "too many domains");
	vm->domain = (struct domain *)l->made[d->object];
	memcpy(vm->name, d->name, VM_NAME_LEN);
	vm->mem_phys = pa_init(d->mem_phys);
	vm->mem_size = d->mem_size;
	vm->mem_ipa = d->mem_ipa;

	mem = arch_mem_ptr(vm->mem_phys, vm->mem_size);
	memset(mem, 0, vm->mem_size);
	for (uint32_t s = d->seg_first; s < d->seg_first + d->seg_count; s++) {
		const struct cloison_policy_segment *g = &l->v.segs[s];

		memcpy(mem + (g->ipa - d->mem_ipa),
		       (const void *)(uintptr_t)(l->bundle + g->offset), g->file_size);
	}
	vm->bundle = l->bundle;
	vm->entry = d->entry;
	vm->segs = &l->v.segs[d->seg_first];
	vm->nsegs = d->seg_count;
	write_start_info(l, vm, i);
	/* It starts with its MMU off: zeroes, image and start-info page must
	 * be in memory, not only in the core's cache lines. */
	arch_mem_clean(vm->mem_phys, vm->mem_size);

	/* Its VMID (vm_add): 8-bit VMIDs (VTCR_EL2.VS = 0) name 256 domains, the
	 * limit policy_check() enforces. */
	/* Its own share of stage-2 tables (arch/stage2.h), so one domain's
	 * mappings never take another's: what the policy reserved for its
	 * boot tables, and an equal part of the run-time tables
	 * (cloison-boot.toml: pool_per_domain, pool_fixed). The shares add
	 * up to no more than that reserve. */
	if (!arch_stage2_init(&vm->s2, (uint16_t)vm->vmid,
			      (uint32_t)((CLOISON_LIMIT_POOL_FIXED / l->v.ph->domains.count +
					  (CLOISON_LIMIT_POOL_PER_DOMAIN - VM_SHARE)) / PAGE_SIZE)) ||
	    arch_stage2_map(&vm->s2, d->mem_ipa, vm->mem_phys, d->mem_size,
			    STAGE2_READ | STAGE2_WRITE | STAGE2_EXEC) != STAGE2_OK)
		return fail(l, "domain %s: cannot build its stage 2", d->name);
	vm->domain->s2 = &vm->s2;
	for (uint32_t c = d->cap_first; c < d->cap_first + d->cap_count; c++) {
		const struct cloison_policy_cap *cap = &l->v.caps[c];
		uint64_t prot = cap->rights & (CLOISON_RIGHT_DEVICE_READ |
					       CLOISON_RIGHT_DEVICE_WRITE);
		uint64_t err;

		if (cap->ipa == CLOISON_POLICY_NO_IPA)
			continue;
		/* The same path as the memory_map hypercall, so the mapping
		 * is recorded in the slot and goes when the cap goes. */
		err = bootcap_map(vm->domain, cap->slot, cap->ipa, prot);
		if (err != CLOISON_ERR_OK)
			return fail(l, "domain %s: cannot map %s at %lx (error %lu)", d->name,
				    cap->name, cap->ipa, err);
	}
	arch_vcpu_init(&vm->vcpu.arch, d->entry,
		       d->mem_ipa + d->mem_size - PAGE_SIZE, 0);
	sched_add(&vm->vcpu, d->budget_us, d->period_us, d->priority);
	for (uint32_t c = d->cap_first; c < d->cap_first + d->cap_count; c++)
		if (l->v.objs[l->v.caps[c].object].type == CLOISON_TYPE_CONSOLE &&
		    (l->v.caps[c].rights & CLOISON_RIGHT_CONSOLE_INPUT))
			console_set_input_vm(vm);
	domain_set_state(vm->domain, (d->flags & CLOISON_DOMAIN_F_AUTOSTART)
					     ? CLOISON_DOMAIN_RUNNING
					     : CLOISON_DOMAIN_BUILT);
	return true;
}

/* Carve [pool_base, pool_base + pool_size) (policy_check: at least
 * pool_needed bytes): domain table, object list, boot object pool, and the
 * rest to the stage-2 page allocator. */
static void carve_pool(struct load *l)
{
	const struct cloison_policy_header *ph = l->v.ph;
	uint64_t slots = 0, at = ph->pool_base, end = ph->pool_base + ph->pool_size;
	uint64_t vms = ALIGN_UP((uint64_t)ph->domains.count * sizeof(struct vm), PAGE_SIZE);
	uint64_t made = ALIGN_UP((uint64_t)ph->objects.count * MADE_SHARE, PAGE_SIZE);
	uint64_t objs;

	for (uint32_t i = 0; i < ph->domains.count; i++)
		slots += l->v.doms[i].cspace_slots;
	objs = ALIGN_UP(ph->objects.count * OBJECT_SHARE + slots * CLOISON_LIMIT_POOL_PER_SLOT,
			PAGE_SIZE);
	vm_table_init(arch_mem_ptr(pa_init(at), vms), ph->domains.count);
	at += vms;
	l->made = arch_mem_ptr(pa_init(at), made);
	memset(l->made, 0, made);
	at += made;
	bootcap_init(pa_init(at), objs);
	at += objs;
	palloc_init(pa_init(at), end - at);
}

static bool load_all(struct load *l)
{
	const struct cloison_policy_header *ph = l->v.ph;

	carve_pool(l);
	made_objects = l->made;
	for (uint32_t i = 0; i < ph->objects.count; i++) {
		l->made[i] = make_object(l, i);
		if (!l->made[i])
			return fail(l, "object %s: cannot be created (pool exhausted?)",
				    l->v.objs[i].name);
		n_made = i + 1;
	}
	for (uint32_t i = 0; i < ph->caps.count; i++) {
		const struct cloison_policy_cap *c = &l->v.caps[i];
		struct domain *holder = (struct domain *)l->made[l->v.doms[c->domain].object];
		/* A channel cap carries its end in the badge word. */
		uint64_t badge = l->v.objs[c->object].type == CLOISON_TYPE_CHANNEL ? c->end : c->badge;
		uint64_t err = bootcap_install(holder, c->slot, l->made[c->object],
					       (uint32_t)c->rights, badge);

		if (err != CLOISON_ERR_OK)
			return fail(l, "cap %s of %s: install failed (error %lu)", c->name,
				    l->v.doms[c->domain].name, err);
	}
	bootcap_finish();
	for (uint32_t i = 0; i < ph->domains.count; i++)
		if (!build_domain(l, i))
			return false;
	return true;
}

static void platform_facts(const struct platform *plat, uint64_t bundle,
			   struct policy_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->ram_base = plat->ram.base;
	f->ram_size = plat->ram.size;
	f->hyp_base = (uint64_t)(uintptr_t)__hyp_start;
	f->bundle_pa = bundle;
	f->reserved[0].base = plat->gicd.base;
	f->reserved[0].size = plat->gicd.size;
	f->reserved[1].base = plat->gicr.base;
	f->reserved[1].size = plat->gicr.size;
	f->reserved[2].base = plat->uart.base;
	f->reserved[2].size = plat->uart.size;
	f->n_reserved = 3;
}

enum loader_result loader_boot(const struct platform *plat, const char **why)
{
	static struct load l;
	static const char hex[] = "0123456789abcdef";
	uint64_t ram_end = plat->ram.base + plat->ram.size;
	struct policy_facts facts;
	enum policy_status st;

	memset(&l, 0, sizeof(l));
	n_made = 0;
	l.bundle = ALIGN_UP((uint64_t)(uintptr_t)__hyp_end, CLOISON_BUNDLE_ALIGN);
	*why = l.whybuf;
	if (l.bundle < plat->ram.base || l.bundle >= ram_end) {
		print_to_buf(l.whybuf, sizeof(l.whybuf), "no RAM for a boot bundle at %lx",
			     l.bundle);
		return LOADER_NO_BUNDLE;
	}
	platform_facts(plat, l.bundle, &facts);
	st = policy_check(arch_mem_ptr(pa_init(l.bundle), ram_end - l.bundle),
			  ram_end - l.bundle, &facts, &l.v, l.whybuf);
	if (st == POLICY_NO_BUNDLE)
		return LOADER_NO_BUNDLE;
	if (st != POLICY_OK)
		return LOADER_ERROR;
	for (unsigned i = 0; i < 32; i++) {
		policy_hash_hex[2 * i] = hex[l.v.bh->policy_sha256[i] >> 4];
		policy_hash_hex[2 * i + 1] = hex[l.v.bh->policy_sha256[i] & 15];
	}
	made_records = l.v.objs;
	if (!load_all(&l)) {
		*why = l.why;
		return LOADER_ERROR;
	}
	return LOADER_OK;
}
