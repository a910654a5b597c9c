/* SPDX-License-Identifier: MIT */
/*
 * PSCI 1.0 for the guest (Arm DEN0022D, function IDs §5.1, return codes
 * §5.2.2), its only vCPU. SMCCC calls other than PSCI answer
 * NOT_SUPPORTED (SMCCC DEN0028 §7: unknown function ID returns -1), and
 * PSCI_FEATURES(SMCCC_VERSION) says NOT_SUPPORTED, so Linux assumes SMCCC
 * 1.0 and asks nothing more.
 */
#ifndef VMM_PSCI_H
#define VMM_PSCI_H

#include <stdint.h>

enum psci_outcome {
	PSCI_ANSWER,   /* reply with *x0, the guest runs on */
	PSCI_OFF,      /* SYSTEM_OFF / CPU_OFF: end the guest */
	PSCI_RESET,    /* SYSTEM_RESET */
};

enum psci_outcome psci_call(uint64_t fn, uint64_t x1, uint64_t *x0);

#endif
