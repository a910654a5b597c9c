/* SPDX-License-Identifier: MIT */
/*
 * One hypercall from a test, through the invariant checker: HC(d, slot, OP,
 * args...) dispatches CLOISON_HC_OP as domain d with x0 = slot and x2.. =
 * args, checks every invariant of capcheck.h afterwards (a broken one fails
 * the running test and sets capcall_broken) and returns x0, the error. The
 * registers after the call (results in x1..x7) stay in capcall_regs.
 */
#ifndef CLOISON_TEST_CAPCALL_H
#define CLOISON_TEST_CAPCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <cloison/abi/calls.h>

struct domain;

extern uint64_t capcall_regs[8];
extern bool capcall_broken;

uint64_t capcall(struct domain *d, uint64_t slot, uint64_t op, const uint64_t a[6]);

#define HC(d, slot, op, ...) capcall((d), (slot), CLOISON_HC_##op, (const uint64_t[6]){ __VA_ARGS__ })
#define R capcall_regs

/* The free bytes of the pool in d's slot, the state of the domain in d's
 * slot (each call checked to succeed). */
uint64_t capcall_pool_free(struct domain *d, uint64_t slot);
uint64_t capcall_domain_state(struct domain *d, uint64_t slot);

#endif
