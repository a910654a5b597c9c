/* SPDX-License-Identifier: MIT */
/*
 * Exception dispatch at EL2. Anything the core does not expect (a fault in
 * the hypervisor itself, SError, an exception from AArch32) is fatal: the
 * registers are dumped and the machine is stopped with a failure status.
 */
#include <arch/cpu.h>
#include <arch/power.h>
#include <cloison/irq.h>
#include <cloison/std/print.h>
#include <cloison/sched.h>

#include "exception.h"
#include "sysreg.h"

static const char *const vector_names[16] = {
	"sync (EL2, SP_EL0)", "IRQ (EL2, SP_EL0)", "FIQ (EL2, SP_EL0)",
	"SError (EL2, SP_EL0)", "sync (EL2)", "IRQ (EL2)", "FIQ (EL2)",
	"SError (EL2)", "sync (lower EL, AArch64)", "IRQ (lower EL, AArch64)",
	"FIQ (lower EL, AArch64)", "SError (lower EL, AArch64)",
	"sync (lower EL, AArch32)", "IRQ (lower EL, AArch32)",
	"FIQ (lower EL, AArch32)", "SError (lower EL, AArch32)",
};

static volatile bool dumping;

/* Print everything needed to debug an unexpected exception, then stop. */
NORETURN static void fatal_exception(const struct arch_regs *f, uint64_t kind)
{
	uint64_t esr = read_sysreg(esr_el2);

	if (dumping) /* faulted while dumping: stop without printing more */
		arch_power_off(false);
	dumping = true;
	print("\nPANIC: unexpected exception: %s\n", vector_names[kind & 15]);
	print("  ESR_EL2  %016lx (EC 0x%02lx, ISS 0x%07lx)\n", esr,
	      (esr >> 26) & 0x3f, esr & 0x1ffffff);
	print("  ELR_EL2  %016lx  FAR_EL2  %016lx\n", f->elr,
	      read_sysreg(far_el2));
	print("  SPSR_EL2 %016lx  HPFAR    %016lx\n", f->spsr,
	      read_sysreg(hpfar_el2));
	for (unsigned i = 0; i < 31; i += 2) {
		if (i == 30)
			print("  x30 %016lx  sp  %016lx\n", f->x[30], f->sp);
		else
			print("  x%-2u %016lx  x%-2u %016lx\n", i, f->x[i],
			      i + 1, f->x[i + 1]);
	}
	arch_power_off(false);
}

struct arch_regs *arch_exception_entry(struct arch_regs *f, uint64_t kind)
{
	arch_cpu_current()->el2_entries++;
	switch (kind) {
	case VEC_CUR_SPX_IRQ:
		/* The hypervisor itself was interrupted (idle in WFI). */
		irq_handle();
		return f;
	case VEC_LOWER64_IRQ:
		irq_handle();
		return sched_exit_and_switch();
	case VEC_LOWER64_SYNC:
		/* Taken by lower_sync in vectors.S, never through here. */
		fatal_exception(f, kind);
	default:
		/* SError or FIQ from a domain, AArch32 at EL1, or anything
		 * from EL2 itself other than an IRQ: not survivable. */
		fatal_exception(f, kind);
	}
}
