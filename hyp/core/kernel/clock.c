/* SPDX-License-Identifier: MIT */
/*
 * Periodic tick. Deadlines advance by exactly one period from the previous
 * deadline (not from "now") so the rate does not drift with interrupt
 * latency; if ticks were missed (a long stall) the next deadline skips ahead
 * rather than firing a burst.
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <cloison/clock.h>
#include <cloison/panic.h>

static uint64_t period, next_deadline, alarm = UINT64_MAX;

static void program(void)
{
	arch_timer_set_deadline(alarm < next_deadline ? alarm : next_deadline);
}

void clock_start(uint32_t hz)
{
	CHECK(hz != 0 && arch_timer_freq() >= hz);
	period = arch_timer_freq() / hz;
	next_deadline = arch_timer_now() + period;
	program();
}

void clock_set_alarm(uint64_t when)
{
	/* Each decision sets it, mostly to the same moment: the timer is
	 * programmed already (clock_tick reprograms after each change of
	 * its own deadline). */
	if (when == alarm)
		return;
	alarm = when;
	program();
}

void clock_tick(void)
{
	uint64_t now = arch_timer_now();

	if (alarm <= now)
		alarm = UINT64_MAX; /* fired; whoever set it decides again */
	if (now >= next_deadline) {
		arch_cpu_current()->ticks++;
		next_deadline += period;
		if (next_deadline <= now)
			next_deadline = now + period - (now - next_deadline) % period;
	}
	program();
}

uint64_t clock_ticks(void)
{
	return arch_cpu_current()->ticks;
}

uint64_t clock_period(void)
{
	return period;
}
