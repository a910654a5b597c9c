/* SPDX-License-Identifier: MIT */
/*
 * Every hypercall of the ABI from EL1 through hvc #0, with the rejections a
 * domain can provoke, against the capabilities tests/system/systems/
 * hypercalls.toml gives this domain. The host unit tests go through every
 * decode path; this proves the EL1 -> EL2 path, the register convention and
 * the effects only the real machine shows (a mapped frame is readable and
 * writable, a device's registers answer, a bound notification interrupts).
 */
#include <domain/core.h>
#include <domain/result.h>

#define NONE CLOISON_SLOT_NONE
#define E(x) CLOISON_ERR_##x
#define FRAME_IPA 0x80000000ull
#define DEVICE_IPA 0x90000000ull
#define R_ CLOISON_RIGHT_FRAME_READ
#define W_ CLOISON_RIGHT_FRAME_WRITE
#define X_ CLOISON_RIGHT_FRAME_EXEC

/* Scratch slots: the policy fills 1..n, these are far above. */
enum { S_A = 40, S_B, S_C, S_FRAME, S_FRAME_RO, S_CNODE, S_NOTE, S_SYS_RO };

static volatile uint32_t irq_seen;

void irq_handler(uint32_t vintid)
{
	/* The timer's interrupt is a level (Arm ARM D11.2): lower it (IMASK)
	 * or it is taken again as soon as it is ended. */
	if (vintid == 27)
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(3ull));
	irq_seen = vintid;
}

static void abi_and_yield(void)
{
	uint64_t major = 0, minor = 0;

	TEST_REPORT_ERR("abi_version.ok", cloison_abi_version(&major, &minor), E(OK));
	test_report("abi_version.value", major == CLOISON_ABI_VERSION_MAJOR &&
			    minor == CLOISON_ABI_VERSION_MINOR, "got %lu.%lu", major, minor);
	TEST_REPORT_ERR("yield.ok", cloison_yield(), E(OK));
}

