/* SPDX-License-Identifier: MIT */
/*
 * Every check of the boot bundle, before anything is built (policy_check.h).
 * Order matters only for the reason reported: the bundle header, then the
 * policy's hash (so a tampered byte is reported as such, not as whatever
 * field it broke), the policy header and its tables, the domains, objects
 * and caps, and last the images' hashes (the most expensive). Each refusal
 * has a host unit test (tests/unit/policy/).
 */
#include <cloison/abi/boot_limits.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/start_info.h>
#include <cloison/abi/version.h>
#include <cloison/policy_check.h>
#include <cloison/std/print.h>
#include <cloison/std/sha256.h>
#include <cloison/std/string.h>

#define PAGE 4096ull

struct ctx {
	const struct policy_facts *f;
	struct policy_view *v;
	char *why;
};

static enum policy_status bad(struct ctx *c, const char *fmt, ...) PRINTF_LIKE(2, 3);
static enum policy_status bad(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_to_buf(c->why, POLICY_WHY_LEN, fmt, ap);
	va_end(ap);
	return POLICY_BAD;
}

/* [a, a + as) and [b, b + bs) overlap; both checked not to wrap. */
static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

/* [a, a + size) lies inside [base, limit). */
static bool inside(uint64_t a, uint64_t size, uint64_t base, uint64_t limit)
{
	return limit >= base && a >= base && size <= limit - base &&
	       a - base <= limit - base - size;
}

static bool aligned(uint64_t x, uint64_t a)
{
	return (x & (a - 1)) == 0;
}

static bool name_ok(const char *name, bool may_be_empty)
{
	size_t n = strnlen(name, CLOISON_POLICY_NAME_LEN);

	if (n == CLOISON_POLICY_NAME_LEN || (n == 0 && !may_be_empty))
		return false;
	/* NUL-padded: nothing after the terminator (deterministic bytes). */
	for (size_t i = n; i < CLOISON_POLICY_NAME_LEN; i++)
		if (name[i] != '\0')
			return false;
	return true;
}

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

uint64_t policy_pool_needed(uint64_t domains, uint64_t objects, uint64_t slots)
{
	uint64_t need = CLOISON_LIMIT_POOL_FIXED + domains * CLOISON_LIMIT_POOL_PER_DOMAIN +
			objects * CLOISON_LIMIT_POOL_PER_OBJECT + slots * CLOISON_LIMIT_POOL_PER_SLOT;

	return (need + PAGE - 1) & ~(PAGE - 1);
}

static uint64_t ram_end(const struct ctx *c)
{
	return c->f->ram_base + c->f->ram_size;
}

/* Where the DTB, the hypervisor and the bundle are: [RAM base, bundle end). */
static uint64_t low_size(const struct ctx *c)
{
	return c->f->bundle_pa + c->v->bh->total_size - c->f->ram_base;
}

static enum policy_status check_bundle(struct ctx *c, const uint8_t *bytes, uint64_t len)
{
	const struct cloison_bundle_header *bh;
	uint8_t digest[SHA256_DIGEST_LEN];

	if (len < sizeof(*bh))
		return POLICY_NO_BUNDLE;
	bh = (const struct cloison_bundle_header *)(const void *)bytes;
	if (memcmp(bh->magic, "CLOISONB", 8) != 0)
		return POLICY_NO_BUNDLE;
	c->v->bundle = bytes;
	c->v->bh = bh;
	if (bh->version != CLOISON_BUNDLE_VERSION || bh->header_size != sizeof(*bh))
		return bad(c, "bundle version %u / header size %u not supported", bh->version,
			   bh->header_size);
	if (bh->load_addr != c->f->bundle_pa)
		return bad(c, "bundle built for %lx, found at %lx", bh->load_addr,
			   c->f->bundle_pa);
	if (bh->total_size < sizeof(*bh) || bh->total_size > len)
		return bad(c, "bundle does not fit in RAM");
	if (!zero(bh->reserved, sizeof(bh->reserved)))
		return bad(c, "bundle header: reserved bytes are not zero");
	if (!inside(bh->policy_offset, bh->policy_size, sizeof(*bh), bh->total_size) ||
	    bh->policy_size < sizeof(struct cloison_policy_header) ||
	    !aligned(bh->policy_offset, CLOISON_POLICY_RECORD_ALIGN) ||
	    !inside(bh->images_offset, bh->images_size, sizeof(*bh), bh->total_size) ||
	    overlaps(bh->policy_offset, bh->policy_size, bh->images_offset, bh->images_size))
		return bad(c, "bundle sections lie outside the bundle");
	/* Before any policy field is believed: a changed byte anywhere in the
	 * policy (a priority, a right, a table offset) is refused here. */
	sha256(bytes + bh->policy_offset, bh->policy_size, digest);
	if (memcmp(digest, bh->policy_sha256, sizeof(digest)) != 0)
		return bad(c, "policy hash mismatch");
	return POLICY_OK;
}

