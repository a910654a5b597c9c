/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation (Arm ARM D8, stage 2 of the EL1&0 regime): 4 KiB
 * granule, 32-bit IPA (VTCR_EL2.T0SZ = 32), walk starting at level 1
 * (SL0 = 1), so the root is one level-1 table of which 4 entries are used.
 * Tables come from the page allocator; normal memory is mapped inner/outer
 * write-back, devices as Device-nGnRE.
 */
#include <arch/stage2.h>
#include <cloison/palloc.h>

#include "sysreg.h"
#include "sysreg_trap.h"

#define IPA_BITS 32
#define CPTR_EL2_TTA (1ull << 20)
#define PTES 512

/* Stage-2 descriptor bits (D8.3.2 / D8.4). */
#define S2_VALID (1ull << 0)
#define S2_TABLE (1ull << 1)
#define S2_MEMATTR_NORMAL_WB (0xfull << 2) /* MemAttr = 0b1111 */
#define S2_MEMATTR_DEVICE_NGNRE (0x1ull << 2)
#define S2_AP_READ (1ull << 6)
#define S2_AP_WRITE (1ull << 7)
#define S2_SH_INNER (3ull << 8)
#define S2_AF (1ull << 10)
#define S2_XN (2ull << 53) /* XN[1:0] = 0b10: not executable at EL1/EL0 */
#define S2_ADDR_MASK 0x0000fffffffff000ull

/* VTCR_EL2 (D13.2.150). */
#define VTCR_RES1 (1ull << 31)
#define VTCR_T0SZ(n) ((uint64_t)(n))
#define VTCR_SL0_L1 (1ull << 6)
#define VTCR_IRGN0_WBWA (1ull << 8)
#define VTCR_ORGN0_WBWA (1ull << 10)
#define VTCR_SH0_INNER (3ull << 12)
#define VTCR_PS_SHIFT 16

void arch_stage2_cpu_init(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	write_sysreg(vtcr_el2, VTCR_RES1 | VTCR_T0SZ(64 - IPA_BITS) |
				       VTCR_SL0_L1 | VTCR_IRGN0_WBWA |
				       VTCR_ORGN0_WBWA | VTCR_SH0_INNER |
				       (parange > 2 ? 2 : parange) << VTCR_PS_SHIFT);
	/* Domains: stage 2 on, interrupts to EL2, trap SMC, WFI and WFE,
	 * reads of the ID registers (TID3: debugpmu.c hides the PMU), AArch64
	 * EL1 (HCR_EL2, D13.2.48). */
	write_sysreg(hcr_el2, HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO |
				      HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_TSC |
				      HCR_EL2_TWI | HCR_EL2_TWE | HCR_EL2_TID3 |
				      HCR_EL2_RW);
	/* FP/SIMD not trapped (CPTR_EL2.TFP = 0; RES1 bits 13:12, 9:0); trace
	 * registers trapped (TTA, bit 20): a trace unit is shared state too,
	 * and no domain is given one (Arm ARM D13.2, CPTR_EL2). */
	write_sysreg(cptr_el2, 0x33ffull | CPTR_EL2_TTA);
	/* Debug and performance-monitor registers trapped (MDCR_EL2). */
	debugpmu_cpu_init();
	isb();
}

/*
 * A stage 2 given its own pages (arch_stage2_init_own) takes its tables from
 * them and gives them back there, never to the core's allocator: they are
 * memory of the pool its domain was built from, which goes back to that pool.
 */
static uint64_t *table_alloc(struct arch_stage2 *s2)
{
	uint64_t *p;

	if (!s2->own_base)
		return palloc_page();
	p = s2->own;
	if (!p)
		return NULL;
	s2->own = (uint64_t *)(uintptr_t)p[0];
	s2->own_free--;
	p[0] = 0; /* the rest of a page on the list is zero (table_free) */
	return p;
}

static void table_free(struct arch_stage2 *s2, uint64_t *table)
{
	if (!s2->own_base) {
		palloc_free(table);
		return;
	}
	for (unsigned i = 0; i < PTES; i++)
		table[i] = 0;
	table[0] = (uint64_t)(uintptr_t)s2->own;
	s2->own = table;
	s2->own_free++;
}

static uint64_t table_pages_free(const struct arch_stage2 *s2)
{
	return s2->own_base ? s2->own_free : palloc_free_pages();
}

static bool stage2_root(struct arch_stage2 *s2, uint16_t vmid)
{
	s2->tables = 0;
	if (s2->quota == 0)
		return false;
	s2->root = table_alloc(s2);
	if (!s2->root)
		return false;
	s2->tables = 1;
	s2->vmid = vmid;
	s2->vttbr = (uint64_t)vmid << 48 | (uint64_t)(uintptr_t)s2->root;
	return true;
}

bool arch_stage2_init(struct arch_stage2 *s2, uint16_t vmid, uint32_t quota_pages)
{
	s2->own = s2->own_base = NULL;
	s2->own_free = 0;
	s2->quota = quota_pages;
	return stage2_root(s2, vmid);
}

