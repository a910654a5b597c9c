/* SPDX-License-Identifier: MIT */
/*
 * The capability invariant checker, written once and used by the unit,
 * exhaustive, random and fuzz tests, plus the small system they share.
 *
 * capcheck_verify() walks every live object and every slot and checks:
 *   - each object's cap count and (pools) live-child count are exact, and
 *     nothing is alive without a cap (or live children, or a boot pin);
 *   - carved objects lie inside the used part of their pool and never
 *     overlap a sibling (memory of a live object is never handed out again);
 *   - the derivation tree is well linked and acyclic; a cap derived from a
 *     cap to the same object has a subset of its rights and keeps its badge;
 *     otherwise its parent is a pool the object was carved from (retype);
 *   - cap words are well formed (type, rights within the type, no stray
 *     bits, badges only on notifications) and name live objects of their type;
 *   - domains and their CSpaces point at each other consistently.
 * capcheck_call() runs one hypercall and adds the per-step checks: after a
 * revoke every former descendant slot is empty; after a retype the new
 * object's memory is zero (then it is dirtied, as a domain would, so that a
 * later reuse of the same memory is checked too).
 */
#ifndef CLOISON_TEST_CAPCHECK_H
#define CLOISON_TEST_CAPCHECK_H

#include <cloison/types.h>

struct domain;
struct untyped;

/* Returns true when every invariant holds; else writes why into msg. */
bool capcheck_verify(char *msg, size_t n);

/* Dispatch regs as caller, then check; false + msg on a broken invariant.
 * A preemptible call is run chunk by chunk with every invariant checked at
 * each boundary; capcheck_restarts counts the boundaries seen. */
bool capcheck_call(struct domain *caller, uint64_t regs[8], char *msg, size_t n);
extern uint64_t capcheck_restarts;

/*
 * The small system: 3 domains with 4-slot CSpaces and one 4-page pool.
 *   d0: 0 = pool (all rights), 1 = cnode d1 (read|write|grant), 2, 3 empty
 *   d1: 2 = notification (all rights), 3 = cnode d2 (write, no grant)
 *   d2: 0 = console (write)
 */
struct capfix {
	struct domain *d[3];
	struct untyped *pool;
};

#define CAPFIX_SLOTS 4u
#define CAPFIX_POOL_SIZE (4 * PAGE_SIZE)

void capfix_small(struct capfix *f);

/* A fresh system with kernel pool and one pool of pool_size bytes. */
void capfix_base(paddr_t *pool_base, uint64_t pool_size);

/* Bytes written to the console hook since the last capfix_*. */
extern char capfix_console[256];
extern size_t capfix_console_len;
extern unsigned int capfix_poweroffs;

#endif
