/* SPDX-License-Identifier: MIT */
/*
 * Boot-time policy loader. The bundle (hyp/abi/include/cloison/abi/policy.h)
 * sits at ALIGN_UP(__hyp_end, 64 KiB). Every field is checked before use:
 * ranges inside RAM and the bundle, no overlap between the hypervisor, the
 * bundle, the device tree, the core's pool and the domains, indices inside
 * their tables, names terminated. Then, in this order: the core's pool is
 * split between the stage-2 page allocator and the boot object pool; every
 * object is created; every cap installed; each domain's RAM zeroed, its
 * segments copied, its stage 2 built and its start-info page written; the
 * domains marked to start at boot are made runnable.
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
#include <cloison/memobj.h>
#include <cloison/palloc.h>
#include <cloison/platform.h>
#include <cloison/print.h>
#include <cloison/string.h>
#include <cloison/vcpu.h>

#define MAX_OBJECTS 256u
#define MAX_CAPS 1024u
#define MAX_SEGMENTS 256u
#define STAGE2_POOL (4ull << 20)
#define OBJECT_POOL (4ull << 20)
#define TWO_MIB (2ull << 20)

extern char __hyp_start[], __hyp_end[];

struct load {
	const struct platform *plat;
	uint64_t bundle;
	const struct cloison_bundle_header *bh;
	const uint8_t *policy;
	const struct cloison_policy_header *ph;
	const struct cloison_policy_domain *doms;
	const struct cloison_policy_object *objs;
	const struct cloison_policy_cap *caps;
	const struct cloison_policy_segment *segs;
	struct object *made[MAX_OBJECTS];
	const char *why;
	char whybuf[128];
};

static char policy_hash_hex[65];
/* Objects the policy made, with their names, for audit dumps. */
static const struct object *named_objects[MAX_OBJECTS];
static char object_names[MAX_OBJECTS][CLOISON_POLICY_NAME_LEN];
static uint32_t n_named;

