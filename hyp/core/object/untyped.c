/* SPDX-License-Identifier: MIT */
/*
 * Untyped pools and retype.
 *
 * A pool hands memory out from a mark that only grows while anything carved
 * from it lives, so the memory of a live object is never handed out twice;
 * the mark returns to 0 when the last carved object dies (object.c). Every
 * carve zeroes the whole range it hands out: headers, padding and data.
 *
 * Typed retype rights: the pool cap must carry retype_<type> to make an
 * object of that type. Splitting off a smaller pool needs no right of its
 * own, but the new pool's cap gets exactly the rights of the cap used, so
 * no retype right can be gained that way.
 */
#include <arch/mem.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/panic.h>
#include <cloison/std/string.h>
#include <cloison/untyped.h>

#include "hypercall_table.h"

/* Object headers start on a cache line; data (pages) on a page. */
#define UNTYPED_HDR_ALIGN 64u

void untyped_setup(struct untyped *ut, paddr_t base, uint64_t size)
{
	ut->base = base;
	ut->size = size;
	ut->mark = 0;
	ut->nlive = 0;
	ut->zeroed = 0;
}

static bool untyped_align_up(uint64_t x, uint64_t align, uint64_t *out)
{
	uint64_t r = x & (align - 1);

	if (!r) {
		*out = x;
		return true;
	}
	if (x > UINT64_MAX - (align - r))
		return false;
	*out = x + (align - r);
	return true;
}

uint64_t untyped_plan(const struct untyped *ut, uint64_t hdr_size, uint64_t data_size,
		      uint64_t data_align, struct untyped_plan *plan)
{
	uint64_t hdr_off, end, data_off = 0;

	if (!untyped_align_up(ut->mark, UNTYPED_HDR_ALIGN, &hdr_off) || hdr_off > ut->size ||
	    hdr_size > ut->size - hdr_off)
		return CLOISON_ERR_NO_MEMORY;
	end = hdr_off + hdr_size;
	if (data_size) {
		if (!untyped_align_up(end, data_align, &data_off) || data_off > ut->size ||
		    data_size > ut->size - data_off)
			return CLOISON_ERR_NO_MEMORY;
		end = data_off + data_size;
	}
	plan->hdr_off = hdr_off;
	plan->data_off = data_off;
	plan->end = end;
	return CLOISON_ERR_OK;
}

bool untyped_zero_step(struct untyped *ut, uint64_t end, uint64_t budget)
{
	uint64_t from = ut->zeroed > ut->mark ? ut->zeroed : ut->mark;
	uint64_t len;

	if (from >= end)
		return true;
	len = end - from < budget ? end - from : budget;
	memset(arch_mem_ptr(untyped_pa(ut, from), (size_t)len), 0, (size_t)len);
	/* ... and cleaned to the point of coherency: a domain may read the
	 * frame with its caches off. */
	arch_mem_clean(untyped_pa(ut, from), (size_t)len);
	ut->zeroed = from + len;
	return ut->zeroed >= end;
}

void *untyped_carve(struct untyped *ut, const struct untyped_plan *plan)
{
	uint64_t len = plan->end - plan->hdr_off;
	void *p = arch_mem_ptr(untyped_pa(ut, plan->hdr_off), (size_t)len);

	/* Zero on hand-out: nothing of a previous owner can leak. What
	 * untyped_zero_step already cleared is not cleared twice. */
	untyped_zero_step(ut, plan->end, UINT64_MAX);
	ut->mark = plan->end;
	ut->nlive++;
	return p;
}

