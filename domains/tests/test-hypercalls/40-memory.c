/* SPDX-License-Identifier: MIT */
/*
 * memory_map and memory_unmap: frames, the device and the channel, their
 * rights, alignment, range and overlap checks, and that a mapping really
 * reaches the memory (or the device registers) it names.
 */
#include "hc.h"

#define RD CLOISON_RIGHT_FRAME_READ
#define WR CLOISON_RIGHT_FRAME_WRITE
#define EX CLOISON_RIGHT_FRAME_EXEC
#define IPA_LIMIT (1ull << 32) /* the IPA space of a domain */

static volatile uint64_t *frame_va(void)
{
	return (volatile uint64_t *)(uintptr_t)HC_FRAME_IPA;
}

TEST(memory_map, frame)
{
	volatile uint64_t *p = frame_va();

	ASSERT_OK(cloison_memory_map(fx_frame(), HC_FRAME_IPA, RD | WR));
	/* Fresh from the pool: zero; then ours to write, both pages (512
	 * words each). */
	EXPECT(p[0] == 0 && p[511] == 0 && p[512] == 0 && p[1023] == 0);
	p[0] = 0x1234;
	p[512] = 0x9abc;
	p[1023] = 0x5678;
	EXPECT(p[0] == 0x1234 && p[512] == 0x9abc && p[1023] == 0x5678);
}

TEST(memory_map, already_mapped)
{
	EXPECT_ERR(cloison_memory_map(fx_frame(), HC_FRAME_IPA + 0x100000, RD), BAD_STATE);
}

TEST(memory_map, overlap)
{
	uint64_t ro = fx_mint(fx_frame(), RD, 0);

	ASSERT(ro != NONE);
	/* One page into the frame's two-page mapping. */
	EXPECT_ERR(cloison_memory_map(ro, HC_FRAME_IPA + RUNTIME_PAGE, RD), INVALID_ARGUMENT);
	/* Over the domain's RAM, over the channel and over the device. */
	EXPECT_ERR(cloison_memory_map(ro, si_get()->mem_ipa, RD), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_memory_map(ro, si_find("chan")->ipa, RD), INVALID_ARGUMENT);
	EXPECT_ERR(cloison_memory_map(ro, HC_VIRTIO_PA, RD), INVALID_ARGUMENT);
}

TEST(memory_map, unaligned)
{
	uint64_t ro = fx_mint(fx_frame(), RD, 0);

	ASSERT(ro != NONE);
	EXPECT_ERR(cloison_memory_map(ro, HC_FRAME_IPA + 0x100008, RD), ALIGNMENT);
	EXPECT_ERR(cloison_memory_map(ro, HC_FRAME_IPA + 0x100800, RD), ALIGNMENT);
}

TEST(memory_map, beyond_ipa_space)
{
	uint64_t ro = fx_mint(fx_frame(), RD, 0);

	ASSERT(ro != NONE);
	/* The last page fits, but the frame has two. */
	EXPECT_ERR(cloison_memory_map(ro, IPA_LIMIT - RUNTIME_PAGE, RD), OUT_OF_RANGE);
	EXPECT_ERR(cloison_memory_map(ro, IPA_LIMIT, RD), OUT_OF_RANGE);
	EXPECT_ERR(cloison_memory_map(ro, ~0ull & ~0xfffull, RD), OUT_OF_RANGE);
}

TEST(memory_map, bad_prot)
{
	uint64_t f = fx_mint(fx_frame(), RD | WR | EX, 0);

	ASSERT(f != NONE);
	EXPECT_ERR(cloison_memory_map(f, HC_FRAME_IPA + 0x100000, 0), INVALID_ARGUMENT);
	/* grant is a right, not an access. */
	EXPECT_ERR(cloison_memory_map(f, HC_FRAME_IPA + 0x100000, CLOISON_RIGHT_GRANT),
		   INVALID_ARGUMENT);
	EXPECT_ERR(cloison_memory_map(f, HC_FRAME_IPA + 0x100000, RD | (1ull << 9)),
		   INVALID_ARGUMENT);
}

TEST(memory_map, prot_beyond_rights)
{
	uint64_t ro = fx_mint(fx_frame(), RD, 0);

	ASSERT(ro != NONE);
	EXPECT_ERR(cloison_memory_map(ro, HC_FRAME_IPA + 0x100000, RD | WR), NO_RIGHTS);
	EXPECT_ERR(cloison_memory_map(ro, HC_FRAME_IPA + 0x100000, RD | EX), NO_RIGHTS);
}

TEST(memory_map, wrong_type)
{
	EXPECT_ERR(cloison_memory_map(fx_pool(), HC_FRAME_IPA + 0x100000, RD), WRONG_TYPE);
	EXPECT_ERR(cloison_memory_map(fx_note(), HC_FRAME_IPA + 0x100000, RD), WRONG_TYPE);
	EXPECT_ERR(cloison_memory_map(fx_irq(), HC_FRAME_IPA + 0x100000, RD), WRONG_TYPE);
}

/* A second cap on the same frame, mapped elsewhere read-only: the same
 * memory under two addresses. */
TEST(memory_map, alias)
{
	volatile uint64_t *alias = (volatile uint64_t *)(uintptr_t)(HC_FRAME_IPA + 0x100000);
	uint64_t ro = fx_mint(fx_frame(), RD, 0);

	ASSERT(ro != NONE);
	ASSERT_OK(cloison_memory_map(ro, HC_FRAME_IPA + 0x100000, RD));
	EXPECT(alias[0] == 0x1234 && alias[512] == 0x9abc);
	frame_va()[5] = 77;
	EXPECT(alias[5] == 77);
	EXPECT_OK(cloison_memory_unmap(ro));
}