static enum policy_status table(struct ctx *c, const struct cloison_policy_table *t,
				uint32_t entry_size, uint32_t max, const char *what,
				const void **out)
{
	const struct cloison_policy_header *ph = c->v->ph;

	if (t->entry_size != entry_size)
		return bad(c, "%s table: entry size %u, expected %u", what, t->entry_size,
			   entry_size);
	if (t->count > max)
		return bad(c, "%s table: %u entries, at most %u", what, t->count, max);
	if (t->reserved || !aligned(t->offset, CLOISON_POLICY_RECORD_ALIGN) ||
	    t->offset < sizeof(*ph) ||
	    (uint64_t)t->offset + (uint64_t)t->count * entry_size > ph->total_size)
		return bad(c, "%s table lies outside the policy", what);
	*out = (const uint8_t *)ph + t->offset;
	return POLICY_OK;
}

static enum policy_status check_policy_header(struct ctx *c)
{
	const struct cloison_bundle_header *bh = c->v->bh;
	const struct cloison_policy_header *ph;
	const struct policy_facts *f = c->f;
	enum policy_status s;

	ph = (const struct cloison_policy_header *)(const void *)(c->v->bundle +
								   bh->policy_offset);
	c->v->ph = ph;
	if (memcmp(ph->magic, "CLOISONP", 8) != 0)
		return bad(c, "policy has a bad magic number");
	if (ph->version != CLOISON_POLICY_VERSION || ph->header_size != sizeof(*ph) ||
	    ph->total_size != bh->policy_size)
		return bad(c, "policy version %u / sizes not supported", ph->version);
	if (ph->flags)
		return bad(c, "policy flags %x: compiled without images or hypervisor", ph->flags);
	if (ph->abi_major != CLOISON_ABI_VERSION_MAJOR || ph->abi_minor > CLOISON_ABI_VERSION_MINOR)
		return bad(c, "policy needs ABI %u.%u, hypervisor has %u.%u", ph->abi_major,
			   ph->abi_minor, CLOISON_ABI_VERSION_MAJOR, CLOISON_ABI_VERSION_MINOR);
	if (ph->ram_base != f->ram_base || ph->ram_size != f->ram_size)
		return bad(c, "policy is for RAM %lx+%lx, machine has %lx+%lx", ph->ram_base,
			   ph->ram_size, f->ram_base, f->ram_size);
	if (ph->hyp_base != f->hyp_base || ph->hyp_end > f->bundle_pa ||
	    ph->hyp_end < ph->hyp_base || ph->bundle_base != f->bundle_pa ||
	    ph->bundle_size != bh->total_size)
		return bad(c, "policy was laid out for another hypervisor image");
	if (!name_ok(ph->system_name, false))
		return bad(c, "policy: bad system name");
	if (!inside(ph->pool_base, ph->pool_size, f->ram_base, ram_end(c)) ||
	    overlaps(ph->pool_base, ph->pool_size, f->ram_base, low_size(c)) ||
	    !aligned(ph->pool_base, PAGE) || !aligned(ph->pool_size, PAGE))
		return bad(c, "hypervisor pool %lx+%lx unusable", ph->pool_base, ph->pool_size);
	s = table(c, &ph->domains, sizeof(*c->v->doms), CLOISON_LIMIT_DOMAINS_MAX, "domain",
		  (const void **)&c->v->doms);
	if (s == POLICY_OK)
		s = table(c, &ph->objects, sizeof(*c->v->objs), CLOISON_LIMIT_OBJECTS_MAX,
			  "object", (const void **)&c->v->objs);
	if (s == POLICY_OK)
		s = table(c, &ph->caps, sizeof(*c->v->caps), CLOISON_LIMIT_CAPS_MAX, "cap",
			  (const void **)&c->v->caps);
	if (s == POLICY_OK)
		s = table(c, &ph->segments, sizeof(*c->v->segs), CLOISON_LIMIT_SEGMENTS_MAX,
			  "segment", (const void **)&c->v->segs);
	if (s == POLICY_OK && ph->domains.count == 0)
		return bad(c, "policy lists no domain");
	return s;
}

