/* SPDX-License-Identifier: MIT */
/*
 * The calls a VMM makes on its guest (a domain cap with the vmm right), and
 * the hand-over of the guest's forwarded exits (vmm.h, docs/vmm.md).
 *
 * One VMM per guest: the first vmm_* call binds the caller; any other
 * domain, even one holding a copy of the cap, gets bad_state. A domain cannot
 * serve itself (it would block waiting for its own exit). Every call checks
 * in decode and mutates in invoke; the guest's registers are touched only
 * through the kernel's hooks, and only while the guest is not running.
 */
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/sysobj.h>
#include <cloison/vgic.h>
#include <cloison/vmm.h>

#include "hypercall_table.h"

/* The IPA space a domain has (VTCR_EL2.T0SZ = 32: 4 GiB). */
#define VMM_IPA_LIMIT (1ull << 32)
#define VMM_PAGE 0x1000ull
#define VMM_FIRST_VINTID 16u
#define VMM_IRQ_RAISE 0
#define VMM_IRQ_ENABLE 1
#define VMM_IRQ_DISABLE 2

static struct domain *ctx_guest(const struct hc_ctx *ctx)
{
	return (struct domain *)(void *)cap_object(&ctx->cte->cap);
}

bool vmm_in_region(const struct vmm_link *l, uint64_t ipa)
{
	for (uint32_t i = 0; i < l->nregions; i++)
		if (ipa - l->region_base[i] < l->region_size[i])
			return true;
	return false;
}

/* The checks every vmm_* call shares: hooks present, the caller is (or can
 * become) the guest's VMM, the guest is not destroyed. */
