/* SPDX-License-Identifier: MIT */
#include "capcall.h"

#include <cloison/abi/errors.h>

#include <string.h>

#include "capcheck.h"
#include "harness.h"

uint64_t capcall_regs[8];
bool capcall_broken;

uint64_t capcall(struct domain *d, uint64_t slot, uint64_t op, const uint64_t a[6])
{
	char msg[256];

	capcall_regs[0] = slot;
	capcall_regs[1] = op;
	memcpy(&capcall_regs[2], a, 6 * sizeof(uint64_t));
	if (!capcheck_call(d, capcall_regs, msg, sizeof(msg))) {
		harness_fail(__FILE__, __LINE__, "invariant broken by call %llu: %s",
			     (unsigned long long)op, msg);
		capcall_broken = true;
	}
	return capcall_regs[0];
}

uint64_t capcall_pool_free(struct domain *d, uint64_t slot)
{
	EXPECT_EQ(HC(d, slot, UNTYPED_QUERY), CLOISON_ERR_OK);
	return R[2];
}

uint64_t capcall_domain_state(struct domain *d, uint64_t slot)
{
	EXPECT_EQ(HC(d, slot, DOMAIN_QUERY), CLOISON_ERR_OK);
	return R[1];
}
