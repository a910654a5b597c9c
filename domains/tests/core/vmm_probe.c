/* SPDX-License-Identifier: MIT */
/*
 * A VMM for the forwarding tests (docs/vmm.md): serves emu-guest
 * (emu_guest.S) and checks every exit the core hands it -- kind, address,
 * size, stored value -- and what the guest's registers hold after each
 * answer (the guest echoes them). Also the calls' rejections.
 */
#include <domain/core.h>
#include <domain/result.h>

#define EMU 0x09000000ull
#define ECHO (EMU + 0x100)
#define W CLOISON_VMM_EXIT_MMIO_WRITE
#define R CLOISON_VMM_EXIT_MMIO_READ

static uint64_t guest;

struct exit {
	uint64_t kind, addr, size, value, arg2, arg3;
};

static struct exit take(void)
{
	struct exit e = { 0 };
	uint64_t err = cloison_vmm_wait(guest, &e.kind, &e.addr, &e.size, &e.value,
					&e.arg2, &e.arg3);

	if (err)
		test_report("vmm_wait.ok", false, "returned %lu", err);
	return e;
}

/* Take one exit, check it, answer it. */
static void expect(const char *name, uint64_t kind, uint64_t addr, uint64_t size,
		   uint64_t value, uint64_t answer)
{
	struct exit e = take();

	test_report(name, e.kind == kind && e.addr == addr && e.size == size &&
			  (kind == R || e.value == value),
		    "got kind %lu addr %lx size %lu value %lx", e.kind, e.addr,
		    e.size, e.value);
	TEST_REPORT_ERR("vmm_reply.ok", cloison_vmm_reply(guest, answer), CLOISON_ERR_OK);
}

static void rejections(void)
{
	TEST_REPORT_ERR("vmm_region.unaligned", cloison_vmm_region(guest, EMU + 0x10, 0x1000),
			CLOISON_ERR_ALIGNMENT);
	TEST_REPORT_ERR("vmm_region.empty", cloison_vmm_region(guest, EMU, 0),
			CLOISON_ERR_OUT_OF_RANGE);
	TEST_REPORT_ERR("vmm_region.beyond_ipa", cloison_vmm_region(guest, 0xfffff000ull, 0x2000),
			CLOISON_ERR_OUT_OF_RANGE);
	TEST_REPORT_ERR("vmm_region.wraps", cloison_vmm_region(guest, 0x1000, ~0xfffull),
			CLOISON_ERR_OUT_OF_RANGE);
	TEST_REPORT_ERR("vmm_region.ok", cloison_vmm_region(guest, EMU, 0x1000), CLOISON_ERR_OK);
	TEST_REPORT_ERR("vmm_region.overlap", cloison_vmm_region(guest, EMU - 0x1000, 0x2000),
			CLOISON_ERR_INVALID_ARGUMENT);
	TEST_REPORT_ERR("vmm_region.second", cloison_vmm_region(guest, EMU + 0x2000, 0x1000),
			CLOISON_ERR_OK);
	TEST_REPORT_ERR("vmm_reply.nothing_taken", cloison_vmm_reply(guest, 0), CLOISON_ERR_BAD_STATE);
	TEST_REPORT_ERR("vmm_set_reg.bad_reg", cloison_vmm_set_reg(guest, CLOISON_VMM_REG_PC + 1, 0),
			CLOISON_ERR_INVALID_ARGUMENT);
	TEST_REPORT_ERR("vmm_irq.sgi", cloison_vmm_irq(guest, 5, 0), CLOISON_ERR_INVALID_ARGUMENT);
	TEST_REPORT_ERR("vmm_irq.beyond", cloison_vmm_irq(guest, 64, 0), CLOISON_ERR_INVALID_ARGUMENT);
	TEST_REPORT_ERR("vmm_irq.bad_op", cloison_vmm_irq(guest, 33, 3), CLOISON_ERR_INVALID_ARGUMENT);
	TEST_REPORT_ERR("vmm_irq.enable", cloison_vmm_irq(guest, 33, 1), CLOISON_ERR_OK);
	TEST_REPORT_ERR("vmm.self", cloison_vmm_wait(si_cap("self"), NULL, NULL, NULL, NULL,
						     NULL, NULL),
			CLOISON_ERR_INVALID_ARGUMENT);
	TEST_REPORT_ERR("vmm.no_right", cloison_vmm_wait(si_cap("guest-query"), NULL, NULL, NULL,
							 NULL, NULL, NULL),
			CLOISON_ERR_NO_RIGHTS);
}

/* A second holder of the vmm right on a guest that already has its VMM:
 * waits until the guest has been started (its VMM bound first), then
 * every vmm_* call must be refused with bad_state. */
static int rival(void)
{
	uint64_t state = 0, id, t, bad = 0;

	for (unsigned i = 0; i < 100000 && state != CLOISON_DOMAIN_RUNNING &&
			     state != CLOISON_DOMAIN_STOPPED; i++) {
		cloison_domain_query(guest, &state, &id, &t);
		cloison_yield();
	}
	bad += cloison_vmm_wait(guest, 0, 0, 0, 0, 0, 0) != CLOISON_ERR_BAD_STATE;
	bad += cloison_vmm_region(guest, 0x20000000, 0x1000) != CLOISON_ERR_BAD_STATE;
	bad += cloison_vmm_reply(guest, 0) != CLOISON_ERR_BAD_STATE;
	bad += cloison_vmm_irq(guest, 40, 0) != CLOISON_ERR_BAD_STATE;
	bad += cloison_vmm_set_reg(guest, 0, 0) != CLOISON_ERR_BAD_STATE;
	print("rival VMM: %s\n", bad ? "SOME CALL WAS NOT REFUSED" : "every call refused (bad_state)");
	return 0;
}

