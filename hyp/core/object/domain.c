/* SPDX-License-Identifier: MIT */
/*
 * Domains: lifecycle state machine and CSpace binding.
 *
 *   created --finish_build--> built --start--> running <--stop/resume--> stopped
 *   any state except destroyed --destroy--> destroyed
 *
 * destroy empties the domain's hold on its CSpace at once (so whatever only
 * the domain held goes), but the object itself stays until its last cap.
 */
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/sysobj.h>
#include <cloison/hypercall.h>

#include "hypercall_table.h"

static uint32_t domain_next_id = 1;

void domain_reset_ids(void)
{
	domain_next_id = 1;
	domain_build_reset();
}

void domain_setup(struct domain *d)
{
	d->state = CLOISON_DOMAIN_CREATED;
	d->id = domain_next_id++;
}


static void domain_drop_cspace(struct domain *d)
{
	if (!cte_is_empty(&d->cspace))
		cte_delete(&d->cspace);
}

void domain_finalise(struct domain *d)
{
	vmm_unlink(d);
	/* Its last cap went without a destroy: the drivers' ends of its
	 * connections go now (as many as the connections and the copies the
	 * drivers made of them, each O(1)). */
	while (!domain_build_disconnect(d, UINT32_MAX))
		;
	domain_drop_cspace(d);
	domain_set_state(d, CLOISON_DOMAIN_DESTROYED);
}

static struct domain *ctx_domain(const struct hc_ctx *ctx)
{
	return (struct domain *)(void *)cap_object(&ctx->cte->cap);
}

