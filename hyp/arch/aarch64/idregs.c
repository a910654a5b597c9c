/* SPDX-License-Identifier: MIT */
/*
 * ID group 3 (HCR_EL2.TID3): the AArch64 and AArch32 feature registers,
 * Op0 3, Op1 0, CRn 0, CRm 1..7. They are trapped only so the hypervisor
 * can tell domains there is no PMU (debugpmu.c): each read returns the
 * hardware value, with the debug feature registers sanitised.
 *
 * Every encoding of that block may be read at EL2: the ones the CPU does not
 * implement are reserved RAZ, not UNDEFINED (Arm ARM D12.3, the encodings of
 * non-debug System registers: the ID register block). System registers
 * cannot be indexed at run time, hence one MRS per encoding.
 */
#include "sysreg.h"
#include "sysreg_trap.h"

#define ID_CASE(crm, op2)                                            \
	case (crm) * 8 + (op2):                                      \
		return read_sysreg(S3_0_C0_C##crm##_##op2);
#define ID_ROW(crm)                                                  \
	ID_CASE(crm, 0) ID_CASE(crm, 1) ID_CASE(crm, 2) ID_CASE(crm, 3) \
	ID_CASE(crm, 4) ID_CASE(crm, 5) ID_CASE(crm, 6) ID_CASE(crm, 7)

static uint64_t id_read(uint32_t crm, uint32_t op2)
{
	switch (crm * 8 + op2) {
		ID_ROW(1) ID_ROW(2) ID_ROW(3) ID_ROW(4) ID_ROW(5) ID_ROW(6) ID_ROW(7)
	}
	return 0;
}

#define ID_DFR0_EL1 SYSREG_ENC(3, 0, 0, 1, 2)
#define ID_AA64DFR0_EL1 SYSREG_ENC(3, 0, 0, 5, 0)

enum sysreg_result idregs_access(const struct sysreg_access *a, uint64_t *val)
{
	if (a->op0 != 3 || a->op1 != 0 || a->crn != 0 || a->crm < 1 || a->crm > 7 ||
	    !a->read)
		return SYSREG_UNKNOWN; /* writes to ID registers: UNDEFINED at EL1 */
	*val = id_read(a->crm, a->op2);
	if (a->enc == ID_AA64DFR0_EL1)
		*val = debugpmu_id_aa64dfr0(*val);
	else if (a->enc == ID_DFR0_EL1)
		*val = debugpmu_id_dfr0(*val);
	return SYSREG_DONE;
}
