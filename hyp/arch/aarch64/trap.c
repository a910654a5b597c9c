/* SPDX-License-Identifier: MIT */
/*
 * Synchronous exceptions from a domain (EL1/EL0), decoded from ESR_EL2
 * (Arm ARM D13.2.39, EC values in table D13-45). Everything a domain can do
 * ends in a hypercall answer, a PSCI answer, a block, or the domain being
 * stopped with a recorded reason; none of it can stop the hypervisor.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include <cloison/hypercall.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/start_info.h>
#include <cloison/guest.h>

#include "exception.h"
#include "psci.h"
#include "sysreg.h"
#include "sysreg_trap.h"

_Static_assert(__builtin_offsetof(struct vcpu, arch) == 0 &&
		       __builtin_offsetof(struct arch_vcpu, regs) == 0,
	       "a vCPU's registers start its struct vcpu");

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL (1ull << 25)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)
#define ESR_WFX_TI_WFE 0x1ull    /* ISS.TI[0]: 1 = WFE (D13-47) */
#define ESR_ABT_DFSC(esr) ((esr) & 0x3f)
#define ESR_DABT_WNR (1ull << 6)

/* The trapped instruction must not be executed again (WFx, SMC: Arm ARM
 * D1.10.1 preferred return address is the trapping instruction). */
static void skip_instruction(struct arch_regs *f, uint64_t esr)
{
	f->elr += (esr & ESR_IL) ? 4 : 2;
}

static uint64_t fault_ipa(void)
{
	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]; the page offset
	 * comes from FAR_EL2 (D13.2.55). */
	return (read_sysreg(hpfar_el2) & 0x00000ffffffffff0ull) << 8 |
	       (read_sysreg(far_el2) & 0xfff);
}

static void data_abort(struct vcpu *v, struct arch_regs *f, uint64_t esr)
{
	uint64_t ipa = fault_ipa();

	if (arch_dabt_forward(v, f, esr, ipa))
		return;
	vm_fault(v, "stage-2 %s abort at IPA %lx (pc %lx, DFSC 0x%02lx)",
		   (esr & ESR_DABT_WNR) ? "write" : "read", ipa, f->elr,
		   ESR_ABT_DFSC(esr));
}

struct arch_regs *arch_lower_slow(struct arch_regs *f)
{
	struct cpu *cpu = (struct cpu *)read_sysreg(tpidr_el2);
	/* A trapped MSR/MRS is emulated here, not in arch_lower_sync(): only
	 * now does the frame hold x19..x29, which Rt may name (the fast return
	 * would leave the live registers in place and lose the result). ESR_EL2
	 * still describes this exception: EL2 runs with IRQs masked. A data
	 * abort in an emulated region is decoded here for the same reason. */
	uint64_t esr = read_sysreg(esr_el2);

	if (cpu->slow_dabt) {
		uint64_t dabt = cpu->slow_dabt;

		cpu->slow_dabt = 0;
		data_abort((struct vcpu *)(void *)f, f, dabt);
		return sched_exit_and_switch();
	}

	if (ESR_EC(esr) == EC_SYSREG && sysreg_trap((struct vcpu *)(void *)f, f, esr))
		return f; /* emulated: the same vCPU continues */
	return sched_exit_and_switch();
}

bool arch_lower_sync(struct arch_regs *f)
{
	uint64_t esr = read_sysreg(esr_el2);
	/* The frame of a lower-EL exception is the running vCPU's registers,
	 * the first member of its struct vcpu. */
	struct vcpu *v = (struct vcpu *)(void *)f;

	((struct cpu *)read_sysreg(tpidr_el2))->el2_entries++;

	switch (ESR_EC(esr)) {
	case EC_HVC64: {
		uint32_t imm = (uint32_t)(esr & 0xffff);

		/* `hvc #0` never comes here: the vectors send it to vm_hypercall(). */
		if (imm == CLOISON_HVC_EL1_FAULT) {
			uint64_t e1, elr1, far1;

			arch_vcpu_el1_fault_state(&v->arch, &e1, &elr1, &far1);
			vm_fault(v, "EL1 exception: %s (ESR_EL1 %lx) at %lx, FAR %lx",
				   arch_esr_describe(e1), e1, elr1, far1);
			break;
		}
		if (guest_forward_call(v, CLOISON_VMM_EXIT_HVC, imm))
			break;
		vm_fault(v, "unknown hypercall: hvc #%u at %lx", imm, f->elr - 4);
		break;
	}
	case EC_SMC64:
		skip_instruction(f, esr);
		if (guest_forward_call(v, CLOISON_VMM_EXIT_SMC, esr & 0xffff))
			break;
		psci_handle(v, f);
		break;
	case EC_WFX:
		skip_instruction(f, esr);
		if (esr & ESR_WFX_TI_WFE)
			sched_yield_vcpu(v);
		else
			sched_wait_for_interrupt(v);
		break;
	case EC_SYSREG:
		break; /* emulated by arch_lower_slow() with the complete frame */
	case EC_DABT_LOW:
		/* Decoded in arch_lower_slow(): a store may name x19..x29, which
		 * the frame holds only there. */
		((struct cpu *)read_sysreg(tpidr_el2))->slow_dabt = esr;
		break;
	case EC_IABT_LOW:
		vm_fault(v, "stage-2 instruction abort at IPA %lx (pc %lx)",
			   fault_ipa(), f->elr);
		break;
	default:
		vm_fault(v, "unexpected trap EC 0x%02lx (ESR %lx) at %lx",
			   ESR_EC(esr), esr, f->elr);
		break;
	}
	return true; /* schedule (arch_lower_slow) */
}

const char *arch_esr_describe(uint64_t esr)
{
	switch (ESR_EC(esr)) {
	case EC_UNKNOWN:
		return "undefined instruction";
	case 0x07:
		return "FP/SIMD access trapped";
	case 0x15:
		return "SVC";
	case EC_SYSREG:
		return "trapped system register access";
	case 0x21:
		return "instruction abort at EL1";
	case 0x22:
		return "PC alignment fault";
	case 0x25:
		return (ESR_ABT_DFSC(esr) == 0x21) ? "alignment fault"
						   : "data abort at EL1";
	case 0x26:
		return "SP alignment fault";
	case 0x3c:
		return "BRK instruction";
	default:
		return "exception";
	}
}
