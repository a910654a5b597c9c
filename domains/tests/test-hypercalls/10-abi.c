/* SPDX-License-Identifier: MIT */
/*
 * The calling convention and the dispatcher's own checks, for every call
 * of the ABI: a slot outside the CSpace, an empty slot, a cap of the wrong
 * type, a cap without the right the call needs, a non-zero argument
 * register the call does not use (reserved for later minor versions), a
 * slot given to a call that takes none; call numbers that do not exist;
 * registers after a call.
 */
#include <string.h>

#include "hc.h"

enum { OBJ_NONE = -1, OBJ_ANY = 0 };

struct call {
	const char *name;
	uint64_t nr;
	int type;        /* CLOISON_TYPE_*, OBJ_NONE or OBJ_ANY */
	uint64_t rights; /* what the cap in x0 must carry */
	unsigned nargs;
};

#define CALL(n, N, t, r) { #n, CLOISON_HC_##N, t, r, CLOISON_HC_##N##_NARGS }
#define T(x) CLOISON_TYPE_##x
#define R(t, x) CLOISON_RIGHT_##t##_##x

/* The ABI as this test expects it (hyp/abi/cloison-abi.toml). */
static const struct call calls[] = {
	CALL(abi_version, ABI_VERSION, OBJ_NONE, 0),
	CALL(yield, YIELD, OBJ_NONE, 0),
	CALL(cap_identify, CAP_IDENTIFY, OBJ_ANY, 0),
	CALL(cap_copy, CAP_COPY, OBJ_ANY, 0),
	CALL(cap_mint, CAP_MINT, OBJ_ANY, 0),
	CALL(cap_move, CAP_MOVE, OBJ_ANY, 0),
	CALL(cap_delete, CAP_DELETE, OBJ_ANY, 0),
	CALL(cap_revoke, CAP_REVOKE, OBJ_ANY, 0),
	CALL(untyped_retype, UNTYPED_RETYPE, T(UNTYPED), 0),
	CALL(untyped_query, UNTYPED_QUERY, T(UNTYPED), 0),
	CALL(untyped_retype_channel, UNTYPED_RETYPE_CHANNEL, T(UNTYPED), R(UNTYPED, RETYPE_CHANNEL)),
	CALL(notification_signal, NOTIFICATION_SIGNAL, T(NOTIFICATION), R(NOTIFICATION, SIGNAL)),
	CALL(notification_poll, NOTIFICATION_POLL, T(NOTIFICATION), R(NOTIFICATION, WAIT)),
	CALL(notification_wait, NOTIFICATION_WAIT, T(NOTIFICATION), R(NOTIFICATION, WAIT)),
	CALL(notification_bind, NOTIFICATION_BIND, T(NOTIFICATION), R(NOTIFICATION, WAIT)),
	CALL(domain_set_cspace, DOMAIN_SET_CSPACE, T(DOMAIN), R(DOMAIN, BUILD)),
	CALL(domain_finish_build, DOMAIN_FINISH_BUILD, T(DOMAIN), R(DOMAIN, BUILD)),
	CALL(domain_start, DOMAIN_START, T(DOMAIN), R(DOMAIN, START)),
	CALL(domain_stop, DOMAIN_STOP, T(DOMAIN), R(DOMAIN, STOP)),
	CALL(domain_resume, DOMAIN_RESUME, T(DOMAIN), R(DOMAIN, RESUME)),
	CALL(domain_destroy, DOMAIN_DESTROY, T(DOMAIN), R(DOMAIN, DESTROY)),
	CALL(domain_query, DOMAIN_QUERY, T(DOMAIN), R(DOMAIN, QUERY)),
	CALL(cnode_identify, CNODE_IDENTIFY, T(CNODE), R(CNODE, READ)),
	CALL(cnode_delete, CNODE_DELETE, T(CNODE), R(CNODE, WRITE)),
	CALL(console_write, CONSOLE_WRITE, T(CONSOLE), R(CONSOLE, WRITE)),
	CALL(console_read, CONSOLE_READ, T(CONSOLE), R(CONSOLE, INPUT)),
	CALL(system_poweroff, SYSTEM_POWEROFF, T(SYSTEM), R(SYSTEM, POWEROFF)),
	CALL(memory_map, MEMORY_MAP, OBJ_ANY, 0),
	CALL(memory_unmap, MEMORY_UNMAP, OBJ_ANY, 0),
	CALL(system_stats, SYSTEM_STATS, T(SYSTEM), R(SYSTEM, AUDIT)),
	CALL(system_audit_dump, SYSTEM_AUDIT_DUMP, T(SYSTEM), R(SYSTEM, AUDIT)),
	CALL(vgic_configure, VGIC_CONFIGURE, OBJ_NONE, 0),
	CALL(channel_signal, CHANNEL_SIGNAL, T(CHANNEL), R(CHANNEL, WRITE)),
	CALL(channel_wait, CHANNEL_WAIT, T(CHANNEL), R(CHANNEL, READ)),
	CALL(channel_poll, CHANNEL_POLL, T(CHANNEL), R(CHANNEL, READ)),
	CALL(channel_bind, CHANNEL_BIND, T(CHANNEL), R(CHANNEL, READ)),
	CALL(irq_bind, IRQ_BIND, T(IRQ), R(IRQ, RECEIVE)),
	CALL(memory_phys, MEMORY_PHYS, OBJ_ANY, 0),
	CALL(vmm_region, VMM_REGION, T(DOMAIN), R(DOMAIN, VMM)),
	CALL(vmm_wait, VMM_WAIT, T(DOMAIN), R(DOMAIN, VMM)),
	CALL(vmm_reply, VMM_REPLY, T(DOMAIN), R(DOMAIN, VMM)),
	CALL(vmm_irq, VMM_IRQ, T(DOMAIN), R(DOMAIN, VMM)),
	CALL(vmm_set_reg, VMM_SET_REG, T(DOMAIN), R(DOMAIN, VMM)),
	CALL(domain_set_memory, DOMAIN_SET_MEMORY, T(DOMAIN), R(DOMAIN, BUILD)),
	CALL(domain_load, DOMAIN_LOAD, T(DOMAIN), R(DOMAIN, BUILD)),
	CALL(domain_set_sched, DOMAIN_SET_SCHED, T(DOMAIN), R(DOMAIN, BUILD)),
	CALL(domain_install, DOMAIN_INSTALL, T(DOMAIN), R(DOMAIN, BUILD)),
	CALL(domain_build_query, DOMAIN_BUILD_QUERY, T(DOMAIN), R(DOMAIN, QUERY)),
	CALL(system_census, SYSTEM_CENSUS, T(SYSTEM), R(SYSTEM, AUDIT)),
	CALL(vmm_reset, VMM_RESET, T(DOMAIN), R(DOMAIN, VMM)),
	CALL(domain_console_attach, DOMAIN_CONSOLE_ATTACH, T(DOMAIN), R(DOMAIN, CONSOLE)),
	CALL(domain_connect, DOMAIN_CONNECT, T(DOMAIN), R(DOMAIN, CONNECT)),
	CALL(channel_signal_wait, CHANNEL_SIGNAL_WAIT, T(CHANNEL), R(CHANNEL, WRITE)),
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

TEST(abi_version, ok)
{
	uint64_t major = 99, minor = 99;

	ASSERT_OK(cloison_abi_version(&major, &minor));
	EXPECT_EQ(major, CLOISON_ABI_VERSION_MAJOR);
	EXPECT_EQ(minor, CLOISON_ABI_VERSION_MINOR);
}

TEST(abi_version, matches_start_info)
{
	uint64_t major = 0, minor = 0;

	ASSERT_OK(cloison_abi_version(&major, &minor));
	EXPECT_EQ(major, si_get()->abi_major);
	EXPECT_EQ(minor, si_get()->abi_minor);
}

TEST(yield, ok)
{
	uint64_t t0 = vtimer_now();

	for (unsigned i = 0; i < 5; i++)
		ASSERT_OK(cloison_yield());
	EXPECT(vtimer_now() >= t0);
}

/* Call numbers that name no call: the dispatcher refuses them whatever
 * the slot (even a valid cap) and the arguments. */
TEST(invalid_op, numbers)
{
	static const uint64_t ops[] = { CLOISON_HC_COUNT, CLOISON_HC_COUNT + 1, 255, 1000,
					1ull << 32, 1ull << 63, ~0ull };

	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		EXPECT_ERR(hvc_call(fx_console(), ops[i], 0, 0, 0, 0, 0, 0), INVALID_OP);
		EXPECT_ERR(hvc_call(NONE, ops[i], 0, 0, 0, 0, 0, 0), INVALID_OP);
		EXPECT_ERR(hvc_call(0, ops[i], 1, 2, 3, 4, 5, 6), INVALID_OP);
	}
}