TEST(memory_map, exec)
{
	uint64_t f = fx_mint(fx_frame(), RD | EX, 0);

	ASSERT(f != NONE);
	EXPECT_OK(cloison_memory_map(f, HC_FRAME_IPA + 0x200000, RD | EX));
	EXPECT_OK(cloison_memory_unmap(f));
}

TEST(cap_move, mapped)
{
	EXPECT_ERR(cloison_cap_move(fx_frame(), NONE, fx_slot()), BAD_STATE);
}

TEST(memory_unmap, ok)
{
	ASSERT_OK(cloison_memory_unmap(fx_frame()));
	/* Mapped again, elsewhere: the same memory, still holding what we wrote. */
	ASSERT_OK(cloison_memory_map(fx_frame(), HC_FRAME_IPA + 0x300000, RD));
	EXPECT(((volatile uint64_t *)(uintptr_t)(HC_FRAME_IPA + 0x300000))[0] == 0x1234);
	EXPECT_OK(cloison_memory_unmap(fx_frame()));
}

TEST(memory_unmap, not_mapped)
{
	EXPECT_ERR(cloison_memory_unmap(fx_frame()), BAD_STATE);
}

/* Mapping at a fresh 2 MiB region takes stage-2 table pages from the pool
 * all domains share; unmapping must give them back. The 1,024 regions of
 * the upper 2 GiB need more table pages than the whole 4 MiB pool holds.
 * A region some other mapping already uses is refused as an overlap and
 * skipped; running out of pool memory is the failure. */
TEST(memory_unmap, returns_table_pages)
{
	const uint64_t base = 0x80000000ull, region = 0x200000ull;
	uint64_t mapped = 0, no_memory = 0, other = 0;

	for (uint64_t r = 0; r < 1024; r++) {
		uint64_t err = cloison_memory_map(fx_frame(), base + r * region, RD);

		if (err == CLOISON_ERR_NO_MEMORY)
			no_memory++;
		else if (err != CLOISON_ERR_OK && err != CLOISON_ERR_INVALID_ARGUMENT)
			other++;
		else if (err == CLOISON_ERR_OK && cloison_memory_unmap(fx_frame()) == CLOISON_ERR_OK)
			mapped++;
	}
	EXPECT(no_memory == 0 && other == 0);
	EXPECT(mapped > 1000);
}

TEST(memory_unmap, wrong_type)
{
	EXPECT_ERR(cloison_memory_unmap(fx_console()), WRONG_TYPE);
	EXPECT_ERR(cloison_memory_unmap(fx_pool()), WRONG_TYPE);
}

/* Deleting a mapped cap unmaps it: the IPA is free for another mapping. */
TEST(cap_delete, unmaps)
{
	uint64_t a = fx_mint(fx_frame(), RD, 0), b = fx_mint(fx_frame(), RD, 0);

	ASSERT(a != NONE && b != NONE);
	ASSERT_OK(cloison_memory_map(a, HC_FRAME_IPA + 0x400000, RD));
	EXPECT_ERR(cloison_memory_map(b, HC_FRAME_IPA + 0x400000, RD), INVALID_ARGUMENT);
	ASSERT_OK(cloison_cap_delete(a));
	EXPECT_OK(cloison_memory_map(b, HC_FRAME_IPA + 0x400000, RD));
	EXPECT_OK(cloison_memory_unmap(b));
}

/* The device: the policy mapped its registers at boot at their physical
 * address (a virtio-mmio transport, whose first register reads "virt"). */
TEST(memory_map, device_at_boot)
{
	const struct cloison_start_info_cap *c = si_find("virtio0");

	ASSERT(c != NULL);
	EXPECT_EQ(c->ipa, HC_VIRTIO_PA);
	EXPECT_EQ(*(volatile uint32_t *)(uintptr_t)HC_VIRTIO_PA, HC_VIRTIO_MAGIC);
	EXPECT_ERR(cloison_memory_map(fx_virtio(), HC_DEVICE_IPA, RD), BAD_STATE);
}

TEST(memory_map, device_elsewhere)
{
	ASSERT_OK(cloison_memory_unmap(fx_virtio()));
	EXPECT_ERR(cloison_memory_map(fx_virtio(), HC_DEVICE_IPA, RD | EX), INVALID_ARGUMENT);
	ASSERT_OK(cloison_memory_map(fx_virtio(), HC_DEVICE_IPA, RD | WR));
	EXPECT_EQ(*(volatile uint32_t *)(uintptr_t)HC_DEVICE_IPA, HC_VIRTIO_MAGIC);
	/* Back where the other tests expect it. */
	ASSERT_OK(cloison_memory_unmap(fx_virtio()));
	EXPECT_OK(cloison_memory_map(fx_virtio(), HC_VIRTIO_PA, RD | WR));
}

/* The channel's shared page, mapped at boot where start-info says. */
TEST(memory_map, channel_at_boot)
{
	const struct cloison_start_info_cap *c = si_find("chan");

	ASSERT(c != NULL);
	EXPECT(c->ipa != ~0ull && c->size == RUNTIME_PAGE);
	EXPECT_ERR(cloison_memory_map(fx_chan(), HC_FRAME_IPA + 0x500000, RD), BAD_STATE);
	EXPECT_ERR(cloison_memory_map(fx_chan(), HC_FRAME_IPA + 0x500000, RD | EX),
		   INVALID_ARGUMENT);
}