static uint64_t vmm_check(struct hc_ctx *ctx)
{
	struct domain *g = ctx_guest(ctx);

	if (!sysobj_hooks.vmm_deliver || !sysobj_hooks.vmm_complete ||
	    !sysobj_hooks.vmm_set_reg || !sysobj_hooks.block || !ctx->caller)
		return CLOISON_ERR_NOT_SUPPORTED;
	if (g == ctx->caller)
		return CLOISON_ERR_INVALID_ARGUMENT;
	if (g->vmm.vmm && g->vmm.vmm != ctx->caller)
		return CLOISON_ERR_BAD_STATE;
	if (g->state == CLOISON_DOMAIN_DESTROYED)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

static void vmm_bind(struct hc_ctx *ctx)
{
	struct domain *g = ctx_guest(ctx);

	if (g->vmm.vmm)
		return; /* vmm_check: it is the caller */
	g->vmm.served = true;
	g->vmm.vmm = ctx->caller;
	g->vmm.next_served = ctx->caller->vmm.served_head;
	ctx->caller->vmm.served_head = g;
}

void vmm_unlink(struct domain *d)
{
	struct vmm_link *l = &d->vmm;
	struct domain **pp, *g;

	if (l->waiting_on) {
		l->waiting_on->vmm.vmm_waiting = false;
		l->waiting_on = NULL;
	}
	if (l->vmm) {
		vmm_guest_stopped(d, 0);
		for (pp = &l->vmm->vmm.served_head; *pp; pp = &(*pp)->vmm.next_served)
			if (*pp == d) {
				*pp = l->next_served;
				break;
			}
		l->vmm = NULL;
	}
	while ((g = l->served_head) != NULL) {
		l->served_head = g->vmm.next_served;
		g->vmm.next_served = NULL;
		g->vmm.vmm = NULL;
		g->vmm.vmm_waiting = false;
	}
}

uint64_t hc_decode_vmm_region(struct hc_ctx *ctx)
{
	const struct vmm_link *l = &ctx_guest(ctx)->vmm;
	uint64_t base = ctx->args[0], size = ctx->args[1];
	uint64_t err = vmm_check(ctx);

	if (err)
		return err;
	if ((base | size) & (VMM_PAGE - 1))
		return CLOISON_ERR_ALIGNMENT;
	if (size == 0 || base >= VMM_IPA_LIMIT || size > VMM_IPA_LIMIT - base)
		return CLOISON_ERR_OUT_OF_RANGE;
	if (l->nregions == CLOISON_VMM_REGIONS_MAX)
		return CLOISON_ERR_NO_MEMORY;
	for (uint32_t i = 0; i < l->nregions; i++)
		if (base < l->region_base[i] + l->region_size[i] &&
		    l->region_base[i] < base + size)
			return CLOISON_ERR_INVALID_ARGUMENT;
	return CLOISON_ERR_OK;
}

void hc_invoke_vmm_region(struct hc_ctx *ctx)
{
	struct vmm_link *l = &ctx_guest(ctx)->vmm;

	vmm_bind(ctx);
	l->region_base[l->nregions] = ctx->args[0];
	l->region_size[l->nregions] = ctx->args[1];
	l->nregions++;
}

static void exit_results(const struct guest_exit *e, uint64_t res[6])
{
	res[0] = e->kind;
	res[1] = e->addr;
	res[2] = e->size;
	res[3] = e->value;
	res[4] = e->arg2;
	res[5] = e->arg3;
}

uint64_t hc_decode_vmm_wait(struct hc_ctx *ctx)
{
	const struct vmm_link *l = &ctx_guest(ctx)->vmm;
	uint64_t err = vmm_check(ctx);

	if (err)
		return err;
	if (l->exit_state == VMM_EXIT_TAKEN || l->vmm_waiting)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

void hc_invoke_vmm_wait(struct hc_ctx *ctx)
{
	struct vmm_link *l = &ctx_guest(ctx)->vmm;

	vmm_bind(ctx);
	if (l->exit_state == VMM_EXIT_PENDING) {
		exit_results(&l->exit, ctx->res);
		l->exit_state = VMM_EXIT_TAKEN;
		return;
	}
	if (l->stop_latched) {
		/* It stopped before this wait: say so once, unless it has been
		 * resumed since (then its next exit is what the VMM waits for). */
		l->stop_latched = false;
		if (ctx_guest(ctx)->state != CLOISON_DOMAIN_RUNNING) {
			ctx->res[0] = CLOISON_VMM_EXIT_STOPPED;
			ctx->res[1] = l->stop_pc;
			return;
		}
	}
	if (sysobj_hooks.virq_pending && sysobj_hooks.virq_pending(ctx->caller)) {
		ctx->res[0] = CLOISON_VMM_EXIT_IRQ;
		return;
	}
	l->vmm_waiting = true;
	ctx->caller->vmm.waiting_on = ctx_guest(ctx);
	sysobj_hooks.block(ctx->caller);
}

void vmm_forward(struct domain *guest, const struct guest_exit *e)
{
	struct vmm_link *l = &guest->vmm;
	uint64_t res[6];

	l->exit = *e;
	l->exit_state = VMM_EXIT_PENDING;
	if (l->vmm_waiting && l->vmm->state != CLOISON_DOMAIN_DESTROYED) {
		exit_results(e, res);
		l->vmm_waiting = false;
		l->vmm->vmm.waiting_on = NULL;
		l->exit_state = VMM_EXIT_TAKEN;
		sysobj_hooks.vmm_deliver(l->vmm, res);
	}
}

void vmm_guest_stopped(struct domain *guest, uint64_t pc)
{
	struct vmm_link *l = &guest->vmm;
	const uint64_t res[6] = { CLOISON_VMM_EXIT_STOPPED, pc, 0, 0, 0, 0 };

	l->exit_state = VMM_EXIT_NONE;
	if (l->vmm_waiting && l->vmm && sysobj_hooks.vmm_deliver) {
		l->vmm_waiting = false;
		l->vmm->vmm.waiting_on = NULL;
		sysobj_hooks.vmm_deliver(l->vmm, res);
	} else {
		l->stop_latched = true;
		l->stop_pc = pc;
	}
}

void vmm_interrupt(struct domain *d)
{
	struct domain *g = d->vmm.waiting_on;
	const uint64_t res[6] = { CLOISON_VMM_EXIT_IRQ, 0, 0, 0, 0, 0 };

	if (!g || !sysobj_hooks.vmm_deliver)
		return;
	g->vmm.vmm_waiting = false;
	d->vmm.waiting_on = NULL;
	sysobj_hooks.vmm_deliver(d, res);
}

uint64_t vmm_load_value(const struct guest_exit *e, uint64_t value)
{
	/* Loads of 1, 2, 4 or 8 bytes (ISS.SAS). A signed load (ISS.SSE)
	 * extends the sign of the loaded size; a load into a W register
	 * (ISS.SF = 0) leaves bits [63:32] zero (Arm ARM D17.2.40). */
	unsigned int bits = (unsigned int)(e->size * 8);

	if (bits < 64) {
		value &= (1ull << bits) - 1;
		if (e->sign_extend && (value >> (bits - 1)) & 1)
			value |= ~0ull << bits;
	}
	if (!e->sf)
		value &= 0xffffffffull;
	return value;
}

uint64_t hc_decode_vmm_reply(struct hc_ctx *ctx)
{
	uint64_t err = vmm_check(ctx);

	if (err)
		return err;
	if (ctx_guest(ctx)->vmm.exit_state != VMM_EXIT_TAKEN)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

void hc_invoke_vmm_reply(struct hc_ctx *ctx)
{
	struct domain *g = ctx_guest(ctx);

	g->vmm.exit_state = VMM_EXIT_NONE;
	sysobj_hooks.vmm_complete(g, &g->vmm.exit, ctx->args[0]);
}

uint64_t hc_decode_vmm_irq(struct hc_ctx *ctx)
{
	uint64_t err = vmm_check(ctx);

	if (err)
		return err;
	if (!sysobj_hooks.raise_virq || !sysobj_hooks.vgic_configure)
		return CLOISON_ERR_NOT_SUPPORTED;
	if (ctx->args[0] < VMM_FIRST_VINTID || ctx->args[0] >= VGIC_NR_IRQS ||
	    ctx->args[1] > VMM_IRQ_DISABLE)
		return CLOISON_ERR_INVALID_ARGUMENT;
	return CLOISON_ERR_OK;
}

void hc_invoke_vmm_irq(struct hc_ctx *ctx)
{
	struct domain *g = ctx_guest(ctx);
	uint32_t vintid = (uint32_t)ctx->args[0];

	vmm_bind(ctx);
	sysobj_hooks.vgic_configure(g, vintid, ctx->args[1] != VMM_IRQ_DISABLE,
				    VGIC_DEFAULT_PRIORITY);
	if (ctx->args[1] == VMM_IRQ_RAISE)
		sysobj_hooks.raise_virq(g, vintid);
}

/* The guest must not be running: not started, stopped, or waiting for
 * vmm_reply (its registers are in its saved context). */
static uint64_t vmm_check_still(struct hc_ctx *ctx)
{
	const struct domain *g = ctx_guest(ctx);
	uint64_t err = vmm_check(ctx);

	if (err)
		return err;
	if (g->state == CLOISON_DOMAIN_RUNNING && g->vmm.exit_state != VMM_EXIT_TAKEN)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

uint64_t hc_decode_vmm_reset(struct hc_ctx *ctx)
{
	if (!sysobj_hooks.vmm_reload)
		return CLOISON_ERR_NOT_SUPPORTED;
	return vmm_check_still(ctx);
}

void hc_invoke_vmm_reset(struct hc_ctx *ctx)
{
	vmm_bind(ctx);
	ctx->res[0] = sysobj_hooks.vmm_reload(ctx_guest(ctx));
}

uint64_t hc_decode_vmm_set_reg(struct hc_ctx *ctx)
{
	uint64_t err = vmm_check_still(ctx);

	if (err)
		return err;
	if (ctx->args[0] > CLOISON_VMM_REG_PC)
		return CLOISON_ERR_INVALID_ARGUMENT;
	return CLOISON_ERR_OK;
}

void hc_invoke_vmm_set_reg(struct hc_ctx *ctx)
{
	vmm_bind(ctx);
	sysobj_hooks.vmm_set_reg(ctx_guest(ctx), (uint32_t)ctx->args[0], ctx->args[1]);
}
