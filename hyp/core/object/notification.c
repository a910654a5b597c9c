/* SPDX-License-Identifier: MIT */
/* Notifications: signal (OR the badge in) and poll (read and clear). */
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/notification.h>
#include <cloison/sysobj.h>

#include "hypercall_table.h"

static struct notification *ctx_notification(const struct hc_ctx *ctx)
{
	return (struct notification *)(void *)cap_object(&ctx->cte->cap);
}

uint64_t hc_decode_notification_signal(struct hc_ctx *ctx)
{
	/* An unbadged signal would set no bit: refuse it rather than drop it. */
	if (cap_badge(&ctx->cte->cap) == 0)
		return CLOISON_ERR_INVALID_ARGUMENT;
	return CLOISON_ERR_OK;
}

/*
 * The domain blocked on n, if it can still be woken. A waiter destroyed
 * while blocked counts as none: it neither takes the next signal's bits
 * nor keeps others from waiting. (Only domains with a vCPU wait, and those
 * are boot objects that are never freed, so the pointer stays valid.)
 */
static struct domain *live_waiter(const struct notification *n)
{
	if (n->waiter && n->waiter->state == CLOISON_DOMAIN_DESTROYED)
		return NULL;
	return n->waiter;
}

void notification_do_signal(struct notification *n, uint64_t bits)
{
	n->word |= bits;
	if (!live_waiter(n))
		n->waiter = NULL;
	if (n->waiter && sysobj_hooks.unblock) {
		/* Hand the word straight to the blocked waiter. */
		sysobj_hooks.unblock(n->waiter, n->word, CLOISON_ERR_OK);
		n->waiter = NULL;
		n->word = 0;
	}
	if (n->bound_domain && sysobj_hooks.raise_virq)
		sysobj_hooks.raise_virq(n->bound_domain, n->bound_vintid);
}

void hc_invoke_notification_signal(struct hc_ctx *ctx)
{
	notification_do_signal(ctx_notification(ctx), cap_badge(&ctx->cte->cap));
}

uint64_t notification_check_wait(const struct notification *n, const struct hc_ctx *ctx)
{
	if (!sysobj_hooks.block)
		return CLOISON_ERR_NOT_SUPPORTED;
	if (live_waiter(n) && n->waiter != ctx->caller)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

uint64_t hc_decode_notification_wait(struct hc_ctx *ctx)
{
	return notification_check_wait(ctx_notification(ctx), ctx);
}

void hc_invoke_notification_wait(struct hc_ctx *ctx)
{
	notification_do_wait(ctx_notification(ctx), ctx);
}

void notification_do_wait(struct notification *n, struct hc_ctx *ctx)
{
	if (n->word) {
		ctx->res[0] = n->word;
		n->word = 0;
		return;
	}
	n->waiter = ctx->caller;
	sysobj_hooks.block(ctx->caller);
}

uint64_t notification_check_bind(uint64_t vintid)
{
	if (vintid < NOTIFICATION_FIRST_VINTID || vintid > NOTIFICATION_LAST_VINTID)
		return CLOISON_ERR_INVALID_ARGUMENT;
	if (!sysobj_hooks.raise_virq)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

uint64_t hc_decode_notification_bind(struct hc_ctx *ctx)
{
	return notification_check_bind(ctx->args[0]);
}

void notification_do_bind(struct notification *n, struct hc_ctx *ctx)
{
	n->bound_domain = ctx->caller;
	n->bound_vintid = (uint32_t)ctx->args[0];
}

void hc_invoke_notification_bind(struct hc_ctx *ctx)
{
	notification_do_bind(ctx_notification(ctx), ctx);
}

void notification_finalise(struct notification *n)
{
	if (n->waiter && sysobj_hooks.unblock)
		sysobj_hooks.unblock(n->waiter, 0, CLOISON_ERR_BAD_STATE);
	n->waiter = NULL;
	n->bound_domain = NULL;
}

uint64_t hc_decode_notification_poll(struct hc_ctx *ctx)
{
	return CLOISON_ERR_OK;
}

void hc_invoke_notification_poll(struct hc_ctx *ctx)
{
	struct notification *n = ctx_notification(ctx);

	ctx->res[0] = n->word;
	n->word = 0;
}
