/* SPDX-License-Identifier: MIT */
/*
 * The EL2 stage-1 identity map (Arm ARM D8, VMSAv8-64 translation): 4 KiB
 * granule, 39-bit VA (TCR_EL2.T0SZ = 25) so the walk starts at level 1.
 * Hypervisor text is read-only executable, rodata read-only, data and the
 * rest of RAM read-write never-executable (SCTLR_EL2.WXN enforces W^X), and
 * only the devices the core uses are mapped, as Device-nGnRE.
 */
#include <arch/mmu.h>
#include <cloison/platform.h>
#include <cloison/std/string.h>

#include "sysreg.h"

#define MMU_MAX_TABLES 32
#define PTES_PER_TABLE 512
#define VA_BITS 39

/* Descriptor bits (Arm ARM D8.3). */
#define DESC_VALID (1ull << 0)
#define DESC_TABLE (1ull << 1) /* table at L1/L2, page at L3 */
#define DESC_ATTR(i) ((uint64_t)(i) << 2)
#define DESC_AP_RES1 (1ull << 6) /* AP[1] is RES1 in the EL2 regime */
#define DESC_AP_RO (1ull << 7)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
#define DESC_XN (1ull << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000ull

/* MAIR_EL2 slots. */
#define MAIR_DEVICE_NGNRE 0x04ull
#define MAIR_NORMAL_WB 0xffull
#define ATTR_DEVICE 0
#define ATTR_NORMAL 1

#define PROT_DEVICE (DESC_ATTR(ATTR_DEVICE) | DESC_AP_RES1 | DESC_AF | DESC_XN)
#define PROT_RX (DESC_ATTR(ATTR_NORMAL) | DESC_AP_RES1 | DESC_AP_RO | \
		 DESC_SH_INNER | DESC_AF)
#define PROT_RO (PROT_RX | DESC_XN)
#define PROT_RW (DESC_ATTR(ATTR_NORMAL) | DESC_AP_RES1 | DESC_SH_INNER | \
		 DESC_AF | DESC_XN)

/* TCR_EL2 (non-VHE) fields. */
#define TCR_RES1 ((1ull << 31) | (1ull << 23))
#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_SH0_INNER (3ull << 12)
#define TCR_PS_SHIFT 16

/* SCTLR_EL2 (non-VHE): RES1 bits, then M, C, SA, I, WXN. */
#define SCTLR_RES1 0x30c50830ull
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_SA (1ull << 3)
#define SCTLR_I (1ull << 12)
#define SCTLR_WXN (1ull << 19)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];

static uint64_t tables[MMU_MAX_TABLES][PTES_PER_TABLE]
	__attribute__((aligned(4096)));
static unsigned tables_used;
static const char *map_error;

static uint64_t *table_alloc(void)
{
	if (tables_used == MMU_MAX_TABLES) {
		map_error = "EL2 page-table pool exhausted";
		return NULL;
	}
	return tables[tables_used++];
}

static unsigned level_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

/* Map [va, va + size) to pa at and below `level` with the largest blocks the
 * alignment allows (1 GiB at L1, 2 MiB at L2, 4 KiB at L3). */
static bool map_level(uint64_t *table, unsigned level, uint64_t va,
		      uint64_t pa, uint64_t size, uint64_t prot)
{
	uint64_t block = 1ull << level_shift(level);

	while (size) {
		unsigned idx = (unsigned)((va >> level_shift(level)) & 511);
		uint64_t chunk = block - (va & (block - 1));
		uint64_t *pte = &table[idx];

		if (chunk > size)
			chunk = size;
		if (level == 3 || (level >= 1 && chunk == block &&
				   IS_ALIGNED(pa, block))) {
			if (*pte & DESC_VALID) {
				map_error = "EL2 mapping overlaps an existing one";
				return false;
			}
			*pte = pa | prot | DESC_VALID | (level == 3 ? DESC_TABLE : 0);
		} else {
			uint64_t *next;

			if (!(*pte & DESC_VALID)) {
				next = table_alloc();
				if (!next)
					return false;
				*pte = (uint64_t)(uintptr_t)next | DESC_TABLE |
				       DESC_VALID;
			} else if (!(*pte & DESC_TABLE)) {
				map_error = "EL2 mapping splits a block";
				return false;
			}
			next = (uint64_t *)(uintptr_t)(*pte & DESC_ADDR_MASK);
			if (!map_level(next, level + 1, va, pa, chunk, prot))
				return false;
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return true;
}

static bool map(uint64_t *root, uint64_t start, uint64_t end, uint64_t prot)
{
	if (end <= start)
		return true;
	if (end > (1ull << VA_BITS)) {
		map_error = "EL2 mapping beyond the 39-bit address space";
		return false;
	}
	return map_level(root, 1, start, start, end - start, prot);
}

static bool map_device(uint64_t *root, const struct platform_region *r)
{
	uint64_t start = r->base & ~(PAGE_SIZE - 1);

	return map(root, start, ALIGN_UP(r->base + r->size, PAGE_SIZE), PROT_DEVICE);
}

bool arch_mmu_init(const struct platform *plat, const char **why)
{
	uint64_t text = (uint64_t)(uintptr_t)__text_start;
	uint64_t text_end = (uint64_t)(uintptr_t)__text_end;
	uint64_t ro = (uint64_t)(uintptr_t)__rodata_start;
	uint64_t ro_end = (uint64_t)(uintptr_t)__rodata_end;
	uint64_t data = (uint64_t)(uintptr_t)__data_start;
	uint64_t data_end = (uint64_t)(uintptr_t)__data_end;
	uint64_t ram = plat->ram.base, ram_end = plat->ram.base + plat->ram.size;
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	uint64_t *root = table_alloc();
	bool ok;

	if (text < ram || data_end > ram_end) {
		*why = "hypervisor image is not inside RAM";
		return false;
	}
	ok = root && map(root, ram, text, PROT_RW) &&
	     map(root, text, text_end, PROT_RX) &&
	     map(root, ro, ro_end, PROT_RO) &&
	     map(root, data, data_end, PROT_RW) &&
	     map(root, data_end, ram_end, PROT_RW) &&
	     map_device(root, &plat->uart) && map_device(root, &plat->gicd) &&
	     map_device(root, &plat->gicr);
	if (!ok) {
		*why = map_error;
		return false;
	}

	write_sysreg(mair_el2, MAIR_DEVICE_NGNRE << (8 * ATTR_DEVICE) |
				       MAIR_NORMAL_WB << (8 * ATTR_NORMAL));
	write_sysreg(tcr_el2, TCR_RES1 | TCR_T0SZ(64 - VA_BITS) |
				      TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
				      TCR_SH0_INNER |
				      (parange > 5 ? 5 : parange) << TCR_PS_SHIFT);
	write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)root);
	dsb(ish);
	__asm__ volatile("tlbi alle2" ::: "memory");
	__asm__ volatile("ic iallu" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(sctlr_el2, SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA |
					SCTLR_I | SCTLR_WXN);
	isb();
	return true;
}