static void caps(uint64_t con, uint64_t note)
{
	uint64_t type = 0, rights = 0, badge = 0, word = 0;

	TEST_REPORT_ERR("cap_identify.ok", cloison_cap_identify(con, &type, &rights, &badge), E(OK));
	test_report("cap_identify.type", type == CLOISON_TYPE_CONSOLE, "type %lu", type);
	TEST_REPORT_ERR("cap_identify.empty_slot", cloison_cap_identify(S_A, &type, 0, 0), E(EMPTY_SLOT));
	TEST_REPORT_ERR("cap_identify.invalid_slot", cloison_cap_identify(1u << 20, &type, 0, 0),
		        E(INVALID_SLOT));
	TEST_REPORT_ERR("cap_copy.ok", cloison_cap_copy(con, NONE, S_A), E(OK));
	TEST_REPORT_ERR("cap_copy.slot_occupied", cloison_cap_copy(con, NONE, S_A), E(SLOT_OCCUPIED));
	TEST_REPORT_ERR("cap_copy.empty_source", cloison_cap_copy(S_C, NONE, S_B), E(EMPTY_SLOT));
	TEST_REPORT_ERR("cap_mint.wider_rights", cloison_cap_mint(con, NONE, S_B, 0xffff, 0),
		        E(NO_RIGHTS));
	TEST_REPORT_ERR("cap_mint.badge_on_console", cloison_cap_mint(con, NONE, S_B,
			CLOISON_RIGHT_CONSOLE_WRITE, 7), E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("cap_mint.badged_notification", cloison_cap_mint(note, NONE, S_NOTE,
			CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x40), E(OK));
	TEST_REPORT_ERR("cap_move.ok", cloison_cap_move(S_A, NONE, S_B), E(OK));
	TEST_REPORT_ERR("cap_move.empty", cloison_cap_move(S_A, NONE, S_C), E(EMPTY_SLOT));
	TEST_REPORT_ERR("cap_delete.ok", cloison_cap_delete(S_B), E(OK));
	TEST_REPORT_ERR("cap_delete.empty", cloison_cap_delete(S_B), E(EMPTY_SLOT));
	TEST_REPORT_ERR("notification_signal.unbadged", cloison_notification_signal(note),
		        E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("notification_signal.ok", cloison_notification_signal(S_NOTE), E(OK));
	TEST_REPORT_ERR("notification_signal.no_right", cloison_notification_poll(S_NOTE, &word),
		        E(NO_RIGHTS));
	TEST_REPORT_ERR("notification_poll.ok", cloison_notification_poll(note, &word), E(OK));
	test_report("notification_poll.word", word == 0x40, "word 0x%lx", word);
	TEST_REPORT_ERR("notification_signal.again", cloison_notification_signal(S_NOTE), E(OK));
	TEST_REPORT_ERR("notification_wait.ready", cloison_notification_wait(note, &word), E(OK));
	test_report("notification_wait.word", word == 0x40, "word 0x%lx", word);
	TEST_REPORT_ERR("wrong_type", cloison_notification_signal(con), E(WRONG_TYPE));
	{
		register uint64_t x0 __asm__("x0") = con;
		register uint64_t x1 __asm__("x1") = 99;

		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "x4", "x5", "x6", "x7", "memory");
		test_report("invalid_op", x0 == E(INVALID_OP), "op 99 gave %lu", x0);
	}
}

static void memory(uint64_t pool, uint64_t dev)
{
	uint64_t size = 0, free0 = 0, free1 = 0, type = 0;
	volatile uint64_t *frame = (volatile uint64_t *)FRAME_IPA;
	volatile uint32_t *mmio = (volatile uint32_t *)DEVICE_IPA;

	TEST_REPORT_ERR("untyped_query.ok", cloison_untyped_query(pool, &size, &free0), E(OK));
	test_report("untyped_query.size", size == 1u << 20 && free0 == size, "size %lu free %lu",
		    size, free0);
	TEST_REPORT_ERR("untyped_retype.size_overflow", cloison_untyped_retype(pool,
			CLOISON_TYPE_FRAME, 1ull << 40, NONE, S_FRAME), E(OUT_OF_RANGE));
	TEST_REPORT_ERR("untyped_retype.unaligned", cloison_untyped_retype(pool,
			CLOISON_TYPE_FRAME, 100, NONE, S_FRAME), E(ALIGNMENT));
	TEST_REPORT_ERR("untyped_retype.bad_type", cloison_untyped_retype(pool, 99, 4096, NONE,
			S_FRAME), E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("untyped_retype.console", cloison_untyped_retype(pool,
			CLOISON_TYPE_CONSOLE, 0, NONE, S_FRAME), E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("untyped_retype.frame", cloison_untyped_retype(pool, CLOISON_TYPE_FRAME,
			2 * 4096, NONE, S_FRAME), E(OK));
	TEST_REPORT_ERR("untyped_retype.cnode", cloison_untyped_retype(pool, CLOISON_TYPE_CNODE,
			8, NONE, S_CNODE), E(OK));
	cloison_untyped_query(pool, &size, &free1);
	test_report("untyped_query.used", free1 < free0, "free %lu -> %lu", free0, free1);

	TEST_REPORT_ERR("memory_map.unaligned", cloison_memory_map(S_FRAME, FRAME_IPA + 8, R_),
		        E(ALIGNMENT));
	TEST_REPORT_ERR("memory_map.beyond_ipa_space", cloison_memory_map(S_FRAME,
			0xfffff000ull, R_), E(OUT_OF_RANGE));
	TEST_REPORT_ERR("memory_map.over_ram", cloison_memory_map(S_FRAME, 0x40000000ull, R_),
		        E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("memory_map.no_prot", cloison_memory_map(S_FRAME, FRAME_IPA, 0),
		        E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("memory_map.wrong_type", cloison_memory_map(pool, FRAME_IPA, R_),
		        E(WRONG_TYPE));
	TEST_REPORT_ERR("memory_map.frame", cloison_memory_map(S_FRAME, FRAME_IPA, R_ | W_), E(OK));
	test_report("memory_map.zeroed", frame[0] == 0 && frame[1023] == 0, "frame not zero");
	frame[0] = 0x1234;
	frame[1023] = 0x5678;
	test_report("memory_map.read_write", frame[0] == 0x1234 && frame[1023] == 0x5678,
		    "read back %lx %lx", frame[0], frame[1023]);
	TEST_REPORT_ERR("memory_map.second_mapping", cloison_memory_map(S_FRAME,
			FRAME_IPA + 0x10000, R_), E(BAD_STATE));
	TEST_REPORT_ERR("cap_mint.frame_read_only", cloison_cap_mint(S_FRAME, NONE, S_FRAME_RO,
			R_, 0), E(OK));
	TEST_REPORT_ERR("memory_map.no_write_right", cloison_memory_map(S_FRAME_RO,
			FRAME_IPA + 0x10000, R_ | W_), E(NO_RIGHTS));
	TEST_REPORT_ERR("memory_map.overlap", cloison_memory_map(S_FRAME_RO, FRAME_IPA + 4096, R_),
		        E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("cap_move.mapped", cloison_cap_move(S_FRAME, NONE, S_A), E(BAD_STATE));
	TEST_REPORT_ERR("memory_unmap.ok", cloison_memory_unmap(S_FRAME), E(OK));
	TEST_REPORT_ERR("memory_unmap.not_mapped", cloison_memory_unmap(S_FRAME), E(BAD_STATE));
	/* Mapped again, the same frame still holds what was written. */
	TEST_REPORT_ERR("memory_map.again", cloison_memory_map(S_FRAME_RO, FRAME_IPA, R_), E(OK));
	test_report("memory_map.same_memory", frame[0] == 0x1234, "read %lx", frame[0]);
	TEST_REPORT_ERR("cap_revoke.ok", cloison_cap_revoke(S_FRAME), E(OK));
	TEST_REPORT_ERR("cap_revoke.unmapped_and_gone", cloison_cap_identify(S_FRAME_RO, &type, 0, 0),
		        E(EMPTY_SLOT));

	/* The device: a virtio-mmio transport, whose magic reads "virt". The
	 * policy mapped it at boot at its physical address. */
	test_report("memory_map.device_at_boot", *(volatile uint32_t *)0x0a000000ull == 0x74726976u,
		    "magic 0x%x", *(volatile uint32_t *)0x0a000000ull);
	TEST_REPORT_ERR("memory_map.device_mapped_at_boot", cloison_memory_map(dev, DEVICE_IPA, R_),
		        E(BAD_STATE));
	TEST_REPORT_ERR("memory_unmap.device", cloison_memory_unmap(dev), E(OK));
	TEST_REPORT_ERR("memory_map.device_exec", cloison_memory_map(dev, DEVICE_IPA, R_ | X_),
		        E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("memory_map.device", cloison_memory_map(dev, DEVICE_IPA, R_), E(OK));
	test_report("memory_map.device_registers", mmio[0] == 0x74726976u, "magic 0x%x", mmio[0]);

	TEST_REPORT_ERR("cnode_identify.empty", cloison_cnode_identify(S_CNODE, 0, &type, 0, 0),
		        E(EMPTY_SLOT));
	TEST_REPORT_ERR("cnode_identify.range", cloison_cnode_identify(S_CNODE, 8, &type, 0, 0),
		        E(INVALID_SLOT));
	/* Into another CNode: only a cap with grant may go. */
	TEST_REPORT_ERR("cap_copy.into_cnode_needs_grant", cloison_cap_copy(si_cap("console"),
			S_CNODE, 3), E(NO_RIGHTS));
	TEST_REPORT_ERR("cap_copy.into_cnode", cloison_cap_copy(pool, S_CNODE, 3), E(OK));
	TEST_REPORT_ERR("cnode_identify.ok", cloison_cnode_identify(S_CNODE, 3, &type, 0, 0), E(OK));
	test_report("cnode_identify.type", type == CLOISON_TYPE_UNTYPED, "type %lu", type);
	TEST_REPORT_ERR("cnode_delete.ok", cloison_cnode_delete(S_CNODE, 3), E(OK));
	TEST_REPORT_ERR("cnode_delete.empty", cloison_cnode_delete(S_CNODE, 3), E(EMPTY_SLOT));
	TEST_REPORT_ERR("cap_revoke.pool", cloison_cap_revoke(pool), E(OK));
	cloison_untyped_query(pool, &size, &free1);
	test_report("cap_revoke.pool_free_again", free1 == size, "free %lu of %lu", free1, size);
}

static void domains(uint64_t peer)
{
	uint64_t state = 0, id = 0, t = 0;

	TEST_REPORT_ERR("domain_query.ok", cloison_domain_query(peer, &state, &id, &t), E(OK));
	test_report("domain_query.built", state == CLOISON_DOMAIN_BUILT, "state %lu", state);
	TEST_REPORT_ERR("domain_set_cspace.not_created", cloison_domain_set_cspace(peer, S_CNODE),
		        E(BAD_STATE));
	TEST_REPORT_ERR("domain_finish_build.built", cloison_domain_finish_build(peer), E(BAD_STATE));
	TEST_REPORT_ERR("domain_stop.not_running", cloison_domain_stop(peer), E(BAD_STATE));
	TEST_REPORT_ERR("domain_start.ok", cloison_domain_start(peer), E(OK));
	for (unsigned i = 0; i < 10; i++)
		cloison_yield(); /* let it run (and go to sleep in WFI) */
	cloison_domain_query(peer, &state, &id, &t);
	test_report("domain_start.running", state == CLOISON_DOMAIN_RUNNING && t > 0,
		    "state %lu cpu %lu", state, t);
	TEST_REPORT_ERR("domain_stop.ok", cloison_domain_stop(peer), E(OK));
	TEST_REPORT_ERR("domain_resume.ok", cloison_domain_resume(peer), E(OK));
	TEST_REPORT_ERR("domain_resume.running", cloison_domain_resume(peer), E(BAD_STATE));
	TEST_REPORT_ERR("domain_destroy.ok", cloison_domain_destroy(peer), E(OK));
	cloison_domain_query(peer, &state, &id, &t);
	test_report("domain_destroy.state", state == CLOISON_DOMAIN_DESTROYED, "state %lu", state);
	TEST_REPORT_ERR("domain_destroy.twice", cloison_domain_destroy(peer), E(BAD_STATE));
}

static void system_and_console(uint64_t sys, uint64_t con, uint64_t note)
{
	uint64_t a = 0, b = 0, c = 0, d = 0, len = 9;

	TEST_REPORT_ERR("console_write.too_long", cloison_console_write(con, 41, 0, 0, 0, 0, 0),
		        E(OUT_OF_RANGE));
	TEST_REPORT_ERR("console_write.ok", cloison_console_write(con, 3, 0x0a6968, 0, 0, 0, 0),
		        E(OK));
	TEST_REPORT_ERR("console_read.no_input_right", cloison_console_read(con, &len, 0, 0, 0, 0, 0),
		        E(NO_RIGHTS));
	TEST_REPORT_ERR("system_stats.ok", cloison_system_stats(sys, &a, &b, &c, &d), E(OK));
	test_report("system_stats.counts", a > d && d > 50, "el2 %lu switches %lu virqs %lu hc %lu",
		    a, b, c, d);
	TEST_REPORT_ERR("system_audit_dump.ok", cloison_system_audit_dump(sys), E(OK));
	TEST_REPORT_ERR("cap_mint.system_without_poweroff", cloison_cap_mint(sys, NONE, S_SYS_RO,
			CLOISON_RIGHT_SYSTEM_AUDIT, 0), E(OK));
	TEST_REPORT_ERR("system_poweroff.no_right", cloison_system_poweroff(S_SYS_RO), E(NO_RIGHTS));

	/* A notification bound to vINTID 40 interrupts this domain. */
	TEST_REPORT_ERR("vgic_configure.bad_vintid", cloison_vgic_configure(64, 1, 0x80),
		        E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("vgic_configure.ok", cloison_vgic_configure(40, 1, 0x80), E(OK));
	TEST_REPORT_ERR("notification_bind.reserved", cloison_notification_bind(note, 32),
		        E(INVALID_ARGUMENT));
	TEST_REPORT_ERR("notification_bind.ok", cloison_notification_bind(note, 40), E(OK));
	irq_unmask();
	TEST_REPORT_ERR("notification_signal.bound", cloison_notification_signal(S_NOTE), E(OK));
	for (unsigned i = 0; i < 1000 && irq_seen != 40; i++)
		__asm__ volatile("isb");
	test_report("notification_bind.virq_delivered", irq_seen == 40, "irq %u", irq_seen);
	/* WFI sleeps until the next one arrives (the virtual timer wakes us). */
	irq_seen = 0;
	TEST_REPORT_ERR("vgic_configure.vtimer", cloison_vgic_configure(27, 1, 0x80), E(OK));
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 : : "r"(vtimer_freq() / 1000), "r"(1ull));
	while (irq_seen == 0)
		__asm__ volatile("wfi");
	test_report("vtimer.wakes_wfi", irq_seen == 27, "irq %u", irq_seen);
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t con = si_cap("console"), sys = si_cap("system");
	uint64_t note = si_cap("note"), pool = si_cap("pool");
	uint64_t dev = si_cap("virtio0"), peer = si_cap("peer");

	test_begin("hypercalls");
	abi_and_yield();
	caps(con, note);
	memory(pool, dev);
	domains(peer);
	system_and_console(sys, con, note);
	test_end();
	runtime_poweroff();
}
