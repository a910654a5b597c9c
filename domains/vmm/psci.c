/* SPDX-License-Identifier: MIT */
#include "psci.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define PSCI_SUCCESS 0ull
#define PSCI_NOT_SUPPORTED ((uint64_t)-1)
#define PSCI_INVALID_PARAMETERS ((uint64_t)-2)
#define PSCI_VERSION_1_0 0x10000ull
#define PSCI_MIGRATE_NOT_PRESENT 2ull /* no Trusted OS to migrate (§5.9) */

static uint64_t features(uint64_t fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_SUCCESS;
	default:
		/* SMCCC_VERSION (0x80000000) included: SMCCC 1.0. */
		return PSCI_NOT_SUPPORTED;
	}
}

enum psci_outcome psci_call(uint64_t fn, uint64_t x1, uint64_t *x0)
{
	switch (fn) {
	case PSCI_VERSION:
		*x0 = PSCI_VERSION_1_0;
		return PSCI_ANSWER;
	case PSCI_FEATURES:
		*x0 = features(x1 & 0xffffffffull);
		return PSCI_ANSWER;
	case PSCI_MIGRATE_INFO_TYPE:
		*x0 = PSCI_MIGRATE_NOT_PRESENT;
		return PSCI_ANSWER;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		*x0 = x1 == 0 ? 0 /* ON */ : PSCI_INVALID_PARAMETERS;
		return PSCI_ANSWER;
	case PSCI_CPU_OFF:
	case PSCI_SYSTEM_OFF:
		return PSCI_OFF;
	case PSCI_SYSTEM_RESET:
		return PSCI_RESET;
	default: /* CPU_ON (one vCPU), CPU_SUSPEND, any other ID */
		*x0 = PSCI_NOT_SUPPORTED;
		return PSCI_ANSWER;
	}
}
