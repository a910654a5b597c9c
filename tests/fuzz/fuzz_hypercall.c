/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the hypercall decoder and dispatcher. Each input is
 * a sequence of calls against the populated small system of capcheck.h
 * (3 domains, a pool, cnode caps between them, a notification, the
 * console); a call is 65 bytes: the caller (byte mod 3) and x0..x7 as raw
 * little-endian 64-bit values. After every call the shared invariant
 * checker runs; a broken invariant aborts (a finding), and so would any
 * panic()/CHECK() a domain could reach, or anything ASan/UBSan see.
 */
#include "capcheck.h"

#include <cloison/domain.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALL_BYTES (1 + 8 * 8)
#define MAX_CALLS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capfix f;
	uint64_t regs[8];
	char msg[256];
	size_t ncalls = size / CALL_BYTES, i;

	if (ncalls > MAX_CALLS)
		ncalls = MAX_CALLS;
	capfix_small(&f);
	for (i = 0; i < ncalls; i++) {
		const uint8_t *c = data + i * CALL_BYTES;

		memcpy(regs, c + 1, sizeof(regs));
		if (!capcheck_call(f.d[c[0] % 3], regs, msg, sizeof(msg))) {
			fprintf(stderr, "invariant broken at call %zu: %s\n", i, msg);
			abort();
		}
	}
	return 0;
}