/* The stub header says: the hypervisor may write x0..x7 and preserves every
 * other register. Fill x8..x30 (but x18, the platform register, and x29/x30
 * which the compiler needs) with known values around one hvc. */
TEST(abi, preserves_registers)
{
	uint64_t bad = 0;

	__asm__ volatile(
		"mov x8, #0x108\n mov x9, #0x109\n mov x10, #0x10a\n mov x11, #0x10b\n"
		"mov x12, #0x10c\n mov x13, #0x10d\n mov x14, #0x10e\n mov x15, #0x10f\n"
		"mov x16, #0x110\n mov x17, #0x111\n mov x19, #0x113\n mov x20, #0x114\n"
		"mov x21, #0x115\n mov x22, #0x116\n mov x23, #0x117\n mov x24, #0x118\n"
		"mov x25, #0x119\n mov x26, #0x11a\n mov x27, #0x11b\n mov x28, #0x11c\n"
		"mov x0, #-1\n mov x1, #0\n mov x2, xzr\n mov x3, xzr\n mov x4, xzr\n"
		"mov x5, xzr\n mov x6, xzr\n mov x7, xzr\n"
		"hvc #0\n"
		"mov %0, xzr\n"
		"cmp x8, #0x108\n cinc %0, %0, ne\n cmp x9, #0x109\n cinc %0, %0, ne\n"
		"cmp x10, #0x10a\n cinc %0, %0, ne\n cmp x11, #0x10b\n cinc %0, %0, ne\n"
		"cmp x12, #0x10c\n cinc %0, %0, ne\n cmp x13, #0x10d\n cinc %0, %0, ne\n"
		"cmp x14, #0x10e\n cinc %0, %0, ne\n cmp x15, #0x10f\n cinc %0, %0, ne\n"
		"cmp x16, #0x110\n cinc %0, %0, ne\n cmp x17, #0x111\n cinc %0, %0, ne\n"
		"cmp x19, #0x113\n cinc %0, %0, ne\n cmp x20, #0x114\n cinc %0, %0, ne\n"
		"cmp x21, #0x115\n cinc %0, %0, ne\n cmp x22, #0x116\n cinc %0, %0, ne\n"
		"cmp x23, #0x117\n cinc %0, %0, ne\n cmp x24, #0x118\n cinc %0, %0, ne\n"
		"cmp x25, #0x119\n cinc %0, %0, ne\n cmp x26, #0x11a\n cinc %0, %0, ne\n"
		"cmp x27, #0x11b\n cinc %0, %0, ne\n cmp x28, #0x11c\n cinc %0, %0, ne\n"
		: "=&r"(bad)
		:
		: "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		  "x12", "x13", "x14", "x15", "x16", "x17", "x19", "x20", "x21", "x22", "x23",
		  "x24", "x25", "x26", "x27", "x28", "cc", "memory");
	EXPECT_EQ(bad, 0);
}

