/* SPDX-License-Identifier: MIT */
#include <arch/stage2.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/cap.h>
#include <cloison/domain.h>
#include <cloison/abi/calls.h>
#include <cloison/hypercall.h>
#include <cloison/memmap.h>
#include <cloison/memobj.h>
#include <cloison/panic.h>

#include "hypercall_table.h"

/* The read/write/exec right bits sit at the same place in every mappable
 * type (hyp/abi/cloison-abi.toml); exec exists for frames only. */
#define PROT_READ CLOISON_RIGHT_FRAME_READ
#define PROT_WRITE CLOISON_RIGHT_FRAME_WRITE
#define PROT_EXEC CLOISON_RIGHT_FRAME_EXEC

_Static_assert(CLOISON_RIGHT_DEVICE_READ == PROT_READ &&
		       CLOISON_RIGHT_DEVICE_WRITE == PROT_WRITE &&
		       CLOISON_RIGHT_CHANNEL_READ == PROT_READ &&
		       CLOISON_RIGHT_CHANNEL_WRITE == PROT_WRITE,
	       "mappable types share the read/write right bits");

static const struct memobj *cte_memobj(const struct cte *cte)
{
	return (const struct memobj *)(const void *)cap_object(&cte->cap);
}

static uint32_t stage2_prot(uint32_t type, uint64_t prot)
{
	uint32_t p = type == CLOISON_TYPE_DEVICE ? STAGE2_DEVICE : 0;

	if (prot & PROT_READ)
		p |= STAGE2_READ;
	if (prot & PROT_WRITE)
		p |= STAGE2_WRITE;
	if (prot & PROT_EXEC)
		p |= STAGE2_EXEC;
	return p;
}

static uint64_t stage2_error(enum stage2_error err)
{
	switch (err) {
	case STAGE2_OK:
		return CLOISON_ERR_OK;
	case STAGE2_ERR_ALIGN:
		return CLOISON_ERR_ALIGNMENT;
	case STAGE2_ERR_RANGE:
		return CLOISON_ERR_OUT_OF_RANGE;
	case STAGE2_ERR_OVERLAP:
		return CLOISON_ERR_INVALID_ARGUMENT;
	case STAGE2_ERR_NOMEM:
		return CLOISON_ERR_NO_MEMORY;
	case STAGE2_ERR_NOT_MAPPED:
		return CLOISON_ERR_BAD_STATE;
	}
	return CLOISON_ERR_INVALID_ARGUMENT;
}

/* In the low bits of a slot's map_ipa (page aligned) while a map is under
 * way: the flag and the prot asked. */
#define MEMMAP_BUSY 0x800u
#define MEMMAP_FLAGS (PAGE_SIZE - 1)
_Static_assert((PROT_READ | PROT_WRITE | PROT_EXEC) < MEMMAP_BUSY,
	       "prot fits below the busy flag in map_ipa's low bits");

/* args: ipa, prot */
uint64_t hc_decode_memory_map(struct hc_ctx *ctx)
{
	uint32_t type = cap_type(&ctx->cte->cap);
	uint64_t ipa = ctx->args[0], prot = ctx->args[1];
	uint64_t allowed = PROT_READ | PROT_WRITE;
	const struct memobj *m;

	if (type != CLOISON_TYPE_FRAME && type != CLOISON_TYPE_DEVICE &&
	    type != CLOISON_TYPE_CHANNEL)
		return CLOISON_ERR_WRONG_TYPE;
	if (!ctx->caller || !ctx->caller->s2)
		return CLOISON_ERR_NOT_SUPPORTED;
	if (type == CLOISON_TYPE_FRAME)
		allowed |= PROT_EXEC;
	if (prot == 0 || (prot & ~allowed))
		return CLOISON_ERR_INVALID_ARGUMENT;
	if ((cap_rights(&ctx->cte->cap) & prot) != prot)
		return CLOISON_ERR_NO_RIGHTS;
	m = cte_memobj(ctx->cte);
	if (ctx->cte->map_s2) {
		/* One mapping per cap; but a map preempted part way (the same
		 * call re-executed: same stage 2, IPA and prot) continues. */
		if ((ipa & MEMMAP_FLAGS) || ctx->cte->map_ipa != (ipa | MEMMAP_BUSY | prot) ||
		    ctx->cte->map_len >= m->size || ctx->cte->map_s2 != ctx->caller->s2)
			return CLOISON_ERR_BAD_STATE;
		/* What is left must still be free: between two chunks the
		 * domain may have mapped something else there. */
		return stage2_error(arch_stage2_check_map(ctx->caller->s2,
							  ipa + ctx->cte->map_len,
							  pa_add(m->base, ctx->cte->map_len),
							  m->size - ctx->cte->map_len));
	}
	return stage2_error(arch_stage2_check_map(ctx->caller->s2, ipa, m->base, m->size));
}