/* Header size, data size/alignment and right needed for each retypable type. */
static uint64_t untyped_decode_type(uint64_t type, uint64_t size, uint32_t *right,
				    uint64_t *hdr, uint64_t *data)
{
	switch (type) {
	case CLOISON_TYPE_UNTYPED:
	case CLOISON_TYPE_FRAME:
	case CLOISON_TYPE_CHANNEL:
		if (type == CLOISON_TYPE_UNTYPED)
			*right = 0;
		else if (type == CLOISON_TYPE_FRAME)
			*right = CLOISON_RIGHT_UNTYPED_RETYPE_FRAME;
		else
			*right = CLOISON_RIGHT_UNTYPED_RETYPE_CHANNEL;
		if (size == 0)
			return CLOISON_ERR_OUT_OF_RANGE;
		if (!IS_ALIGNED(size, PAGE_SIZE))
			return CLOISON_ERR_ALIGNMENT;
		*hdr = type == CLOISON_TYPE_UNTYPED ? sizeof(struct untyped)
		       : type == CLOISON_TYPE_CHANNEL ? sizeof(struct channel)
						      : sizeof(struct memobj);
		*data = size;
		return CLOISON_ERR_OK;
	case CLOISON_TYPE_CNODE:
		*right = CLOISON_RIGHT_UNTYPED_RETYPE_CNODE;
		if (size == 0 || size > CLOISON_CNODE_MAX_SLOTS)
			return CLOISON_ERR_OUT_OF_RANGE;
		*hdr = cnode_size(size);
		*data = 0;
		return CLOISON_ERR_OK;
	case CLOISON_TYPE_NOTIFICATION:
	case CLOISON_TYPE_DOMAIN:
		*right = type == CLOISON_TYPE_DOMAIN ? CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN :
						       CLOISON_RIGHT_UNTYPED_RETYPE_NOTIFICATION;
		if (size != 0)
			return CLOISON_ERR_INVALID_ARGUMENT;
		*hdr = type == CLOISON_TYPE_DOMAIN ? sizeof(struct domain) :
						     sizeof(struct notification);
		*data = 0;
		return CLOISON_ERR_OK;
	default:
		/* device, irq, console, system exist only as the policy made them */
		return CLOISON_ERR_INVALID_ARGUMENT;
	}
}

/*
 * untyped_retype: args type, size, dest_cnode, dest_index.
 * decode leaves in ctx: dst = destination slot, v[0] = type, v[1] = size,
 * v[2] = header bytes, v[3] = data bytes. invoke plans again from them:
 * the pool has not changed since decode, so the plan is the same.
 */
/*
 * What every retype decodes, in two parts around the destination's checks:
 * the type's right on the pool cap and its size (v[0..3] as
 * hc_decode_untyped_retype documents), then room in the pool. Shared with
 * domain_connect (build.c), whose pool is not x0.
 */
uint64_t untyped_decode_kind(struct hc_ctx *ctx, const struct cte *pool, uint64_t type,
			     uint64_t size)
{
	const struct untyped *ut = (const struct untyped *)(void *)cap_object(&pool->cap);
	uint64_t hdr = 0, data = 0, err;
	uint32_t right = 0;

	err = untyped_decode_type(type, size, &right, &hdr, &data);
	if (err)
		return err;
	if (!cap_has_rights(&pool->cap, right))
		return CLOISON_ERR_NO_RIGHTS;
	if (data > ut->size)
		return CLOISON_ERR_OUT_OF_RANGE;
	ctx->v[0] = type;
	ctx->v[1] = size;
	ctx->v[2] = hdr;
	ctx->v[3] = data;
	return CLOISON_ERR_OK;
}

uint64_t untyped_decode_room(const struct hc_ctx *ctx, const struct cte *pool)
{
	struct untyped_plan plan;

	return untyped_plan((const struct untyped *)(void *)cap_object(&pool->cap), ctx->v[2],
			    ctx->v[3], PAGE_SIZE, &plan);
}

uint64_t hc_decode_untyped_retype(struct hc_ctx *ctx)
{
	uint64_t err;
	bool cross;

	err = untyped_decode_kind(ctx, ctx->cte, ctx->args[0], ctx->args[1]);
	if (err)
		return err;
	err = hypercall_dest(ctx, ctx->args[2], ctx->args[3], &ctx->dst, &cross);
	if (err)
		return err;
	if (cross && !cap_has_rights(&ctx->cte->cap, CLOISON_RIGHT_GRANT))
		return CLOISON_ERR_NO_RIGHTS;
	return untyped_decode_room(ctx, ctx->cte);
}

/*
 * The part of a retype every retype call shares (domain_connect too): zero
 * (a bounded chunk per execution; the call op is re-executed until done) and
 * carve. Returns the new object, initialised for its type, or NULL when the
 * call was asked to run again. *rights: the rights its cap gets.
 */
