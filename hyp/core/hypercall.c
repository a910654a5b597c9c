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

static inline uint64_t hypercall_check(struct hc_ctx *ctx, const struct hypercall_desc *desc,
				uint64_t slot)
{
	uint64_t err, extra = 0;

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
	/* Argument registers the call does not use must be 0 (room to grow the
	 * ABI compatibly). Unrolled: this runs on every hypercall. */
	switch (desc->nargs) {
	case 0:
		extra |= ctx->args[0];
		/* fallthrough */
	case 1:
		extra |= ctx->args[1];
		/* fallthrough */
	case 2:
		extra |= ctx->args[2];
		/* fallthrough */
	case 3:
		extra |= ctx->args[3];
		/* fallthrough */
	case 4:
		extra |= ctx->args[4];
		/* fallthrough */
	case 5:
		extra |= ctx->args[5];
		/* fallthrough */
	default:
		break;
	}
	if (extra)
		return CLOISON_ERR_INVALID_ARGUMENT;
	return desc->decode(ctx);
}

void hypercall_dispatch(struct domain *caller, uint64_t regs[8])
{
	/* Field by field, not `= { 0 }`: that becomes a memset call, and this
	 * is the hot path of every hypercall. */
	struct hc_ctx ctx;
	uint64_t op = regs[1], err;
	const struct hypercall_desc *desc = NULL;
	unsigned int i;

	ctx.caller = caller;
	ctx.cspace = caller ? domain_cspace(caller) : NULL;
	/* Arguments are read in place: a vCPU's saved registers are hypervisor
	 * memory the domain cannot touch while the call runs, and results go
	 * to ctx.res and reach the registers only after invoke. */
	ctx.args = &regs[2];
	ctx.cte = ctx.dst = ctx.aux = NULL;
	for (i = 0; i < 7; i++)
		ctx.res[i] = 0;
	for (i = 0; i < 4; i++)
		ctx.v[i] = 0;
	if (op < hypercall_table_len && hypercall_table[op].decode)
		desc = &hypercall_table[op];
	err = desc ? hypercall_check(&ctx, desc, regs[0]) : CLOISON_ERR_INVALID_OP;
	if (err == CLOISON_ERR_OK)
		desc->invoke(&ctx);
	regs[0] = err;
	/* What a call does not return is 0, and so is everything after an error. */
	if (err != CLOISON_ERR_OK)
		for (i = 0; i < 7; i++)
			ctx.res[i] = 0;
	regs[1] = ctx.res[0];
	regs[2] = ctx.res[1];
	regs[3] = ctx.res[2];
	regs[4] = ctx.res[3];
	regs[5] = ctx.res[4];
	regs[6] = ctx.res[5];
	regs[7] = ctx.res[6];
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
