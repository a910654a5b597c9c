/* SPDX-License-Identifier: MIT */
/* Notifications: signal (OR the badge in) and poll (read and clear). */
#include <cloison/abi/errors.h>
#include <cloison/hypercall.h>
#include <cloison/notification.h>

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

void hc_invoke_notification_signal(struct hc_ctx *ctx)
{
	ctx_notification(ctx)->word |= cap_badge(&ctx->cte->cap);
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
