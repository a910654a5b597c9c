/* SPDX-License-Identifier: MIT */
/*
 * A guest's stage-2 data abort in one of its emulated regions, decoded for
 * its VMM. The syndrome is the ISS of ESR_EL2 for a Data Abort (Arm ARM
 * D17.2.40, "ISS encoding for an exception from a Data Abort"):
 *
 *   ISV  [24]     the fields below are valid (a single load or store of a
 *                 general register; not pair, exclusive or writeback forms)
 *   SAS  [23:22]  access size, 1 << SAS bytes
 *   SSE  [21]     the load sign-extends
 *   SRT  [20:16]  the register transferred (31 = XZR)
 *   SF   [15]     64-bit register (X), else W
 *   CM   [8]      cache maintenance, not an access
 *   S1PTW [7]     stage-2 fault on a stage-1 table walk, not an access
 *   WnR  [6]      write
 *
 * Anything that is not a plain decodable access stops the guest alone.
 */
#include <arch/vcpu.h>
#include <cloison/abi/calls.h>
#include <cloison/domain.h>
#include <cloison/vm.h>
#include <cloison/vmm.h>
#include <cloison/guest.h>

#include "exception.h"
#include "sysreg.h"

#define ISS_ISV (1ull << 24)
#define ISS_SAS(esr) (((esr) >> 22) & 3)
#define ISS_SSE (1ull << 21)
#define ISS_SRT(esr) ((uint32_t)(((esr) >> 16) & 0x1f))
#define ISS_SF (1ull << 15)
#define ISS_CM (1ull << 8)
#define ISS_S1PTW (1ull << 7)
#define ISS_WNR (1ull << 6)
#define ESR_IL (1ull << 25)

bool arch_dabt_forward(struct vcpu *v, struct arch_regs *f, uint64_t esr,
		       uint64_t ipa)
{
	struct guest_exit e = { 0 };
	uint32_t rt = ISS_SRT(esr);

	if (!v->vm->domain->vmm.served || !vmm_in_region(&v->vm->domain->vmm, ipa))
		return false;
	if (!(esr & ISS_ISV) || (esr & (ISS_CM | ISS_S1PTW)) || !(esr & ESR_IL)) {
		vm_fault(v, "emulated access the core cannot decode at IPA %lx "
			      "(pc %lx, ESR %lx)", ipa, f->elr, esr);
		return true;
	}
	e.addr = ipa;
	e.size = 1ull << ISS_SAS(esr);
	e.rt = rt;
	e.sign_extend = (esr & ISS_SSE) != 0;
	e.sf = (esr & ISS_SF) != 0;
	if (esr & ISS_WNR) {
		uint64_t val = rt == 31 ? 0 : f->x[rt];

		e.kind = CLOISON_VMM_EXIT_MMIO_WRITE;
		e.value = e.size == 8 ? val : val & ((1ull << (e.size * 8)) - 1);
	} else {
		e.kind = CLOISON_VMM_EXIT_MMIO_READ;
	}
	/* The answer completes the instruction: resume after it. */
	f->elr += 4;
	guest_forward(v, &e);
	return true;
}
