/* SPDX-License-Identifier: MIT */
/* Console and system objects: their calls go to platform hooks. */
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/hypercall.h>
#include <cloison/object.h>
#include <cloison/sysobj.h>

#include "hypercall_table.h"

struct sysobj_hooks sysobj_hooks;

void sysobj_set_hooks(const struct sysobj_hooks *hooks)
{
	if (hooks)
		sysobj_hooks = *hooks;
	else
		sysobj_hooks = (struct sysobj_hooks){ 0 };
}

/* console_write: args len, b0..b4 (bytes little-endian, b0 first). */
uint64_t hc_decode_console_write(struct hc_ctx *ctx)
{
	if (ctx->args[0] > CLOISON_CONSOLE_WRITE_MAX)
		return CLOISON_ERR_OUT_OF_RANGE;
	if (!sysobj_hooks.console_write)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

void hc_invoke_console_write(struct hc_ctx *ctx)
{
	char buf[CLOISON_CONSOLE_WRITE_MAX];
	size_t len = (size_t)ctx->args[0], i;

	for (i = 0; i < len; i++)
		buf[i] = (char)(ctx->args[1 + i / 8] >> (8 * (i % 8)));
	sysobj_hooks.console_write(buf, len);
}

uint64_t hc_decode_system_poweroff(struct hc_ctx *ctx)
{
	if (!sysobj_hooks.poweroff)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

void hc_invoke_system_poweroff(struct hc_ctx *ctx)
{
	sysobj_hooks.poweroff();
}

uint64_t hc_decode_system_stats(struct hc_ctx *ctx)
{
	if (!sysobj_hooks.stats)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

void hc_invoke_system_stats(struct hc_ctx *ctx)
{
	struct sysobj_stats st = { 0 };

	sysobj_hooks.stats(&st);
	ctx->res[0] = st.el2_entries;
	ctx->res[1] = st.switches;
	ctx->res[2] = st.virqs;
	ctx->res[3] = st.hypercalls;
}

uint64_t hc_decode_system_census(struct hc_ctx *ctx)
{
	if (!sysobj_hooks.census)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

void hc_invoke_system_census(struct hc_ctx *ctx)
{
	ctx->res[0] = object_count();
	sysobj_hooks.census(&ctx->res[1], &ctx->res[2]);
}

uint64_t hc_decode_system_audit_dump(struct hc_ctx *ctx)
{
	if (!sysobj_hooks.audit_dump)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

void hc_invoke_system_audit_dump(struct hc_ctx *ctx)
{
	sysobj_hooks.audit_dump();
}

uint64_t hc_decode_console_read(struct hc_ctx *ctx)
{
	if (!sysobj_hooks.console_read)
		return CLOISON_ERR_NOT_SUPPORTED;
	return CLOISON_ERR_OK;
}

void hc_invoke_console_read(struct hc_ctx *ctx)
{
	char buf[CLOISON_CONSOLE_WRITE_MAX];
	size_t len = sysobj_hooks.console_read(ctx->caller, buf, sizeof(buf)), i;

	ctx->res[0] = len;
	for (i = 0; i < len; i++)
		ctx->res[1 + i / 8] |= (uint64_t)(uint8_t)buf[i] << (8 * (i % 8));
}
