/* SPDX-License-Identifier: MIT */
/*
 * A domain's trapped MSR/MRS (ESR_EL2.EC 0x18). Only accesses the
 * hypervisor asked to trap arrive here (MDCR_EL2 for debug and performance
 * monitors, HCR_EL2.TID3 for ID registers, CNTHCTL_EL2 for the EL1 physical
 * timer); each group either emulates the access or does not know it, and an
 * access nobody knows stops that domain alone, with the register named.
 */
#include <cloison/vm.h>

#include "sysreg_trap.h"

static struct sysreg_access decode(uint64_t esr)
{
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);
	struct sysreg_access a = {
		.enc = iss & SYSREG_ISS_ENC_MASK,
		.op0 = (iss >> 20) & 0x3,
		.op2 = (iss >> 17) & 0x7,
		.op1 = (iss >> 14) & 0x7,
		.crn = (iss >> 10) & 0xf,
		.rt = (iss >> 5) & 0x1f,
		.crm = (iss >> 1) & 0xf,
		.read = (iss & 1) != 0,
	};

	return a;
}

bool sysreg_trap(struct vcpu *v, struct arch_regs *f, uint64_t esr)
{
	struct sysreg_access a = decode(esr);
	/* Rt 31 is XZR here, not SP (Arm ARM C6.2, MRS/MSR): a write stores
	 * zero, a read goes nowhere. x[31] would be ELR in the frame. */
	uint64_t val = (!a.read && a.rt != 31) ? f->x[a.rt] : 0;
	enum sysreg_result r = debugpmu_access(&v->arch, &a, &val);

	if (r == SYSREG_UNKNOWN)
		r = idregs_access(&a, &val);
	if (r == SYSREG_UNKNOWN) {
		if (a.rt == 31)
			vm_fault(v, "unhandled system register %s S%u_%u_C%u_C%u_%u %s xzr at %lx",
				   a.read ? "read" : "write", a.op0, a.op1, a.crn, a.crm,
				   a.op2, a.read ? "into" : "from", f->elr);
		else
			vm_fault(v, "unhandled system register %s S%u_%u_C%u_C%u_%u %s x%u at %lx",
				   a.read ? "read" : "write", a.op0, a.op1, a.crn, a.crm,
				   a.op2, a.read ? "into" : "from", a.rt, f->elr);
		return false;
	}
	if (a.read && a.rt != 31)
		f->x[a.rt] = val;
	/* MRS/MSR are always 32-bit instructions (ESR_EL2.IL = 1). */
	f->elr += 4;
	return true;
}
