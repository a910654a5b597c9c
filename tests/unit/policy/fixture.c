/* SPDX-License-Identifier: MIT */
#include <string.h>

#include <cloison/abi/objects.h>
#include <cloison/abi/version.h>
#include <cloison/std/sha256.h>

#include "fixture.h"

#define MiB (1ull << 20)
#define RAM_BASE 0x40000000ull
#define RAM_SIZE (512 * MiB)
#define POOL_BASE (RAM_BASE + 16 * MiB)

static void name(char *dst, const char *src)
{
	memset(dst, 0, CLOISON_POLICY_NAME_LEN);
	strcpy(dst, src);
}

static void object(struct fx *f, uint32_t i, const char *n, uint32_t type)
{
	name(f->objs[i].name, n);
	f->objs[i].type = type;
}

static uint32_t ncaps;

static struct cloison_policy_cap *cap(struct fx *f, uint32_t dom, const char *n, uint32_t obj,
				      uint64_t rights)
{
	struct cloison_policy_cap *c = &f->caps[ncaps++];

	name(c->name, n);
	c->domain = dom;
	c->object = obj;
	c->rights = rights;
	c->ipa = CLOISON_POLICY_NO_IPA;
	c->slot = ++f->doms[dom].cap_count; /* slots 1, 2, ... in order */
	return c;
}

static void domain(struct fx *f, uint32_t i, const char *n, uint64_t phys, uint32_t obj)
{
	struct cloison_policy_domain *d = &f->doms[i];

	name(d->name, n);
	name(d->image, "hello");
	d->mem_phys = phys;
	d->mem_size = 4 * MiB;
	d->mem_ipa = CLOISON_DOMAIN_IPA_BASE;
	d->entry = CLOISON_DOMAIN_IPA_BASE;
	d->budget_us = 1000;
	d->period_us = 10000;
	d->priority = 100;
	d->vcpus = 1;
	d->cspace_slots = 64;
	d->flags = CLOISON_DOMAIN_F_AUTOSTART;
	d->object = obj;
	d->cap_first = ncaps;
	d->seg_first = i;
	d->seg_count = 1;
}

static void table(struct cloison_policy_table *t, uint32_t *off, uint32_t count, uint32_t size)
{
	t->offset = *off;
	t->count = count;
	t->entry_size = size;
	*off += count * size;
}