bool arch_stage2_init_own(struct arch_stage2 *s2, uint16_t vmid, void *pages, uint32_t n)
{
	uint64_t *page = pages;

	s2->own = NULL;
	s2->own_base = pages;
	s2->own_free = 0;
	/* The pages come zeroed (a carve): only the link word is written. */
	for (uint32_t i = n; i-- > 0;) {
		page[i * PTES] = (uint64_t)(uintptr_t)s2->own;
		s2->own = &page[i * PTES];
		s2->own_free++;
	}
	s2->quota = n;
	return stage2_root(s2, vmid);
}

static unsigned shift_of(unsigned level)
{
	return 12 + 9 * (3 - level);
}

static uint64_t leaf_attrs(uint32_t prot)
{
	uint64_t a = S2_AF;

	a |= (prot & STAGE2_DEVICE) ? S2_MEMATTR_DEVICE_NGNRE
				    : (S2_MEMATTR_NORMAL_WB | S2_SH_INNER);
	if (prot & STAGE2_READ)
		a |= S2_AP_READ;
	if (prot & STAGE2_WRITE)
		a |= S2_AP_WRITE;
	if (!(prot & STAGE2_EXEC) || (prot & STAGE2_DEVICE))
		a |= S2_XN;
	return a;
}

/* Is any page of [ipa, ipa + size) mapped below this table? */
static bool range_mapped(const uint64_t *table, unsigned level, uint64_t ipa,
			 uint64_t size)
{
	uint64_t block = 1ull << shift_of(level);

	while (size) {
		uint64_t pte = table[(ipa >> shift_of(level)) & (PTES - 1)];
		uint64_t chunk = block - (ipa & (block - 1));

		if (chunk > size)
			chunk = size;
		if (pte & S2_VALID) {
			if (level == 3 || !(pte & S2_TABLE))
				return true;
			if (range_mapped((const uint64_t *)(uintptr_t)(pte & S2_ADDR_MASK),
					 level + 1, ipa, chunk))
				return true;
		}
		ipa += chunk;
		size -= chunk;
	}
	return false;
}

static enum stage2_error map_level(struct arch_stage2 *s2, uint64_t *table,
				   unsigned level, uint64_t ipa, uint64_t pa,
				   uint64_t size, uint64_t attrs)
{
	uint64_t block = 1ull << shift_of(level);

	while (size) {
		uint64_t *pte = &table[(ipa >> shift_of(level)) & (PTES - 1)];
		uint64_t chunk = block - (ipa & (block - 1));

		if (chunk > size)
			chunk = size;
		/* Blocks at level 2 (2 MiB) and pages at level 3. */
		if (level == 3 || (level == 2 && chunk == block &&
				   IS_ALIGNED(pa, block))) {
			*pte = pa | attrs | S2_VALID | (level == 3 ? S2_TABLE : 0);
		} else {
			enum stage2_error err;

			if (!(*pte & S2_VALID)) {
				uint64_t *next = s2->tables < s2->quota ? table_alloc(s2) : NULL;

				if (!next)
					return STAGE2_ERR_NOMEM;
				s2->tables++;
				*pte = (uint64_t)(uintptr_t)next | S2_TABLE | S2_VALID;
			}
			err = map_level(s2, (uint64_t *)(uintptr_t)(*pte & S2_ADDR_MASK),
					level + 1, ipa, pa, chunk, attrs);
			if (err)
				return err;
		}
		ipa += chunk;
		pa += chunk;
		size -= chunk;
	}
	return STAGE2_OK;
}

