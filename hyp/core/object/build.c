/* SPDX-License-Identifier: MIT */
/*
 * Building a domain made at run time (docs/dynamic-guests.md). A domain
 * made by untyped_retype is only an object: its builder (dom0) gives it
 * memory from a pool it holds (domain_set_memory), has the core copy an
 * image into that memory and hash it (domain_load), sets its scheduling
 * within its own (domain_set_sched) and copies caps it may hand out into its
 * CSpace (domain_install). Every one of them needs the build right and a
 * domain still `created`: from domain_finish_build on, all are refused
 * (bad_state), so after start the builder holds lifecycle rights only.
 *
 * The builder never gets a cap to the memory it gave: the RAM is carved
 * from the pool with no object of its own, mapped into the new domain's
 * stage 2 alone (kernel/dynvm.c), and the image is copied by the core from
 * the builder's own RAM.
 */
#include <arch/mem.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/boot_limits.h>
#include <cloison/abi/policy.h>
#include <cloison/abi/start_info.h>
#include <cloison/abi/version.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/panic.h>
#include <cloison/std/string.h>
#include <cloison/sysobj.h>
#include <cloison/untyped.h>

#include "hypercall_table.h"

#define MIB2 (2ull << 20)

_Static_assert(sizeof(struct domain_build) <= DOMAIN_BUILD_BYTES, "the record fits");

static struct domain_build *builds;

const struct domain_build *domain_build_first(void)
{
	return builds;
}

void domain_build_reset(void)
{
	builds = NULL;
}

static struct domain *ctx_domain(const struct hc_ctx *ctx)
{
	return (struct domain *)(void *)cap_object(&ctx->cte->cap);
}

/* Table pages for a stage 2 mapping `size` bytes of RAM at 4 KiB pages
 * (the carve is page aligned only): a level-3 table per 2 MiB and one more
 * for a range that straddles, a level-2 table (two across 1 GiB), the
 * root, and four for what the domain maps itself (a channel or two). */
static uint32_t build_tables(uint64_t size)
{
	return (uint32_t)(size / MIB2) + 1 + 2 + 1 + 4;
}

static uint64_t build_hdr(uint64_t size)
{
	return DOMAIN_BUILD_BYTES + DOMAIN_VM_BYTES + (uint64_t)build_tables(size) * PAGE_SIZE;
}

static struct cloison_start_info *build_start_info(const struct domain_build *b)
{
	return arch_mem_ptr(pa_add(b->ram, b->ram_size - PAGE_SIZE), PAGE_SIZE);
}

/* Every build call: the domain is created and (but for set_memory) has
 * memory. */
