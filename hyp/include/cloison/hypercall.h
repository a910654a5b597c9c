/* SPDX-License-Identifier: MIT */
/*
 * Hypercall entry. The vectors send a domain's `hvc #0` to vm_hypercall(),
 * which calls hypercall_dispatch with the calling domain and its x0..x7; on return regs[0] is the error and
 * regs[1..7] the results (zero beyond what the call returns).
 *
 * Each call is a decode function (every check, no side effect) and an
 * invoke function (only mutation; cannot fail). The list mapping numbers
 * to them (HYPERCALL_CALLS) is generated from hyp/abi/cloison-abi.toml.
 */
#ifndef CLOISON_HYPERCALL_H
#define CLOISON_HYPERCALL_H

#include <cloison/abi/errors.h>
#include <cloison/cap.h>
#include <cloison/cnode.h>
#include <cloison/types.h>

struct domain;
struct cnode;
struct object;

struct hc_ctx {
	struct domain *caller;
	struct cnode *cspace; /* caller's CSpace (NULL: it has none) */
	uint64_t args[6]; /* x2..x7 (a private copy: results overwrite them) */
	struct cte *cte; /* the slot named by x0 (NULL for object "none") */
	uint64_t *res; /* x1..x7, zeroed before decode; only invoke writes */
	/* filled by decode for invoke */
	struct cte *dst;
	struct cte *aux;
	uint64_t v[4];
};

/* The dispatcher, hypercall_dispatch(caller, regs), is inline in
 * hyp/core/kernel/hypercall_dispatch.h: the trap path (vm_hypercall) and the
 * boot-time mappings (bootcap.c) expand it. */

/*
 * Decode helpers shared by the per-object call files.
 * hypercall_lookup: the slot `slot` of the caller's CSpace, checked non-empty.
 * hypercall_dest: the empty destination slot (dest_cnode, dest_index); sets
 * *cross when it lies outside the caller's own CSpace.
 */
static inline uint64_t hypercall_lookup(struct hc_ctx *ctx, uint64_t slot, struct cte **out)
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
			struct cte **out, bool *cross);

#endif