static enum policy_status check_segments(struct ctx *c, uint32_t i)
{
	const struct cloison_policy_domain *d = &c->v->doms[i];
	const struct cloison_bundle_header *bh = c->v->bh;
	uint64_t ipa_end = d->mem_ipa + d->mem_size - CLOISON_START_INFO_SIZE;

	for (uint32_t s = d->seg_first; s < d->seg_first + d->seg_count; s++) {
		const struct cloison_policy_segment *g = &c->v->segs[s];

		if (g->domain != i || g->file_size > g->mem_size ||
		    !inside(g->ipa, g->mem_size, d->mem_ipa, ipa_end) ||
		    !inside(g->offset, g->file_size, bh->images_offset,
			    bh->images_offset + bh->images_size))
			return bad(c, "domain %s: segment %u out of bounds", d->name, s);
		if (g->flags & ~(uint32_t)(CLOISON_SEG_F_X | CLOISON_SEG_F_W | CLOISON_SEG_F_R))
			return bad(c, "domain %s: segment %u: flags %x", d->name, s, g->flags);
		for (uint32_t t = d->seg_first; t < s; t++)
			if (overlaps(g->ipa, g->mem_size, c->v->segs[t].ipa,
				     c->v->segs[t].mem_size))
				return bad(c, "domain %s: segments %u and %u overlap", d->name, t, s);
	}
	return POLICY_OK;
}

static bool pow2(uint32_t x)
{
	return x && (x & (x - 1)) == 0;
}

static enum policy_status check_domain(struct ctx *c, uint32_t i)
{
	const struct cloison_policy_domain *d = &c->v->doms[i];
	const struct cloison_policy_header *ph = c->v->ph;

