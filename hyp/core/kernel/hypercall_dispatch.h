/* SPDX-License-Identifier: MIT */
/*
 * The hypercall dispatcher, inline: hypercall_dispatch() (hypercall.c) and
 * the trap path (vm_hypercall() in vm.c) expand it, so a domain's `hvc #0`
 * reaches the call's decode without a function call in between.
 *
 * One switch over the generated call list (HYPERCALL_CALLS); each case checks
 * with its call's constants the cap in x0 (slot range, non-empty, type, the
 * call's static rights) and that unused argument registers are 0, then
 * decodes (all remaining checks, no side effect) and invokes (mutation
 * only). Nothing a domain passes can reach panic(): every path returns an
 * error code.
 */
#ifndef CLOISON_CORE_HYPERCALL_DISPATCH_H
#define CLOISON_CORE_HYPERCALL_DISPATCH_H

#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>

#include "hypercall_table.h"

/*
 * The static checks of one call, expanded with constants for each case of
 * the dispatcher's switch: the cap in x0 (present, of the call's type, with
 * its rights) and the argument registers the call does not use (0, so that a
 * later minor version can give them meaning). Then decode: every dynamic
 * check, no side effect.
 */
static inline __attribute__((always_inline)) uint64_t
hypercall_check(struct hc_ctx *ctx, uint64_t slot, uint32_t object_type, uint32_t rights,
		unsigned int nargs, uint64_t (*decode)(struct hc_ctx *ctx))
{
	uint64_t err, extra = 0;
	unsigned int i;

	/* Unrolled with nargs constant: a few ORs, no loop. */
#pragma GCC unroll 6
	for (i = nargs; i < 6; i++)
		extra |= ctx->args[i];
	if (object_type == HC_OBJECT_NONE) {
		if (slot != CLOISON_SLOT_NONE)
			return CLOISON_ERR_INVALID_SLOT;
	} else {
		err = hypercall_lookup(ctx, slot, &ctx->cte);
		if (err)
			return err;
		if (object_type != HC_OBJECT_ANY && cap_type(&ctx->cte->cap) != object_type)
			return CLOISON_ERR_WRONG_TYPE;
		if (!cap_has_rights(&ctx->cte->cap, rights))
			return CLOISON_ERR_NO_RIGHTS;
	}
	if (extra)
		return CLOISON_ERR_INVALID_ARGUMENT;
	return decode(ctx);
}

static inline __attribute__((always_inline)) void
hypercall_dispatch(struct domain *caller, uint64_t regs[8])
{
	/* Field by field, not `= { 0 }`: that becomes a memset call, and this
	 * is the hot path of every hypercall. */
	struct hc_ctx ctx;
	uint64_t op = regs[1], err;

	ctx.caller = caller;
	ctx.cspace = caller ? domain_cspace(caller) : NULL;
	/* The arguments are copied before anything is written: results go
	 * straight to x1..x7, which a call does not return are 0, and so is
	 * everything after an error (decode never writes a result). */
	ctx.args[0] = regs[2];
	ctx.args[1] = regs[3];
	ctx.args[2] = regs[4];
	ctx.args[3] = regs[5];
	ctx.args[4] = regs[6];
	ctx.args[5] = regs[7];
	ctx.res = &regs[1];
	regs[1] = regs[2] = regs[3] = regs[4] = regs[5] = regs[6] = regs[7] = 0;
	ctx.cte = ctx.dst = ctx.aux = NULL;
	ctx.v[0] = ctx.v[1] = ctx.v[2] = ctx.v[3] = 0;

	switch (op) {
#define HC_CASE(number, name, object_type, rights, nargs)                              \
	case number:                                                                   \
		err = hypercall_check(&ctx, regs[0], object_type, rights, nargs,      \
				      hc_decode_##name);                              \
		if (err == CLOISON_ERR_OK)                                             \
			hc_invoke_##name(&ctx);                                        \
		break;
		HYPERCALL_CALLS(HC_CASE)
#undef HC_CASE
	default:
		err = CLOISON_ERR_INVALID_OP;
		break;
	}
	regs[0] = err;
}

#endif
