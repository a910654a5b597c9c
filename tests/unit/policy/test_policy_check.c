/* SPDX-License-Identifier: MIT */
/*
 * The boot bundle's checks (hyp/core/boot/policy_check.c) on the host: the
 * fixture bundle is accepted; then one test per refusal, each changing one
 * field of it (and re-sealing the hashes, unless the hash is what is
 * tested) and expecting POLICY_BAD with the reason. These used to be QEMU
 * boots of corrupted images (tests/system/test_loader.py keeps the boot
 * path only).
 */
#include <stdio.h>
#include <string.h>

#include <cloison/abi/boot_limits.h>
#include <cloison/abi/objects.h>

#include "fixture.h"
#include "harness.h"

static struct fx f;

static void refused(const char *expect)
{
	enum policy_status s = fx_check(&f);

	EXPECT_EQ(s, POLICY_BAD);
	if (!strstr(f.why, expect))
		harness_fail(__FILE__, __LINE__, "reason \"%s\", expected \"%s\"", f.why, expect);
}

/* A test: build the fixture, apply the change, re-seal, expect the reason. */
#define REFUSE(name, expect, ...)           \
	TEST(refuse_##name)                 \
	{                                   \
		fx_build(&f);               \
		{ __VA_ARGS__; }            \
		fx_seal(&f);                \
		refused(expect);            \
	}
/* The same without re-sealing: the hashes are what is tested. */
#define REFUSE_RAW(name, expect, ...)       \
	TEST(refuse_##name)                 \
	{                                   \
		fx_build(&f);               \
		{ __VA_ARGS__; }            \
		refused(expect);            \
	}

#define D0 (f.doms[0])
#define D1 (f.doms[1])
#define PH (*f.ph)
#define BH (*f.bh)
#define OBJ(i) (f.objs[i])
#define CAP(i) (f.caps[i])
#define SEG(i) (f.segs[i])
/* Caps of the fixture, by index. */
enum { C0_CONSOLE, C0_SYSTEM, C0_PING, C0_BLK, C0_IRQ, C0_KICK, C0_SPARE, C0_D1,
       C1_CONSOLE, C1_PING, C1_KICK, C1_D0 };

TEST(fixture_is_accepted)
{
	fx_build(&f);
	EXPECT_EQ(fx_check(&f), POLICY_OK);
	EXPECT_STREQ(f.why, "");
	EXPECT(f.view.ph == (const void *)f.ph);
	EXPECT_EQ(f.view.ph->domains.count, 2);
	EXPECT(f.view.pool_needed >= CLOISON_LIMIT_POOL_FIXED);
}

/* Nothing where the bundle must be: not an error of the bundle, the caller
 * decides (the hypervisor stops with a failure). */
TEST(no_bundle_magic)
{
	fx_build(&f);
	f.buf[0] ^= 1;
	EXPECT_EQ(fx_check(&f), POLICY_NO_BUNDLE);
	EXPECT(strstr(f.why, "no boot bundle") != NULL);
}

TEST(no_room_for_a_bundle_header)
{
	fx_build(&f);
	EXPECT_EQ(policy_check(f.buf, 64, &f.facts, &f.view, f.why), POLICY_NO_BUNDLE);
}

/* ---- the bundle header and the hashes */
REFUSE(bundle_version, "bundle version 2", BH.version = 2)
REFUSE(bundle_header_size, "header size 64", BH.header_size = 64)
REFUSE(bundle_wrong_address, "bundle built for 40260000", BH.load_addr += 0x10000)
REFUSE(bundle_larger_than_ram, "bundle does not fit in RAM", BH.total_size = FX_LEN + 1)
REFUSE(bundle_reserved, "reserved bytes are not zero", BH.reserved[5] = 1)
REFUSE(bundle_policy_outside, "bundle sections lie outside", BH.policy_size = BH.total_size)
REFUSE(bundle_policy_short, "bundle sections lie outside", BH.policy_size = 100)
REFUSE(bundle_policy_misaligned, "bundle sections lie outside", BH.policy_offset += 4)
REFUSE(bundle_images_outside, "bundle sections lie outside", BH.images_size = BH.total_size)
REFUSE(bundle_sections_overlap, "bundle sections lie outside",
       BH.images_offset = BH.policy_offset; BH.images_size = 16)
REFUSE_RAW(policy_hash_mismatch, "policy hash mismatch", D0.priority = 255)
REFUSE_RAW(policy_hash_wrong_in_header, "policy hash mismatch", BH.policy_sha256[31] ^= 1)
REFUSE_RAW(image_hash_mismatch, "domain d0: image hash mismatch",
	   f.buf[BH.images_offset + 3] ^= 0x40)
REFUSE_RAW(image_hash_wrong_in_policy, "domain d1: image hash mismatch",
	   D1.image_sha256[0] ^= 1; fx_seal_policy(&f))

/* ---- the policy header */
REFUSE(policy_magic, "policy has a bad magic number", PH.magic[0] = 'X')
REFUSE(policy_version, "policy version 9", PH.version = 9)
REFUSE(policy_header_size, "policy version 2 / sizes", PH.header_size = 191)
REFUSE(policy_total_size, "policy version 2 / sizes", PH.total_size -= 8)
REFUSE(policy_flags_no_images, "policy flags 1", PH.flags = CLOISON_POLICY_F_NO_IMAGES)
REFUSE(policy_flags_unknown, "policy flags 80", PH.flags = 0x80)
REFUSE(policy_abi_major, "policy needs ABI 9.", PH.abi_major = 9)
REFUSE(policy_abi_minor_newer, "policy needs ABI", PH.abi_minor = 0xffff)
REFUSE(policy_ram_base, "policy is for RAM", PH.ram_base = 0x80000000)
REFUSE(policy_ram_size, "policy is for RAM", PH.ram_size *= 2)
REFUSE(policy_hyp_base, "laid out for another hypervisor", PH.hyp_base = 0x40300000)
REFUSE(policy_hyp_end_past_bundle, "laid out for another hypervisor", PH.hyp_end = 0x40260000)
REFUSE(policy_hyp_end_below_base, "laid out for another hypervisor", PH.hyp_end = 0x40100000)
REFUSE(policy_bundle_base, "laid out for another hypervisor", PH.bundle_base += 0x10000)
REFUSE(policy_bundle_size, "laid out for another hypervisor", PH.bundle_size += 16)
REFUSE(policy_system_name, "bad system name", memset(PH.system_name, 'a', 32))
REFUSE(pool_outside_ram, "hypervisor pool", PH.pool_size += 0x1000)
REFUSE(pool_over_bundle, "hypervisor pool", PH.pool_base = 0x40250000)
REFUSE(pool_misaligned, "hypervisor pool", PH.pool_base += 8; PH.pool_size -= 0x1000)
REFUSE(pool_too_small, "the policy needs", PH.pool_size = 0x100000)
REFUSE(table_entry_size, "domain table: entry size 191", PH.domains.entry_size = 191)
REFUSE(table_too_many_domains, "domain table: 257 entries, at most 256",
       PH.domains.count = CLOISON_LIMIT_DOMAINS_MAX + 1)
REFUSE(table_too_many_objects, "object table: 1025 entries",
       PH.objects.count = CLOISON_LIMIT_OBJECTS_MAX + 1)
REFUSE(table_too_many_caps, "cap table: 4097 entries", PH.caps.count = CLOISON_LIMIT_CAPS_MAX + 1)
REFUSE(table_too_many_segments, "segment table: 1025 entries",
       PH.segments.count = CLOISON_LIMIT_SEGMENTS_MAX + 1)
REFUSE(table_outside_policy, "cap table lies outside the policy", PH.caps.count = 1000)
REFUSE(table_misaligned, "object table lies outside", PH.objects.offset += 4)
REFUSE(table_over_header, "segment table lies outside", PH.segments.offset = 0)
REFUSE(table_reserved, "domain table lies outside", PH.domains.reserved = 1)
REFUSE(no_domains, "policy lists no domain", PH.domains.count = 0)

/* ---- domains */
REFUSE(domain_name_empty, "domain 0: bad name", D0.name[0] = 0)
REFUSE(domain_name_unterminated, "domain 1: bad name", memset(D1.name, 'x', 32))
REFUSE(domain_name_not_padded, "domain 0: bad name", D0.name[20] = 'x')
REFUSE(domain_image_name, "domain 1: bad name", memset(D1.image, 'x', 32))
REFUSE(domain_duplicate_name, "domains 0 and 1 are both named d0", strcpy(D1.name, "d0"))
REFUSE(domain_memory_misaligned, "domain d1: memory", D1.mem_phys += 0x1000)
REFUSE(domain_memory_zero, "domain d0: memory", D0.mem_size = 0)
REFUSE(domain_memory_too_big, "domain d0: memory", D0.mem_size = CLOISON_LIMIT_DOMAIN_MEM_MAX * 2)
REFUSE(domain_memory_outside_ram, "domain d1: memory", D1.mem_phys = 0x60000000)
REFUSE(domain_over_the_hypervisor, "domain d0: memory overlaps the hypervisor",
       D0.mem_phys = 0x40200000)
REFUSE(domain_over_the_pool, "domain d1: memory overlaps the hypervisor",
       D1.mem_phys = PH.pool_base)
REFUSE(domains_overlap, "domains d1 and d0 overlap", D1.mem_phys = D0.mem_phys)
REFUSE(domain_ipa, "domain d0: IPA", D0.mem_ipa = 0x80000000)
REFUSE(domain_entry_outside, "domain d0: entry 80000000 outside its memory",
       D0.entry = 0x80000000)
REFUSE(domain_entry_in_start_info, "outside its memory",
       D0.entry = D0.mem_ipa + D0.mem_size - 0x1000)
REFUSE(domain_entry_misaligned, "domain d0: entry 40000002", D0.entry += 2)
REFUSE(domain_period_zero, "domain d1: budget", D1.period_us = 0)
REFUSE(domain_budget_zero, "domain d1: budget 0", D1.budget_us = 0)
REFUSE(domain_budget_above_period, "domain d1: budget 10001", D1.budget_us = 10001)
REFUSE(domain_period_too_long, "domain d0: budget", D0.period_us = CLOISON_LIMIT_PERIOD_MAX_US + 1)
REFUSE(domain_priority, "domain d0: priority 256 above 255", D0.priority = 256)
REFUSE(domain_no_vcpu, "domain d0: 0 vCPUs", D0.vcpus = 0)
REFUSE(domain_two_vcpus, "domain d1: 2 vCPUs", D1.vcpus = 2)
REFUSE(domain_cspace_not_power_of_two, "domain d0: CSpace of 48", D0.cspace_slots = 48)
REFUSE(domain_cspace_too_big, "domain d0: CSpace of 8192", D0.cspace_slots = 8192)
REFUSE(domain_cspace_too_small, "domain d0: CSpace of 1", D0.cspace_slots = 1)
REFUSE(domain_flags, "domain d1: flags 3", D1.flags = 3)
REFUSE(domain_inbox_too_big, "domain d0: an inbox of", D0.inbox_slots = D0.cspace_slots)
/* A boot cap in the connect inbox (d0's caps from slot 1 on). */
REFUSE(cap_in_inbox, "bad holder, object or slot", D0.inbox_slots = D0.cspace_slots - 1)
REFUSE(domain_reserved1, "domain d1: reserved", D1.reserved1 = 1)
REFUSE(domain_cap_range_outside, "domain d1: cap or segment range", D1.cap_count = 10)
REFUSE(domain_seg_range_outside, "domain d1: cap or segment range", D1.seg_first = 2)
REFUSE(domain_too_many_caps_for_start_info, "domain d0: 63 caps, start-info holds 62",
       PH.caps.count = 63; D0.cap_count = 63)
REFUSE(domain_object_wrong_type, "domain d0: its domain object is wrong", D0.object = FX_NOTE)
REFUSE(domain_object_out_of_range, "domain d0: its domain object is wrong", D0.object = 99)
REFUSE(domain_object_other_domain, "domain d1: its domain object is wrong", D1.object = FX_D0)
REFUSE(domain_cap_range_holds_another_domains, "domain d1: cap 7 in its range is another domain's",
       D1.cap_first = 7)
REFUSE(segment_of_another_domain, "domain d0: segment 0 out of bounds", SEG(0).domain = 1)
REFUSE(segment_file_above_mem, "domain d0: segment 0 out of bounds", SEG(0).file_size = 0x2000)
REFUSE(segment_outside_memory, "domain d0: segment 0 out of bounds", SEG(0).mem_size = 0x10000000)
REFUSE(segment_over_start_info, "domain d1: segment 1 out of bounds",
       SEG(1).ipa = D1.mem_ipa + D1.mem_size - 0x1000)
REFUSE(segment_bytes_outside_images, "domain d0: segment 0 out of bounds", SEG(0).offset = 0)
REFUSE(segment_flags, "domain d1: segment 1: flags 8", SEG(1).flags = 8)
REFUSE(segments_overlap, "domain d0: segments 0 and 1 overlap",
       D0.seg_count = 2; SEG(1).domain = 0; D1.seg_count = 0)

/* ---- objects */
REFUSE(object_name, "object 4: bad name", OBJ(FX_DEV).name[0] = 0)
REFUSE(object_reserved, "object kick: a field its type does not use", OBJ(FX_NOTE).reserved = 1)
REFUSE(object_flags_not_irq, "object ping: a field", OBJ(FX_CHAN).flags = 1)
REFUSE(object_irq_unknown_flag, "object blk-irq: a field", OBJ(FX_IRQ).flags = 2)
REFUSE(object_phys_on_notification, "object kick: a field", OBJ(FX_NOTE).phys = 0x1000)
REFUSE(object_number_on_console, "object console: a field", OBJ(FX_CONSOLE).number = 3)
REFUSE(device_zero_size, "device blk: region", OBJ(FX_DEV).size = 0)
REFUSE(device_misaligned, "device blk: region", OBJ(FX_DEV).phys += 0x200)
REFUSE(device_in_ram, "device blk: region 40000000", OBJ(FX_DEV).phys = 0x40000000)
REFUSE(device_over_the_gic, "device blk: region 8000000+10000 unusable",
       OBJ(FX_DEV).phys = 0x08000000; OBJ(FX_DEV).size = 0x10000)
REFUSE(device_over_the_uart, "device blk: region 9000000", OBJ(FX_DEV).phys = 0x09000000)
REFUSE(device_wraps, "device blk: region", OBJ(FX_DEV).phys = 0xfffffffffffff000ull)
REFUSE(irq_below_spi, "irq blk-irq: INTID 27 is not an SPI", OBJ(FX_IRQ).number = 27)
REFUSE(irq_above_spi, "irq blk-irq: INTID 1020", OBJ(FX_IRQ).number = 1020)
REFUSE(irq_twice, "irq kick: INTID 48 is also irq blk-irq",
       OBJ(FX_NOTE).type = CLOISON_TYPE_IRQ; OBJ(FX_NOTE).number = 48; CAP(C0_KICK).badge = 0;
       CAP(C0_KICK).rights = CLOISON_RIGHT_IRQ_RECEIVE;
       CAP(C1_KICK).rights = CLOISON_RIGHT_IRQ_RECEIVE)
/* A domain object no domain names as its own. */
REFUSE(domain_object_bad_index, "domain object kick: bad index",
       OBJ(FX_NOTE).type = CLOISON_TYPE_DOMAIN; OBJ(FX_NOTE).number = 5)
REFUSE(domain_object_twice, "domain object kick: bad index",
       OBJ(FX_NOTE).type = CLOISON_TYPE_DOMAIN; OBJ(FX_NOTE).number = 0)
REFUSE(channel_zero_size, "channel ping: region", OBJ(FX_CHAN).size = 0)
REFUSE(channel_too_big, "channel ping: region",
       OBJ(FX_CHAN).size = CLOISON_LIMIT_CHANNEL_SIZE_MAX + 0x1000)
REFUSE(channel_outside_ram, "channel ping: region", OBJ(FX_CHAN).phys = 0x70000000)
REFUSE(channel_over_bundle, "channel ping: region", OBJ(FX_CHAN).phys = 0x40250000)
REFUSE(channel_over_pool, "channel ping: region", OBJ(FX_CHAN).phys = PH.pool_base)
REFUSE(channel_over_domain, "channel ping overlaps domain d1", OBJ(FX_CHAN).phys = D1.mem_phys)
REFUSE(untyped_over_channel, "spare and ping overlap", OBJ(FX_POOL).phys = OBJ(FX_CHAN).phys)
REFUSE(untyped_too_big, "untyped spare: region",
       OBJ(FX_POOL).size = CLOISON_LIMIT_UNTYPED_SIZE_MAX + 0x1000)
REFUSE(second_console, "object kick: a second console object",
       OBJ(FX_NOTE).type = CLOISON_TYPE_CONSOLE; CAP(C0_KICK).badge = 0;
       CAP(C0_KICK).rights = CLOISON_RIGHT_CONSOLE_WRITE;
       CAP(C1_KICK).rights = CLOISON_RIGHT_CONSOLE_WRITE)
REFUSE(second_system, "object kick: a second system object",
       OBJ(FX_NOTE).type = CLOISON_TYPE_SYSTEM; CAP(C0_KICK).badge = 0;
       CAP(C0_KICK).rights = CLOISON_RIGHT_SYSTEM_AUDIT; CAP(C1_KICK).rights = CLOISON_RIGHT_SYSTEM_AUDIT)
REFUSE(unknown_object_type, "object console: type 77 cannot be made at boot",
       OBJ(FX_CONSOLE).type = 77)
REFUSE(frame_at_boot, "object kick: type", OBJ(FX_NOTE).type = CLOISON_TYPE_FRAME)

/* ---- caps */
REFUSE(cap_name, "cap 3: bad name", CAP(C0_BLK).name[0] = 0)
REFUSE(cap_missing_object, "cap 0 (console): bad holder, object or slot", CAP(C0_CONSOLE).object = 99)
REFUSE(cap_missing_holder, "cap 11 (d0): bad holder", D1.cap_count = 3; CAP(C1_D0).domain = 7)
REFUSE(cap_slot_zero, "cap 1 (system): bad holder, object or slot", CAP(C0_SYSTEM).slot = 0)
REFUSE(cap_slot_outside_cspace, "cap 1 (system): bad holder, object or slot",
       CAP(C0_SYSTEM).slot = D0.cspace_slots)
REFUSE(cap_outside_its_holders_range, "cap 11 (d0): bad holder, object or slot",
       D1.cap_count = 3)
REFUSE(cap_slot_twice, "cap system: slot or name also used by cap console", CAP(C0_SYSTEM).slot = 1)
REFUSE(cap_name_twice, "cap console: slot or name also used by cap console", strcpy(CAP(C0_SYSTEM).name, "console"))
REFUSE(cap_no_rights, "cap console: rights 0", CAP(C0_CONSOLE).rights = 0)
REFUSE(cap_rights_beyond_type, "cap console: rights", CAP(C0_CONSOLE).rights |= 1u << 15)
REFUSE(cap_rights_high_bits, "cap console: rights", CAP(C0_CONSOLE).rights |= 1ull << 40)
REFUSE(cap_badge_not_notification, "cap console: a badge on a console cap", CAP(C0_CONSOLE).badge = 4)
REFUSE(cap_end_two, "cap ping: end 2", CAP(C1_PING).end = 2)
REFUSE(cap_end_not_channel, "cap console: end 1", CAP(C0_CONSOLE).end = 1)
REFUSE(cap_mapped_not_mappable, "cap console: only device and channel caps are mapped",
       CAP(C0_CONSOLE).ipa = 0x90000000)
REFUSE(cap_mapped_without_rw, "cap blk: mapped without read or write",
       CAP(C0_BLK).rights = CLOISON_RIGHT_GRANT)
REFUSE(cap_mapping_misaligned, "cap blk: mapping at a000010", CAP(C0_BLK).ipa += 0x10)
REFUSE(cap_mapping_beyond_ipa, "cap ping: mapping at", CAP(C0_PING).ipa = CLOISON_LIMIT_IPA_LIMIT)
REFUSE(cap_mapping_over_ram, "cap blk: mapping at 40100000", CAP(C0_BLK).ipa = 0x40100000)
REFUSE(cap_mappings_overlap, "cap blk: mapping overlaps cap ping", CAP(C0_BLK).ipa = CAP(C0_PING).ipa)

/* ---- channel ends */
REFUSE(channel_one_end, "channel ping: 1 caps", CAP(C1_PING).object = FX_NOTE;
       CAP(C1_PING).ipa = CLOISON_POLICY_NO_IPA; CAP(C1_PING).end = 0;
       CAP(C1_PING).rights = CLOISON_RIGHT_NOTIFICATION_WAIT)
REFUSE(channel_both_end_zero, "channel ping: 2 caps; it needs ends 0 and 1", CAP(C1_PING).end = 0)
REFUSE(channel_ends_in_one_domain, "channel ping: 2 caps",
       /* d0 holds both ends: d1's end moves into d0's range */
       CAP(C0_D1).object = FX_CHAN; CAP(C0_D1).end = 1;
       CAP(C0_D1).rights = CLOISON_RIGHT_CHANNEL_READ;
       CAP(C1_PING).object = FX_NOTE; CAP(C1_PING).end = 0; CAP(C1_PING).ipa = CLOISON_POLICY_NO_IPA;
       CAP(C1_PING).rights = CLOISON_RIGHT_NOTIFICATION_WAIT)
REFUSE(channel_three_ends, "channel ping: 3 caps", CAP(C1_KICK).object = FX_CHAN;
       CAP(C1_KICK).rights = CLOISON_RIGHT_CHANNEL_READ)

/* ---- a device is handed to exactly one domain */
REFUSE(device_held_by_two_domains, "device blk: caps held by two domains (d0, d1)",
       CAP(C1_KICK).object = FX_DEV; CAP(C1_KICK).rights = CLOISON_RIGHT_DEVICE_READ)
REFUSE(irq_held_by_two_domains, "irq blk-irq: caps held by two domains (d0, d1)",
       CAP(C1_KICK).object = FX_IRQ; CAP(C1_KICK).rights = CLOISON_RIGHT_IRQ_RECEIVE)
REFUSE(devices_share_a_page, "devices kick and blk share a page",
       OBJ(FX_NOTE).type = CLOISON_TYPE_DEVICE; OBJ(FX_NOTE).phys = 0x0a000000;
       OBJ(FX_NOTE).size = 0x1000;
       CAP(C0_KICK).badge = 0; CAP(C0_KICK).rights = CLOISON_RIGHT_DEVICE_READ;
       CAP(C1_KICK).object = FX_CONSOLE; CAP(C1_KICK).rights = CLOISON_RIGHT_CONSOLE_WRITE)

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