	if (!name_ok(d->name, false) || !name_ok(d->image, true))
		return bad(c, "domain %u: bad name", i);
	for (uint32_t j = 0; j < i; j++)
		if (strcmp(d->name, c->v->doms[j].name) == 0)
			return bad(c, "domains %u and %u are both named %s", j, i, d->name);
	if (d->mem_size == 0 || !aligned(d->mem_phys, CLOISON_LIMIT_DOMAIN_MEM_ALIGN) ||
	    !aligned(d->mem_size, CLOISON_LIMIT_DOMAIN_MEM_ALIGN) ||
	    d->mem_size > CLOISON_LIMIT_DOMAIN_MEM_MAX ||
	    !inside(d->mem_phys, d->mem_size, c->f->ram_base, ram_end(c)))
		return bad(c, "domain %s: memory %lx+%lx not 2 MiB aligned in RAM", d->name,
			   d->mem_phys, d->mem_size);
	if (overlaps(d->mem_phys, d->mem_size, c->f->ram_base, low_size(c)) ||
	    overlaps(d->mem_phys, d->mem_size, ph->pool_base, ph->pool_size))
		return bad(c, "domain %s: memory overlaps the hypervisor", d->name);
	for (uint32_t j = 0; j < i; j++)
		if (overlaps(d->mem_phys, d->mem_size, c->v->doms[j].mem_phys,
			     c->v->doms[j].mem_size))
			return bad(c, "domains %s and %s overlap", d->name, c->v->doms[j].name);
	if (d->mem_ipa != CLOISON_DOMAIN_IPA_BASE)
		return bad(c, "domain %s: IPA %lx unusable", d->name, d->mem_ipa);
	if (!inside(d->entry, 4, d->mem_ipa, d->mem_ipa + d->mem_size - CLOISON_START_INFO_SIZE) ||
	    !aligned(d->entry, 4))
		return bad(c, "domain %s: entry %lx outside its memory", d->name, d->entry);
	if (d->period_us == 0 || d->budget_us == 0 || d->budget_us > d->period_us ||
	    d->period_us > CLOISON_LIMIT_PERIOD_MAX_US)
		return bad(c, "domain %s: budget %lu / period %lu us invalid", d->name, d->budget_us,
			   d->period_us);
	if (d->priority > CLOISON_LIMIT_PRIORITY_MAX)
		return bad(c, "domain %s: priority %u above %u", d->name, d->priority,
			   CLOISON_LIMIT_PRIORITY_MAX);
	if (d->vcpus == 0 || d->vcpus > CLOISON_LIMIT_VCPUS_MAX)
		return bad(c, "domain %s: %u vCPUs (only 1 is supported)", d->name, d->vcpus);
	if (!pow2(d->cspace_slots) || d->cspace_slots < CLOISON_LIMIT_CSPACE_SLOTS_MIN ||
	    d->cspace_slots > CLOISON_LIMIT_CSPACE_SLOTS_MAX)
		return bad(c, "domain %s: CSpace of %u slots", d->name, d->cspace_slots);
	if (d->flags & ~(uint32_t)CLOISON_DOMAIN_F_AUTOSTART)
		return bad(c, "domain %s: flags %x", d->name, d->flags);
	if (d->inbox_slots >= d->cspace_slots)
		return bad(c, "domain %s: an inbox of %u slots in a CSpace of %u", d->name,
			   d->inbox_slots, d->cspace_slots);
	if (d->reserved1)
		return bad(c, "domain %s: reserved fields are not zero", d->name);
	if ((uint64_t)d->cap_first + d->cap_count > ph->caps.count ||
	    (uint64_t)d->seg_first + d->seg_count > ph->segments.count)
		return bad(c, "domain %s: cap or segment range outside the tables", d->name);
	if (d->cap_count > CLOISON_LIMIT_START_INFO_CAPS_MAX)
		return bad(c, "domain %s: %u caps, start-info holds %u", d->name, d->cap_count,
			   CLOISON_LIMIT_START_INFO_CAPS_MAX);
	if (d->object >= ph->objects.count || c->v->objs[d->object].type != CLOISON_TYPE_DOMAIN ||
	    c->v->objs[d->object].number != i)
		return bad(c, "domain %s: its domain object is wrong", d->name);
	/* A domain's cap range holds its own caps only: the start-info page
	 * and the boot mappings are built from the range. */
	for (uint32_t k = d->cap_first; k < d->cap_first + d->cap_count; k++)
		if (c->v->caps[k].domain != i)
			return bad(c, "domain %s: cap %u in its range is another domain's", d->name,
				   k);
	return check_segments(c, i);
}

/* RAM the policy sets aside for a channel or an untyped pool. */
static enum policy_status check_ram_object(struct ctx *c, uint32_t i)
{
	const struct cloison_policy_object *o = &c->v->objs[i];
	const struct cloison_policy_header *ph = c->v->ph;
	uint64_t max = o->type == CLOISON_TYPE_CHANNEL ? CLOISON_LIMIT_CHANNEL_SIZE_MAX
						       : CLOISON_LIMIT_UNTYPED_SIZE_MAX;

	if (o->size == 0 || o->size > max || !aligned(o->phys, PAGE) || !aligned(o->size, PAGE) ||
	    !inside(o->phys, o->size, c->f->ram_base, ram_end(c)) ||
	    overlaps(o->phys, o->size, c->f->ram_base, low_size(c)) ||
	    overlaps(o->phys, o->size, ph->pool_base, ph->pool_size))
		return bad(c, "%s %s: region %lx+%lx unusable", cloison_type_name(o->type),
			   o->name, o->phys, o->size);
	for (uint32_t j = 0; j < ph->domains.count; j++)
		if (overlaps(o->phys, o->size, c->v->doms[j].mem_phys, c->v->doms[j].mem_size))
			return bad(c, "%s %s overlaps domain %s", cloison_type_name(o->type),
				   o->name, c->v->doms[j].name);
	for (uint32_t j = 0; j < i; j++)
		if ((c->v->objs[j].type == CLOISON_TYPE_CHANNEL ||
		     c->v->objs[j].type == CLOISON_TYPE_UNTYPED) &&
		    overlaps(o->phys, o->size, c->v->objs[j].phys, c->v->objs[j].size))
			return bad(c, "%s and %s overlap", o->name, c->v->objs[j].name);
	return POLICY_OK;
}

