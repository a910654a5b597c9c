/* SPDX-License-Identifier: MIT */
/*
 * Stage-1 identity map for the domain (EL1&0 regime, 4 KiB granule,
 * 32-bit VA = the 4 GiB IPA space the hypervisor gives domains).
 *
 * Why turn the MMU on at all: with SCTLR_EL1.M = 0 every data access is
 * Device memory, where an unaligned access faults. picolibc is built for
 * normal memory (its string and stdio code does unaligned and paired
 * accesses), so it needs Normal memory. It also lets the runtime enforce,
 * inside the domain, what the image layout says: code read-only and
 * executable, everything writable not executable (and SCTLR_EL1.WXN), the
 * start-info page read-only, and a guard page under the stack, so a stack
 * overflow faults instead of silently eating the heap.
 *
 * Map (VA = IPA):
 *   0 .. 1 GiB      Device-nGnRE, RW, never executable (MMIO)
 *   1 .. 2 GiB      Normal write-back: the domain's RAM page by page
 *                   where permissions differ (first and last 2 MiB),
 *                   2 MiB blocks elsewhere; RW, XN
 *   2 .. 4 GiB      Normal write-back, RW, XN (frames and channels the
 *                   domain maps there with memory_map)
 * Stage 2 still decides what exists: an IPA the hypervisor has not mapped
 * faults to EL2 whatever stage 1 says.
 *
 * Descriptor formats: Arm ARM D8.3 (VMSAv8-64 translation table format).
 */
#include "internal.h"

#define ENTRIES 512u
#define L1_SHIFT 30
#define L2_SHIFT 21
#define L2_SIZE (1ull << L2_SHIFT)

#define DESC_BLOCK 0x1ull      /* L1/L2 block */
#define DESC_TABLE 0x3ull      /* L1/L2 table */
#define DESC_PAGE 0x3ull       /* L3 page */
#define ATTR_DEVICE (0ull << 2) /* AttrIndx 0: MAIR Attr0 */
#define ATTR_NORMAL (1ull << 2) /* AttrIndx 1: MAIR Attr1 */
#define AP_RO (2ull << 6)       /* AP[2:1] = 10: EL1 read-only, EL0 none */
#define SH_INNER (3ull << 8)
#define AF (1ull << 10)
#define PXN (1ull << 53)
#define UXN (1ull << 54)

/* MAIR_EL1 (D17.2.97): Attr0 Device-nGnRE, Attr1 Normal inner/outer
 * write-back non-transient, read/write-allocate. */
#define MAIR_VALUE (0x04ull | (0xffull << 8))
/* TCR_EL1 (D17.2.131): T0SZ = 32 (4 GiB, walk starts at level 1),
 * IRGN0/ORGN0 = WB-WA, SH0 = inner, TG0 = 4 KiB; EPD1: no TTBR1 walks
 * (TG1 = 4 KiB so the field holds a valid value); IPS = 32 bits. */
#define TCR_VALUE (32ull | (1ull << 8) | (1ull << 10) | (3ull << 12) | \
		   (1ull << 23) | (2ull << 30))
/* SCTLR_EL1 (D17.2.118). */
#define SCTLR_M (1ull << 0)
#define SCTLR_A (1ull << 1)
#define SCTLR_C (1ull << 2)
#define SCTLR_I (1ull << 12)
#define SCTLR_WXN (1ull << 19)

#define NORMAL_RW (ATTR_NORMAL | SH_INNER | AF | PXN | UXN)
#define DEVICE_RW (ATTR_DEVICE | AF | PXN | UXN)

static uint64_t l1[ENTRIES] __attribute__((aligned(4096)));
static uint64_t l2[ENTRIES] __attribute__((aligned(4096)));
static uint64_t l3_low[ENTRIES] __attribute__((aligned(4096)));
static uint64_t l3_high[ENTRIES] __attribute__((aligned(4096)));

/* Attributes of one 4 KiB page of RAM (without the address). */
static uint64_t page_attrs(const struct runtime_layout *l, uintptr_t a)
{
	if (a < l->text_end)
		return ATTR_NORMAL | SH_INNER | AF | AP_RO | UXN; /* code */
	if (a < l->ro_end)
		return NORMAL_RW | AP_RO;
	if (a == l->guard)
		return 0; /* invalid: a stack overflow faults here */
	if (a == l->start_info)
		return NORMAL_RW | AP_RO;
	return NORMAL_RW;
}

static void fill_l3(uint64_t *t, const struct runtime_layout *l, uintptr_t base)
{
	for (unsigned i = 0; i < ENTRIES; i++) {
		uintptr_t a = base + (uintptr_t)i * RUNTIME_PAGE;
		uint64_t attrs = page_attrs(l, a);

		t[i] = attrs ? (uint64_t)a | attrs | DESC_PAGE : 0;
	}
}

/* Clean and invalidate the tables to the point of coherency: they were
 * written with the MMU off (non-cacheable), and the walks that follow are
 * cacheable (TCR IRGN/ORGN). QEMU models no caches; hardware would. */
static void clean_tables(void)
{
	const uint64_t *tables[] = { l1, l2, l3_low, l3_high };

	for (unsigned t = 0; t < 4; t++)
		for (unsigned off = 0; off < ENTRIES * 8; off += 64)
			__asm__ volatile("dc civac, %0"
					 : : "r"((uintptr_t)tables[t] + off) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

void mmu_enable(const struct runtime_layout *l)
{
	uintptr_t first = l->ram_start & ~(uintptr_t)(L2_SIZE - 1);
	uintptr_t last = (l->ram_end - 1) & ~(uintptr_t)(L2_SIZE - 1);
	uint64_t sctlr;

	l1[0] = 0x00000000ull | DEVICE_RW | DESC_BLOCK;
	l1[1] = (uint64_t)(uintptr_t)l2 | DESC_TABLE;
	l1[2] = (2ull << L1_SHIFT) | NORMAL_RW | DESC_BLOCK;
	l1[3] = (3ull << L1_SHIFT) | NORMAL_RW | DESC_BLOCK;
	for (unsigned i = 0; i < ENTRIES; i++)
		l2[i] = ((1ull << L1_SHIFT) + ((uint64_t)i << L2_SHIFT)) | NORMAL_RW | DESC_BLOCK;
	/* The first 2 MiB hold the image (code, read-only data) and the last
	 * the stack guard and the start-info page: those go page by page. */
	fill_l3(l3_low, l, first);
	l2[(first >> L2_SHIFT) % ENTRIES] = (uint64_t)(uintptr_t)l3_low | DESC_TABLE;
	if (last != first) {
		fill_l3(l3_high, l, last);
		l2[(last >> L2_SHIFT) % ENTRIES] = (uint64_t)(uintptr_t)l3_high | DESC_TABLE;
	}
	/* The guard page may sit in a 2 MiB block in the middle of a large
	 * RAM only if the stack does not fit in the last 2 MiB; it does
	 * (RUNTIME_STACK_SIZE < 2 MiB), so the guard is always in l3_high
	 * or, for a 2 MiB domain, l3_low. */
	_Static_assert(RUNTIME_STACK_SIZE + 2 * RUNTIME_PAGE < L2_SIZE, "stack fits one L3 table");
	clean_tables();

	__asm__ volatile("msr mair_el1, %0" : : "r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" : : "r"(TCR_VALUE));
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)l1));
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN;
	sctlr &= ~SCTLR_A; /* Normal memory: unaligned accesses allowed */
	__asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr) : "memory");
}
