/* SPDX-License-Identifier: MIT */
#ifndef AARCH64_PSCI_H
#define AARCH64_PSCI_H

#include <arch/types.h>

struct vcpu;

/* A domain's SMC: answered as PSCI (DEN0022) or, if it is no PSCI call
 * the domain may make, the domain is stopped. */
void psci_handle(struct vcpu *v, struct arch_regs *f);
const char *arch_esr_describe(uint64_t esr);

#endif
