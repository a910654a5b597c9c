/* SPDX-License-Identifier: MIT */
/*
 * The destination-slot helper the per-object call files share, and the
 * calls that belong to no object. The dispatcher itself is inline in
 * hypercall_dispatch.h, so the trap path pays no call for it.
 */
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/version.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/object.h>
#include <cloison/panic.h>
#include <cloison/sysobj.h>
#include <cloison/std/string.h>

#include "hypercall_dispatch.h"
#include "hypercall_table.h"

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

/*
 * The scheduler's epoch (cloison/vcpu.h): bumped by everything that can
 * change what should run. Defined here, with the capability core, because a
 * preempted call bumps it as well: the trap path's fast return compares it
 * and nothing else, so a restart costs the common path no instruction.
 */
uint64_t sched_epoch_counter;

struct hc_chunk hc_chunk = { HC_CHUNK_REVOKE_STEPS, HC_CHUNK_ZERO_BYTES, HC_CHUNK_REAP_UNITS,
			     HC_CHUNK_UNMAP_BYTES };
struct hc_restart hc_restart;

void hypercall_restart(struct hc_ctx *ctx, uint64_t op)
{
	/* Only calls that act on a slot of the caller's CSpace restart: x0 is
	 * that slot's index. */
	CHECK(ctx->cte && ctx->cspace && ctx->cte >= ctx->cspace->slots &&
	      ctx->cte < ctx->cspace->slots + ctx->cspace->nslots);
	ctx->res[0] = op;
	for (unsigned int i = 0; i < 6; i++)
		ctx->res[1 + i] = ctx->args[i];
	hc_restart.pending = true;
	hc_restart.x0 = (uint64_t)(ctx->cte - ctx->cspace->slots);
	sched_epoch_counter++;
}

void hypercall_run(struct domain *caller, uint64_t regs[8])
{
	do
		hypercall_dispatch(caller, regs);
	while (hypercall_take_restart(regs));
	/* And the teardown it left, which the scheduler would have the
	 * caller finish before it runs again. */
	while (!object_reap(UINT64_MAX))
		;
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