/* Hostile and lifecycle cases, chosen by the domain's name
 * (systems/vmm-hostile.toml, systems/vmm-lifecycle.toml). */
static int hostile(const char *name)
{
	struct exit e;

	if (cloison_vmm_region(guest, EMU, 0x1000) || cloison_domain_start(guest)) {
		print("%s: setup failed\n", name);
		return 1;
	}
	e = take();
	if (strcmp(name, "vmm-crash") == 0) {
		/* Die holding the guest's exit: the guest must stop with us. */
		print("crashing with an exit of kind %lu taken\n", e.kind);
		return (int)*(volatile uint64_t *)0x10000000;
	}
	if (strncmp(name, "vmm-held", 8) == 0) {
		/* Keep the guest's exit unanswered until someone stops or
		 * destroys us (vmm_ctl.c): the guest must not stay blocked. */
		print("holding an exit of kind %lu\n", e.kind);
		for (;;)
			cloison_yield();
	}
	print("guest exit kind %lu: %s\n", e.kind,
	      e.kind == CLOISON_VMM_EXIT_STOPPED ? "stopped as it should" : "NOT STOPPED");
	return 0;
}

int domain_main(const struct cloison_start_info *si)
{
	struct exit e;

	(void)si;
	guest = si_cap("guest");
	if (strcmp(si_name(), "vmm-rival") == 0)
		return rival();
	if (strcmp(si_name(), "vmm-probe") != 0)
		return hostile(si_name());
	test_begin("vmm");
	rejections();
	/* Entry state: x1 and the pc, set before the guest first runs. */
	TEST_REPORT_ERR("vmm_set_reg.x1", cloison_vmm_set_reg(guest, 1, 0x5eed), CLOISON_ERR_OK);
	TEST_REPORT_ERR("vmm_set_reg.pc", cloison_vmm_set_reg(guest, CLOISON_VMM_REG_PC, 0x40000008),
			CLOISON_ERR_OK);
	TEST_REPORT_ERR("domain_start.guest", cloison_domain_start(guest), CLOISON_ERR_OK);
	TEST_REPORT_ERR("vmm_set_reg.running", cloison_vmm_set_reg(guest, 1, 0), CLOISON_ERR_BAD_STATE);

	e = take();
	test_report("entry.x1", e.kind == W && e.addr == ECHO && e.size == 8 && e.value == 0x5eed,
		    "kind %lu addr %lx value %lx", e.kind, e.addr, e.value);
	TEST_REPORT_ERR("vmm_wait.owes_reply", cloison_vmm_wait(guest, NULL, NULL, NULL, NULL,
								NULL, NULL),
			CLOISON_ERR_BAD_STATE);
	TEST_REPORT_ERR("vmm_reply.ok", cloison_vmm_reply(guest, 0), CLOISON_ERR_OK);
	expect("entry.pc", W, ECHO, 8, 2, 0);

	expect("store.word", W, EMU, 4, 0x12345678, 0);
	expect("store.byte", W, EMU + 1, 1, 0xab, 0);
	expect("store.x20", W, EMU + 8, 8, 0x1122334455667788ull, 0);

	expect("load.word", R, EMU + 0x10, 4, 0, 0xdeadbeefcafef00dull);
	expect("load.word.zero_extended", W, ECHO, 8, 0xcafef00dull, 0);
	expect("load.sbyte", R, EMU + 0x11, 1, 0, 0x80);
	expect("load.sbyte.sign_extended", W, ECHO, 8, 0xffffffffffffff80ull, 0);
	expect("load.shalf_w", R, EMU + 0x12, 2, 0, 0x8000);
	expect("load.shalf_w.upper_zero", W, ECHO, 8, 0xffff8000ull, 0);
	expect("load.x21", R, EMU + 0x18, 8, 0, 0x0123456789abcdefull);
	expect("load.x21.value", W, ECHO, 8, 0x0123456789abcdefull, 0);

	e = take();
	test_report("hvc.psci_version", e.kind == CLOISON_VMM_EXIT_HVC && e.addr == 0x84000000ull &&
					      e.size == 0,
		    "kind %lu addr %lx imm %lu", e.kind, e.addr, e.size);
	TEST_REPORT_ERR("vmm_reply.ok", cloison_vmm_reply(guest, 0x10000), CLOISON_ERR_OK);
	expect("hvc.x0", W, ECHO, 8, 0x10000, 0);
	e = take();
	test_report("smc.unknown", e.kind == CLOISON_VMM_EXIT_SMC && e.addr == 0xc2000000ull,
		    "kind %lu addr %lx", e.kind, e.addr);
	TEST_REPORT_ERR("vmm_reply.ok", cloison_vmm_reply(guest, ~0ull), CLOISON_ERR_OK);
	expect("smc.x0", W, ECHO, 8, ~0ull, 0);
	expect("store.xzr", W, EMU + 0x20, 8, 0, 0);

	/* The access between the regions stops the guest; its VMM hears it. */
	e = take();
	test_report("guest.stopped", e.kind == CLOISON_VMM_EXIT_STOPPED, "kind %lu", e.kind);
	TEST_REPORT_ERR("vmm_reply.after_stop", cloison_vmm_reply(guest, 0), CLOISON_ERR_BAD_STATE);
	if (test_end() == 0)
		print("vmm-probe: all passed\n");
	cloison_system_poweroff(si_cap("system"));
	return 0;
}
