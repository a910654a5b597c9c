/* SPDX-License-Identifier: MIT */
/*
 * A domain that destroys itself while loaded leaves nothing of its virtual
 * interrupts to the next one (tests/system/systems/vdestroy.toml).
 *
 *  vd-dying  runs first: binds two notifications to vINTIDs 40 and 41,
 *            raises 40 and acknowledges it without EOI (an active list
 *            register), raises 41 (pending) and 40 again, then destroys
 *            itself with interrupts masked;
 *  vd-next   runs after it: binds its own notifications to the same two
 *            vINTIDs, unmasks interrupts, and must receive exactly the one
 *            40 it raises itself and no 41; then powers off.
 */
#include <domain/core.h>
#include <domain/result.h>

#define ICC_IAR1_EL1 "S3_0_C12_C12_0"

static volatile unsigned got[64];

void irq_handler(uint32_t vintid)
{
	if (vintid < 64)
		got[vintid]++;
}

static void settle(void)
{
	for (unsigned i = 0; i < 20; i++)
		cloison_yield();
}

static void bind_both(void)
{
	cloison_notification_bind(si_cap("note40"), 40);
	cloison_notification_bind(si_cap("note41"), 41);
	irq_enable(40, 0x80);
	irq_enable(41, 0x80);
}

static void dying(void)
{
	uint64_t iar;

	bind_both();
	cloison_notification_signal(si_cap("note40"));
	__asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
	cloison_notification_signal(si_cap("note41"));
	cloison_notification_signal(si_cap("note40"));
	print("acknowledged %lu (no EOI), 41 and 40 pending: destroying myself\n", iar);
	cloison_domain_destroy(si_cap("self"));
	print("still running after the hostile act!\n");
}

static void next(void)
{
	test_begin("vdestroy");
	bind_both();
	irq_unmask();
	settle();
	test_report("vdestroy.nothing_inherited", got[40] == 0 && got[41] == 0,
		    "received 40 x%u, 41 x%u before raising any", got[40], got[41]);
	cloison_notification_signal(si_cap("note40"));
	settle();
	test_report("vdestroy.own_interrupt_once", got[40] == 1 && got[41] == 0,
		    "raised 40 once, received 40 x%u, 41 x%u", got[40], got[41]);
	test_end();
	runtime_poweroff();
}

int domain_main(const struct cloison_start_info *si)
{
	if (strcmp(si_name(), "vd-dying") == 0)
		dying();
	else
		next();
	return 0;
}