void hc_invoke_memory_map(struct hc_ctx *ctx)
{
	const struct memobj *m = cte_memobj(ctx->cte);
	struct cte *cte = ctx->cte;
	uint64_t ipa = ctx->args[0], done, next;
	enum stage2_error err;

	if (!cte->map_s2) {
		cte->map_s2 = ctx->caller->s2;
		cte->map_ipa = ipa | MEMMAP_BUSY | ctx->args[1];
		cte->map_len = 0;
	}
	/*
	 * Preemptible (hypercall.h): one chunk, up to the next multiple of
	 * hc_chunk.unmap_bytes in IPA (2 MiB: a level-3 table's worth, or
	 * one block), the progress in the slot (map_len). Until the last
	 * chunk the mapping is partial; deleting or unmapping the cap undoes
	 * what is there.
	 */
	done = cte->map_len;
	next = ((ipa + done) & ~(hc_chunk.unmap_bytes - 1)) + hc_chunk.unmap_bytes;
	if (next > ipa + m->size)
		next = ipa + m->size;
	err = arch_stage2_map(cte->map_s2, ipa + done, pa_add(m->base, done), next - (ipa + done),
			      stage2_prot(cap_type(&cte->cap), ctx->args[1]));
	CHECK(err == STAGE2_OK); /* decode checked range, overlap and memory */
	cte->map_len = next - ipa;
	if (cte->map_len < m->size)
		hypercall_restart(ctx, CLOISON_HC_MEMORY_MAP);
	else
		cte->map_ipa = ipa; /* mapped: no longer under way */
}

uint64_t hc_decode_memory_unmap(struct hc_ctx *ctx)
{
	uint32_t type = cap_type(&ctx->cte->cap);

	if (type != CLOISON_TYPE_FRAME && type != CLOISON_TYPE_DEVICE &&
	    type != CLOISON_TYPE_CHANNEL)
		return CLOISON_ERR_WRONG_TYPE;
	if (!ctx->cte->map_s2)
		return CLOISON_ERR_BAD_STATE;
	return CLOISON_ERR_OK;
}

void hc_invoke_memory_unmap(struct hc_ctx *ctx)
{
	/* Preemptible (hypercall.h): the cost grows with the frame's size. */
	if (!memmap_unmap_step(ctx->cte))
		hypercall_restart(ctx, CLOISON_HC_MEMORY_UNMAP);
}

bool memmap_unmap_step(struct cte *cte)
{
	uint64_t end, next;

	if (!cte->map_s2)
		return true;
	/* Unmapping from now on: never continued as a map. */
	cte->map_ipa &= ~(uint64_t)MEMMAP_FLAGS;
	end = cte->map_ipa + cte->map_len;
	next = (cte->map_ipa & ~(hc_chunk.unmap_bytes - 1)) + hc_chunk.unmap_bytes;
	if (next > end)
		next = end;
	CHECK(arch_stage2_unmap(cte->map_s2, cte->map_ipa, next - cte->map_ipa) == STAGE2_OK);
	cte->map_len = end - next;
	cte->map_ipa = next;
	if (cte->map_len)
		return false;
	cte->map_s2 = NULL;
	cte->map_ipa = 0;
	return true;
}


void memmap_unmap_cte(struct cte *cte)
{
	while (!memmap_unmap_step(cte))
		;
}

/* Without an IOMMU a device sees physical addresses: a driver that puts a
 * channel's pages in a DMA descriptor needs their PA (docs/driver-domains.md). */
uint64_t hc_decode_memory_phys(struct hc_ctx *ctx)
{
	uint32_t type = cap_type(&ctx->cte->cap);

	if (type != CLOISON_TYPE_CHANNEL && type != CLOISON_TYPE_DEVICE)
		return CLOISON_ERR_WRONG_TYPE;
	if (!cap_has_rights(&ctx->cte->cap, PROT_READ) &&
	    !cap_has_rights(&ctx->cte->cap, PROT_WRITE))
		return CLOISON_ERR_NO_RIGHTS;
	return CLOISON_ERR_OK;
}

void hc_invoke_memory_phys(struct hc_ctx *ctx)
{
	const struct memobj *m = cte_memobj(ctx->cte);

	ctx->res[0] = pa_addr(m->base);
	ctx->res[1] = m->size;
}