/* abi_version through the raw registers: x1, x2 carry the results, and
 * what a call does not return is 0. */
TEST(abi, results_in_registers)
{
	struct hvc_regs r = { { NONE, CLOISON_HC_ABI_VERSION, 0, 0, 0, 0, 0, 0 } };

	hvc_raw(&r);
	ASSERT_EQ(r.x[0], E(OK));
	EXPECT_EQ(r.x[1], CLOISON_ABI_VERSION_MAJOR);
	EXPECT_EQ(r.x[2], CLOISON_ABI_VERSION_MINOR);
	for (unsigned i = 3; i < 8; i++)
		EXPECT_EQ(r.x[i], 0);
}

/* After an error every result register is 0: nothing half-done leaks. */
TEST(abi, results_cleared_on_error)
{
	/* Garbage in x2..x7: the empty slot is found first (empty_slot, not
	 * invalid_argument), and none of it may come back. */
	struct hvc_regs r = { { 200, CLOISON_HC_CAP_IDENTIFY, 0x11, 0x22, 0x33, 0x44, 0x55,
				0x66 } };

	hvc_raw(&r);
	EXPECT_EQ(r.x[0], E(EMPTY_SLOT));
	for (unsigned i = 1; i < 8; i++)
		EXPECT_EQ(r.x[i], 0);
}

/* The CSpace has exactly HC_CSPACE_SLOTS slots: the last is usable (empty),
 * the next one is outside. */
TEST(cap_identify, cspace_bounds)
{
	EXPECT_ERR(cloison_cap_identify(HC_CSPACE_SLOTS - 1, NULL, NULL, NULL), EMPTY_SLOT);
	EXPECT_ERR(cloison_cap_identify(HC_CSPACE_SLOTS, NULL, NULL, NULL), INVALID_SLOT);
	EXPECT_ERR(cloison_cap_identify(0, NULL, NULL, NULL), EMPTY_SLOT); /* slot 0 stays empty */
}