struct object *untyped_make(struct hc_ctx *ctx, const struct cte *pool, uint64_t op,
			    uint32_t *rights)
{
	struct untyped *ut = (struct untyped *)(void *)cap_object(&pool->cap);
	uint32_t type = (uint32_t)ctx->v[0];
	uint64_t size = ctx->v[1];
	struct untyped_plan plan;
	struct object *obj;
	uint64_t err;

	*rights = cloison_rights_all(type);
	/* Same inputs as decode, nothing changed since: cannot fail. */
	err = untyped_plan(ut, ctx->v[2], ctx->v[3], PAGE_SIZE, &plan);
	CHECK(err == CLOISON_ERR_OK);
	/*
	 * Zeroing is the part of a retype whose cost grows with the request
	 * (a pool can be many MiB): it is done a bounded chunk per execution
	 * of the call, the progress kept in the pool (ut->zeroed), and the
	 * call re-executed until it is done. Nothing exists, and nothing is
	 * usable, before the last chunk: the object is made only then.
	 */
	if (!untyped_zero_step(ut, plan.end, hc_chunk.zero_bytes)) {
		hypercall_restart(ctx, op);
		return NULL;
	}
	obj = untyped_carve(ut, &plan);
	object_init(obj, type, ut, untyped_pa(ut, plan.hdr_off), plan.end - plan.hdr_off);
	switch (type) {
	case CLOISON_TYPE_UNTYPED:
		untyped_setup((struct untyped *)(void *)obj, untyped_pa(ut, plan.data_off), size);
		*rights = cap_rights(&pool->cap);
		break;
	case CLOISON_TYPE_FRAME:
	case CLOISON_TYPE_CHANNEL:
		((struct memobj *)(void *)obj)->base = untyped_pa(ut, plan.data_off);
		((struct memobj *)(void *)obj)->size = size;
		break;
	case CLOISON_TYPE_CNODE:
		cnode_setup((struct cnode *)(void *)obj, (uint32_t)size);
		break;
	case CLOISON_TYPE_DOMAIN:
		domain_setup((struct domain *)(void *)obj);
		break;
	default:
		break;
	}
	return obj;
}

void hc_invoke_untyped_retype(struct hc_ctx *ctx)
{
	uint32_t rights;
	struct object *obj = untyped_make(ctx, ctx->cte, CLOISON_HC_UNTYPED_RETYPE, &rights);

	if (obj)
		cte_insert(ctx->dst, cap_make((uint32_t)ctx->v[0], rights, obj, 0), ctx->cte);
}

/*
 * untyped_retype_channel: args size, dest_cnode, end0_index, end1_index.
 * A channel made by untyped_retype has one cap, end 0, and nothing can make
 * end 1 from it (mint never sets a channel's badge: if it could, the holder
 * of either end could make the other and listen on it). This call makes
 * both ends at once, each a child of the pool cap, so the only caps to
 * end 1 that can ever exist are copies of the one made here.
 * decode leaves: v[] as untyped_retype, dst = end 0's slot, aux = end 1's.
 */
uint64_t hc_decode_untyped_retype_channel(struct hc_ctx *ctx)
{
	uint64_t saved[6], err;
	struct cte *end0;
	bool cross;

	/* Both destinations in the same CNode, distinct and empty. */
	err = hypercall_dest(ctx, ctx->args[1], ctx->args[3], &ctx->aux, &cross);
	if (err)
		return err;
	memcpy(saved, ctx->args, sizeof(saved));
	ctx->args[0] = CLOISON_TYPE_CHANNEL;
	ctx->args[1] = saved[0];
	ctx->args[2] = saved[1];
	ctx->args[3] = saved[2];
	err = hc_decode_untyped_retype(ctx);
	memcpy(ctx->args, saved, sizeof(saved));
	if (err)
		return err;
	end0 = ctx->dst;
	if (end0 == ctx->aux)
		return CLOISON_ERR_INVALID_ARGUMENT;
	return CLOISON_ERR_OK;
}

void hc_invoke_untyped_retype_channel(struct hc_ctx *ctx)
{
	uint32_t rights;
	struct object *obj = untyped_make(ctx, ctx->cte, CLOISON_HC_UNTYPED_RETYPE_CHANNEL, &rights);

	if (!obj)
		return;
	cte_insert(ctx->dst, cap_make(CLOISON_TYPE_CHANNEL, rights, obj, 0), ctx->cte);
	cte_insert(ctx->aux, cap_make(CLOISON_TYPE_CHANNEL, rights, obj, 1), ctx->cte);
}

uint64_t hc_decode_untyped_query(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_untyped_query(struct hc_ctx *ctx)
{
	const struct untyped *ut = (const struct untyped *)(void *)cap_object(&ctx->cte->cap);

	ctx->res[0] = ut->size;
	ctx->res[1] = ut->size - ut->mark;
}