uint64_t hc_decode_domain_set_cspace(struct hc_ctx *ctx)
{
	struct domain *d = ctx_domain(ctx);
	struct cte *cn_cte;
	struct cnode *cn;
	uint64_t err;

	if (d->state != CLOISON_DOMAIN_CREATED || !cte_is_empty(&d->cspace))
		return CLOISON_ERR_BAD_STATE;
	err = hypercall_lookup(ctx, ctx->args[0], &cn_cte);
	if (err)
		return err;
	if (cap_type(&cn_cte->cap) != CLOISON_TYPE_CNODE)
		return CLOISON_ERR_WRONG_TYPE;
	/* Handing a CNode to a domain is a grant of every cap in it. */
	if (!cap_has_rights(&cn_cte->cap, CLOISON_RIGHT_CNODE_WRITE | CLOISON_RIGHT_GRANT))
		return CLOISON_ERR_NO_RIGHTS;
	cn = (struct cnode *)(void *)cap_object(&cn_cte->cap);
	if (cn->bound)
		return CLOISON_ERR_BAD_STATE; /* already some domain's CSpace */
	ctx->aux = cn_cte;
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_set_cspace(struct hc_ctx *ctx)
{
	struct domain *d = ctx_domain(ctx);
	struct cnode *cn = (struct cnode *)(void *)cap_object(&ctx->aux->cap);

	cte_insert(&d->cspace, ctx->aux->cap, ctx->aux);
	cn->bound = &d->cspace;
}

/* A lifecycle change the scheduler must see (it runs only running domains). */
void domain_set_state(struct domain *d, uint32_t state)
{
	d->state = state;
	if (sysobj_hooks.domain_changed)
		sysobj_hooks.domain_changed(d);
}

static uint64_t domain_decode_transition(struct hc_ctx *ctx, uint32_t from)
{
	struct domain *d = ctx_domain(ctx);

	if (d->state != from)
		return CLOISON_ERR_BAD_STATE;
	if (from == CLOISON_DOMAIN_CREATED && cte_is_empty(&d->cspace))
		return CLOISON_ERR_BAD_STATE; /* nothing to run with */
	return CLOISON_ERR_OK;
}

uint64_t hc_decode_domain_finish_build(struct hc_ctx *ctx)
{
	uint64_t err = domain_decode_transition(ctx, CLOISON_DOMAIN_CREATED);

	return err ? err : domain_build_check_finish(ctx_domain(ctx));
}

void hc_invoke_domain_finish_build(struct hc_ctx *ctx)
{
	struct domain *d = ctx_domain(ctx);

	if (d->build)
		sysobj_hooks.vm_ready(d);
	domain_set_state(d, CLOISON_DOMAIN_BUILT);
}

uint64_t hc_decode_domain_start(struct hc_ctx *ctx)
{
	return domain_decode_transition(ctx, CLOISON_DOMAIN_BUILT);
}

void hc_invoke_domain_start(struct hc_ctx *ctx)
{
	domain_set_state(ctx_domain(ctx), CLOISON_DOMAIN_RUNNING);
}

uint64_t hc_decode_domain_stop(struct hc_ctx *ctx)
{
	return domain_decode_transition(ctx, CLOISON_DOMAIN_RUNNING);
}

void hc_invoke_domain_stop(struct hc_ctx *ctx)
{
	domain_set_state(ctx_domain(ctx), CLOISON_DOMAIN_STOPPED);
}

uint64_t hc_decode_domain_resume(struct hc_ctx *ctx)
{
	if (sysobj_hooks.domain_faulted && sysobj_hooks.domain_faulted(ctx_domain(ctx)))
		return CLOISON_ERR_BAD_STATE;
	return domain_decode_transition(ctx, CLOISON_DOMAIN_STOPPED);
}

void hc_invoke_domain_resume(struct hc_ctx *ctx)
{
	domain_set_state(ctx_domain(ctx), CLOISON_DOMAIN_RUNNING);
}

uint64_t hc_decode_domain_destroy(struct hc_ctx *ctx)
{
	if (ctx_domain(ctx)->state == CLOISON_DOMAIN_DESTROYED)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_destroy(struct hc_ctx *ctx)
{
	struct domain *d = ctx_domain(ctx);

	/* First the drivers' ends of the channels domain_connect made for it
	 * (a bounded chunk per execution), so that no driver serves a client
	 * that is gone. */
	if (!domain_build_disconnect(d, hc_chunk.revoke_steps)) {
		hypercall_restart(ctx, CLOISON_HC_DOMAIN_DESTROY);
		return;
	}
	domain_drop_cspace(d);
	domain_set_state(d, CLOISON_DOMAIN_DESTROYED);
}

/* domain_console_attach: args console (the caller's console cap). */
uint64_t hc_decode_domain_console_attach(struct hc_ctx *ctx)
{
	struct cte *con;
	uint64_t err;

	if (!sysobj_hooks.console_attach || !sysobj_hooks.console_has_focus)
		return CLOISON_ERR_NOT_SUPPORTED;
	err = hypercall_lookup(ctx, ctx->args[0], &con);
	if (err)
		return err;
	if (cap_type(&con->cap) != CLOISON_TYPE_CONSOLE)
		return CLOISON_ERR_WRONG_TYPE;
	if (!cap_has_rights(&con->cap, CLOISON_RIGHT_CONSOLE_INPUT))
		return CLOISON_ERR_NO_RIGHTS;
	if (ctx_domain(ctx) == ctx->caller)
		return CLOISON_ERR_INVALID_ARGUMENT;
	/* Only the domain the keys go to now can hand them on, and only to a
	 * domain that runs (a stopped one would sit on them). */
	if (ctx_domain(ctx)->state != CLOISON_DOMAIN_RUNNING ||
	    !sysobj_hooks.console_has_focus(ctx->caller))
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_console_attach(struct hc_ctx *ctx)
{
	sysobj_hooks.console_attach(ctx->caller, ctx_domain(ctx));
}

uint64_t hc_decode_domain_query(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_domain_query(struct hc_ctx *ctx)
{
	struct domain *d = ctx_domain(ctx);

	ctx->res[0] = d->state;
	ctx->res[1] = d->id;
	ctx->res[2] = sysobj_hooks.domain_cpu_time ? sysobj_hooks.domain_cpu_time(d) : 0;
}
