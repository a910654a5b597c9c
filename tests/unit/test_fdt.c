/* SPDX-License-Identifier: MIT */
/*
 * Device-tree parsing against a real tree: the fixture is dumped at build
 * time by qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,
 * dumpdtb=FILE (path in $CLOISON_DTB_FIXTURE). Then every truncation and
 * single-byte corruption of it must be rejected or parsed without reading
 * outside the blob (this test is built with AddressSanitizer).
 */
#include <cloison/fdt.h>
#include <cloison/platform.h>
#include <cloison/print.h>

#include <stdlib.h>

#include "harness.h"

static uint8_t *dtb;
static size_t dtb_size;

static void load_fixture(void)
{
	const char *path = getenv("CLOISON_DTB_FIXTURE");
	FILE *f;

	if (dtb)
		return;
	if (!path) {
		fprintf(stderr, "CLOISON_DTB_FIXTURE not set\n");
		exit(2);
	}
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	dtb_size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	dtb = malloc(dtb_size);
	if (!dtb || fread(dtb, 1, dtb_size, f) != dtb_size)
		exit(2);
	fclose(f);
	/* QEMU pads the blob to 1 MiB; keep only up to the end of the strings
	 * block (the last block) so the exhaustive loops below stay fast. */
	if (dtb_size >= 40) {
		uint32_t end = fdt_be32(dtb + 12) + fdt_be32(dtb + 32);

		if (end <= dtb_size && end >= 40) {
			dtb_size = end;
			dtb[4] = (uint8_t)(end >> 24);
			dtb[5] = (uint8_t)(end >> 16);
			dtb[6] = (uint8_t)(end >> 8);
			dtb[7] = (uint8_t)end;
		}
	}
}

/* A heap copy of exactly `size` bytes so ASan catches any overread. */
static uint8_t *copy_of(size_t size)
{
	uint8_t *b = malloc(size ? size : 1);

	memcpy(b, dtb, size < dtb_size ? size : dtb_size);
	return b;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

TEST(fdt_real_qemu_virt_tree)
{
	struct platform p;
	const char *why = NULL;

	load_fixture();
	ASSERT(platform_from_fdt(&p, dtb, dtb_size, &why));
	EXPECT_EQ(p.ram.base, 0x40000000);
	EXPECT_EQ(p.ram.size, 512ull << 20);
	EXPECT_EQ(p.uart.base, 0x09000000);
	EXPECT_EQ(p.uart.size, 0x1000);
	EXPECT_EQ(p.uart_intid, 33); /* SPI 1 */
	EXPECT_EQ(p.gicd.base, 0x08000000);
	EXPECT_EQ(p.gicd.size, 0x10000);
	EXPECT_EQ(p.gicr.base, 0x080a0000);
	EXPECT_EQ(p.timer_hyp_intid, 26);
	EXPECT_EQ(p.timer_virt_intid, 27);
	EXPECT(p.has_psci);
	EXPECT(p.psci_smc);
	ASSERT_EQ(p.n_virtio, 32);
	/* Each transport i sits at 0x0a000000 + 0x200 i on SPI 16 + i. */
	for (unsigned i = 0; i < p.n_virtio; i++) {
		uint64_t slot = (p.virtio[i].reg.base - 0x0a000000) / 0x200;

		EXPECT_EQ(p.virtio[i].reg.base, 0x0a000000 + 0x200 * slot);
		EXPECT_EQ(p.virtio[i].reg.size, 0x200);
		EXPECT_EQ(p.virtio[i].intid, 48 + slot);
	}
	EXPECT_STREQ(p.bootargs, "");
}

TEST(fdt_rejects_every_truncation)
{
	struct platform p;
	const char *why;

	load_fixture();
	for (size_t n = 0; n < dtb_size; n++) {
		uint8_t *b = copy_of(n);

		why = NULL;
		EXPECT(!platform_from_fdt(&p, b, n, &why));
		EXPECT(why != NULL);
		free(b);
	}
}

TEST(fdt_truncation_reasons)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;

	load_fixture();
	b = copy_of(dtb_size);
	EXPECT(!platform_from_fdt(&p, b, 39, &why));
	EXPECT_STREQ(why, "device tree truncated");
	EXPECT(!platform_from_fdt(&p, b, dtb_size - 1, &why));
	EXPECT_STREQ(why, "device tree truncated");
	free(b);
}

TEST(fdt_survives_every_single_byte_corruption)
{
	struct platform p;
	const char *why;
	unsigned rejected = 0;

	load_fixture();
	for (size_t off = 0; off < dtb_size; off++) {
		uint8_t *b = copy_of(dtb_size);

		b[off] ^= 0xff;
		why = NULL;
		if (!platform_from_fdt(&p, b, dtb_size, &why)) {
			EXPECT(why != NULL);
			rejected++;
		}
		free(b);
	}
	/* Most flips land in names/values and still parse; header and token
	 * flips must be caught. */
	EXPECT(rejected > 0);
}

