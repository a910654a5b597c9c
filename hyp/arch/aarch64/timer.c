/* SPDX-License-Identifier: MIT */
/*
 * The EL2 physical timer (Arm ARM D11.2, CNTHP_CTL_EL2 / CNTHP_CVAL_EL2):
 * the hypervisor's own tick, independent of the EL1 timers domains use.
 */
#include <arch/timer.h>

#include "sysreg.h"

#define CNTHP_CTL_ENABLE (1u << 0)
#define CNTHP_CTL_IMASK (1u << 1)

static uint32_t timer_intid;

void arch_timer_setup(uint32_t intid);
void arch_timer_setup(uint32_t intid)
{
	timer_intid = intid;
	/* EL1 may read the physical counter (for its own timekeeping) but not
	 * program the physical timer: CNTHCTL_EL2.EL1PCTEN=1, EL1PCEN=0. */
	write_sysreg(cnthctl_el2, 1u << 0);
	write_sysreg(cntvoff_el2, 0);
	arch_timer_stop();
}

uint64_t arch_timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t arch_timer_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

void arch_timer_set_deadline(uint64_t deadline)
{
	write_sysreg(cnthp_cval_el2, deadline);
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

void arch_timer_stop(void)
{
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_IMASK);
	isb();
}

uint32_t arch_timer_intid(void)
{
	return timer_intid;
}