static enum stage2_error check_range(uint64_t ipa, uint64_t size)
{
	if (size == 0 || !IS_ALIGNED(ipa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return STAGE2_ERR_ALIGN;
	if (ipa >= STAGE2_IPA_LIMIT || size > STAGE2_IPA_LIMIT - ipa)
		return STAGE2_ERR_RANGE;
	return STAGE2_OK;
}

/*
 * Exactly how many new tables mapping [ipa, ipa + size) -> pa needs, from
 * what is there already (the range is known unmapped): a level-2 table for
 * each GiB whose level-1 entry is empty, and a level-3 table for each 2 MiB
 * that cannot be one block (partly covered, or pa not 2 MiB aligned there)
 * and has none yet. One step per 2 MiB of the range.
 */
static uint64_t tables_needed(const struct arch_stage2 *s2, uint64_t ipa, uint64_t pa,
			      uint64_t size)
{
	uint64_t n = 0;

	while (size) {
		uint64_t l1e = s2->root[(ipa >> shift_of(1)) & (PTES - 1)];
		const uint64_t *l2 = (l1e & S2_VALID)
					     ? (const uint64_t *)(uintptr_t)(l1e & S2_ADDR_MASK)
					     : NULL;
		uint64_t gib_left = (1ull << 30) - (ipa & ((1ull << 30) - 1));
		uint64_t in_gib = gib_left < size ? gib_left : size;

		if (!l2)
			n++;
		while (in_gib) {
			uint64_t blk = 1ull << shift_of(2);
			uint64_t chunk = blk - (ipa & (blk - 1));

			if (chunk > in_gib)
				chunk = in_gib;
			if ((chunk != blk || !IS_ALIGNED(pa, blk)) &&
			    (!l2 || !(l2[(ipa >> shift_of(2)) & (PTES - 1)] & S2_VALID)))
				n++;
			ipa += chunk;
			pa += chunk;
			size -= chunk;
			in_gib -= chunk;
		}
	}
	return n;
}

enum stage2_error arch_stage2_check_map(const struct arch_stage2 *s2,
					uint64_t ipa, paddr_t pa, uint64_t size)
{
	enum stage2_error err = check_range(ipa, size);
	uint64_t tables;

	if (err)
		return err;
	if (!IS_ALIGNED(pa_addr(pa), PAGE_SIZE))
		return STAGE2_ERR_ALIGN;
	if (range_mapped(s2->root, 1, ipa, size))
		return STAGE2_ERR_OVERLAP;
	tables = tables_needed(s2, ipa, pa_addr(pa), size);
	/* The share is this domain's alone; the pool check is a backstop
	 * (the shares add up to at most the pool). */
	if (tables > s2->quota - s2->tables || table_pages_free(s2) < tables)
		return STAGE2_ERR_NOMEM;
	return STAGE2_OK;
}

enum stage2_error arch_stage2_map(struct arch_stage2 *s2, uint64_t ipa,
				  paddr_t pa, uint64_t size, uint32_t prot)
{
	/* All or nothing: refuse before changing anything. */
	enum stage2_error err = arch_stage2_check_map(s2, ipa, pa, size);

	if (err)
		return err;
	err = map_level(s2, s2->root, 1, ipa, pa_addr(pa), size, leaf_attrs(prot));
	dsb(ishst);
	return err;
}

static bool table_empty(const uint64_t *table)
{
	for (unsigned i = 0; i < PTES; i++)
		if (table[i])
			return false;
	return true;
}

static void unmap_level(struct arch_stage2 *s2, uint64_t *table, unsigned level,
			uint64_t ipa, uint64_t size)
{
	uint64_t block = 1ull << shift_of(level);

	while (size) {
		uint64_t *pte = &table[(ipa >> shift_of(level)) & (PTES - 1)];
		uint64_t chunk = block - (ipa & (block - 1));

		if (chunk > size)
			chunk = size;
		if (*pte & S2_VALID) {
			if (level == 3 || !(*pte & S2_TABLE)) {
				*pte = 0; /* callers unmap whole blocks only */
			} else {
				uint64_t *sub = (uint64_t *)(uintptr_t)(*pte & S2_ADDR_MASK);

				unmap_level(s2, sub, level + 1, ipa, chunk);
				/* A table left empty goes back to the shared pool,
				 * or map/unmap at fresh addresses would drain it for
				 * every domain. Freeing before the TLB flush is safe:
				 * no walk for this VMID runs until the unmap returns
				 * (uniprocessor, and the flush comes first). */
				if (table_empty(sub)) {
					*pte = 0;
					table_free(s2, sub);
					s2->tables--;
				}
			}
		}
		ipa += chunk;
		size -= chunk;
	}
}

static void flush_vmid(const struct arch_stage2 *s2)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	/* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2 (D8.13). */
	dsb(ishst);
	write_sysreg(vttbr_el2, s2->vttbr);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, saved);
	isb();
}

enum stage2_error arch_stage2_unmap(struct arch_stage2 *s2, uint64_t ipa,
				    uint64_t size)
{
	enum stage2_error err = check_range(ipa, size);

	if (err)
		return err;
	/* Destroyed already (its domain was reaped while caps that mapped
	 * into it were still being finalised, in chunks): every table and TLB
	 * entry went with it, nothing is left to undo. */
	if (!s2->root)
		return STAGE2_OK;
	unmap_level(s2, s2->root, 1, ipa, size);
	flush_vmid(s2);
	return STAGE2_OK;
}

static void free_tables(struct arch_stage2 *s2, uint64_t *table, unsigned level)
{
	for (unsigned i = 0; level < 3 && i < PTES; i++)
		if ((table[i] & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE))
			free_tables(s2, (uint64_t *)(uintptr_t)(table[i] & S2_ADDR_MASK),
				    level + 1);
	table_free(s2, table);
}

void arch_stage2_destroy(struct arch_stage2 *s2)
{
	if (!s2->root)
		return;
	flush_vmid(s2);
	free_tables(s2, s2->root, 1);
	s2->root = NULL;
	s2->tables = 0;
}

uint32_t arch_stage2_tables(const struct arch_stage2 *s2)
{
	return s2->tables;
}

uint32_t arch_stage2_quota(const struct arch_stage2 *s2)
{
	return s2->quota;
}
