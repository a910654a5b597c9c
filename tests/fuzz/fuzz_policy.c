/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the boot bundle's checks (policy_check.c). Random
 * bytes would almost never get past the bundle magic and the policy hash,
 * so the input is a list of edits to the valid fixture bundle
 * (tests/unit/policy/fixture.c): each 4-byte record is (offset, value,
 * mode); the first input byte says whether to re-seal the hashes after the
 * edits (reaching every field check) or not (reaching the hash checks). The
 * bundle is then copied into a heap block of exactly its claimed size (or
 * the fixture's, whichever is smaller), so AddressSanitizer catches a read
 * outside it. policy_check() must return, never crash; and when it accepts,
 * every index the loader will follow must be inside its table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static struct fx f;

static void check_view(const struct policy_view *v)
{
	const struct cloison_policy_header *ph = v->ph;

	for (uint32_t i = 0; i < ph->caps.count; i++)
		if (v->caps[i].object >= ph->objects.count || v->caps[i].domain >= ph->domains.count)
			abort();
	for (uint32_t i = 0; i < ph->domains.count; i++)
		if (v->doms[i].object >= ph->objects.count ||
		    (uint64_t)v->doms[i].cap_first + v->doms[i].cap_count > ph->caps.count ||
		    (uint64_t)v->doms[i].seg_first + v->doms[i].seg_count > ph->segments.count)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t len;
	uint8_t *copy;
	struct policy_view view;
	char why[POLICY_WHY_LEN];

	if (size < 1)
		return 0;
	fx_build(&f);
	for (size_t i = 1; i + 4 <= size; i += 4) {
		uint32_t off = ((uint32_t)data[i] | (uint32_t)data[i + 1] << 8) % FX_LEN;

		switch (data[i + 3] & 3) {
		case 0: f.buf[off] = data[i + 2]; break;
		case 1: f.buf[off] ^= data[i + 2]; break;
		case 2: f.buf[off] = 0; break;
		default: f.buf[off] = 0xff; break;
		}
	}
	if (data[0] & 1)
		fx_seal(&f);
	len = f.bh->total_size;
	if (len == 0 || len > FX_LEN)
		len = FX_LEN;
	copy = malloc(len);
	if (!copy)
		return 0;
	memcpy(copy, f.buf, len);
	if (policy_check(copy, len, &f.facts, &view, why) == POLICY_OK)
		check_view(&view);
	free(copy);
	return 0;
}
