/* SPDX-License-Identifier: MIT */
/*
 * Index rules of a split ring: two arrays of fixed-size entries in a shared
 * page, one each way, with free-running 32-bit producer and consumer
 * indices and event indices (docs/block-protocol.md, "The ring"). The block
 * protocol (blkif.h) is its first user; the rules hold for any protocol
 * that lays out a page this way (a future network ring: say so in its
 * contract and reuse these).
 *
 * Unlike the ring library (ring.h: 64-byte slots, one message per slot,
 * each copied whole), entries are as large as the protocol needs and the
 * consumer copies each one once, with word loads, into private memory;
 * only the copy is checked and used. Every index the peer writes is read
 * once per use and checked here before anything is read on its strength.
 * Each side keeps its own indices privately and only writes them out, so
 * a peer overwriting them changes nothing but what the peer itself sees.
 */
#ifndef CLOISON_BLKRING_H
#define CLOISON_BLKRING_H

#include <stdbool.h>
#include <stdint.h>

/* Ordering of shared-memory accesses against the peer's (Arm ARM B2.3:
 * DMB ISH orders this PE's accesses as the other PEs of the inner
 * shareable domain see them). On the host (unit tests, fuzzing) a compiler
 * barrier is enough. */
#if defined(__aarch64__)
#define blkring_mb() __asm__ volatile("dmb ish" ::: "memory")
#else
#define blkring_mb() __asm__ volatile("" ::: "memory")
#endif

/*
 * A producer index the peer published, checked against this side's
 * private consumer index `cons` and the last one the peer showed, `seen`:
 * it may not go back nor run more than `size` entries ahead of the
 * consumer (either would make us read entries that were never written or
 * already taken). False: the peer forged it.
 */
static inline bool blkring_prod_ok(uint32_t prod, uint32_t seen, uint32_t cons, uint32_t size)
{
	return (uint32_t)(prod - seen) <= size && (uint32_t)(prod - cons) <= size;
}

/*
 * A consumer index the peer published for what we produce: it may only
 * move forward from the last one it showed (`seen`) and never past what we
 * produced (`prod`). False: the peer forged it.
 */
static inline bool blkring_cons_ok(uint32_t cons, uint32_t seen, uint32_t prod)
{
	return (uint32_t)(cons - seen) <= (uint32_t)(prod - seen);
}

/*
 * After publishing a producer index that moved from `old` to `new`: must
 * the consumer be told? Only when (old, new] holds the event index it
 * asked for (it asks event = its consumer index + 1 before sleeping), so
 * a consumer that is busy, or already told, costs no notification. Any
 * event value is safe: a forged one costs at most one notification per
 * publication, or the forger's own wake-up.
 */
static inline bool blkring_crossed(uint32_t new_prod, uint32_t old, uint32_t event)
{
	return (uint32_t)(new_prod - event) < (uint32_t)(new_prod - old);
}

#endif
