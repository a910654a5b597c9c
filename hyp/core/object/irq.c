/* SPDX-License-Identifier: MIT */
/*
 * IRQ objects: a hardware interrupt line (an SPI) handed to the domain that
 * holds its cap (docs/driver-domains.md). irq_bind names the virtual
 * interrupt it arrives as; the kernel (kernel/irq.c, through
 * sysobj_hooks.irq_route) programs the distributor and injects it with the
 * list register's HW bit, so the domain's EOI deactivates the SPI itself.
 *
 * One owner at a time: a cap copied to another domain cannot take the line
 * from a live owner (bad_state); once the owner is destroyed the next
 * holder may bind it.
 */
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/sysobj.h>

#include "hypercall_table.h"

static struct irqobj *ctx_irq(const struct hc_ctx *ctx)
{
	return (struct irqobj *)(void *)cap_object(&ctx->cte->cap);
}

uint64_t hc_decode_irq_bind(struct hc_ctx *ctx)
{
	const struct irqobj *irq = ctx_irq(ctx);
	uint64_t vintid = ctx->args[0];

	/* The same range as notification_bind: 33..63 (32 is console input,
	 * below that the timers). */
	if (vintid < NOTIFICATION_FIRST_VINTID || vintid > NOTIFICATION_LAST_VINTID)
		return CLOISON_ERR_INVALID_ARGUMENT;
	if (!sysobj_hooks.irq_route)
		return CLOISON_ERR_NOT_SUPPORTED;
	if (irq->owner && irq->owner != ctx->caller &&
	    irq->owner->state != CLOISON_DOMAIN_DESTROYED)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

void hc_invoke_irq_bind(struct hc_ctx *ctx)
{
	struct irqobj *irq = ctx_irq(ctx);

	if (irq->owner && irq->owner != ctx->caller && sysobj_hooks.irq_release)
		sysobj_hooks.irq_release(irq); /* the destroyed owner's routing */
	irq->owner = ctx->caller;
	irq->vintid = (uint32_t)ctx->args[0];
	sysobj_hooks.irq_route(irq);
}

void irq_finalise(struct irqobj *irq)
{
	if (irq->owner && sysobj_hooks.irq_release)
		sysobj_hooks.irq_release(irq);
	irq->owner = NULL;
}
