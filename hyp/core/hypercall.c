/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch: find the call in the generated table, check the cap in
 * x0 (slot range, non-empty, type, the call's static rights) and that unused
 * argument registers are 0 (so a later minor version can give them meaning),
 * then decode (all remaining checks, no side effect) and invoke (mutation
 * only). Nothing a domain passes can reach panic(): every path here returns
 * an error code.
 */
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/version.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/sysobj.h>
#include <cloison/string.h>

#include "hypercall_table.h"

uint64_t hypercall_lookup(struct hc_ctx *ctx, uint64_t slot, struct cte **out)
{
	struct cte *cte = cnode_slot(ctx->cspace, slot);

	if (!cte)
		return CLOISON_ERR_INVALID_SLOT;
	if (cte_is_empty(cte))
		return CLOISON_ERR_EMPTY_SLOT;
	*out = cte;
	return CLOISON_ERR_OK;
}

uint64_t hypercall_dest(struct hc_ctx *ctx, uint64_t dest_cnode, uint64_t dest_index,
			struct cte **out, bool *cross)
{
	struct cnode *cn = ctx->cspace;
	struct cte *slot;

	if (dest_cnode != CLOISON_SLOT_NONE) {
		struct cte *cn_cte;
		uint64_t err = hypercall_lookup(ctx, dest_cnode, &cn_cte);

		if (err)
			return err;
		if (cap_type(&cn_cte->cap) != CLOISON_TYPE_CNODE)
			return CLOISON_ERR_WRONG_TYPE;
		if (!cap_has_rights(&cn_cte->cap, CLOISON_RIGHT_CNODE_WRITE))
			return CLOISON_ERR_NO_RIGHTS;
		cn = (struct cnode *)(void *)cap_object(&cn_cte->cap);
	}
	slot = cnode_slot(cn, dest_index);
	if (!slot)
		return CLOISON_ERR_INVALID_SLOT;
	if (!cte_is_empty(slot))
		return CLOISON_ERR_SLOT_OCCUPIED;
	*out = slot;
	*cross = cn != ctx->cspace;
	return CLOISON_ERR_OK;
}

static uint64_t hypercall_check(struct hc_ctx *ctx, const struct hypercall_desc *desc,
				uint64_t slot)
{
	uint64_t err;
	uint32_t i;

	if (desc->object_type == HC_OBJECT_NONE) {
		if (slot != CLOISON_SLOT_NONE)
			return CLOISON_ERR_INVALID_SLOT;
	} else {
		err = hypercall_lookup(ctx, slot, &ctx->cte);
		if (err)
			return err;
		if (desc->object_type != HC_OBJECT_ANY &&
		    cap_type(&ctx->cte->cap) != desc->object_type)
			return CLOISON_ERR_WRONG_TYPE;
		if (!cap_has_rights(&ctx->cte->cap, desc->rights))
			return CLOISON_ERR_NO_RIGHTS;
	}
	for (i = desc->nargs; i < 6; i++)
		if (ctx->args[i] != 0)
			return CLOISON_ERR_INVALID_ARGUMENT;
	return desc->decode(ctx);
}

void hypercall_dispatch(struct domain *caller, uint64_t regs[8])
{
	struct hc_ctx ctx;
	uint64_t op = regs[1], err;
	uint64_t args[6];
	const struct hypercall_desc *desc = NULL;
	unsigned int i;

	memset(&ctx, 0, sizeof(ctx));
	/* A private copy: decode and invoke must see the same arguments. */
	memcpy(args, &regs[2], sizeof(args));
	ctx.caller = caller;
	ctx.cspace = caller ? domain_cspace(caller) : NULL;
	ctx.args = args;
	if (op < hypercall_table_len && hypercall_table[op].decode)
		desc = &hypercall_table[op];
	err = desc ? hypercall_check(&ctx, desc, regs[0]) : CLOISON_ERR_INVALID_OP;
	if (err == CLOISON_ERR_OK)
		desc->invoke(&ctx);
	regs[0] = err;
	for (i = 0; i < 7; i++)
		regs[1 + i] = err == CLOISON_ERR_OK ? ctx.res[i] : 0;
}

uint64_t hc_decode_abi_version(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_abi_version(struct hc_ctx *ctx)
{
	ctx->res[0] = CLOISON_ABI_VERSION_MAJOR;
	ctx->res[1] = CLOISON_ABI_VERSION_MINOR;
}

uint64_t hc_decode_yield(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_yield(struct hc_ctx *ctx)
{
	if (sysobj_hooks.yield)
		sysobj_hooks.yield();
}

uint64_t hc_decode_vgic_configure(struct hc_ctx *ctx)
{
	if (ctx->args[0] >= 64 || ctx->args[1] > 1 || ctx->args[2] > 255)
		return CLOISON_ERR_INVALID_ARGUMENT;
	if (!sysobj_hooks.vgic_configure || !ctx->caller)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

void hc_invoke_vgic_configure(struct hc_ctx *ctx)
{
	sysobj_hooks.vgic_configure(ctx->caller, (uint32_t)ctx->args[0], ctx->args[1] != 0,
				    (uint8_t)ctx->args[2]);
}
