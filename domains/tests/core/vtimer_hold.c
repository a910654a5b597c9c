/* SPDX-License-Identifier: MIT */
/*
 * Two domains on the virtual timer at once, one of which never ends its
 * timer interrupt (tests/system/systems/vtimer-hold.toml). The core hands
 * a vCPU its timer's PPI with the list register's HW bit: the physical PPI
 * stays active until that vCPU deactivates the virtual one. The PPI and
 * its active state are one per CPU, so the core moves the active state
 * with the vCPU (docs/vmm.md, "The virtual timer"). One image, two roles
 * by name:
 *
 *  vt-hold  arms its timer to fire at once, takes the interrupt by hand
 *           (ICC_IAR1_EL1, IRQs masked) and keeps it active, its timer
 *           still expired and unmasked, while it yields for HOLD_MS. The
 *           core must have left its CNTV_CTL unmasked (the HW path; the
 *           software path masks it). Then it ends the interrupt
 *           (ICC_EOIR1_EL1, EOImode 0: priority drop and deactivation):
 *           the PPI, deactivated with it, is raised again by its
 *           still-expired timer and must come back;
 *  vt-tick  meanwhile, ROUNDS times: yields (vt-hold runs, and is switched
 *           out again with its interrupt active), arms its timer
 *           ROUND_US ahead and spins, IRQs unmasked, until it fires. Each
 *           interrupt must come; most must come as the physical PPI taken
 *           while vt-tick is loaded (CNTV_CTL unmasked when taken: a round
 *           cut by the end of its budget gets it from the core's software
 *           path instead, masked). Were vt-hold's active PPI left in place,
 *           none would: the PPI could not fire again on this CPU.
 *
 * Arm ARM D11.2.4 (CNTV_CTL_EL0: ENABLE bit 0, IMASK bit 1, ISTATUS bit 2);
 * GIC v3 spec §12.5.10 (ICH_LR<n>_EL2.HW), §8.2 (ICC_IAR1_EL1, ICC_EOIR1_EL1).
 */
#include <domain/core.h>
#include <domain/result.h>

#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define INTID_SPURIOUS_FIRST 1020u
#define VTIMER_INTID 27u
#define CTL_ENABLE 1ull
#define CTL_IMASK 2ull
#define CTL_ISTATUS 4ull

#define HOLD_MS 100u
#define ROUNDS 40u
#define ROUND_US 200u
#define ROUND_LIMIT_MS 20u
#define END_MS 200u

static uint64_t ms_ticks(uint64_t ms)
{
	return vtimer_freq() / 1000u * ms;
}

static uint64_t ctl_read(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v));
	return v;
}

static void ctl_write(uint64_t v)
{
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(v));
}

/* Acknowledge by hand (IRQs masked): the INTID, or 1023 if none came
 * before `until` (virtual counter). */
static uint32_t take_by_hand(uint64_t until)
{
	do {
		uint64_t iar;

		__asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
		if ((iar & 0xffffff) < INTID_SPURIOUS_FIRST)
			return (uint32_t)(iar & 0xffffff);
	} while (vtimer_now() < until);
	return 1023u;
}

static void end_by_hand(uint32_t intid)
{
	__asm__ volatile("msr " ICC_EOIR1_EL1 ", %0; isb" : : "r"((uint64_t)intid));
}

_Noreturn static void hold(void)
{
	uint32_t first, again;
	uint64_t ctl, until;

	test_begin("vt-hold");
	if (irq_enable(VTIMER_INTID, 0x80) != CLOISON_ERR_OK)
		runtime_panic("vgic_configure refused the virtual timer");
	__asm__ volatile("msr cntv_tval_el0, %0" : : "r"(1ull));
	ctl_write(CTL_ENABLE);
	first = take_by_hand(vtimer_now() + ms_ticks(50));
	ctl = ctl_read();
	test_report("vtimer.hold.took_its_interrupt", first == VTIMER_INTID, "INTID %u", first);
	test_report("vtimer.hold.hw_path", (ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE,
		    "CNTV_CTL_EL0 %lx when taken (IMASK clear: the PPI was handed over with the "
		    "HW bit, not masked)", ctl);
	print("keeps its timer interrupt active for %u ms\n", HOLD_MS);
	until = vtimer_now() + ms_ticks(HOLD_MS);
	while (vtimer_now() < until)
		cloison_yield();
	print("ends its timer interrupt\n");
	end_by_hand(first);
	/* Its timer still holds (ISTATUS, not masked): the PPI deactivated by
	 * that EOI is pending again at once and handed over again. */
	again = take_by_hand(vtimer_now() + ms_ticks(50));
	test_report("vtimer.hold.again_after_its_eoi", again == VTIMER_INTID,
		    "INTID %u after ending the first (CNTV_CTL_EL0 %lx)", again, ctl_read());
	if (again == VTIMER_INTID)
		end_by_hand(again);
	ctl_write(0);
	test_end();
	runtime_park();
}

static volatile uint64_t fired_ctl;
static volatile bool fired;

void irq_handler(uint32_t intid)
{
	if (intid != VTIMER_INTID)
		runtime_panic("unexpected interrupt %u", intid);
	fired_ctl = ctl_read();
	ctl_write(CTL_ENABLE | CTL_IMASK); /* lower the level: not taken again */
	fired = true;
}

_Noreturn static void tick(void)
{
	unsigned int came = 0, by_ppi = 0;
	uint64_t worst = 0, end;

	test_begin("vt-tick");
	if (irq_enable(VTIMER_INTID, 0x80) != CLOISON_ERR_OK)
		runtime_panic("vgic_configure refused the virtual timer");
	irq_unmask();
	end = vtimer_now() + ms_ticks(END_MS);
	for (unsigned int r = 0; r < ROUNDS; r++) {
		uint64_t deadline, limit;

		cloison_yield();
		fired = false;
		deadline = vtimer_now() + vtimer_freq() / 1000000u * ROUND_US;
		limit = deadline + ms_ticks(ROUND_LIMIT_MS);
		__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(deadline));
		ctl_write(CTL_ENABLE);
		while (!fired && vtimer_now() < limit)
			;
		if (!fired)
			continue;
		came++;
		if (!(fired_ctl & CTL_IMASK))
			by_ppi++;
		if (vtimer_now() - deadline > worst)
			worst = vtimer_now() - deadline;
	}
	ctl_write(0);
	print("%u of %u timer interrupts came, %u as the PPI while loaded, worst %lu us late\n",
	      came, ROUNDS, by_ppi, vtimer_ticks_to_us(worst));
	test_report("vtimer.tick.every_interrupt_came", came == ROUNDS,
		    "%u of %u timer interrupts within %u ms of their deadline (worst %lu us late)",
		    came, ROUNDS, ROUND_LIMIT_MS, vtimer_ticks_to_us(worst));
	test_report("vtimer.tick.by_the_ppi_while_hold_keeps_its_own", by_ppi >= ROUNDS / 2,
		    "%u of %u taken as the physical PPI while loaded", by_ppi, ROUNDS);
	test_end();
	/* Let vt-hold end its interrupt and report, then power off. */
	while (vtimer_now() < end)
		cloison_yield();
	runtime_poweroff();
}

int domain_main(const struct cloison_start_info *si)
{
	(void)si;
	if (strcmp(si_name(), "vt-hold") == 0)
		hold();
	tick();
}