const char *loader_object_name(const struct object *obj)
{
	for (uint32_t i = 0; i < n_named; i++)
		if (named_objects[i] == obj)
			return object_names[i];
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

/* [a, a + as) and [b, b + bs) overlap (sizes checked not to wrap). */
static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static bool in_range(uint64_t a, uint64_t size, uint64_t base, uint64_t limit)
{
	return a >= base && size <= limit - base && a - base <= limit - base - size;
}

static bool name_ok(const char *name)
{
	return strnlen(name, CLOISON_POLICY_NAME_LEN) < CLOISON_POLICY_NAME_LEN &&
	       name[0] != '\0';
}

static bool table(struct load *l, const struct cloison_policy_table *t,
		  uint32_t entry_size, uint32_t max, const char *what,
		  const void **out)
{
	if (t->entry_size != entry_size)
		return fail(l, "%s table: entry size %u, expected %u", what,
			    t->entry_size, entry_size);
	if (t->count > max)
		return fail(l, "%s table: %u entries, at most %u", what, t->count, max);
	if (t->offset % 8 || (uint64_t)t->offset + (uint64_t)t->count * entry_size >
				     l->ph->total_size)
		return fail(l, "%s table lies outside the policy", what);
	*out = l->policy + t->offset;
	return true;
}

static bool check_headers(struct load *l)
{
	const struct platform *p = l->plat;
	uint64_t ram_end = p->ram.base + p->ram.size;
	const struct cloison_bundle_header *bh = l->bh;
	const struct cloison_policy_header *ph;

	if (bh->version != CLOISON_BUNDLE_VERSION ||
	    bh->header_size != sizeof(*bh))
		return fail(l, "bundle version %u / header size %u not supported",
			    bh->version, bh->header_size);
	if (bh->load_addr != l->bundle)
		return fail(l, "bundle built for %lx, found at %lx", bh->load_addr,
			    l->bundle);
	if (!in_range(l->bundle, bh->total_size, p->ram.base, ram_end))
		return fail(l, "bundle does not fit in RAM");
	if (!in_range(bh->policy_offset, bh->policy_size, 0, bh->total_size) ||
	    bh->policy_size < sizeof(*ph) || bh->policy_offset % 8 ||
	    !in_range(bh->images_offset, bh->images_size, 0, bh->total_size))
		return fail(l, "bundle sections lie outside the bundle");
	l->policy = (const uint8_t *)(uintptr_t)(l->bundle + bh->policy_offset);
	l->ph = ph = (const struct cloison_policy_header *)(uintptr_t)l->policy;
	if (memcmp(ph->magic, "CLOISONP", 8) != 0)
		return fail(l, "policy has a bad magic number");
	if (ph->version != CLOISON_POLICY_VERSION || ph->header_size != sizeof(*ph) ||
	    ph->total_size != bh->policy_size)
		return fail(l, "policy version %u / sizes not supported", ph->version);
	if (ph->flags)
		return fail(l, "policy flags %x: compiled without images or hypervisor",
			    ph->flags);
	if (ph->abi_major != CLOISON_ABI_VERSION_MAJOR ||
	    ph->abi_minor > CLOISON_ABI_VERSION_MINOR)
		return fail(l, "policy needs ABI %u.%u, hypervisor has %u.%u",
			    ph->abi_major, ph->abi_minor, CLOISON_ABI_VERSION_MAJOR,
			    CLOISON_ABI_VERSION_MINOR);
	if (ph->ram_base != p->ram.base || ph->ram_size != p->ram.size)
		return fail(l, "policy is for RAM %lx+%lx, machine has %lx+%lx",
			    ph->ram_base, ph->ram_size, p->ram.base, p->ram.size);
	if (ph->hyp_base != (uint64_t)(uintptr_t)__hyp_start ||
	    ph->hyp_end > l->bundle || ph->bundle_base != l->bundle)
		return fail(l, "policy was laid out for another hypervisor image");
	if (!in_range(ph->pool_base, ph->pool_size, p->ram.base, ram_end) ||
	    overlaps(ph->pool_base, ph->pool_size, p->ram.base,
		     l->bundle + bh->total_size - p->ram.base) ||
	    ph->pool_size < STAGE2_POOL + OBJECT_POOL || ph->pool_base % PAGE_SIZE)
		return fail(l, "hypervisor pool %lx+%lx unusable", ph->pool_base,
			    ph->pool_size);
	return table(l, &ph->domains, sizeof(*l->doms), VM_MAX, "domain",
		     (const void **)&l->doms) &&
	       table(l, &ph->objects, sizeof(*l->objs), MAX_OBJECTS, "object",
		     (const void **)&l->objs) &&
	       table(l, &ph->caps, sizeof(*l->caps), MAX_CAPS, "cap",
		     (const void **)&l->caps) &&
	       table(l, &ph->segments, sizeof(*l->segs), MAX_SEGMENTS, "segment",
		     (const void **)&l->segs);
}

static bool check_domain(struct load *l, uint32_t i)
{
	const struct cloison_policy_domain *d = &l->doms[i];
	const struct cloison_policy_header *ph = l->ph;
	uint64_t ram_end = ph->ram_base + ph->ram_size;

	if (!name_ok(d->name))
		return fail(l, "domain %u: bad name", i);
	if (d->mem_size == 0 || d->mem_phys % TWO_MIB || d->mem_size % TWO_MIB ||
	    !in_range(d->mem_phys, d->mem_size, ph->ram_base, ram_end))
		return fail(l, "domain %s: memory %lx+%lx not 2 MiB aligned in RAM",
			    d->name, d->mem_phys, d->mem_size);
	/* The DTB, the hypervisor and the bundle all sit below bundle end. */
	if (overlaps(d->mem_phys, d->mem_size, ph->ram_base,
		     l->bundle + l->bh->total_size - ph->ram_base) ||
	    overlaps(d->mem_phys, d->mem_size, ph->pool_base, ph->pool_size))
		return fail(l, "domain %s: memory overlaps the hypervisor", d->name);
	for (uint32_t j = 0; j < i; j++)
		if (overlaps(d->mem_phys, d->mem_size, l->doms[j].mem_phys,
			     l->doms[j].mem_size))
			return fail(l, "domains %s and %s overlap", d->name,
				    l->doms[j].name);
	if (d->mem_ipa % TWO_MIB || !in_range(d->mem_ipa, d->mem_size, 0, STAGE2_IPA_LIMIT))
		return fail(l, "domain %s: IPA %lx unusable", d->name, d->mem_ipa);
	if (!in_range(d->entry, 4, d->mem_ipa, d->mem_ipa + d->mem_size - PAGE_SIZE))
		return fail(l, "domain %s: entry %lx outside its memory", d->name, d->entry);
	if (d->period_us == 0 || d->budget_us == 0 || d->budget_us > d->period_us ||
	    d->period_us > 10000000u)
		return fail(l, "domain %s: budget %lu / period %lu us invalid", d->name,
			    d->budget_us, d->period_us);
	if (d->vcpus != 1)
		return fail(l, "domain %s: %u vCPUs (only 1 is supported)", d->name, d->vcpus);
	if (d->cspace_slots == 0 || d->cspace_slots > CLOISON_CNODE_MAX_SLOTS)
		return fail(l, "domain %s: CSpace of %u slots", d->name, d->cspace_slots);
	if ((uint64_t)d->cap_first + d->cap_count > ph->caps.count ||
	    (uint64_t)d->seg_first + d->seg_count > ph->segments.count)
		return fail(l, "domain %s: cap or segment range outside the tables", d->name);
	if (d->object >= ph->objects.count ||
	    l->objs[d->object].type != CLOISON_TYPE_DOMAIN ||
	    l->objs[d->object].number != i)
		return fail(l, "domain %s: its domain object is wrong", d->name);
	for (uint32_t s = d->seg_first; s < d->seg_first + d->seg_count; s++) {
		const struct cloison_policy_segment *g = &l->segs[s];

		if (g->domain != i || g->file_size > g->mem_size ||
		    !in_range(g->ipa, g->mem_size, d->mem_ipa,
			      d->mem_ipa + d->mem_size - PAGE_SIZE) ||
		    !in_range(g->offset, g->file_size, 0, l->bh->total_size))
			return fail(l, "domain %s: segment %u out of bounds", d->name, s);
	}
	/* A domain's cap range holds its own caps only: the start-info page
	 * and the boot mappings are built from the range. */
	for (uint32_t c = d->cap_first; c < d->cap_first + d->cap_count; c++)
		if (l->caps[c].domain != i)
			return fail(l, "domain %s: cap %u in its range is another domain's",
				    d->name, c);
	return true;
}

/*
 * A device is handed to exactly one domain (docs/driver-domains.md): every
 * cap on a device region or an IRQ line is held by one domain, and no two
 * device regions share a 4 KiB page (the stage-2 granule; regions are page
 * aligned, checked above, so sharing a page is overlapping), so registers
 * of devices owned by two domains never sit in one mapped page.
 */
static bool check_devices_exclusive(struct load *l)
{
	const struct cloison_policy_header *ph = l->ph;

	for (uint32_t i = 0; i < ph->objects.count; i++) {
		const struct cloison_policy_object *o = &l->objs[i];
		uint32_t holder = UINT32_MAX;

		if (o->type != CLOISON_TYPE_DEVICE && o->type != CLOISON_TYPE_IRQ)
			continue;
		for (uint32_t j = 0; o->type == CLOISON_TYPE_DEVICE && j < i; j++)
			if (l->objs[j].type == CLOISON_TYPE_DEVICE &&
			    overlaps(o->phys, o->size, l->objs[j].phys, l->objs[j].size))
				return fail(l, "devices %s and %s share a page", o->name,
					    l->objs[j].name);
		for (uint32_t c = 0; c < ph->caps.count; c++) {
			if (l->caps[c].object != i)
				continue;
			if (holder != UINT32_MAX && holder != l->caps[c].domain)
				return fail(l, "%s %s: caps held by two domains (%s, %s)",
					    cloison_type_name(o->type), o->name,
					    l->doms[holder].name,
					    l->doms[l->caps[c].domain].name);
			holder = l->caps[c].domain;
		}
	}
	return true;
}

static bool check_objects_and_caps(struct load *l)
{
	const struct cloison_policy_header *ph = l->ph;
	uint64_t ram_end = ph->ram_base + ph->ram_size;

	for (uint32_t i = 0; i < ph->objects.count; i++) {
		const struct cloison_policy_object *o = &l->objs[i];

		if (!name_ok(o->name))
			return fail(l, "object %u: bad name", i);
		switch (o->type) {
		case CLOISON_TYPE_DEVICE:
			/* Never RAM, nor a device the hypervisor drives itself:
			 * a domain holding the GIC or the UART owns the machine. */
			if (o->size == 0 || o->phys % PAGE_SIZE || o->size % PAGE_SIZE ||
			    o->phys + o->size < o->phys ||
			    overlaps(o->phys, o->size, ph->ram_base, ph->ram_size) ||
			    overlaps(o->phys, o->size, l->plat->gicd.base, l->plat->gicd.size) ||
			    overlaps(o->phys, o->size, l->plat->gicr.base, l->plat->gicr.size) ||
			    overlaps(o->phys, o->size, l->plat->uart.base, l->plat->uart.size))
				return fail(l, "device %s: region %lx+%lx unusable", o->name,
					    o->phys, o->size);
			break;
		case CLOISON_TYPE_IRQ:
			if (o->number < 32 || o->number > 1019)
				return fail(l, "irq %s: INTID %u is not an SPI", o->name, o->number);
			break;
		case CLOISON_TYPE_DOMAIN:
			if (o->number >= ph->domains.count)
				return fail(l, "domain object %s: bad index", o->name);
			break;
		case CLOISON_TYPE_CHANNEL:
		case CLOISON_TYPE_UNTYPED:
			/* RAM the policy sets aside: inside RAM, clear of the
			 * hypervisor, its bundle and pool, and of every domain. */
			if (o->size == 0 || o->phys % PAGE_SIZE || o->size % PAGE_SIZE ||
			    !in_range(o->phys, o->size, ph->ram_base, ram_end) ||
			    overlaps(o->phys, o->size, ph->ram_base,
				     l->bundle + l->bh->total_size - ph->ram_base) ||
			    overlaps(o->phys, o->size, ph->pool_base, ph->pool_size))
				return fail(l, "%s %s: region %lx+%lx unusable",
					    cloison_type_name(o->type), o->name, o->phys, o->size);
			for (uint32_t j = 0; j < ph->domains.count; j++)
				if (overlaps(o->phys, o->size, l->doms[j].mem_phys,
					     l->doms[j].mem_size))
					return fail(l, "%s %s overlaps domain %s",
						    cloison_type_name(o->type), o->name,
						    l->doms[j].name);
			for (uint32_t j = 0; j < i; j++)
				if ((l->objs[j].type == CLOISON_TYPE_CHANNEL ||
				     l->objs[j].type == CLOISON_TYPE_UNTYPED) &&
				    overlaps(o->phys, o->size, l->objs[j].phys, l->objs[j].size))
					return fail(l, "%s and %s overlap", o->name,
						    l->objs[j].name);
			break;
		case CLOISON_TYPE_NOTIFICATION:
		case CLOISON_TYPE_CONSOLE:
		case CLOISON_TYPE_SYSTEM:
			break;
		default:
			return fail(l, "object %s: type %u cannot be made at boot", o->name,
				    o->type);
		}
	}
	for (uint32_t i = 0; i < ph->caps.count; i++) {
		const struct cloison_policy_cap *c = &l->caps[i];

		if (!name_ok(c->name))
			return fail(l, "cap %u: bad name", i);
		if (c->domain >= ph->domains.count || c->object >= ph->objects.count ||
		    c->slot < CLOISON_POLICY_FIRST_SLOT ||
		    c->slot >= l->doms[c->domain].cspace_slots ||
		    i < l->doms[c->domain].cap_first ||
		    i >= l->doms[c->domain].cap_first + l->doms[c->domain].cap_count)
			return fail(l, "cap %u (%s): bad holder, object or slot", i, c->name);
		if (c->rights > 0xffffffffu)
			return fail(l, "cap %s: rights %lx", c->name, c->rights);
		if (c->end > 1 || (c->end && l->objs[c->object].type != CLOISON_TYPE_CHANNEL))
			return fail(l, "cap %s: end %u", c->name, c->end);
		if (c->ipa != CLOISON_POLICY_NO_IPA &&
		    l->objs[c->object].type != CLOISON_TYPE_DEVICE &&
		    l->objs[c->object].type != CLOISON_TYPE_CHANNEL)
			return fail(l, "cap %s: only device and channel caps are mapped at boot",
				    c->name);
	}
	return check_devices_exclusive(l);
}

static struct object *make_object(struct load *l, uint32_t i)
{
	const struct cloison_policy_object *o = &l->objs[i];

	switch (o->type) {
	case CLOISON_TYPE_DEVICE:
		return bootcap_device(pa_init(o->phys), o->size);
	case CLOISON_TYPE_CHANNEL:
		/* Shared pages start zeroed: nothing of a previous boot leaks. */
		memset(arch_mem_ptr(pa_init(o->phys), o->size), 0, o->size);
		return bootcap_channel(pa_init(o->phys), o->size);
	case CLOISON_TYPE_UNTYPED:
		return (struct object *)bootcap_untyped(pa_init(o->phys), o->size);
	case CLOISON_TYPE_IRQ: {
		struct object *irq = bootcap_irq(o->number);

		if (irq && (o->flags & CLOISON_OBJECT_F_IRQ_EDGE))
			((struct irqobj *)(void *)irq)->flags |= IRQOBJ_F_EDGE;
		return irq;
	}
	case CLOISON_TYPE_DOMAIN:
		return (struct object *)bootcap_domain(l->doms[o->number].cspace_slots);
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
	const struct cloison_policy_domain *d = &l->doms[di];
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
		const struct cloison_policy_cap *c = &l->caps[d->cap_first + i];
		const struct cloison_policy_object *o = &l->objs[c->object];
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
	const struct cloison_policy_domain *d = &l->doms[i];
	struct vm *vm = vm_alloc();
	uint8_t *mem;

	if (!vm)
		return fail(l, "too many domains");
	vm->domain = (struct domain *)l->made[d->object];
	memcpy(vm->name, d->name, VM_NAME_LEN);
	vm->mem_phys = pa_init(d->mem_phys);
	vm->mem_size = d->mem_size;
	vm->mem_ipa = d->mem_ipa;
	if (d->cap_count > CLOISON_START_INFO_MAX_CAPS)
		return fail(l, "domain %s: %u caps, start-info holds %u", d->name,
			    d->cap_count, CLOISON_START_INFO_MAX_CAPS);

	mem = arch_mem_ptr(vm->mem_phys, vm->mem_size);
	memset(mem, 0, vm->mem_size);
	for (uint32_t s = d->seg_first; s < d->seg_first + d->seg_count; s++) {
		const struct cloison_policy_segment *g = &l->segs[s];

		memcpy(mem + (g->ipa - d->mem_ipa),
		       (const void *)(uintptr_t)(l->bundle + g->offset), g->file_size);
	}
	write_start_info(l, vm, i);

	if (!arch_stage2_init(&vm->s2, (uint16_t)(vm->index + 1)) ||
	    arch_stage2_map(&vm->s2, d->mem_ipa, vm->mem_phys, d->mem_size,
			    STAGE2_READ | STAGE2_WRITE | STAGE2_EXEC) != STAGE2_OK)
		return fail(l, "domain %s: cannot build its stage 2", d->name);
	vm->domain->s2 = &vm->s2;
	for (uint32_t c = d->cap_first; c < d->cap_first + d->cap_count; c++) {
		const struct cloison_policy_cap *cap = &l->caps[c];
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
		if (l->objs[l->caps[c].object].type == CLOISON_TYPE_CONSOLE &&
		    (l->caps[c].rights & CLOISON_RIGHT_CONSOLE_INPUT))
			console_set_input_vm(vm);
	vm->domain->state = (d->flags & CLOISON_DOMAIN_F_AUTOSTART)
				    ? CLOISON_DOMAIN_RUNNING
				    : CLOISON_DOMAIN_BUILT;
	return true;
}

static bool load_all(struct load *l)
{
	const struct cloison_policy_header *ph;

	if (!check_headers(l))
		return false;
	ph = l->ph;
	for (uint32_t i = 0; i < ph->domains.count; i++)
		if (!check_domain(l, i))
			return false;
	if (!check_objects_and_caps(l))
		return false;

	palloc_init(pa_init(ph->pool_base), STAGE2_POOL);
	bootcap_init(pa_init(ph->pool_base + STAGE2_POOL), OBJECT_POOL);
	for (uint32_t i = 0; i < ph->objects.count; i++) {
		l->made[i] = make_object(l, i);
		if (!l->made[i])
			return fail(l, "object %s: cannot be created (pool exhausted?)",
				    l->objs[i].name);
		named_objects[n_named] = l->made[i];
		memcpy(object_names[n_named++], l->objs[i].name, CLOISON_POLICY_NAME_LEN);
	}
	for (uint32_t i = 0; i < ph->caps.count; i++) {
		const struct cloison_policy_cap *c = &l->caps[i];
		struct domain *holder = (struct domain *)l->made[l->doms[c->domain].object];
		/* A channel cap carries its end in the badge word. */
		uint64_t badge = l->objs[c->object].type == CLOISON_TYPE_CHANNEL ? c->end : c->badge;
		uint64_t err = bootcap_install(holder, c->slot, l->made[c->object],
					       (uint32_t)c->rights, badge);

		if (err != CLOISON_ERR_OK)
			return fail(l, "cap %s of %s: install failed (error %lu)", c->name,
				    l->doms[c->domain].name, err);
	}
	bootcap_finish();
	for (uint32_t i = 0; i < ph->domains.count; i++)
		if (!build_domain(l, i))
			return false;
	return true;
}

enum loader_result loader_boot(const struct platform *plat, const char **why)
{
	static struct load l;
	static const char hex[] = "0123456789abcdef";
	uint64_t ram_end = plat->ram.base + plat->ram.size;

	memset(&l, 0, sizeof(l));
	n_named = 0;
	l.plat = plat;
	l.bundle = ALIGN_UP((uint64_t)(uintptr_t)__hyp_end, CLOISON_BUNDLE_ALIGN);
	if (!in_range(l.bundle, sizeof(*l.bh), plat->ram.base, ram_end))
		return LOADER_NO_BUNDLE;
	l.bh = (const struct cloison_bundle_header *)(uintptr_t)l.bundle;
	if (memcmp(l.bh->magic, "CLOISONB", 8) != 0)
		return LOADER_NO_BUNDLE;
	for (unsigned i = 0; i < 32; i++) {
		policy_hash_hex[2 * i] = hex[l.bh->policy_sha256[i] >> 4];
		policy_hash_hex[2 * i + 1] = hex[l.bh->policy_sha256[i] & 15];
	}
	if (!load_all(&l)) {
		*why = l.why;
		return LOADER_ERROR;
	}
	return LOADER_OK;
}
