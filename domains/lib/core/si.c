/* SPDX-License-Identifier: MIT */
/*
 * Start-info lookup by name (si.h). Runs before the MMU is on in the
 * picolibc layer (console_init looks its cap up), where every access is
 * Device memory: names are compared here byte by byte, not with a C
 * library's strncmp, which may read in wider unaligned words.
 */
#include "internal.h"

/* Where a domain's first channel mapping goes (the boot contract's
 * channel_ipa_base, hyp/abi/cloison-boot.toml). */
#define CHANNEL_IPA_BASE 0x80000000ull

static const struct cloison_start_info *info;

void si_init(const struct cloison_start_info *si)
{
	info = si;
}

const struct cloison_start_info *si_get(void)
{
	return info;
}

const char *si_name(void)
{
	return info->name;
}

static uint32_t cap_count(void)
{
	/* The hypervisor fills n_caps; never trust it past the array. */
	return info->n_caps < CLOISON_START_INFO_MAX_CAPS ? info->n_caps
							  : CLOISON_START_INFO_MAX_CAPS;
}

/* Whole names only, and never past the field: a name that fills it is
 * not NUL-terminated. */
static bool name_is(const char *field, const char *name)
{
	for (uint32_t i = 0; i < CLOISON_START_INFO_NAME_LEN; i++) {
		if (field[i] != name[i])
			return false;
		if (!name[i])
			return true;
	}
	return !name[CLOISON_START_INFO_NAME_LEN];
}

const struct cloison_start_info_cap *si_find(const char *name)
{
	for (uint32_t i = 0; i < cap_count(); i++)
		if (name_is(info->caps[i].name, name))
			return &info->caps[i];
	return NULL;
}

/* The channels si_find_mapped mapped: copies of their start-info entries
 * with the IPA filled in. The page itself stays as the core wrote it (the
 * runtime with the MMU on maps it read-only). */
#define MAPPED_MAX 8u
static struct cloison_start_info_cap mapped[MAPPED_MAX];
static uint32_t n_mapped;

/* The end of the highest region mapped so far (start-info's and ours). */
static uint64_t mapped_end(void)
{
	uint64_t end = CHANNEL_IPA_BASE;

	for (uint32_t i = 0; i < cap_count(); i++)
		if (info->caps[i].ipa != ~0ull && info->caps[i].ipa + info->caps[i].size > end)
			end = info->caps[i].ipa + info->caps[i].size;
	for (uint32_t i = 0; i < n_mapped; i++)
		if (mapped[i].ipa + mapped[i].size > end)
			end = mapped[i].ipa + mapped[i].size;
	return end;
}

const struct cloison_start_info_cap *si_find_mapped(const char *name)
{
	const struct cloison_start_info_cap *c = si_find(name);
	uint64_t ipa, pa = 0, size = 0;

	if (!c || c->ipa != ~0ull || c->type != CLOISON_TYPE_CHANNEL)
		return c;
	for (uint32_t i = 0; i < n_mapped; i++)
		if (mapped[i].slot == c->slot)
			return &mapped[i];
	if (n_mapped == MAPPED_MAX)
		return c;
	/* Past every region mapped so far, on a 2 MiB boundary. */
	ipa = (mapped_end() + 0x1fffff) & ~0x1fffffull;
	if (cloison_memory_phys(c->slot, &pa, &size) != CLOISON_ERR_OK ||
	    cloison_memory_map(c->slot, ipa, CLOISON_RIGHT_CHANNEL_READ |
				   CLOISON_RIGHT_CHANNEL_WRITE) != CLOISON_ERR_OK)
		return c;
	mapped[n_mapped] = *c;
	mapped[n_mapped].ipa = ipa;
	mapped[n_mapped].size = size;
	return &mapped[n_mapped++];
}

uint64_t si_ram_pa(const volatile void *p)
{
	uint64_t ipa = (uint64_t)(uintptr_t)p;

	if (ipa < info->mem_ipa || ipa - info->mem_ipa >= info->mem_size)
		return 0;
	return info->mem_pa + (ipa - info->mem_ipa);
}

uint64_t si_cap_or_none(const char *name)
{
	const struct cloison_start_info_cap *c = si_find(name);

	return c ? c->slot : CLOISON_SLOT_NONE;
}

/* A name from the start-info page, at most its field's length. */
static void put_name(const char *s)
{
	for (uint32_t i = 0; i < CLOISON_START_INFO_NAME_LEN && s[i]; i++)
		console_putc(s[i]);
}

uint64_t si_cap(const char *name)
{
	const struct cloison_start_info_cap *c = si_find(name);

	if (!c) {
		print("runtime: domain ");
		put_name(si_name());
		print(" holds no cap named \"%s\"; its caps:", name);
		for (uint32_t i = 0; i < cap_count(); i++) {
			print(" ");
			put_name(info->caps[i].name);
		}
		print("%s\n", cap_count() ? "" : " (none)");
		runtime_panic("missing cap \"%s\" (check the system description)", name);
	}
	return c->slot;
}

uint32_t si_cspace_slots(void)
{
	uint32_t lo = 1, hi = CLOISON_CNODE_MAX_SLOTS + 1;

	/* The first slot cap_identify calls invalid, by bisection. */
	while (lo + 1 < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cloison_cap_identify(mid - 1, NULL, NULL, NULL) == CLOISON_ERR_INVALID_SLOT)
			hi = mid;
		else
			lo = mid;
	}
	return lo;
}

uint64_t si_free_slot(uint64_t after)
{
	uint64_t t, r, b;

	for (uint64_t s = after + 1;; s++) {
		uint64_t err = cloison_cap_identify(s, &t, &r, &b);

		if (err == CLOISON_ERR_EMPTY_SLOT)
			return s;
		if (err == CLOISON_ERR_INVALID_SLOT)
			return 0;
	}
}
