/* SPDX-License-Identifier: MIT */
/* Only waits: WFI forever with nothing that could wake it. */
#include "kit.h"

void kit_main(void)
{
	print("waiting\n");
	for (;;)
		__asm__ volatile("wfi");
}
