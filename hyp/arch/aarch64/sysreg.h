/* SPDX-License-Identifier: MIT */
/* System-register access for EL2 code. */
#ifndef AARCH64_SYSREG_H
#define AARCH64_SYSREG_H

#include <stdint.h>

#define read_sysreg(reg)                                              \
	({                                                            \
		uint64_t sysreg_v_;                                   \
		__asm__ volatile("mrs %0, " #reg : "=r"(sysreg_v_)); \
		sysreg_v_;                                            \
	})

#define write_sysreg(reg, v)                                              \
	do {                                                              \
		uint64_t sysreg_w_ = (uint64_t)(v);                       \
		__asm__ volatile("msr " #reg ", %0" : : "r"(sysreg_w_)); \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")

/* HCR_EL2 bits (Arm ARM D13.2.48). */
#define HCR_EL2_VM (1ull << 0)
#define HCR_EL2_SWIO (1ull << 1)
#define HCR_EL2_FMO (1ull << 3)
#define HCR_EL2_IMO (1ull << 4)
#define HCR_EL2_AMO (1ull << 5)
#define HCR_EL2_TWI (1ull << 13)
#define HCR_EL2_TWE (1ull << 14)
#define HCR_EL2_TID3 (1ull << 18)
#define HCR_EL2_TSC (1ull << 19)
#define HCR_EL2_RW (1ull << 31)

/* GICv3 CPU interface registers by encoding (Arm GIC v3/v4 spec, 12.2). */
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

/* Expand a macro name to its encoding before stringizing. */
#define read_sysreg_e(reg) read_sysreg_x(reg)
#define read_sysreg_x(reg) read_sysreg(reg)
#define write_sysreg_e(reg, v) write_sysreg_x(reg, v)
#define write_sysreg_x(reg, v) write_sysreg(reg, v)

#endif
