/* SPDX-License-Identifier: MIT */
/*
 * Channel calls: the notification pair of a channel (docs/architecture.md, "Channels and rings"). The
 * shared pages are mapped with memory_map (or by the boot policy); these
 * calls signal the other end and wait on, poll or bind one's own end. The
 * cap's badge word says which end it is.
 */
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/sysobj.h>

#include "hypercall_table.h"

static struct channel *ctx_channel(const struct hc_ctx *ctx)
{
	return (struct channel *)(void *)cap_object(&ctx->cte->cap);
}

/* The notification of the end a channel cap names (its badge, checked). */
static struct notification *cap_end(const struct cte *cte)
{
	return &((struct channel *)(void *)cap_object(&cte->cap))->end[cap_badge(&cte->cap)];
}

static uint64_t ctx_end(const struct hc_ctx *ctx)
{
	return cap_badge(&ctx->cte->cap);
}

/* A channel cap with an end other than 0 or 1 cannot be made (boot checks
 * it, mint cannot set a channel badge), but decode refuses it regardless. */
static uint64_t check_end(const struct hc_ctx *ctx)
{
	return ctx_end(ctx) > 1 ? CLOISON_ERR_BAD_STATE : CLOISON_ERR_OK;
}

uint64_t hc_decode_channel_signal(struct hc_ctx *ctx)
{
	return check_end(ctx);
}

void hc_invoke_channel_signal(struct hc_ctx *ctx)
{
	/* Bit 0 set: "the other end has something for you". */
	notification_do_signal(&ctx_channel(ctx)->end[1 - ctx_end(ctx)], 1);
}

uint64_t hc_decode_channel_wait(struct hc_ctx *ctx)
{
	uint64_t err = check_end(ctx);

	return err ? err : notification_check_wait(&ctx_channel(ctx)->end[ctx_end(ctx)], ctx);
}

void hc_invoke_channel_wait(struct hc_ctx *ctx)
{
	notification_do_wait(cap_end(ctx->cte), ctx);
}

/*
 * channel_signal_wait: channel_signal on the cap in x0, then channel_wait on
 * the cap in slot args[0] (or a WFI for slot_none), in one EL2 entry, as a
 * driver's "answer, then sleep" (docs/capabilities.md). Decode makes every
 * check of both halves first, so a refused call has signalled nothing.
 */
uint64_t hc_decode_channel_signal_wait(struct hc_ctx *ctx)
{
	struct notification *peer, *mine;
	uint64_t err = check_end(ctx);

	if (err)
		return err;
	if (ctx->args[0] == CLOISON_SLOT_NONE)
		return sysobj_hooks.wait_interrupt ? CLOISON_ERR_OK : CLOISON_ERR_NOT_SUPPORTED;
	err = hypercall_lookup(ctx, ctx->args[0], &ctx->aux);
	if (err)
		return err;
	if (cap_type(&ctx->aux->cap) != CLOISON_TYPE_CHANNEL)
		return CLOISON_ERR_WRONG_TYPE;
	if (!cap_has_rights(&ctx->aux->cap, CLOISON_RIGHT_CHANNEL_READ))
		return CLOISON_ERR_NO_RIGHTS;
	if (cap_badge(&ctx->aux->cap) > 1)
		return CLOISON_ERR_BAD_STATE;
	peer = &ctx_channel(ctx)->end[1 - ctx_end(ctx)];
	mine = cap_end(ctx->aux);
	err = notification_check_wait(mine, ctx);
	/* Waiting on the very end this call signals (the caller holds both
	 * ends): the signal hands the word to its waiter and clears it, so
	 * the wait that follows is allowed, as in the two calls in turn. */
	if (err == CLOISON_ERR_BAD_STATE && mine == peer)
		err = CLOISON_ERR_OK;
	return err;
}

void hc_invoke_channel_signal_wait(struct hc_ctx *ctx)
{
	hc_invoke_channel_signal(ctx);
	if (!ctx->aux) {
		sysobj_hooks.wait_interrupt(ctx->caller);
		return;
	}
	notification_do_wait(cap_end(ctx->aux), ctx);
}

uint64_t hc_decode_channel_poll(struct hc_ctx *ctx)
{
	return check_end(ctx);
}

void hc_invoke_channel_poll(struct hc_ctx *ctx)
{
	struct notification *n = &ctx_channel(ctx)->end[ctx_end(ctx)];

	ctx->res[0] = n->word;
	n->word = 0;
}

uint64_t hc_decode_channel_bind(struct hc_ctx *ctx)
{
	uint64_t err = check_end(ctx);

	return err ? err : notification_check_bind(ctx->args[0]);
}

void hc_invoke_channel_bind(struct hc_ctx *ctx)
{
	notification_do_bind(&ctx_channel(ctx)->end[ctx_end(ctx)], ctx);
}

void channel_finalise(struct channel *ch)
{
	notification_finalise(&ch->end[0]);
	notification_finalise(&ch->end[1]);
}