static uint64_t build_state(const struct domain *d, bool need_memory)
{
	if (d->state != CLOISON_DOMAIN_CREATED)
		return CLOISON_ERR_BAD_STATE;
	if (need_memory != (d->build != NULL))
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

/*
 * domain_set_memory: args pool, size, name0..3.
 * decode leaves: aux = the pool's slot, v[0] = size, v[1] = header bytes.
 */
uint64_t hc_decode_domain_set_memory(struct hc_ctx *ctx)
{
	uint64_t size = ctx->args[1], err;
	const struct untyped *ut;
	struct untyped_plan plan;
	struct cte *pool;

	err = build_state(ctx_domain(ctx), false);
	if (err)
		return err;
	if (!sysobj_hooks.vm_available || !sysobj_hooks.vm_attach)
		return CLOISON_ERR_NOT_SUPPORTED;
	err = hypercall_lookup(ctx, ctx->args[0], &pool);
	if (err)
		return err;
	if (cap_type(&pool->cap) != CLOISON_TYPE_UNTYPED)
		return CLOISON_ERR_WRONG_TYPE;
	if (!cap_has_rights(&pool->cap, CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN))
		return CLOISON_ERR_NO_RIGHTS;
	if (size == 0 || size > CLOISON_LIMIT_DOMAIN_MEM_MAX)
		return CLOISON_ERR_OUT_OF_RANGE;
	if (!IS_ALIGNED(size, CLOISON_LIMIT_DOMAIN_MEM_ALIGN))
		return CLOISON_ERR_ALIGNMENT;
	/* A name: printable, NUL-terminated within its 32 bytes. */
	{
		const char *name = (const char *)&ctx->args[2];

		if (!name[0] || name[31])
			return CLOISON_ERR_INVALID_ARGUMENT;
		for (unsigned i = 0; i < 32 && name[i]; i++)
			if (name[i] <= ' ' || name[i] > '~')
				return CLOISON_ERR_INVALID_ARGUMENT;
	}
	if (!sysobj_hooks.vm_available())
		return CLOISON_ERR_NO_MEMORY; /* every VMID is in use */
	ut = (const struct untyped *)(void *)cap_object(&pool->cap);
	err = untyped_plan(ut, build_hdr(size), size, PAGE_SIZE, &plan);
	if (err)
		return err;
	ctx->aux = pool;
	ctx->v[0] = size;
	ctx->v[1] = build_hdr(size);
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_set_memory(struct hc_ctx *ctx)
{
	struct untyped *ut = (struct untyped *)(void *)cap_object(&ctx->aux->cap);
	struct domain *d = ctx_domain(ctx);
	struct cloison_start_info *si;
	struct domain_build *b;
	struct untyped_plan plan;
	uint64_t err;

	err = untyped_plan(ut, ctx->v[1], ctx->v[0], PAGE_SIZE, &plan);
	CHECK(err == CLOISON_ERR_OK);
	/* The RAM can be large: zeroed a bounded chunk per execution, as a
	 * retype (untyped.c); nothing exists before the last chunk. */
	if (!untyped_zero_step(ut, plan.end, hc_chunk.zero_bytes)) {
		hypercall_restart(ctx, CLOISON_HC_DOMAIN_SET_MEMORY);
		return;
	}
	b = untyped_carve(ut, &plan);
	b->pool = ut;
	b->base = untyped_pa(ut, plan.hdr_off);
	b->size = plan.end - plan.hdr_off;
	b->next = builds;
	if (builds)
		builds->prev = b;
	builds = b;
	b->vm = (char *)b + DOMAIN_BUILD_BYTES;
	b->tables = (char *)b->vm + DOMAIN_VM_BYTES;
	b->n_tables = build_tables(ctx->v[0]);
	b->ram = untyped_pa(ut, plan.data_off);
	b->ram_size = ctx->v[0];
	sha256_init(&b->sha);
	memcpy(b->name, &ctx->args[2], sizeof(b->name));
	d->build = b;

	si = build_start_info(b);
	si->magic = CLOISON_START_INFO_MAGIC;
	si->version = CLOISON_START_INFO_VERSION;
	memcpy(si->name, b->name, sizeof(si->name));
	si->mem_ipa = CLOISON_DOMAIN_IPA_BASE;
	si->mem_size = b->ram_size;
	si->domain_id = d->id;
	si->abi_major = CLOISON_ABI_VERSION_MAJOR;
	si->abi_minor = CLOISON_ABI_VERSION_MINOR;
	/* mem_pa stays 0: a guest made at run time is no driver domain. */
	sysobj_hooks.vm_attach(d);
}

/* domain_load: args src, len. decode leaves v[0] = the source's PA. */
uint64_t hc_decode_domain_load(struct hc_ctx *ctx)
{
	const struct domain *d = ctx_domain(ctx);
	uint64_t len = ctx->args[1], err;
	paddr_t src;

	err = build_state(d, true);
	if (err)
		return err;
	if (len == 0 || len > CLOISON_LOAD_MAX)
		return CLOISON_ERR_OUT_OF_RANGE;
	if (len > d->build->ram_size - PAGE_SIZE - d->build->loaded)
		return CLOISON_ERR_OUT_OF_RANGE; /* would reach the start-info page */
	if (!sysobj_hooks.caller_ram || !ctx->caller ||
	    !sysobj_hooks.caller_ram(ctx->caller, ctx->args[0], len, &src))
		return CLOISON_ERR_INVALID_ARGUMENT;
	ctx->v[0] = pa_addr(src);
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_load(struct hc_ctx *ctx)
{
	struct domain_build *b = ctx_domain(ctx)->build;
	uint64_t len = ctx->args[1];
	const void *src = arch_mem_ptr(pa_init(ctx->v[0]), (size_t)len);
	paddr_t dst = pa_add(b->ram, b->loaded);

	/* Hash what the core read, not what the caller could change after:
	 * the copy is hashed (one CPU; the caller is in this call). */
	memcpy(arch_mem_ptr(dst, (size_t)len), src, (size_t)len);
	sha256_update(&b->sha, arch_mem_ptr(dst, (size_t)len), (size_t)len);
	/* The domain starts with its MMU and caches off. */
	arch_mem_clean(dst, (size_t)len);
	b->loaded += len;
	ctx->res[0] = b->loaded;
}

/* domain_set_sched: args budget_us, period_us, priority. */
uint64_t hc_decode_domain_set_sched(struct hc_ctx *ctx)
{
	uint64_t budget = ctx->args[0], period = ctx->args[1], prio = ctx->args[2];
	uint64_t my_budget, my_period, err;
	uint32_t my_prio;

	err = build_state(ctx_domain(ctx), true);
	if (err)
		return err;
	if (!sysobj_hooks.sched_limits || !ctx->caller ||
	    !sysobj_hooks.sched_limits(ctx->caller, &my_budget, &my_period, &my_prio))
		return CLOISON_ERR_NOT_SUPPORTED;
	if (budget == 0 || period == 0 || budget > period ||
	    period > CLOISON_LIMIT_PERIOD_MAX_US)
		return CLOISON_ERR_OUT_OF_RANGE;
	/* The limits the policy gave the caller: no higher priority than its
	 * own, no larger share of a CPU (budget / period) than its own. Both
	 * sides are below 2^32 (the period limit), so the products fit. */
	if (prio > my_prio || budget * my_period > my_budget * period)
		return CLOISON_ERR_OUT_OF_RANGE;
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_set_sched(struct hc_ctx *ctx)
{
	struct domain_build *b = ctx_domain(ctx)->build;

	b->budget_us = ctx->args[0];
	b->period_us = ctx->args[1];
	b->priority = (uint32_t)ctx->args[2];
}

/* domain_install: args src, dest_index, rights, name0, name1.
 * decode leaves aux = the source slot, dst = the destination slot. */
uint64_t hc_decode_domain_install(struct hc_ctx *ctx)
{
	struct domain *d = ctx_domain(ctx);
	uint64_t rights = ctx->args[2], err;
	const char *name = (const char *)&ctx->args[3];
	struct cte *src, *dst;

	err = build_state(d, true);
	if (err)
		return err;
	err = hypercall_lookup(ctx, ctx->args[0], &src);
	if (err)
		return err;
	/* Never a CNode (a way to the guest's caps after start), a pool (memory
	 * it could make more of) or a domain (lifecycle rights over a domain
	 * the builder made, or over itself). */
	if (cap_type(&src->cap) == CLOISON_TYPE_CNODE || cap_type(&src->cap) == CLOISON_TYPE_UNTYPED ||
	    cap_type(&src->cap) == CLOISON_TYPE_DOMAIN)
		return CLOISON_ERR_WRONG_TYPE;
	/* Handing a cap to another domain is a grant. */
	if (!cap_has_rights(&src->cap, CLOISON_RIGHT_GRANT))
		return CLOISON_ERR_NO_RIGHTS;
	if (rights & ~(uint64_t)cap_rights(&src->cap))
		return CLOISON_ERR_NO_RIGHTS;
	if (!name[0] || name[15])
		return CLOISON_ERR_INVALID_ARGUMENT;
	if (!domain_cspace(d))
		return CLOISON_ERR_BAD_STATE;
	dst = cnode_slot(domain_cspace(d), ctx->args[1]);
	if (!dst)
		return CLOISON_ERR_INVALID_SLOT;
	if (!cte_is_empty(dst))
		return CLOISON_ERR_SLOT_OCCUPIED;
	if (d->build->n_caps >= CLOISON_LIMIT_START_INFO_CAPS_MAX)
		return CLOISON_ERR_OUT_OF_RANGE;
	ctx->aux = src;
	ctx->dst = dst;
	return CLOISON_ERR_OK;
}

/* List a cap put into a domain under build in its start-info page. */
static void build_list_cap(struct domain_build *b, uint32_t slot, uint32_t type, uint64_t rights,
			   const void *name16)
{
	struct cloison_start_info *si = build_start_info(b);
	struct cloison_start_info_cap *e = &si->caps[b->n_caps++];

	memset(e, 0, sizeof(*e));
	memcpy(e->name, name16, 16);
	e->slot = slot;
	e->type = type;
	e->rights = rights;
	e->ipa = ~0ull;
	e->size = 0;
	si->n_caps = b->n_caps;
	arch_mem_clean(pa_add(b->ram, b->ram_size - PAGE_SIZE), PAGE_SIZE);
}

void hc_invoke_domain_install(struct hc_ctx *ctx)
{
	const struct cap *src = &ctx->aux->cap;

	cte_insert(ctx->dst, cap_make(cap_type(src), (uint32_t)ctx->args[2], cap_object(src),
				      cap_badge(src)),
		   ctx->aux);
	build_list_cap(ctx_domain(ctx)->build, (uint32_t)ctx->args[1], cap_type(src), ctx->args[2],
		       &ctx->args[3]);
}

/*
 * domain_connect: x0 = the driver domain (connect), args guest, pool, size,
 * slots (guest's slot | inbox slot << 32), name0, name1.
 *
 * The channel between a guest under build and a driver domain is made here,
 * whole, so that its maker (dom0) never holds a cap to either end: end 1 goes
 * into the guest's CSpace (as domain_install would put it, listed in its
 * start-info page), end 0 into the driver's connect inbox, slots the policy
 * reserved in the driver's CSpace. What the caller can do with it is bounded
 * by the policy: the connect right on a cap to the driver (granted in the
 * description and audited), a guest it is building, and its own pool.
 *
 * End 1 is a child of the pool cap; end 0 a child of the guest's hold on its
 * CSpace (struct domain's cspace slot, which nothing else has as a parent),
 * so the driver's end and every copy the driver makes of it go when the
 * guest is destroyed (domain_build_disconnect), or with the pool on revoke.
 *
 * decode leaves: v[0..3] as a retype, aux = the pool, dst = the guest's slot.
 * invoke finds the guest and the inbox slot again from the arguments.
 */
static struct domain *connect_guest(const struct hc_ctx *ctx)
{
	struct cte *g = cnode_slot(ctx->cspace, ctx->args[0]);

	return (struct domain *)(void *)cap_object(&g->cap);
}

static struct cte *connect_inbox(const struct hc_ctx *ctx)
{
	return cnode_slot(domain_cspace(ctx_domain(ctx)), ctx->args[3] >> 32);
}

uint64_t hc_decode_domain_connect(struct hc_ctx *ctx)
{
	const struct domain *drv = ctx_domain(ctx);
	const char *name = (const char *)&ctx->args[4];
	uint64_t inbox = ctx->args[3] >> 32, err;
	struct cte *g, *slot;
	struct domain *gd;

	/* The driver: alive, with an inbox the slot lies in, empty there. */
	if (drv->state == CLOISON_DOMAIN_DESTROYED || !domain_cspace(drv))
		return CLOISON_ERR_BAD_STATE;
	if (inbox < drv->inbox_first || inbox - drv->inbox_first >= drv->inbox_slots)
		return CLOISON_ERR_INVALID_SLOT;
	slot = connect_inbox(ctx);
	if (!slot)
		return CLOISON_ERR_INVALID_SLOT;
	if (!cte_is_empty(slot))
		return CLOISON_ERR_SLOT_OCCUPIED;
	/* The guest: one the caller is building, with its start-info page. */
	err = hypercall_lookup(ctx, ctx->args[0], &g);
	if (err)
		return err;
	if (cap_type(&g->cap) != CLOISON_TYPE_DOMAIN)
		return CLOISON_ERR_WRONG_TYPE;
	if (!cap_has_rights(&g->cap, CLOISON_RIGHT_DOMAIN_BUILD))
		return CLOISON_ERR_NO_RIGHTS;
	gd = (struct domain *)(void *)cap_object(&g->cap);
	if (gd == drv)
		return CLOISON_ERR_INVALID_ARGUMENT;
	err = build_state(gd, true);
	if (err)
		return err;
	if (!domain_cspace(gd))
		return CLOISON_ERR_BAD_STATE;
	if (!name[0] || name[15])
		return CLOISON_ERR_INVALID_ARGUMENT;
	ctx->dst = cnode_slot(domain_cspace(gd), (uint32_t)ctx->args[3]);
	if (!ctx->dst)
		return CLOISON_ERR_INVALID_SLOT;
	if (!cte_is_empty(ctx->dst))
		return CLOISON_ERR_SLOT_OCCUPIED;
	if (gd->build->n_caps >= CLOISON_LIMIT_START_INFO_CAPS_MAX)
		return CLOISON_ERR_OUT_OF_RANGE;
	/* The channel, from the caller's pool (retype_channel). */
	err = hypercall_lookup(ctx, ctx->args[1], &ctx->aux);
	if (err)
		return err;
	if (cap_type(&ctx->aux->cap) != CLOISON_TYPE_UNTYPED)
		return CLOISON_ERR_WRONG_TYPE;
	err = untyped_decode_kind(ctx, ctx->aux, CLOISON_TYPE_CHANNEL, ctx->args[2]);
	return err ? err : untyped_decode_room(ctx, ctx->aux);
}

void hc_invoke_domain_connect(struct hc_ctx *ctx)
{
	struct domain *gd = connect_guest(ctx);
	uint32_t rights;
	struct object *obj = untyped_make(ctx, ctx->aux, CLOISON_HC_DOMAIN_CONNECT, &rights);

	if (!obj)
		return;
	cte_insert(ctx->dst, cap_make(CLOISON_TYPE_CHANNEL, rights, obj, 1), ctx->aux);
	cte_insert(connect_inbox(ctx), cap_make(CLOISON_TYPE_CHANNEL, rights, obj, 0), &gd->cspace);
	build_list_cap(gd->build, (uint32_t)ctx->args[3], CLOISON_TYPE_CHANNEL, rights,
		       &ctx->args[4]);
}

bool domain_build_disconnect(struct domain *d, uint32_t steps)
{
	struct cte *c;

	if (!d->cspace.first_child)
		return true;
	/* Tell each driver first (bit 0 on its end, as channel_signal): it
	 * wakes, finds the end gone and forgets the client. Signalling again
	 * after a preemption only sets the bit again. */
	for (c = d->cspace.first_child; c; c = c->next_sibling)
		if (cap_type(&c->cap) == CLOISON_TYPE_CHANNEL && cap_badge(&c->cap) <= 1)
			notification_do_signal(
				&((struct channel *)(void *)cap_object(&c->cap))->end[cap_badge(&c->cap)],
				1);
	return cte_revoke_chunk(&d->cspace, steps);
}

uint64_t hc_decode_domain_build_query(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_build_query(struct hc_ctx *ctx)
{
	const struct domain_build *b = ctx_domain(ctx)->build;
	struct sha256 s;
	uint8_t digest[SHA256_DIGEST_LEN];

	if (!b)
		return;
	/* The digest of what is loaded so far: a copy is finished, so loading
	 * can go on. */
	s = b->sha;
	sha256_final(&s, digest);
	ctx->res[0] = b->ram_size;
	ctx->res[1] = b->loaded;
	memcpy(&ctx->res[2], digest, sizeof(digest));
}

/* Whether finish_build may make this domain runnable (domain.c). */
uint64_t domain_build_check_finish(const struct domain *d)
{
	const struct cnode *cs = domain_cspace(d);

	/* Step 6 enforced: anyone still holding a cap to the CSpace's CNode
	 * (the builder kept its own) could put caps into the domain after it
	 * starts. The domain's own hold is one cap. */
	if (cs && cs->obj.ncaps > 1)
		return CLOISON_ERR_BAD_STATE;
	/* Given memory, it needs its scheduling before it can run (a domain
	 * never given memory has no vCPU: it is an object only, as before). */
	if (d->build && (!d->build->period_us || !sysobj_hooks.vm_ready))
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

void domain_build_release(struct domain *d)
{
	struct domain_build *b = d->build;

	if (!b)
		return;
	d->build = NULL;
	d->s2 = NULL;
	if (b->prev)
		b->prev->next = b->next;
	else
		builds = b->next;
	if (b->next)
		b->next->prev = b->prev;
	untyped_child_died(b->pool);
}