static enum policy_status check_device(struct ctx *c, const struct cloison_policy_object *o)
{
	/* Never RAM, nor a device the hypervisor drives itself: a domain
	 * holding the GIC or the UART owns the machine. */
	bool ok = o->size != 0 && aligned(o->phys, PAGE) && aligned(o->size, PAGE) &&
		  o->phys + o->size > o->phys &&
		  !overlaps(o->phys, o->size, c->f->ram_base, c->f->ram_size);

	for (uint32_t r = 0; ok && r < c->f->n_reserved; r++)
		ok = !overlaps(o->phys, o->size, c->f->reserved[r].base, c->f->reserved[r].size);
	if (!ok)
		return bad(c, "device %s: region %lx+%lx unusable", o->name, o->phys, o->size);
	return POLICY_OK;
}

static enum policy_status check_objects(struct ctx *c)
{
	const struct cloison_policy_header *ph = c->v->ph;
	uint32_t consoles = 0, systems = 0;
	enum policy_status s = POLICY_OK;

	for (uint32_t i = 0; i < ph->objects.count && s == POLICY_OK; i++) {
		const struct cloison_policy_object *o = &c->v->objs[i];
		/* Only what the type uses may be non-zero: one meaning per byte. */
		bool mem = o->type == CLOISON_TYPE_DEVICE || o->type == CLOISON_TYPE_CHANNEL ||
			   o->type == CLOISON_TYPE_UNTYPED;
		bool num = o->type == CLOISON_TYPE_IRQ || o->type == CLOISON_TYPE_DOMAIN;
		uint32_t flags = o->type == CLOISON_TYPE_IRQ ? CLOISON_OBJECT_F_IRQ_EDGE : 0;

		if (!name_ok(o->name, false))
			return bad(c, "object %u: bad name", i);
		if (o->reserved || (o->flags & ~flags) || (!mem && (o->phys || o->size)) ||
		    (!num && o->number))
			return bad(c, "object %s: a field its type does not use is set", o->name);
		switch (o->type) {
		case CLOISON_TYPE_DEVICE:
			s = check_device(c, o);
			break;
		case CLOISON_TYPE_IRQ:
			if (o->number < CLOISON_LIMIT_SPI_MIN || o->number > CLOISON_LIMIT_SPI_MAX)
				return bad(c, "irq %s: INTID %u is not an SPI", o->name, o->number);
			for (uint32_t j = 0; j < i; j++)
				if (c->v->objs[j].type == CLOISON_TYPE_IRQ &&
				    c->v->objs[j].number == o->number)
					return bad(c, "irq %s: INTID %u is also irq %s", o->name,
						   o->number, c->v->objs[j].name);
			break;
		case CLOISON_TYPE_DOMAIN:
			/* Each domain object is its domain's, one to one. */
			if (o->number >= ph->domains.count || c->v->doms[o->number].object != i)
				return bad(c, "domain object %s: bad index", o->name);
			break;
		case CLOISON_TYPE_CHANNEL:
		case CLOISON_TYPE_UNTYPED:
			s = check_ram_object(c, i);
			break;
		case CLOISON_TYPE_CONSOLE:
			if (consoles++)
				return bad(c, "object %s: a second console object", o->name);
			break;
		case CLOISON_TYPE_SYSTEM:
			if (systems++)
				return bad(c, "object %s: a second system object", o->name);
			break;
		case CLOISON_TYPE_NOTIFICATION:
			break;
		default:
			return bad(c, "object %s: type %u cannot be made at boot", o->name, o->type);
		}
	}
	return s;
}

/* Where a mapped cap's region goes in its holder: page aligned, below the
 * IPA limit, clear of its RAM and of its other boot mappings. */
static enum policy_status check_mapping(struct ctx *c, uint32_t i)
{
	const struct cloison_policy_cap *k = &c->v->caps[i];
	const struct cloison_policy_object *o = &c->v->objs[k->object];
	const struct cloison_policy_domain *d = &c->v->doms[k->domain];
	uint64_t rw = CLOISON_RIGHT_DEVICE_READ | CLOISON_RIGHT_DEVICE_WRITE;

