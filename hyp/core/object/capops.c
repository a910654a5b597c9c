/* SPDX-License-Identifier: MIT */
/*
 * The generic capability calls: identify, copy, mint, move, delete, revoke.
 * x0 names the source slot in the caller's CSpace; a destination is
 * (dest_cnode, dest_index) where dest_cnode is a cnode cap with write in the
 * caller's CSpace, or slot_none for the caller's own CSpace. Placing a cap
 * into another CSpace needs grant on it; rights never grow.
 */
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/cap.h>
#include <cloison/hypercall.h>
#include <cloison/memmap.h>

#include "hypercall_table.h"

uint64_t hc_decode_cap_identify(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_cap_identify(struct hc_ctx *ctx)
{
	ctx->res[0] = cap_type(&ctx->cte->cap);
	ctx->res[1] = cap_rights(&ctx->cte->cap);
	ctx->res[2] = cap_badge(&ctx->cte->cap);
}

static uint64_t capops_decode_dest(struct hc_ctx *ctx)
{
	bool cross;
	uint64_t err = hypercall_dest(ctx, ctx->args[0], ctx->args[1], &ctx->dst, &cross);

	if (err)
		return err;
	if (cross && !cap_has_rights(&ctx->cte->cap, CLOISON_RIGHT_GRANT))
		return CLOISON_ERR_NO_RIGHTS;
	return CLOISON_ERR_OK;
}

uint64_t hc_decode_cap_copy(struct hc_ctx *ctx)
{
	return capops_decode_dest(ctx);
}

void hc_invoke_cap_copy(struct hc_ctx *ctx)
{
	cte_insert(ctx->dst, ctx->cte->cap, ctx->cte);
}

/* v[0] = rights of the new cap, v[1] = its badge. */
uint64_t hc_decode_cap_mint(struct hc_ctx *ctx)
{
	uint64_t rights = ctx->args[2], badge = ctx->args[3];
	uint64_t err = capops_decode_dest(ctx);

	if (err)
		return err;
	if (rights & ~(uint64_t)cap_rights(&ctx->cte->cap))
		return CLOISON_ERR_NO_RIGHTS;
	if (badge) {
		/* Badges mean something only to notifications; never re-badge. */
		if (cap_type(&ctx->cte->cap) != CLOISON_TYPE_NOTIFICATION ||
		    cap_badge(&ctx->cte->cap) != 0)
			return CLOISON_ERR_INVALID_ARGUMENT;
	} else {
		badge = cap_badge(&ctx->cte->cap);
	}
	ctx->v[0] = rights;
	ctx->v[1] = badge;
	return CLOISON_ERR_OK;
}

void hc_invoke_cap_mint(struct hc_ctx *ctx)
{
	struct cap c = cap_make(cap_type(&ctx->cte->cap), (uint32_t)ctx->v[0],
				cap_object(&ctx->cte->cap), ctx->v[1]);

	cte_insert(ctx->dst, c, ctx->cte);
}

uint64_t hc_decode_cap_move(struct hc_ctx *ctx)
{
	/* A mapping belongs to the CSpace that made it: unmap before moving. */
	if (ctx->cte->map_s2)
		return CLOISON_ERR_BAD_STATE;
	return capops_decode_dest(ctx);
}

void hc_invoke_cap_move(struct hc_ctx *ctx)
{
	cte_move(ctx->dst, ctx->cte);
}

uint64_t hc_decode_cap_delete(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_cap_delete(struct hc_ctx *ctx)
{
	/* A large mapping goes a chunk per execution first (preemptible;
	 * re-executing the delete continues it), then the cap. */
	if (!memmap_unmap_step(ctx->cte)) {
		hypercall_restart(ctx, CLOISON_HC_CAP_DELETE);
		return;
	}
	cte_delete(ctx->cte);
}

uint64_t hc_decode_cap_revoke(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_cap_revoke(struct hc_ctx *ctx)
{
	/* Preemptible (hypercall.h): a bounded chunk per execution. */
	if (!cte_revoke_chunk(ctx->cte, hc_chunk.revoke_steps))
		hypercall_restart(ctx, CLOISON_HC_CAP_REVOKE);
}
