/* SPDX-License-Identifier: MIT */
/* The register frame vectors.S saves on every exception taken to EL2. */
#ifndef AARCH64_EXCEPTION_H
#define AARCH64_EXCEPTION_H

#define FRAME_X(n) ((n) * 8)
#define FRAME_ELR (31 * 8)
#define FRAME_SPSR (32 * 8)
#define FRAME_SP (33 * 8)
#define FRAME_SIZE (34 * 8)
#define CPU_CURRENT_REGS 0 /* offsetof(struct cpu, current_regs) */
/* offsetof(struct cpu, el2_entries); hypercalls is the next word, so the
 * vectors count a hypercall with one load pair and one store pair. */
#define CPU_EL2_ENTRIES 32

/* ESR_EL2 of `hvc #0` from AArch64: EC 0x16, IL 1, ISS = the immediate 0
 * (Arm ARM D13.2.39; ISS[24:16] are RES0 for HVC). The vectors compare the
 * whole register with it to take the hypercall path without decoding. */
#define ESR_EL2_HVC64_IMM0 0x5a000000

/* Vector kinds: group * 4 + type (Arm ARM D1.10.2, vector table offsets). */
#define VEC_CUR_SP0_SYNC 0
#define VEC_CUR_SPX_SYNC 4
#define VEC_CUR_SPX_IRQ 5
#define VEC_LOWER64_SYNC 8
#define VEC_LOWER64_IRQ 9

#ifndef __ASSEMBLER__
#include <arch/cpu.h>
#include <arch/types.h>
#include <stddef.h>

_Static_assert(sizeof(struct arch_regs) == FRAME_SIZE, "frame layout");

struct vcpu;
/* dabt.c: forward a data abort at ipa in one of the guest's emulated
 * regions to its VMM (or stop the guest if it cannot be decoded); false
 * when ipa is not emulated for this domain. */
bool arch_dabt_forward(struct vcpu *v, struct arch_regs *f, uint64_t esr,
		       uint64_t ipa);
_Static_assert(offsetof(struct arch_regs, elr) == FRAME_ELR, "frame layout");
_Static_assert(offsetof(struct arch_regs, spsr) == FRAME_SPSR && FRAME_SPSR == FRAME_ELR + 8,
	       "frame layout: exc_return loads ELR and SPSR as a pair");
_Static_assert(FRAME_SIZE % 16 == 0, "SP must stay 16-byte aligned");
_Static_assert(offsetof(struct cpu, current_regs) == CPU_CURRENT_REGS,
	       "vectors.S finds the vCPU registers at offset 0");
_Static_assert(offsetof(struct cpu, el2_entries) == CPU_EL2_ENTRIES &&
		       offsetof(struct cpu, hypercalls) == CPU_EL2_ENTRIES + 8,
	       "vectors.S counts a hypercall in two adjacent words");

/* Returns the register frame to restore: the same one, or (after a lower-EL
 * exception) the registers of whichever vCPU runs next. */
struct arch_regs *arch_exception_entry(struct arch_regs *f, uint64_t kind);

/*
 * Lower-EL synchronous exception (trap.c), in two steps: arch_lower_sync()
 * handles the trap with only the caller-saved registers in the frame and
 * returns false if the same vCPU continues; otherwise the vectors complete the
 * frame and arch_lower_slow() schedules (or, for a trapped MSR/MRS, which
 * needs the complete frame, emulates it), returning the frame to restore.
 */
bool arch_lower_sync(struct arch_regs *f);
/* `hvc #0`, recognised by the vectors, goes to the core's vm_hypercall()
 * (<cloison/vm.h>) with the same contract: the frame is the vCPU. */
struct arch_regs *arch_lower_slow(struct arch_regs *f);
#endif

#endif