	if (o->type != CLOISON_TYPE_DEVICE && o->type != CLOISON_TYPE_CHANNEL)
		return bad(c, "cap %s: only device and channel caps are mapped at boot", k->name);
	/* Device and channel share the read/write bit positions (the ABI's
	 * rights table); a mapping needs at least one of them. */
	_Static_assert(CLOISON_RIGHT_DEVICE_READ == CLOISON_RIGHT_CHANNEL_READ &&
			       CLOISON_RIGHT_DEVICE_WRITE == CLOISON_RIGHT_CHANNEL_WRITE,
		       "device and channel read/write rights");
	if (!(k->rights & rw))
		return bad(c, "cap %s: mapped without read or write", k->name);
	if (!aligned(k->ipa, PAGE) || !inside(k->ipa, o->size, 0, CLOISON_LIMIT_IPA_LIMIT) ||
	    overlaps(k->ipa, o->size, d->mem_ipa, d->mem_size))
		return bad(c, "cap %s: mapping at %lx unusable", k->name, k->ipa);
	for (uint32_t j = d->cap_first; j < i; j++) {
		const struct cloison_policy_cap *p = &c->v->caps[j];

		if (p->ipa != CLOISON_POLICY_NO_IPA &&
		    overlaps(k->ipa, o->size, p->ipa, c->v->objs[p->object].size))
			return bad(c, "cap %s: mapping overlaps cap %s", k->name, p->name);
	}
	return POLICY_OK;
}

static enum policy_status check_caps(struct ctx *c)
{
	const struct cloison_policy_header *ph = c->v->ph;
	enum policy_status s;

	for (uint32_t i = 0; i < ph->caps.count; i++) {
		const struct cloison_policy_cap *k = &c->v->caps[i];
		const struct cloison_policy_domain *d;
		uint32_t type;

		if (!name_ok(k->name, false))
			return bad(c, "cap %u: bad name", i);
		if (k->domain >= ph->domains.count || k->object >= ph->objects.count)
			return bad(c, "cap %u (%s): bad holder, object or slot", i, k->name);
		d = &c->v->doms[k->domain];
		/* The inbox stays empty at boot: it is domain_connect's. */
		if (k->slot < CLOISON_POLICY_FIRST_SLOT || k->slot >= d->cspace_slots - d->inbox_slots ||
		    i < d->cap_first || i >= d->cap_first + d->cap_count)
			return bad(c, "cap %u (%s): bad holder, object or slot", i, k->name);
		for (uint32_t j = d->cap_first; j < i; j++)
			if (c->v->caps[j].slot == k->slot || strcmp(c->v->caps[j].name, k->name) == 0)
				return bad(c, "cap %s: slot or name also used by cap %s", k->name,
					   c->v->caps[j].name);
		type = c->v->objs[k->object].type;
		if (k->rights == 0 || (k->rights & ~(uint64_t)cloison_rights_all(type)))
			return bad(c, "cap %s: rights %lx", k->name, k->rights);
		if (k->badge && type != CLOISON_TYPE_NOTIFICATION)
			return bad(c, "cap %s: a badge on a %s cap", k->name, cloison_type_name(type));
		if (k->end > 1 || (k->end && type != CLOISON_TYPE_CHANNEL))
			return bad(c, "cap %s: end %u", k->name, k->end);
		if (k->ipa != CLOISON_POLICY_NO_IPA) {
			s = check_mapping(c, i);
			if (s != POLICY_OK)
				return s;
		}
	}
	return POLICY_OK;
}

/* Each channel has exactly two caps, ends 0 and 1, in two domains. */
static enum policy_status check_channel_ends(struct ctx *c)
{
	const struct cloison_policy_header *ph = c->v->ph;

	for (uint32_t i = 0; i < ph->objects.count; i++) {
		uint32_t n = 0, ends = 0, holder[2] = { 0, 0 };

		if (c->v->objs[i].type != CLOISON_TYPE_CHANNEL)
			continue;
		for (uint32_t k = 0; k < ph->caps.count; k++) {
			const struct cloison_policy_cap *p = &c->v->caps[k];

			if (p->object != i)
				continue;
			if (n < 2)
				holder[n] = p->domain;
			n++;
			ends |= 1u << p->end;
		}
		if (n != 2 || ends != 3 || holder[0] == holder[1])
			return bad(c, "channel %s: %u caps; it needs ends 0 and 1 in two domains",
				   c->v->objs[i].name, n);
	}
	return POLICY_OK;
}

