/* SPDX-License-Identifier: MIT */
/*
 * Untyped memory pools. A pool hands out memory by a bump allocator (the
 * mark); memory below the mark is in use by carved objects and is never
 * handed out again while any of them lives; when the last one dies the
 * mark drops to 0. Every carved range is zeroed when it is handed out.
 */
#ifndef CLOISON_UNTYPED_H
#define CLOISON_UNTYPED_H

#include <cloison/object.h>

struct untyped {
	struct object obj;
	paddr_t base; /* pool memory: [base, base + size) */
	uint64_t size;
	uint64_t mark; /* bytes from base already handed out */
	uint64_t nlive; /* carved objects still alive */
	/* Bytes [mark, zeroed) are known to be zero: how far a retype that
	 * zeroes in chunks (untyped_zero_step) has got. Kept in the pool, not
	 * in the call, so a retype re-executed after preemption continues
	 * where it stopped, whoever carves next. Dropped to 0 with the mark. */
	uint64_t zeroed;
};

/* Where a carve would put an object; filled by untyped_plan (no effects). */
struct untyped_plan {
	uint64_t hdr_off; /* offset of the object header in the pool */
	uint64_t data_off; /* offset of the data (frame/pool memory), if any */
	uint64_t end; /* new mark */
};

/*
 * Plan an object of hdr_size header bytes followed (if data_size) by
 * data_size bytes aligned to data_align. Returns CLOISON_ERR_NO_MEMORY if
 * it does not fit (all arithmetic overflow-checked), 0 otherwise.
 */
uint64_t untyped_plan(const struct untyped *ut, uint64_t hdr_size, uint64_t data_size,
		      uint64_t data_align, struct untyped_plan *plan);

/* Zero the planned range (what untyped_zero_step has not), advance the mark,
 * count a live child; returns the header. */
void *untyped_carve(struct untyped *ut, const struct untyped_plan *plan);

/*
 * Zero at most `budget` more bytes of the free memory from the mark up to
 * `end` (an offset in the pool). Returns true once [mark, end) is all zero,
 * so that untyped_carve up to `end` has nothing left to zero.
 */
bool untyped_zero_step(struct untyped *ut, uint64_t end, uint64_t budget);

/*
 * The retype calls' shared parts (untyped.c), for a pool cap that need not
 * be x0 (domain_connect): untyped_decode_kind checks the type's retype right
 * and size and fills ctx->v[0..3]; untyped_decode_room checks the pool has
 * room; untyped_make zeroes a chunk (restarting the call `op` while work
 * remains: NULL) and then carves and initialises the object, *rights the
 * rights its cap gets.
 */
struct hc_ctx;
struct cte;
struct object;
uint64_t untyped_decode_kind(struct hc_ctx *ctx, const struct cte *pool, uint64_t type,
			     uint64_t size);
uint64_t untyped_decode_room(const struct hc_ctx *ctx, const struct cte *pool);
struct object *untyped_make(struct hc_ctx *ctx, const struct cte *pool, uint64_t op,
			    uint32_t *rights);

/* A carved object died (object.c). */
void untyped_child_died(struct untyped *ut);

/* Initialise an untyped object over [base, base + size). */
void untyped_setup(struct untyped *ut, paddr_t base, uint64_t size);

/* Physical address of an offset in the pool. */
static inline paddr_t untyped_pa(const struct untyped *ut, uint64_t off)
{
	return pa_add(ut->base, off);
}

#endif