/* Every call number the hypervisor answers is one this test exercises, and
 * the other way round: a call added to the ABI without a test here fails
 * this. Probe: slot_none (no cap) and non-zero garbage in every argument
 * register, which every existing call refuses without acting (invalid_slot
 * for calls that take a cap, invalid_argument for the others), while a
 * number that names no call gets invalid_op. */
TEST(abi, every_call_tested)
{
	for (uint64_t op = 0; op < CLOISON_HC_COUNT + 16; op++) {
		uint64_t err = hvc_call(NONE, op, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull);
		const struct call *c = NULL;

		for (unsigned i = 0; i < NCALLS; i++)
			if (calls[i].nr == op)
				c = &calls[i];
		if (c)
			EXPECT(err != E(INVALID_OP) && err != E(OK));
		else if (err != E(INVALID_OP))
			TEST_FAIL("call %llu exists (%s) but this test does not know it",
				  (unsigned long long)op, cloison_err_name(err));
	}
}

/* A cap of `type` with every right this domain has on such an object. */
static uint64_t full_cap(int type)
{
	switch (type) {
	case CLOISON_TYPE_UNTYPED: return fx_pool();
	case CLOISON_TYPE_FRAME: return fx_frame();
	case CLOISON_TYPE_DEVICE: return fx_virtio();
	case CLOISON_TYPE_IRQ: return fx_irq();
	case CLOISON_TYPE_NOTIFICATION: return fx_note();
	case CLOISON_TYPE_DOMAIN: return fx_peer();
	case CLOISON_TYPE_CNODE: return fx_cnode();
	case CLOISON_TYPE_CHANNEL: return fx_chan();
	case CLOISON_TYPE_CONSOLE: return fx_console();
	case CLOISON_TYPE_SYSTEM: return fx_system();
	default: return fx_console(); /* OBJ_ANY */
	}
}

static uint64_t raw(uint64_t slot, const struct call *c, unsigned extra_reg)
{
	struct hvc_regs r = { { slot, c->nr, 0, 0, 0, 0, 0, 0 } };

	if (extra_reg)
		r.x[extra_reg] = 1;
	hvc_raw(&r);
	return r.x[0];
}

static void check(const char *call, const char *what, uint64_t got, uint64_t want)
{
	char name[64];

	snprintf(name, sizeof(name), "matrix.%s.%s", call, what);
	test_report(name, got == want, "returned %s, expected %s", cloison_err_name(got),
		    cloison_err_name(want));
}

/* Table-driven: one result line per call and check. Every rejected call
 * here is refused before it acts (the dispatcher checks slot, type,
 * rights and unused registers before decode), which is what makes it
 * safe to aim even domain_destroy and system_poweroff at live caps. */
TEST(matrix, dispatcher_checks)
{
	uint64_t empty = fx_slot();

	for (unsigned i = 0; i < NCALLS; i++) {
		const struct call *c = &calls[i];
		uint64_t full = full_cap(c->type);

		if (c->type == OBJ_NONE) {
			check(c->name, "slot_given", raw(1, c, 0), E(INVALID_SLOT));
		} else {
			check(c->name, "invalid_slot", raw(HC_CSPACE_SLOTS, c, 0), E(INVALID_SLOT));
			check(c->name, "invalid_slot_huge", raw(1ull << 63, c, 0), E(INVALID_SLOT));
			check(c->name, "empty_slot", raw(empty, c, 0), E(EMPTY_SLOT));
		}
		if (c->type > 0) {
			uint64_t other = c->type == CLOISON_TYPE_CONSOLE ? fx_note() : fx_console();

			check(c->name, "wrong_type", raw(other, c, 0), E(WRONG_TYPE));
		}
		if (c->rights) {
			/* Every right of the full cap but the one the call needs. */
			uint64_t less = fx_mint(full, fx_rights(full) & ~c->rights, 0);

			if (less == NONE) /* fx_mint printed why */
				check(c->name, "no_rights", E(NOT_SUPPORTED), E(NO_RIGHTS));
			else
				check(c->name, "no_rights", raw(less, c, 0), E(NO_RIGHTS));
		}
		if (c->nargs < 6) {
			/* The first register the call does not use, and x7. */
			uint64_t slot = c->type == OBJ_NONE ? NONE : full;

			check(c->name, "unused_arg", raw(slot, c, 2 + c->nargs), E(INVALID_ARGUMENT));
			if (c->nargs < 5)
				check(c->name, "unused_x7", raw(slot, c, 7), E(INVALID_ARGUMENT));
		}
	}
}
