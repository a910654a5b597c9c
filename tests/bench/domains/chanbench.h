/* SPDX-License-Identifier: MIT */
/* Shared between the channel benchmark and its echo partner. */
#ifndef CHANBENCH_H
#define CHANBENCH_H

#include <stdint.h>

#define BENCH_VIRQ 33u
#define BENCH_BULK 0x80000000u
#define BENCH_SHARED_OFFSET 3072u /* after the ring_page in the 4 KiB channel */

struct bench_shared {
	uint64_t handler_stamp;
	uint64_t bulk_bytes;
};

#endif
