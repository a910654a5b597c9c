/* SPDX-License-Identifier: MIT */
/* CPU-bound forever: never yields, never waits. */
#include "kit.h"

void kit_main(void)
{
	volatile uint64_t n = 0;

	print("spinning\n");
	for (;;)
		n++;
}