TEST(fdt_bad_magic)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;

	load_fixture();
	b = copy_of(dtb_size);
	b[0] = 0;
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree has a bad magic number");
	free(b);
}

TEST(fdt_bad_version)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;

	load_fixture();
	b = copy_of(dtb_size);
	put_be32(b + 20, 15);
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree version not supported");
	free(b);
}

TEST(fdt_blocks_out_of_bounds)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;

	load_fixture();
	b = copy_of(dtb_size);
	put_be32(b + 8, (uint32_t)dtb_size); /* off_dt_struct at the very end */
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree blocks out of bounds or misaligned");
	free(b);
	b = copy_of(dtb_size);
	put_be32(b + 32, 0xfffffff0u); /* size_dt_strings huge */
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree blocks out of bounds or misaligned");
	free(b);
	b = copy_of(dtb_size);
	put_be32(b + 8, fdt_be32(b + 8) + 2); /* misaligned structure block */
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree blocks out of bounds or misaligned");
	free(b);
}

TEST(fdt_structure_without_end_token)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;
	uint32_t soff, ssize;

	load_fixture();
	b = copy_of(dtb_size);
	soff = fdt_be32(b + 8);
	ssize = fdt_be32(b + 36);
	/* Replace FDT_END (last token) with FDT_NOP: walk runs off the block. */
	ASSERT_EQ(fdt_be32(b + soff + ssize - 4), 9);
	put_be32(b + soff + ssize - 4, 4);
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree structure block malformed");
	free(b);
}

TEST(fdt_string_offset_outside_strings_block)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;
	uint32_t soff;

	load_fixture();
	b = copy_of(dtb_size);
	soff = fdt_be32(b + 8);
	/* The first property of the root node follows BEGIN_NODE "" (8 bytes):
	 * token PROP, len, nameoff. */
	ASSERT_EQ(fdt_be32(b + soff + 8), 3);
	put_be32(b + soff + 16, 0x7fffffff);
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree name or string not terminated");
	free(b);
}

TEST(fdt_property_length_past_block)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;
	uint32_t soff;

	load_fixture();
	b = copy_of(dtb_size);
	soff = fdt_be32(b + 8);
	ASSERT_EQ(fdt_be32(b + soff + 8), 3);
	put_be32(b + soff + 12, 0xfffffff0u);
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree structure block malformed");
	free(b);
}

TEST(fdt_missing_devices_named)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b;
	uint8_t *hit;

	load_fixture();
	b = copy_of(dtb_size);
	/* Rename the compatible string "arm,pl011" so no UART is found. */
	hit = memmem(b, dtb_size, "arm,pl011", 9);
	ASSERT(hit != NULL);
	hit[4] = 'X';
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree has no pl011 UART");
	free(b);
	b = copy_of(dtb_size);
	hit = memmem(b, dtb_size, "arm,gic-v3", 10);
	ASSERT(hit != NULL);
	hit[4] = 'X';
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT_STREQ(why, "device tree has no GICv3");
	free(b);
}

TEST(platform_bootargs)
{
	struct platform p;
	char v[16];

	memset(&p, 0, sizeof(p));
	strcpy(p.bootargs, "a=1 selftest=timer  long=0123456789abcdef x");
	EXPECT(platform_bootarg(&p, "selftest", v, sizeof(v)));
	EXPECT_STREQ(v, "timer");
	EXPECT(platform_bootarg(&p, "a", v, sizeof(v)));
	EXPECT_STREQ(v, "1");
	EXPECT(!platform_bootarg(&p, "long", v, sizeof(v))); /* does not fit */
	EXPECT(!platform_bootarg(&p, "x", v, sizeof(v)));
	EXPECT(!platform_bootarg(&p, "self", v, sizeof(v)));
}

TEST(print_formats)
{
	char buf[64];

	EXPECT_EQ(print_to_buf(buf, sizeof(buf), "%d %u %x %5s|%-3c|", -12, 7u,
			       0xabu, "hi", 'z'), 19);
	EXPECT_STREQ(buf, "-12 7 ab    hi|z  |");
	print_to_buf(buf, sizeof(buf), "%016lx %lu %%", 0x1234ul, 99ul);
	EXPECT_STREQ(buf, "0000000000001234 99 %");
	EXPECT_EQ(print_to_buf(buf, 4, "%s", "truncated"), 9);
	EXPECT_STREQ(buf, "tru");
	{
		/* Unknown conversions print literally (built at run time so
		 * -Wformat does not reject the test itself). */
		char fmt[4] = { '%', 'q', '\0', '\0' };

		print_to_buf(buf, sizeof(buf), fmt);
		EXPECT_STREQ(buf, "%q");
	}
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
