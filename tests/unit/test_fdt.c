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
#include <cloison/std/print.h>

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

/* The fixture with the big-endian word at byte `at` set to `value` must be
 * refused with exactly `want` (a fresh heap copy each time, under ASan). */
static void expect_refused(uint32_t at, uint32_t value, const char *want)
{
	struct platform p;
	const char *why = NULL;
	uint8_t *b = copy_of(dtb_size);

	put_be32(b + at, value);
	EXPECT(!platform_from_fdt(&p, b, dtb_size, &why));
	EXPECT(why != NULL);
	if (why)
		EXPECT_STREQ(why, want);
	free(b);
}

/* Header fields (devicetree spec 5.2) and the structure block's layout. */
#define FDT_OFF_STRUCT 8
#define FDT_SIZE_STRINGS 32
#define FDT_SIZE_STRUCT 36
#define FDT_VERSION 20
#define FDT_TOKEN_PROP 3
#define FDT_TOKEN_NOP 4
#define FDT_TOKEN_END 9

TEST(fdt_bad_magic)
{
	load_fixture();
	expect_refused(0, 0x00edfe0d, "device tree has a bad magic number");
}

TEST(fdt_bad_version)
{
	load_fixture();
	expect_refused(FDT_VERSION, 15, "device tree version not supported");
}

TEST(fdt_blocks_out_of_bounds)
{
	const char *want = "device tree blocks out of bounds or misaligned";

	load_fixture();
	/* off_dt_struct at the very end; size_dt_strings huge; a misaligned
	 * structure block. */
	expect_refused(FDT_OFF_STRUCT, (uint32_t)dtb_size, want);
	expect_refused(FDT_SIZE_STRINGS, 0xfffffff0u, want);
	expect_refused(FDT_OFF_STRUCT, fdt_be32(dtb + FDT_OFF_STRUCT) + 2, want);
}

TEST(fdt_structure_without_end_token)
{
	uint32_t last;

	load_fixture();
	last = fdt_be32(dtb + FDT_OFF_STRUCT) + fdt_be32(dtb + FDT_SIZE_STRUCT) - 4;
	/* Replace FDT_END (the last token) with FDT_NOP: the walk runs off
	 * the block. */
	ASSERT_EQ(fdt_be32(dtb + last), FDT_TOKEN_END);
	expect_refused(last, FDT_TOKEN_NOP, "device tree structure block malformed");
}

/* The first property of the root node follows BEGIN_NODE "" (8 bytes):
 * token PROP, len, nameoff. */
TEST(fdt_string_offset_outside_strings_block)
{
	uint32_t prop;

	load_fixture();
	prop = fdt_be32(dtb + FDT_OFF_STRUCT) + 8;
	ASSERT_EQ(fdt_be32(dtb + prop), FDT_TOKEN_PROP);
	expect_refused(prop + 8, 0x7fffffff, "device tree name or string not terminated");
}

TEST(fdt_property_length_past_block)
{
	uint32_t prop;

	load_fixture();
	prop = fdt_be32(dtb + FDT_OFF_STRUCT) + 8;
	ASSERT_EQ(fdt_be32(dtb + prop), FDT_TOKEN_PROP);
	expect_refused(prop + 4, 0xfffffff0u, "device tree structure block malformed");
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
