/* SPDX-License-Identifier: MIT */
/* Benchmark partner: gives the CPU straight back. */
#include "kit.h"

void kit_main(void)
{
	for (;;)
		cloison_yield();
}