/*
 * A device is handed to exactly one domain (docs/driver-domains.md): every
 * cap on a device region or an IRQ line is held by one domain, and no two
 * device regions share a 4 KiB page (the stage-2 granule; regions are page
 * aligned, checked above, so sharing a page is overlapping), so registers
 * of devices owned by two domains never sit in one mapped page.
 */
static enum policy_status check_devices_exclusive(struct ctx *c)
{
	const struct cloison_policy_header *ph = c->v->ph;

	for (uint32_t i = 0; i < ph->objects.count; i++) {
		const struct cloison_policy_object *o = &c->v->objs[i];
		uint32_t holder = UINT32_MAX;

		if (o->type != CLOISON_TYPE_DEVICE && o->type != CLOISON_TYPE_IRQ)
			continue;
		for (uint32_t j = 0; o->type == CLOISON_TYPE_DEVICE && j < i; j++)
			if (c->v->objs[j].type == CLOISON_TYPE_DEVICE &&
			    overlaps(o->phys, o->size, c->v->objs[j].phys, c->v->objs[j].size))
				return bad(c, "devices %s and %s share a page", o->name,
					   c->v->objs[j].name);
		for (uint32_t k = 0; k < ph->caps.count; k++) {
			const struct cloison_policy_cap *p = &c->v->caps[k];

			if (p->object != i)
				continue;
			if (holder != UINT32_MAX && holder != p->domain)
				return bad(c, "%s %s: caps held by two domains (%s, %s)",
					   o->type == CLOISON_TYPE_DEVICE ? "device" : "irq",
					   o->name, c->v->doms[holder].name,
					   c->v->doms[p->domain].name);
			holder = p->domain;
		}
	}
	return POLICY_OK;
}

/* Last: hashing every image is the most expensive check. */
static enum policy_status check_images(struct ctx *c)
{
	for (uint32_t i = 0; i < c->v->ph->domains.count; i++) {
		const struct cloison_policy_domain *d = &c->v->doms[i];
		uint8_t digest[SHA256_DIGEST_LEN];
		struct sha256 h;

		sha256_init(&h);
		for (uint32_t s = d->seg_first; s < d->seg_first + d->seg_count; s++)
			sha256_update(&h, c->v->bundle + c->v->segs[s].offset,
				      c->v->segs[s].file_size);
		sha256_final(&h, digest);
		if (memcmp(digest, d->image_sha256, sizeof(digest)) != 0)
			return bad(c, "domain %s: image hash mismatch", d->name);
	}
	return POLICY_OK;
}

enum policy_status policy_check(const uint8_t *bytes, uint64_t len,
				const struct policy_facts *facts,
				struct policy_view *view, char *why)
{
	struct ctx c = { .f = facts, .v = view, .why = why };
	const struct cloison_policy_header *ph;
	uint64_t slots = 0;
	enum policy_status s;

	memset(view, 0, sizeof(*view));
	why[0] = '\0';
	s = check_bundle(&c, bytes, len);
	if (s == POLICY_NO_BUNDLE) {
		bad(&c, "no boot bundle at %lx", facts->bundle_pa);
		return POLICY_NO_BUNDLE;
	}
	if (s != POLICY_OK || (s = check_policy_header(&c)) != POLICY_OK)
		return s;
	ph = view->ph;
	for (uint32_t i = 0; i < ph->domains.count; i++) {
		s = check_domain(&c, i);
		if (s != POLICY_OK)
			return s;
		slots += view->doms[i].cspace_slots;
	}
	view->pool_needed = policy_pool_needed(ph->domains.count, ph->objects.count, slots);
	if (ph->pool_size < view->pool_needed)
		return bad(&c, "hypervisor pool of %lu KiB, the policy needs %lu KiB",
			   ph->pool_size >> 10, view->pool_needed >> 10);
	s = check_objects(&c);
	if (s == POLICY_OK)
		s = check_caps(&c);
	if (s == POLICY_OK)
		s = check_channel_ends(&c);
	if (s == POLICY_OK)
		s = check_devices_exclusive(&c);
	if (s == POLICY_OK)
		s = check_images(&c);
	return s;
}