void fx_build(struct fx *f)
{
	uint8_t *pol;
	uint32_t off = sizeof(struct cloison_policy_header), ncap_total = 12;
	uint64_t images;

	memset(f, 0, sizeof(*f));
	ncaps = 0;
	f->bh = (void *)f->buf;
	pol = f->buf + sizeof(*f->bh);
	f->ph = (void *)pol;
	table(&f->ph->domains, &off, 2, sizeof(*f->doms));
	table(&f->ph->objects, &off, FX_NOBJS, sizeof(*f->objs));
	table(&f->ph->caps, &off, ncap_total, sizeof(*f->caps));
	table(&f->ph->segments, &off, 2, sizeof(*f->segs));
	off += FX_SPARE;
	f->doms = (void *)(pol + f->ph->domains.offset);
	f->objs = (void *)(pol + f->ph->objects.offset);
	f->caps = (void *)(pol + f->ph->caps.offset);
	f->segs = (void *)(pol + f->ph->segments.offset);

	memcpy(f->ph->magic, "CLOISONP", 8);
	f->ph->version = CLOISON_POLICY_VERSION;
	f->ph->header_size = sizeof(*f->ph);
	f->ph->total_size = off;
	f->ph->abi_major = CLOISON_ABI_VERSION_MAJOR;
	f->ph->abi_minor = CLOISON_ABI_VERSION_MINOR;
	f->ph->ram_base = RAM_BASE;
	f->ph->ram_size = RAM_SIZE;
	f->ph->hyp_base = 0x40200000;
	f->ph->hyp_end = 0x40240000;
	f->ph->bundle_base = FX_BUNDLE_PA;
	f->ph->pool_base = POOL_BASE;
	f->ph->pool_size = RAM_BASE + RAM_SIZE - POOL_BASE;
	name(f->ph->system_name, "fixture");

	object(f, FX_SYSTEM, "system", CLOISON_TYPE_SYSTEM);
	object(f, FX_CONSOLE, "console", CLOISON_TYPE_CONSOLE);
	object(f, FX_D0, "d0", CLOISON_TYPE_DOMAIN);
	f->objs[FX_D0].number = 0;
	object(f, FX_D1, "d1", CLOISON_TYPE_DOMAIN);
	f->objs[FX_D1].number = 1;
	object(f, FX_DEV, "blk", CLOISON_TYPE_DEVICE);
	f->objs[FX_DEV].phys = 0x0a000000;
	f->objs[FX_DEV].size = 0x1000;
	object(f, FX_IRQ, "blk-irq", CLOISON_TYPE_IRQ);
	f->objs[FX_IRQ].number = 48;
	f->objs[FX_IRQ].flags = CLOISON_OBJECT_F_IRQ_EDGE;
	object(f, FX_NOTE, "kick", CLOISON_TYPE_NOTIFICATION);
	object(f, FX_CHAN, "ping", CLOISON_TYPE_CHANNEL);
	f->objs[FX_CHAN].phys = RAM_BASE + 12 * MiB;
	f->objs[FX_CHAN].size = 0x1000;
	object(f, FX_POOL, "spare", CLOISON_TYPE_UNTYPED);
	f->objs[FX_POOL].phys = RAM_BASE + 12 * MiB + 0x1000;
	f->objs[FX_POOL].size = 0x1000;

	domain(f, 0, "d0", RAM_BASE + 4 * MiB, FX_D0);
	cap(f, 0, "console", FX_CONSOLE, CLOISON_RIGHT_CONSOLE_WRITE);
	cap(f, 0, "system", FX_SYSTEM, CLOISON_RIGHT_SYSTEM_POWEROFF);
	cap(f, 0, "ping", FX_CHAN, CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE)->ipa =
		CLOISON_CHANNEL_IPA_BASE;
	cap(f, 0, "blk", FX_DEV, CLOISON_RIGHT_DEVICE_READ | CLOISON_RIGHT_DEVICE_WRITE)->ipa =
		0x0a000000;
	cap(f, 0, "blk-irq", FX_IRQ, CLOISON_RIGHT_IRQ_RECEIVE);
	cap(f, 0, "kick", FX_NOTE, CLOISON_RIGHT_NOTIFICATION_SIGNAL)->badge = 1;
	cap(f, 0, "spare", FX_POOL, CLOISON_RIGHT_UNTYPED_RETYPE_FRAME);
	cap(f, 0, "d1", FX_D1, CLOISON_RIGHT_DOMAIN_START);
	domain(f, 1, "d1", RAM_BASE + 8 * MiB, FX_D1);
	cap(f, 1, "console", FX_CONSOLE, CLOISON_RIGHT_CONSOLE_WRITE);
	cap(f, 1, "ping", FX_CHAN, CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE)->ipa =
		CLOISON_CHANNEL_IPA_BASE;
	f->caps[ncaps - 1].end = 1;
	cap(f, 1, "kick", FX_NOTE, CLOISON_RIGHT_NOTIFICATION_WAIT);
	cap(f, 1, "d0", FX_D0, CLOISON_RIGHT_DOMAIN_QUERY);

	/* One 16-byte image (b . four times) shared by both domains. */
	images = (sizeof(*f->bh) + off + 15) & ~15ull;
	for (unsigned i = 0; i < 4; i++)
		memcpy(f->buf + images + 4 * i, "\x00\x00\x00\x14", 4);
	for (uint32_t i = 0; i < 2; i++) {
		f->segs[i].ipa = CLOISON_DOMAIN_IPA_BASE;
		f->segs[i].file_size = 16;
		f->segs[i].mem_size = 0x1000;
		f->segs[i].offset = images;
		f->segs[i].flags = CLOISON_SEG_F_R | CLOISON_SEG_F_X;
		f->segs[i].domain = i;
	}

	memcpy(f->bh->magic, "CLOISONB", 8);
	f->bh->version = CLOISON_BUNDLE_VERSION;
	f->bh->header_size = sizeof(*f->bh);
	f->bh->load_addr = FX_BUNDLE_PA;
	f->bh->policy_offset = sizeof(*f->bh);
	f->bh->policy_size = off;
	f->bh->images_offset = images;
	f->bh->images_size = 16;
	f->bh->total_size = images + 16;
	f->ph->bundle_size = f->bh->total_size;

	f->facts.ram_base = RAM_BASE;
	f->facts.ram_size = RAM_SIZE;
	f->facts.hyp_base = 0x40200000;
	f->facts.bundle_pa = FX_BUNDLE_PA;
	f->facts.reserved[0].base = 0x08000000;
	f->facts.reserved[0].size = 0x10000;
	f->facts.reserved[1].base = 0x080a0000;
	f->facts.reserved[1].size = 0xf60000;
	f->facts.reserved[2].base = 0x09000000;
	f->facts.reserved[2].size = 0x1000;
	f->facts.n_reserved = 3;
	fx_seal(f);
}

void fx_seal(struct fx *f)
{
	for (uint32_t i = 0; i < 2; i++) {
		struct cloison_policy_segment *g = &f->segs[i];

		if (g->offset < FX_LEN && g->file_size <= FX_LEN - g->offset)
			sha256(f->buf + g->offset, g->file_size, f->doms[i].image_sha256);
	}
	fx_seal_policy(f);
}

void fx_seal_policy(struct fx *f)
{
	if (f->bh->policy_offset < FX_LEN && f->bh->policy_size <= FX_LEN - f->bh->policy_offset)
		sha256(f->buf + f->bh->policy_offset, f->bh->policy_size, f->bh->policy_sha256);
}

enum policy_status fx_check(struct fx *f)
{
	return policy_check(f->buf, FX_LEN, &f->facts, &f->view, f->why);
}
