/* SPDX-License-Identifier: MIT */
/* CNodes: slot lookup, teardown, and the cnode_* calls. */
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/cnode.h>
#include <cloison/hypercall.h>
#include <cloison/memmap.h>
#include <cloison/object.h>

#include "hypercall_table.h"


void cnode_setup(struct cnode *cn, uint32_t nslots)
{
	cn->nslots = nslots;
	cn->finalise_next = 0;
	cn->bound = NULL;
}

bool cnode_finalise_step(struct cnode *cn, uint64_t *budget)
{
	/* No cap names a dying CNode, so nothing can fill a slot behind the
	 * cursor; a revoke may empty slots ahead of it, which are skipped. */
	while (cn->finalise_next < cn->nslots) {
		struct cte *c = &cn->slots[cn->finalise_next];
		uint64_t cost = cte_is_empty(c) ? 1 : 8;

		/* Any budget left pays for one more slot: every chunk makes
		 * progress, whatever its size. */
		if (!*budget)
			return false;
		*budget -= cost < *budget ? cost : *budget;
		/* A large mapping is undone a chunk per step (the budget's
		 * 8 units cover one chunk of unmapping as well as a delete). */
		if (cost > 1 && !memmap_unmap_step(c))
			continue;
		if (cost > 1)
			cte_delete(c);
		cn->finalise_next++;
	}
	return true;
}

/* cnode_identify, cnode_delete: args[0] = index in the CNode named by x0. */
static uint64_t cnode_decode_index(struct hc_ctx *ctx)
{
	struct cnode *cn = (struct cnode *)(void *)cap_object(&ctx->cte->cap);
	struct cte *slot = cnode_slot(cn, ctx->args[0]);

	if (!slot)
		return CLOISON_ERR_INVALID_SLOT;
	if (cte_is_empty(slot))
		return CLOISON_ERR_EMPTY_SLOT;
	ctx->aux = slot;
	return CLOISON_ERR_OK;
}

uint64_t hc_decode_cnode_identify(struct hc_ctx *ctx)
{
	return cnode_decode_index(ctx);
}

void hc_invoke_cnode_identify(struct hc_ctx *ctx)
{
	ctx->res[0] = cap_type(&ctx->aux->cap);
	ctx->res[1] = cap_rights(&ctx->aux->cap);
	ctx->res[2] = cap_badge(&ctx->aux->cap);
}

uint64_t hc_decode_cnode_delete(struct hc_ctx *ctx)
{
	return cnode_decode_index(ctx);
}

void hc_invoke_cnode_delete(struct hc_ctx *ctx)
{
	/* As cap_delete: a large mapping goes a chunk per execution first. */
	if (!memmap_unmap_step(ctx->aux)) {
		hypercall_restart(ctx, CLOISON_HC_CNODE_DELETE);
		return;
	}
	cte_delete(ctx->aux);
}
