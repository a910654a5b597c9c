/* SPDX-License-Identifier: MIT */
/*
 * PSCI for domains (Arm DEN0022, function IDs of §5.1; SMC32/SMC64 forms).
 * A domain has one vCPU: CPU_ON answers NOT_SUPPORTED, CPU_OFF stops the
 * domain, SYSTEM_OFF / SYSTEM_RESET power the machine off only for a domain
 * holding a system cap with the poweroff right, and are DENIED otherwise.
 * Any other SMC function is a fault ("bad smc") and stops the domain.
 */
#include <cloison/vm.h>

#include "psci.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED ((uint64_t)-1)
#define PSCI_DENIED ((uint64_t)-3)

void psci_handle(struct vcpu *v, struct arch_regs *f)
{
	uint64_t fn = f->x[0];

	switch (fn) {
	case PSCI_VERSION:
		f->x[0] = 1u << 16; /* 1.0 */
		break;
	case PSCI_FEATURES:
		switch (f->x[1]) {
		case PSCI_VERSION:
		case PSCI_CPU_OFF:
		case PSCI_SYSTEM_OFF:
		case PSCI_FEATURES:
			f->x[0] = PSCI_SUCCESS;
			break;
		default:
			f->x[0] = PSCI_NOT_SUPPORTED;
		}
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		f->x[0] = PSCI_NOT_SUPPORTED;
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		f->x[0] = f->x[1] == 0 ? 0 /* ON */ : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_OFF:
		vm_stop_self(v, "PSCI CPU_OFF");
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		if (!vm_may_power_off(v)) {
			f->x[0] = PSCI_DENIED;
			vm_note(v, "PSCI SYSTEM_OFF denied: no system cap with poweroff");
			break;
		}
		vm_power_off(v);
		break;
	default:
		vm_fault(v, "unsupported SMC function 0x%lx", fn);
		break;
	}
}
